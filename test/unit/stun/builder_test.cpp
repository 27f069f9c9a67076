// Client helpers: request building in both dialects and response parsing.
#include <catch2/catch.hpp>

#include <set>
#include <string>

#include "helpers.h"
#include "stun/address.h"
#include "stun/attributes.h"
#include "stun/builder.h"
#include "stun/integrity.h"
#include "stun/message.h"

using namespace sipnat::stun;
using stun_test::addr;
using stun_test::Bytes;
using stun_test::hex;

namespace {

Message parsed(const uint8_t *buf, size_t n) {
    Message m;
    REQUIRE(parse_message(buf, n, &m) == ParseStatus::Ok);
    return m;
}

} // namespace

TEST_CASE("random transaction ids", "[stun][builder]") {
    std::set<std::string> seen;
    for (int i = 0; i < 100; ++i) {
        TransactionId a, b;
        REQUIRE(random_transaction_id(false, &a));
        REQUIRE(random_transaction_id(true, &b));
        CHECK(a.has_cookie());
        CHECK_FALSE(b.has_cookie());
        seen.insert(std::string(a.bytes.begin(), a.bytes.end()));
        seen.insert(std::string(b.bytes.begin(), b.bytes.end()));
    }
    CHECK(seen.size() == 200);
}

TEST_CASE("build_binding_request: minimal requests", "[stun][builder]") {
    uint8_t buf[64];
    TransactionId tid;
    size_t n = build_binding_request({}, buf, sizeof buf, &tid);
    REQUIRE(n == 20);
    Message m = parsed(buf, n);
    CHECK(m.header.type == kBindingRequest);
    CHECK(m.header.rfc5389());
    CHECK(m.header.tid == tid);
    CHECK(looks_like_stun(buf, n));

    RequestOptions o;
    o.rfc3489 = true;
    n = build_binding_request(o, buf, sizeof buf, &tid);
    REQUIRE(n == 20);
    CHECK_FALSE(parsed(buf, n).header.rfc5389());

    CHECK(build_binding_request({}, buf, 19, nullptr) == 0);
}

TEST_CASE("build_binding_request: every option", "[stun][builder]") {
    RequestOptions o;
    const TransactionId fixed = stun_test::tid_hex("2112a442 000102030405060708090a0b");
    o.tid = &fixed;
    o.change_ip = true;
    o.change_port = true;
    o.response_address = addr("198.51.100.7:40002");
    o.response_port = 40100;
    o.software = "sipnat stunclient";
    o.padding = 33;
    o.fingerprint = true;
    uint8_t buf[256];
    TransactionId tid;
    const size_t n = build_binding_request(o, buf, sizeof buf, &tid);
    REQUIRE(n > 0);
    CHECK(tid == fixed);
    Message m = parsed(buf, n);
    std::vector<uint16_t> types;
    AttrReader r = m.attributes();
    Attr a;
    while (r.next(&a)) types.push_back(a.type);
    CHECK(types == std::vector<uint16_t>{kAttrChangeRequest, kAttrResponseAddress, kAttrResponsePort,
                                         kAttrSoftware, kAttrPadding, kAttrFingerprint});
    ChangeRequest c;
    REQUIRE(m.find(kAttrChangeRequest, &a));
    REQUIRE(decode_change_request(a, &c));
    CHECK((c.ip && c.port));
    REQUIRE(m.find(kAttrResponsePort, &a));
    CHECK(a.length == 4);
    REQUIRE(m.find(kAttrPadding, &a));
    CHECK(a.length == 33);
    CHECK(verify_fingerprint(m) == Check::Valid);

    // The CHANGE-REQUEST flag combinations and the short RESPONSE-PORT.
    RequestOptions p;
    p.change_request = true;
    p.response_port = 1;
    p.response_port_short = true;
    const size_t k = build_binding_request(p, buf, sizeof buf, nullptr);
    Message q = parsed(buf, k);
    REQUIRE(q.find(kAttrChangeRequest, &a));
    REQUIRE(decode_change_request(a, &c));
    CHECK_FALSE((c.ip || c.port));
    REQUIRE(q.find(kAttrResponsePort, &a));
    CHECK(a.length == 2);
}

