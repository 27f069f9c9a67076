// Realistic call flows. The first is a call captured through Kamailio 5.6.3 acting as a stateless
// proxy at 127.0.0.30:5070 (record_route, loose_route, forward; UAC 127.0.0.31:5072, UAS
// 127.0.0.31:5071): our output must equal Kamailio's byte for byte apart from the branch value
// (and the SDP rewrite and X-Oracle-RC header, which the test applies as the script would).
#include <catch2/catch.hpp>

#include <string>

#include "helpers.h"
#include "sip/branch.h"
#include "sip/reply.h"
#include "sip/stateless.h"
#include "sip/validate.h"

using namespace sipnat::sip;
using sipnat::sip::test::crlf;
using sipnat::sip::test::must_parse;

namespace {

const std::string kInviteIn =
    "INVITE sip:bob@127.0.0.31:5071 SIP/2.0\r\n"
    "Via: SIP/2.0/UDP 127.0.0.31:5072;branch=z9hG4bK-answer-without-sdp-1\r\n"
    "Max-Forwards: 70\r\n"
    "From: \"Alice\" <sip:alice@example.com>;tag=uac-answer-without-sdp\r\n"
    "To: <sip:bob@example.net;user=phone>\r\n"
    "Call-ID: sipnat-answer-without-sdp-1@sipnat.test\r\n"
    "CSeq: 1 INVITE\r\n"
    "Contact: <sip:alice@127.0.0.31:5072>\r\n"
    "User-Agent: sipnat-oracle UAC (SIPp)\r\n"
    "X-Case: answer-without-sdp\r\n"
    "Content-Type: application/sdp\r\n"
    "Content-Length:   357\r\n"
    "\r\n"
    "v=0\r\n"
    "o=alice 2890844526 2890844526 IN IP4 192.0.2.10\r\n"
    "s=-\r\n"
    "c=IN IP4 192.0.2.10\r\n"
    "t=0 0\r\n"
    "m=audio 49170 RTP/AVP 0 8 101\r\n"
    "a=rtpmap:0 PCMU/8000\r\n"
    "a=rtpmap:8 PCMA/8000\r\n"
    "a=rtpmap:101 telephone-event/8000\r\n"
    "a=fmtp:101 0-15\r\n"
    "a=rtcp:49171\r\n"
    "a=sendrecv\r\n"
    "m=video 51372 RTP/AVP 96\r\n"
    "a=rtpmap:96 H264/90000\r\n"
    "a=fmtp:96 profile-level-id=42e01f\r\n"
    "a=rtcp:51373 IN IP4 192.0.2.10\r\n";

const std::string kInviteOut =
    "INVITE sip:bob@127.0.0.31:5071 SIP/2.0\r\n"
    "Record-Route: <sip:127.0.0.30:5070;lr;ftag=uac-answer-without-sdp>\r\n"
    "Via: SIP/2.0/UDP 127.0.0.30:5070;branch=z9hG4bK4c12.f9234eb40d30f2d9de015294a2ca0ff1.0\r\n"
    "Via: SIP/2.0/UDP 127.0.0.31:5072;branch=z9hG4bK-answer-without-sdp-1\r\n"
    "Max-Forwards: 69\r\n"
    "From: \"Alice\" <sip:alice@example.com>;tag=uac-answer-without-sdp\r\n"
    "To: <sip:bob@example.net;user=phone>\r\n"
    "Call-ID: sipnat-answer-without-sdp-1@sipnat.test\r\n"
    "CSeq: 1 INVITE\r\n"
    "Contact: <sip:alice@127.0.0.31:5072>\r\n"
    "User-Agent: sipnat-oracle UAC (SIPp)\r\n"
    "X-Case: answer-without-sdp\r\n"
    "Content-Type: application/sdp\r\n"
    "Content-Length:   357\r\n"
    "X-Oracle-RC: use_media_proxy=1\r\n"
    "\r\n"
    "v=0\r\n"
    "o=alice 2890844526 2890844526 IN IP4 192.0.2.10\r\n"
    "s=-\r\n"
    "c=IN IP4 127.0.0.30\r\n"
    "t=0 0\r\n"
    "m=audio 40002 RTP/AVP 0 8 101\r\n"
    "a=rtpmap:0 PCMU/8000\r\n"
    "a=rtpmap:8 PCMA/8000\r\n"
    "a=rtpmap:101 telephone-event/8000\r\n"
    "a=fmtp:101 0-15\r\n"
    "a=rtcp:40003\r\n"
    "a=sendrecv\r\n"
    "m=video 40006 RTP/AVP 96\r\n"
    "a=rtpmap:96 H264/90000\r\n"
    "a=fmtp:96 profile-level-id=42e01f\r\n"
    "a=rtcp:40007 IN IP4 127.0.0.30\r\n";

const std::string kOkIn =
    "SIP/2.0 200 OK\r\n"
    "Via: SIP/2.0/UDP 127.0.0.30:5070;branch=z9hG4bK4c12.f9234eb40d30f2d9de015294a2ca0ff1.0, SIP/2.0/UDP 127.0.0.31:5072;branch=z9hG4bK-answer-without-sdp-1\r\n"
    "Record-Route: <sip:127.0.0.30:5070;lr;ftag=uac-answer-without-sdp>\r\n"
    "From: \"Alice\" <sip:alice@example.com>;tag=uac-answer-without-sdp\r\n"
    "To: <sip:bob@example.net;user=phone>;tag=uas-answer-without-sdp\r\n"
    "Call-ID: sipnat-answer-without-sdp-1@sipnat.test\r\n"
    "CSeq: 1 INVITE\r\n"
    "Contact: <sip:bob@127.0.0.31:5071>\r\n"
    "Server: sipnat-oracle UAS (SIPp)\r\n"
    "Content-Length: 0\r\n"
    "\r\n";

const std::string kOkOut =
    "SIP/2.0 200 OK\r\n"
    "Via: SIP/2.0/UDP 127.0.0.31:5072;branch=z9hG4bK-answer-without-sdp-1\r\n"
    "Record-Route: <sip:127.0.0.30:5070;lr;ftag=uac-answer-without-sdp>\r\n"
    "From: \"Alice\" <sip:alice@example.com>;tag=uac-answer-without-sdp\r\n"
    "To: <sip:bob@example.net;user=phone>;tag=uas-answer-without-sdp\r\n"
    "Call-ID: sipnat-answer-without-sdp-1@sipnat.test\r\n"
    "CSeq: 1 INVITE\r\n"
    "Contact: <sip:bob@127.0.0.31:5071>\r\n"
    "Server: sipnat-oracle UAS (SIPp)\r\n"
    "Content-Length: 0\r\n"
    "X-Oracle-RC: use_media_proxy=1\r\n"
    "\r\n";

const std::string kAckIn =
    "ACK sip:bob@127.0.0.31:5071 SIP/2.0\r\n"
    "Via: SIP/2.0/UDP 127.0.0.31:5072;branch=z9hG4bK-answer-without-sdp-2\r\n"
    "Route: <sip:127.0.0.30:5070;lr;ftag=uac-answer-without-sdp>\r\n"
    "Max-Forwards: 70\r\n"
    "From: \"Alice\" <sip:alice@example.com>;tag=uac-answer-without-sdp\r\n"
    "To: <sip:bob@example.net;user=phone>;tag=uas-answer-without-sdp\r\n"
    "Call-ID: sipnat-answer-without-sdp-1@sipnat.test\r\n"
    "CSeq: 1 ACK\r\n"
    "Contact: <sip:alice@127.0.0.31:5072>\r\n"
    "User-Agent: sipnat-oracle UAC (SIPp)\r\n"
    "Content-Length: 0\r\n"
    "\r\n";

const std::string kAckOut =
    "ACK sip:bob@127.0.0.31:5071 SIP/2.0\r\n"
    "Via: SIP/2.0/UDP 127.0.0.30:5070;branch=z9hG4bK4c12.750e5771b83780afbe653983459367d3.0\r\n"
    "Via: SIP/2.0/UDP 127.0.0.31:5072;branch=z9hG4bK-answer-without-sdp-2\r\n"
    "Max-Forwards: 69\r\n"
    "From: \"Alice\" <sip:alice@example.com>;tag=uac-answer-without-sdp\r\n"
    "To: <sip:bob@example.net;user=phone>;tag=uas-answer-without-sdp\r\n"
    "Call-ID: sipnat-answer-without-sdp-1@sipnat.test\r\n"
    "CSeq: 1 ACK\r\n"
    "Contact: <sip:alice@127.0.0.31:5072>\r\n"
    "User-Agent: sipnat-oracle UAC (SIPp)\r\n"
    "Content-Length: 0\r\n"
    "\r\n";

const std::string kByeIn =
    "BYE sip:bob@127.0.0.31:5071 SIP/2.0\r\n"
    "Via: SIP/2.0/UDP 127.0.0.31:5072;branch=z9hG4bK-answer-without-sdp-3\r\n"
    "Route: <sip:127.0.0.30:5070;lr;ftag=uac-answer-without-sdp>\r\n"
    "Max-Forwards: 70\r\n"
    "From: \"Alice\" <sip:alice@example.com>;tag=uac-answer-without-sdp\r\n"
    "To: <sip:bob@example.net;user=phone>;tag=uas-answer-without-sdp\r\n"
    "Call-ID: sipnat-answer-without-sdp-1@sipnat.test\r\n"
    "CSeq: 2 BYE\r\n"
    "User-Agent: sipnat-oracle UAC (SIPp)\r\n"
    "Content-Length: 0\r\n"
    "\r\n";

const std::string kByeOut =
    "BYE sip:bob@127.0.0.31:5071 SIP/2.0\r\n"
    "Via: SIP/2.0/UDP 127.0.0.30:5070;branch=z9hG4bK1c12.e4ecc0725f6ef317e911ed31bb73b89d.0\r\n"
    "Via: SIP/2.0/UDP 127.0.0.31:5072;branch=z9hG4bK-answer-without-sdp-3\r\n"
    "Max-Forwards: 69\r\n"
    "From: \"Alice\" <sip:alice@example.com>;tag=uac-answer-without-sdp\r\n"
    "To: <sip:bob@example.net;user=phone>;tag=uas-answer-without-sdp\r\n"
    "Call-ID: sipnat-answer-without-sdp-1@sipnat.test\r\n"
    "CSeq: 2 BYE\r\n"
    "User-Agent: sipnat-oracle UAC (SIPp)\r\n"
    "Content-Length: 0\r\n"
    "X-Oracle-RC: end_media_session=1\r\n"
    "\r\n";

const std::string kByeOkIn =
    "SIP/2.0 200 OK\r\n"
    "Via: SIP/2.0/UDP 127.0.0.30:5070;branch=z9hG4bK1c12.e4ecc0725f6ef317e911ed31bb73b89d.0, SIP/2.0/UDP 127.0.0.31:5072;branch=z9hG4bK-answer-without-sdp-3\r\n"
    "From: \"Alice\" <sip:alice@example.com>;tag=uac-answer-without-sdp\r\n"
    "To: <sip:bob@example.net;user=phone>;tag=uas-answer-without-sdp\r\n"
    "Call-ID: sipnat-answer-without-sdp-1@sipnat.test\r\n"
    "CSeq: 2 BYE\r\n"
    "Contact: <sip:bob@127.0.0.31:5071>\r\n"
    "Server: sipnat-oracle UAS (SIPp)\r\n"
    "Content-Length: 0\r\n"
    "\r\n";

const std::string kByeOkOut =
    "SIP/2.0 200 OK\r\n"
    "Via: SIP/2.0/UDP 127.0.0.31:5072;branch=z9hG4bK-answer-without-sdp-3\r\n"
    "From: \"Alice\" <sip:alice@example.com>;tag=uac-answer-without-sdp\r\n"
    "To: <sip:bob@example.net;user=phone>;tag=uas-answer-without-sdp\r\n"
    "Call-ID: sipnat-answer-without-sdp-1@sipnat.test\r\n"
    "CSeq: 2 BYE\r\n"
    "Contact: <sip:bob@127.0.0.31:5071>\r\n"
    "Server: sipnat-oracle UAS (SIPp)\r\n"
    "Content-Length: 0\r\n"
    "\r\n";

struct Kamailio {
    LocalSocket sock;
    LocalNames names;
    Kamailio() {
        sock.ip = "127.0.0.30";
        sock.port = 5070;
        names.add_socket(sock);
    }
};

const Endpoint kUac{"127.0.0.31", 5072};
const Endpoint kUas{"127.0.0.31", 5071};

// Replaces the branch of the first Via line in `s` by `branch`.
std::string with_branch(std::string s, const std::string &branch) {
    size_t b = s.find(";branch=") + 8;
    size_t e = s.find("\r\n", b);
    s.replace(b, e - b, branch);
    return s;
}

}  // namespace

