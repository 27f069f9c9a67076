#include "via.h"

#include "ip.h"
#include "strutil.h"

namespace sipnat::sip {

namespace {

constexpr size_t npos = std::string_view::npos;

size_t skip_lws(std::string_view s, size_t i) {
    while (i < s.size() && is_lws(s[i])) ++i;
    return i;
}

bool token_char(char c) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c)) return true;
    switch (c) {
        case '-': case '.': case '!': case '%': case '*': case '_': case '+': case '`': case '\'': case '~':
            return true;
        default:
            return false;
    }
}

size_t scan_token(std::string_view s, size_t i) {
    while (i < s.size() && token_char(s[i])) ++i;
    return i;
}

}  // namespace

bool parse_via(std::string_view s, size_t pos, Via *out, size_t *next) {
    Via v;
    size_t i = skip_lws(s, pos);
    v.begin = i;
    // sent-protocol: name SLASH version SLASH transport, LWS allowed around the slashes.
    size_t e = scan_token(s, i);
    if (e == i) return false;
    for (int k = 0; k < 2; ++k) {
        size_t j = skip_lws(s, e);
        if (j >= s.size() || s[j] != '/') return false;
        j = skip_lws(s, j + 1);
        e = scan_token(s, j);
        if (e == j) return false;
        if (k == 1) v.transport = s.substr(j, e - j);
    }
    v.protocol = s.substr(i, e - i);
    // LWS is mandatory between sent-protocol and sent-by.
    i = skip_lws(s, e);
    if (i == e || i >= s.size()) return false;
    // sent-by: host [":" port]
    size_t hb = i;
    if (s[i] == '[') {
        size_t close = s.find(']', i);
        if (close == npos) return false;
        i = close + 1;
    } else {
        i = scan_token(s, i);  // host names and IPv4 are token characters
    }
    if (i == hb) return false;
    v.host = s.substr(hb, i - hb);
    size_t j = skip_lws(s, i);
    if (j < s.size() && s[j] == ':') {
        j = skip_lws(s, j + 1);
        size_t pb = j;
        while (j < s.size() && is_digit(s[j])) ++j;
        v.port = s.substr(pb, j - pb);
        uint64_t p = 0;
        if (!parse_uint(v.port, 65535, &p)) return false;
        v.port_num = static_cast<uint16_t>(p);
        i = j;
    }
    v.sent_by_end = i;
    v.end = i;
    // via-params
    for (;;) {
        j = skip_lws(s, i);
        if (j >= s.size() || s[j] == ',') {
            *next = j >= s.size() ? s.size() : j + 1;
            break;
        }
        if (s[j] != ';') return false;
        j = skip_lws(s, j + 1);
        size_t nb = j;
        j = scan_token(s, j);
        if (j == nb) return false;
        std::string_view name = s.substr(nb, j - nb);
        size_t name_end = j;
        std::string_view value;
        size_t value_at = name_end;
        bool has_value = false;
        size_t k = skip_lws(s, j);
        if (k < s.size() && s[k] == '=') {
            k = skip_lws(s, k + 1);
            size_t vb = k;
            if (k < s.size() && s[k] == '"') {
                for (++k; k < s.size() && s[k] != '"'; ++k)
                    if (s[k] == '\\') ++k;
                if (k >= s.size()) return false;
                ++k;
            } else {
                // token, IPv4, IPv6 (received=2001:db8::1) or [IPv6]
                while (k < s.size() && (token_char(s[k]) || s[k] == ':' || s[k] == '[' || s[k] == ']')) ++k;
            }
            value = s.substr(vb, k - vb);
            value_at = vb;
            has_value = true;
            j = k;
        }
        if (iequals(name, "branch")) {
            v.branch = value;
            v.has_branch = true;
        } else if (iequals(name, "received")) {
            v.received = value;
            v.has_received = true;
            v.received_eq = has_value;
            v.received_value = value_at;
        } else if (iequals(name, "rport")) {
            v.rport = value;
            v.has_rport = true;
            v.rport_eq = has_value;
            v.rport_value = value_at;
        } else if (iequals(name, "maddr")) {
            v.maddr = value;
        }
        v.end = j;
        i = j;
    }
    *out = v;
    return true;
}

void via_received_rport(const Via &v, size_t base, std::string_view src_ip, uint16_t src_port, PatchList *out) {
    src_ip = strip_brackets(src_ip);
    if (src_ip.empty()) return;
    // rport first: when it is the last param, its value and our received share one offset.
    if (v.has_rport && v.rport.empty()) {
        std::string t;
        if (!v.rport_eq) t.push_back('=');
        append_uint(t, src_port);
        out->add(v.rport_value - base, 0, t);
    }
    const bool need = v.has_rport || !same_ip(v.host, src_ip);
    if (!need) return;
    if (v.has_received) {
        if (v.received_eq) {
            if (v.received == src_ip) return;
            if (v.received.empty())
                out->add(v.received_value - base, 0, src_ip);
            else
                out->add(v.received_value - base, v.received.size(), src_ip);
        } else {
            std::string t = "=";
            t.append(src_ip);
            out->add(v.received_value - base, 0, t);
        }
        return;
    }
    std::string t = ";received=";
    t.append(src_ip);
    out->add(v.end - base, 0, t);
}

}  // namespace sipnat::sip
