// Interpreter: statements, operators, pseudo-variables, outcomes.
#include <thread>

#include "helpers.h"
#include "log/log.h"

using namespace scrtest;

namespace {

using config::RouteType;

// Compiles `text` and runs its main route once against env.
struct Run {
    Program p;
    State st;
    Lines lines;
    explicit Run(const std::string &text) {
        compile_ok(text, p);
        st.set_xlog_sink(Lines::sink, &lines);
    }
    RunResult go(FakeEnv &env, RouteType kind = RouteType::Request) { return run(p, kind, env, st, &g_host); }
    RunResult go(RouteType kind = RouteType::Request) {
        FakeEnv env;
        return go(env, kind);
    }
};

// Runs `route { if (<cond>) { f_rec("T"); } else { f_rec("F"); } }` and returns whether the
// condition held.
bool cond(const std::string &c, FakeEnv &env) {
    g_rec.calls.clear();
    Run r("route { if (" + c + ") { f_rec(\"T\"); } else { f_rec(\"F\"); } }");
    r.go(env);
    INFO(c);
    CHECK(!env.saw_var);
    REQUIRE(!g_rec.calls.empty());
    return g_rec.calls.back() == "f_rec:T";
}
bool cond(const std::string &c) {
    FakeEnv env;
    return cond(c, env);
}

} // namespace

TEST_CASE_METHOD(Fixture, "function calls run in order with the message and host", "[interp]") {
    Run r(R"(route { f_true(); f_rec("a"); f_false(); f_rec("b"); })");
    FakeEnv env;
    RunResult res = r.go(env);
    CHECK(res.outcome == Outcome::End);
    CHECK(res.ret == 1);
    CHECK(g_rec.calls == std::vector<std::string>{"f_true", "f_rec:a", "f_false", "f_rec:b"});
    CHECK(g_rec.last_host == &g_host);
    CHECK(g_rec.last_msg == env.msg());
}

TEST_CASE_METHOD(Fixture, "a function returning 0 stops the script", "[interp]") {
    SECTION("as a statement") {
        Run r(R"(route { f_rec("a"); f_zero(); f_rec("b"); })");
        RunResult res = r.go();
        CHECK(res.outcome == Outcome::Exit);
        CHECK(res.ret == 0);
        CHECK(g_rec.calls == std::vector<std::string>{"f_rec:a", "f_zero"});
    }
    SECTION("in a condition, even under !") {
        Run r(R"(route { if (!f_zero()) { f_rec("then"); } else { f_rec("else"); } f_rec("after"); })");
        CHECK(r.go().outcome == Outcome::Exit);
        CHECK(g_rec.calls == std::vector<std::string>{"f_zero"});
    }
    SECTION("in || and &&") {
        Run r(R"(route { if (f_false() || f_zero() || f_rec("x")) { } f_rec("after"); })");
        CHECK(r.go().outcome == Outcome::Exit);
        CHECK(g_rec.calls == std::vector<std::string>{"f_false", "f_zero"});
    }
    SECTION("in a sub-route") {
        Run r("route { route(s); f_rec(\"after\"); }\nroute[s] { f_zero(); }");
        CHECK(r.go().outcome == Outcome::Exit);
        CHECK(g_rec.calls == std::vector<std::string>{"f_zero"});
    }
    SECTION("in an assignment") {
        Run r(R"(route { $var(x) = ret("0"); f_rec("after"); })");
        CHECK(r.go().outcome == Outcome::Exit);
        CHECK(g_rec.calls == std::vector<std::string>{"ret:0"});
    }
    SECTION("in a comparison") {
        Run r(R"(route { if (ret("0") == 0) { f_rec("then"); } f_rec("after"); })");
        CHECK(r.go().outcome == Outcome::Exit);
        CHECK(g_rec.calls == std::vector<std::string>{"ret:0"});
    }
}

