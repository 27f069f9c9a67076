// The pure server function: response shapes, CHANGE-REQUEST, RESPONSE-ADDRESS policies,
// RESPONSE-PORT, PADDING, errors, drops, advertised addresses.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "helpers.h"
#include "stun/address.h"
#include "stun/attributes.h"
#include "stun/builder.h"
#include "stun/integrity.h"
#include "stun/message.h"
#include "stun/server.h"

using namespace sipnat::stun;
using stun_test::addr;
using stun_test::Bytes;
using stun_test::hex;

namespace {

const TransactionId kTid5389 = stun_test::tid_hex("2112a442 b7e7a701bc34d686fa87dfae");
const TransactionId kTid3489 = stun_test::tid_hex("0badcafe b7e7a701bc34d686fa87dfae");
const Address kSource = addr("198.51.100.7:40000");

ServerSocket sock(const char *real, const char *adv) {
    ServerSocket s;
    s.present = true;
    s.real = addr(real);
    if (adv != nullptr) s.advertised = addr(adv);
    return s;
}

// IP1 = 192.0.2.1 (advertised 203.0.113.1), IP2 = 192.0.2.2 (203.0.113.2); ports 3478 / 3479.
SocketSet four() {
    SocketSet ss;
    ss.sockets[0] = sock("192.0.2.1:3478", "203.0.113.1:3478");
    ss.sockets[1] = sock("192.0.2.1:3479", "203.0.113.1:3479");
    ss.sockets[2] = sock("192.0.2.2:3478", "203.0.113.2:3478");
    ss.sockets[3] = sock("192.0.2.2:3479", "203.0.113.2:3479");
    return ss;
}

Arrival arrive(int socket = 0, Address source = kSource) {
    Arrival a;
    a.socket = socket;
    a.source = source;
    return a;
}

struct Run {
    ServerReply reply;
    Bytes out;
    BindingResponse resp;
    ResponseStatus status = ResponseStatus::NotStun;
    std::vector<uint16_t> types; // attribute types in order
};

Run run(const Bytes &req, const Arrival &arr = arrive(), const SocketSet &ss = four(),
        const ServerPolicy &pol = {}, size_t cap = kServerBufferSize) {
    Run r;
    std::vector<uint8_t> buf(cap);
    r.reply = serve(req.data(), req.size(), arr, ss, pol, buf.data(), buf.size());
    if (r.reply.action != Action::Respond) return r;
    REQUIRE(r.reply.size <= cap);
    r.out.assign(buf.begin(), buf.begin() + static_cast<long>(r.reply.size));
    Header h;
    REQUIRE(parse_header(req.data(), req.size(), &h));
    r.status = parse_binding_response(r.out.data(), r.out.size(), &h.tid, &r.resp);
    REQUIRE(r.status == ResponseStatus::Ok);
    AttrReader rd(r.out.data(), r.out.size());
    Attr a;
    while (rd.next(&a)) r.types.push_back(a.type);
    // The growth bound, on every path any test takes.
    CHECK(r.reply.size <= req.size() + kMaxResponseGrowth);
    return r;
}

Bytes request(RequestOptions opt) {
    if (opt.tid == nullptr) opt.tid = opt.rfc3489 ? &kTid3489 : &kTid5389;
    uint8_t buf[2048];
    const size_t n = build_binding_request(opt, buf, sizeof buf, nullptr);
    REQUIRE(n > 0);
    return Bytes(buf, buf + n);
}

Bytes request5389() {
    return request({});
}

Bytes request3489() {
    RequestOptions o;
    o.rfc3489 = true;
    return request(o);
}

// A request with hand-made attributes: f gets the writer after the header.
template <typename F>
Bytes custom(F f, const TransactionId &tid = kTid5389, uint16_t type = kBindingRequest) {
    uint8_t buf[2048];
    Writer w(buf, sizeof buf);
    REQUIRE(w.begin(type, tid));
    f(w);
    REQUIRE(w.ok());
    return Bytes(buf, buf + w.size());
}

using Types = std::vector<uint16_t>;

} // namespace

