// IP address literals in text (IPv4 dotted quad, IPv6 with or without []), compared as bytes.
// Own parser instead of inet_pton so the SIP code stays free of socket headers.
#pragma once

#include <cstdint>
#include <string_view>

namespace sipnat::sip {

struct IpAddr {
    bool v6 = false;     // false: IPv4 in bytes[0..3]
    uint8_t bytes[16] = {};
};

// Parses an IPv4 or IPv6 literal ("[v6]" accepted too); false when s is not one (e.g. a host name).
bool parse_ip(std::string_view s, IpAddr *out);

// True when a and b are both IP literals naming the same address (so "[::1]" equals "0:0::1").
bool same_ip(std::string_view a, std::string_view b);

// True when a and b name the same host: same IP literal, or host names equal ignoring case.
bool same_host(std::string_view a, std::string_view b);

// Returns s without one pair of surrounding [] (IPv6 reference), else s.
std::string_view strip_brackets(std::string_view s);

}  // namespace sipnat::sip
