// Route blocks: kinds, names, duplicates.
#include "helpers.h"

using namespace cfgtest;

TEST_CASE("routes: every block kind", "[config][routes]") {
    Config c = parse_ok("route { forward(); }\n"
                        "route[relay] { }\n"
                        "route[2] { exit; }\n"
                        "onreply_route { }\n"
                        "onreply_route[r1] { }\n"
                        "failure_route[1] { }\n"
                        "branch_route[br] { };\n");
    REQUIRE(c.routes.size() == 7);
    CHECK(c.routes[0].type == RouteType::Request);
    CHECK(c.routes[0].name.empty());
    CHECK(c.routes[0].pos.str() == "sipnat.cfg:1:1");
    CHECK(to_sexpr(c.routes[0]) == "(route (call forward))");
    CHECK(c.routes[1].name == "relay");
    CHECK(c.routes[2].name == "2");
    CHECK(to_sexpr(c.routes[2]) == "(route[2] (exit))");
    CHECK(c.routes[3].type == RouteType::OnReply);
    CHECK(c.routes[3].name.empty());
    CHECK(c.routes[4].name == "r1");
    CHECK(c.routes[5].type == RouteType::Failure);
    CHECK(c.routes[5].name == "1");
    CHECK(c.routes[6].type == RouteType::Branch);
    CHECK(to_sexpr(c.routes[6]) == "(branch_route[br])");
}

TEST_CASE("routes: route[0] is the main route, integer names are normalised", "[config][routes]") {
    Config c = parse_ok("route[0] { }\nroute[007] { }\nonreply_route[0] { }\nfailure_route[0] { }");
    CHECK(c.routes[0].name.empty());
    CHECK(c.routes[1].name == "7");
    CHECK(c.routes[2].name.empty());
    CHECK(c.routes[3].name == "0"); // failure routes have no main one
    CHECK(parse_err("route { }\nroute[0] { }") == "sipnat.cfg:2:1: duplicate route (first defined at sipnat.cfg:1:1)");
}

TEST_CASE("routes: duplicates are reported at the second block", "[config][routes]") {
    CHECK(parse_err("route[foo] {}\n\n  route[foo] {}") ==
          "sipnat.cfg:3:3: duplicate route[foo] (first defined at sipnat.cfg:1:1)");
    CHECK(parse_err("route[1] {}\nroute[01] {}") ==
          "sipnat.cfg:2:1: duplicate route[1] (first defined at sipnat.cfg:1:1)");
    CHECK(parse_err("onreply_route {}\nonreply_route {}") ==
          "sipnat.cfg:2:1: duplicate onreply_route (first defined at sipnat.cfg:1:1)");
    CHECK(parse_err("failure_route[a] {}\nfailure_route[a] {}") ==
          "sipnat.cfg:2:1: duplicate failure_route[a] (first defined at sipnat.cfg:1:1)");
    // Same name, different kinds: fine.
    Config c = parse_ok("route[a] {} onreply_route[a] {} failure_route[a] {} branch_route[a] {}");
    CHECK(c.routes.size() == 4);
}

TEST_CASE("routes: block syntax errors", "[config][routes]") {
    CHECK(parse_err("route") == "sipnat.cfg:1:6: expected '[' or '{', found end of file");
    CHECK(parse_err("route foo {}") == "sipnat.cfg:1:7: expected '[' or '{', found identifier 'foo'");
    CHECK(parse_err("route[] {}") == "sipnat.cfg:1:7: expected a route name, found ']'");
    CHECK(parse_err("route[-1] {}") == "sipnat.cfg:1:7: expected a route name, found integer -1");
    CHECK(parse_err("route[\"x\"] {}") == "sipnat.cfg:1:7: expected a route name, found string \"x\"");
    CHECK(parse_err("route[a {}") == "sipnat.cfg:1:9: expected ']', found '{'");
    CHECK(parse_err("route[a] ;") == "sipnat.cfg:1:10: expected '{', found ';'");
    CHECK(parse_err("failure_route {}") == "sipnat.cfg:1:15: expected '[', found '{'");
    CHECK(parse_err("branch_route {}") == "sipnat.cfg:1:14: expected '[', found '{'");
    CHECK(parse_err("route {\n  forward();\n") == "sipnat.cfg:3:1: expected '}', found end of file");
    CHECK(parse_err("route { }\n}") ==
          "sipnat.cfg:2:1: expected a global parameter, loadmodule, modparam or a route block, found '}'");
}