TEST_CASE("server: RFC 5389 response shape", "[stun][server]") {
    ServerPolicy pol;
    pol.software = "sipnat test";
    Run r = run(request5389(), arrive(), four(), pol);
    REQUIRE(r.reply.action == Action::Respond);
    CHECK(r.reply.error_code == 0);
    CHECK(r.reply.socket == 0);
    CHECK(r.reply.destination == kSource);
    CHECK(r.types == Types{kAttrXorMappedAddress, kAttrMappedAddress, kAttrResponseOrigin, kAttrOtherAddress,
                           kAttrSoftware});
    CHECK(r.resp.success);
    CHECK(r.resp.rfc5389);
    CHECK(r.resp.mapped_from_xor);
    CHECK(r.resp.mapped == kSource);
    CHECK(r.resp.plain_mapped == kSource);
    CHECK(r.resp.origin == addr("203.0.113.1:3478"));
    CHECK(r.resp.other == addr("203.0.113.2:3479"));
    CHECK(r.resp.software == "sipnat test");
    CHECK(r.resp.fingerprint == Check::Absent);

    SECTION("without SOFTWARE configured") {
        Run q = run(request5389());
        CHECK(q.types ==
              Types{kAttrXorMappedAddress, kAttrMappedAddress, kAttrResponseOrigin, kAttrOtherAddress});
    }
    SECTION("FINGERPRINT answered with FINGERPRINT") {
        RequestOptions o;
        o.fingerprint = true;
        Run q = run(request(o), arrive(), four(), pol);
        REQUIRE(q.reply.action == Action::Respond);
        CHECK(q.types.back() == kAttrFingerprint);
        CHECK(q.resp.fingerprint == Check::Valid);
    }
}

TEST_CASE("server: RFC 3489 response shape", "[stun][server]") {
    ServerPolicy pol;
    pol.software = "sipnat test"; // not sent to 3489 clients
    Run r = run(request3489(), arrive(), four(), pol);
    REQUIRE(r.reply.action == Action::Respond);
    CHECK(r.types ==
          Types{kAttrMappedAddress, kAttrSourceAddress, kAttrChangedAddress, kAttrXorMappedAddressOld});
    CHECK_FALSE(r.resp.rfc5389);
    CHECK(r.resp.tid == kTid3489); // all 128 bits echoed
    CHECK(r.resp.mapped == kSource);
    CHECK(r.resp.mapped_from_xor); // 0x8020, keyed on the 3489 id
    CHECK(r.resp.plain_mapped == kSource);
    CHECK(r.resp.origin == addr("203.0.113.1:3478")); // SOURCE-ADDRESS
    CHECK(r.resp.other == addr("203.0.113.2:3479"));  // CHANGED-ADDRESS
    // A strict 3489 client drops responses with unknown types below 0x8000: there are none.
    for (uint16_t t : r.types) CHECK((t >= 0x8000 || t <= kAttrReflectedFrom));

    RequestOptions o;
    o.rfc3489 = true;
    o.fingerprint = true;
    Run q = run(request(o));
    CHECK(q.types.back() == kAttrFingerprint);
    CHECK(q.resp.fingerprint == Check::Valid);
}

TEST_CASE("server: advertised addresses, with fallbacks", "[stun][server]") {
    SocketSet ss = four();
    ss.sockets[0].advertised = Address{}; // arrival socket: falls back to arrival.local, then real
    ss.sockets[3].advertised = Address{}; // other socket: falls back to real
    Arrival arr = arrive();
    Run r = run(request5389(), arr, ss);
    CHECK(r.resp.origin == addr("192.0.2.1:3478"));
    CHECK(r.resp.other == addr("192.0.2.2:3479"));
    arr.local = addr("192.0.2.9:3478"); // e.g. a wildcard socket's real destination
    r = run(request5389(), arr, ss);
    CHECK(r.resp.origin == addr("192.0.2.9:3478"));
    // The mapped address is never replaced by anything advertised.
    CHECK(r.resp.mapped == kSource);
    // An advertised address wins over arrival.local.
    r = run(request5389(), arr, four());
    CHECK(r.resp.origin == addr("203.0.113.1:3478"));
}

TEST_CASE("server: CHANGE-REQUEST picks the socket, from every arrival socket", "[stun][server]") {
    const char *adv[4] = {"203.0.113.1:3478", "203.0.113.1:3479", "203.0.113.2:3478", "203.0.113.2:3479"};
    for (bool rfc3489 : {false, true}) {
        for (int in = 0; in < 4; ++in) {
            for (bool ip : {false, true}) {
                for (bool port : {false, true}) {
                    RequestOptions o;
                    o.rfc3489 = rfc3489;
                    o.change_request = true;
                    o.change_ip = ip;
                    o.change_port = port;
                    Run r = run(request(o), arrive(in));
                    INFO("3489=" << rfc3489 << " in=" << in << " ip=" << ip << " port=" << port);
                    REQUIRE(r.reply.action == Action::Respond);
                    CHECK(r.reply.error_code == 0);
                    const int expect = in ^ (ip ? 2 : 0) ^ (port ? 1 : 0);
                    CHECK(r.reply.socket == expect);
                    CHECK(r.reply.destination == kSource);
                    CHECK(r.resp.origin == addr(adv[expect]));
                    CHECK(r.resp.other == addr(adv[in ^ 3]));
                }
            }
        }
    }
}

