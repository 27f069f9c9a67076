// The libosip2 syntax gate: one full osip parse of a request's header section, result yes/no.
#pragma once

#include <string_view>

namespace sipnat::sip {

// Initialises libosip2's process-wide parser tables once (thread-safe) and silences its trace
// output, which would otherwise print attacker-controlled text for every malformed datagram.
void osip_init_once();

// True when libosip2 parses `head` (start line + header lines + blank line) as a SIP message.
// Callers pass the header section only, so osip never judges the body (see message.cpp).
bool osip_accepts(std::string_view head);

}  // namespace sipnat::sip
