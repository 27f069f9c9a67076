// The stun module: a STUN server on sipnatd's SIP UDP sockets (RFC 3489 + 5389 + 5780).
// STUN datagrams are taken off at the host's raw-datagram hook, before any SIP parsing;
// the answer comes from the pure server function in stun/server.h.
#include "addr_param.h"

#include "stun/message.h"
#include "stun/server.h"

#include <sipnat/module.h>

#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

namespace {

using namespace sipnat;
const char *kMod = "stun";

// One set of four sockets: [0] ip1:port1 (a SIP listener), [1] ip1:port2, [2] ip2:port1, [3] ip2:port2.
struct Set {
    sipnat_socket *socks[stun::kSocketCount] = {};
    stun::SocketSet desc;
};

struct Config {
    stunmod::IpParam primary_ip, alternate_ip;
    stunmod::PortParam primary_port{5060, 0}, alternate_port{3478, 0};
    long use_listeners = 0;
    stun::ResponseAddressPolicy response_address = stun::ResponseAddressPolicy::SameIp;
};

Config g_cfg;
std::vector<Set> g_sets;
// Which (set, index) a socket plays; a socket may serve several sets (the alternate ones do
// with use_listeners_as_primary): the first set wins, its answers are the same either way.
struct Role {
    const sipnat_socket *sock;
    size_t set;
    int index;
};
std::vector<Role> g_roles;
stun::ServerPolicy g_policy;

int err_out(char *err, size_t n, const std::string &msg) {
    snprintf(err, n, "%s", msg.c_str());
    return -1;
}

// --- params ----------------------------------------------------------------------------------

int set_ip(stunmod::IpParam *p, const char *name, const sipnat_param_value *v, char *err, size_t n) {
    std::string why;
    if (!stunmod::parse_ip_param(v->s, p, &why)) return err_out(err, n, std::string(name) + ": " + why);
    return 0;
}
int set_port(stunmod::PortParam *p, const char *name, const sipnat_param_value *v, char *err, size_t n) {
    std::string why;
    if (!stunmod::parse_port_param(v->s, p, &why)) return err_out(err, n, std::string(name) + ": " + why);
    return 0;
}
int p_primary_ip(const sipnat_host *, const sipnat_param_value *v, char *e, size_t n) {
    return set_ip(&g_cfg.primary_ip, "primary_ip", v, e, n);
}
int p_primary_port(const sipnat_host *, const sipnat_param_value *v, char *e, size_t n) {
    return set_port(&g_cfg.primary_port, "primary_port", v, e, n);
}
int p_alternate_ip(const sipnat_host *, const sipnat_param_value *v, char *e, size_t n) {
    return set_ip(&g_cfg.alternate_ip, "alternate_ip", v, e, n);
}
int p_alternate_port(const sipnat_host *, const sipnat_param_value *v, char *e, size_t n) {
    return set_port(&g_cfg.alternate_port, "alternate_port", v, e, n);
}
int p_use_listeners(const sipnat_host *, const sipnat_param_value *v, char *e, size_t n) {
    if (v->i != 0 && v->i != 1) return err_out(e, n, "use_listeners_as_primary: expected 0 or 1");
    g_cfg.use_listeners = v->i;
    return 0;
}
int p_response_address(const sipnat_host *, const sipnat_param_value *v, char *e, size_t n) {
    std::string s = v->s;
    if (s == "off") g_cfg.response_address = stun::ResponseAddressPolicy::Off;
    else if (s == "same_ip" || s == "same-ip") g_cfg.response_address = stun::ResponseAddressPolicy::SameIp;
    else if (s == "any") g_cfg.response_address = stun::ResponseAddressPolicy::Any;
    else return err_out(e, n, "response_address: expected off, same_ip or any, found \"" + s + "\"");
    return 0;
}

// --- socket sets -------------------------------------------------------------------------------

stun::Address address_of(const std::string &ip, uint16_t port) {
    stun::Address a;
    stun::parse_address(ip, &a, port);
    return a;
}

// Finds ip:port among the host's sockets, or opens it.
sipnat_socket *find_or_open(const sipnat_host *h, const std::string &ip, uint16_t port) {
    if (sipnat_socket *s = h->socket_find(ip.c_str(), port)) return s;
    return h->socket_open_udp(ip.c_str(), port);
}

// Builds one set around listener (ip1, port1); false with a reason.
bool build_set(const sipnat_host *h, const std::string &ip1, const std::string &adv_ip1, stunmod::PortParam p1,
               std::string *why) {
    const stunmod::IpParam &alt = g_cfg.alternate_ip;
    const stunmod::PortParam &p2 = g_cfg.alternate_port;
    if (address_of(ip1, 0).family != address_of(alt.ip, 0).family) {
        *why = "alternate_ip: " + alt.ip + " and the primary " + ip1 + " are of different address families";
        return false;
    }
    if (address_of(ip1, 0).same_ip(address_of(alt.ip, 0))) {
        *why = "alternate_ip: must differ from the primary IP " + ip1;
        return false;
    }
    if (p1.port == p2.port) {
        *why = "alternate_port: must differ from the primary port " + std::to_string(p1.port);
        return false;
    }
    Set set;
    const std::string *ips[2] = {&ip1, &alt.ip};
    const std::string *advs[2] = {&adv_ip1, &alt.advertised};
    const stunmod::PortParam *ports[2] = {&p1, &p2};
    for (int i = 0; i < stun::kSocketCount; i++) {
        const std::string &ip = *ips[(i & stun::kAltIpBit) ? 1 : 0];
        const std::string &adv = *advs[(i & stun::kAltIpBit) ? 1 : 0];
        const stunmod::PortParam &pp = *ports[(i & stun::kAltPortBit) ? 1 : 0];
        sipnat_socket *s = i == 0 ? h->socket_find(ip.c_str(), pp.port) : find_or_open(h, ip, pp.port);
        if (!s) {
            *why = i == 0 ? "primary_port: primary " + ip + ":" + std::to_string(pp.port) + " is not a SIP UDP listener (listen=)"
                          : "cannot use udp " + ip + ":" + std::to_string(pp.port);
            return false;
        }
        sipnat_socket_info info;
        h->socket_info(s, &info);
        if (i == 0 && !info.is_listener) {
            *why = "primary_port: primary " + ip + ":" + std::to_string(pp.port) + " is not a SIP UDP listener (listen=)";
            return false;
        }
        set.socks[i] = s;
        stun::ServerSocket &d = set.desc.sockets[static_cast<size_t>(i)];
        d.present = true;
        d.real = address_of(ip, pp.port);
        d.advertised = address_of(adv.empty() ? ip : adv, pp.advertised ? pp.advertised : pp.port);
    }
    g_sets.push_back(set);
    return true;
}

int mod_init(const sipnat_host *h, char *err, size_t n) {
    if (!g_cfg.alternate_ip.set) return err_out(err, n, "alternate_ip: is mandatory");
    std::string why;
    if (g_cfg.use_listeners) {
        for (int i = 0; sipnat_socket *s = h->socket_at(i); i++) {
            sipnat_socket_info info;
            h->socket_info(s, &info);
            if (!info.is_listener) continue;
            stun::Address a = address_of(info.ip, 0);
            // A listener on the alternate IP or port is one of the alternate sockets, not a primary.
            if (a.family != address_of(g_cfg.alternate_ip.ip, 0).family ||
                a.same_ip(address_of(g_cfg.alternate_ip.ip, 0)) || info.port == g_cfg.alternate_port.port) {
                h->log(SIPNAT_L_INFO, kMod, "listener %s:%u is not used as a primary", info.ip, info.port);
                continue;
            }
            if (!build_set(h, info.ip, "", stunmod::PortParam{info.port, 0}, &why))
                return err_out(err, n, why);
        }
        if (g_sets.empty()) return err_out(err, n, "use_listeners_as_primary: no UDP listener can be a primary");
    } else {
        if (!g_cfg.primary_ip.set)
            return err_out(err, n, "primary_ip: is mandatory unless use_listeners_as_primary is 1");
        if (!build_set(h, g_cfg.primary_ip.ip, g_cfg.primary_ip.advertised, g_cfg.primary_port, &why))
            return err_out(err, n, why);
    }
    for (size_t si = 0; si < g_sets.size(); si++) {
        for (int i = 0; i < stun::kSocketCount; i++) {
            const sipnat_socket *s = g_sets[si].socks[i];
            bool known = false;
            for (const Role &r : g_roles) known = known || r.sock == s;
            if (!known) g_roles.push_back({s, si, i});
        }
        for (const auto &d : g_sets[si].desc.sockets)
            h->log(SIPNAT_L_NOTICE, kMod, "STUN on udp %s (advertised %s)", stun::to_string(d.real).c_str(),
                   stun::to_string(d.advertised).c_str());
    }
    g_policy.response_address = g_cfg.response_address;
    g_policy.software = "sipnat";
    return h->raw_hook_add(
        [](const sipnat_dgram *d, void *arg) -> int {
            if (!stun::looks_like_stun(d->data, d->len)) return 0;
            const auto *host = static_cast<const sipnat_host *>(arg);
            const Role *role = nullptr;
            for (const Role &r : g_roles) {
                if (r.sock == d->sock) {
                    role = &r;
                    break;
                }
            }
            if (!role) return 0; // a SIP socket outside every set: not ours to answer
            const Set &set = g_sets[role->set];
            stun::Arrival arr;
            arr.socket = role->index;
            if (!stun::from_sockaddr(d->src, &arr.source)) return 1;
            uint8_t out[stun::kServerBufferSize];
            stun::ServerReply r = stun::serve(d->data, d->len, arr, set.desc, g_policy, out, sizeof out);
            if (r.action != stun::Action::Respond) { // STUN-shaped but not answerable: never SIP
                if (host->log_level() >= SIPNAT_L_DBG)
                    host->log(SIPNAT_L_DBG, kMod, "dropped STUN datagram from %s (reason %d)",
                              stun::to_string(arr.source).c_str(), static_cast<int>(r.drop));
                return 1;
            }
            sockaddr_storage dst;
            socklen_t dl;
            if (!stun::to_sockaddr(r.destination, &dst, &dl)) return 1;
            host->send_udp(set.socks[r.socket], reinterpret_cast<sockaddr *>(&dst), out, r.size);
            return 1;
        },
        const_cast<sipnat_host *>(h));
}

void mod_destroy(const sipnat_host *) {
    g_sets.clear();
    g_roles.clear();
}

const sipnat_param_export kParams[] = {
    {"primary_ip", SIPNAT_PARAM_STR, p_primary_ip},
    {"primary_port", SIPNAT_PARAM_STR, p_primary_port},
    {"alternate_ip", SIPNAT_PARAM_STR, p_alternate_ip},
    {"alternate_port", SIPNAT_PARAM_STR, p_alternate_port},
    {"use_listeners_as_primary", SIPNAT_PARAM_INT, p_use_listeners},
    {"response_address", SIPNAT_PARAM_STR, p_response_address},
    {nullptr, 0, nullptr},
};

} // namespace

extern "C" SIPNAT_MODULE_EXPORT const sipnat_module_exports sipnat_module = {
    SIPNAT_ABI_VERSION, "stun", kParams, nullptr, mod_init, nullptr, mod_destroy,
};
