// Compiler: what compiles, and the exact message for everything that does not.
#include "helpers.h"

using namespace scrtest;

TEST_CASE_METHOD(Fixture, "a script using every construct compiles", "[compile]") {
    Program p;
    compile_ok(R"~(
route {
    f_true();
    if (method == "INVITE" && !f_false() || $rs >= 200 || uri =~ "^sip:" || src_ip != "1.2.3.4") {
        $var(x) = 5;
        $avp(s:y) = $var(x);
        route(sub);
    } else if (status < 300 && src_port > 1 && proto == "udp" && $hdr(X-Foo) <= 1) {
        xlog("L_INFO", "rm=$rm ru=$ru\n");
        return(-1);
    } else {
        drop;
    }
    exit;
}
route[sub] { opt("a", 2); return; }
onreply_route { xlog("reply $rs $rr"); }
onreply_route[other] { f_true(); }
failure_route[1] { f_true(); }
branch_route[2] { f_true(); }
)~",
               p);
    CHECK(p.blocks().size() == 6);
    CHECK(p.has_main(config::RouteType::Request));
    CHECK(p.has_main(config::RouteType::OnReply));
    CHECK(!p.has_main(config::RouteType::Failure));
    CHECK(p.var_names() == std::vector<std::string>{"x"});
    CHECK(p.regexes().size() == 1);
    CHECK(p.scratch_slots() == 1);
}

TEST_CASE_METHOD(Fixture, "scratch buffers cover values held during nested comparisons", "[compile]") {
    Program p;
    compile_ok("route { if ($ru == \"x\") { } }", p);
    CHECK(p.scratch_slots() == 1);
    compile_ok("route { if ($ru == $rm) { } }", p);
    CHECK(p.scratch_slots() == 2);
    compile_ok("route { if ($ru == ($rm == $si)) { } $var(x) = $ru; }", p);
    CHECK(p.scratch_slots() == 3);
    compile_ok("route { if (($ru == $rm) == ($si == $sp)) { } }", p);
    CHECK(p.scratch_slots() == 3);
}

TEST_CASE_METHOD(Fixture, "a missing main route is allowed", "[compile]") {
    Program p;
    compile_ok("onreply_route { f_true(); }", p);
    CHECK(!p.has_main(config::RouteType::Request));
    CHECK(p.has_main(config::RouteType::OnReply));
    Program empty;
    compile_ok("", empty);
    CHECK(empty.blocks().empty());
}

TEST_CASE_METHOD(Fixture, "fixups get literal arguments as text, and the host", "[compile][fixup]") {
    Program p;
    compile_ok(R"(route { f_rec("abc"); f_rec(42); f_rec(-7); f_rec($avp(x)); opt($var(y), "z"); })", p);
    REQUIRE(g_rec.fixup_args.size() == 5);
    CHECK(g_rec.fixup_args[0] == std::vector<std::string>{"abc"});
    CHECK(g_rec.fixup_args[1] == std::vector<std::string>{"42"});
    CHECK(g_rec.fixup_args[2] == std::vector<std::string>{"-7"});
    CHECK(g_rec.fixup_args[3] == std::vector<std::string>{"$avp(x)"});
    CHECK(g_rec.fixup_args[4] == std::vector<std::string>{"$var(y)", "z"});
    for (const sipnat_host *h : g_rec.fixup_hosts) CHECK(h == &g_host);
    CHECK(p.calls().size() == 5);
}

TEST_CASE_METHOD(Fixture, "sub-routes are compiled once however often they are called", "[compile]") {
    Program p;
    compile_ok("route { route(a); route(a); route(a); }\nroute[a] { f_rec(\"x\"); }", p);
    CHECK(g_rec.fixup_args.size() == 1);
}

