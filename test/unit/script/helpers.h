// Shared fakes for the script tests: a message environment that records what
// the interpreter asks, and a resolver with module functions that record calls.
#pragma once

#include <catch2/catch.hpp>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "config/parser.h"
#include "script/script.h"

namespace scrtest {

using namespace sipnat;
using namespace sipnat::script;

// Everything the fake functions saw, reset by each test's Fixture.
struct Record {
    std::vector<std::string> calls; // "name" or "name:arg" per handler call
    std::vector<std::vector<std::string>> fixup_args;
    std::vector<const sipnat_host *> fixup_hosts;
    const sipnat_host *last_host = nullptr;
    sipnat_msg *last_msg = nullptr;
    int freed = 0;
    int count = 0;
};
inline Record g_rec;

// Fixed argument of the one-argument fakes: a copy of the argument.
inline int fix_copy(const sipnat_host *h, int argc, const char *const *argv, void **fixed, char *err,
                    size_t errlen) {
    std::vector<std::string> args(argv, argv + argc);
    g_rec.fixup_args.push_back(args);
    g_rec.fixup_hosts.push_back(h);
    if (argc > 0 && std::strcmp(argv[0], "bad") == 0) {
        snprintf(err, errlen, "bad argument '%s'", argv[0]);
        return -1;
    }
    *fixed = argc > 0 ? strdup(argv[0]) : nullptr;
    return 0;
}
inline void free_copy(void *p) {
    g_rec.freed++;
    free(p);
}
inline int fix_silent(const sipnat_host *, int, const char *const *, void **, char *, size_t) {
    return -1;
}

inline int note(const char *name, const sipnat_host *h, sipnat_msg *m, void *fixed) {
    g_rec.last_host = h;
    g_rec.last_msg = m;
    std::string s = name;
    if (fixed) s += std::string(":") + static_cast<const char *>(fixed);
    g_rec.calls.push_back(s);
    return 1;
}
inline int h_true(const sipnat_host *h, sipnat_msg *m, void *f) {
    return note("f_true", h, m, f);
}
inline int h_false(const sipnat_host *h, sipnat_msg *m, void *f) {
    return note("f_false", h, m, f), -1;
}
inline int h_zero(const sipnat_host *h, sipnat_msg *m, void *f) {
    return note("f_zero", h, m, f), 0;
}
inline int h_rec(const sipnat_host *h, sipnat_msg *m, void *f) {
    return note("f_rec", h, m, f);
}
inline int h_ret(const sipnat_host *h, sipnat_msg *m, void *f) {
    note("ret", h, m, f);
    return atoi(static_cast<const char *>(f));
}
inline int h_count(const sipnat_host *, sipnat_msg *, void *) {
    return ++g_rec.count, 1;
}
inline int h_req(const sipnat_host *h, sipnat_msg *m, void *f) {
    return note("req_only", h, m, f);
}
inline int h_reply(const sipnat_host *h, sipnat_msg *m, void *f) {
    return note("reply_only", h, m, f);
}

inline const sipnat_func_export kFuncs[] = {
    {"f_true", 0, 0, nullptr, nullptr, h_true, SIPNAT_ROUTE_ANY},
    {"f_false", 0, 0, nullptr, nullptr, h_false, SIPNAT_ROUTE_ANY},
    {"f_zero", 0, 0, nullptr, nullptr, h_zero, SIPNAT_ROUTE_ANY},
    {"f_rec", 1, 1, fix_copy, free_copy, h_rec, SIPNAT_ROUTE_ANY},
    {"opt", 1, 2, fix_copy, free_copy, h_rec, SIPNAT_ROUTE_ANY},
    {"two", 2, 2, fix_copy, free_copy, h_rec, SIPNAT_ROUTE_ANY},
    {"ret", 1, 1, fix_copy, free_copy, h_ret, SIPNAT_ROUTE_ANY},
    {"count", 0, 0, nullptr, nullptr, h_count, SIPNAT_ROUTE_ANY},
    {"f_silent", 0, 1, fix_silent, nullptr, h_true, SIPNAT_ROUTE_ANY},
    {"req_only", 0, 0, nullptr, nullptr, h_req, SIPNAT_ROUTE_REQUEST},
    {"reply_only", 0, 0, nullptr, nullptr, h_reply, SIPNAT_ROUTE_ONREPLY},
    {"req_fail", 0, 0, nullptr, nullptr, h_req, SIPNAT_ROUTE_REQUEST | SIPNAT_ROUTE_FAILURE},
    {"nowhere", 0, 0, nullptr, nullptr, h_true, 0},
    {"core_fn", 0, 0, nullptr, nullptr, h_true, SIPNAT_ROUTE_ANY},
    {nullptr, 0, 0, nullptr, nullptr, nullptr, 0},
};

class FakeResolver : public FunctionResolver {
public:
    const sipnat_func_export *find(const std::string &name, std::string *owner) const override {
        for (const sipnat_func_export *f = kFuncs; f->name; f++) {
            if (name == f->name) {
                *owner = name == "core_fn" ? "core" : "fake";
                return f;
            }
        }
        return nullptr;
    }
};

// A message: pseudo-variable values by (pv, arg); every question recorded.
class FakeEnv : public MsgEnv {
public:
    std::map<std::pair<Pv, std::string>, std::string> values;
    std::vector<std::pair<Pv, std::string>> asked;
    std::vector<std::pair<std::string, std::string>> avp_sets;
    bool avp_fail = false;
    bool saw_var = false; // $var must never reach the host
    int dummy = 0;

    void set(Pv pv, std::string v, std::string arg = "") { values[{pv, std::move(arg)}] = std::move(v); }

    bool pv_get(Pv pv, std::string_view arg, std::string &out) override {
        if (pv == Pv::Var) saw_var = true; // no REQUIRE here: workers in the thread test call this
        asked.emplace_back(pv, std::string(arg));
        auto it = values.find({pv, std::string(arg)});
        if (it == values.end()) return false;
        out = it->second;
        return true;
    }
    bool avp_set(std::string_view name, std::string_view value) override {
        if (avp_fail) return false;
        avp_sets.emplace_back(std::string(name), std::string(value));
        values[{Pv::Avp, std::string(name)}] = std::string(value);
        return true;
    }
    sipnat_msg *msg() override { return reinterpret_cast<sipnat_msg *>(&dummy); }
};

inline sipnat_host g_host{}; // only its address matters: it must reach fixups and handlers

// Parses text as "t.cfg" (must parse) and compiles it; returns "OK" or the compile error.
inline std::string compile_text(const std::string &text, Program &p) {
    config::Config cfg;
    config::ConfigError perr;
    bool parsed = config::parse_config_string(text, "t.cfg", cfg, perr);
    INFO(perr.str());
    REQUIRE(parsed);
    std::string err;
    FakeResolver fr;
    if (!compile(cfg, fr, &g_host, p, &err)) return err;
    return "OK";
}

// Returns the compile error for text, or "OK".
inline std::string compile_err(const std::string &text) {
    Program p;
    return compile_text(text, p);
}

// Compiles text, which must compile.
inline void compile_ok(const std::string &text, Program &p) {
    std::string r = compile_text(text, p);
    INFO(text);
    REQUIRE(r == "OK");
}

// Collects xlog lines.
struct Lines {
    std::vector<std::pair<int, std::string>> got;
    static void sink(void *ctx, int level, std::string_view line) {
        static_cast<Lines *>(ctx)->got.emplace_back(level, std::string(line));
    }
};

// Resets the shared record for each test.
struct Fixture {
    Fixture() { g_rec = Record{}; }
};

} // namespace scrtest
