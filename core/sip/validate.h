// RFC 3261 §16.3 request validation, run before the script: ok, or the reply to send instead.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "message.h"

namespace sipnat::sip {

struct Verdict {
    int code = 0;              // 0: valid; else the status to reply with
    std::string reason;        // reason phrase for the reply
    std::string extra_header;  // e.g. "Unsupported: foo" (420), "" when none
    // True when the request may proceed.
    bool ok() const { return code == 0; }
};

struct ValidateOptions {
    // Proxy-Require option-tags this proxy supports (none by default: every one gets a 420).
    std::span<const std::string_view> supported = {};
};

// Checks a request in this order: defects from parsing (400), SIP-Version (505), mandatory headers
// Via/From/To/Call-ID/CSeq (400), CSeq (malformed or method differing from the request's: 400),
// Request-URI scheme (only sip/sips route; others 416), Max-Forwards (malformed: 400; 0: 483, also
// for OPTIONS, where RFC 3261 would let a proxy answer itself: one rule is simpler), Proxy-Require
// (420 + Unsupported listing the tags). Replies are always ok (they are checked when forwarded).
Verdict validate_request(const Message &m, const ValidateOptions &opt = {});

}  // namespace sipnat::sip