TEST_CASE_METHOD(Fixture, "fixed arguments are freed with the program", "[compile][fixup]") {
    {
        Program p;
        compile_ok(R"(route { f_rec("a"); f_rec("b"); f_true(); })", p);
        CHECK(g_rec.freed == 0);
    }
    CHECK(g_rec.freed == 2);

    SECTION("free_fixups frees once, the destructor then has nothing left") {
        g_rec.freed = 0;
        {
            Program p;
            compile_ok(R"(route { f_rec("a"); })", p);
            free_fixups(p);
            CHECK(g_rec.freed == 1);
            CHECK(p.calls().empty());
        }
        CHECK(g_rec.freed == 1);
    }
    SECTION("moving hands the fixups over") {
        g_rec.freed = 0;
        Program a;
        compile_ok(R"(route { f_rec("a"); })", a);
        {
            Program b(std::move(a));
            CHECK(g_rec.freed == 0);
            Program c;
            compile_ok(R"(route { f_rec("c"); })", c);
            c = std::move(b); // frees c's own fixup
            CHECK(g_rec.freed == 1);
        }
        CHECK(g_rec.freed == 2);
    }
    SECTION("recompiling into a used program frees the old fixups") {
        g_rec.freed = 0;
        Program p;
        compile_ok(R"(route { f_rec("a"); })", p);
        compile_ok(R"(route { f_true(); })", p);
        CHECK(g_rec.freed == 1);
    }
}

TEST_CASE_METHOD(Fixture, "a failed compile frees the fixups that already ran", "[compile][fixup]") {
    Program p;
    CHECK(compile_text(R"(route { f_rec("a"); f_rec("b"); nope(); })", p) ==
          "t.cfg:1:33: unknown function 'nope'");
    CHECK(g_rec.freed == 2);
    CHECK(p.calls().empty());
    CHECK(p.blocks().empty());
}

TEST_CASE_METHOD(Fixture, "unknown functions, routes, keywords", "[compile][errors]") {
    CHECK(compile_err("route { foo(); }") == "t.cfg:1:9: unknown function 'foo'");
    CHECK(compile_err("route {\n  if (bar(1)) { }\n}") == "t.cfg:2:7: unknown function 'bar'");
    CHECK(compile_err("route { route(nope); }") == "t.cfg:1:9: unknown route 'nope' (no route[nope] block)");
    CHECK(compile_err("onreply_route[x] { }\nroute { route(x); }") ==
          "t.cfg:2:9: unknown route 'x' (no route[x] block)");
    CHECK(compile_err("route[a] { route(0); }") ==
          "t.cfg:1:12: route(0) calls the main route, but there is no route{}");
    CHECK(compile_err("route { if (foo) { } }") == "t.cfg:1:13: unknown keyword 'foo'");
    CHECK(compile_err("route { $var(x) = method; if (uri || status || src_ip || src_port || proto) { } }") ==
          "OK");
}

TEST_CASE_METHOD(Fixture, "argument counts", "[compile][errors]") {
    CHECK(compile_err(R"(route { opt("a", "b", "c"); })") ==
          "t.cfg:1:9: function 'opt' takes 1 to 2 arguments, found 3");
    CHECK(compile_err(R"(route { opt(); })") == "t.cfg:1:9: function 'opt' takes 1 to 2 arguments, found 0");
    CHECK(compile_err(R"(route { f_true("x"); })") ==
          "t.cfg:1:9: function 'f_true' takes no arguments, found 1");
    CHECK(compile_err(R"(route { f_rec(); })") == "t.cfg:1:9: function 'f_rec' takes 1 argument, found 0");
    CHECK(compile_err(R"(route { two("a"); })") == "t.cfg:1:9: function 'two' takes 2 arguments, found 1");
    CHECK(compile_err(R"(route { xlog(); })") ==
          "t.cfg:1:9: function 'xlog' takes 1 to 2 arguments, found 0");
    CHECK(compile_err(R"(route { xlog("L_ERR", "a", "b"); })") ==
          "t.cfg:1:9: function 'xlog' takes 1 to 2 arguments, found 3");
}

