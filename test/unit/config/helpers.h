// Shared helpers for the config parser tests.
#pragma once

#include <catch2/catch.hpp>
#include <string>
#include <string_view>

#include "config/ast.h"
#include "config/dump.h"
#include "config/parser.h"

namespace cfgtest {

using namespace sipnat::config;

// Parses text as "sipnat.cfg"; fails the test with the error if it does not parse.
inline Config parse_ok(std::string_view text) {
    Config cfg;
    ConfigError err;
    bool ok = parse_config_string(text, "sipnat.cfg", cfg, err);
    INFO(err.str());
    REQUIRE(ok);
    return cfg;
}

// Parses text as "sipnat.cfg"; returns "file:line:col: message", or "OK" if it parsed.
inline std::string parse_err(std::string_view text) {
    Config cfg;
    ConfigError err;
    if (parse_config_string(text, "sipnat.cfg", cfg, err)) return "OK";
    return err.str();
}

// Parses `route { <body> }` and returns the main route's statements rendered with to_sexpr, space separated.
inline std::string body_sexpr(std::string_view body) {
    Config cfg = parse_ok("route {\n" + std::string(body) + "\n}\n");
    REQUIRE(cfg.routes.size() == 1);
    std::string out;
    for (const Stmt &s : cfg.routes[0].body) out += (out.empty() ? "" : " ") + to_sexpr(s);
    return out;
}

// Parses `route { if (<expr>) {} }` and returns the condition rendered with to_sexpr.
inline std::string expr_sexpr(std::string_view expr) {
    Config cfg = parse_ok("route { if (" + std::string(expr) + ") {} }");
    REQUIRE(cfg.routes.size() == 1);
    REQUIRE(cfg.routes[0].body.size() == 1);
    return to_sexpr(cfg.routes[0].body[0].expr);
}

} // namespace cfgtest