TEST_CASE("parse_binding_response: success, with fallbacks between old and new attributes",
          "[stun][builder]") {
    const TransactionId tid = stun_test::tid_hex("2112a442 000102030405060708090a0b");
    const Address mapped = addr("198.51.100.7:40000");
    uint8_t buf[512];

    SECTION("RFC 5389 names") {
        Writer w(buf, sizeof buf);
        w.begin(kBindingSuccess, tid);
        add_address(w, kAttrMappedAddress, addr("10.0.0.1:1")); // e.g. rewritten by an ALG
        add_xor_address(w, kAttrXorMappedAddress, mapped);
        add_address(w, kAttrResponseOrigin, addr("203.0.113.1:3478"));
        add_address(w, kAttrOtherAddress, addr("203.0.113.2:3479"));
        add_address(w, kAttrSourceAddress, addr("1.1.1.1:1"));  // RESPONSE-ORIGIN wins
        add_address(w, kAttrChangedAddress, addr("2.2.2.2:2")); // OTHER-ADDRESS wins
        add_string(w, kAttrSoftware, "srv");
        add_padding(w, 10);
        add_fingerprint(w);
        BindingResponse r;
        REQUIRE(parse_binding_response(buf, w.size(), &tid, &r) == ResponseStatus::Ok);
        CHECK(r.success);
        CHECK(r.mapped == mapped);
        CHECK(r.mapped_from_xor);
        CHECK(r.plain_mapped == addr("10.0.0.1:1"));
        CHECK(r.origin == addr("203.0.113.1:3478"));
        CHECK(r.other == addr("203.0.113.2:3479"));
        CHECK(r.software == "srv");
        CHECK(r.has_padding);
        CHECK(r.padding == 10);
        CHECK(r.fingerprint == Check::Valid);
        CHECK(r.unknown_required == 0);
    }
    SECTION("RFC 3489 names, 0x8020, no XOR at all") {
        const TransactionId old = stun_test::tid_hex("01020304 000102030405060708090a0b");
        Writer w(buf, sizeof buf);
        w.begin(kBindingSuccess, old);
        add_address(w, kAttrMappedAddress, mapped);
        add_address(w, kAttrSourceAddress, addr("203.0.113.1:3478"));
        add_address(w, kAttrChangedAddress, addr("203.0.113.2:3479"));
        add_xor_address(w, kAttrXorMappedAddressOld, mapped);
        add_address(w, kAttrReflectedFrom, addr("198.51.100.7:1"));
        BindingResponse r;
        REQUIRE(parse_binding_response(buf, w.size(), &old, &r) == ResponseStatus::Ok);
        CHECK_FALSE(r.rfc5389);
        CHECK(r.mapped == mapped);
        CHECK(r.mapped_from_xor);
        CHECK(r.origin == addr("203.0.113.1:3478"));
        CHECK(r.other == addr("203.0.113.2:3479"));
        CHECK(r.reflected_from == addr("198.51.100.7:1"));

        Writer v(buf, sizeof buf);
        v.begin(kBindingSuccess, old);
        add_address(v, kAttrMappedAddress, mapped);
        REQUIRE(parse_binding_response(buf, v.size(), nullptr, &r) == ResponseStatus::Ok);
        CHECK(r.mapped == mapped);
        CHECK_FALSE(r.mapped_from_xor);
        CHECK_FALSE(r.other.has_value());
    }
    SECTION("error response") {
        Writer w(buf, sizeof buf);
        w.begin(kBindingError, tid);
        add_error_code(w, 420, "Unknown Attribute");
        const uint16_t unk[] = {0x0003, 0x0031};
        add_unknown_attributes(w, unk, 2, false);
        w.add(0x0033, nullptr, 0);
        BindingResponse r;
        REQUIRE(parse_binding_response(buf, w.size(), &tid, &r) == ResponseStatus::Ok);
        CHECK_FALSE(r.success);
        CHECK(r.error_code == 420);
        CHECK(r.reason == "Unknown Attribute");
        REQUIRE(r.n_unknown == 2);
        CHECK(r.unknown[1] == 0x0031);
        CHECK(r.unknown_required == 0x0033);
    }
}

TEST_CASE("parse_binding_response: rejections", "[stun][builder]") {
    const TransactionId tid = stun_test::tid_hex("2112a442 000102030405060708090a0b");
    const TransactionId other = stun_test::tid_hex("2112a442 ffffffffffffffffffffffff");
    uint8_t buf[256];
    BindingResponse r;
    Writer w(buf, sizeof buf);
    w.begin(kBindingSuccess, tid);
    add_xor_address(w, kAttrXorMappedAddress, addr("198.51.100.7:40000"));
    add_fingerprint(w);
    const size_t n = w.size();
    CHECK(parse_binding_response(buf, n, &tid, &r) == ResponseStatus::Ok);
    CHECK(parse_binding_response(buf, n, &other, &r) == ResponseStatus::WrongTransaction);
    CHECK(parse_binding_response(buf, n - 1, &tid, &r) == ResponseStatus::NotStun);
    buf[25] ^= 1;
    CHECK(parse_binding_response(buf, n, &tid, &r) == ResponseStatus::BadFingerprint);
    buf[25] ^= 1;
    for (uint16_t type : {kBindingRequest, kBindingIndication, uint16_t{0x0102}, uint16_t{0x0103}}) {
        buf[0] = static_cast<uint8_t>(type >> 8);
        buf[1] = static_cast<uint8_t>(type);
        CHECK(parse_binding_response(buf, n, &tid, &r) == ResponseStatus::NotResponse);
    }

    // A malformed address value.
    Writer b(buf, sizeof buf);
    b.begin(kBindingSuccess, tid);
    b.add(kAttrXorMappedAddress, hex("0003 0000 00000000").data(), 8);
    CHECK(parse_binding_response(buf, b.size(), &tid, &r) == ResponseStatus::Malformed);
    // Broken framing.
    Bytes broken = hex("0101 0008 2112a442 000102030405060708090a0b 00200010 00010000");
    CHECK(parse_binding_response(broken.data(), broken.size(), &tid, &r) == ResponseStatus::Malformed);
    // A malformed ERROR-CODE.
    Writer e(buf, sizeof buf);
    e.begin(kBindingError, tid);
    e.add(kAttrErrorCode, "\0\0\x09\x00", 4);
    CHECK(parse_binding_response(buf, e.size(), &tid, &r) == ResponseStatus::Malformed);
}