TEST_CASE_METHOD(Fixture, "if / else / else if", "[interp]") {
    Run r(R"~(route {
        if (f_true()) f_rec("1"); else f_rec("2");
        if (f_false()) f_rec("3"); else f_rec("4");
        if (f_false()) { f_rec("5"); } else if (f_true()) { f_rec("6"); } else { f_rec("7"); }
        if (f_false()) { f_rec("8"); }
    })~");
    r.go();
    CHECK(g_rec.calls == std::vector<std::string>{"f_true", "f_rec:1", "f_false", "f_rec:4", "f_false",
                                                  "f_true", "f_rec:6", "f_false"});
}

TEST_CASE_METHOD(Fixture, "&& and || short-circuit", "[interp]") {
    SECTION("&& stops at the first false") {
        Run r(R"(route { if (f_false() && f_rec("x")) { } })");
        r.go();
        CHECK(g_rec.calls == std::vector<std::string>{"f_false"});
    }
    SECTION("&& runs everything while true") {
        Run r(R"(route { if (f_true() && f_rec("x") && f_true()) { f_rec("in"); } })");
        r.go();
        CHECK(g_rec.calls == std::vector<std::string>{"f_true", "f_rec:x", "f_true", "f_rec:in"});
    }
    SECTION("|| stops at the first true") {
        Run r(R"(route { if (f_false() || f_true() || f_rec("x")) { f_rec("in"); } })");
        r.go();
        CHECK(g_rec.calls == std::vector<std::string>{"f_false", "f_true", "f_rec:in"});
    }
    SECTION("|| runs everything while false") {
        Run r(R"(route { if (f_false() || f_false()) { f_rec("in"); } })");
        r.go();
        CHECK(g_rec.calls == std::vector<std::string>{"f_false", "f_false"});
    }
    SECTION("mixed: a && b || c") {
        Run r(R"(route { if (f_false() && f_rec("no") || f_true()) { f_rec("in"); } })");
        r.go();
        CHECK(g_rec.calls == std::vector<std::string>{"f_false", "f_true", "f_rec:in"});
    }
}

TEST_CASE_METHOD(Fixture, "bare operands as conditions", "[interp]") {
    CHECK(cond("1"));
    CHECK(cond("-1"));
    CHECK(!cond("0"));
    CHECK(cond("\"x\""));
    CHECK(!cond("\"\""));
    CHECK(cond("f_true()"));
    CHECK(!cond("f_false()"));
    CHECK(!cond("!f_true()"));
    CHECK(cond("!!f_true()"));
    CHECK(cond("ret(\"5\")"));
    CHECK(!cond("ret(\"-5\")"));
    FakeEnv env;
    env.set(Pv::Ru, "sip:a@b");
    env.set(Pv::Hdr, "", "X-Empty");
    CHECK(cond("$ru", env));
    CHECK(cond("uri", env));
    CHECK(!cond("$rs", env));           // unset
    CHECK(!cond("$hdr(X-Empty)", env)); // set but empty
    CHECK(cond("!$rs", env));
    CHECK(!cond("$var(never)", env));
}

TEST_CASE_METHOD(Fixture, "== and != compare strings, or numbers when an integer is involved",
                 "[interp][cmp]") {
    FakeEnv env;
    env.set(Pv::Rm, "INVITE");
    env.set(Pv::Rs, "200");
    env.set(Pv::Sp, "5060");
    CHECK(cond("$rm == \"INVITE\"", env));
    CHECK(!cond("$rm == \"invite\"", env)); // case matters, as in OpenSIPS
    CHECK(cond("$rm != \"BYE\"", env));
    CHECK(!cond("$rm != \"INVITE\"", env));
    CHECK(cond("method == \"INVITE\"", env));
    CHECK(cond("$rs == 200", env));
    CHECK(cond("200 == $rs", env));
    CHECK(cond("$rs == \"200\"", env));
    CHECK(!cond("$rs == \"0200\"", env)); // two strings: text
    CHECK(cond("$rs != 201", env));
    CHECK(!cond("$rm == 0", env)); // text vs integer: different
    CHECK(cond("$rm != 0", env));
    CHECK(cond("src_port == 5060", env));
    CHECK(cond("1 == 1", env));
    CHECK(cond("\"a\" != \"b\"", env));
    CHECK(cond("\"007\" == 7", env));
    CHECK(!cond("\"+7\" == 7", env));
    // Null (unset) values.
    CHECK(!cond("$ru == \"\"", env));
    CHECK(cond("$ru != \"x\"", env));
    CHECK(cond("$var(u1) == $var(u2)", env));
    CHECK(!cond("$var(u1) != $var(u2)", env));
    // Comparison results are integers.
    CHECK(cond("($rs == 200) == 1", env));
    CHECK(cond("(($rs == 200) == ($rm == \"INVITE\")) == 1", env));
}

