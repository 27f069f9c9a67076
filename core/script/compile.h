// Route-script compiler: config AST -> Program. Resolves every name, runs each
// call site's fixup once, and checks route-type masks through sub-route calls.
#pragma once

#include <string>

#include <sipnat/module.h>

#include "config/ast.h"
#include "program.h"

namespace sipnat::script {

// Resolves function names at compile time: the host gives its built-in core functions first, then modules'.
class FunctionResolver {
public:
    virtual ~FunctionResolver() = default;
    // The export for `name`, or nullptr if unknown. `owner` names the module for error messages ("core" for
    // built-ins).
    virtual const sipnat_func_export *find(const std::string &name, std::string *owner) const = 0;
};

// `xlog` is the interpreter's own and is never looked up in `fr` (a module export of that name is shadowed).
// Compiles every route block once. Runs each call site's fixup (with its literal args, ints as decimal
// strings; a pseudo-variable argument is passed as its text, e.g. "$avp(x)"). False + *err "file:line:col:
// message" on error; `out` is then empty (fixups that already ran are freed).
bool compile(const config::Config &cfg, const FunctionResolver &fr, const sipnat_host *host, Program &out,
             std::string *err);

} // namespace sipnat::script
