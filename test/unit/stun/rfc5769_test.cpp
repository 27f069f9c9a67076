// RFC 5769 test vectors: decode, verify MESSAGE-INTEGRITY and FINGERPRINT, re-encode byte-exactly.
#include <catch2/catch.hpp>

#include <cstring>
#include <string>

#include "helpers.h"
#include "stun/address.h"
#include "stun/attributes.h"
#include "stun/integrity.h"
#include "stun/message.h"

using namespace sipnat::stun;
using stun_test::Bytes;
using stun_test::hex;

namespace {

const std::string kPassword = "VOkJxbRl1RmTxUk/WvJxBt";

// §2.1 Sample request (padding bytes are 0x20).
const Bytes kRequest =
    hex("00 01 00 58  21 12 a4 42  b7 e7 a7 01  bc 34 d6 86  fa 87 df ae"
        "80 22 00 10  53 54 55 4e  20 74 65 73  74 20 63 6c  69 65 6e 74" // SOFTWARE "STUN test client"
        "00 24 00 04  6e 00 01 ff"                                        // PRIORITY
        "80 29 00 08  93 2f f9 b1  51 26 3b 36"                           // ICE-CONTROLLED
        "00 06 00 09  65 76 74 6a  3a 68 36 76  59 20 20 20"              // USERNAME "evtj:h6vY"
        "00 08 00 14  9a ea a7 0c  bf d8 cb 56  78 1e f2 b5  b2 d3 f2 49  c1 b5 71 a2"
        "80 28 00 04  e5 7a 3b cf");

// §2.2 Sample IPv4 response.
const Bytes kResponseV4 = hex("01 01 00 3c  21 12 a4 42  b7 e7 a7 01  bc 34 d6 86  fa 87 df ae"
                              "80 22 00 0b  74 65 73 74  20 76 65 63  74 6f 72 20" // SOFTWARE "test vector"
                              "00 20 00 08  00 01 a1 47  e1 12 a6 43" // XOR-MAPPED-ADDRESS 192.0.2.1:32853
                              "00 08 00 14  2b 91 f5 99  fd 9e 90 c3  8c 74 89 f9  2a f9 ba 53  f0 6b e7 d7"
                              "80 28 00 04  c0 7d 4c 96");

// §2.3 Sample IPv6 response.
const Bytes kResponseV6 = hex("01 01 00 48  21 12 a4 42  b7 e7 a7 01  bc 34 d6 86  fa 87 df ae"
                              "80 22 00 0b  74 65 73 74  20 76 65 63  74 6f 72 20"
                              "00 20 00 14  00 02 a1 47  01 13 a9 fa  a5 d3 f1 79  bc 25 f4 b5  be d2 b9 d9"
                              "00 08 00 14  a3 82 95 4e  4b e6 7b f1  17 84 c9 7c  82 92 c2 75  bf e3 ed 41"
                              "80 28 00 04  c8 fb 0b 4c");

// §2.4 Sample request with long-term authentication (no FINGERPRINT; padding bytes 0x00).
const Bytes kLongTerm = hex(
    "00 01 00 60  21 12 a4 42  78 ad 34 33  c6 ad 72 c0  29 da 41 2e"
    "00 06 00 12  e3 83 9e e3  83 88 e3 83  aa e3 83 83  e3 82 af e3  82 b9 00 00"
    "00 15 00 1c  66 2f 2f 34  39 39 6b 39  35 34 64 36  4f 4c 33 34  6f 4c 39 46  53 54 76 79  36 34 73 41"
    "00 14 00 0b  65 78 61 6d  70 6c 65 2e  6f 72 67 00"
    "00 08 00 14  f6 70 24 65  6d d6 4a 3e  02 b8 e0 71  2e 85 c9 a2  8c a8 96 66");

Message parse_ok(const Bytes &b) {
    Message m;
    REQUIRE(parse_message(b.data(), b.size(), &m) == ParseStatus::Ok);
    return m;
}

TransactionId tid_of(const Bytes &b) {
    Header h;
    REQUIRE(parse_header(b.data(), b.size(), &h));
    return h.tid;
}

} // namespace

TEST_CASE("RFC 5769 2.1 sample request decodes and verifies", "[stun][rfc5769]") {
    Message m = parse_ok(kRequest);
    CHECK(m.header.type == kBindingRequest);
    CHECK(m.header.rfc5389());
    CHECK(looks_like_stun(kRequest.data(), kRequest.size()));

    Attr a;
    REQUIRE(m.find(kAttrSoftware, &a));
    CHECK(decode_string(a) == "STUN test client");
    REQUIRE(m.find(kAttrUsername, &a));
    CHECK(decode_string(a) == "evtj:h6vY");
    uint32_t prio = 0;
    REQUIRE(m.find(kAttrPriority, &a));
    REQUIRE(decode_u32(a, &prio));
    CHECK(prio == 0x6e0001ffu);
    uint64_t tie = 0;
    REQUIRE(m.find(kAttrIceControlled, &a));
    REQUIRE(decode_u64(a, &tie));
    CHECK(tie == 0x932ff9b151263b36ull);

    CHECK(verify_message_integrity(m, kPassword.data(), kPassword.size()) == Check::Valid);
    CHECK(verify_message_integrity(m, "wrong", 5) == Check::Invalid);
    CHECK(verify_fingerprint(m) == Check::Valid);
}