TEST_CASE_METHOD(Fixture, "ordering operators are numeric", "[interp][cmp]") {
    FakeEnv env;
    env.set(Pv::Rs, "404");
    env.set(Pv::Rm, "INVITE");
    CHECK(cond("$rs >= 400", env));
    CHECK(cond("$rs > 403", env));
    CHECK(!cond("$rs > 404", env));
    CHECK(cond("$rs >= 404", env));
    CHECK(cond("$rs <= 404", env));
    CHECK(cond("$rs < 500", env));
    CHECK(!cond("$rs < 404", env));
    CHECK(cond("\"10\" > \"9\"", env)); // numeric strings compare as numbers
    CHECK(cond("-1 < 0", env));
    // Anything non-numeric (or null) is false both ways.
    for (const char *op : {">", "<", ">=", "<="}) {
        CHECK(!cond(std::string("$rm ") + op + " 1", env));
        CHECK(!cond(std::string("1 ") + op + " $rm", env));
        CHECK(!cond(std::string("$rr ") + op + " 1", env));
        CHECK(!cond(std::string("\"b\" ") + op + " \"a\"", env));
    }
}

TEST_CASE_METHOD(Fixture, "=~ matches POSIX extended regexes, case-insensitively", "[interp][regex]") {
    FakeEnv env;
    env.set(Pv::Ru, "sip:Alice@Example.COM;transport=udp");
    env.set(Pv::Rs, "486");
    CHECK(cond("$ru =~ \"^sip:alice@example\\.com\"", env));
    CHECK(cond("uri =~ \"transport=(udp|tcp)$\"", env));
    CHECK(!cond("$ru =~ \"^sips:\"", env));
    CHECK(cond("$rs =~ \"^4[0-9]{2}$\"", env));
    CHECK(cond("486 =~ \"8\"", env));   // an integer is matched as its decimal text
    CHECK(cond("$rs =~ 48", env));      // an integer pattern too
    CHECK(!cond("$rr =~ \".*\"", env)); // null never matches
    CHECK(cond("!($ru =~ \"^tel:\")", env));
}

TEST_CASE_METHOD(Fixture, "=~ with a pattern computed at run time", "[interp][regex]") {
    FakeEnv env;
    env.set(Pv::Ru, "sip:bob@example.com");
    env.set(Pv::Hdr, "^SIP:BOB@", "X-Re");
    env.set(Pv::Hdr, "(", "X-Bad");
    Run r(R"~(route {
        $var(re) = "example\.com$";
        if ($ru =~ $var(re)) f_rec("var");
        if ($ru =~ $hdr(X-Re)) f_rec("hdr");
        if ($ru =~ $hdr(X-Bad)) f_rec("broken"); else f_rec("broken-false");
        if ($ru =~ $hdr(X-Missing)) f_rec("missing");
        if ($ru =~ $var(re)) f_rec("again");
    })~");
    r.go(env);
    CHECK(g_rec.calls ==
          std::vector<std::string>{"f_rec:var", "f_rec:hdr", "f_rec:broken-false", "f_rec:again"});
    CHECK(r.st.regex_cache_size() == 3); // var, hdr, bad (cached too, so it is reported once)
    r.go(env);
    CHECK(r.st.regex_cache_size() == 3);
}

