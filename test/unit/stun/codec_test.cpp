// Codec: header framing, the demux test, type bits, and a round trip of every attribute.
#include <catch2/catch.hpp>

#include <netinet/in.h>

#include <cstring>
#include <string>

#include "helpers.h"
#include "stun/address.h"
#include "stun/attributes.h"
#include "stun/integrity.h"
#include "stun/message.h"

using namespace sipnat::stun;
using stun_test::addr;
using stun_test::Bytes;
using stun_test::hex;

namespace {

const TransactionId kTid5389 = stun_test::tid_hex("2112a442 0102030405060708090a0b0c");
const TransactionId kTid3489 = stun_test::tid_hex("a1b2c3d4 0102030405060708090a0b0c");

// A message with one attribute built by f, parsed back; returns that attribute.
template <typename F> Attr one_attr(uint8_t *buf, size_t cap, const TransactionId &tid, F f) {
    Writer w(buf, cap);
    REQUIRE(w.begin(kBindingSuccess, tid));
    REQUIRE(f(w));
    REQUIRE(w.ok());
    Message m;
    REQUIRE(parse_message(buf, w.size(), &m) == ParseStatus::Ok);
    AttrReader r = m.attributes();
    Attr a;
    REQUIRE(r.next(&a));
    Attr extra;
    CHECK_FALSE(r.next(&extra));
    CHECK_FALSE(r.malformed());
    return a;
}

// An attribute with a hand-made value, for decoder rejection tests.
Attr raw_attr(uint16_t type, const Bytes &value) {
    Attr a;
    a.type = type;
    a.length = static_cast<uint16_t>(value.size());
    a.value = value.data();
    return a;
}

} // namespace

TEST_CASE("type field: class and method bits", "[stun][codec]") {
    CHECK(kBindingRequest == 0x0001);
    CHECK(kBindingIndication == 0x0011);
    CHECK(kBindingSuccess == 0x0101);
    CHECK(kBindingError == 0x0111);
    CHECK(make_type(kMethodSharedSecret, Class::Request) == 0x0002);
    CHECK(make_type(kMethodSharedSecret, Class::Error) == 0x0112);
    for (uint16_t method : {0x001, 0x002, 0x003, 0x009, 0x0FF, 0xABC, 0xFFF}) {
        for (Class c : {Class::Request, Class::Indication, Class::Success, Class::Error}) {
            const uint16_t t = make_type(method, c);
            CHECK((t & 0xC000) == 0);
            CHECK(type_method(t) == method);
            CHECK(type_class(t) == c);
        }
    }
}

TEST_CASE("parse_header: framing rules", "[stun][codec]") {
    Bytes ok = hex("0001 0000 2112a442 0102030405060708090a0b0c");
    Header h;
    REQUIRE(parse_header(ok.data(), ok.size(), &h));
    CHECK(h.type == kBindingRequest);
    CHECK(h.length == 0);
    CHECK(h.rfc5389());
    CHECK(h.tid == kTid5389);

    Bytes old = hex("0001 0000 a1b2c3d4 0102030405060708090a0b0c");
    REQUIRE(parse_header(old.data(), old.size(), &h));
    CHECK_FALSE(h.rfc5389());
    CHECK(h.tid == kTid3489); // all 128 bits are the id

    SECTION("too short") {
        CHECK_FALSE(parse_header(ok.data(), 19, &h));
    }
    SECTION("top bits set") {
        for (uint8_t b : {0x40, 0x80, 0xC0}) {
            Bytes x = ok;
            x[0] = b;
            CHECK_FALSE(parse_header(x.data(), x.size(), &h));
        }
    }
    SECTION("length not a multiple of 4") {
        Bytes x = hex("0001 0002 2112a442 0102030405060708090a0b0c 0000");
        CHECK_FALSE(parse_header(x.data(), x.size(), &h));
    }
    SECTION("length does not match the datagram") {
        Bytes x = hex("0001 0004 2112a442 0102030405060708090a0b0c");
        CHECK_FALSE(parse_header(x.data(), x.size(), &h));
        Bytes y = hex("0001 0000 2112a442 0102030405060708090a0b0c 00000000");
        CHECK_FALSE(parse_header(y.data(), y.size(), &h));
    }
    SECTION("null") {
        CHECK_FALSE(parse_header(nullptr, 0, &h));
    }
}

