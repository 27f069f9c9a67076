// ModuleRegistry::load: every way a module file can be refused, with the exact message.
#include "helpers.h"

#include "loader/loader.h"
#include "sipnat_build_config.h"

#include <catch2/catch.hpp>

using namespace hosttest;
using sipnat::ModuleRegistry;

namespace {

// Loads `spec` into a fresh registry and returns the error ("" if it loaded).
std::string load_error(const std::string &spec, const std::string &mpath) {
    ModuleRegistry r;
    std::string err;
    bool ok = r.load(spec, mpath, &err);
    if (ok) return "";
    CHECK(r.modules().empty());
    CHECK_FALSE(err.empty());
    return err;
}

} // namespace

TEST_CASE("a module loads and is described", "[loader]") {
    ModuleRegistry r;
    std::string err;
    REQUIRE(r.load("testmod.so", module_dir(), &err));
    CHECK(err.empty());
    REQUIRE(r.modules().size() == 1);
    const auto &m = r.modules()[0];
    CHECK(m.name == "testmod");
    CHECK(m.path == module_path("testmod.so"));
    CHECK(m.handle != nullptr);
    REQUIRE(m.exports != nullptr);
    CHECK(m.exports->abi_version == SIPNAT_ABI_VERSION);
    CHECK(m.exports->init != nullptr);
    CHECK(m.exports->worker_init != nullptr);
    CHECK(m.exports->destroy != nullptr);

    const sipnat::LoadedModule *owner = nullptr;
    const sipnat_func_export *f = r.find_function("tm_args", &owner);
    REQUIRE(f != nullptr);
    CHECK(owner == &m);
    CHECK(f->min_args == 1);
    CHECK(f->max_args == SIPNAT_MAX_FUNC_ARGS);
    CHECK(f->fixup != nullptr);
    CHECK(f->free_fixed != nullptr);
    CHECK(f->route_mask == SIPNAT_ROUTE_ANY);
    const sipnat_func_export *ro = r.find_function("tm_request_only");
    REQUIRE(ro != nullptr);
    CHECK(ro->route_mask == SIPNAT_ROUTE_REQUEST);
    CHECK(r.find_function("no_such_function") == nullptr);
    CHECK(r.find_function("") == nullptr);
}

TEST_CASE("a module given by absolute path ignores mpath", "[loader]") {
    ModuleRegistry r;
    std::string err;
    REQUIRE(r.load(module_path("testmod.so"), "/nonexistent", &err));
    CHECK(r.modules()[0].path == module_path("testmod.so"));
}

TEST_CASE("missing module file", "[loader]") {
    CHECK(load_error("nosuch.so", "/nonexistent/mods") ==
          "module 'nosuch.so' not found (searched mpath \"/nonexistent/mods\", " SIPNAT_BUILD_MODDIR
          ", " SIPNAT_INSTALL_MODDIR ")");
    CHECK(load_error("nosuch.so", "") ==
          "module 'nosuch.so' not found (searched mpath (unset), " SIPNAT_BUILD_MODDIR ", " SIPNAT_INSTALL_MODDIR ")");
    CHECK(load_error("/nonexistent/nosuch.so", module_dir()) ==
          "module '/nonexistent/nosuch.so' not found (searched mpath \"" + module_dir() +
              "\", " SIPNAT_BUILD_MODDIR ", " SIPNAT_INSTALL_MODDIR ")");
}

TEST_CASE("a folder with the module's name is not a module file", "[loader]") {
    TempDir t;
    t.mkdir("testmod.so");
    CHECK(load_error("testmod.so", t.path()).rfind("module 'testmod.so' not found", 0) == 0);
}

TEST_CASE("dlopen failure: not an ELF file", "[loader]") {
    TempDir t;
    std::string p = t.write("notelf.so", std::string(256, 'x') + "\nthis is not an ELF shared object\n");
    std::string err = load_error(p, "");
    INFO(err);
    CHECK(err.rfind("cannot load module '" + p + "': ", 0) == 0);
    CHECK(err.find("invalid ELF header") != std::string::npos);
}

TEST_CASE("dlopen failure: an empty file", "[loader]") {
    TempDir t;
    std::string p = t.write("empty.so", "");
    std::string err = load_error("empty.so", t.path());
    INFO(err);
    CHECK(err.rfind("cannot load module '" + p + "': ", 0) == 0);
}

TEST_CASE("dlopen failure: an unresolved symbol fails at load time (RTLD_NOW)", "[loader]") {
    std::string err = load_error("unresolved.so", module_dir());
    INFO(err);
    CHECK(err.rfind("cannot load module '" + module_path("unresolved.so") + "': ", 0) == 0);
    CHECK(err.find("undefined symbol: sipnat_test_no_such_symbol") != std::string::npos);
}

TEST_CASE("missing sipnat_module symbol", "[loader]") {
    CHECK(load_error("nosym.so", module_dir()) ==
          "module '" + module_path("nosym.so") + "' has no 'sipnat_module' symbol: not a sipnat module");
}

TEST_CASE("ABI version mismatch", "[loader]") {
    // badabi's symbol is only the version field: a loader reading further would overflow it.
    CHECK(load_error("badabi.so", module_dir()) ==
          "module '" + module_path("badabi.so") +
              "' was built for ABI version 999, this sipnatd has ABI version 1: rebuild the module");
}

TEST_CASE("malformed exports", "[loader]") {
    auto check = [](const char *so, const std::string &why) {
        INFO(so);
        CHECK(load_error(so, module_dir()) == "module '" + module_path(so) + "' " + why);
    };
    check("badexports.so", "function 'f' has bad argument counts or no handler"); // max_args 9
    check("badexports_minmax.so", "function 'f' has bad argument counts or no handler");
    check("badexports_negmin.so", "function 'f' has bad argument counts or no handler");
    check("badexports_nohandler.so", "function 'f' has bad argument counts or no handler");
    check("badexports_paramtype.so", "param 'p' has a bad type or no setter");
    check("badexports_nosetter.so", "param 'p' has a bad type or no setter");
    check("badexports_noname.so", "exports no module name");
}

TEST_CASE("duplicate module", "[loader]") {
    ModuleRegistry r;
    std::string err;
    REQUIRE(r.load("testmod.so", module_dir(), &err));

    SECTION("the same file twice") {
        CHECK_FALSE(r.load("testmod.so", module_dir(), &err));
        CHECK(err == "module 'testmod' is already loaded (from '" + module_path("testmod.so") + "')");
    }
    SECTION("another file with the same module name") {
        CHECK_FALSE(r.load("dupname.so", module_dir(), &err));
        CHECK(err == "module 'testmod' is already loaded (from '" + module_path("testmod.so") + "')");
    }
    REQUIRE(r.modules().size() == 1);
    // The first one is untouched and still usable.
    CHECK(r.find_function("tm_true") != nullptr);
    CHECK(r.modules()[0].exports->name == std::string("testmod"));
}

TEST_CASE("a failed load leaves earlier modules alone", "[loader]") {
    ModuleRegistry r;
    std::string err;
    REQUIRE(r.load("testmod.so", module_dir(), &err));
    CHECK_FALSE(r.load("badabi.so", module_dir(), &err));
    CHECK_FALSE(r.load("nosym.so", module_dir(), &err));
    CHECK_FALSE(r.load("nosuch.so", module_dir(), &err));
    REQUIRE(r.modules().size() == 1);
    CHECK(r.modules()[0].name == "testmod");
}