TEST_CASE("server: CHANGE-REQUEST without the needed socket gets 420 listing 0x0003", "[stun][server]") {
    struct Case {
        std::vector<int> present;
        bool ip, port, ok;
    };
    const Case cases[] = {
        {{0}, false, false, true},      {{0}, true, false, false},   {{0}, false, true, false},
        {{0}, true, true, false},       {{0, 1}, false, true, true}, {{0, 1}, true, false, false},
        {{0, 1}, true, true, false},    {{0, 2}, true, false, true}, {{0, 2}, false, true, false},
        {{0, 1, 2}, true, true, false}, {{0, 3}, true, true, true},
    };
    for (bool rfc3489 : {false, true}) {
        for (const Case &c : cases) {
            SocketSet ss;
            for (int i : c.present)
                ss.sockets[static_cast<size_t>(i)] = four().sockets[static_cast<size_t>(i)];
            RequestOptions o;
            o.rfc3489 = rfc3489;
            o.change_request = true;
            o.change_ip = c.ip;
            o.change_port = c.port;
            Run r = run(request(o), arrive(), ss);
            INFO("3489=" << rfc3489 << " sockets=" << c.present.size() << " ip=" << c.ip
                         << " port=" << c.port);
            REQUIRE(r.reply.action == Action::Respond);
            CHECK(r.reply.socket == (c.ok ? (c.ip ? 2 : 0) + (c.port ? 1 : 0) : 0));
            CHECK(r.reply.destination == kSource);
            if (c.ok) {
                CHECK(r.reply.error_code == 0);
                // OTHER/CHANGED-ADDRESS only when the other-IP-other-port socket exists.
                CHECK(r.resp.other.has_value() == (ss.sockets[3].present));
            } else {
                CHECK(r.reply.error_code == 420);
                CHECK_FALSE(r.resp.success);
                CHECK(r.resp.error_code == 420);
                REQUIRE(r.resp.n_unknown >= 1);
                CHECK(r.resp.unknown[0] == kAttrChangeRequest);
                // RFC 3489 repeats an odd list; RFC 5389 pads it.
                CHECK(r.resp.n_unknown == (rfc3489 ? 2u : 1u));
            }
        }
    }
}

TEST_CASE("server: alternate socket of another family counts as missing", "[stun][server]") {
    SocketSet ss = four();
    ss.sockets[2] = sock("[2001:db8::2]:3478", nullptr);
    RequestOptions o;
    o.change_ip = true;
    Run r = run(request(o), arrive(), ss);
    CHECK(r.reply.error_code == 420);
}

