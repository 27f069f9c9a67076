// The small pieces: pseudo-variable names, xlog formats, regexes, numbers.
#include "helpers.h"

using namespace scrtest;

TEST_CASE("resolve_pv knows exactly the listed names", "[pv]") {
    VarTable vars;
    PvRef r;
    std::string err;
    const std::pair<const char *, Pv> plain[] = {
        {"rm", Pv::Rm}, {"ru", Pv::Ru}, {"rU", Pv::RU}, {"rd", Pv::Rd},       {"rp", Pv::Rp}, {"si", Pv::Si},
        {"sp", Pv::Sp}, {"ci", Pv::Ci}, {"fu", Pv::Fu}, {"tu", Pv::Tu},       {"ft", Pv::Ft}, {"tt", Pv::Tt},
        {"ua", Pv::Ua}, {"rs", Pv::Rs}, {"rr", Pv::Rr}, {"proto", Pv::Proto},
    };
    for (auto [name, pv] : plain) {
        INFO(name);
        REQUIRE(resolve_pv(name, "", false, std::string("$") + name, vars, &r, &err));
        CHECK(r.pv == pv);
        CHECK(r.arg.empty());
        CHECK(std::string(pv_name(pv)) == name);
        CHECK(!pv_writable(pv));
    }
    for (const char *bad : {"RU", "Ru", "from", "to", "hdrs", "avps", "x", "rs_", "time"})
        CHECK(!resolve_pv(bad, "", false, std::string("$") + bad, vars, &r, &err));
    CHECK(err == "unknown pseudo-variable '$time'");

    REQUIRE(resolve_pv("hdr", "Content-Type", true, "$hdr(Content-Type)", vars, &r, &err));
    CHECK((r.pv == Pv::Hdr && r.arg == "Content-Type" && r.text == "$hdr(Content-Type)"));
    REQUIRE(resolve_pv("avp", "s:x_1.2-3", true, "$avp(s:x_1.2-3)", vars, &r, &err));
    CHECK((r.pv == Pv::Avp && r.arg == "x_1.2-3" && pv_writable(r.pv)));
    REQUIRE(resolve_pv("avp", "sx", true, "$avp(sx)", vars, &r, &err));
    CHECK(r.arg == "sx");
    CHECK(!resolve_pv("avp", "a b", true, "$avp(a b)", vars, &r, &err));
    CHECK(err == "invalid name 'a b' in '$avp(a b)' (use letters, digits, '_', '-', '.')");
    CHECK(!resolve_pv("var", "x)", true, "$var(x))", vars, &r, &err));
}

TEST_CASE("$var names get stable slots", "[pv]") {
    VarTable vars;
    PvRef r;
    std::string err;
    REQUIRE(resolve_pv("var", "a", true, "$var(a)", vars, &r, &err));
    CHECK(r.slot == 0);
    REQUIRE(resolve_pv("var", "b", true, "$var(b)", vars, &r, &err));
    CHECK(r.slot == 1);
    REQUIRE(resolve_pv("var", "a", true, "$var(a)", vars, &r, &err));
    CHECK(r.slot == 0);
    CHECK(vars.size() == 2);
    CHECK(vars.name(1) == "b");
}

TEST_CASE("xlog formats compile into segments", "[xlog]") {
    VarTable vars;
    XlogFormat f;
    std::string err;
    REQUIRE(compile_xlog_format("a $rm b $hdr(To)$var(x).\n", vars, &f, &err));
    REQUIRE(f.segs.size() == 6);
    CHECK((!f.segs[0].is_pv && f.segs[0].lit == "a "));
    CHECK((f.segs[1].is_pv && f.segs[1].pv.pv == Pv::Rm));
    CHECK(f.segs[2].lit == " b ");
    CHECK((f.segs[3].is_pv && f.segs[3].pv.pv == Pv::Hdr && f.segs[3].pv.arg == "To"));
    CHECK((f.segs[4].is_pv && f.segs[4].pv.pv == Pv::Var));
    CHECK(f.segs[5].lit == "."); // one trailing newline dropped

    REQUIRE(compile_xlog_format("100$ $$ $5 end$", vars, &f, &err));
    REQUIRE(f.segs.size() == 1);
    CHECK(f.segs[0].lit == "100$ $$ $5 end$");

    REQUIRE(compile_xlog_format("", vars, &f, &err));
    CHECK(f.segs.empty());
    REQUIRE(compile_xlog_format("\n", vars, &f, &err));
    CHECK(f.segs.empty());

    CHECK(!compile_xlog_format("x $rm_x", vars, &f, &err));
    CHECK(err == "unknown pseudo-variable '$rm_x'");
    CHECK(!compile_xlog_format("x $hdr(a(b)", vars, &f, &err));
    CHECK(err == "unterminated pseudo-variable '$hdr(a(b)' in xlog format");
}

