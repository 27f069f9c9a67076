#include "address.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <cstring>

#include "wire.h"

namespace sipnat::stun {

namespace {

constexpr uint8_t kWireV4 = 0x01;
constexpr uint8_t kWireV6 = 0x02;

bool parse_port(std::string_view s, uint16_t *port) {
    if (s.empty() || s.size() > 5) return false;
    uint32_t v = 0;
    for (char c : s) {
        if (c < '0' || c > '9') return false;
        v = v * 10 + static_cast<uint32_t>(c - '0');
    }
    if (v > 0xFFFF) return false;
    *port = static_cast<uint16_t>(v);
    return true;
}

bool parse_ip(std::string_view s, Family fam, Address *out) {
    char buf[INET6_ADDRSTRLEN];
    if (s.empty() || s.size() >= sizeof buf) return false;
    std::memcpy(buf, s.data(), s.size());
    buf[s.size()] = '\0';
    Address a;
    if (fam == Family::V4) {
        if (inet_pton(AF_INET, buf, a.ip.data()) != 1) return false;
    } else if (inet_pton(AF_INET6, buf, a.ip.data()) != 1) {
        return false;
    }
    a.family = fam;
    *out = a;
    return true;
}

// Shared by the plain and XOR forms: key is nullptr for plain, else header bytes 4..19.
bool put_address(Writer &w, uint16_t type, const Address &a, const uint8_t *key) {
    const size_t n = a.ip_len();
    if (n == 0) return false;
    uint8_t *p = w.append(type, 4 + n);
    if (p == nullptr) return false;
    p[0] = 0;
    p[1] = a.family == Family::V4 ? kWireV4 : kWireV6;
    uint16_t port = a.port;
    if (key != nullptr) port ^= wire::get16(key);
    wire::put16(p + 2, port);
    for (size_t i = 0; i < n; ++i) p[4 + i] = static_cast<uint8_t>(a.ip[i] ^ (key != nullptr ? key[i] : 0));
    return true;
}

bool get_address(const Attr &attr, const uint8_t *key, Address *out) {
    // The first byte "MUST be ignored by receivers" (RFC 5389 §15.1).
    if (attr.length < 4) return false;
    size_t n = 0;
    Family fam = Family::None;
    if (attr.value[1] == kWireV4 && attr.length == 8) {
        n = 4;
        fam = Family::V4;
    } else if (attr.value[1] == kWireV6 && attr.length == 20) {
        n = 16;
        fam = Family::V6;
    } else {
        return false;
    }
    Address a;
    a.family = fam;
    a.port = wire::get16(attr.value + 2);
    if (key != nullptr) a.port ^= wire::get16(key);
    for (size_t i = 0; i < n; ++i)
        a.ip[i] = static_cast<uint8_t>(attr.value[4 + i] ^ (key != nullptr ? key[i] : 0));
    *out = a;
    return true;
}

} // namespace

Address Address::v4(uint8_t a, uint8_t b, uint8_t c, uint8_t d, uint16_t port) {
    const uint8_t bytes[4] = {a, b, c, d};
    return v4(bytes, port);
}

Address Address::v4(const uint8_t *bytes, uint16_t port) {
    Address r;
    r.family = Family::V4;
    r.port = port;
    std::memcpy(r.ip.data(), bytes, 4);
    return r;
}

Address Address::v6(const uint8_t *bytes, uint16_t port) {
    Address r;
    r.family = Family::V6;
    r.port = port;
    std::memcpy(r.ip.data(), bytes, 16);
    return r;
}

bool Address::same_ip(const Address &o) const {
    return family == o.family && std::memcmp(ip.data(), o.ip.data(), ip_len()) == 0;
}

bool parse_address(std::string_view text, Address *out, uint16_t default_port) {
    Address a;
    uint16_t port = default_port;
    if (!text.empty() && text.front() == '[') {
        const size_t close = text.find(']');
        if (close == std::string_view::npos) return false;
        if (!parse_ip(text.substr(1, close - 1), Family::V6, &a)) return false;
        std::string_view rest = text.substr(close + 1);
        if (!rest.empty() && (rest.front() != ':' || !parse_port(rest.substr(1), &port))) return false;
    } else if (text.find(':') != text.rfind(':')) {
        // Two or more colons: a bare IPv6 address.
        if (!parse_ip(text, Family::V6, &a)) return false;
    } else {
        const size_t colon = text.find(':');
        if (!parse_ip(text.substr(0, colon), Family::V4, &a)) return false;
        if (colon != std::string_view::npos && !parse_port(text.substr(colon + 1), &port)) return false;
    }
    a.port = port;
    *out = a;
    return true;
}

std::string to_string(const Address &a) {
    char buf[INET6_ADDRSTRLEN];
    if (a.family == Family::V4) {
        inet_ntop(AF_INET, a.ip.data(), buf, sizeof buf);
        return std::string(buf) + ":" + std::to_string(a.port);
    }
    if (a.family == Family::V6) {
        inet_ntop(AF_INET6, a.ip.data(), buf, sizeof buf);
        return "[" + std::string(buf) + "]:" + std::to_string(a.port);
    }
    return "-";
}

bool to_sockaddr(const Address &a, sockaddr_storage *ss, socklen_t *len) {
    std::memset(ss, 0, sizeof *ss);
    if (a.family == Family::V4) {
        auto *sin = reinterpret_cast<sockaddr_in *>(ss);
        sin->sin_family = AF_INET;
        sin->sin_port = htons(a.port);
        std::memcpy(&sin->sin_addr, a.ip.data(), 4);
        *len = sizeof *sin;
        return true;
    }
    if (a.family == Family::V6) {
        auto *sin6 = reinterpret_cast<sockaddr_in6 *>(ss);
        sin6->sin6_family = AF_INET6;
        sin6->sin6_port = htons(a.port);
        std::memcpy(&sin6->sin6_addr, a.ip.data(), 16);
        *len = sizeof *sin6;
        return true;
    }
    return false;
}

bool from_sockaddr(const sockaddr *sa, Address *out) {
    if (sa == nullptr) return false;
    if (sa->sa_family == AF_INET) {
        sockaddr_in sin;
        std::memcpy(&sin, sa, sizeof sin);
        *out = Address::v4(reinterpret_cast<const uint8_t *>(&sin.sin_addr), ntohs(sin.sin_port));
        return true;
    }
    if (sa->sa_family == AF_INET6) {
        sockaddr_in6 sin6;
        std::memcpy(&sin6, sa, sizeof sin6);
        *out = Address::v6(reinterpret_cast<const uint8_t *>(&sin6.sin6_addr), ntohs(sin6.sin6_port));
        return true;
    }
    return false;
}

bool add_address(Writer &w, uint16_t type, const Address &a) {
    return put_address(w, type, a, nullptr);
}

bool add_xor_address(Writer &w, uint16_t type, const Address &a) {
    if (w.size() < kHeaderSize) return false;
    // Copy the key: append() may be writing into the same buffer (it never touches bytes 4..19,
    // but a copy keeps that reasoning local).
    uint8_t key[16];
    std::memcpy(key, w.data() + 4, sizeof key);
    return put_address(w, type, a, key);
}

bool decode_address(const Attr &a, Address *out) {
    return get_address(a, nullptr, out);
}

bool decode_xor_address(const Attr &a, const TransactionId &tid, Address *out) {
    return get_address(a, tid.bytes.data(), out);
}

} // namespace sipnat::stun