TEST_CASE("looks_like_stun: accepts STUN, never SIP or keepalives", "[stun][codec]") {
    Bytes req = hex("0001 0000 2112a442 0102030405060708090a0b0c");
    CHECK(looks_like_stun(req.data(), req.size()));
    for (uint16_t t : {0x0001, 0x0011, 0x0101, 0x0111, 0x0002, 0x0102, 0x0112}) {
        Bytes x = req;
        x[0] = static_cast<uint8_t>(t >> 8);
        x[1] = static_cast<uint8_t>(t);
        CHECK(looks_like_stun(x.data(), x.size()));
    }
    Bytes old = hex("0001 0008 a1b2c3d4 0102030405060708090a0b0c 00030004 00000006");
    CHECK(looks_like_stun(old.data(), old.size()));

    // Unknown methods / classes of a method we do not know.
    for (uint16_t t : {0x0003, 0x0004, 0x0012, 0x0000, 0x0100, 0x01FF}) {
        Bytes x = req;
        x[0] = static_cast<uint8_t>(t >> 8);
        x[1] = static_cast<uint8_t>(t);
        CHECK_FALSE(looks_like_stun(x.data(), x.size()));
    }
    // Framing.
    CHECK_FALSE(looks_like_stun(req.data(), 19));
    Bytes bad_len = hex("0001 0004 2112a442 0102030405060708090a0b0c");
    CHECK_FALSE(looks_like_stun(bad_len.data(), bad_len.size()));
    Bytes odd = hex("0001 0002 2112a442 0102030405060708090a0b0c 0000");
    CHECK_FALSE(looks_like_stun(odd.data(), odd.size()));
    Bytes high = req;
    high[0] = 0x02;
    CHECK_FALSE(looks_like_stun(high.data(), high.size()));

    // SIP and keepalives.
    for (std::string s :
         {std::string("INVITE sip:bob@example.com SIP/2.0\r\nVia: SIP/2.0/UDP x\r\n\r\n"),
          std::string("SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 192.0.2.1\r\n\r\n"),
          std::string("OPTIONS sip:a SIP/2.0\r\n\r\n"), std::string("\r\n\r\n"), std::string("\r\n"),
          std::string(4, '\0'), std::string(20, '\0'), std::string("\r\n\r\n") + std::string(16, '\0')}) {
        CHECK_FALSE(looks_like_stun(reinterpret_cast<const uint8_t *>(s.data()), s.size()));
    }
}

TEST_CASE("AttrReader: walks attributes and flags overruns", "[stun][codec]") {
    // Two attributes: USERNAME "abcde" (padded to 8) and PRIORITY.
    Bytes m = hex("0001 0014 2112a442 0102030405060708090a0b0c 00060005 6162636465000000 00240004 00000001");
    AttrReader r(m.data(), m.size());
    Attr a;
    REQUIRE(r.next(&a));
    CHECK(a.type == kAttrUsername);
    CHECK(a.length == 5);
    CHECK(a.offset == 20);
    CHECK(std::string(reinterpret_cast<const char *>(a.value), a.length) == "abcde");
    REQUIRE(r.next(&a));
    CHECK(a.type == kAttrPriority);
    CHECK(a.offset == 32);
    CHECK_FALSE(r.next(&a));
    CHECK_FALSE(r.malformed());
    CHECK(r.position() == m.size());

    // The last attribute claims more than is there (its padding would run past the end).
    Bytes over = hex("0001 0008 2112a442 0102030405060708090a0b0c 00060005 61626364");
    AttrReader r2(over.data(), over.size());
    CHECK_FALSE(r2.next(&a));
    CHECK(r2.malformed());
    CHECK_FALSE(r2.next(&a));
    Message msg;
    CHECK(parse_message(over.data(), over.size(), &msg) == ParseStatus::Malformed);
}

