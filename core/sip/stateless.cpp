#include "stateless.h"

#include <optional>
#include <vector>

#include "branch.h"
#include "ip.h"
#include "reply.h"
#include "strutil.h"

namespace sipnat::sip {

namespace {

Outcome drop(std::string why) {
    Outcome o;
    o.action = Action::Drop;
    o.reason = std::move(why);
    return o;
}

Outcome reply(const Message &m, const Endpoint &src, int code, std::string_view reason) {
    Outcome o;
    o.action = Action::Reply;
    o.code = code;
    o.reason = std::string(reason);
    o.data = build_reply(m, code, reason, src);
    o.dst = reply_destination(m, src);
    return o;
}

Destination destination_of(const Uri &u) {
    Destination d;
    std::string_view maddr;
    const bool has_maddr = find_param(u.params, "maddr", &maddr) && !maddr.empty();
    d.host = std::string(strip_brackets(has_maddr ? maddr : u.host));
    d.port = u.port_num != 0 ? u.port_num : (u.secure ? 5061 : 5060);
    d.secure = u.secure;
    std::string_view tr;
    if (find_param(u.params, "transport", &tr)) d.transport = std::string(tr);
    return d;
}

// Removes the Route values flagged in `gone`, as runs per header field: a field that loses every
// value loses its line; a run followed by a kept value goes up to that value; a run at the end of
// its field goes from the end of the kept value before it.
void remove_route_values(const Message &m, const std::vector<AddrRef> &routes, const std::vector<bool> &gone,
                         PatchList *p) {
    size_t i = 0;
    while (i < routes.size()) {
        size_t j = i;
        while (j < routes.size() && routes[j].field == routes[i].field) ++j;
        // Values [i, j) belong to one field.
        bool all = true;
        for (size_t k = i; k < j; ++k) all = all && gone[k];
        if (all) {
            const HeaderField &f = m.fields()[static_cast<size_t>(routes[i].field)];
            p->add(f.line_off, f.line_len, {});
        } else {
            size_t k = i;
            while (k < j) {
                if (!gone[k]) {
                    ++k;
                    continue;
                }
                size_t a = k;
                while (k < j && gone[k]) ++k;  // run [a, k)
                if (k < j)
                    p->add(routes[a].addr.begin, routes[k].addr.begin - routes[a].addr.begin, {});
                else
                    p->add(routes[a - 1].addr.end, routes[k - 1].addr.end - routes[a - 1].addr.end, {});
            }
        }
        i = j;
    }
}

Outcome plan(const Message &m, const std::optional<std::string_view> &explicit_dst, const Endpoint &src,
             const LocalSocket &out, const LocalNames &names, const ForwardOptions &opt) {
    if (!m.is_request()) return drop("not a request");
    if (m.defect_code() != 0) return drop(std::string(m.defect()));
    ViaRef top;
    if (!m.via(0, &top)) return drop("no usable Via");
    // We were the UAS for the reply this ACK acknowledges (sl_send_reply): it ends here.
    if (acks_own_reply(m)) return drop("ACK for our own stateless reply");

    PatchList p;
    // Max-Forwards (§16.6 step 3).
    const long mf = m.max_forwards();
    if (mf == 0) return reply(m, src, 483, "Too Many Hops");
    if (mf == -2) return reply(m, src, 400, "Bad Max-Forwards");
    if (mf > 0) {
        const HeaderField *f = m.find(HeaderId::MaxForwards);
        std::string v;
        append_uint(v, static_cast<uint64_t>(mf - 1));
        p.add(f->val_off, f->val_len, v);
    } else {
        p.add(m.headers_end(), 0, "Max-Forwards: 70\r\n");
    }

    // received / rport on the top Via (RFC 3581).
    via_received_rport(top.via, 0, src.ip, src.port, &p);

    // Route processing (§16.4, §16.6 step 6).
    std::vector<AddrRef> routes;
    if (opt.route && !m.addr_list(HeaderId::Route, &routes)) return reply(m, src, 400, "Bad Route");
    std::vector<bool> gone(routes.size(), false);
    std::string ruri(m.ruri());
    bool ruri_changed = false;
    size_t first = 0, last = routes.size();
    Uri u;
    if (opt.route) {
        if (parse_uri(ruri, &u) && u.sip && names.is_us(u.host, u.port_num, u.secure) && last > first) {
            // A strict router put us into the R-URI: the real target is the last Route.
            ruri = std::string(routes[last - 1].addr.uri);
            ruri_changed = true;
            gone[--last] = true;
        }
        // Leading Route values naming us (several when we record-routed more than once).
        while (first < last) {
            Uri r;
            if (!parse_uri(routes[first].addr.uri, &r) || !r.sip || !names.is_us(r.host, r.port_num, r.secure)) break;
            gone[first++] = true;
        }
    }
    Destination dst;
    std::string push_route;
    bool have_dst = false;
    if (first < last) {
        Uri r;
        if (!parse_uri(routes[first].addr.uri, &r) || !r.sip) return drop("next Route is not a sip/sips URI");
        std::string_view lr;
        if (!find_param(r.params, "lr", &lr)) {
            // Strict router next: it takes the R-URI, and our R-URI goes to the end of the route set.
            push_route = "Route: <" + ruri + ">\r\n";
            ruri = std::string(routes[first].addr.uri);
            ruri_changed = true;
            gone[first++] = true;
        }
        dst = destination_of(r);
        have_dst = true;
    }
    if (!have_dst && !explicit_dst) {
        if (!parse_uri(ruri, &u) || !u.sip) return drop("Request-URI is not a sip/sips URI");
        dst = destination_of(u);
    }
    if (explicit_dst) {
        std::string_view host;
        uint16_t port = 0;
        if (!parse_hostport(*explicit_dst, &host, &port)) return drop("bad destination");
        dst = Destination{};
        dst.host = std::string(strip_brackets(host));
        dst.port = port != 0 ? port : 5060;
    }
    remove_route_values(m, routes, gone, &p);
    if (!push_route.empty()) {
        const HeaderField &f = m.fields()[static_cast<size_t>(routes.back().field)];
        p.add(f.line_off + f.line_len, 0, push_route);
    }
    if (ruri_changed) p.add(m.ruri_offset(), m.original_ruri().size(), ruri);

    // Our Via (§16.6 step 8), before the first Via line.
    std::string via = "Via: SIP/2.0/UDP ";
    via += out.via_host();
    via.push_back(':');
    append_uint(via, out.via_port());
    via += ";branch=";
    via += stateless_branch(m);
    via += "\r\n";
    p.add(m.fields()[static_cast<size_t>(top.field)].line_off, 0, via);

    Outcome o;
    o.action = Action::Forward;
    o.to_self = names.is_us(dst.host, dst.port, dst.secure);
    o.dst = std::move(dst);
    o.data = m.build_with(p);
    return o;
}

}  // namespace

Outcome forward_request(const Message &m, const Endpoint &src, const LocalSocket &out, const LocalNames &names,
                        const ForwardOptions &opt) {
    return plan(m, std::nullopt, src, out, names, opt);
}

Outcome forward_request_to(const Message &m, std::string_view hostport, const Endpoint &src, const LocalSocket &out,
                           const LocalNames &names, const ForwardOptions &opt) {
    return plan(m, hostport, src, out, names, opt);
}

Outcome forward_reply(const Message &m, const LocalNames &names) {
    if (m.is_request()) return drop("not a reply");
    if (m.defect_code() != 0) return drop(std::string(m.defect()));
    ViaRef top, next;
    if (!m.via(0, &top)) return drop("no usable Via");
    if (!names.is_us(top.via.host, top.via.port_num)) return drop("top Via is not ours");
    if (!m.via(1, &next)) return drop("no Via left to send the reply to");

    PatchList p;
    if (top.next_value != 0) {
        p.add(top.via.begin, top.next_value - top.via.begin, {});
    } else {
        const HeaderField &f = m.fields()[static_cast<size_t>(top.field)];
        p.add(f.line_off, f.line_len, {});
    }
    Outcome o;
    o.action = Action::Forward;
    const Via &v = next.via;
    o.dst.host = std::string(strip_brackets(v.has_received && !v.received.empty() ? v.received : v.host));
    uint64_t rport = 0;
    if (v.has_rport && parse_uint(v.rport, 65535, &rport) && rport != 0)
        o.dst.port = static_cast<uint16_t>(rport);
    else
        o.dst.port = v.port_num != 0 ? v.port_num : 5060;
    o.dst.transport = std::string(v.transport);
    o.data = m.build_with(p);
    return o;
}

}  // namespace sipnat::sip