TEST_CASE_METHOD(Fixture, "every pseudo-variable reaches pv_get with its argument", "[interp][pv]") {
    struct Case {
        const char *text;
        Pv pv;
        const char *arg;
    };
    const Case cases[] = {
        {"$rm", Pv::Rm, ""},           {"$ru", Pv::Ru, ""},
        {"$rU", Pv::RU, ""},           {"$rd", Pv::Rd, ""},
        {"$rp", Pv::Rp, ""},           {"$si", Pv::Si, ""},
        {"$sp", Pv::Sp, ""},           {"$ci", Pv::Ci, ""},
        {"$fu", Pv::Fu, ""},           {"$tu", Pv::Tu, ""},
        {"$ft", Pv::Ft, ""},           {"$tt", Pv::Tt, ""},
        {"$ua", Pv::Ua, ""},           {"$rs", Pv::Rs, ""},
        {"$rr", Pv::Rr, ""},           {"$proto", Pv::Proto, ""},
        {"$hdr(Via)", Pv::Hdr, "Via"}, {"$hdr(X-My.Hdr)", Pv::Hdr, "X-My.Hdr"},
        {"$avp(foo)", Pv::Avp, "foo"}, {"$avp(s:foo)", Pv::Avp, "foo"},
        {"method", Pv::Rm, ""},        {"uri", Pv::Ru, ""},
        {"status", Pv::Rs, ""},        {"src_ip", Pv::Si, ""},
        {"src_port", Pv::Sp, ""},      {"proto", Pv::Proto, ""},
    };
    for (const Case &c : cases) {
        FakeEnv env;
        env.set(c.pv, "v", c.arg);
        INFO(c.text);
        CHECK(cond(std::string(c.text) + " == \"v\"", env));
        REQUIRE(env.asked.size() == 1);
        CHECK(env.asked[0].first == c.pv);
        CHECK(env.asked[0].second == c.arg);
        CHECK(std::string(pv_name(c.pv)) != "?");
    }
}

TEST_CASE_METHOD(Fixture, "$var holds integers and strings and persists across runs in one State",
                 "[interp][var]") {
    Run r(R"~(route {
        if ($var(n) == 1) { f_rec("second"); $var(s) = "changed"; } else { f_rec("first"); }
        $var(n) = 1;
        if ($var(s)) { f_rec($var(s)); xlog("s=$var(s)"); }
        $var(s) = "set";
        $var(copy) = $var(s);
        $var(copy) = $var(copy);
        $var(null) = $hdr(X-None);
        xlog("n=$var(n) s=$var(s) copy=$var(copy) null=$var(null) never=$var(never)");
    })~");
    r.go();
    CHECK(g_rec.calls == std::vector<std::string>{"f_rec:first"});
    r.go();
    CHECK(g_rec.calls == std::vector<std::string>{"f_rec:first", "f_rec:second", "f_rec:$var(s)"});
    REQUIRE(r.lines.got.size() == 3);
    CHECK(r.lines.got[0].second == "n=1 s=set copy=set null=<null> never=<null>");
    CHECK(r.lines.got[1].second == "s=changed");
    CHECK(r.lines.got[2].second == "n=1 s=set copy=set null=<null> never=<null>");

    SECTION("a fresh State starts empty") {
        State other;
        Lines l;
        other.set_xlog_sink(Lines::sink, &l);
        FakeEnv env;
        run(r.p, RouteType::Request, env, other, &g_host);
        REQUIRE(l.got.size() == 1);
    }
    SECTION("a State run with a different program forgets the old values") {
        Program q;
        compile_ok(R"~(route { xlog("$var(a) $var(n)"); $var(a) = 9; })~", q);
        FakeEnv env;
        run(q, RouteType::Request, env, r.st, &g_host);
        run(q, RouteType::Request, env, r.st, &g_host);
        REQUIRE(r.lines.got.size() == 5);
        CHECK(r.lines.got[3].second == "<null> <null>");
        CHECK(r.lines.got[4].second == "9 <null>");
    }
}

