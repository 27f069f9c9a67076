#include "pvar.h"

#include "uri.h"

namespace sipnat::sip {

namespace {

bool nonempty(std::string_view v, std::string_view *out) {
    if (v.empty()) return false;
    *out = v;
    return true;
}

// user ('U') or host ('d') of a URI.
bool uri_part(std::string_view uri, char part, std::string_view *out) {
    Uri u;
    if (!parse_uri(uri, &u)) return false;
    return nonempty(part == 'U' ? u.user : u.host, out);
}

}  // namespace

bool pvar_get(const Message &m, std::string_view name, std::string_view *out) {
    if (name.size() != 3 || name[0] != '$') return false;
    const char a = name[1], b = name[2];
    switch (a) {
        case 'r':
            switch (b) {
                case 'u': return nonempty(m.ruri(), out);
                case 'U': return uri_part(m.ruri(), 'U', out);
                case 'd': return uri_part(m.ruri(), 'd', out);
                case 'p': {
                    Uri u;
                    if (!m.ruri_parsed(&u) || !u.sip) return false;
                    *out = !u.port.empty() ? u.port : (u.secure ? std::string_view("5061") : std::string_view("5060"));
                    return true;
                }
                case 'm': return nonempty(m.method(), out);
                case 's': return nonempty(m.status_text(), out);
                case 'r':
                    if (m.is_request()) return false;
                    *out = m.reason();
                    return true;
                default: return false;
            }
        case 'f':
            switch (b) {
                case 'u': return nonempty(m.from_uri(), out);
                case 'U': return uri_part(m.from_uri(), 'U', out);
                case 'd': return uri_part(m.from_uri(), 'd', out);
                case 't': return nonempty(m.from_tag(), out);
                default: return false;
            }
        case 't':
            switch (b) {
                case 'u': return nonempty(m.to_uri(), out);
                case 'U': return uri_part(m.to_uri(), 'U', out);
                case 'd': return uri_part(m.to_uri(), 'd', out);
                case 't': return nonempty(m.to_tag(), out);
                default: return false;
            }
        case 'c':
            if (b == 'i') return nonempty(m.call_id(), out);
            if (b == 's') return nonempty(m.cseq_num_text(), out);
            return false;
        case 'u':
            if (b == 'a') return nonempty(m.user_agent(), out);
            return false;
        default: return false;
    }
}

}  // namespace sipnat::sip