TEST_CASE("realistic: INVITE with SDP through the proxy matches Kamailio", "[realistic]") {
    Kamailio k;
    auto m = must_parse(kInviteIn);
    REQUIRE(validate_request(*m).ok());
    m->header_prepend("Record-Route: <sip:127.0.0.30:5070;lr;ftag=" + std::string(m->from_tag()) + ">");
    std::string out_body = kInviteOut.substr(kInviteOut.find("\r\n\r\n") + 4);
    m->body_replace(out_body);
    m->header_add("X-Oracle-RC: use_media_proxy=1");
    Outcome o = forward_request(*m, kUac, k.sock, k.names);
    REQUIRE(o.action == Action::Forward);
    CHECK(o.dst.host == "127.0.0.31");
    CHECK(o.dst.port == 5071);
    CHECK(o.data == with_branch(kInviteOut, stateless_branch(*m)));
}

TEST_CASE("realistic: 200 OK with comma-separated Vias matches Kamailio", "[realistic]") {
    Kamailio k;
    auto m = must_parse(kOkIn);
    m->header_add("X-Oracle-RC: use_media_proxy=1");
    Outcome o = forward_reply(*m, k.names);
    REQUIRE(o.action == Action::Forward);
    CHECK(o.dst.host == "127.0.0.31");
    CHECK(o.dst.port == 5072);
    CHECK(o.data == kOkOut);
}

