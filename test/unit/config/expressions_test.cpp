// Expressions: operands, operators, precedence, positions.
#include "helpers.h"

using namespace cfgtest;

TEST_CASE("expressions: operands", "[config][expressions]") {
    CHECK(expr_sexpr("1") == "1");
    CHECK(expr_sexpr("-1") == "-1");
    CHECK(expr_sexpr("\"s\"") == "\"s\"");
    CHECK(expr_sexpr("$si") == "$si");
    CHECK(expr_sexpr("$hdr(Content-Type)") == "$hdr(Content-Type)");
    CHECK(expr_sexpr("src_ip") == "(kw src_ip)");
    CHECK(expr_sexpr("has_totag()") == "(call has_totag)");
    CHECK(expr_sexpr("is_method(\"INVITE\")") == "(call is_method \"INVITE\")");
    CHECK(expr_sexpr("f(1, $si, \"x\")") == "(call f 1 $si \"x\")");
}

TEST_CASE("expressions: comparisons", "[config][expressions]") {
    CHECK(expr_sexpr("method == \"INVITE\"") == "(== (kw method) \"INVITE\")");
    CHECK(expr_sexpr("uri =~ \"^sip:\"") == "(=~ (kw uri) \"^sip:\")");
    CHECK(expr_sexpr("status == \"200\"") == "(== (kw status) \"200\")");
    CHECK(expr_sexpr("$var(x) != 3") == "(!= $var(x) 3)");
    CHECK(expr_sexpr("$var(x) > -1") == "(> $var(x) -1)");
    CHECK(expr_sexpr("$var(x) < 1") == "(< $var(x) 1)");
    CHECK(expr_sexpr("$var(x) >= 1") == "(>= $var(x) 1)");
    CHECK(expr_sexpr("$var(x) <= 1") == "(<= $var(x) 1)");
    CHECK(expr_sexpr("af == INET") == "(== (kw af) (kw INET))");
    CHECK(expr_sexpr("src_port==5060") == "(== (kw src_port) 5060)");
    CHECK(expr_sexpr("proto==UDP") == "(== (kw proto) (kw UDP))");
}

TEST_CASE("expressions: precedence ! > comparison > && > ||", "[config][expressions]") {
    CHECK(expr_sexpr("!has_totag() && is_method(\"INVITE\")") ==
          "(&& (! (call has_totag)) (call is_method \"INVITE\"))");
    CHECK(expr_sexpr("a || b && c") == "(|| (kw a) (&& (kw b) (kw c)))");
    CHECK(expr_sexpr("a && b || c") == "(|| (&& (kw a) (kw b)) (kw c))");
    CHECK(expr_sexpr("a == 1 && b != 2") == "(&& (== (kw a) 1) (!= (kw b) 2))");
    CHECK(expr_sexpr("!a == 1") == "(== (! (kw a)) 1)");
    CHECK(expr_sexpr("!(a == 1)") == "(! (== (kw a) 1))");
    CHECK(expr_sexpr("!!a") == "(! (! (kw a)))");
    CHECK(expr_sexpr("(a || b) && c") == "(&& (|| (kw a) (kw b)) (kw c))");
    CHECK(expr_sexpr("((a))") == "(kw a)");
    // Chains flatten into one n-ary node.
    CHECK(expr_sexpr("a && b && c && d") == "(&& (kw a) (kw b) (kw c) (kw d))");
    CHECK(expr_sexpr("a || b || c") == "(|| (kw a) (kw b) (kw c))");
}

TEST_CASE("expressions: node positions", "[config][expressions]") {
    //                   col: 1234567890123456789012345678901234567890
    Config c = parse_ok("route { if (!has_totag() && $rU =~ \"^1\") {} }");
    const Expr &e = c.routes[0].body[0].expr;
    REQUIRE(e.kind == ExprKind::And);
    CHECK(e.pos.col == 26); // the first '&&'
    REQUIRE(e.kids.size() == 2);
    CHECK(e.kids[0].kind == ExprKind::Not);
    CHECK(e.kids[0].pos.col == 13);
    CHECK(e.kids[0].kids[0].kind == ExprKind::Call);
    CHECK(e.kids[0].kids[0].pos.col == 14);
    CHECK(e.kids[0].kids[0].call.name == "has_totag");
    const Expr &m = e.kids[1];
    CHECK(m.kind == ExprKind::Cmp);
    CHECK(m.op == CmpOp::Match);
    CHECK(m.pos.col == 33);
    CHECK(m.kids[0].kind == ExprKind::PVar);
    CHECK(m.kids[0].pv.name == "rU");
    CHECK(m.kids[0].pos.col == 29);
    CHECK(m.kids[1].kind == ExprKind::Str);
    CHECK(m.kids[1].s == "^1");
    CHECK(m.kids[1].pos.col == 36);
    CHECK(*m.kids[1].pos.file == "sipnat.cfg");
}

TEST_CASE("expressions: errors", "[config][expressions]") {
    CHECK(parse_err("route { if (a == b == c) {} }") == "sipnat.cfg:1:20: expected ')', found '=='");
    CHECK(parse_err("route { if (a &&) {} }") == "sipnat.cfg:1:17: expected an expression, found ')'");
    CHECK(parse_err("route { if (a & b) {} }") == "sipnat.cfg:1:15: unexpected character '&'");
    CHECK(parse_err("route { if (a | b) {} }") == "sipnat.cfg:1:15: unexpected character '|'");
    CHECK(parse_err("route { if ((a) {} }") == "sipnat.cfg:1:17: expected ')', found '{'");
    CHECK(parse_err("route { if (a b) {} }") == "sipnat.cfg:1:15: expected ')', found identifier 'b'");
    CHECK(parse_err("route { if (!) {} }") == "sipnat.cfg:1:14: expected an expression, found ')'");
    CHECK(parse_err("route { if (a = 1) {} }") == "sipnat.cfg:1:15: expected ')', found '='");
    CHECK(parse_err("route { if (f(x)) {} }") ==
          "sipnat.cfg:1:15: expected a string, integer or pseudo-variable, found identifier 'x'");
}
