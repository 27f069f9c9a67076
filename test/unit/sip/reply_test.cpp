// Stateless replies (sl_send_reply) and pseudo-variables.
#include <catch2/catch.hpp>

#include <array>
#include <string>

#include "helpers.h"
#include "sip/branch.h"
#include "sip/pvar.h"
#include "sip/reply.h"
#include "sip/stateless.h"

using namespace sipnat::sip;
using sipnat::sip::test::crlf;
using sipnat::sip::test::must_parse;

namespace {

const std::string kInvite = crlf({
    "INVITE sip:bob@example.net SIP/2.0",
    "Via: SIP/2.0/UDP 10.0.0.1:5062;rport;branch=z9hG4bKa1",
    "v: SIP/2.0/UDP 10.0.0.2;branch=z9hG4bKa0, SIP/2.0/UDP 10.0.0.3;branch=z9hG4bKz",
    "Max-Forwards: 70",
    "f: Alice <sip:alice@example.com>;tag=af",
    "To: \"Bob\" <sip:bob@example.net>",
    "Call-ID: r1@10.0.0.1",
    "CSeq: 10 INVITE",
    "Contact: <sip:alice@10.0.0.1:5062>",
    "User-Agent: ua/2",
    "Content-Length: 0",
});

const Endpoint kSrc{"203.0.113.5", 40000};

}  // namespace

TEST_CASE("sl reply: headers copied, received/rport on the top Via, To-tag added", "[reply]") {
    auto m = must_parse(kInvite);
    std::array<std::string_view, 1> extra = {"Unsupported: foo"};
    std::string r = build_reply(*m, 420, "Bad Extension", kSrc, extra);
    std::string tag = stateless_to_tag(*m);
    CHECK(tag.size() == 16);
    CHECK(r == crlf({
                   "SIP/2.0 420 Bad Extension",
                   "Via: SIP/2.0/UDP 10.0.0.1:5062;rport=40000;branch=z9hG4bKa1;received=203.0.113.5",
                   "v: SIP/2.0/UDP 10.0.0.2;branch=z9hG4bKa0, SIP/2.0/UDP 10.0.0.3;branch=z9hG4bKz",
                   "f: Alice <sip:alice@example.com>;tag=af",
                   "To: \"Bob\" <sip:bob@example.net>;tag=" + tag,
                   "Call-ID: r1@10.0.0.1",
                   "CSeq: 10 INVITE",
                   "Unsupported: foo",
                   "Content-Length: 0",
               }));
    // The reply parses back and has what a UAC needs.
    auto back = must_parse(r);
    CHECK(back->status() == 420);
    CHECK(back->to_tag() == tag);
    CHECK(back->method() == "INVITE");
}

TEST_CASE("sl reply: tag stable for retransmissions, none for 100, existing tag kept", "[reply]") {
    auto m = must_parse(kInvite);
    CHECK(build_reply(*m, 486, "Busy Here", kSrc) == build_reply(*must_parse(kInvite), 486, "Busy Here", kSrc));
    std::string trying = build_reply(*m, 100, "Trying", kSrc);
    CHECK(trying.find("To: \"Bob\" <sip:bob@example.net>\r\n") != std::string::npos);
    std::string tagged = kInvite;
    tagged.replace(tagged.find("<sip:bob@example.net>\r\n"), 21, "<sip:bob@example.net>;tag=dlg");
    std::string r = build_reply(*must_parse(tagged), 481, "Call/Transaction Does Not Exist", kSrc);
    CHECK(r.find("To: \"Bob\" <sip:bob@example.net>;tag=dlg\r\n") != std::string::npos);
    // An out-of-range code is not written as given; a reason cannot break the line.
    CHECK(build_reply(*m, 42, "x\r\ny", kSrc).rfind("SIP/2.0 500 x  y\r\n", 0) == 0);
}