TEST_CASE("RFC 5769 2.1 sample request re-encodes byte-exactly", "[stun][rfc5769]") {
    uint8_t buf[256];
    Writer w(buf, sizeof buf);
    w.set_pad_byte(0x20);
    REQUIRE(w.begin(kBindingRequest, tid_of(kRequest)));
    REQUIRE(add_string(w, kAttrSoftware, "STUN test client"));
    REQUIRE(add_u32(w, kAttrPriority, 0x6e0001ff));
    REQUIRE(add_u64(w, kAttrIceControlled, 0x932ff9b151263b36ull));
    REQUIRE(add_string(w, kAttrUsername, "evtj:h6vY"));
    REQUIRE(add_message_integrity(w, kPassword.data(), kPassword.size()));
    REQUIRE(add_fingerprint(w));
    CHECK(Bytes(buf, buf + w.size()) == kRequest);
}

TEST_CASE("RFC 5769 2.2 IPv4 response decodes, verifies and re-encodes", "[stun][rfc5769]") {
    Message m = parse_ok(kResponseV4);
    CHECK(m.header.type == kBindingSuccess);
    Attr a;
    REQUIRE(m.find(kAttrXorMappedAddress, &a));
    Address mapped;
    REQUIRE(decode_xor_address(a, m.header.tid, &mapped));
    CHECK(mapped == Address::v4(192, 0, 2, 1, 32853));
    CHECK(to_string(mapped) == "192.0.2.1:32853");
    REQUIRE(m.find(kAttrSoftware, &a));
    CHECK(decode_string(a) == "test vector");
    CHECK(verify_message_integrity(m, kPassword.data(), kPassword.size()) == Check::Valid);
    CHECK(verify_fingerprint(m) == Check::Valid);

    uint8_t buf[256];
    Writer w(buf, sizeof buf);
    w.set_pad_byte(0x20);
    REQUIRE(w.begin(kBindingSuccess, m.header.tid));
    REQUIRE(add_string(w, kAttrSoftware, "test vector"));
    REQUIRE(add_xor_address(w, kAttrXorMappedAddress, mapped));
    REQUIRE(add_message_integrity(w, kPassword.data(), kPassword.size()));
    REQUIRE(add_fingerprint(w));
    CHECK(Bytes(buf, buf + w.size()) == kResponseV4);
}

TEST_CASE("RFC 5769 2.3 IPv6 response decodes, verifies and re-encodes", "[stun][rfc5769]") {
    Message m = parse_ok(kResponseV6);
    Attr a;
    REQUIRE(m.find(kAttrXorMappedAddress, &a));
    Address mapped;
    REQUIRE(decode_xor_address(a, m.header.tid, &mapped));
    CHECK(mapped == stun_test::addr("[2001:db8:1234:5678:11:2233:4455:6677]:32853"));
    CHECK(to_string(mapped) == "[2001:db8:1234:5678:11:2233:4455:6677]:32853");
    CHECK(verify_message_integrity(m, kPassword.data(), kPassword.size()) == Check::Valid);
    CHECK(verify_fingerprint(m) == Check::Valid);

    uint8_t buf[256];
    Writer w(buf, sizeof buf);
    w.set_pad_byte(0x20);
    REQUIRE(w.begin(kBindingSuccess, m.header.tid));
    REQUIRE(add_string(w, kAttrSoftware, "test vector"));
    REQUIRE(add_xor_address(w, kAttrXorMappedAddress, mapped));
    REQUIRE(add_message_integrity(w, kPassword.data(), kPassword.size()));
    REQUIRE(add_fingerprint(w));
    CHECK(Bytes(buf, buf + w.size()) == kResponseV6);
}

TEST_CASE("RFC 5769 2.4 long-term request verifies with MD5(user:realm:pass) and re-encodes",
          "[stun][rfc5769]") {
    Message m = parse_ok(kLongTerm);
    Attr a;
    REQUIRE(m.find(kAttrUsername, &a));
    const std::string user(decode_string(a));
    CHECK(user == "\xe3\x83\x9e\xe3\x83\x88\xe3\x83\xaa\xe3\x83\x83\xe3\x82\xaf\xe3\x82\xb9");
    REQUIRE(m.find(kAttrRealm, &a));
    CHECK(decode_string(a) == "example.org");
    REQUIRE(m.find(kAttrNonce, &a));
    CHECK(decode_string(a) == "f//499k954d6OL34oL9FSTvy64sA");
    CHECK(verify_fingerprint(m) == Check::Absent);

    uint8_t key[16];
    REQUIRE(long_term_key(user, "example.org", "TheMatrIX", key));
    CHECK(verify_message_integrity(m, key, sizeof key) == Check::Valid);

    uint8_t buf[256];
    Writer w(buf, sizeof buf);
    REQUIRE(w.begin(kBindingRequest, m.header.tid));
    REQUIRE(add_string(w, kAttrUsername, user));
    REQUIRE(add_string(w, kAttrNonce, "f//499k954d6OL34oL9FSTvy64sA"));
    REQUIRE(add_string(w, kAttrRealm, "example.org"));
    REQUIRE(add_message_integrity(w, key, sizeof key));
    CHECK(Bytes(buf, buf + w.size()) == kLongTerm);
}

TEST_CASE("RFC 5769 vectors: any flipped bit breaks FINGERPRINT or MESSAGE-INTEGRITY", "[stun][rfc5769]") {
    for (const Bytes *v : {&kRequest, &kResponseV4, &kResponseV6}) {
        // Flip one bit in each byte outside the length field (which would unframe the message).
        for (size_t i = 0; i < v->size(); ++i) {
            if (i == 2 || i == 3) continue;
            Bytes b = *v;
            b[i] ^= 0x10;
            Message m;
            if (parse_message(b.data(), b.size(), &m) != ParseStatus::Ok) continue;
            const bool fp_ok = verify_fingerprint(m) == Check::Valid;
            const bool mi_ok =
                verify_message_integrity(m, kPassword.data(), kPassword.size()) == Check::Valid;
            CHECK_FALSE((fp_ok && mi_ok));
        }
    }
}
