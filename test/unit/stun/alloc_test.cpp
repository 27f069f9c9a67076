// The server function's hot path must not touch the heap: count operator new calls around it.
// (Replacing the global operator new affects the whole test binary; it only counts, then mallocs.)
#include <catch2/catch.hpp>

#include <atomic>
#include <cstdlib>
#include <new>

#include "helpers.h"
#include "stun/builder.h"
#include "stun/server.h"

namespace {
std::atomic<long> g_news{0};
}

// Every replaceable non-aligned form, so that all news and deletes pair up (ASan checks that);
// the aligned forms stay the runtime's and pair among themselves.
namespace {
void *counted_alloc(std::size_t n) noexcept {
    g_news.fetch_add(1, std::memory_order_relaxed);
    return std::malloc(n == 0 ? 1 : n);
}
} // namespace

void *operator new(std::size_t n) {
    if (void *p = counted_alloc(n)) return p;
    throw std::bad_alloc();
}
void *operator new[](std::size_t n) {
    if (void *p = counted_alloc(n)) return p;
    throw std::bad_alloc();
}
void *operator new(std::size_t n, const std::nothrow_t &) noexcept {
    return counted_alloc(n);
}
void *operator new[](std::size_t n, const std::nothrow_t &) noexcept {
    return counted_alloc(n);
}
void operator delete(void *p) noexcept {
    std::free(p);
}
void operator delete[](void *p) noexcept {
    std::free(p);
}
void operator delete(void *p, std::size_t) noexcept {
    std::free(p);
}
void operator delete[](void *p, std::size_t) noexcept {
    std::free(p);
}
void operator delete(void *p, const std::nothrow_t &) noexcept {
    std::free(p);
}
void operator delete[](void *p, const std::nothrow_t &) noexcept {
    std::free(p);
}

using namespace sipnat::stun;
using stun_test::addr;

TEST_CASE("server: no heap allocation per request", "[stun][server][perf]") {
    SocketSet ss;
    const char *real[4] = {"192.0.2.1:3478", "192.0.2.1:3479", "192.0.2.2:3478", "192.0.2.2:3479"};
    for (size_t i = 0; i < 4; ++i) {
        ss.sockets[i].present = true;
        ss.sockets[i].real = addr(real[i]);
    }
    Arrival arr;
    arr.source = addr("198.51.100.7:40000");
    ServerPolicy pol;
    pol.software = "sipnat";
    const TransactionId t5 = stun_test::tid_hex("2112a442 0102030405060708090a0b0c");
    const TransactionId t3 = stun_test::tid_hex("11223344 0102030405060708090a0b0c");
    uint8_t reqs[4][256];
    size_t lens[4];
    RequestOptions a, b, c, d;
    a.tid = &t5;
    b.tid = &t3;
    b.rfc3489 = true;
    c.tid = &t5;
    c.change_ip = true;
    c.change_port = true;
    c.fingerprint = true;
    c.padding = 40;
    d.tid = &t5;
    d.response_port = 9;
    d.response_port_short = false;
    d.fingerprint = true;
    const RequestOptions *opts[4] = {&a, &b, &c, &d};
    for (size_t i = 0; i < 4; ++i) {
        lens[i] = build_binding_request(*opts[i], reqs[i], sizeof reqs[i], nullptr);
        REQUIRE(lens[i] > 0);
    }
    uint8_t out[kServerBufferSize];
    size_t total = 0;
    const long before = g_news.load();
    for (int round = 0; round < 1000; ++round) {
        for (size_t i = 0; i < 4; ++i) {
            ServerReply r = serve(reqs[i], lens[i], arr, ss, pol, out, sizeof out);
            total += r.size;
        }
    }
    const long after = g_news.load();
    CHECK(after == before);
    CHECK(total > 0);
}