TEST_CASE("Writer: keeps the length current and fails cleanly when full", "[stun][codec]") {
    uint8_t buf[40];
    Writer w(buf, sizeof buf);
    CHECK_FALSE(w.ok());
    REQUIRE(w.begin(kBindingRequest, kTid5389));
    CHECK(w.size() == 20);
    REQUIRE(add_string(w, kAttrSoftware, "abc")); // 4 + 4
    CHECK(w.size() == 28);
    CHECK(buf[2] == 0);
    CHECK(buf[3] == 8);
    CHECK(buf[27] == 0); // padding byte
    CHECK(w.room() == 12);
    CHECK(add_u64(w, kAttrIceControlling, 1)); // exactly fills 40
    CHECK(w.room() == 0);
    CHECK_FALSE(add_u32(w, kAttrPriority, 1));
    CHECK_FALSE(w.ok());
    CHECK(w.size() == 0);
    CHECK_FALSE(add_u32(w, kAttrPriority, 1)); // stays failed

    Writer tiny(buf, 19);
    CHECK_FALSE(tiny.begin(kBindingRequest, kTid5389));
    CHECK(tiny.size() == 0);

    uint8_t big[70000];
    Writer huge(big, sizeof big);
    REQUIRE(huge.begin(kBindingRequest, kTid5389));
    CHECK_FALSE(huge.add(kAttrPadding, big, 0x10000)); // value longer than 16 bits can say
    CHECK_FALSE(huge.ok());
}

TEST_CASE("address attributes round-trip, IPv4 and IPv6, plain and XOR", "[stun][codec][address]") {
    const Address v4 = addr("192.0.2.1:32853");
    const Address v6 = addr("[2001:db8:1234:5678:11:2233:4455:6677]:32853");
    uint8_t buf[128];
    for (const Address &a : {v4, v6}) {
        for (uint16_t type :
             {kAttrMappedAddress, kAttrResponseAddress, kAttrSourceAddress, kAttrChangedAddress,
              kAttrReflectedFrom, kAttrResponseOrigin, kAttrOtherAddress, kAttrAlternateServer}) {
            Attr at = one_attr(buf, sizeof buf, kTid5389, [&](Writer &w) { return add_address(w, type, a); });
            CHECK(at.type == type);
            CHECK(at.length == (a.family == Family::V4 ? 8 : 20));
            Address back;
            REQUIRE(decode_address(at, &back));
            CHECK(back == a);
        }
        for (const TransactionId &tid : {kTid5389, kTid3489}) {
            for (uint16_t type : {kAttrXorMappedAddress, kAttrXorMappedAddressOld}) {
                Attr at =
                    one_attr(buf, sizeof buf, tid, [&](Writer &w) { return add_xor_address(w, type, a); });
                Address back;
                REQUIRE(decode_xor_address(at, tid, &back));
                CHECK(back == a);
                // The wire form really is XOR-ed.
                Address plain;
                REQUIRE(decode_address(at, &plain));
                CHECK_FALSE(plain == a);
            }
        }
    }
    // RFC 5389 XOR: port ^ 0x2112, IPv4 ^ cookie.
    Attr at = one_attr(buf, sizeof buf, kTid5389, [&](Writer &w) { return add_xor_address(w, 0x0020, v4); });
    CHECK(Bytes(at.value, at.value + 8) == hex("0001 a147 e112a643"));
}

TEST_CASE("address decoders reject bad shapes", "[stun][codec][address]") {
    Address out;
    CHECK_FALSE(decode_address(raw_attr(1, hex("0001 1234 c0000201 00000000")), &out)); // v4 with 12
    CHECK_FALSE(decode_address(raw_attr(1, hex("0002 1234 c0000201")), &out));          // v6 with 8
    CHECK_FALSE(decode_address(raw_attr(1, hex("0003 1234 c0000201")), &out));          // family 3
    CHECK_FALSE(decode_address(raw_attr(1, hex("0000 1234 c0000201")), &out));          // family 0
    CHECK_FALSE(decode_address(raw_attr(1, hex("0001 12")), &out));                     // too short
    CHECK_FALSE(decode_address(raw_attr(1, hex("")), &out));
    CHECK_FALSE(decode_xor_address(raw_attr(0x20, hex("0001 1234 c0000201 00")), kTid5389, &out));
    // The first byte is ignored, as RFC 5389 asks.
    REQUIRE(decode_address(raw_attr(1, hex("ff01 1234 c0000201")), &out));
    CHECK(out == addr("192.0.2.1:4660"));
}

