// URI and name-addr scanners: views into the text they were given, nothing copied or unescaped.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace sipnat::sip {

// A URI split into parts. For sip/sips every part is filled; for other schemes (tel, urn, ...)
// only scheme, user (tel: the number up to ';') and params are.
struct Uri {
    std::string_view scheme;    // as written ("sip", "SIPS", "tel", ...)
    std::string_view user;      // userinfo's user part as written (escapes kept), "" when none
    std::string_view password;  // "" when none
    std::string_view host;      // as written; IPv6 keeps its []
    std::string_view port;      // digits as written, "" when absent
    uint16_t port_num = 0;      // 0 when absent
    std::string_view params;    // ";a=b;lr" as written (leading ';' kept), "" when none
    std::string_view headers;   // after '?', "" when none
    bool sip = false;           // scheme is sip or sips
    bool secure = false;        // scheme is sips
};

// Parses an absolute URI; sip/sips need a host. False when s is not a URI.
bool parse_uri(std::string_view s, Uri *out);

// Finds parameter `name` (case-insensitive) in ";a=b;c" text; sets *value ("" for a bare flag) and returns true.
bool find_param(std::string_view params, std::string_view name, std::string_view *value);

// One value of From/To/Route/Record-Route/Contact: `display <uri>;params` or `uri;params`.
struct NameAddr {
    std::string_view display;  // as written (quotes kept), "" when none
    std::string_view uri;      // the URI text without <>
    std::string_view params;   // header parameters after the URI (";tag=x"), as written
    std::string_view tag;      // value of the tag parameter, "" when none
    bool has_tag = false;
    bool bracketed = false;    // the URI was inside <>
    size_t begin = 0;          // offset of this value in the scanned text (no leading LWS)
    size_t end = 0;            // offset just past it (no trailing LWS or comma)
};

// Parses the name-addr starting at or after `pos` in s. On success fills *out and sets *next to the
// offset after the separating comma (or s.size() at the end). False on bad syntax or nothing left.
bool parse_name_addr(std::string_view s, size_t pos, NameAddr *out, size_t *next);

// Splits "host", "host:port", "[v6]:port" or a sip/sips URI into host (as written) and port (0 = absent).
bool parse_hostport(std::string_view s, std::string_view *host, uint16_t *port);

}  // namespace sipnat::sip
