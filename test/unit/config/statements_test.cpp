// Statements inside route blocks.
#include "helpers.h"

using namespace cfgtest;

TEST_CASE("statements: function calls with 0..6 arguments", "[config][statements]") {
    CHECK(body_sexpr("forward();") == "(call forward)");
    CHECK(body_sexpr("sl_send_reply(404, \"Not here\");") == "(call sl_send_reply 404 \"Not here\")");
    CHECK(body_sexpr("sl_send_reply(\"404\", \"Not here\");") == "(call sl_send_reply \"404\" \"Not here\")");
    CHECK(body_sexpr("xlog(\"L_INFO\", \"$rm from $si\\n\");") == "(call xlog \"L_INFO\" \"$rm from $si\\n\")");
    CHECK(body_sexpr("client_nat_test(\"3\");") == "(call client_nat_test \"3\")");
    CHECK(body_sexpr("f($avp(x), -1, $si);") == "(call f $avp(x) -1 $si)");
    CHECK(body_sexpr("f(1,2,3,4,5,6);") == "(call f 1 2 3 4 5 6)");

    Config c = parse_ok("route {\n  xlog(\"L_INFO\", $si);\n}");
    const Stmt &s = c.routes[0].body[0];
    CHECK(s.kind == StmtKind::Call);
    CHECK(s.pos.str() == "sipnat.cfg:2:3");
    CHECK(s.call.name == "xlog");
    CHECK(s.call.pos.str() == "sipnat.cfg:2:3");
    REQUIRE(s.call.args.size() == 2);
    CHECK(s.call.args[0].kind == Arg::Str);
    CHECK(s.call.args[0].pos.str() == "sipnat.cfg:2:8");
    CHECK(s.call.args[1].kind == Arg::PVar);
    CHECK(s.call.args[1].pv.name == "si");
    CHECK(s.call.args[1].pos.str() == "sipnat.cfg:2:18");
}

TEST_CASE("statements: if / else / else if", "[config][statements]") {
    CHECK(body_sexpr("if (a) f();") == "(if (kw a) (then (call f)))");
    CHECK(body_sexpr("if (a) { f(); g(); }") == "(if (kw a) (then (call f) (call g)))");
    CHECK(body_sexpr("if (a) f(); else g();") == "(if (kw a) (then (call f)) (else (call g)))");
    CHECK(body_sexpr("if (a) { } else { g(); }") == "(if (kw a) (then) (else (call g)))");
    CHECK(body_sexpr("if (a) { f(); } else if (b) { g(); } else { h(); }") ==
          "(if (kw a) (then (call f)) (else (if (kw b) (then (call g)) (else (call h)))))");
    // Dangling else binds to the nearest if.
    CHECK(body_sexpr("if (a) if (b) f(); else g();") == "(if (kw a) (then (if (kw b) (then (call f)) (else (call g)))))");
    CHECK(body_sexpr("if (a) ;") == "(if (kw a) (then))");
}

TEST_CASE("statements: assignment", "[config][statements]") {
    CHECK(body_sexpr("$avp(signaling_ip) = $si;") == "(= $avp(signaling_ip) $si)");
    CHECK(body_sexpr("$var(n) = -3;") == "(= $var(n) -3)");
    CHECK(body_sexpr("$var(s) = \"x\";") == "(= $var(s) \"x\")");
    CHECK(body_sexpr("$var(b) = is_method(\"INVITE\") && !has_totag();") ==
          "(= $var(b) (&& (call is_method \"INVITE\") (! (call has_totag))))");
    CHECK(body_sexpr("$ru = $avp(s:foo);") == "(= $ru $avp(s:foo))");

    Config c = parse_ok("route {\n\t$avp(x) = 1;\n}");
    const Stmt &s = c.routes[0].body[0];
    CHECK(s.kind == StmtKind::Assign);
    CHECK(s.pos.str() == "sipnat.cfg:2:2");
    CHECK(s.lhs.text == "$avp(x)");
    CHECK(s.lhs.name == "avp");
    CHECK(s.lhs.inner == "x");
    CHECK(s.lhs.has_inner);
    CHECK(s.expr.kind == ExprKind::Int);
    CHECK(s.expr.pos.str() == "sipnat.cfg:2:12");
}