TEST_CASE("realistic: ACK and BYE pop our Route and match Kamailio", "[realistic]") {
    Kamailio k;
    auto ack = must_parse(kAckIn);
    REQUIRE(validate_request(*ack).ok());
    Outcome a = forward_request(*ack, kUac, k.sock, k.names);
    REQUIRE(a.action == Action::Forward);
    CHECK(a.dst.port == 5071);
    CHECK(a.data == with_branch(kAckOut, stateless_branch(*ack)));

    auto bye = must_parse(kByeIn);
    REQUIRE(validate_request(*bye).ok());
    bye->header_add("X-Oracle-RC: end_media_session=1");
    Outcome b = forward_request(*bye, kUac, k.sock, k.names);
    REQUIRE(b.action == Action::Forward);
    CHECK(b.data == with_branch(kByeOut, stateless_branch(*bye)));
    // 2xx ACK and BYE are new transactions: branches differ from the INVITE's.
    CHECK(stateless_branch(*ack) != stateless_branch(*must_parse(kInviteIn)));
    CHECK(stateless_branch(*bye) != stateless_branch(*ack));
}

TEST_CASE("realistic: 200 OK to BYE matches Kamailio", "[realistic]") {
    Kamailio k;
    Outcome o = forward_reply(*must_parse(kByeOkIn), k.names);
    REQUIRE(o.action == Action::Forward);
    CHECK(o.data == kByeOkOut);
}

