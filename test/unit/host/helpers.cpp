#include "helpers.h"

#include "host/host.h"

#include <catch2/catch.hpp>

#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>

namespace hosttest {

namespace {

std::mutex g_mu;
std::vector<std::string> g_log;

void capture_log(int, const char *module, const char *fmt, ...) {
    char buf[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    std::lock_guard<std::mutex> lock(g_mu);
    g_log.push_back(std::string("[") + (module ? module : "") + "] " + buf);
}

} // namespace

const std::string &module_dir() {
    static const std::string dir = [] {
        const char *d = std::getenv("SIPNAT_TEST_MODDIR");
        if (!d || !*d) FAIL("SIPNAT_TEST_MODDIR is not set (run through meson test)");
        return std::string(d);
    }();
    return dir;
}

std::string module_path(const std::string &name) { return module_dir() + "/" + name; }

const sipnat_host *capture_table() {
    static const sipnat_host t = [] {
        sipnat_host c = *sipnat::Host::get().table();
        c.log = capture_log;
        return c;
    }();
    return &t;
}

std::vector<std::string> logged() {
    std::lock_guard<std::mutex> lock(g_mu);
    return g_log;
}

void clear_log() {
    std::lock_guard<std::mutex> lock(g_mu);
    g_log.clear();
}

std::vector<std::string> logged_with(const std::string &prefix) {
    std::vector<std::string> out;
    for (const auto &l : logged()) {
        auto sp = l.find("] ");
        if (sp != std::string::npos && l.compare(sp + 2, prefix.size(), prefix) == 0) out.push_back(l.substr(sp + 2));
    }
    return out;
}

TempDir::TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "sipnat-unit-XXXXXX").string();
    char *p = mkdtemp(tmpl.data());
    REQUIRE(p != nullptr);
    path_ = p;
}

TempDir::~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
}

std::string TempDir::write(const std::string &rel, const std::string &content) const {
    std::filesystem::path p = std::filesystem::path(path_) / rel;
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << content;
    return p.string();
}

std::string TempDir::link(const std::string &rel, const std::string &target) const {
    std::filesystem::path p = std::filesystem::path(path_) / rel;
    std::filesystem::create_directories(p.parent_path());
    std::filesystem::create_symlink(target, p);
    return p.string();
}

std::string TempDir::mkdir(const std::string &rel) const {
    std::filesystem::path p = std::filesystem::path(path_) / rel;
    std::filesystem::create_directories(p);
    return p.string();
}

} // namespace hosttest