TEST_CASE("address text and sockaddr conversions", "[stun][address]") {
    Address a;
    REQUIRE(parse_address("192.0.2.1:3478", &a));
    CHECK(a == Address::v4(192, 0, 2, 1, 3478));
    REQUIRE(parse_address("[2001:db8::1]:5060", &a));
    CHECK(to_string(a) == "[2001:db8::1]:5060");
    REQUIRE(parse_address("2001:db8::2", &a, 3478));
    CHECK(to_string(a) == "[2001:db8::2]:3478");
    REQUIRE(parse_address("10.0.0.1", &a, 7));
    CHECK(to_string(a) == "10.0.0.1:7");
    for (const char *bad : {"", "1.2.3", "1.2.3.4:", "1.2.3.4:65536", "1.2.3.4:x", "[::1", "[::1]5",
                            "[1.2.3.4]:5", "example.com:5", "::g"}) {
        CHECK_FALSE(parse_address(bad, &a));
    }
    CHECK(to_string(Address{}) == "-");

    for (const char *text : {"198.51.100.7:40000", "[2001:db8::7]:40000"}) {
        const Address x = addr(text);
        sockaddr_storage ss;
        socklen_t len = 0;
        REQUIRE(to_sockaddr(x, &ss, &len));
        Address back;
        REQUIRE(from_sockaddr(reinterpret_cast<const sockaddr *>(&ss), &back));
        CHECK(back == x);
    }
    sockaddr_storage ss;
    socklen_t len = 0;
    CHECK_FALSE(to_sockaddr(Address{}, &ss, &len));

    CHECK(addr("1.2.3.4:5").same_ip(addr("1.2.3.4:6")));
    CHECK_FALSE(addr("1.2.3.4:5") == addr("1.2.3.4:6"));
    CHECK_FALSE(addr("1.2.3.4:5").same_ip(addr("[::ffff:1.2.3.4]:5")));
}

TEST_CASE("CHANGE-REQUEST round-trips every flag combination", "[stun][codec]") {
    uint8_t buf[64];
    for (bool ip : {false, true}) {
        for (bool port : {false, true}) {
            Attr a = one_attr(buf, sizeof buf, kTid3489, [&](Writer &w) {
                return add_change_request(w, {ip, port});
            });
            CHECK(a.type == kAttrChangeRequest);
            CHECK(a.length == 4);
            ChangeRequest c;
            REQUIRE(decode_change_request(a, &c));
            CHECK(c.ip == ip);
            CHECK(c.port == port);
        }
    }
    ChangeRequest c;
    CHECK(decode_change_request(raw_attr(3, hex("000000ff")), &c)); // unknown bits ignored
    CHECK(c.ip);
    CHECK(c.port);
    CHECK_FALSE(decode_change_request(raw_attr(3, hex("000006")), &c));
    CHECK_FALSE(decode_change_request(raw_attr(3, hex("00000006 00000000")), &c));
}

TEST_CASE("RESPONSE-PORT: both forms", "[stun][codec]") {
    uint8_t buf[64];
    for (bool four : {true, false}) {
        Attr a =
            one_attr(buf, sizeof buf, kTid5389, [&](Writer &w) { return add_response_port(w, 40001, four); });
        CHECK(a.length == (four ? 4 : 2));
        uint16_t p = 0;
        REQUIRE(decode_response_port(a, &p));
        CHECK(p == 40001);
    }
    uint16_t p = 0;
    CHECK_FALSE(decode_response_port(raw_attr(0x27, hex("9c")), &p));
    CHECK_FALSE(decode_response_port(raw_attr(0x27, hex("9c4100")), &p));
    CHECK_FALSE(decode_response_port(raw_attr(0x27, hex("9c41000000")), &p));
}

