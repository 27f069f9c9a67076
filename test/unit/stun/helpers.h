// Small helpers shared by the stun unit tests.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "stun/address.h"
#include "stun/message.h"

namespace stun_test {

using Bytes = std::vector<uint8_t>;

// Hex digits to bytes; spaces and newlines are skipped.
inline Bytes hex(std::string_view s) {
    Bytes out;
    int hi = -1;
    for (char c : s) {
        int v;
        if (c >= '0' && c <= '9')
            v = c - '0';
        else if (c >= 'a' && c <= 'f')
            v = c - 'a' + 10;
        else if (c >= 'A' && c <= 'F')
            v = c - 'A' + 10;
        else
            continue;
        if (hi < 0) {
            hi = v;
        } else {
            out.push_back(static_cast<uint8_t>(hi << 4 | v));
            hi = -1;
        }
    }
    return out;
}

// The address parsed from text (test input is always valid).
inline sipnat::stun::Address addr(std::string_view text) {
    sipnat::stun::Address a;
    sipnat::stun::parse_address(text, &a);
    return a;
}

// A transaction id from 16 hex-encoded bytes.
inline sipnat::stun::TransactionId tid_hex(std::string_view s) {
    sipnat::stun::TransactionId t;
    Bytes b = hex(s);
    for (size_t i = 0; i < t.bytes.size() && i < b.size(); ++i) t.bytes[i] = b[i];
    return t;
}

// Copies the first n bytes of v into an exactly-sized heap block, so ASan catches any read past n.
inline std::vector<uint8_t> exact(const uint8_t *p, size_t n) {
    return std::vector<uint8_t>(p, p + n);
}

} // namespace stun_test
