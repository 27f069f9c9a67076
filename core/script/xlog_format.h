// xlog() format strings, compiled once into literal and pseudo-variable
// segments so logging a line at run time is a few appends.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "pvar.h"

namespace sipnat::script {

// One piece of a format: literal text, or a pseudo-variable whose value is printed.
struct XlogSegment {
    bool is_pv = false;
    std::string lit; // !is_pv
    PvRef pv;        // is_pv
};

struct XlogFormat {
    std::vector<XlogSegment> segs;
};

// Compiles `fmt`: "$name" / "$name(arg)" become pseudo-variable segments ('$' not followed by a
// letter or '_' is literal); one trailing '\n' is dropped since the logger ends lines itself.
// False with *err (no position) on an unknown or malformed pseudo-variable.
bool compile_xlog_format(std::string_view fmt, VarTable &vars, XlogFormat *out, std::string *err);

// Maps an xlog level name ("L_ERR", "L_WARN", "L_NOTICE", "L_INFO", "L_DBG"; also OpenSIPS'
// "L_ALERT" and "L_CRIT", logged as errors) to SIPNAT_L_*. False for anything else.
bool xlog_level(std::string_view name, int *level);

} // namespace sipnat::script
