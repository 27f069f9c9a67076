// Stateless identifiers derived from a request (RFC 3261 §16.11): our Via branch and a To-tag.
//
// Both are SHA-1 (libcrypto, digest object fetched once, one context per thread, so no lock or
// allocation per message) over, length-prefixed:
//   the top Via's branch and sent-by as received, the Request-URI as received, Call-ID, From tag,
//   CSeq number, and, when the top branch lacks the RFC 3261 magic cookie, the whole top via-parm.
// Deliberately NOT hashed: the method, so a CANCEL and the ACK for a non-2xx response get the
// INVITE's branch (§16.11: downstream matches them to the INVITE's transaction by branch); and the
// To tag, because that ACK carries the tag of the response while the INVITE had none. A UA that
// reuses one branch for different requests still gets distinct branches through the CSeq number.
// Retransmissions are byte-identical in these fields, so they get the same values.
#pragma once

#include <string>

#include "message.h"

namespace sipnat::sip {

// Returns the branch for the Via we add: "z9hG4bK" + 32 lower-case hex digits.
std::string stateless_branch(const Message &m);

// Returns a To-tag for a stateless reply to m: 16 hex digits, the same for retransmissions and for
// the ACK of that reply (so acks_own_reply() can recognise it).
std::string stateless_to_tag(const Message &m);

}  // namespace sipnat::sip
