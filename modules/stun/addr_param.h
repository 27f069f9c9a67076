// Parsing of the stun module's "value [/ advertised_value]" parameters.
#pragma once

#include <cstdint>
#include <string>

namespace sipnat::stunmod {

// "ip [/ advertised_ip]": both numeric IPv4 or IPv6; advertised empty when not given.
struct IpParam {
    std::string ip, advertised;
    bool set = false;
};
// "port [/ advertised_port]": 1..65535; advertised 0 when not given.
struct PortParam {
    uint16_t port = 0, advertised = 0;
};

// Parses an ip param; false with a reason in *err.
bool parse_ip_param(const std::string &text, IpParam *out, std::string *err);
// Parses a port param; false with a reason in *err.
bool parse_port_param(const std::string &text, PortParam *out, std::string *err);

} // namespace sipnat::stunmod
