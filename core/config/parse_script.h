// Parser for route block bodies: statements and expressions (internal to config_lib).
#pragma once

#include <string>
#include <vector>

#include "ast.h"
#include "token_stream.h"

namespace sipnat::config {

// Parses "{ stmt* }" starting at the '{'; returns the statements.
std::vector<Stmt> parse_block(TokenStream &ts);
// Parses a route name (identifier or non-negative integer, integers in
// decimal); does not map "0" to "".
std::string parse_route_name(TokenStream &ts);

} // namespace sipnat::config
