// Stateless replies (sl_send_reply): a response built from a request, and where it goes.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "local.h"
#include "message.h"

namespace sipnat::sip {

struct ReplyOptions {
    // Send to the source port even without rport in the top Via (like Kamailio's force_rport()).
    bool force_rport = false;
};

// Builds a response to request m (RFC 3261 §8.2.6): "SIP/2.0 <code> <reason>", every Via line as
// received with received/rport applied to the top one (as when forwarding), the From, To, Call-ID
// and CSeq lines as received (names as written), ";tag=<stateless_to_tag>" added to To when it has
// none and code > 100, then `extra_headers` (full lines; CRLF added) and "Content-Length: 0".
std::string build_reply(const Message &m, int code, std::string_view reason, const Endpoint &src,
                        std::span<const std::string_view> extra_headers = {});

// Where a stateless reply to m goes: the source IP (that is the top Via's "received"), at the source
// port when the top Via has rport (RFC 3581) or force_rport, else at the sent-by port (default 5060),
// as RFC 3261 §18.2.2 says for unreliable transports. Without a usable Via: the source address.
Destination reply_destination(const Message &m, const Endpoint &src, const ReplyOptions &opt = {});

// True when m is an ACK whose To tag is the one build_reply() gave a reply to the INVITE it acks:
// the ACK of our own stateless negative reply, which a stateless proxy absorbs instead of forwarding.
bool acks_own_reply(const Message &m);

}  // namespace sipnat::sip
