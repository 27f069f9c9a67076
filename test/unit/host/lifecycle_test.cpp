// The lifecycle calls through the registry: init_all, worker_init_all, destroy_all, and
// (on the process's Host) real workers running testmod's worker_init and timers.
#include "helpers.h"

#include "host/host.h"
#include "loader/loader.h"

#include <catch2/catch.hpp>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <thread>
#include <unistd.h>

using namespace hosttest;
using sipnat::Host;
using sipnat::ModuleRegistry;

namespace {

// Puts the process Host in a known state for init and restores it afterwards.
struct HostState {
    int saved_workers;
    explicit HostState(int workers, bool in_init) {
        Host &h = Host::get();
        saved_workers = h.worker_count;
        h.worker_count = workers;
        h.in_init = in_init;
    }
    ~HostState() {
        Host &h = Host::get();
        h.worker_count = saved_workers;
        h.in_init = false;
        h.raw_hooks.clear();
        h.apis.clear();
    }
};

// Sends fd 2 (where the host's real log goes) to a temp file until text() is called.
class StderrCapture {
public:
    StderrCapture() {
        char tmpl[] = "/tmp/sipnat-unit-stderr-XXXXXX";
        fd_ = mkstemp(tmpl);
        REQUIRE(fd_ >= 0);
        path_ = tmpl;
        saved_ = dup(2);
        dup2(fd_, 2);
    }
    ~StderrCapture() { restore(); }
    // Restores fd 2 and returns everything written to it meanwhile.
    std::string text() {
        if (saved_ < 0) return text_;
        restore();
        return text_;
    }

private:
    void restore() {
        if (saved_ < 0) return;
        dup2(saved_, 2);
        close(saved_);
        saved_ = -1;
        std::ifstream f(path_);
        std::stringstream ss;
        ss << f.rdbuf();
        text_ = ss.str();
        close(fd_);
        unlink(path_.c_str());
    }
    std::string text_;
    int fd_ = -1, saved_ = -1;
    std::string path_;
};

int count(const std::string &text, const std::string &needle) {
    int n = 0;
    for (size_t p = text.find(needle); p != std::string::npos; p = text.find(needle, p + 1)) n++;
    return n;
}

sipnat::ParamValue str(const std::string &s) {
    sipnat::ParamValue v;
    v.s = s;
    return v;
}

} // namespace

TEST_CASE("init runs once, then destroy once; worker_init refuses to run off a worker", "[lifecycle]") {
    ModuleRegistry r;
    std::string err;
    REQUIRE(r.load("testmod.so", module_dir(), &err));
    clear_log();
    {
        HostState hs(2, true);
        REQUIRE(r.init_all(capture_table(), &err));
        CHECK(logged_with("testmod: init worker_count=2 ").size() == 1);
        CHECK(logged_with("testmod: 0 sockets, socket_find ok").size() == 1);
        CHECK(logged_with("testmod: published api as testmod").size() == 1);
        CHECK(Host::get().raw_hooks.size() == 1);
        CHECK(Host::get().apis.count("testmod") == 1);
        // A second init_all does not run init again.
        REQUIRE(r.init_all(capture_table(), &err));
        CHECK(logged_with("testmod: init worker_count=").size() == 1);

        // testmod's worker_init insists on running on its worker (worker_id() == id).
        CHECK_FALSE(r.worker_init_all(capture_table(), 0, &err));
        CHECK(err == "module 'testmod' failed to initialise worker 0");

        r.destroy_all(capture_table());
        CHECK(logged_with("testmod: destroy").size() == 1);
        r.destroy_all(capture_table()); // idempotent
        CHECK(logged_with("testmod: destroy").size() == 1);
    }
}

TEST_CASE("a failing init is reported with its reason and gets no destroy", "[lifecycle]") {
    ModuleRegistry r;
    std::string err;
    REQUIRE(r.load("testmod.so", module_dir(), &err));
    REQUIRE(r.set_param(capture_table(), "testmod", "fail_init", str("told to fail"), &err));
    clear_log();
    HostState hs(1, true);
    std::string failed, reason;
    CHECK_FALSE(r.init_all(capture_table(), &err, &failed, &reason));
    CHECK(err == "module 'testmod' failed to initialise: told to fail");
    CHECK(failed == "testmod");
    CHECK(reason == "told to fail");
    r.destroy_all(capture_table());
    CHECK(logged_with("testmod: destroy").empty());
    // Module state outlives this registry if another one holds the module: undo the param.
    REQUIRE(r.set_param(capture_table(), "testmod", "fail_init", str(""), &err));
}

TEST_CASE("raw hooks and module sockets are refused outside init", "[lifecycle]") {
    ModuleRegistry r;
    std::string err;
    REQUIRE(r.load("testmod.so", module_dir(), &err));
    HostState hs(1, false);
    StderrCapture cap;
    CHECK_FALSE(r.init_all(capture_table(), &err));
    std::string text = cap.text();
    CHECK(err == "module 'testmod' failed to initialise: raw_hook_add failed");
    CHECK(text.find("ERROR [core] raw_hook_add is only allowed during module init") != std::string::npos);
    CHECK(Host::get().raw_hooks.empty());
    CHECK(Host::get().table()->socket_open_udp("127.0.0.1", 0) == nullptr);
}

TEST_CASE("workers run worker_init once each on their own thread, and their timers", "[lifecycle][workers]") {
    Host &h = Host::get();
    REQUIRE(h.modules.modules().empty()); // the only test that uses the process's registry
    std::string err;
    REQUIRE(h.modules.load("testmod.so", module_dir(), &err));
    StderrCapture cap;
    std::string text;
    {
        HostState hs(3, true);
        REQUIRE(h.modules.init_all(h.table(), &err));
        h.in_init = false;
        REQUIRE(h.start_workers(&err));
        // Each worker: a one-shot timer after 20 ms, a repeating one stopping after 3 x 10 ms.
        auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        for (;;) {
            std::ifstream f("/proc/self/fd/2");
            std::stringstream ss;
            ss << f.rdbuf();
            if (count(ss.str(), "after 3 fires") == 3 && count(ss.str(), "timer fired on worker") == 3) break;
            if (std::chrono::steady_clock::now() > deadline) break;
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        h.stop_workers();
        h.modules.destroy_all(h.table());
        h.workers_started = false;
        text = cap.text();
    }
    INFO(text);
    for (int i = 0; i < 3; i++) {
        CHECK(count(text, "testmod: worker_init id=" + std::to_string(i) + " of 3\n") == 1);
        CHECK(count(text, "testmod: timer fired on worker " + std::to_string(i) + "\n") == 1);
        CHECK(count(text, "testmod: repeat timer stopped on worker " + std::to_string(i) + " after 3 fires\n") == 1);
    }
    CHECK(count(text, "testmod: worker_init ") == 3);
    CHECK(count(text, "testmod: destroy") == 1);
    CHECK(count(text, "ERROR") == 0);
    CHECK(count(text, "WARNING") == 0); // e.g. "loop closed with live handles"
    CHECK(h.workers.empty());
}