TEST_CASE_METHOD(Fixture, "$var integer semantics", "[interp][var]") {
    FakeEnv env;
    env.set(Pv::Rs, "180");
    Run r(R"~(route {
        $var(i) = 7;
        $var(z) = 0;
        $var(t) = $rs;
        $var(b) = $rs >= 100 && $rs < 200;
        $var(r) = ret("42");
        if ($var(i) == 7 && $var(i) == "7" && $var(i) > 6) f_rec("int");
        if ($var(z)) f_rec("zero-is-defined");
        if ($var(t) == 180 && $var(t) == "180") f_rec("text");
        if ($var(b) == 1) f_rec("bool");
        if ($var(r) == 42) f_rec("call");
        if ($var(i) =~ "^7$") f_rec("match");
    })~");
    r.go(env);
    CHECK(g_rec.calls == std::vector<std::string>{"ret:42", "f_rec:int", "f_rec:zero-is-defined",
                                                  "f_rec:text", "f_rec:bool", "f_rec:call", "f_rec:match"});
}

TEST_CASE_METHOD(Fixture, "$avp assignment", "[interp][avp]") {
    FakeEnv env;
    env.set(Pv::Ru, "sip:x@y");
    Run r(R"~(route {
        $avp(a) = "text";
        $avp(s:b) = 42;
        $avp(c) = $ru;
        $avp(d) = $hdr(X-Missing);
        $avp(e) = -3;
        $avp(f) = $avp(a);
        if ($avp(s:a) == "text" && $avp(b) == 42) f_rec("read-back");
    })~");
    r.go(env);
    CHECK(env.avp_sets == std::vector<std::pair<std::string, std::string>>{
                              {"a", "text"}, {"b", "42"}, {"c", "sip:x@y"}, {"e", "-3"}, {"f", "text"}});
    CHECK(g_rec.calls == std::vector<std::string>{"f_rec:read-back"});
    SECTION("a failing avp_set does not stop the script") {
        FakeEnv bad;
        bad.avp_fail = true;
        g_rec.calls.clear();
        CHECK(r.go(bad).outcome == Outcome::End);
    }
}

TEST_CASE_METHOD(Fixture, "return, exit and drop", "[interp][flow]") {
    SECTION("falling off the end") {
        RunResult res = Run("route { f_true(); }").go();
        CHECK(res.outcome == Outcome::End);
        CHECK(res.ret == 1);
    }
    SECTION("an empty route") {
        RunResult res = Run("route { }").go();
        CHECK(res.outcome == Outcome::End);
        CHECK(res.ret == 1);
    }
    SECTION("return at top level") {
        Run r(R"(route { f_rec("a"); return(5); f_rec("b"); })");
        RunResult res = r.go();
        CHECK(res.outcome == Outcome::End);
        CHECK(res.ret == 5);
        CHECK(g_rec.calls == std::vector<std::string>{"f_rec:a"});
        CHECK(Run("route { return; }").go().ret == 1);
        CHECK(Run("route { return(-2); }").go().ret == -2);
        CHECK(Run("route { return(0); }").go().outcome == Outcome::End);
    }
    SECTION("return inside if") {
        Run r(R"(route { if (f_true()) { return(3); } f_rec("after"); })");
        CHECK(r.go().ret == 3);
        CHECK(g_rec.calls == std::vector<std::string>{"f_true"});
    }
    SECTION("return from a sub-route ends only the sub-route") {
        Run r(
            "route { route(s); f_rec(\"after\"); }\nroute[s] { f_rec(\"in\"); return(-1); f_rec(\"not\"); }");
        RunResult res = r.go();
        CHECK(res.outcome == Outcome::End);
        CHECK(res.ret == 1);
        CHECK(g_rec.calls == std::vector<std::string>{"f_rec:in", "f_rec:after"});
    }
    SECTION("exit") {
        Run r(R"(route { f_rec("a"); exit; f_rec("b"); })");
        RunResult res = r.go();
        CHECK(res.outcome == Outcome::Exit);
        CHECK(res.ret == 0);
        CHECK(g_rec.calls == std::vector<std::string>{"f_rec:a"});
    }
    SECTION("exit in a sub-route ends the script") {
        Run r("route { route(s); f_rec(\"after\"); }\nroute[s] { if (1) { exit; } }");
        CHECK(r.go().outcome == Outcome::Exit);
        CHECK(g_rec.calls.empty());
    }
    SECTION("drop") {
        Run r(R"(route { drop; f_rec("b"); })");
        CHECK(r.go().outcome == Outcome::Drop);
        CHECK(g_rec.calls.empty());
    }
    SECTION("drop in a nested sub-route") {
        Run r("route { route(a); f_rec(\"after\"); }\nroute[a] { route(b); f_rec(\"a\"); }\nroute[b] { drop; "
              "}");
        CHECK(r.go().outcome == Outcome::Drop);
        CHECK(g_rec.calls.empty());
    }
    SECTION("route(0) runs the main route") {
        Run r("route { f_rec(\"main\"); }\nonreply_route { route(0); f_rec(\"reply\"); }");
        r.go(RouteType::OnReply);
        CHECK(g_rec.calls == std::vector<std::string>{"f_rec:main", "f_rec:reply"});
    }
}