TEST_CASE("server: RESPONSE-ADDRESS under each policy", "[stun][server]") {
    auto with_ra = [](const char *ra, bool rfc3489 = true) {
        RequestOptions o;
        o.rfc3489 = rfc3489;
        o.response_address = addr(ra);
        return request(o);
    };
    ServerPolicy off, same, any;
    off.response_address = ResponseAddressPolicy::Off;
    same.response_address = ResponseAddressPolicy::SameIp;
    any.response_address = ResponseAddressPolicy::Any;
    CHECK(ServerPolicy{}.response_address == ResponseAddressPolicy::SameIp);

    SECTION("off: ignored") {
        for (const char *ra : {"198.51.100.7:40002", "198.51.100.99:5000"}) {
            Run r = run(with_ra(ra), arrive(), four(), off);
            CHECK(r.reply.error_code == 0);
            CHECK(r.reply.destination == kSource);
            CHECK_FALSE(r.resp.reflected_from.has_value());
        }
    }
    SECTION("same_ip: honoured for the source's own IP, with REFLECTED-FROM") {
        for (bool rfc3489 : {true, false}) {
            Run r = run(with_ra("198.51.100.7:40002", rfc3489), arrive(), four(), same);
            CHECK(r.reply.error_code == 0);
            CHECK(r.reply.socket == 0);
            CHECK(r.reply.destination == addr("198.51.100.7:40002"));
            CHECK(r.resp.reflected_from == kSource);
            CHECK(r.resp.mapped == kSource);
        }
    }
    SECTION("same_ip: another IP is refused with 400, sent to the source") {
        for (const char *ra : {"198.51.100.8:40000", "[2001:db8::7]:40000", "198.51.100.7:0"}) {
            Run r = run(with_ra(ra), arrive(), four(), same);
            CHECK(r.reply.error_code == 400);
            CHECK(r.resp.reason == "RESPONSE-ADDRESS not allowed");
            CHECK(r.reply.destination == kSource);
            CHECK(r.reply.socket == 0);
        }
    }
    SECTION("any: honoured for unicast targets") {
        Run r = run(with_ra("192.0.2.200:9999"), arrive(), four(), any);
        CHECK(r.reply.error_code == 0);
        CHECK(r.reply.destination == addr("192.0.2.200:9999"));
        CHECK(r.resp.reflected_from == kSource);
    }
    SECTION("any: never loopback, multicast, broadcast, unspecified, port 0, other family") {
        for (const char *ra : {"127.0.0.1:5060", "224.0.0.1:5000", "239.1.1.1:5000", "255.255.255.255:5000",
                               "0.0.0.0:5000", "0.1.2.3:5000", "192.0.2.200:0", "[2001:db8::7]:5000"}) {
            INFO(ra);
            Run r = run(with_ra(ra), arrive(), four(), any);
            CHECK(r.reply.error_code == 400);
            CHECK(r.reply.destination == kSource);
        }
        // IPv6 sockets and source.
        SocketSet ss6;
        ss6.sockets[0] = sock("[2001:db8::1]:3478", nullptr);
        const Address src6 = addr("[2001:db8:ffff::7]:40000");
        for (const char *ra : {"[::1]:5060", "[::]:5060", "[ff02::1]:5060", "[::ffff:127.0.0.1]:5060",
                               "[::ffff:224.0.0.1]:5060", "198.51.100.7:40000"}) {
            INFO(ra);
            Run r = run(with_ra(ra, false), arrive(0, src6), ss6, any);
            CHECK(r.reply.error_code == 400);
        }
        Run ok6 = run(with_ra("[2001:db8:eeee::1]:5060", false), arrive(0, src6), ss6, any);
        CHECK(ok6.reply.error_code == 0);
        CHECK(ok6.reply.destination == addr("[2001:db8:eeee::1]:5060"));
        Run mapped_ok = run(with_ra("[::ffff:192.0.2.9]:5060", false), arrive(0, src6), ss6, any);
        CHECK(mapped_ok.reply.error_code == 0);
    }
    SECTION("any: loopback allowed when the source is loopback itself") {
        Run r = run(with_ra("127.0.0.1:5061"), arrive(0, addr("127.0.0.1:40000")), four(), any);
        CHECK(r.reply.error_code == 0);
        CHECK(r.reply.destination == addr("127.0.0.1:5061"));
    }
    SECTION("RESPONSE-ADDRESS combined with CHANGE-REQUEST") {
        RequestOptions o;
        o.rfc3489 = true;
        o.response_address = addr("198.51.100.7:40002");
        o.change_ip = true;
        o.change_port = true;
        Run r = run(request(o), arrive(), four(), same);
        CHECK(r.reply.error_code == 0);
        CHECK(r.reply.socket == 3);
        CHECK(r.reply.destination == addr("198.51.100.7:40002"));
        CHECK(r.resp.origin == addr("203.0.113.2:3479"));
    }
    SECTION("malformed RESPONSE-ADDRESS: 400") {
        Bytes req =
            custom([](Writer &w) { w.add(kAttrResponseAddress, hex("0003 1234 c0000201").data(), 8); });
        Run r = run(req, arrive(), four(), any);
        CHECK(r.reply.error_code == 400);
    }
}

TEST_CASE("server: RESPONSE-PORT, both forms", "[stun][server]") {
    for (bool shortform : {false, true}) {
        for (bool rfc3489 : {false, true}) {
            RequestOptions o;
            o.rfc3489 = rfc3489;
            o.response_port = 40100;
            o.response_port_short = shortform;
            Run r = run(request(o));
            CHECK(r.reply.error_code == 0);
            CHECK(r.reply.destination == addr("198.51.100.7:40100"));
            CHECK(r.resp.mapped == kSource);
        }
    }
    SECTION("port 0: 400") {
        RequestOptions o;
        o.response_port = 0;
        Run r = run(request(o));
        CHECK(r.reply.error_code == 400);
        CHECK(r.reply.destination == kSource);
    }
    SECTION("3-byte value: 400") {
        Bytes req = custom([](Writer &w) { w.add(kAttrResponsePort, "\x9c\x41\x00", 3); });
        CHECK(run(req).reply.error_code == 400);
    }
    SECTION("with PADDING: 400 (RFC 5780 7.5)") {
        RequestOptions o;
        o.response_port = 40100;
        o.padding = 64;
        Run r = run(request(o));
        CHECK(r.reply.error_code == 400);
        CHECK(r.reply.destination == kSource);
    }
    SECTION("RESPONSE-ADDRESS, when honoured, wins over RESPONSE-PORT") {
        RequestOptions o;
        o.response_port = 40100;
        o.response_address = addr("198.51.100.7:40200");
        CHECK(run(request(o)).reply.destination == addr("198.51.100.7:40200"));
        ServerPolicy off;
        off.response_address = ResponseAddressPolicy::Off;
        CHECK(run(request(o), arrive(), four(), off).reply.destination == addr("198.51.100.7:40100"));
    }
}

