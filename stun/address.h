// Transport addresses (IPv4/IPv6 + port) and the address attributes: MAPPED-ADDRESS,
// RESPONSE-ADDRESS, SOURCE-ADDRESS, CHANGED-ADDRESS, REFLECTED-FROM, RESPONSE-ORIGIN,
// OTHER-ADDRESS, ALTERNATE-SERVER (plain) and XOR-MAPPED-ADDRESS 0x0020 / 0x8020 (XOR-ed).
//
// Wire value: 0x00, family (0x01 IPv4 / 0x02 IPv6), port, 4 or 16 address bytes (RFC 5389 §15.1).
// XOR form (§15.2): the port is XOR-ed with header bytes 4..5 and the address with header bytes
// 4..7 (IPv4) or 4..19 (IPv6). With a cookie that is the RFC 5389 rule; for an RFC 3489 message it
// is what the pre-RFC drafts that introduced 0x8020 did (XOR with the start of the 128-bit id), so
// one function serves both and needs only the TransactionId.
#pragma once

#include <sys/socket.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "message.h"

namespace sipnat::stun {

// Values are the wire codes.
enum class Family : uint8_t { None = 0, V4 = 0x01, V6 = 0x02 };

struct Address {
    Family family = Family::None;
    uint16_t port = 0;
    std::array<uint8_t, 16> ip{}; // network order; IPv4 uses ip[0..3], the rest stays zero

    // IPv4 a.b.c.d:port.
    static Address v4(uint8_t a, uint8_t b, uint8_t c, uint8_t d, uint16_t port);
    // IPv4 from 4 network-order bytes.
    static Address v4(const uint8_t *bytes, uint16_t port);
    // IPv6 from 16 network-order bytes.
    static Address v6(const uint8_t *bytes, uint16_t port);

    // True unless family is None.
    bool valid() const { return family != Family::None; }
    // 4, 16, or 0 for None.
    size_t ip_len() const { return family == Family::V4 ? 4 : family == Family::V6 ? 16 : 0; }
    // Same family and IP (ports may differ).
    bool same_ip(const Address &o) const;
    // Same family, IP and port.
    bool operator==(const Address &o) const { return same_ip(o) && port == o.port; }
};

// Parses "192.0.2.1:3478", "[2001:db8::1]:3478", or a bare IP (port = default_port). False on
// anything else (not for the hot path: uses inet_pton).
bool parse_address(std::string_view text, Address *out, uint16_t default_port = 0);
// "192.0.2.1:3478" / "[2001:db8::1]:3478"; "-" for None.
std::string to_string(const Address &a);
// Fills *ss and *len for a V4/V6 address; false for None.
bool to_sockaddr(const Address &a, sockaddr_storage *ss, socklen_t *len);
// Reads an AF_INET/AF_INET6 sockaddr (a v4-mapped IPv6 stays IPv6); false for other families.
bool from_sockaddr(const sockaddr *sa, Address *out);

// Appends a plain address attribute of the given type; false for None or when it does not fit.
bool add_address(Writer &w, uint16_t type, const Address &a);
// Appends an XOR-ed address attribute keyed on the transaction id already in w's header.
bool add_xor_address(Writer &w, uint16_t type, const Address &a);
// Reads a plain address value; false unless family is 1 with length 8 or 2 with length 20.
bool decode_address(const Attr &a, Address *out);
// Reads an XOR-ed address value keyed on tid (the message's header bytes 4..19).
bool decode_xor_address(const Attr &a, const TransactionId &tid, Address *out);

} // namespace sipnat::stun
