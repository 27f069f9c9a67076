#include "core_functions.h"

#include "msg_context.h"
#include "pipeline.h"

#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace sipnat {

namespace {

constexpr unsigned kReq = SIPNAT_ROUTE_REQUEST | SIPNAT_ROUTE_FAILURE | SIPNAT_ROUTE_BRANCH;
constexpr unsigned kAny = SIPNAT_ROUTE_ANY;

int fail(char *err, size_t n, const char *what) {
    snprintf(err, n, "%s", what);
    return -1;
}

bool parse_int(const char *s, long lo, long hi, long *out) {
    if (!s || !*s) return false;
    char *end = nullptr;
    long v = std::strtol(s, &end, 10);
    if (*end || v < lo || v > hi) return false;
    *out = v;
    return true;
}

// Fixed arguments are kept as one heap struct per call site.
void free_string(void *p) { delete static_cast<std::string *>(p); }

// --- forward() / forward("host:port") ---------------------------------------------------------
int fix_forward(const sipnat_host *, int argc, const char *const *argv, void **fixed, char *err, size_t n) {
    if (argc == 0) return 0;
    std::string hp = argv[0];
    if (hp.empty() || hp.find_first_of(" \t\r\n") != std::string::npos) return fail(err, n, "expected \"host[:port]\"");
    *fixed = new std::string(hp);
    return 0;
}
int do_forward(const sipnat_host *, sipnat_msg *m, void *fixed) {
    return Pipeline::forward(m, fixed ? std::string_view(*static_cast<std::string *>(fixed)) : std::string_view());
}

// --- sl_send_reply(code, reason) / sl_reply_error() ------------------------------------------------
struct ReplyArgs {
    int code;
    std::string reason;
};
int fix_reply(const sipnat_host *, int, const char *const *argv, void **fixed, char *err, size_t n) {
    long code;
    if (!parse_int(argv[0], 100, 699, &code)) return fail(err, n, "the status code must be a number from 100 to 699");
    std::string reason = argv[1];
    if (reason.find_first_of("\r\n") != std::string::npos) return fail(err, n, "the reason must be one line");
    *fixed = new ReplyArgs{static_cast<int>(code), reason};
    return 0;
}
void free_reply(void *p) { delete static_cast<ReplyArgs *>(p); }
int do_reply(const sipnat_host *, sipnat_msg *m, void *fixed) {
    auto *a = static_cast<ReplyArgs *>(fixed);
    return Pipeline::reply(m, a->code, a->reason);
}
int do_reply_error(const sipnat_host *, sipnat_msg *m, void *) {
    // A stateless host has one internal error it can name: a message it found defective.
    if (m->sip->defect_code()) return Pipeline::reply(m, m->sip->defect_code(), "Bad Request");
    return Pipeline::reply(m, 500, "Server Internal Error");
}

// --- is_method("A|B") ---------------------------------------------------------------------------
int fix_methods(const sipnat_host *, int, const char *const *argv, void **fixed, char *err, size_t n) {
    auto *list = new std::vector<std::string>;
    std::string_view s = argv[0];
    while (true) {
        size_t bar = s.find('|');
        std::string_view one = s.substr(0, bar);
        if (one.empty() || one.find_first_of(" \t") != std::string_view::npos) {
            delete list;
            return fail(err, n, "expected methods separated by '|', as in \"INVITE|BYE\"");
        }
        list->emplace_back(one);
        if (bar == std::string_view::npos) break;
        s.remove_prefix(bar + 1);
    }
    *fixed = list;
    return 0;
}
void free_methods(void *p) { delete static_cast<std::vector<std::string> *>(p); }
int do_is_method(const sipnat_host *, sipnat_msg *m, void *fixed) {
    // Method names are case-sensitive (RFC 3261 §7.1).
    std::string_view meth = m->sip->method();
    for (const auto &x : *static_cast<std::vector<std::string> *>(fixed))
        if (meth == x) return 1;
    return -1;
}

int do_has_totag(const sipnat_host *, sipnat_msg *m, void *) { return m->sip->to_tag().empty() ? -1 : 1; }
int do_has_body(const sipnat_host *, sipnat_msg *m, void *) { return m->sip->body().empty() ? -1 : 1; }

// --- append_hf("Name: value\r\n") / remove_hf("Name") -----------------------------------------------
int fix_hf(const sipnat_host *, int, const char *const *argv, void **fixed, char *err, size_t n) {
    std::string line = argv[0];
    while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
    size_t colon = line.find(':');
    if (colon == std::string::npos || colon == 0 || line.find_first_of("\r\n") != std::string::npos)
        return fail(err, n, "expected one header line, as in \"X-Foo: bar\\r\\n\"");
    *fixed = new std::string(line);
    return 0;
}
int do_append_hf(const sipnat_host *, sipnat_msg *m, void *fixed) {
    m->sip->header_add(*static_cast<std::string *>(fixed));
    return 1;
}
int fix_name(const sipnat_host *, int, const char *const *argv, void **fixed, char *err, size_t n) {
    std::string name = argv[0];
    if (name.empty() || name.find_first_of(": \t\r\n") != std::string::npos)
        return fail(err, n, "expected a header name");
    *fixed = new std::string(name);
    return 0;
}
int do_remove_hf(const sipnat_host *, sipnat_msg *m, void *fixed) {
    return m->sip->header_remove(*static_cast<std::string *>(fixed)) > 0 ? 1 : -1;
}

// --- setflag(n) / isflag(n) / resetflag(n) ----------------------------------------------------------
int fix_flag(const sipnat_host *, int, const char *const *argv, void **fixed, char *err, size_t n) {
    long f;
    if (!parse_int(argv[0], 0, 31, &f)) return fail(err, n, "the flag must be a number from 0 to 31");
    *fixed = reinterpret_cast<void *>(static_cast<intptr_t>(f) + 1); // +1: never NULL
    return 0;
}
int flag_of(void *fixed) { return static_cast<int>(reinterpret_cast<intptr_t>(fixed) - 1); }
int do_setflag(const sipnat_host *, sipnat_msg *m, void *fixed) {
    m->flags |= 1u << flag_of(fixed);
    return 1;
}
int do_resetflag(const sipnat_host *, sipnat_msg *m, void *fixed) {
    m->flags &= ~(1u << flag_of(fixed));
    return 1;
}
int do_isflag(const sipnat_host *, sipnat_msg *m, void *fixed) { return (m->flags >> flag_of(fixed)) & 1u ? 1 : -1; }

const sipnat_func_export kCore[] = {
    {"forward", 0, 1, fix_forward, free_string, do_forward, kReq},
    {"sl_send_reply", 2, 2, fix_reply, free_reply, do_reply, kReq},
    {"sl_reply_error", 0, 0, nullptr, nullptr, do_reply_error, kReq},
    {"is_method", 1, 1, fix_methods, free_methods, do_is_method, kAny},
    {"has_totag", 0, 0, nullptr, nullptr, do_has_totag, kAny},
    {"has_body", 0, 0, nullptr, nullptr, do_has_body, kAny},
    {"append_hf", 1, 1, fix_hf, free_string, do_append_hf, kAny},
    {"remove_hf", 1, 1, fix_name, free_string, do_remove_hf, kAny},
    {"setflag", 1, 1, fix_flag, nullptr, do_setflag, kAny},
    {"resetflag", 1, 1, fix_flag, nullptr, do_resetflag, kAny},
    {"isflag", 1, 1, fix_flag, nullptr, do_isflag, kAny},
};

} // namespace

const sipnat_func_export *find_core_function(const std::string &name) {
    for (const auto &f : kCore)
        if (name == f.name) return &f;
    return nullptr;
}

} // namespace sipnat
