// Global settings: listen, children, log_level, mpath, alias.
#include <arpa/inet.h>

#include "helpers.h"

using namespace cfgtest;

TEST_CASE("globals: listen IPv4, IPv6, default port", "[config][globals]") {
    Config c = parse_ok("listen=udp:127.0.0.1:5060\n"
                        "listen = udp:[::1]:5062;\n"
                        "listen=udp:10.0.0.1\n"
                        "listen = udp:[fe80::1:2]\n"
                        "listen = \"udp:192.168.1.1:6000\"\n");
    REQUIRE(c.listen.size() == 5);
    CHECK(c.listen[0].proto == "udp");
    CHECK(c.listen[0].ip == "127.0.0.1");
    CHECK(c.listen[0].family == AF_INET);
    CHECK(c.listen[0].port == 5060);
    CHECK(c.listen[0].pos.str() == "sipnat.cfg:1:8");
    CHECK(c.listen[1].ip == "::1");
    CHECK(c.listen[1].family == AF_INET6);
    CHECK(c.listen[1].port == 5062);
    CHECK(c.listen[1].pos.line == 2);
    CHECK(c.listen[1].pos.col == 10);
    CHECK(c.listen[2].port == 5060);
    CHECK(c.listen[3].ip == "fe80::1:2");
    CHECK(c.listen[3].port == 5060);
    CHECK(c.listen[4].ip == "192.168.1.1");
    CHECK(c.listen[4].port == 6000);
}

TEST_CASE("globals: listen errors point at the bad part", "[config][globals]") {
    CHECK(parse_err("listen=tcp:1.2.3.4:5060") == "sipnat.cfg:1:8: expected udp, found 'tcp'");
    CHECK(parse_err("listen = 1.2.3.4") == "sipnat.cfg:1:10: expected udp, found '1.2.3.4'");
    CHECK(parse_err("listen = udp") == "sipnat.cfg:1:13: expected ':', found end of value");
    CHECK(parse_err("listen = udp:1.2.3:5060") == "sipnat.cfg:1:14: expected an IP address, found \"1.2.3\"");
    CHECK(parse_err("listen = udp:") == "sipnat.cfg:1:14: expected an IP address, found \"\"");
    CHECK(parse_err("listen = udp:host.example.com") ==
          "sipnat.cfg:1:14: expected an IP address, found \"host.example.com\"");
    CHECK(parse_err("listen = udp:::1") == "sipnat.cfg:1:14: expected an IP address, found \"\" "
                                            "(write IPv6 addresses in brackets: udp:[::1]:5060)");
    CHECK(parse_err("listen = udp:[::1:5060") == "sipnat.cfg:1:23: expected ']', found end of value");
    CHECK(parse_err("listen = udp:[::g]:5060") == "sipnat.cfg:1:15: expected an IP address, found \"::g\"");
    CHECK(parse_err("listen = udp:[1.2.3.4]") == "sipnat.cfg:1:15: expected an IP address, found \"1.2.3.4\"");
    CHECK(parse_err("listen = udp:[::1]5060") == "sipnat.cfg:1:19: expected ':', found '5060'");
    CHECK(parse_err("listen=udp:127.0.0.1:70000") == "sipnat.cfg:1:22: port 70000 out of range (1-65535)");
    CHECK(parse_err("listen=udp:127.0.0.1:0") == "sipnat.cfg:1:22: port 0 out of range (1-65535)");
    CHECK(parse_err("listen=udp:127.0.0.1:") == "sipnat.cfg:1:22: expected a port number, found \"\"");
    CHECK(parse_err("listen=udp:127.0.0.1:50x") == "sipnat.cfg:1:22: expected a port number, found \"50x\"");
    CHECK(parse_err("listen=udp:[::1]:99999999999999999999999") ==
          "sipnat.cfg:1:18: port 99999999999999999999999 out of range (1-65535)");
    CHECK(parse_err("\n  listen = \"udp:1.2.3.4:0\"") == "sipnat.cfg:2:25: port 0 out of range (1-65535)");
    CHECK(parse_err("listen = \"udp:\\t1.2.3.4\"") ==
          "sipnat.cfg:1:10: expected an IP address, found \"\\t1.2.3.4\"");
    CHECK(parse_err("listen = ;") == "sipnat.cfg:1:10: expected a listen address (udp:IP[:PORT]), found ';'");
    CHECK(parse_err("listen =") ==
          "sipnat.cfg:1:9: expected a listen address (udp:IP[:PORT]), found end of file");
    CHECK(parse_err("listen udp:1.2.3.4") == "sipnat.cfg:1:8: expected '=', found identifier 'udp'");
}