TEST_CASE("realistic: REGISTER from behind NAT, answered statelessly", "[realistic]") {
    const std::string reg = crlf({
        "REGISTER sip:example.org SIP/2.0",
        "Via: SIP/2.0/UDP 192.168.1.20:5060;branch=z9hG4bK.kxsd8rtsa;rport",
        "From: <sip:1001@example.org>;tag=Vm6s0pRLz",
        "To: sip:1001@example.org",
        "CSeq: 20 REGISTER",
        "Call-ID: 9PnqCRzUrd",
        "Max-Forwards: 70",
        "Supported: replaces, outbound, gruu",
        "Accept: application/sdp",
        "Accept: text/plain",
        "Contact: <sip:1001@192.168.1.20;transport=udp>;+sip.instance=\"<urn:uuid:a1b2>\"",
        "Expires: 3600",
        "User-Agent: Linphone/5.2.0 (belle-sip/5.2.0)",
        "Content-Length: 0",
    });
    auto m = must_parse(reg);
    REQUIRE(validate_request(*m).ok());
    const Endpoint nat{"198.51.100.7", 61001};
    std::string r = build_reply(*m, 200, "OK", nat, {});
    CHECK(r.find("Via: SIP/2.0/UDP 192.168.1.20:5060;branch=z9hG4bK.kxsd8rtsa;rport=61001;received=198.51.100.7\r\n") !=
          std::string::npos);
    CHECK(r.find("To: sip:1001@example.org;tag=" + stateless_to_tag(*m) + "\r\n") != std::string::npos);
    Destination d = reply_destination(*m, nat);
    CHECK(d.host == "198.51.100.7");
    CHECK(d.port == 61001);
    // Forwarded to a registrar instead: received/rport land in the bytes, nothing else changes.
    Kamailio k;
    Outcome o = forward_request_to(*m, "10.0.0.50", nat, k.sock, k.names);
    REQUIRE(o.action == Action::Forward);
    CHECK(o.dst.host == "10.0.0.50");
    CHECK(o.data.find("\r\nAccept: application/sdp\r\nAccept: text/plain\r\n") != std::string::npos);
    CHECK(o.data.find(";rport=61001;received=198.51.100.7\r\n") != std::string::npos);
}