TEST_CASE("server: PADDING mirrors the request, capped", "[stun][server]") {
    for (size_t pad : {size_t{1}, size_t{4}, size_t{100}, size_t{1000}}) {
        RequestOptions o;
        o.padding = pad;
        o.fingerprint = true;
        Run r = run(request(o));
        REQUIRE(r.reply.error_code == 0);
        CHECK(r.resp.has_padding);
        CHECK(r.resp.padding == pad);
        CHECK(r.types.back() == kAttrFingerprint);
        CHECK(r.resp.fingerprint == Check::Valid);
    }
    SECTION("policy cap") {
        RequestOptions o;
        o.padding = 1400;
        Run r = run(request(o));
        CHECK(r.resp.padding == kDefaultMaxPadding);
        ServerPolicy pol;
        pol.max_padding = 200;
        r = run(request(o), arrive(), four(), pol);
        CHECK(r.resp.padding == 200);
        pol.max_padding = 0;
        r = run(request(o), arrive(), four(), pol);
        CHECK(r.resp.has_padding);
        CHECK(r.resp.padding == 0);
    }
    SECTION("buffer cap: padding shrinks to fit") {
        RequestOptions o;
        o.padding = 1000;
        o.fingerprint = true;
        Run r = run(request(o), arrive(), four(), {}, 300);
        REQUIRE(r.reply.action == Action::Respond);
        CHECK(r.reply.size <= 300);
        CHECK(r.resp.padding < 300);
        CHECK(r.resp.padding > 100);
        CHECK(r.resp.fingerprint == Check::Valid);
    }
    SECTION("never above the default buffer") {
        RequestOptions o;
        o.padding = 1900;
        ServerPolicy pol;
        pol.max_padding = 100000;
        pol.software = std::string_view("sipnat");
        Run r = run(request(o), arrive(), four(), pol);
        REQUIRE(r.reply.action == Action::Respond);
        CHECK(r.reply.size <= kServerBufferSize);
    }
}

TEST_CASE("server: unknown comprehension-required attributes get 420", "[stun][server]") {
    for (bool rfc3489 : {false, true}) {
        const TransactionId &tid = rfc3489 ? kTid3489 : kTid5389;
        Bytes req = custom(
            [](Writer &w) {
                add_u32(w, 0x0007, 1); // PASSWORD: not valid in a Binding request
                add_u32(w, 0x7FFF, 1);
                add_u32(w, 0x8FFF, 1); // optional: ignored
                add_u32(w, 0x0007, 2); // listed once
                add_u32(w, 0x001C, 2);
            },
            tid);
        Run r = run(req);
        REQUIRE(r.reply.action == Action::Respond);
        CHECK(r.reply.error_code == 420);
        CHECK(r.reply.destination == kSource);
        CHECK(r.resp.error_code == 420);
        CHECK(r.resp.reason == "Unknown Attribute");
        REQUIRE(r.resp.n_unknown >= 3);
        CHECK(r.resp.unknown[0] == 0x0007);
        CHECK(r.resp.unknown[1] == 0x7FFF);
        CHECK(r.resp.unknown[2] == 0x001C);
        CHECK(r.resp.n_unknown == (rfc3489 ? 4u : 3u));
    }
    SECTION("only optional unknowns: answered") {
        Bytes req = custom([](Writer &w) { add_u32(w, 0xC001, 1); });
        CHECK(run(req).reply.error_code == 0);
    }
    SECTION("known attributes we do not use: answered") {
        Bytes req = custom([](Writer &w) {
            add_string(w, kAttrRealm, "example.org");
            add_string(w, kAttrNonce, "abc");
            add_u32(w, kAttrPriority, 1);
            w.add(kAttrUseCandidate, nullptr, 0);
            add_u64(w, kAttrIceControlling, 1);
            add_address(w, kAttrMappedAddress, kSource);
            add_address(w, kAttrAlternateServer, kSource);
        });
        CHECK(run(req).reply.error_code == 0);
    }
    SECTION("list capped") {
        Bytes req = custom([](Writer &w) {
            for (uint16_t t = 0x0100; t < 0x0140; ++t) add_u32(w, t, 0);
        });
        Run r = run(req);
        CHECK(r.reply.error_code == 420);
        CHECK(r.resp.n_unknown == kMaxUnknownListed);
    }
    SECTION("unknown with a missing alternate: one 420 listing both") {
        SocketSet ss;
        ss.sockets[0] = four().sockets[0];
        Bytes req = custom([](Writer &w) {
            add_u32(w, 0x0030, 1);
            add_change_request(w, {true, false});
        });
        Run r = run(req, arrive(), ss);
        CHECK(r.reply.error_code == 420);
        REQUIRE(r.resp.n_unknown == 2);
        CHECK(r.resp.unknown[0] == 0x0030);
        CHECK(r.resp.unknown[1] == kAttrChangeRequest);
    }
}

