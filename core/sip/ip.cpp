#include "ip.h"

#include <cstring>

#include "strutil.h"

namespace sipnat::sip {

namespace {

bool parse_v4(std::string_view s, uint8_t out[4]) {
    int part = 0;
    size_t i = 0;
    while (part < 4) {
        if (i >= s.size() || !is_digit(s[i])) return false;
        unsigned v = 0;
        size_t digits = 0;
        while (i < s.size() && is_digit(s[i])) {
            v = v * 10 + static_cast<unsigned>(s[i] - '0');
            if (++digits > 3 || v > 255) return false;
            ++i;
        }
        out[part++] = static_cast<uint8_t>(v);
        if (part < 4) {
            if (i >= s.size() || s[i] != '.') return false;
            ++i;
        }
    }
    return i == s.size();
}

int hexval(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    c = ascii_lower(c);
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

bool parse_v6(std::string_view s, uint8_t out[16]) {
    uint16_t words[8] = {};
    int n = 0;           // words written
    int gap = -1;        // index in words where "::" stood
    size_t i = 0;
    if (s.size() >= 2 && s[0] == ':' && s[1] == ':') {
        gap = 0;
        i = 2;
        if (i == s.size()) goto done;
    } else if (!s.empty() && s[0] == ':') {
        return false;
    }
    while (i < s.size()) {
        if (n >= 8) return false;
        // An IPv4 tail takes the last two words.
        size_t j = i;
        while (j < s.size() && s[j] != ':' && s[j] != '.') ++j;
        if (j < s.size() && s[j] == '.') {
            uint8_t v4[4];
            if (n > 6 || !parse_v4(s.substr(i), v4)) return false;
            words[n++] = static_cast<uint16_t>(v4[0] << 8 | v4[1]);
            words[n++] = static_cast<uint16_t>(v4[2] << 8 | v4[3]);
            i = s.size();
            break;
        }
        if (j == i || j - i > 4) return false;
        unsigned v = 0;
        for (size_t k = i; k < j; ++k) {
            int h = hexval(s[k]);
            if (h < 0) return false;
            v = v << 4 | static_cast<unsigned>(h);
        }
        words[n++] = static_cast<uint16_t>(v);
        i = j;
        if (i == s.size()) break;
        // s[i] == ':'
        if (i + 1 < s.size() && s[i + 1] == ':') {
            if (gap >= 0) return false;
            gap = n;
            i += 2;
            if (i == s.size()) break;
        } else {
            ++i;
            if (i == s.size()) return false;  // trailing single ':'
        }
    }
done:
    if (gap < 0) {
        if (n != 8) return false;
    } else {
        if (n > 7) return false;
        int tail = n - gap;
        for (int k = 0; k < tail; ++k) words[7 - k] = words[n - 1 - k];
        for (int k = gap; k < 8 - tail; ++k) words[k] = 0;
    }
    for (int k = 0; k < 8; ++k) {
        out[2 * k] = static_cast<uint8_t>(words[k] >> 8);
        out[2 * k + 1] = static_cast<uint8_t>(words[k] & 0xff);
    }
    return true;
}

}  // namespace

std::string_view strip_brackets(std::string_view s) {
    if (s.size() >= 2 && s.front() == '[' && s.back() == ']') return s.substr(1, s.size() - 2);
    return s;
}

bool parse_ip(std::string_view s, IpAddr *out) {
    IpAddr a;
    bool bracketed = s.size() >= 2 && s.front() == '[' && s.back() == ']';
    s = strip_brackets(s);
    if (s.empty() || s.size() > 45) return false;
    if (!bracketed && parse_v4(s, a.bytes)) {
        a.v6 = false;
    } else if (parse_v6(s, a.bytes)) {
        a.v6 = true;
    } else {
        return false;
    }
    *out = a;
    return true;
}

bool same_ip(std::string_view a, std::string_view b) {
    IpAddr x, y;
    if (!parse_ip(a, &x) || !parse_ip(b, &y) || x.v6 != y.v6) return false;
    return std::memcmp(x.bytes, y.bytes, x.v6 ? 16 : 4) == 0;
}

bool same_host(std::string_view a, std::string_view b) {
    IpAddr x, y;
    bool ax = parse_ip(a, &x), by = parse_ip(b, &y);
    if (ax != by) return false;
    if (ax) return x.v6 == y.v6 && std::memcmp(x.bytes, y.bytes, x.v6 ? 16 : 4) == 0;
    // Host names: case-insensitive; a trailing dot (FQDN form) is the same name.
    if (!a.empty() && a.back() == '.') a.remove_suffix(1);
    if (!b.empty() && b.back() == '.') b.remove_suffix(1);
    return !a.empty() && iequals(a, b);
}

}  // namespace sipnat::sip