TEST_CASE("PADDING, text and integer attributes round-trip", "[stun][codec]") {
    uint8_t buf[2048];
    for (size_t n : {size_t{0}, size_t{1}, size_t{3}, size_t{4}, size_t{5}, size_t{1000}}) {
        Attr a = one_attr(buf, sizeof buf, kTid5389, [&](Writer &w) { return add_padding(w, n); });
        CHECK(a.type == kAttrPadding);
        CHECK(a.length == n);
    }
    for (uint16_t t : {kAttrUsername, kAttrSoftware, kAttrRealm, kAttrNonce}) {
        for (std::string s :
             {std::string(""), std::string("x"), std::string("sipnat 0.1"), std::string(513, 'u')}) {
            Attr a = one_attr(buf, sizeof buf, kTid5389, [&](Writer &w) { return add_string(w, t, s); });
            CHECK(decode_string(a) == s);
        }
    }
    Attr a =
        one_attr(buf, sizeof buf, kTid5389, [&](Writer &w) { return add_u32(w, kAttrPriority, 0x6e0001ff); });
    uint32_t u = 0;
    REQUIRE(decode_u32(a, &u));
    CHECK(u == 0x6e0001ffu);
    a = one_attr(buf, sizeof buf, kTid5389,
                 [&](Writer &w) { return add_u64(w, kAttrIceControlling, 0x0102030405060708ull); });
    uint64_t v = 0;
    REQUIRE(decode_u64(a, &v));
    CHECK(v == 0x0102030405060708ull);
    a = one_attr(buf, sizeof buf, kTid5389, [&](Writer &w) { return w.add(kAttrUseCandidate, nullptr, 0); });
    CHECK(a.length == 0);
    CHECK_FALSE(decode_u32(raw_attr(0x24, hex("0102030405")), &u));
    CHECK_FALSE(decode_u64(raw_attr(0x8029, hex("01020304")), &v));
}

TEST_CASE("ERROR-CODE round-trips and rejects out-of-range values", "[stun][codec]") {
    uint8_t buf[128];
    for (int code : {300, 400, 401, 420, 438, 500, 600, 699}) {
        const std::string reason(default_reason(code));
        Attr a =
            one_attr(buf, sizeof buf, kTid5389, [&](Writer &w) { return add_error_code(w, code, reason); });
        ErrorCode ec;
        REQUIRE(decode_error_code(a, &ec));
        CHECK(ec.code == code);
        CHECK(ec.reason == reason);
    }
    Writer w(buf, sizeof buf);
    REQUIRE(w.begin(kBindingError, kTid5389));
    CHECK_FALSE(add_error_code(w, 299, "x"));
    CHECK_FALSE(add_error_code(w, 700, "x"));
    CHECK(w.size() == 20);
    ErrorCode ec;
    CHECK_FALSE(decode_error_code(raw_attr(9, hex("000004")), &ec));
    CHECK_FALSE(decode_error_code(raw_attr(9, hex("00000214")), &ec)); // class 2
    CHECK_FALSE(decode_error_code(raw_attr(9, hex("00000700")), &ec)); // class 7
    CHECK_FALSE(decode_error_code(raw_attr(9, hex("00000464")), &ec)); // number 100
    REQUIRE(decode_error_code(raw_attr(9, hex("fffffc14")), &ec));     // reserved bits ignored
    CHECK(ec.code == 420);
}

TEST_CASE("UNKNOWN-ATTRIBUTES: RFC 5389 padding and RFC 3489 repetition", "[stun][codec]") {
    uint8_t buf[128];
    const uint16_t types[] = {0x0007, 0x0031, 0x7FFF};
    for (bool repeat : {false, true}) {
        for (size_t n = 1; n <= 3; ++n) {
            Attr a = one_attr(buf, sizeof buf, kTid5389,
                              [&](Writer &w) { return add_unknown_attributes(w, types, n, repeat); });
            const size_t expect = (repeat && n % 2) ? n + 1 : n;
            CHECK(a.length == 2 * expect);
            uint16_t out[8];
            size_t got = 0;
            REQUIRE(decode_unknown_attributes(a, out, 8, &got));
            REQUIRE(got == expect);
            for (size_t i = 0; i < n; ++i) CHECK(out[i] == types[i]);
            if (expect != n) CHECK(out[n] == types[n - 1]);
        }
    }
    uint16_t out[1];
    size_t got = 0;
    CHECK_FALSE(decode_unknown_attributes(raw_attr(10, hex("000100")), out, 1, &got));
    REQUIRE(decode_unknown_attributes(raw_attr(10, hex("00010002")), out, 1, &got));
    CHECK(got == 1); // capped
}

