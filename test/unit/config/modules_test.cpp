// loadmodule and modparam.
#include "helpers.h"

using namespace cfgtest;

TEST_CASE("modules: loadmodule", "[config][modules]") {
    Config c = parse_ok("loadmodule \"stun.so\"\nloadmodule \"/abs/mediaproxy.so\";\n");
    REQUIRE(c.modules.size() == 2);
    CHECK(c.modules[0].path == "stun.so");
    CHECK(c.modules[0].pos.str() == "sipnat.cfg:1:1");
    CHECK(c.modules[1].path == "/abs/mediaproxy.so");
    CHECK(c.modules[1].pos.line == 2);

    CHECK(parse_err("loadmodule stun.so") == "sipnat.cfg:1:12: expected a string, found identifier 'stun'");
    CHECK(parse_err("loadmodule") == "sipnat.cfg:1:11: expected a string, found end of file");
}

TEST_CASE("modules: modparam keeps value kind and position", "[config][modules]") {
    Config c = parse_ok("modparam(\"stun\", \"primary_ip\", \"192.168.0.100 / 64.50.46.78\")\n"
                        "modparam(\"stun\",\"use_listeners_as_primary\",1)\n"
                        "modparam(\"mediaproxy\", \"mediaproxy_timeout\", 500);\n"
                        "  modparam(\"m\", \"p\", -12)\n"
                        "modparam(\"m\", \"p\", \"\")\n");
    REQUIRE(c.modparams.size() == 5);
    const ModParam &a = c.modparams[0];
    CHECK(a.module == "stun");
    CHECK(a.param == "primary_ip");
    CHECK(a.value.kind == Value::Str);
    CHECK(a.value.s == "192.168.0.100 / 64.50.46.78");
    CHECK(a.value.pos.str() == "sipnat.cfg:1:32");
    CHECK(a.pos.str() == "sipnat.cfg:1:1");

    const ModParam &b = c.modparams[1];
    CHECK(b.param == "use_listeners_as_primary");
    CHECK(b.value.kind == Value::Int);
    CHECK(b.value.i == 1);
    CHECK(b.value.pos.str() == "sipnat.cfg:2:44");

    CHECK(c.modparams[2].value.i == 500);
    CHECK(c.modparams[2].module == "mediaproxy");
    CHECK(c.modparams[3].value.i == -12);
    CHECK(c.modparams[3].pos.str() == "sipnat.cfg:4:3");
    CHECK(c.modparams[4].value.kind == Value::Str);
    CHECK(c.modparams[4].value.s.empty());
}

TEST_CASE("modules: modparam errors", "[config][modules]") {
    CHECK(parse_err("modparam(\"stun\", \"x\", foo)") ==
          "sipnat.cfg:1:23: expected a string or integer, found identifier 'foo'");
    CHECK(parse_err("modparam(\"stun\", \"x\", $si)") ==
          "sipnat.cfg:1:23: expected a string or integer, found pseudo-variable '$si'");
    CHECK(parse_err("modparam(\"stun\" \"x\", 1)") == "sipnat.cfg:1:17: expected ',', found string \"x\"");
    CHECK(parse_err("modparam(stun, \"x\", 1)") == "sipnat.cfg:1:10: expected a string, found identifier 'stun'");
    CHECK(parse_err("modparam(\"stun\", 5, 1)") == "sipnat.cfg:1:18: expected a string, found integer 5");
    CHECK(parse_err("modparam(\"stun\", \"x\", 1;") == "sipnat.cfg:1:24: expected ')', found ';'");
    CHECK(parse_err("modparam(\"stun\", \"x\", 1, 2)") == "sipnat.cfg:1:24: expected ')', found ','");
    CHECK(parse_err("modparam \"stun\"") == "sipnat.cfg:1:10: expected '(', found string \"stun\"");
    CHECK(parse_err("modparam(\"s\", \"x\", 99999999999999999999)") ==
          "sipnat.cfg:1:20: integer 99999999999999999999 out of range");
}
