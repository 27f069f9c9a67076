#include "local.h"

#include "ip.h"

namespace sipnat::sip {

std::string LocalSocket::via_host() const {
    const std::string &h = advertised_ip.empty() ? ip : advertised_ip;
    // An IPv6 literal needs [] in a Via sent-by (RFC 3261 §25.1 IPv6reference).
    if (h.find(':') != std::string::npos && (h.empty() || h.front() != '[')) return "[" + h + "]";
    return h;
}

void LocalNames::add_socket(const LocalSocket &s) {
    add_listener(s.ip, s.port);
    if (!s.advertised_ip.empty() || s.advertised_port != 0)
        add_listener(s.advertised_ip.empty() ? s.ip : s.advertised_ip, s.via_port());
}

void LocalNames::add_listener(std::string_view ip, uint16_t port) {
    entries_.push_back(Entry{std::string(strip_brackets(ip)), port});
}

void LocalNames::add_alias(std::string_view host, uint16_t port) {
    entries_.push_back(Entry{std::string(strip_brackets(host)), port});
}

bool LocalNames::is_us(std::string_view host, uint16_t port, bool secure) const {
    const uint16_t p = port != 0 ? port : (secure ? 5061 : 5060);
    for (const Entry &e : entries_) {
        if (e.port != 0 && e.port != p) continue;
        if (same_host(e.host, host)) return true;
    }
    return false;
}

}  // namespace sipnat::sip