TEST_CASE("xlog level names", "[xlog]") {
    int lv = 0;
    CHECK((xlog_level("L_ERR", &lv) && lv == SIPNAT_L_ERR));
    CHECK((xlog_level("L_WARN", &lv) && lv == SIPNAT_L_WARN));
    CHECK((xlog_level("L_NOTICE", &lv) && lv == SIPNAT_L_NOTICE));
    CHECK((xlog_level("L_INFO", &lv) && lv == SIPNAT_L_INFO));
    CHECK((xlog_level("L_DBG", &lv) && lv == SIPNAT_L_DBG));
    CHECK((xlog_level("L_CRIT", &lv) && lv == SIPNAT_L_ERR));
    CHECK(!xlog_level("l_err", &lv));
    CHECK(!xlog_level("", &lv));
}

TEST_CASE("Regex: POSIX ERE, case-insensitive, exact bytes", "[regex]") {
    Regex re;
    std::string err;
    REQUIRE(re.compile("^a+b{2}(c|d)$", &err));
    CHECK(re.match("AABBD"));
    CHECK(!re.match("abbe"));
    CHECK(!re.match(std::string_view("abbcX", 4).substr(0, 3))); // only the viewed bytes count
    CHECK(re.match(std::string_view("abbcX", 4)));
    Regex nul;
    CHECK(!nul.compile(std::string_view("a\0b", 3), &err));
    CHECK(err == "invalid regular expression: it contains a NUL byte");
    Regex bad;
    CHECK(!bad.compile("a{1", &err));
    CHECK(err.rfind("invalid regular expression 'a{1': ", 0) == 0);
    CHECK(!bad.match("a"));
    Regex unused; // destroying a never-compiled regex is fine
}

TEST_CASE("RegexCache evicts the least recently used pattern", "[regex]") {
    RegexCache c(2);
    std::string err;
    const Regex *a = c.get("a", &err);
    REQUIRE(a);
    CHECK(err.empty());
    REQUIRE(c.get("b", &err));
    CHECK(c.get("a", &err) == a); // hit: "a" is now the most recent
    REQUIRE(c.get("c", &err));    // evicts "b"
    CHECK(c.size() == 2);
    CHECK(c.get("a", &err) == a);
    CHECK(c.get("(", &err) == nullptr); // evicts "c"
    CHECK(!err.empty());
    CHECK(c.get("(", &err) == nullptr); // cached failure: no fresh error
    CHECK(err.empty());
    CHECK(c.size() == 2);
}

TEST_CASE("numbers", "[value]") {
    long n = 0;
    CHECK((parse_long("0", n) && n == 0));
    CHECK((parse_long("-12", n) && n == -12));
    CHECK((parse_long("007", n) && n == 7));
    CHECK(!parse_long("", n));
    CHECK(!parse_long("+1", n));
    CHECK(!parse_long("1 ", n));
    CHECK(!parse_long("12a", n));
    CHECK(!parse_long("99999999999999999999999", n));
    char buf[kLongChars];
    CHECK(long_text(-9223372036854775807L - 1, buf) == "-9223372036854775808");
    Value v;
    CHECK(!as_number(v, n));
    v.kind = Value::Str;
    v.s = "x";
    CHECK(!as_number(v, n));
    v.s = "15";
    CHECK((as_number(v, n) && n == 15));
}
