// ModuleRegistry::candidates: where a loadmodule name is looked for, in order.
#include "helpers.h"

#include "loader/loader.h"
#include "sipnat_build_config.h"

#include <catch2/catch.hpp>

using namespace hosttest;
using sipnat::ModuleRegistry;
using V = std::vector<std::string>;

static const std::string B = SIPNAT_BUILD_MODDIR;
static const std::string I = SIPNAT_INSTALL_MODDIR;

TEST_CASE("candidates: a bare name", "[candidates]") {
    CHECK(ModuleRegistry::candidates("stun.so", "/opt/mods") ==
          V{"/opt/mods/stun.so", "/opt/mods/stun/stun.so", B + "/stun.so", B + "/stun/stun.so", I + "/stun.so",
            I + "/stun/stun.so"});
}

TEST_CASE("candidates: no mpath skips it", "[candidates]") {
    CHECK(ModuleRegistry::candidates("stun.so", "") ==
          V{B + "/stun.so", B + "/stun/stun.so", I + "/stun.so", I + "/stun/stun.so"});
}

TEST_CASE("candidates: an absolute path is the only candidate", "[candidates]") {
    CHECK(ModuleRegistry::candidates("/usr/lib/x/stun.so", "/opt/mods") == V{"/usr/lib/x/stun.so"});
    CHECK(ModuleRegistry::candidates("/stun.so", "") == V{"/stun.so"});
}

TEST_CASE("candidates: a relative path with '/' comes first as given", "[candidates]") {
    V c = ModuleRegistry::candidates("sub/stun.so", "/opt/mods");
    REQUIRE(c.size() >= 2);
    CHECK(c[0] == "sub/stun.so");
    CHECK(c[1] == "/opt/mods/sub/stun.so");
    CHECK(c.back().rfind(I + "/", 0) == 0);
}

TEST_CASE("candidates: the folder is named after the stem", "[candidates]") {
    CHECK(ModuleRegistry::candidates("stun", "/m") ==
          V{"/m/stun", "/m/stun/stun", B + "/stun", B + "/stun/stun", I + "/stun", I + "/stun/stun"});
    V c = ModuleRegistry::candidates("nat.traversal.so", "/m");
    REQUIRE(c.size() == 6);
    CHECK(c[1] == "/m/nat/nat.traversal.so");
}

TEST_CASE("candidates: an empty name has none", "[candidates]") {
    CHECK(ModuleRegistry::candidates("", "/m").empty());
}

TEST_CASE("search order decides which file loads", "[candidates]") {
    TempDir t;
    ModuleRegistry r;
    std::string err;

    SECTION("mpath/STEM/NAME when mpath/NAME is missing") {
        std::string p = t.link("testmod/testmod.so", module_path("testmod.so"));
        REQUIRE(r.load("testmod.so", t.path(), &err));
        CHECK(r.modules()[0].path == p);
    }
    SECTION("mpath/NAME before mpath/STEM/NAME") {
        std::string first = t.link("testmod.so", module_path("testmod.so"));
        t.link("testmod/testmod.so", module_path("badabi.so"));
        REQUIRE(r.load("testmod.so", t.path(), &err));
        CHECK(r.modules()[0].path == first);
    }
    SECTION("the first existing file is taken even if it is broken") {
        t.link("testmod.so", module_path("badabi.so"));
        t.link("testmod/testmod.so", module_path("testmod.so"));
        CHECK_FALSE(r.load("testmod.so", t.path(), &err));
        CHECK(err == "module '" + t.path() + "/testmod.so' was built for ABI version 999, this sipnatd has ABI "
                     "version 1: rebuild the module");
    }
}