TEST_CASE("MESSAGE-INTEGRITY and FINGERPRINT round-trip on our own messages", "[stun][codec][integrity]") {
    uint8_t buf[256];
    for (const TransactionId &tid : {kTid5389, kTid3489}) {
        Writer w(buf, sizeof buf);
        REQUIRE(w.begin(kBindingRequest, tid));
        REQUIRE(add_string(w, kAttrUsername, "alice"));
        REQUIRE(add_message_integrity(w, "secret", 6));
        REQUIRE(add_fingerprint(w));
        Message m;
        REQUIRE(parse_message(buf, w.size(), &m) == ParseStatus::Ok);
        CHECK(verify_message_integrity(m, "secret", 6) == Check::Valid);
        CHECK(verify_message_integrity(m, "Secret", 6) == Check::Invalid);
        CHECK(verify_fingerprint(m) == Check::Valid);
        buf[25] ^= 1; // inside USERNAME
        CHECK(verify_message_integrity(m, "secret", 6) == Check::Invalid);
        CHECK(verify_fingerprint(m) == Check::Invalid);
    }
    // Empty key works too.
    Writer w(buf, sizeof buf);
    REQUIRE(w.begin(kBindingRequest, kTid5389));
    REQUIRE(add_message_integrity(w, nullptr, 0));
    Message m;
    REQUIRE(parse_message(buf, w.size(), &m) == ParseStatus::Ok);
    CHECK(verify_message_integrity(m, nullptr, 0) == Check::Valid);
    CHECK(verify_fingerprint(m) == Check::Absent);

    // FINGERPRINT that is not last is Invalid; a short MESSAGE-INTEGRITY is Invalid.
    Writer w2(buf, sizeof buf);
    REQUIRE(w2.begin(kBindingRequest, kTid5389));
    REQUIRE(add_fingerprint(w2));
    REQUIRE(add_u32(w2, kAttrPriority, 1));
    REQUIRE(parse_message(buf, w2.size(), &m) == ParseStatus::Ok);
    CHECK(verify_fingerprint(m) == Check::Invalid);
    Writer w3(buf, sizeof buf);
    REQUIRE(w3.begin(kBindingRequest, kTid5389));
    REQUIRE(w3.add(kAttrMessageIntegrity, "0123456789", 10));
    REQUIRE(parse_message(buf, w3.size(), &m) == ParseStatus::Ok);
    CHECK(verify_message_integrity(m, "k", 1) == Check::Invalid);
}

TEST_CASE("attribute registry", "[stun][codec]") {
    for (uint16_t t : {0x0001, 0x0002, 0x0003, 0x0004, 0x0005, 0x0006, 0x0008, 0x0009, 0x000A,
                       0x000B, 0x0014, 0x0015, 0x0020, 0x0024, 0x0025, 0x0026, 0x0027, 0x8020,
                       0x8022, 0x8023, 0x8028, 0x8029, 0x802A, 0x802B, 0x802C}) {
        CHECK(attr_known(t));
        CHECK(attr_name(t) != nullptr);
    }
    for (uint16_t t : {0x0000, 0x0007, 0x000C, 0x001C, 0x0030, 0x7FFF, 0x8000, 0xFFFF})
        CHECK_FALSE(attr_known(t));
    CHECK(comprehension_required(0x0000));
    CHECK(comprehension_required(0x7FFF));
    CHECK_FALSE(comprehension_required(0x8000));
    CHECK(std::string(attr_name(kAttrOtherAddress)) == "OTHER-ADDRESS");
}
