// Run-time values of script expressions and the conversions between them.
// Values never own text: strings point into the program, a $var, or a
// per-State scratch buffer, so evaluating an expression allocates nothing.
#pragma once

#include <charconv>
#include <string_view>

namespace sipnat::script {

struct Value {
    enum Kind : unsigned char { Null, Int, Str };
    Kind kind = Null;
    long i = 0;         // Int
    std::string_view s; // Str
};

// Parses a whole string as a decimal integer (optional '-', digits, fits a long). False otherwise.
inline bool parse_long(std::string_view s, long &out) {
    if (s.empty()) return false;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out, 10);
    return ec == std::errc() && p == s.data() + s.size();
}

// Returns v as a number: an Int, or a Str holding a decimal integer. False for null and other text.
inline bool as_number(const Value &v, long &out) {
    if (v.kind == Value::Int) {
        out = v.i;
        return true;
    }
    return v.kind == Value::Str && parse_long(v.s, out);
}

// Enough room for any long in decimal, sign included.
inline constexpr size_t kLongChars = 24;

// Writes n in decimal into buf (kLongChars bytes) and returns a view of it.
inline std::string_view long_text(long n, char *buf) {
    auto r = std::to_chars(buf, buf + kLongChars, n);
    return std::string_view(buf, static_cast<size_t>(r.ptr - buf));
}

} // namespace sipnat::script
