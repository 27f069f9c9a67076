#include "headers.h"

#include "strutil.h"

namespace sipnat::sip {

namespace {

struct Entry {
    std::string_view name;
    HeaderId id;
};

// Long names; looked up by length first so a miss costs a few compares.
constexpr Entry kLong[] = {
    {"Via", HeaderId::Via},
    {"From", HeaderId::From},
    {"To", HeaderId::To},
    {"Call-ID", HeaderId::CallId},
    {"CSeq", HeaderId::CSeq},
    {"Max-Forwards", HeaderId::MaxForwards},
    {"Contact", HeaderId::Contact},
    {"Content-Length", HeaderId::ContentLength},
    {"Content-Type", HeaderId::ContentType},
    {"Content-Encoding", HeaderId::ContentEncoding},
    {"Route", HeaderId::Route},
    {"Record-Route", HeaderId::RecordRoute},
    {"Proxy-Require", HeaderId::ProxyRequire},
    {"Require", HeaderId::Require},
    {"Supported", HeaderId::Supported},
    {"Unsupported", HeaderId::Unsupported},
    {"Subject", HeaderId::Subject},
    {"Event", HeaderId::Event},
    {"Refer-To", HeaderId::ReferTo},
    {"Referred-By", HeaderId::ReferredBy},
    {"Allow-Events", HeaderId::AllowEvents},
    {"Session-Expires", HeaderId::SessionExpires},
    {"User-Agent", HeaderId::UserAgent},
    {"Server", HeaderId::Server},
    {"Expires", HeaderId::Expires},
    {"Proxy-Authorization", HeaderId::ProxyAuthorization},
    {"Authorization", HeaderId::Authorization},
};

// RFC 3261 §7.3.3 and the extensions' compact forms.
HeaderId compact_id(char c) {
    switch (ascii_lower(c)) {
        case 'i': return HeaderId::CallId;
        case 'm': return HeaderId::Contact;
        case 'f': return HeaderId::From;
        case 't': return HeaderId::To;
        case 'v': return HeaderId::Via;
        case 'l': return HeaderId::ContentLength;
        case 'c': return HeaderId::ContentType;
        case 'k': return HeaderId::Supported;
        case 's': return HeaderId::Subject;
        case 'e': return HeaderId::ContentEncoding;
        case 'o': return HeaderId::Event;
        case 'r': return HeaderId::ReferTo;
        case 'b': return HeaderId::ReferredBy;
        case 'u': return HeaderId::AllowEvents;
        case 'x': return HeaderId::SessionExpires;
        default: return HeaderId::Other;
    }
}

}  // namespace

HeaderId header_id(std::string_view name) {
    if (name.size() == 1) return compact_id(name[0]);
    for (const Entry &e : kLong)
        if (e.name.size() == name.size() && iequals(e.name, name)) return e.id;
    return HeaderId::Other;
}

std::string_view header_name(HeaderId id) {
    for (const Entry &e : kLong)
        if (e.id == id) return e.name;
    return {};
}

}  // namespace sipnat::sip
