// Config file parser: text -> Config (ast.h). OpenSIPS-style dialect; the
// first error stops parsing. Top level (';' after items optional):
//
//   listen = udp:IP[:PORT]        IPv4 or [IPv6], port 1..65535 (default 5060)
//   children = N (1..1024)   log_level = N (1..5)   mpath = "dir"
//   alias = host[:port] | "host[:port]"
//   loadmodule "path.so"
//   modparam("module", "param", "string" | integer)
//   route [ '[' NAME ']' ] { ... }       onreply_route [ '[' NAME ']' ] { ... }
//   failure_route '[' NAME ']' { ... }   branch_route '[' NAME ']' { ... }
//
// Block bodies: see the grammar at the top of parse_script.cpp. Comments are
// '#' to end of line and '/* ... */'. Messages read "expected X, found Y".
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "ast.h"

namespace sipnat::config {

struct ConfigError {
    std::string file;
    int line = 0, col = 0; // 0:0 when the error is about the whole file (cannot open, too large)
    std::string message;   // "expected ')', found ';'", "port 70000 out of range (1-65535)", ...
    // Returns "file:line:col: message", or "file: message" when line is 0.
    std::string str() const;
};

// Largest config accepted, so positions fit in int and a stray huge file fails fast.
inline constexpr size_t kMaxConfigBytes = 16u << 20;

// Reads and parses the file at `path`. On success fills `out` and returns true;
// on failure fills `err` (e.g. "path: cannot open: No such file or directory")
// and leaves `out` untouched.
bool parse_config_file(const std::string &path, Config &out, ConfigError &err);

// Parses `text`, naming it `filename` in positions and errors. On success fills
// `out` and returns true; on failure fills `err` and leaves `out` untouched.
// Any byte sequence is safe: it never crashes, hangs or recurses unboundedly.
bool parse_config_string(std::string_view text, const std::string &filename, Config &out, ConfigError &err);

} // namespace sipnat::config
