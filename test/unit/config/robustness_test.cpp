// Hostile input: deep nesting, long chains, random bytes, truncated configs.
#include <cstdint>

#include "helpers.h"

using namespace cfgtest;

namespace {

std::string repeat(std::string_view s, int n) {
    std::string out;
    for (int i = 0; i < n; i++) out += s;
    return out;
}

// Deterministic xorshift so failures reproduce.
struct Rng {
    uint64_t s = 0x9e3779b97f4a7c15ull;
    uint64_t next() {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        return s;
    }
};

const char *kSample = "# sipnat example\n"
                      "log_level=3\n"
                      "children=2\n"
                      "listen=udp:127.0.0.1:5060\n"
                      "listen=udp:[::1]:5060\n"
                      "mpath=\"/usr/lib/sipnat/modules\"\n"
                      "loadmodule \"stun.so\"\n"
                      "modparam(\"stun\", \"alternate_ip\", \"127.0.0.2\")\n"
                      "route {\n"
                      "    if (!has_totag() && is_method(\"INVITE\")) {\n"
                      "        $avp(signaling_ip) = $si;\n"
                      "        if (client_nat_test(\"3\")) { fix_contact(); }\n"
                      "    } else if (method == \"BYE\") { end_media_session(); }\n"
                      "    /* block */ if ($rU =~ \"^[0-9]+$\") { xlog(\"L_INFO\", \"num $rU\\n\"); }\n"
                      "    forward();\n"
                      "}\n"
                      "onreply_route { if (status =~ \"(183)|(2[0-9][0-9])\") { use_media_proxy(); } }\n";

// Parses anything; checks that errors carry a sane position.
void parse_any(std::string_view text) {
    Config cfg;
    ConfigError err;
    if (!parse_config_string(text, "f.cfg", cfg, err)) {
        CHECK(err.line >= 1);
        CHECK(err.col >= 1);
        CHECK_FALSE(err.message.empty());
    }
}

} // namespace

TEST_CASE("robustness: nesting is capped", "[config][robustness]") {
    CHECK(parse_err("route { if (" + repeat("(", 100) + "a" + repeat(")", 100) + ") {} }") == "OK");
    CHECK(parse_err("route { if (" + repeat("(", 1000) + "a" + repeat(")", 1000) + ") {} }") ==
          "sipnat.cfg:1:268: nesting too deep (more than 256 levels)");
    CHECK(parse_err("route { if (" + repeat("!", 100000) + "a) {} }") ==
          "sipnat.cfg:1:268: nesting too deep (more than 256 levels)");
    std::string ifs = "route {\n" + repeat("if (a) {\n", 300) + repeat("}\n", 300) + "}\n";
    CHECK(parse_err(ifs) == "sipnat.cfg:257:5: nesting too deep (more than 256 levels)");
    std::string unbraced = "route {" + repeat(" if (a)", 5000) + " f(); }";
    CHECK(parse_err(unbraced).find("nesting too deep") != std::string::npos);
    CHECK(parse_err("route { if (a) {} " + repeat("else if (a) {} ", 100) + "}") == "OK");
}

TEST_CASE("robustness: long flat input is fine", "[config][robustness]") {
    std::string chain = "a" + repeat(" && a", 50000);
    Config c = parse_ok("route { if (" + chain + " || b) {} }");
    const Expr &e = c.routes[0].body[0].expr;
    REQUIRE(e.kind == ExprKind::Or);
    CHECK(e.kids[0].kids.size() == 50001);

    std::string many;
    for (int i = 0; i < 20000; i++) many += "route[r" + std::to_string(i) + "] { f(); }\n";
    CHECK(parse_ok(many).routes.size() == 20000);
    CHECK(parse_ok("route {" + repeat(" f();", 50000) + " }").routes[0].body.size() == 50000);
}

TEST_CASE("robustness: every prefix of a real config parses or fails cleanly", "[config][robustness]") {
    std::string s = kSample;
    parse_ok(s);
    for (size_t n = 0; n <= s.size(); n++) parse_any(std::string_view(s).substr(0, n));
    // And with each byte dropped.
    for (size_t i = 0; i < s.size(); i++) parse_any(s.substr(0, i) + s.substr(i + 1));
}

TEST_CASE("robustness: random bytes never crash", "[config][robustness]") {
    Rng rng;
    const std::string alphabet = "route{}()[]!&|=~<>;,\"$#/* \n\tif else 0123 -abc:.\\";
    for (int round = 0; round < 3000; round++) {
        std::string text;
        size_t len = rng.next() % 200;
        for (size_t i = 0; i < len; i++) {
            uint64_t r = rng.next();
            text += (r & 1) ? alphabet[(r >> 1) % alphabet.size()] : static_cast<char>(r >> 8);
        }
        parse_any(text);
    }
    // Splice random bytes into the sample.
    std::string s = kSample;
    for (int round = 0; round < 2000; round++) {
        std::string t = s;
        int edits = 1 + static_cast<int>(rng.next() % 4);
        for (int k = 0; k < edits; k++) t[rng.next() % t.size()] = static_cast<char>(rng.next());
        parse_any(t);
    }
}
