// Hostile input: every prefix, wrong lengths, oversized, misaligned, random and mutated datagrams.
// Inputs are copied into exactly-sized heap blocks so that ASan flags any read past the end.
#include <catch2/catch.hpp>

#include <cstring>
#include <random>
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
using stun_test::exact;
using stun_test::hex;

namespace {

SocketSet sockets() {
    SocketSet ss;
    const char *real[4] = {"192.0.2.1:3478", "192.0.2.1:3479", "192.0.2.2:3478", "192.0.2.2:3479"};
    for (size_t i = 0; i < 4; ++i) {
        ss.sockets[i].present = true;
        ss.sockets[i].real = addr(real[i]);
    }
    return ss;
}

Arrival arrival() {
    Arrival a;
    a.socket = 0;
    a.source = addr("198.51.100.7:40000");
    return a;
}

// Runs everything that reads untrusted bytes over data[0..len) and checks the server's promises.
void exercise(const uint8_t *data, size_t len) {
    const std::vector<uint8_t> in = exact(data, len);
    const uint8_t *p = in.data();
    const bool looks = looks_like_stun(p, len);
    Header h;
    const bool header_ok = parse_header(p, len, &h);
    if (looks) CHECK(header_ok);
    Message m;
    const ParseStatus st = parse_message(p, len, &m);
    CHECK((st == ParseStatus::NotStun) == !header_ok);
    if (st == ParseStatus::Ok) {
        (void)verify_fingerprint(m);
        (void)verify_message_integrity(m, "key", 3);
        AttrReader r = m.attributes();
        Attr a;
        while (r.next(&a)) {
            Address ad;
            (void)decode_address(a, &ad);
            (void)decode_xor_address(a, m.header.tid, &ad);
            ErrorCode ec;
            (void)decode_error_code(a, &ec);
            uint16_t unk[4];
            size_t n = 0;
            (void)decode_unknown_attributes(a, unk, 4, &n);
            ChangeRequest c;
            (void)decode_change_request(a, &c);
            uint16_t port = 0;
            (void)decode_response_port(a, &port);
        }
        CHECK_FALSE(r.malformed());
    }
    BindingResponse resp;
    (void)parse_binding_response(p, len, nullptr, &resp);

    ServerPolicy pol;
    pol.software = "robust";
    pol.response_address = ResponseAddressPolicy::Any;
    const SocketSet ss = sockets();
    std::vector<uint8_t> out(kServerBufferSize);
    ServerReply r = serve(p, len, arrival(), ss, pol, out.data(), out.size());
    if (r.action == Action::Respond) {
        REQUIRE(header_ok);
        REQUIRE(h.type == kBindingRequest);
        REQUIRE(r.size <= len + kMaxResponseGrowth);
        REQUIRE(r.size <= out.size());
        REQUIRE(r.socket >= 0);
        REQUIRE(r.socket < kSocketCount);
        REQUIRE(r.destination.valid());
        Message rm;
        REQUIRE(parse_message(out.data(), r.size, &rm) == ParseStatus::Ok);
        CHECK(rm.header.tid == h.tid);
        CHECK((rm.header.type == kBindingSuccess || rm.header.type == kBindingError));
        if (r.error_code != 0) {
            CHECK(r.destination == arrival().source);
            CHECK(r.socket == 0);
        }
    } else {
        CHECK(r.size == 0);
    }
}

std::vector<Bytes> samples() {
    std::vector<Bytes> v;
    v.push_back(
        hex("000100582112a442b7e7a701bc34d686fa87dfae802200105354554e207465737420636c69656e74002400046e0001ff"
            "80290008932ff9b151263b36000600096576746a3a68367659202020000800149aeaa70cbfd8cb56781ef2b5b2d3f249"
            "c1b571a280280004e57a3bcf"));
    v.push_back(
        hex("0101003c2112a442b7e7a701bc34d686fa87dfae8022000b7465737420766563746f7220002000080001a147e112a643"
            "000800142b91f599fd9e90c38c7489f92af9ba53f06be7d780280004c07d4c96"));
    v.push_back(
        hex("010100482112a442b7e7a701bc34d686fa87dfae8022000b7465737420766563746f7220002000140002a1470113a9fa"
            "a5d3f179bc25f4b5bed2b9d900080014a382954e4be67bf11784c97c8292c275bfe3ed4180280004c8fb0b4c"));
    const TransactionId t5 = stun_test::tid_hex("2112a442 0102030405060708090a0b0c");
    const TransactionId t3 = stun_test::tid_hex("11223344 0102030405060708090a0b0c");
    for (const TransactionId *t : {&t5, &t3}) {
        RequestOptions o;
        o.tid = t;
        o.change_ip = true;
        o.response_address = addr("198.51.100.7:1");
        o.response_port = 5;
        o.software = "x";
        o.padding = 13;
        o.fingerprint = true;
        uint8_t buf[256];
        size_t n = build_binding_request(o, buf, sizeof buf, nullptr);
        v.emplace_back(buf, buf + n);
        RequestOptions plain;
        plain.tid = t;
        n = build_binding_request(plain, buf, sizeof buf, nullptr);
        v.emplace_back(buf, buf + n);
        // A server answer too, so the response parser meets its own kind.
        uint8_t out[kServerBufferSize];
        ServerReply r =
            serve(v.back().data(), v.back().size(), arrival(), sockets(), ServerPolicy{}, out, sizeof out);
        REQUIRE(r.action == Action::Respond);
        v.emplace_back(out, out + r.size);
    }
    return v;
}

} // namespace

