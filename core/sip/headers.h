// Header names: canonical ids for the headers the proxy cares about, compact forms included.
#pragma once

#include <cstdint>
#include <string_view>

namespace sipnat::sip {

enum class HeaderId : uint8_t {
    Other = 0,  // any header without an id: matched by name, case-insensitively
    Via,
    From,
    To,
    CallId,
    CSeq,
    MaxForwards,
    Contact,
    ContentLength,
    ContentType,
    ContentEncoding,
    Route,
    RecordRoute,
    ProxyRequire,
    Require,
    Supported,
    Unsupported,
    Subject,
    Event,
    ReferTo,
    ReferredBy,
    AllowEvents,
    SessionExpires,
    UserAgent,
    Server,
    Expires,
    ProxyAuthorization,
    Authorization,
};

// Returns the id of a header name as written (case-insensitive; compact forms such as "v" map to Via).
HeaderId header_id(std::string_view name);

// Returns the canonical long name of an id ("Via", "Call-ID", ...); "" for Other.
std::string_view header_name(HeaderId id);

}  // namespace sipnat::sip
