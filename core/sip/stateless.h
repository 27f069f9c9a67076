// Stateless proxy planning (RFC 3261 §16.4, §16.6, §16.11, RFC 3581): what to send where, computed
// from a message without sockets. The message is not changed: the forwarding edits are patches
// applied on top of the script's own edits when the datagram is built, so planning twice is safe.
#pragma once

#include <string>
#include <string_view>

#include "local.h"
#include "message.h"

namespace sipnat::sip {

enum class Action {
    Forward,  // send `data` to `dst`
    Reply,    // send `data` (our response, status `code`) to `dst`
    Drop,     // nothing to send; `reason` says why
};

struct Outcome {
    Action action = Action::Drop;
    Destination dst;
    std::string data;
    int code = 0;            // Reply: the status we answer with
    std::string reason;      // Reply: its reason phrase; Drop: why (for the log)
    bool to_self = false;    // Forward: dst is one of our own names (a loop unless meant)
};

struct ForwardOptions {
    bool route = true;  // apply §16.4 Route/R-URI processing (off: Routes left alone)
};

// Plans forwarding request m received from `src`, leaving through `out`:
//  - top Via: received/rport per RFC 3581 (see via_received_rport);
//  - Max-Forwards: decremented in place; added as 70 when absent; 0 gives a 483 Reply;
//  - §16.4: when the Request-URI names us and there are Routes, the last Route becomes the
//    Request-URI and is removed; then leading Route values naming us are removed (one Route
//    value at a time: other values in the same header line stay);
//  - next hop: the first remaining Route if it has ;lr; if it lacks ;lr (strict router, §16.6
//    step 6) the Request-URI goes to the end of the Route set and that Route becomes the
//    Request-URI; with no Route, the Request-URI. maddr overrides the host; the port defaults to
//    5060 (5061 for sips);
//  - our Via "Via: SIP/2.0/UDP <host>:<port>;branch=<stateless_branch>" before the first Via line.
// Drop when there is no usable Via, the target is not a sip/sips URI, or m is the ACK of a reply
// we sent ourselves (acks_own_reply: we were its UAS); Reply 400 for a bad Route or Max-Forwards.
Outcome forward_request(const Message &m, const Endpoint &src, const LocalSocket &out, const LocalNames &names,
                        const ForwardOptions &opt = {});

// As forward_request, but the datagram goes to `hostport` ("host", "host:port", "[v6]:port" or a
// sip/sips URI; port defaults to 5060). Drop when hostport is unparsable.
Outcome forward_request_to(const Message &m, std::string_view hostport, const Endpoint &src, const LocalSocket &out,
                           const LocalNames &names, const ForwardOptions &opt = {});

// Plans forwarding reply m (§16.7 step 3, §18.2.2): the top Via must be ours (its sent-by is in
// `names`) and is removed (just that value when the line holds several); the reply goes to the
// next Via's received (else sent-by host) at its numeric rport (else sent-by port, default 5060).
// Drop when the top Via is not ours, there is no next Via, or the reply is defective.
Outcome forward_reply(const Message &m, const LocalNames &names);

}  // namespace sipnat::sip
