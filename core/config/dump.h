// Compact S-expression rendering of parsed scripts, for tests and debug output.
#pragma once

#include <string>

#include "ast.h"

namespace sipnat::config {

// Renders an expression: 42, "s", $avp(x), (kw method), (call f "a" 1),
// (! e), (&& a b c), (|| a b), (== a b).
std::string to_sexpr(const Expr &e);
// Renders a statement: (call f), (if c (then ...) (else ...)), (= $var(x) e),
// (route name), (route), (return), (return -1), (exit), (drop).
std::string to_sexpr(const Stmt &s);
// Renders a block: (route[foo] stmt...).
std::string to_sexpr(const RouteBlock &b);

} // namespace sipnat::config