TEST_CASE("robustness: every prefix of valid messages is rejected as not STUN", "[stun][robust]") {
    for (const Bytes &s : samples()) {
        for (size_t n = 0; n < s.size(); ++n) {
            const std::vector<uint8_t> in = exact(s.data(), n);
            Message m;
            CHECK(parse_message(in.data(), n, &m) == ParseStatus::NotStun);
            CHECK_FALSE(looks_like_stun(in.data(), n));
            exercise(s.data(), n);
        }
        exercise(s.data(), s.size());
        Message m;
        CHECK(parse_message(s.data(), s.size(), &m) == ParseStatus::Ok);
    }
}

TEST_CASE("robustness: oversized and wrong-length datagrams", "[stun][robust]") {
    for (const Bytes &s : samples()) {
        Bytes big = s;
        for (int extra = 1; extra <= 8; ++extra) {
            big.push_back(0);
            Message m;
            CHECK(parse_message(big.data(), big.size(), &m) == ParseStatus::NotStun);
            exercise(big.data(), big.size());
        }
        // Every value of the length field: only the true one frames the datagram.
        Bytes b = s;
        size_t ok = 0;
        for (uint32_t len = 0; len <= 0xFFFF; ++len) {
            b[2] = static_cast<uint8_t>(len >> 8);
            b[3] = static_cast<uint8_t>(len);
            Header h;
            if (parse_header(b.data(), b.size(), &h)) ++ok;
            if (len % 251 == 0) exercise(b.data(), b.size());
        }
        CHECK(ok == 1);
    }
    // A header whose length field claims 64 KiB over a 20-byte datagram.
    Bytes h = hex("0001 fffc 2112a442 0102030405060708090a0b0c");
    exercise(h.data(), h.size());
}

TEST_CASE("robustness: misaligned buffers parse the same", "[stun][robust]") {
    for (const Bytes &s : samples()) {
        Message ref;
        REQUIRE(parse_message(s.data(), s.size(), &ref) == ParseStatus::Ok);
        for (size_t shift = 1; shift < 8; ++shift) {
            std::vector<uint8_t> buf(s.size() + shift);
            std::memcpy(buf.data() + shift, s.data(), s.size());
            Message m;
            REQUIRE(parse_message(buf.data() + shift, s.size(), &m) == ParseStatus::Ok);
            CHECK(m.header.tid == ref.header.tid);
            CHECK(verify_fingerprint(m) == verify_fingerprint(ref));
            uint8_t out[kServerBufferSize];
            ServerReply a =
                serve(buf.data() + shift, s.size(), arrival(), sockets(), ServerPolicy{}, out, sizeof out);
            ServerReply b = serve(s.data(), s.size(), arrival(), sockets(), ServerPolicy{}, out, sizeof out);
            CHECK(a.action == b.action);
            CHECK(a.size == b.size);
        }
    }
}

TEST_CASE("robustness: random datagrams", "[stun][robust]") {
    std::mt19937 rng(20240601);
    std::uniform_int_distribution<int> byte(0, 255);
    std::vector<uint8_t> buf;
    for (int i = 0; i < 30000; ++i) {
        const size_t len = static_cast<size_t>(rng() % 200);
        buf.resize(len);
        for (auto &b : buf) b = static_cast<uint8_t>(byte(rng));
        // Most iterations get a plausible header so the attribute code is reached.
        if (len >= 20 && i % 4 != 0) {
            buf[0] = static_cast<uint8_t>(rng() % 2);
            buf[1] = (i % 3 == 0) ? static_cast<uint8_t>(byte(rng)) : 0x01;
            const size_t body = (len - 20) & ~size_t{3};
            buf.resize(20 + body);
            buf[2] = static_cast<uint8_t>(body >> 8);
            buf[3] = static_cast<uint8_t>(body);
            if (i % 2 == 0) std::memcpy(buf.data() + 4, "\x21\x12\xa4\x42", 4);
        }
        exercise(buf.data(), buf.size());
    }
}

TEST_CASE("robustness: mutated valid messages", "[stun][robust]") {
    std::mt19937 rng(7);
    const std::vector<Bytes> base = samples();
    for (int i = 0; i < 20000; ++i) {
        Bytes b = base[static_cast<size_t>(i) % base.size()];
        const int edits = 1 + static_cast<int>(rng() % 4);
        for (int e = 0; e < edits; ++e) {
            const size_t pos = 20 + rng() % (b.size() > 20 ? b.size() - 20 : 1);
            switch (rng() % 4) {
            case 0:
                if (pos < b.size()) b[pos] = static_cast<uint8_t>(rng());
                break;
            case 1: // an attribute length byte
                if (pos + 3 < b.size()) b[pos + 3 - pos % 4] = static_cast<uint8_t>(rng());
                break;
            case 2:
                b.insert(b.begin() + static_cast<long>(std::min(pos, b.size())), 4,
                         static_cast<uint8_t>(rng()));
                break;
            default:
                if (b.size() >= 24) b.resize(b.size() - 4);
                break;
            }
        }
        // Usually keep the header framing right, so the server goes past it.
        if (i % 5 != 0 && b.size() >= 20) {
            const size_t body = b.size() - 20;
            b[2] = static_cast<uint8_t>(body >> 8);
            b[3] = static_cast<uint8_t>(body);
        }
        exercise(b.data(), b.size());
    }
}
