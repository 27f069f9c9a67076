#include "addr_param.h"

#include <arpa/inet.h>
#include <cstdlib>

namespace sipnat::stunmod {

namespace {

std::string trim(const std::string &s) {
    size_t b = s.find_first_not_of(" \t");
    if (b == std::string::npos) return "";
    size_t e = s.find_last_not_of(" \t");
    return s.substr(b, e - b + 1);
}

// Splits "a / b" at its one '/'; b empty when there is none. False for more than one '/'.
bool split(const std::string &text, std::string *a, std::string *b) {
    size_t slash = text.find('/');
    if (slash != std::string::npos && text.find('/', slash + 1) != std::string::npos) return false;
    *a = trim(text.substr(0, slash));
    *b = slash == std::string::npos ? "" : trim(text.substr(slash + 1));
    return !a->empty() && (slash == std::string::npos || !b->empty());
}

bool is_ip(const std::string &s) {
    unsigned char buf[16];
    return inet_pton(AF_INET, s.c_str(), buf) == 1 || inet_pton(AF_INET6, s.c_str(), buf) == 1;
}

bool is_port(const std::string &s, uint16_t *out) {
    if (s.empty() || s.size() > 5 || s.find_first_not_of("0123456789") != std::string::npos) return false;
    long v = std::strtol(s.c_str(), nullptr, 10);
    if (v < 1 || v > 65535) return false;
    *out = static_cast<uint16_t>(v);
    return true;
}

} // namespace

bool parse_ip_param(const std::string &text, IpParam *out, std::string *err) {
    std::string a, b;
    if (!split(text, &a, &b)) {
        *err = "expected \"ip [/ advertised_ip]\", found \"" + text + "\"";
        return false;
    }
    if (!is_ip(a) || (!b.empty() && !is_ip(b))) {
        *err = "\"" + (is_ip(a) ? b : a) + "\" is not a numeric IP address";
        return false;
    }
    out->ip = a;
    out->advertised = b;
    out->set = true;
    return true;
}

bool parse_port_param(const std::string &text, PortParam *out, std::string *err) {
    std::string a, b;
    if (!split(text, &a, &b)) {
        *err = "expected \"port [/ advertised_port]\", found \"" + text + "\"";
        return false;
    }
    PortParam p;
    if (!is_port(a, &p.port) || (!b.empty() && !is_port(b, &p.advertised))) {
        *err = "port \"" + (is_port(a, &p.port) ? b : a) + "\" is out of range (1-65535)";
        return false;
    }
    *out = p;
    return true;
}

} // namespace sipnat::stunmod
