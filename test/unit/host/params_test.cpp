// ModuleRegistry::set_param: delivery to the module's setter, and every refusal.
#include "helpers.h"

#include "loader/loader.h"

#include <catch2/catch.hpp>


using namespace hosttest;
using sipnat::ModuleRegistry;
using sipnat::ParamValue;

namespace {

ParamValue str(const std::string &s) {
    ParamValue v;
    v.s = s;
    return v;
}

ParamValue num(long i) {
    ParamValue v;
    v.is_int = true;
    v.i = i;
    return v;
}

// "testmod: str_param=X (delivery #N)" -> {X, N}
std::vector<std::pair<std::string, int>> deliveries(const std::string &param) {
    std::vector<std::pair<std::string, int>> out;
    const std::string head = "testmod: " + param + "=", mid = " (delivery #";
    for (const auto &l : logged_with(head)) {
        size_t m = l.rfind(mid);
        if (m == std::string::npos || l.back() != ')') continue;
        std::string n = l.substr(m + mid.size(), l.size() - 1 - (m + mid.size()));
        out.emplace_back(l.substr(head.size(), m - head.size()), std::stoi(n));
    }
    return out;
}

struct Loaded {
    ModuleRegistry r;
    Loaded() {
        std::string err;
        REQUIRE(r.load("testmod.so", module_dir(), &err));
        clear_log();
    }
    bool set(const std::string &mod, const std::string &param, const ParamValue &v, std::string *err) {
        return r.set_param(capture_table(), mod, param, v, err);
    }
};

} // namespace

TEST_CASE("a param given three times is delivered three times, in order", "[params]") {
    Loaded l;
    std::string err;
    REQUIRE(l.set("testmod", "str_param", str("one"), &err));
    REQUIRE(l.set("testmod", "str_param", str("two words"), &err));
    REQUIRE(l.set("testmod", "str_param", str(""), &err));
    auto d = deliveries("str_param");
    REQUIRE(d.size() == 3);
    CHECK(d[0].first == "one");
    CHECK(d[1].first == "two words");
    CHECK(d[2].first == "");
    // Counted by the module itself: consecutive (from 1 on a fresh load).
    CHECK(d[1].second == d[0].second + 1);
    CHECK(d[2].second == d[1].second + 1);

    REQUIRE(l.set("testmod", "int_param", num(7), &err));
    REQUIRE(l.set("testmod", "int_param", num(-3), &err));
    REQUIRE(l.set("testmod", "int_param", num(2147483648L), &err));
    auto n = deliveries("int_param");
    REQUIRE(n.size() == 3);
    CHECK(n[0].first == "7");
    CHECK(n[1].first == "-3");
    CHECK(n[2].first == "2147483648");
    CHECK(n[2].second == n[0].second + 2);
}

TEST_CASE("the module's own param log lines are tagged with its name", "[params]") {
    Loaded l;
    std::string err;
    REQUIRE(l.set("testmod", "int_param", num(1), &err));
    auto all = logged();
    REQUIRE(all.size() == 1);
    CHECK(all[0].rfind("[testmod] testmod: int_param=1 (delivery #", 0) == 0);
}

TEST_CASE("modparam for a module that is not loaded", "[params]") {
    Loaded l;
    std::string err;
    CHECK_FALSE(l.set("nomod", "x", num(1), &err));
    CHECK(err == "modparam for module 'nomod', which is not loaded (loadmodule it first)");
    // Module names are exact (no case folding, no ".so").
    CHECK_FALSE(l.set("TestMod", "int_param", num(1), &err));
    CHECK(err == "modparam for module 'TestMod', which is not loaded (loadmodule it first)");
    CHECK_FALSE(l.set("testmod.so", "int_param", num(1), &err));
    CHECK(err == "modparam for module 'testmod.so', which is not loaded (loadmodule it first)");
    CHECK(logged().empty());
}

TEST_CASE("modparam with an unknown param name", "[params]") {
    Loaded l;
    std::string err;
    CHECK_FALSE(l.set("testmod", "nope", str("v"), &err));
    CHECK(err == "module 'testmod' has no parameter 'nope'");
    CHECK_FALSE(l.set("testmod", "", num(1), &err));
    CHECK(err == "module 'testmod' has no parameter ''");
    CHECK(logged().empty());
}

TEST_CASE("modparam value of the wrong type, both ways", "[params]") {
    Loaded l;
    std::string err;
    CHECK_FALSE(l.set("testmod", "int_param", str("12"), &err));
    CHECK(err == "parameter 'int_param' of module 'testmod' expects an integer, found a string");
    CHECK_FALSE(l.set("testmod", "str_param", num(12), &err));
    CHECK(err == "parameter 'str_param' of module 'testmod' expects a string, found an integer");
    // The setter never ran.
    CHECK(logged().empty());
}

TEST_CASE("the module rejects a value", "[params]") {
    Loaded l;
    std::string err;
    REQUIRE(l.set("testmod", "reject_param", str("fine"), &err));
    CHECK(logged_with("testmod: reject_param=") == std::vector<std::string>{"testmod: reject_param=fine accepted"});
    CHECK_FALSE(l.set("testmod", "reject_param", str("bad"), &err));
    CHECK(err == "module 'testmod' rejected parameter 'reject_param': value \"bad\" is not acceptable");
    CHECK_FALSE(l.set("testmod", "str_param", str(std::string(300, 'x')), &err));
    CHECK(err == "module 'testmod' rejected parameter 'str_param': value too long");
    // A rejection without a reason reads cleanly too.
    CHECK_FALSE(l.set("testmod", "reject_param", str("silent"), &err));
    CHECK(err == "module 'testmod' rejected parameter 'reject_param'");
}