TEST_CASE("server: malformed attributes get 400 when the header is sound", "[stun][server]") {
    SECTION("attributes do not tile the message") {
        // Header says 8 bytes of attributes; the attribute claims 8 bytes of value.
        Bytes req = hex("0001 0008 2112a442 b7e7a701bc34d686fa87dfae 00060008 61626364");
        Run r = run(req);
        REQUIRE(r.reply.action == Action::Respond);
        CHECK(r.reply.error_code == 400);
        CHECK(r.reply.destination == kSource);
    }
    SECTION("CHANGE-REQUEST of the wrong size") {
        Bytes req = custom([](Writer &w) { w.add(kAttrChangeRequest, "\0\0", 2); }, kTid3489);
        Run r = run(req);
        CHECK(r.reply.error_code == 400);
        CHECK(r.resp.reason == "Bad CHANGE-REQUEST");
    }
    SECTION("MESSAGE-INTEGRITY of the wrong size") {
        Bytes req = custom([](Writer &w) { w.add(kAttrMessageIntegrity, "0123456789", 10); });
        CHECK(run(req).reply.error_code == 400);
    }
    SECTION("420 outranks 400") {
        Bytes req = custom([](Writer &w) {
            w.add(kAttrChangeRequest, "\0\0", 2);
            add_u32(w, 0x0031, 0);
        });
        CHECK(run(req).reply.error_code == 420);
    }
    SECTION("SOFTWARE in 5389 error answers, not in 3489 ones") {
        ServerPolicy pol;
        pol.software = "sipnat";
        Bytes req = custom([](Writer &w) { w.add(kAttrChangeRequest, "\0\0", 2); });
        CHECK(run(req, arrive(), four(), pol).resp.software == "sipnat");
        Bytes old = custom([](Writer &w) { w.add(kAttrChangeRequest, "\0\0", 2); }, kTid3489);
        CHECK(run(old, arrive(), four(), pol).resp.software.empty());
    }
}

TEST_CASE("server: MESSAGE-INTEGRITY and USERNAME are ignored; attributes after MI too", "[stun][server]") {
    // The RFC 5769 sample request: USERNAME, MESSAGE-INTEGRITY, FINGERPRINT, ICE attributes.
    const Bytes req = hex("00 01 00 58  21 12 a4 42  b7 e7 a7 01  bc 34 d6 86  fa 87 df ae"
                          "80 22 00 10  53 54 55 4e  20 74 65 73  74 20 63 6c  69 65 6e 74"
                          "00 24 00 04  6e 00 01 ff  80 29 00 08  93 2f f9 b1  51 26 3b 36"
                          "00 06 00 09  65 76 74 6a  3a 68 36 76  59 20 20 20"
                          "00 08 00 14  9a ea a7 0c  bf d8 cb 56  78 1e f2 b5  b2 d3 f2 49  c1 b5 71 a2"
                          "80 28 00 04  e5 7a 3b cf");
    Run r = run(req);
    REQUIRE(r.reply.action == Action::Respond);
    CHECK(r.reply.error_code == 0);
    for (uint16_t t : r.types) CHECK(t != kAttrMessageIntegrity);
    CHECK(r.resp.fingerprint == Check::Valid);

    // After MESSAGE-INTEGRITY: an unknown required type and a CHANGE-REQUEST do not count.
    SocketSet ss;
    ss.sockets[0] = four().sockets[0];
    Bytes after = custom([](Writer &w) {
        add_message_integrity(w, "k", 1);
        add_u32(w, 0x0031, 0);
        add_change_request(w, {true, true});
    });
    Run q = run(after, arrive(), ss);
    CHECK(q.reply.error_code == 0);
    CHECK(q.reply.socket == 0);
}

