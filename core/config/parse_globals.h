// Parser for global settings `name = value` (internal to config_lib).
#pragma once

#include <string_view>

#include "ast.h"
#include "token_stream.h"

namespace sipnat::config {

// Returns whether `name` is a global parameter (listen, children, log_level, mpath, alias).
bool is_global_name(std::string_view name);
// Parses one "name = value [;]" (the next token is the name) into cfg.
void parse_global(TokenStream &ts, Config &cfg);

} // namespace sipnat::config
