// Small byte-string helpers shared by the SIP scanners (ASCII only, no locale).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace sipnat::sip {

// Returns c lower-cased if it is an ASCII upper-case letter.
constexpr char ascii_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }

// True for SP and HTAB.
constexpr bool is_wsp(char c) { return c == ' ' || c == '\t'; }

// True for SP, HTAB, CR, LF: the bytes that can appear inside folded linear white space.
constexpr bool is_lws(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// True for ASCII digits.
constexpr bool is_digit(char c) { return c >= '0' && c <= '9'; }

// True when a and b are equal ignoring ASCII case.
inline bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i)
        if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
    return true;
}

// True when s starts with prefix, ignoring ASCII case.
inline bool istarts_with(std::string_view s, std::string_view prefix) {
    return s.size() >= prefix.size() && iequals(s.substr(0, prefix.size()), prefix);
}

// Returns s without leading and trailing LWS (SP, HTAB, CR, LF).
inline std::string_view trim_lws(std::string_view s) {
    size_t b = 0, e = s.size();
    while (b < e && is_lws(s[b])) ++b;
    while (e > b && is_lws(s[e - 1])) --e;
    return s.substr(b, e - b);
}

// Parses s (non-empty, digits only, no sign) into *out; false on anything else or a value above max.
inline bool parse_uint(std::string_view s, uint64_t max, uint64_t *out) {
    if (s.empty() || s.size() > 19) return false;  // 19 digits cannot overflow uint64_t
    uint64_t v = 0;
    for (char c : s) {
        if (!is_digit(c)) return false;
        v = v * 10 + static_cast<uint64_t>(c - '0');
    }
    if (v > max) return false;
    *out = v;
    return true;
}

// Appends the decimal form of v to out (any container with push_back/append of chars).
template <class Out>
inline void append_uint(Out &out, uint64_t v) {
    char tmp[20];
    size_t n = 0;
    do {
        tmp[n++] = static_cast<char>('0' + v % 10);
        v /= 10;
    } while (v != 0);
    while (n > 0) out.push_back(tmp[--n]);
}

}  // namespace sipnat::sip