TEST_CASE_METHOD(Fixture, "fixup rejections", "[compile][errors][fixup]") {
    CHECK(compile_err(R"(route { f_rec("ok"); f_rec("bad"); })") ==
          "t.cfg:1:22: function 'f_rec': bad argument 'bad'");
    CHECK(compile_err(R"(route { f_silent(); })") ==
          "t.cfg:1:9: function 'f_silent': fixup failed (module 'fake')");
}

TEST_CASE_METHOD(Fixture, "pseudo-variable errors", "[compile][errors][pv]") {
    CHECK(compile_err("route { if ($foo) { } }") == "t.cfg:1:13: unknown pseudo-variable '$foo'");
    CHECK(compile_err("route { if ($foo(x)) { } }") == "t.cfg:1:13: unknown pseudo-variable '$foo(x)'");
    CHECK(compile_err("route { if ($RM) { } }") == "t.cfg:1:13: unknown pseudo-variable '$RM'");
    CHECK(compile_err("route { if ($avp) { } }") ==
          "t.cfg:1:13: pseudo-variable '$avp' needs a name, as in $avp(name)");
    CHECK(compile_err("route { if ($avp()) { } }") ==
          "t.cfg:1:13: pseudo-variable '$avp' needs a name, as in $avp(name)");
    CHECK(compile_err("route { if ($avp(s:)) { } }") ==
          "t.cfg:1:13: pseudo-variable '$avp' needs a name, as in $avp(name)");
    CHECK(compile_err("route { $var = 1; }") ==
          "t.cfg:1:9: pseudo-variable '$var' needs a name, as in $var(name)");
    CHECK(compile_err("route { if ($hdr) { } }") ==
          "t.cfg:1:13: pseudo-variable '$hdr' needs a header name, as in $hdr(Name)");
    CHECK(compile_err("route { if ($hdr(a b)) { } }") ==
          "t.cfg:1:13: invalid header name 'a b' in '$hdr(a b)'");
    CHECK(compile_err("route { if ($si(x)) { } }") ==
          "t.cfg:1:13: pseudo-variable '$si' takes no name in parentheses");
    CHECK(compile_err("route { if ($avp(i:3)) { } }") ==
          "t.cfg:1:13: integer AVP names are not supported in '$avp(i:3)'; use a string name");
    CHECK(compile_err("route { f_rec($nope); }") == "t.cfg:1:15: unknown pseudo-variable '$nope'");
    CHECK(compile_err("route { $var(a) = $nope; }") == "t.cfg:1:19: unknown pseudo-variable '$nope'");
}

TEST_CASE_METHOD(Fixture, "only $avp and $var can be assigned", "[compile][errors][pv]") {
    CHECK(compile_err("route { $avp(a) = 1; $avp(s:b) = \"x\"; $var(c) = $ru; }") == "OK");
    CHECK(compile_err("route { $ru = \"sip:x\"; }") ==
          "t.cfg:1:9: cannot assign to read-only pseudo-variable '$ru' (only $avp(name) and $var(name) are "
          "writable)");
    CHECK(
        compile_err("route {\n  $hdr(X) = 1;\n}") ==
        "t.cfg:2:3: cannot assign to read-only pseudo-variable '$hdr(X)' (only $avp(name) and $var(name) are "
        "writable)");
}