TEST_CASE("realistic: OPTIONS keepalive with Max-Forwards 0 gets 483", "[realistic]") {
    const std::string opt = crlf({
        "OPTIONS sip:127.0.0.30:5070 SIP/2.0",
        "Via: SIP/2.0/UDP 10.1.2.3:5060;branch=z9hG4bK-ping-1",
        "From: <sip:ping@monitor.example>;tag=p1",
        "To: <sip:127.0.0.30:5070>",
        "Call-ID: ping-1@10.1.2.3",
        "CSeq: 1 OPTIONS",
        "Max-Forwards: 0",
        "Content-Length: 0",
    });
    auto m = must_parse(opt);
    Verdict v = validate_request(*m);
    REQUIRE(v.code == 483);
    std::string r = build_reply(*m, v.code, v.reason, Endpoint{"10.1.2.3", 5060});
    CHECK(r.rfind("SIP/2.0 483 Too Many Hops\r\nVia: SIP/2.0/UDP 10.1.2.3:5060;branch=z9hG4bK-ping-1\r\n", 0) == 0);
}

TEST_CASE("realistic: CANCEL follows its INVITE's branch and destination", "[realistic]") {
    Kamailio k;
    auto inv = must_parse(kInviteIn);
    std::string cancel = crlf({
        "CANCEL sip:bob@127.0.0.31:5071 SIP/2.0",
        "Via: SIP/2.0/UDP 127.0.0.31:5072;branch=z9hG4bK-answer-without-sdp-1",
        "Max-Forwards: 70",
        "From: \"Alice\" <sip:alice@example.com>;tag=uac-answer-without-sdp",
        "To: <sip:bob@example.net;user=phone>",
        "Call-ID: sipnat-answer-without-sdp-1@sipnat.test",
        "CSeq: 1 CANCEL",
        "Content-Length: 0",
    });
    auto c = must_parse(cancel);
    REQUIRE(validate_request(*c).ok());
    Outcome oi = forward_request(*inv, kUac, k.sock, k.names);
    Outcome oc = forward_request(*c, kUac, k.sock, k.names);
    REQUIRE(oc.action == Action::Forward);
    CHECK(oc.dst.host == oi.dst.host);
    CHECK(oc.dst.port == oi.dst.port);
    auto first_via = [](const std::string &s) {
        size_t a = s.find("\r\nVia: ") + 2;
        return s.substr(a, s.find("\r\n", a) - a);
    };
    CHECK(first_via(oc.data) == first_via(oi.data));
    (void)kUas;
}
