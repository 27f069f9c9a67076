#include "uri.h"

#include "ip.h"
#include "strutil.h"

namespace sipnat::sip {

namespace {

bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// Scheme per RFC 3986: ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ).
bool scan_scheme(std::string_view s, size_t *colon) {
    if (s.empty() || !is_alpha(s[0])) return false;
    for (size_t i = 1; i < s.size(); ++i) {
        char c = s[i];
        if (c == ':') {
            *colon = i;
            return true;
        }
        if (!is_alpha(c) && !is_digit(c) && c != '+' && c != '-' && c != '.') return false;
    }
    return false;
}

bool parse_port(std::string_view s, uint16_t *out) {
    uint64_t v = 0;
    if (!parse_uint(s, 65535, &v)) return false;
    *out = static_cast<uint16_t>(v);
    return true;
}

// host [":" port] at the start of s; returns the length consumed or 0 on error.
size_t scan_hostport(std::string_view s, std::string_view *host, std::string_view *port, uint16_t *port_num) {
    size_t i = 0;
    if (!s.empty() && s[0] == '[') {
        size_t close = s.find(']');
        if (close == std::string_view::npos) return 0;
        i = close + 1;
    } else {
        while (i < s.size()) {
            char c = s[i];
            if (c == ':' || c == ';' || c == '?' || c == '>' || c == ',' || is_lws(c)) break;
            ++i;
        }
    }
    if (i == 0) return 0;
    *host = s.substr(0, i);
    *port = {};
    *port_num = 0;
    if (i < s.size() && s[i] == ':') {
        size_t b = ++i;
        while (i < s.size() && is_digit(s[i])) ++i;
        *port = s.substr(b, i - b);
        if (!parse_port(*port, port_num)) return 0;
    }
    return i;
}

// Skips a quoted-string starting at s[i] == '"'; returns the offset after the closing quote, npos if unclosed.
size_t skip_quoted(std::string_view s, size_t i) {
    for (++i; i < s.size(); ++i) {
        if (s[i] == '\\') {
            ++i;  // quoted-pair
            continue;
        }
        if (s[i] == '"') return i + 1;
    }
    return std::string_view::npos;
}

size_t skip_lws(std::string_view s, size_t i) {
    while (i < s.size() && is_lws(s[i])) ++i;
    return i;
}

// Scans ";name[=value]" params from i until ',' or the end; sets *end to the end of the last param.
// Returns the offset where scanning stopped, npos on bad syntax.
size_t scan_header_params(std::string_view s, size_t i, size_t *end) {
    for (;;) {
        size_t j = skip_lws(s, i);
        if (j >= s.size() || s[j] == ',') return j;
        if (s[j] != ';') return std::string_view::npos;
        j = skip_lws(s, j + 1);
        size_t nb = j;
        while (j < s.size() && !is_lws(s[j]) && s[j] != '=' && s[j] != ';' && s[j] != ',' && s[j] != '"') ++j;
        if (j == nb) return std::string_view::npos;
        *end = j;
        size_t k = skip_lws(s, j);
        if (k < s.size() && s[k] == '=') {
            k = skip_lws(s, k + 1);
            if (k < s.size() && s[k] == '"') {
                k = skip_quoted(s, k);
                if (k == std::string_view::npos) return k;
            } else {
                size_t vb = k;
                while (k < s.size() && !is_lws(s[k]) && s[k] != ';' && s[k] != ',' && s[k] != '"') ++k;
                if (k == vb) return std::string_view::npos;
            }
            *end = k;
            j = k;
        }
        i = j;
    }
}

}  // namespace

bool find_param(std::string_view params, std::string_view name, std::string_view *value) {
    size_t i = 0;
    while (i < params.size()) {
        // Each param: [;] LWS name LWS [= LWS value]
        while (i < params.size() && (params[i] == ';' || is_lws(params[i]))) ++i;
        size_t nb = i;
        while (i < params.size() && params[i] != '=' && params[i] != ';' && !is_lws(params[i])) ++i;
        std::string_view pname = params.substr(nb, i - nb);
        size_t k = skip_lws(params, i);
        std::string_view pval;
        if (k < params.size() && params[k] == '=') {
            k = skip_lws(params, k + 1);
            size_t vb = k;
            if (k < params.size() && params[k] == '"') {
                size_t q = skip_quoted(params, k);
                k = q == std::string_view::npos ? params.size() : q;
            } else {
                while (k < params.size() && params[k] != ';' && !is_lws(params[k])) ++k;
            }
            pval = params.substr(vb, k - vb);
            i = k;
        }
        if (!pname.empty() && iequals(pname, name)) {
            *value = pval;
            return true;
        }
        if (i == nb) ++i;  // always make progress
    }
    return false;
}

bool parse_uri(std::string_view s, Uri *out) {
    Uri u;
    size_t colon = 0;
    if (!scan_scheme(s, &colon)) return false;
    u.scheme = s.substr(0, colon);
    std::string_view rest = s.substr(colon + 1);
    u.sip = iequals(u.scheme, "sip") || iequals(u.scheme, "sips");
    u.secure = iequals(u.scheme, "sips");
    if (!u.sip) {
        // tel:+123;phone-context=x, urn:..., etc.: number/opaque part then params.
        size_t semi = rest.find(';');
        u.user = rest.substr(0, semi);
        if (semi != std::string_view::npos) u.params = rest.substr(semi);
        if (rest.empty()) return false;
        *out = u;
        return true;
    }
    // userinfo ends at the first '@' (user may hold ';' and '?' per RFC 3261 user-unreserved).
    size_t at = rest.find('@');
    if (at != std::string_view::npos) {
        std::string_view userinfo = rest.substr(0, at);
        size_t pc = userinfo.find(':');
        u.user = userinfo.substr(0, pc);
        if (pc != std::string_view::npos) u.password = userinfo.substr(pc + 1);
        rest = rest.substr(at + 1);
    }
    size_t n = scan_hostport(rest, &u.host, &u.port, &u.port_num);
    if (n == 0) return false;
    rest = rest.substr(n);
    size_t q = rest.find('?');
    std::string_view before_q = rest.substr(0, q);
    if (q != std::string_view::npos) u.headers = rest.substr(q + 1);
    if (!before_q.empty()) {
        if (before_q[0] != ';') return false;
        u.params = before_q;
    }
    for (char c : s)
        if (is_lws(c)) return false;
    *out = u;
    return true;
}

bool parse_name_addr(std::string_view s, size_t pos, NameAddr *out, size_t *next) {
    NameAddr na;
    size_t i = skip_lws(s, pos);
    if (i >= s.size()) return false;
    na.begin = i;
    // Display name: quoted-string, or tokens up to '<'.
    size_t j = i;
    if (s[j] == '"') {
        j = skip_quoted(s, j);
        if (j == std::string_view::npos) return false;
        na.display = s.substr(i, j - i);
        j = skip_lws(s, j);
        if (j >= s.size() || s[j] != '<') return false;
    } else {
        while (j < s.size() && s[j] != '<' && s[j] != ':' && s[j] != ';' && s[j] != ',' && s[j] != '"') ++j;
        if (j < s.size() && s[j] == '<') {
            na.display = trim_lws(s.substr(i, j - i));
        } else {
            j = i;  // addr-spec: no display name
        }
    }
    size_t uri_end;
    if (j < s.size() && s[j] == '<') {
        size_t close = s.find('>', j + 1);
        if (close == std::string_view::npos) return false;
        na.uri = trim_lws(s.substr(j + 1, close - j - 1));
        na.bracketed = true;
        uri_end = close + 1;
    } else {
        // Bare addr-spec: ';' starts header params (RFC 3261 §20.10), ',' the next value.
        size_t k = j;
        while (k < s.size() && s[k] != ';' && s[k] != ',' && !is_lws(s[k])) ++k;
        na.uri = s.substr(j, k - j);
        uri_end = k;
    }
    if (na.uri.empty()) return false;
    size_t pend = uri_end;
    size_t stop = scan_header_params(s, uri_end, &pend);
    if (stop == std::string_view::npos) return false;
    na.end = pend;
    na.params = s.substr(uri_end, pend - uri_end);
    std::string_view tag;
    if (find_param(na.params, "tag", &tag)) {
        na.tag = tag;
        na.has_tag = true;
    }
    *next = stop < s.size() ? stop + 1 : s.size();  // stop is at ',' or the end
    *out = na;
    return true;
}

bool parse_hostport(std::string_view s, std::string_view *host, uint16_t *port) {
    s = trim_lws(s);
    Uri u;
    if ((istarts_with(s, "sip:") || istarts_with(s, "sips:")) && parse_uri(s, &u)) {
        *host = u.host;
        *port = u.port_num;
        return true;
    }
    std::string_view h, p;
    uint16_t pn = 0;
    size_t n = scan_hostport(s, &h, &p, &pn);
    if (n == 0 || n != s.size()) {
        // A bare IPv6 address without [] ("2001:db8::1") is host only.
        IpAddr ip;
        if (parse_ip(s, &ip) && ip.v6) {
            *host = s;
            *port = 0;
            return true;
        }
        return false;
    }
    *host = h;
    *port = pn;
    return true;
}

}  // namespace sipnat::sip