TEST_CASE_METHOD(Fixture, "regular expressions", "[compile][errors][regex]") {
    CHECK(compile_err(R"(route { if ($ru =~ "^sip:.*@(a|b)\.com$") { } })") == "OK");
    CHECK(compile_err(R"(route { if ($ru =~ $var(re)) { } })") == "OK"); // compiled at run time
    std::string e = compile_err(R"(route { if ($ru =~ "(") { } })");
    CHECK(e.rfind("t.cfg:1:20: invalid regular expression '(': ", 0) == 0);
    e = compile_err("route {\n  if (uri =~ \"a[\") { }\n}");
    CHECK(e.rfind("t.cfg:2:14: invalid regular expression 'a[': ", 0) == 0);
}

TEST_CASE_METHOD(Fixture, "xlog arguments", "[compile][errors][xlog]") {
    CHECK(compile_err(R"(route { xlog("L_BOGUS", "x"); })") ==
          "t.cfg:1:14: function 'xlog': unknown log level 'L_BOGUS' (use L_ERR, L_WARN, L_NOTICE, L_INFO or "
          "L_DBG)");
    CHECK(compile_err(R"(route { xlog(3, "x"); })") ==
          "t.cfg:1:14: function 'xlog': unknown log level (not a string) (use L_ERR, L_WARN, L_NOTICE, "
          "L_INFO or L_DBG)");
    CHECK(compile_err(R"(route { xlog($ru); })") ==
          "t.cfg:1:14: function 'xlog': the format must be a string");
    CHECK(compile_err(R"(route { xlog("a $foo b"); })") ==
          "t.cfg:1:14: function 'xlog': unknown pseudo-variable '$foo'");
    CHECK(compile_err(R"(route { xlog("L_DBG", "a $hdr(X b"); })") ==
          "t.cfg:1:23: function 'xlog': unterminated pseudo-variable '$hdr(X b' in xlog format");
    CHECK(compile_err(R"(route { xlog("a $avp() b"); })") ==
          "t.cfg:1:14: function 'xlog': pseudo-variable '$avp' needs a name, as in $avp(name)");
    for (const char *lv : {"L_ALERT", "L_CRIT", "L_ERR", "L_WARN", "L_NOTICE", "L_INFO", "L_DBG"})
        CHECK(compile_err(std::string("route { xlog(\"") + lv + "\", \"x\"); }") == "OK");
}

TEST_CASE_METHOD(Fixture, "route-type masks", "[compile][errors][mask]") {
    CHECK(compile_err("route { req_only(); }\nonreply_route { reply_only(); }") == "OK");
    CHECK(compile_err("onreply_route { req_only(); }") ==
          "t.cfg:1:17: function 'req_only' cannot be used in onreply_route (allowed in: route)");
    CHECK(compile_err("route { reply_only(); }") ==
          "t.cfg:1:9: function 'reply_only' cannot be used in route (allowed in: onreply_route)");
    CHECK(compile_err("failure_route[1] { req_only(); }") ==
          "t.cfg:1:20: function 'req_only' cannot be used in failure_route (allowed in: route)");
    CHECK(compile_err("failure_route[1] { req_fail(); }") == "OK");
    CHECK(
        compile_err("branch_route[1] { req_fail(); }") ==
        "t.cfg:1:19: function 'req_fail' cannot be used in branch_route (allowed in: route, failure_route)");
    CHECK(compile_err("route { nowhere(); }") ==
          "t.cfg:1:9: function 'nowhere' cannot be used in route (allowed in: none)");
    CHECK(compile_err("onreply_route[x] { if (req_only()) { } }") ==
          "t.cfg:1:24: function 'req_only' cannot be used in onreply_route (allowed in: route)");
    // xlog runs anywhere.
    CHECK(compile_err("onreply_route { xlog(\"x\"); } failure_route[f] { xlog(\"x\"); } branch_route[b] { "
                      "xlog(\"x\"); }") == "OK");
}

TEST_CASE_METHOD(Fixture, "route-type masks through sub-routes", "[compile][errors][mask]") {
    // Called only from requests: a request-only function is fine.
    CHECK(compile_err("route { route(a); }\nroute[a] { req_only(); }") == "OK");
    // Called from an onreply_route: checked as one.
    CHECK(compile_err("route[a] {\n  req_only();\n}\nonreply_route { route(a); }") ==
          "t.cfg:2:3: function 'req_only' cannot be used in onreply_route (allowed in: route)");
    // Transitively: onreply_route -> b -> a.
    CHECK(compile_err("route[a] { req_only(); }\nroute[b] { route(a); }\nonreply_route { route(b); }\nroute "
                      "{ route(a); }") ==
          "t.cfg:1:12: function 'req_only' cannot be used in onreply_route (allowed in: route)");
    // A sub-route used only by replies may use reply-only functions...
    CHECK(compile_err("route[r] { reply_only(); }\nonreply_route { route(r); }") == "OK");
    // ...but not once a request route calls it too.
    CHECK(compile_err("route[r] { reply_only(); }\nonreply_route { route(r); }\nroute { route(r); }") ==
          "t.cfg:1:12: function 'reply_only' cannot be used in route (allowed in: onreply_route)");
    // Via a failure route.
    CHECK(compile_err("route[r] { req_only(); }\nfailure_route[f] { route(r); }") ==
          "t.cfg:1:12: function 'req_only' cannot be used in failure_route (allowed in: route)");
    // A sub-route nobody calls is checked as a request route.
    CHECK(compile_err("route[lonely] { reply_only(); }") ==
          "t.cfg:1:17: function 'reply_only' cannot be used in route (allowed in: onreply_route)");
    // Recursion is fine at compile time, and masks still flow around the cycle.
    CHECK(compile_err("route[a] { route(b); }\nroute[b] { route(a); }\nroute { route(a); }") == "OK");
    CHECK(compile_err(
              "route[a] { route(b); }\nroute[b] { route(a); req_only(); }\nonreply_route { route(a); }") ==
          "t.cfg:2:22: function 'req_only' cannot be used in onreply_route (allowed in: route)");
    // route(0) from a reply route makes the main route a reply route too.
    CHECK(compile_err("route { req_only(); }\nonreply_route { route(0); }") ==
          "t.cfg:1:9: function 'req_only' cannot be used in onreply_route (allowed in: route)");
}

TEST_CASE_METHOD(Fixture, "sub-route masks are recorded", "[compile][mask]") {
    Program p;
    compile_ok("route[a] { }\nroute[b] { }\nroute[c] { }\nonreply_route { route(a); }\nroute { route(a); "
               "route(b); }",
               p);
    REQUIRE(p.blocks().size() == 5);
    CHECK(p.blocks()[0].mask == (SIPNAT_ROUTE_REQUEST | SIPNAT_ROUTE_ONREPLY));
    CHECK(p.blocks()[1].mask == SIPNAT_ROUTE_REQUEST);
    CHECK(p.blocks()[2].mask == SIPNAT_ROUTE_REQUEST); // uncalled
    CHECK(p.blocks()[3].mask == SIPNAT_ROUTE_ONREPLY);
    CHECK(p.blocks()[4].mask == SIPNAT_ROUTE_REQUEST);
}

TEST_CASE_METHOD(Fixture, "core and module functions resolve alike; xlog is the interpreter's own",
                 "[compile]") {
    Program p;
    compile_ok(R"(route { core_fn(); xlog("a"); })", p);
    REQUIRE(p.calls().size() == 2);
    CHECK(p.calls()[0].owner == "core");
    CHECK(p.calls()[1].kind == CallSite::Xlog);
    CHECK(p.calls()[1].level == SIPNAT_L_ERR);
}

TEST_CASE_METHOD(Fixture, "a hand-built config with duplicate blocks is rejected", "[compile][errors]") {
    config::Config cfg;
    auto file = std::make_shared<const std::string>("x.cfg");
    config::RouteBlock b;
    b.type = config::RouteType::Request;
    b.name = "a";
    b.pos = config::Pos{file, 1, 1};
    cfg.routes.push_back(b);
    b.pos = config::Pos{file, 2, 1};
    cfg.routes.push_back(b);
    Program p;
    std::string err;
    FakeResolver fr;
    CHECK(!compile(cfg, fr, &g_host, p, &err));
    CHECK(err == "x.cfg:2:1: duplicate route[a] (first defined at x.cfg:1:1)");
}