TEST_CASE("statements: route, return, exit, drop, empty", "[config][statements]") {
    CHECK(body_sexpr("route(relay); route(3); route(0);") == "(route relay) (route 3) (route)");
    CHECK(body_sexpr("return; return(1); return(-1); return (0);") == "(return) (return 1) (return -1) (return 0)");
    CHECK(body_sexpr("exit; drop;") == "(exit) (drop)");
    CHECK(body_sexpr(";;; f(); ;") == "(call f)");
    CHECK(body_sexpr("") == "");

    Config c = parse_ok("route { return(-2); }");
    const Stmt &r = c.routes[0].body[0];
    CHECK(r.kind == StmtKind::Return);
    CHECK(r.has_value);
    CHECK(r.value == -2);
    CHECK(r.pos.str() == "sipnat.cfg:1:9");
}

TEST_CASE("statements: errors", "[config][statements]") {
    CHECK(parse_err("route {\n  forward()\n}") == "sipnat.cfg:3:1: expected ';', found '}'");
    CHECK(parse_err("route {\n  if (is_method(\"INVITE\";\n}") == "sipnat.cfg:2:25: expected ',' or ')', found ';'");
    CHECK(parse_err("route {\n\n   if ($rU == \"x\";\n}") == "sipnat.cfg:3:18: expected ')', found ';'");
    CHECK(parse_err("route { forward; }") == "sipnat.cfg:1:16: expected '(', found ';'");
    CHECK(parse_err("route { 42; }") == "sipnat.cfg:1:9: expected a statement, found integer 42");
    CHECK(parse_err("route { \"x\"; }") == "sipnat.cfg:1:9: expected a statement, found string \"x\"");
    CHECK(parse_err("route { { f(); } }") == "sipnat.cfg:1:9: expected a statement, found '{'");
    CHECK(parse_err("route { else { } }") == "sipnat.cfg:1:9: expected a statement, found 'else'");
    CHECK(parse_err("route { f(1 2); }") == "sipnat.cfg:1:13: expected ',' or ')', found integer 2");
    CHECK(parse_err("route { f(1,); }") == "sipnat.cfg:1:13: expected a string, integer or pseudo-variable, found ')'");
    CHECK(parse_err("route { f(,); }") == "sipnat.cfg:1:11: expected a string, integer or pseudo-variable, found ','");
    CHECK(parse_err("route { f(x); }") ==
          "sipnat.cfg:1:11: expected a string, integer or pseudo-variable, found identifier 'x'");
    CHECK(parse_err("route { f(1,2,3,4,5,6,7); }") == "sipnat.cfg:1:23: too many arguments to 'f' (at most 6)");
    CHECK(parse_err("route { $var(x) == 1; }") == "sipnat.cfg:1:17: expected '=', found '=='");
    CHECK(parse_err("route { $var(x) = ; }") == "sipnat.cfg:1:19: expected an expression, found ';'");
    CHECK(parse_err("route { $var(x) = 1 }") == "sipnat.cfg:1:21: expected ';', found '}'");
    CHECK(parse_err("route { route(); }") == "sipnat.cfg:1:15: expected a route name, found ')'");
    CHECK(parse_err("route { route(\"x\"); }") == "sipnat.cfg:1:15: expected a route name, found string \"x\"");
    CHECK(parse_err("route { route x; }") == "sipnat.cfg:1:15: expected '(', found identifier 'x'");
    CHECK(parse_err("route { return(x); }") == "sipnat.cfg:1:16: expected an integer, found identifier 'x'");
    CHECK(parse_err("route { return 1; }") == "sipnat.cfg:1:16: expected ';', found integer 1");
    CHECK(parse_err("route { exit }") == "sipnat.cfg:1:14: expected ';', found '}'");
    CHECK(parse_err("route { drop() ; }") == "sipnat.cfg:1:13: expected ';', found '('");
    CHECK(parse_err("route { if a f(); }") == "sipnat.cfg:1:12: expected '(', found identifier 'a'");
    CHECK(parse_err("route { if (a) }") == "sipnat.cfg:1:16: expected a statement, found '}'");
    CHECK(parse_err("route { if (a) {} else }") == "sipnat.cfg:1:24: expected a statement, found '}'");
    CHECK(parse_err("route { if () {} }") == "sipnat.cfg:1:13: expected an expression, found ')'");
}