TEST_CASE_METHOD(Fixture, "sub-routes run in the caller's context", "[interp][flow]") {
    Run r("route { $var(x) = 1; route(s); route(s); f_rec($var(x)); }\n"
          "route[s] { if ($var(x) == 1) { f_rec(\"one\"); $var(x) = 2; } else { f_rec(\"other\"); } }");
    r.go();
    CHECK(g_rec.calls == std::vector<std::string>{"f_rec:one", "f_rec:other", "f_rec:$var(x)"});
}

TEST_CASE_METHOD(Fixture, "route recursion is capped at 64 nested calls", "[interp][flow]") {
    Run r("route { route(r); f_rec(\"after\"); }\nroute[r] { count(); route(r); }");
    RunResult res = r.go();
    CHECK(res.outcome == Outcome::Exit);
    CHECK(g_rec.count == kMaxRouteDepth);
    CHECK(g_rec.calls.empty());
    SECTION("mutual recursion too") {
        g_rec.count = 0;
        Run m("route { route(a); }\nroute[a] { count(); route(b); }\nroute[b] { count(); route(a); }");
        CHECK(m.go().outcome == Outcome::Exit);
        CHECK(g_rec.count == kMaxRouteDepth);
    }
    SECTION("the depth is per run") {
        g_rec.count = 0;
        r.go();
        CHECK(g_rec.count == kMaxRouteDepth);
    }
    SECTION("64 levels that end are fine") {
        std::string text = "route { route(r1); f_rec(\"after\"); }\n";
        for (int i = 1; i <= 64; i++)
            text += "route[r" + std::to_string(i) + "] { " +
                    (i < 64 ? "route(r" + std::to_string(i + 1) + ");" : "count();") + " }\n";
        Run deep(text);
        g_rec.count = 0;
        CHECK(deep.go().outcome == Outcome::End);
        CHECK(g_rec.count == 1);
        CHECK(g_rec.calls == std::vector<std::string>{"f_rec:after"});
    }
}

TEST_CASE_METHOD(Fixture, "run picks the block by kind", "[interp]") {
    Run r(
        R"(route { f_rec("req"); } onreply_route { f_rec("reply"); } onreply_route[x] { f_rec("x"); } failure_route[f] { f_rec("f"); })");
    r.go(RouteType::Request);
    r.go(RouteType::OnReply);
    CHECK(r.go(RouteType::Failure).outcome == Outcome::End);
    CHECK(r.go(RouteType::Branch).outcome == Outcome::End);
    CHECK(g_rec.calls == std::vector<std::string>{"f_rec:req", "f_rec:reply"});

    Run no_reply(R"(route { f_rec("req"); })");
    RunResult res = no_reply.go(RouteType::OnReply);
    CHECK(res.outcome == Outcome::End);
    CHECK(res.ret == 1);
    Run no_main(R"(onreply_route { f_rec("reply"); })");
    CHECK(no_main.go(RouteType::Request).outcome == Outcome::End);
    CHECK(g_rec.calls.size() == 2);
}