TEST_CASE("server: drops", "[stun][server]") {
    uint8_t out[kServerBufferSize];
    auto verdict = [&](const Bytes &req, const Arrival &arr = arrive(), const SocketSet &ss = four()) {
        ServerReply r = serve(req.data(), req.size(), arr, ss, ServerPolicy{}, out, sizeof out);
        CHECK(r.size == 0);
        return r.action == Action::Drop ? r.drop : DropReason::None;
    };
    SECTION("not a Binding request") {
        for (uint16_t type : {kBindingIndication, kBindingSuccess, kBindingError, uint16_t{0x0002},
                              uint16_t{0x0003}, uint16_t{0x0004}, uint16_t{0x0009}}) {
            CHECK(verdict(custom([](Writer &) {}, kTid5389, type)) == DropReason::NotBindingRequest);
            CHECK(verdict(custom([](Writer &) {}, kTid3489, type)) == DropReason::NotBindingRequest);
        }
    }
    SECTION("not STUN") {
        const std::string sip = "OPTIONS sip:x@192.0.2.1 SIP/2.0\r\nVia: SIP/2.0/UDP 198.51.100.7\r\n\r\n";
        CHECK(verdict(Bytes(sip.begin(), sip.end())) == DropReason::NotStun);
        CHECK(verdict(hex("0d0a0d0a")) == DropReason::NotStun);
        CHECK(verdict(hex("")) == DropReason::NotStun);
        Bytes req = request5389();
        req.push_back(0); // length no longer matches
        CHECK(verdict(req) == DropReason::NotStun);
    }
    SECTION("bad FINGERPRINT") {
        RequestOptions o;
        o.fingerprint = true;
        Bytes req = request(o);
        req.back() ^= 1;
        CHECK(verdict(req) == DropReason::BadFingerprint);
        Bytes not_last = custom([](Writer &w) {
            add_fingerprint(w);
            add_u32(w, kAttrPriority, 1);
        });
        CHECK(verdict(not_last) == DropReason::BadFingerprint);
        Bytes short_fp = custom([](Writer &w) { w.add(kAttrFingerprint, "\0\0", 2); });
        CHECK(verdict(short_fp) == DropReason::BadFingerprint);
    }
    SECTION("bad arrival") {
        CHECK(verdict(request5389(), arrive(4)) == DropReason::BadArrival);
        CHECK(verdict(request5389(), arrive(-1)) == DropReason::BadArrival);
        SocketSet ss = four();
        ss.sockets[1].present = false;
        CHECK(verdict(request5389(), arrive(1), ss) == DropReason::BadArrival);
    }
    SECTION("no room") {
        Bytes req = request5389();
        ServerReply r = serve(req.data(), req.size(), arrive(), four(), ServerPolicy{}, out, 40);
        CHECK(r.action == Action::Drop);
        CHECK(r.drop == DropReason::NoRoom);
        r = serve(req.data(), req.size(), arrive(), four(), ServerPolicy{}, nullptr, 0);
        CHECK(r.drop == DropReason::NoRoom);
    }
}

TEST_CASE("server: SOFTWARE is clipped at a UTF-8 boundary", "[stun][server]") {
    std::string sw = "a";
    for (int i = 0; i < 100; ++i) sw += "\xc3\xa9"; // é
    ServerPolicy pol;
    pol.software = sw;
    Run r = run(request5389(), arrive(), four(), pol);
    CHECK(r.resp.software.size() == 127);
    CHECK(r.resp.software == sw.substr(0, 127));
    const std::string longsw(500, 'x');
    pol.software = longsw;
    r = run(request5389(), arrive(), four(), pol);
    CHECK(r.resp.software.size() == kMaxSoftware);
}

TEST_CASE("server: IPv6 socket set", "[stun][server]") {
    SocketSet ss;
    ss.sockets[0] = sock("[2001:db8::1]:3478", "[2001:db8:100::1]:3478");
    ss.sockets[1] = sock("[2001:db8::1]:3479", nullptr);
    ss.sockets[2] = sock("[2001:db8::2]:3478", nullptr);
    ss.sockets[3] = sock("[2001:db8::2]:3479", "[2001:db8:100::2]:3479");
    const Address src = addr("[2001:db8:ffff::7]:40000");
    for (bool rfc3489 : {false, true}) {
        RequestOptions o;
        o.rfc3489 = rfc3489;
        o.change_port = true;
        Run r = run(request(o), arrive(0, src), ss);
        REQUIRE(r.reply.error_code == 0);
        CHECK(r.reply.socket == 1);
        CHECK(r.resp.mapped == src);
        CHECK(r.resp.plain_mapped == src);
        CHECK(r.resp.origin == addr("[2001:db8::1]:3479"));
        CHECK(r.resp.other == addr("[2001:db8:100::2]:3479"));
    }
}

