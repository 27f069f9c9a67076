// Script pseudo-variables that read the message, as views into it.
#pragma once

#include <string_view>

#include "message.h"

namespace sipnat::sip {

// Sets *out to the value of a message pseudo-variable and returns true; false when `name` is not
// one of these or the message lacks that part:
//   $ru R-URI (current)   $rU its user    $rd its host (IPv6 in [])   $rp its port (5060/5061 when
//   absent, as Kamailio)  $rm method      $fu From URI  $fU its user  $fd its host
//   $tu To URI  $tU its user  $td its host  $ft From tag  $tt To tag  $ci Call-ID  $cs CSeq number
//   $ua User-Agent        $rs reply status code   $rr reply reason phrase
bool pvar_get(const Message &m, std::string_view name, std::string_view *out);

}  // namespace sipnat::sip