TEST_CASE("sl reply: destination per RFC 3581 / RFC 3261 18.2.2", "[reply]") {
    auto m = must_parse(kInvite);  // top Via has rport
    Destination d = reply_destination(*m, kSrc);
    CHECK(d.host == "203.0.113.5");
    CHECK(d.port == 40000);
    std::string no_rport = kInvite;
    no_rport.replace(no_rport.find(";rport"), 6, "");
    auto n = must_parse(no_rport);
    CHECK(reply_destination(*n, kSrc).port == 5062);  // sent-by port
    ReplyOptions force;
    force.force_rport = true;
    CHECK(reply_destination(*n, kSrc, force).port == 40000);
    std::string no_port = no_rport;
    no_port.replace(no_port.find("10.0.0.1:5062"), 13, "10.0.0.1");
    CHECK(reply_destination(*must_parse(no_port), kSrc).port == 5060);
    CHECK(reply_destination(*n, Endpoint{"[2001:db8::2]", 7}).host == "2001:db8::2");
}

TEST_CASE("sl reply: the ACK of our own negative reply is recognised", "[reply]") {
    auto inv = must_parse(kInvite);
    std::string tag = stateless_to_tag(*inv);
    std::string ack = kInvite;
    ack.replace(0, 6, "ACK");
    ack.replace(ack.find("CSeq: 10 INVITE"), 15, "CSeq: 10 ACK");
    std::string ours = ack;
    ours.replace(ours.find("<sip:bob@example.net>\r\n"), 21, "<sip:bob@example.net>;tag=" + tag);
    CHECK(acks_own_reply(*must_parse(ours)));
    // ... and forwarding absorbs it.
    LocalSocket sock;
    sock.ip = "192.0.2.1";
    LocalNames names;
    names.add_socket(sock);
    Outcome o = forward_request(*must_parse(ours), kSrc, sock, names);
    CHECK(o.action == Action::Drop);
    CHECK(o.reason == "ACK for our own stateless reply");
    std::string theirs = ack;
    theirs.replace(theirs.find("<sip:bob@example.net>\r\n"), 21, "<sip:bob@example.net>;tag=uas");
    CHECK_FALSE(acks_own_reply(*must_parse(theirs)));
    CHECK(forward_request(*must_parse(theirs), kSrc, sock, names).action == Action::Forward);
    CHECK_FALSE(acks_own_reply(*inv));
}

TEST_CASE("pvar: message pseudo-variables", "[pvar]") {
    auto m = must_parse(kInvite);
    auto pv = [&](std::string_view n) {
        std::string_view v;
        return pvar_get(*m, n, &v) ? std::string(v) : std::string("<null>");
    };
    CHECK(pv("$ru") == "sip:bob@example.net");
    CHECK(pv("$rU") == "bob");
    CHECK(pv("$rd") == "example.net");
    CHECK(pv("$rp") == "5060");
    CHECK(pv("$rm") == "INVITE");
    CHECK(pv("$fu") == "sip:alice@example.com");
    CHECK(pv("$fU") == "alice");
    CHECK(pv("$fd") == "example.com");
    CHECK(pv("$tu") == "sip:bob@example.net");
    CHECK(pv("$tU") == "bob");
    CHECK(pv("$ft") == "af");
    CHECK(pv("$tt") == "<null>");
    CHECK(pv("$ci") == "r1@10.0.0.1");
    CHECK(pv("$cs") == "10");
    CHECK(pv("$ua") == "ua/2");
    CHECK(pv("$rs") == "<null>");
    CHECK(pv("$rr") == "<null>");
    CHECK(pv("$xx") == "<null>");
    CHECK(pv("$r") == "<null>");
    m->set_ruri("sips:carol@[2001:db8::3]:5099;transport=tls");
    CHECK(pv("$rU") == "carol");
    CHECK(pv("$rd") == "[2001:db8::3]");
    CHECK(pv("$rp") == "5099");
    m->set_ruri("sips:dave@h");
    CHECK(pv("$rp") == "5061");

    auto r = must_parse(crlf({"SIP/2.0 183 Session Progress", "Via: SIP/2.0/UDP h", "To: <sip:b@c>;tag=t9",
                              "CSeq: 1 INVITE"}));
    std::string_view v;
    REQUIRE(pvar_get(*r, "$rs", &v));
    CHECK(v == "183");
    REQUIRE(pvar_get(*r, "$rr", &v));
    CHECK(v == "Session Progress");
    REQUIRE(pvar_get(*r, "$tt", &v));
    CHECK(v == "t9");
    REQUIRE(pvar_get(*r, "$rm", &v));
    CHECK(v == "INVITE");
    CHECK_FALSE(pvar_get(*r, "$ru", &v));
}
