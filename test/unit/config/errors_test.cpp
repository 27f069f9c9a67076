// Lexical errors surfacing through the parser, and the error object itself.
#include "helpers.h"

using namespace cfgtest;

TEST_CASE("errors: lexical errors stop parsing at their position", "[config][errors]") {
    CHECK(parse_err("children=2\n/* open\n comment") == "sipnat.cfg:2:1: unterminated comment");
    CHECK(parse_err("route {\n  xlog(\"oops);\n}\n") == "sipnat.cfg:2:8: unterminated string");
    CHECK(parse_err("route { $avp(x = 1; }") == "sipnat.cfg:1:9: unterminated pseudo-variable '$avp(x = 1; }'");
    CHECK(parse_err("route { $ = 1; }") == "sipnat.cfg:1:9: expected a pseudo-variable name after '$'");
    CHECK(parse_err("route { f(); @ }") == "sipnat.cfg:1:14: unexpected character '@'");
    CHECK(parse_err(std::string("route { f(); \0 }", 16)) == "sipnat.cfg:1:14: unexpected character '\\x00'");
    CHECK(parse_err("route { f('x'); }") == "sipnat.cfg:1:11: unexpected character '\\''");
    CHECK(parse_err("route { f(12345678901234567890); }") ==
          "sipnat.cfg:1:11: integer 12345678901234567890 out of range");
    // A comment marker inside a string is text.
    Config c = parse_ok("route { xlog(\"# not /* a comment\"); } # real");
    CHECK(c.routes[0].body[0].call.args[0].s == "# not /* a comment");
}

TEST_CASE("errors: only the first error is reported", "[config][errors]") {
    CHECK(parse_err("children=0\nlog_level=9\n") == "sipnat.cfg:1:10: children 0 out of range (1-1024)");
}

TEST_CASE("errors: long and binary text is clipped and escaped in messages", "[config][errors]") {
    std::string name(100, 'a');
    CHECK(parse_err(name + " = 1") ==
          "sipnat.cfg:1:1: expected a global parameter (listen, children, log_level, mpath, alias), found identifier '" +
              std::string(40, 'a') + "...'");
    CHECK(parse_err("loadmodule 5 \"x\"") == "sipnat.cfg:1:12: expected a string, found integer 5");
    CHECK(parse_err("route[a] { f(); }\nroute { \"bad\x01\ttext\"; }") ==
          "sipnat.cfg:2:9: expected a statement, found string \"bad\\x01\\ttext\"");
}

TEST_CASE("errors: ConfigError::str formats", "[config][errors]") {
    ConfigError e{"a.cfg", 3, 18, "expected ')', found ';'"};
    CHECK(e.str() == "a.cfg:3:18: expected ')', found ';'");
    ConfigError whole{"a.cfg", 0, 0, "cannot open: No such file or directory"};
    CHECK(whole.str() == "a.cfg: cannot open: No such file or directory");
    Pos p;
    CHECK(p.str() == "?:0:0");
}

TEST_CASE("errors: output is untouched on failure", "[config][errors]") {
    Config cfg;
    cfg.children = 7;
    ConfigError err;
    CHECK_FALSE(parse_config_string("children=3\nbogus", "x.cfg", cfg, err));
    CHECK(cfg.children == 7);
    CHECK(err.file == "x.cfg");
    CHECK(err.line == 2);
    CHECK(err.col == 1);
}