TEST_CASE("server: amplification bound holds on every path", "[stun][server][amplification]") {
    const std::string longsw(400, 's');
    SocketSet v6;
    v6.sockets[0] = sock("[2001:db8::1]:3478", "[2001:db8:100::1]:3478");
    v6.sockets[1] = sock("[2001:db8::1]:3479", "[2001:db8:100::1]:3479");
    v6.sockets[2] = sock("[2001:db8::2]:3478", "[2001:db8:100::2]:3478");
    v6.sockets[3] = sock("[2001:db8::2]:3479", "[2001:db8:100::2]:3479");
    SocketSet lone;
    lone.sockets[0] = four().sockets[0];
    struct Net {
        const SocketSet *ss;
        Address src;
        const char *ra_same, *ra_other;
    };
    const SocketSet v4 = four();
    const Net nets[] = {
        {&v4, kSource, "198.51.100.7:1", "192.0.2.77:1"},
        {&v6, addr("[2001:db8:ffff::7]:40000"), "[2001:db8:ffff::7]:1", "[2001:db8:eeee::1]:1"},
        {&lone, kSource, "198.51.100.7:1", "192.0.2.77:1"}};
    size_t paths = 0, max_growth = 0;
    for (const Net &net : nets) {
        for (ResponseAddressPolicy rap :
             {ResponseAddressPolicy::Off, ResponseAddressPolicy::SameIp, ResponseAddressPolicy::Any}) {
            for (bool sw : {false, true}) {
                ServerPolicy pol;
                pol.response_address = rap;
                if (sw) pol.software = longsw;
                for (bool rfc3489 : {false, true}) {
                    for (int change = -1; change < 4; ++change) {
                        for (int ra = 0; ra < 3; ++ra) {
                            for (int rport = 0; rport < 3; ++rport) {
                                for (size_t pad : {size_t{0}, size_t{1}, size_t{64}, size_t{1500}}) {
                                    for (bool fp : {false, true}) {
                                        RequestOptions o;
                                        o.rfc3489 = rfc3489;
                                        if (change >= 0) {
                                            o.change_request = true;
                                            o.change_ip = change & 2;
                                            o.change_port = change & 1;
                                        }
                                        if (ra == 1) o.response_address = addr(net.ra_same);
                                        if (ra == 2) o.response_address = addr(net.ra_other);
                                        if (rport > 0) o.response_port = 7000;
                                        o.response_port_short = rport == 2;
                                        o.padding = pad;
                                        o.fingerprint = fp;
                                        Bytes req = request(o);
                                        uint8_t out[kServerBufferSize];
                                        ServerReply r = serve(req.data(), req.size(), arrive(0, net.src),
                                                              *net.ss, pol, out, sizeof out);
                                        // Every one of these is answered (success or error), never dropped.
                                        REQUIRE(r.action == Action::Respond);
                                        REQUIRE(r.size <= req.size() + kMaxResponseGrowth);
                                        REQUIRE(r.size <= sizeof out);
                                        max_growth = std::max(max_growth,
                                                              r.size > req.size() ? r.size - req.size() : 0);
                                        ++paths;
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
    // Error paths: unknown attributes, malformed values, broken framing.
    for (bool sw : {false, true}) {
        ServerPolicy pol;
        if (sw) pol.software = longsw;
        for (size_t n = 1; n <= 40; ++n) {
            Bytes req = custom([n](Writer &w) {
                for (size_t i = 0; i < n; ++i) w.add(static_cast<uint16_t>(0x0100 + i), nullptr, 0);
            });
            uint8_t out[kServerBufferSize];
            ServerReply r = serve(req.data(), req.size(), arrive(), four(), pol, out, sizeof out);
            REQUIRE(r.error_code == 420);
            REQUIRE(r.size <= req.size() + kMaxResponseGrowth);
            max_growth = std::max(max_growth, r.size > req.size() ? r.size - req.size() : 0);
            ++paths;
        }
        Bytes framing = hex("0001 0008 2112a442 b7e7a701bc34d686fa87dfae 00060008 61626364");
        uint8_t out[kServerBufferSize];
        ServerReply r = serve(framing.data(), framing.size(), arrive(), four(), pol, out, sizeof out);
        REQUIRE(r.error_code == 400);
        REQUIRE(r.size <= framing.size() + kMaxResponseGrowth);
        max_growth = std::max(max_growth, r.size - framing.size());
    }
    INFO("paths " << paths << ", largest growth " << max_growth << " of " << kMaxResponseGrowth);
    CHECK(paths > 2000);
    // The bound is tight: the worst path (bare 5389 request, IPv6, long SOFTWARE) reaches it.
    CHECK(max_growth == kMaxResponseGrowth);
}
