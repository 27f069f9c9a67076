// libFuzzer entry for core/sip: parse (with and without the osip gate), read every accessor,
// validate, plan forwarding of requests and replies, build a stateless reply, apply edits.
// Build (not wired into meson here): clang++ -std=c++20 -fsanitize=fuzzer,address,undefined
//   -Icore test/fuzz/fuzz_sip.cpp core/sip/*.cpp -losipparser2 -lcrypto
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sip/branch.h"
#include "sip/message.h"
#include "sip/pvar.h"
#include "sip/reply.h"
#include "sip/stateless.h"
#include "sip/validate.h"

using namespace sipnat::sip;

namespace {

const LocalSocket &sock() {
    static const LocalSocket s = [] {
        LocalSocket l;
        l.ip = "192.0.2.1";
        l.port = 5060;
        return l;
    }();
    return s;
}

const LocalNames &names() {
    static const LocalNames n = [] {
        LocalNames l;
        l.add_socket(sock());
        l.add_alias("proxy.example.org");
        return l;
    }();
    return n;
}

// Touches every read accessor so the sanitizers see them run over fuzzed bytes.
size_t read_all(const Message &m) {
    size_t n = m.method().size() + m.reason().size() + m.ruri().size() + m.version().size() + m.body().size();
    n += m.call_id().size() + m.from_tag().size() + m.to_tag().size() + m.from_uri().size() + m.to_uri().size();
    n += m.cseq_method().size() + m.user_agent().size() + m.status_text().size();
    uint32_t c = 0;
    n += m.cseq_num(&c) ? c & 1 : 0;
    n += static_cast<size_t>(m.max_forwards() & 1);
    for (const char *pv : {"$ru", "$rU", "$rd", "$rp", "$rm", "$fu", "$fU", "$fd", "$tu", "$tU", "$td", "$ft", "$tt",
                           "$ci", "$cs", "$ua", "$rs", "$rr"}) {
        std::string_view v;
        if (pvar_get(m, pv, &v)) n += v.size();
    }
    for (int i = 0; i < 4; ++i) {
        ViaRef v;
        if (!m.via(i, &v)) break;
        n += v.via.host.size();
    }
    std::vector<AddrRef> routes;
    if (m.addr_list(HeaderId::Route, &routes)) n += routes.size();
    std::string_view v;
    for (const char *h : {"Via", "v", "Route", "Contact", "X-Foo", "l"}) n += m.header(h, 0, &v) ? v.size() : 0;
    return n;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const char *p = reinterpret_cast<const char *>(data);
    ParseError err;
    for (bool syntax : {true, false}) {
        ParseOptions opt;
        opt.syntax_check = syntax;
        auto m = Message::parse(p, size, opt, &err);
        if (!m) continue;
        volatile size_t sink = read_all(*m);
        (void)sink;
        const Endpoint src{"203.0.113.5", 40000};
        if (m->is_request()) {
            Verdict v = validate_request(*m);
            std::string_view extra[] = {v.extra_header};
            std::string r = build_reply(*m, v.ok() ? 200 : v.code, v.reason, src, extra);
            // Our reply must parse back.
            if (!Message::parse(r.data(), r.size(), &err)) __builtin_trap();
            (void)reply_destination(*m, src);
            (void)acks_own_reply(*m);
            (void)stateless_branch(*m);
            Outcome o = forward_request(*m, src, sock(), names());
            (void)o;
            // Script-like edits on top, then plan again.
            m->header_add("X-Fuzz: 1");
            m->header_prepend("Record-Route: <sip:192.0.2.1;lr>");
            m->header_remove("Route");
            m->set_ruri("sip:x@10.0.0.1:5070");
            m->body_replace("new body");
            Outcome o2 = forward_request_to(*m, "[2001:db8::1]:5062", src, sock(), names());
            if (o2.action == Action::Forward && !Message::parse(o2.data.data(), o2.data.size(), &err)) __builtin_trap();
        } else {
            Outcome o = forward_reply(*m, names());
            (void)o;
            m->header_remove("Via");
            (void)m->build();
        }
    }
    return 0;
}
