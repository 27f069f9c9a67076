// Parser for `listen` values: proto, IPv4 or bracketed IPv6, optional port.
#include "listen_addr.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include "lexer.h"

namespace sipnat::config {

namespace {

bool fail(ListenValueError &err, size_t off, std::string msg) {
    err.offset = off;
    err.message = std::move(msg);
    return false;
}

bool valid_ip(int family, std::string_view ip) {
    std::string s(ip); // inet_pton wants a NUL-terminated string
    unsigned char buf[sizeof(in6_addr)];
    return inet_pton(family, s.c_str(), buf) == 1;
}

// Parses the text after "IP:" as a port number 1..65535.
bool parse_port(std::string_view text, size_t off, uint16_t &port, ListenValueError &err) {
    if (text.empty()) return fail(err, off, "expected a port number, found \"\"");
    unsigned long v = 0;
    for (char c : text) {
        if (c < '0' || c > '9') return fail(err, off, "expected a port number, found " + quote_for_message(text, '"'));
        if (v <= 65535) v = v * 10 + static_cast<unsigned>(c - '0'); // stop growing once out of range
    }
    if (v < 1 || v > 65535) return fail(err, off, "port " + clip_for_message(text) + " out of range (1-65535)");
    port = static_cast<uint16_t>(v);
    return true;
}

} // namespace

bool parse_listen_value(std::string_view text, ListenAddr &out, ListenValueError &err) {
    size_t colon = text.find(':');
    std::string_view proto = text.substr(0, colon);
    if (proto != "udp") return fail(err, 0, "expected udp, found " + quote_for_message(proto, '\''));
    if (colon == std::string_view::npos) return fail(err, text.size(), "expected ':', found end of value");

    size_t p = colon + 1;
    std::string_view rest = text.substr(p);
    std::string_view port_text;
    size_t port_off = 0;
    bool has_port = false;
    if (!rest.empty() && rest[0] == '[') {
        size_t close = rest.find(']');
        if (close == std::string_view::npos) return fail(err, text.size(), "expected ']', found end of value");
        std::string_view ip = rest.substr(1, close - 1);
        if (!valid_ip(AF_INET6, ip))
            return fail(err, p + 1, "expected an IP address, found " + quote_for_message(ip, '"'));
        out.ip = std::string(ip);
        out.family = AF_INET6;
        std::string_view after = rest.substr(close + 1);
        if (!after.empty()) {
            if (after[0] != ':')
                return fail(err, p + close + 1, "expected ':', found " + quote_for_message(after, '\''));
            has_port = true;
            port_text = after.substr(1);
            port_off = p + close + 2;
        }
    } else {
        size_t c2 = rest.find(':');
        std::string_view ip = rest.substr(0, c2);
        if (!valid_ip(AF_INET, ip)) {
            std::string msg = "expected an IP address, found " + quote_for_message(ip, '"');
            // A bare IPv6 address splits at its first ':'; say what to write instead.
            if (c2 != std::string_view::npos && rest.find(':', c2 + 1) != std::string_view::npos)
                msg += " (write IPv6 addresses in brackets: udp:[::1]:5060)";
            return fail(err, p, msg);
        }
        out.ip = std::string(ip);
        out.family = AF_INET;
        if (c2 != std::string_view::npos) {
            has_port = true;
            port_text = rest.substr(c2 + 1);
            port_off = p + c2 + 1;
        }
    }
    out.proto = std::string(proto);
    out.port = 5060;
    if (has_port && !parse_port(port_text, port_off, out.port, err)) return false;
    return true;
}

} // namespace sipnat::config
