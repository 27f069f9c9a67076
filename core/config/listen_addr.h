// Parser for the value of `listen = udp:IP[:PORT]` (internal to config_lib).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "ast.h"

namespace sipnat::config {

struct ListenValueError {
    size_t offset = 0; // byte offset of the bad part inside the value
    std::string message;
};

// Parses `text` ("udp:1.2.3.4", "udp:[::1]:5062") into out's proto/ip/family/port
// (port defaults to 5060; out.pos is left alone). On failure fills err, returns false.
bool parse_listen_value(std::string_view text, ListenAddr &out, ListenValueError &err);

} // namespace sipnat::config
