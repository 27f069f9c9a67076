// Via header values (RFC 3261 §20.42, RFC 3581): one via-parm at a time, with the offsets edits need.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "patch.h"

namespace sipnat::sip {

// One via-parm. Offsets are relative to the text given to parse_via (add the header's value offset).
struct Via {
    std::string_view protocol;   // "SIP/2.0/UDP" as written (may contain LWS around '/')
    std::string_view transport;  // "UDP", "TCP", ...
    std::string_view host;       // sent-by host as written (IPv6 keeps [])
    std::string_view port;       // sent-by port digits, "" when absent
    uint16_t port_num = 0;       // 0 when absent
    std::string_view branch;     // "" when absent
    std::string_view received;   // value, "" when absent
    std::string_view rport;      // value, "" when absent or empty
    std::string_view maddr;      // value, "" when absent
    bool has_branch = false;
    bool has_received = false;
    bool has_rport = false;
    size_t begin = 0;            // first byte of this via-parm
    size_t end = 0;              // just past its last param (before LWS / comma)
    size_t sent_by_end = 0;      // just past sent-by (where params begin)
    bool received_eq = false;    // "received" was followed by '=' (else a bare flag)
    bool rport_eq = false;       // "rport" was followed by '='
    size_t received_value = 0;   // where the received value is, or (no '=') just past the name
    size_t rport_value = 0;      // where the rport value is, or (no '=') just past the name
};

// Parses the via-parm starting at or after pos in s; *next is set past the following comma, or to
// s.size() when this is the last one. False on bad syntax.
bool parse_via(std::string_view s, size_t pos, Via *out, size_t *next);

// Adds the RFC 3261 §18.2.1 / RFC 3581 edits of a received via-parm to *out, offsets minus `base`:
// received=<src_ip> when the sent-by host is not src_ip or when rport is present (an existing
// received value is replaced), and rport=<src_port> when rport is there without a value. Only the
// parameter bytes change. IPv6 goes into received without [] (RFC 3261 grammar).
void via_received_rport(const Via &v, size_t base, std::string_view src_ip, uint16_t src_port, PatchList *out);

}  // namespace sipnat::sip