TEST_CASE("globals: children and log_level", "[config][globals]") {
    Config c = parse_ok("children=2\nlog_level = 3;\n");
    CHECK(c.children == 2);
    CHECK(c.children_pos.str() == "sipnat.cfg:1:10");
    CHECK(c.log_level == 3);
    CHECK(c.log_level_pos.str() == "sipnat.cfg:2:13");
    CHECK(parse_ok("children=1024 log_level=5 log_level=1").log_level == 1); // last one wins

    Config unset = parse_ok("");
    CHECK(unset.children == 0);
    CHECK(unset.log_level == 0);
    CHECK(unset.mpath.empty());

    CHECK(parse_err("children=0") == "sipnat.cfg:1:10: children 0 out of range (1-1024)");
    CHECK(parse_err("children=1025") == "sipnat.cfg:1:10: children 1025 out of range (1-1024)");
    CHECK(parse_err("children=-4") == "sipnat.cfg:1:10: children -4 out of range (1-1024)");
    CHECK(parse_err("children=99999999999999999999999") ==
          "sipnat.cfg:1:10: children 99999999999999999999999 out of range (1-1024)");
    CHECK(parse_err("children=two") == "sipnat.cfg:1:10: expected an integer, found identifier 'two'");
    CHECK(parse_err("children=\"2\"") == "sipnat.cfg:1:10: expected an integer, found string \"2\"");
    CHECK(parse_err("children=2x") == "sipnat.cfg:1:10: expected an integer, found '2x'");
    CHECK(parse_err("log_level=6") == "sipnat.cfg:1:11: log_level 6 out of range (1-5)");
    CHECK(parse_err("log_level=0") == "sipnat.cfg:1:11: log_level 0 out of range (1-5)");
    CHECK(parse_err("log_level=\n}") == "sipnat.cfg:2:1: expected an integer, found '}'");
}

TEST_CASE("globals: mpath and alias", "[config][globals]") {
    Config c = parse_ok("mpath=\"/usr/lib/sipnat/modules\"\n"
                        "alias=sip.example.com\n"
                        "alias = \"other.example.com:5070\"\n"
                        "alias = 10.0.0.1:5060;\n");
    CHECK(c.mpath == "/usr/lib/sipnat/modules");
    CHECK(c.mpath_pos.str() == "sipnat.cfg:1:7");
    REQUIRE(c.aliases.size() == 3);
    CHECK(c.aliases[0].first == "sip.example.com");
    CHECK(c.aliases[0].second.str() == "sipnat.cfg:2:7");
    CHECK(c.aliases[1].first == "other.example.com:5070");
    CHECK(c.aliases[2].first == "10.0.0.1:5060");

    CHECK(parse_err("mpath=/usr/lib") == "sipnat.cfg:1:7: expected a string, found '/usr/lib'");
    CHECK(parse_err("mpath=\"/usr/lib") == "sipnat.cfg:1:7: unterminated string");
    CHECK(parse_err("alias=\"\"") == "sipnat.cfg:1:7: expected a host name, found string \"\"");
    CHECK(parse_err("alias=;") == "sipnat.cfg:1:7: expected a host name, found ';'");
}

TEST_CASE("globals: unknown names", "[config][globals]") {
    CHECK(parse_err("foo = 1") ==
          "sipnat.cfg:1:1: expected a global parameter (listen, children, log_level, mpath, alias), "
          "found identifier 'foo'");
    CHECK(parse_err("children=2\n  debug=3") ==
          "sipnat.cfg:2:3: expected a global parameter (listen, children, log_level, mpath, alias), "
          "found identifier 'debug'");
    CHECK(parse_err("= 3") ==
          "sipnat.cfg:1:1: expected a global parameter, loadmodule, modparam or a route block, found '='");
    CHECK(parse_err("\"x\"") == "sipnat.cfg:1:1: expected a global parameter, loadmodule, modparam or a route "
                                "block, found string \"x\"");
}