TEST_CASE_METHOD(Fixture, "xlog", "[interp][xlog]") {
    FakeEnv env;
    env.set(Pv::Rm, "INVITE");
    env.set(Pv::Hdr, "bar", "X-Foo");
    env.set(Pv::Avp, "v", "a");
    Run r(R"~(route {
        $var(x) = 5;
        xlog("hello $rm $var(x) $hdr(X-Foo) $avp(s:a) $avp(nope) $rs\n");
        xlog("L_INFO", "info $$ $1 $ cost\n\n");
        xlog("L_DBG", "");
        xlog("L_WARN", "$rm$rm");
        if (xlog("L_NOTICE", "in a condition") && $rm =~ "inv") { f_rec("yes"); }
    })~");
    r.go(env);
    REQUIRE(r.lines.got.size() == 5);
    CHECK(r.lines.got[0] ==
          std::make_pair(int(SIPNAT_L_ERR), std::string("hello INVITE 5 bar v <null> <null>")));
    CHECK(r.lines.got[1] == std::make_pair(int(SIPNAT_L_INFO), std::string("info $$ $1 $ cost\n")));
    CHECK(r.lines.got[2] == std::make_pair(int(SIPNAT_L_DBG), std::string("")));
    CHECK(r.lines.got[3] == std::make_pair(int(SIPNAT_L_WARN), std::string("INVITEINVITE")));
    CHECK(r.lines.got[4] == std::make_pair(int(SIPNAT_L_NOTICE), std::string("in a condition")));
    CHECK(g_rec.calls == std::vector<std::string>{"f_rec:yes"});

    SECTION("the default sink is the host log, and skips levels it would drop") {
        State plain;
        int saved = log_get_level();
        log_set_level(SIPNAT_L_ERR);
        run(r.p, RouteType::Request, env, plain, &g_host); // INFO/DBG/WARN/NOTICE lines: not formatted
        log_set_level(saved);
        size_t asked_before = env.asked.size();
        log_set_level(SIPNAT_L_ERR);
        State plain2;
        Run quiet(R"(route { xlog("L_DBG", "$rm $ru"); })");
        run(quiet.p, RouteType::Request, env, plain2, &g_host);
        log_set_level(saved);
        CHECK(env.asked.size() == asked_before); // nothing fetched for a line nobody will see
    }
}

TEST_CASE_METHOD(Fixture, "one Program, many workers", "[interp][threads]") {
    Program p;
    compile_ok(R"~(route {
        $var(n) = $hdr(X-N);
        if ($ru =~ "^sip:[a-z]+@example\.com$" && $var(n) =~ $hdr(X-Re)) { $avp(ok) = $var(n); }
    })~",
               p);
    auto worker = [&p](int id, int *hits) {
        State st;
        for (int i = 0; i < 2000; i++) {
            FakeEnv env;
            env.set(Pv::Ru, "sip:alice@example.com");
            env.set(Pv::Hdr, std::to_string(id * 10000 + i), "X-N");
            env.set(Pv::Hdr, "^[0-9]+$", "X-Re");
            run(p, RouteType::Request, env, st, &g_host);
            if (env.avp_sets.size() == 1) ++*hits;
        }
    };
    int hits[4] = {};
    std::vector<std::thread> ts;
    for (int i = 0; i < 4; i++) ts.emplace_back(worker, i, &hits[i]);
    for (auto &t : ts) t.join();
    for (int h : hits) CHECK(h == 2000);
}
