// Stateless forwarding of requests and replies: Via, branch, received/rport, Max-Forwards, routing.
#include <catch2/catch.hpp>

#include <string>

#include "helpers.h"
#include "sip/branch.h"
#include "sip/stateless.h"

using namespace sipnat::sip;
using sipnat::sip::test::crlf;
using sipnat::sip::test::must_parse;
using sipnat::sip::test::request;

namespace {

struct Proxy {
    LocalSocket sock;
    LocalNames names;
    Proxy() {
        sock.ip = "192.0.2.1";
        sock.port = 5060;
        names.add_socket(sock);
        names.add_alias("proxy.example.org");
    }
};

const Endpoint kSrc{"203.0.113.5", 40000};

std::string top_via_line(const Proxy &p, const Message &m) {
    return "Via: SIP/2.0/UDP " + p.sock.via_host() + ":" + std::to_string(p.sock.via_port()) +
           ";branch=" + stateless_branch(m) + "\r\n";
}

std::string branch_of(std::string_view s) { return stateless_branch(*must_parse(s)); }

}  // namespace

TEST_CASE("forward: byte-exact apart from our Via, received/rport and Max-Forwards", "[forward]") {
    const std::string in =
        "INVITE sip:b%6Fb@example.net;x-unk=%41%42 SIP/2.0\r\n"
        "MAX-FORWARDS:   70\r\n"
        "v: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKodd1;rport;x-p=\"a;b,c\"\r\n"
        "f: \"Al \\\"x\\\" Ice\" <sip:alice@example.com;x=y>;tag=ft1;X-Odd\r\n"
        "t:    <sip:bob@example.net>\r\n"
        "i: odd-call@10.0.0.1\r\n"
        "cSeQ: 7 INVITE\r\n"
        "X-Folded: first,\r\n"
        "  second\r\n"
        "x-unknown: v a l  \r\n"
        "c: application/sdp\r\n"
        "l: 10\r\n"
        "\r\n"
        "v=0\r\no=x\r\n";
    Proxy p;
    auto m = must_parse(in);
    Outcome o = forward_request(*m, kSrc, p.sock, p.names);
    REQUIRE(o.action == Action::Forward);
    CHECK(o.dst.host == "example.net");
    CHECK(o.dst.port == 5060);
    CHECK_FALSE(o.to_self);
    std::string want = in;
    want.replace(want.find("70\r\n"), 2, "69");
    want.replace(want.find(";rport;"), 7, ";rport=40000;");
    want.insert(want.find("\"\r\nf: ") + 1, ";received=203.0.113.5");
    want.insert(want.find("v: "), top_via_line(p, *m));
    CHECK(o.data == want);
    // Planning does not change the message.
    CHECK(m->build() == in);
}

TEST_CASE("forward: LF-only message keeps its bytes", "[forward]") {
    std::string in = request("OPTIONS", "sip:bob@example.net", "SIP/2.0/UDP 203.0.113.5:5060;branch=z9hG4bK1");
    for (size_t i; (i = in.find("\r\n")) != std::string::npos;) in.erase(i, 1);
    Proxy p;
    auto m = must_parse(in);
    Outcome o = forward_request(*m, kSrc, p.sock, p.names);
    REQUIRE(o.action == Action::Forward);
    std::string want = in;
    want.replace(want.find("Max-Forwards: 70"), 16, "Max-Forwards: 69");
    want.insert(want.find("Via: "), top_via_line(p, *m));
    CHECK(o.data == want);
}

TEST_CASE("forward: branch is stable and distinct", "[forward][branch]") {
    const char *via = "SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKclient1";
    std::string inv = request("INVITE", "sip:bob@example.net", via, 5);
    std::string b1 = branch_of(inv);
    CHECK(b1.rfind("z9hG4bK", 0) == 0);
    CHECK(b1.size() == 7 + 32);
    SECTION("retransmission: same branch") { CHECK(branch_of(inv) == b1); }
    SECTION("different CSeq: different branch") { CHECK(branch_of(request("INVITE", "sip:bob@example.net", via, 6)) != b1); }
    SECTION("different client branch: different branch") {
        CHECK(branch_of(request("INVITE", "sip:bob@example.net", "SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKclient2", 5)) != b1);
    }
    SECTION("different R-URI: different branch") {
        CHECK(branch_of(request("INVITE", "sip:carol@example.net", via, 5)) != b1);
    }
    SECTION("CANCEL gets the INVITE's branch") { CHECK(branch_of(request("CANCEL", "sip:bob@example.net", via, 5)) == b1); }
    SECTION("ACK for a non-2xx (To tag added) gets the INVITE's branch") {
        std::string ack = request("ACK", "sip:bob@example.net", via, 5);
        ack.replace(ack.find("To: <sip:bob@example.net>"), 25, "To: <sip:bob@example.net>;tag=uas9");
        CHECK(branch_of(ack) == b1);
    }
    SECTION("script edits do not change it") {
        auto m = must_parse(inv);
        m->set_ruri("sip:elsewhere@192.0.2.77");
        m->header_add("X-A: b");
        CHECK(stateless_branch(*m) == b1);
    }
}

TEST_CASE("forward: RFC 2543 branch (no magic cookie) hashes the whole top Via", "[forward][branch]") {
    std::string a = request("INVITE", "sip:bob@example.net", "SIP/2.0/UDP 10.0.0.1:5060;branch=old1", 5);
    std::string b = request("INVITE", "sip:bob@example.net", "SIP/2.0/UDP 10.0.0.1:5060;branch=old1;x=1", 5);
    std::string c = request("INVITE", "sip:bob@example.net", "SIP/2.0/UDP 10.0.0.1:5060", 5);
    CHECK(branch_of(a) != branch_of(b));
    CHECK(branch_of(a) != branch_of(c));
    CHECK(branch_of(c) == branch_of(request("CANCEL", "sip:bob@example.net", "SIP/2.0/UDP 10.0.0.1:5060", 5)));
}

TEST_CASE("forward: received and rport rules (RFC 3581)", "[forward][nat]") {
    Proxy p;
    auto fwd_top = [&](std::string_view via, Endpoint src) {
        auto m = must_parse(request("OPTIONS", "sip:bob@example.net", via));
        Outcome o = forward_request(*m, src, p.sock, p.names);
        REQUIRE(o.action == Action::Forward);
        // The original top Via is now the second Via line.
        size_t a = o.data.find("\r\nVia: ", o.data.find("\r\nVia: ") + 2) + 7;
        return o.data.substr(a, o.data.find("\r\n", a) - a);
    };
    SECTION("sent-by equals source, no rport: untouched") {
        CHECK(fwd_top("SIP/2.0/UDP 203.0.113.5:40000;branch=z9hG4bK1", kSrc) ==
              "SIP/2.0/UDP 203.0.113.5:40000;branch=z9hG4bK1");
    }
    SECTION("sent-by differs: received added") {
        CHECK(fwd_top("SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK1", kSrc) ==
              "SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK1;received=203.0.113.5");
    }
    SECTION("host name sent-by: received added") {
        CHECK(fwd_top("SIP/2.0/UDP ua.example.com;branch=z9hG4bK1", kSrc) ==
              "SIP/2.0/UDP ua.example.com;branch=z9hG4bK1;received=203.0.113.5");
    }
    SECTION("empty rport: filled, and received added even when the host matches") {
        CHECK(fwd_top("SIP/2.0/UDP 203.0.113.5:5060;rport;branch=z9hG4bK1", kSrc) ==
              "SIP/2.0/UDP 203.0.113.5:5060;rport=40000;branch=z9hG4bK1;received=203.0.113.5");
    }
    SECTION("rport last param") {
        CHECK(fwd_top("SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK1;rport", kSrc) ==
              "SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK1;rport=40000;received=203.0.113.5");
    }
    SECTION("rport with a value is kept") {
        CHECK(fwd_top("SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK1;rport=1234", kSrc) ==
              "SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK1;rport=1234;received=203.0.113.5");
    }
    SECTION("existing received value is replaced") {
        CHECK(fwd_top("SIP/2.0/UDP 10.0.0.1;received=1.1.1.1;branch=z9hG4bK1", kSrc) ==
              "SIP/2.0/UDP 10.0.0.1;received=203.0.113.5;branch=z9hG4bK1");
    }
    SECTION("IPv6 source: same address in another form is not 'different'") {
        CHECK(fwd_top("SIP/2.0/UDP [2001:db8:0::7]:5060;branch=z9hG4bK1", Endpoint{"2001:db8::7", 5060}) ==
              "SIP/2.0/UDP [2001:db8:0::7]:5060;branch=z9hG4bK1");
        CHECK(fwd_top("SIP/2.0/UDP [2001:db8::8];rport;branch=z9hG4bK1", Endpoint{"2001:db8::7", 6000}) ==
              "SIP/2.0/UDP [2001:db8::8];rport=6000;branch=z9hG4bK1;received=2001:db8::7");
    }
}

TEST_CASE("forward: Max-Forwards decremented, added, or 483", "[forward]") {
    Proxy p;
    const char *via = "SIP/2.0/UDP 203.0.113.5:40000;branch=z9hG4bK1";
    SECTION("absent: added with 70") {
        auto m = must_parse(request("OPTIONS", "sip:bob@example.net", via));
        m->header_remove("Max-Forwards");
        Outcome o = forward_request(*m, kSrc, p.sock, p.names);
        REQUIRE(o.action == Action::Forward);
        CHECK(o.data.find("Max-Forwards: 70\r\n\r\n") != std::string::npos);
        CHECK(o.data.find("Max-Forwards: 69") == std::string::npos);
    }
    SECTION("1 becomes 0") {
        std::string s = request("OPTIONS", "sip:bob@example.net", via);
        s.replace(s.find("Max-Forwards: 70"), 16, "Max-Forwards: 01");
        Outcome o = forward_request(*must_parse(s), kSrc, p.sock, p.names);
        REQUIRE(o.action == Action::Forward);
        CHECK(o.data.find("Max-Forwards: 0\r\n") != std::string::npos);
    }
    SECTION("0: 483 reply to the source") {
        std::string s = request("INVITE", "sip:bob@example.net", "SIP/2.0/UDP 10.0.0.1;rport;branch=z9hG4bK1");
        s.replace(s.find("Max-Forwards: 70"), 16, "Max-Forwards: 0");
        Outcome o = forward_request(*must_parse(s), kSrc, p.sock, p.names);
        REQUIRE(o.action == Action::Reply);
        CHECK(o.code == 483);
        CHECK(o.data.rfind("SIP/2.0 483 Too Many Hops\r\n", 0) == 0);
        CHECK(o.dst.host == "203.0.113.5");
        CHECK(o.dst.port == 40000);
    }
}

TEST_CASE("forward: loose routing pops our Route and goes to the next", "[forward][route]") {
    Proxy p;
    const char *via = "SIP/2.0/UDP 203.0.113.5:40000;branch=z9hG4bK1";
    SECTION("our Route in its own line, next Route loose") {
        std::string s = request("BYE", "sip:bob@10.9.9.9:5080", via, 2,
                                "Route: <sip:192.0.2.1;lr;ftag=x>\r\nRoute: <sip:next.example.com:5070;lr>\r\n");
        Outcome o = forward_request(*must_parse(s), kSrc, p.sock, p.names);
        REQUIRE(o.action == Action::Forward);
        CHECK(o.dst.host == "next.example.com");
        CHECK(o.dst.port == 5070);
        CHECK(o.data.find("Route: <sip:192.0.2.1") == std::string::npos);
        CHECK(o.data.find("\r\nRoute: <sip:next.example.com:5070;lr>\r\n") != std::string::npos);
        CHECK(o.data.rfind("BYE sip:bob@10.9.9.9:5080 SIP/2.0\r\n", 0) == 0);
    }
    SECTION("comma-separated: only the first value goes") {
        std::string s = request("BYE", "sip:bob@10.9.9.9", via, 2,
                                "Route: <sip:proxy.example.org;lr>, <sip:10.1.1.1;lr>,<sip:10.2.2.2;lr>\r\n");
        Outcome o = forward_request(*must_parse(s), kSrc, p.sock, p.names);
        REQUIRE(o.action == Action::Forward);
        CHECK(o.dst.host == "10.1.1.1");
        CHECK(o.data.find("\r\nRoute: <sip:10.1.1.1;lr>,<sip:10.2.2.2;lr>\r\n") != std::string::npos);
    }
    SECTION("port must match: default 5060 matches an absent port, others do not") {
        std::string s = request("BYE", "sip:bob@10.9.9.9", via, 2, "Route: <sip:192.0.2.1:5070;lr>\r\n");
        Outcome o = forward_request(*must_parse(s), kSrc, p.sock, p.names);
        REQUIRE(o.action == Action::Forward);
        CHECK(o.dst.host == "192.0.2.1");
        CHECK(o.dst.port == 5070);
        CHECK(o.data.find("Route: <sip:192.0.2.1:5070;lr>") != std::string::npos);
    }
    SECTION("only our Route: the R-URI is the destination") {
        std::string s = request("BYE", "sip:bob@10.9.9.9:5090", via, 2, "Route: <sip:192.0.2.1:5060;lr>\r\n");
        Outcome o = forward_request(*must_parse(s), kSrc, p.sock, p.names);
        REQUIRE(o.action == Action::Forward);
        CHECK(o.dst.host == "10.9.9.9");
        CHECK(o.dst.port == 5090);
        CHECK(o.data.find("Route:") == std::string::npos);
    }
    SECTION("maddr and sips defaults") {
        std::string s = request("BYE", "sips:bob@10.9.9.9", via, 2, "Route: <sips:h.example.com;maddr=10.3.3.3;lr>\r\n");
        Outcome o = forward_request(*must_parse(s), kSrc, p.sock, p.names);
        REQUIRE(o.action == Action::Forward);
        CHECK(o.dst.host == "10.3.3.3");
        CHECK(o.dst.port == 5061);
        CHECK(o.dst.secure);
    }
    SECTION("route processing can be turned off") {
        std::string s = request("BYE", "sip:bob@10.9.9.9", via, 2, "Route: <sip:192.0.2.1;lr>\r\n");
        ForwardOptions opt;
        opt.route = false;
        Outcome o = forward_request(*must_parse(s), kSrc, p.sock, p.names, opt);
        REQUIRE(o.action == Action::Forward);
        CHECK(o.dst.host == "10.9.9.9");
        CHECK(o.data.find("Route: <sip:192.0.2.1;lr>") != std::string::npos);
    }
}

TEST_CASE("forward: R-URI naming us (strict router before us) takes the last Route", "[forward][route]") {
    Proxy p;
    std::string s = request("BYE", "sip:192.0.2.1;lr", "SIP/2.0/UDP 203.0.113.5:40000;branch=z9hG4bK1", 2,
                            "Route: <sip:10.1.1.1;lr>, <sip:bob@10.9.9.9:5062>\r\n");
    Outcome o = forward_request(*must_parse(s), kSrc, p.sock, p.names);
    REQUIRE(o.action == Action::Forward);
    CHECK(o.data.rfind("BYE sip:bob@10.9.9.9:5062 SIP/2.0\r\n", 0) == 0);
    CHECK(o.data.find("\r\nRoute: <sip:10.1.1.1;lr>\r\n") != std::string::npos);
    CHECK(o.dst.host == "10.1.1.1");
}

TEST_CASE("forward: next hop is a strict router (no ;lr)", "[forward][route]") {
    Proxy p;
    std::string s = request("BYE", "sip:bob@10.9.9.9", "SIP/2.0/UDP 203.0.113.5:40000;branch=z9hG4bK1", 2,
                            "Route: <sip:192.0.2.1;lr>, <sip:strict.example.com>, <sip:10.4.4.4;lr>\r\n");
    Outcome o = forward_request(*must_parse(s), kSrc, p.sock, p.names);
    REQUIRE(o.action == Action::Forward);
    CHECK(o.dst.host == "strict.example.com");
    CHECK(o.data.rfind("BYE sip:strict.example.com SIP/2.0\r\n", 0) == 0);
    CHECK(o.data.find("\r\nRoute: <sip:10.4.4.4;lr>\r\nRoute: <sip:bob@10.9.9.9>\r\n") != std::string::npos);
}

TEST_CASE("forward: script's set_ruri is the target; explicit destination variant", "[forward]") {
    Proxy p;
    auto m = must_parse(request("INVITE", "sip:bob@example.net", "SIP/2.0/UDP 203.0.113.5:40000;branch=z9hG4bK1"));
    m->set_ruri("sip:bob@[2001:db8::9]:5070");
    Outcome o = forward_request(*m, kSrc, p.sock, p.names);
    REQUIRE(o.action == Action::Forward);
    CHECK(o.dst.host == "2001:db8::9");
    CHECK(o.dst.port == 5070);
    CHECK(o.data.rfind("INVITE sip:bob@[2001:db8::9]:5070 SIP/2.0\r\n", 0) == 0);

    Outcome t = forward_request_to(*m, "10.7.7.7:5099", kSrc, p.sock, p.names);
    REQUIRE(t.action == Action::Forward);
    CHECK(t.dst.host == "10.7.7.7");
    CHECK(t.dst.port == 5099);
    CHECK(t.data == o.data);  // same edits
    CHECK(forward_request_to(*m, "[2001:db8::1]", kSrc, p.sock, p.names).dst.port == 5060);
    CHECK(forward_request_to(*m, "sip:h.example.com:5071", kSrc, p.sock, p.names).dst.host == "h.example.com");
    CHECK(forward_request_to(*m, "bad:port:x:", kSrc, p.sock, p.names).action == Action::Drop);
}

TEST_CASE("forward: to ourselves is flagged; non-sip target dropped", "[forward]") {
    Proxy p;
    const char *via = "SIP/2.0/UDP 203.0.113.5:40000;branch=z9hG4bK1";
    Outcome o = forward_request(*must_parse(request("OPTIONS", "sip:proxy.example.org", via)), kSrc, p.sock, p.names);
    REQUIRE(o.action == Action::Forward);
    CHECK(o.to_self);
    auto m = must_parse(request("OPTIONS", "sip:bob@example.net", via));
    m->set_ruri("tel:+123");
    CHECK(forward_request(*m, kSrc, p.sock, p.names).action == Action::Drop);
}

TEST_CASE("forward: IPv6 and advertised address in our Via", "[forward]") {
    Proxy p;
    p.sock.ip = "2001:db8::1";
    p.sock.port = 5062;
    auto m = must_parse(request("OPTIONS", "sip:bob@example.net", "SIP/2.0/UDP 203.0.113.5:40000;branch=z9hG4bK1"));
    Outcome o = forward_request(*m, kSrc, p.sock, p.names);
    CHECK(o.data.find("\r\nVia: SIP/2.0/UDP [2001:db8::1]:5062;branch=z9hG4bK") != std::string::npos);
    p.sock.advertised_ip = "198.51.100.1";
    p.sock.advertised_port = 5080;
    o = forward_request(*m, kSrc, p.sock, p.names);
    CHECK(o.data.find("\r\nVia: SIP/2.0/UDP 198.51.100.1:5080;branch=z9hG4bK") != std::string::npos);
}

TEST_CASE("forward: our Via lands after a prepended Record-Route", "[forward]") {
    Proxy p;
    std::string s = request("INVITE", "sip:bob@example.net", "SIP/2.0/UDP 203.0.113.5:40000;branch=z9hG4bK1");
    auto m = must_parse(s);
    m->header_prepend("Record-Route: <sip:192.0.2.1;lr>");
    Outcome o = forward_request(*m, kSrc, p.sock, p.names);
    CHECK(o.data.find("SIP/2.0\r\nRecord-Route: <sip:192.0.2.1;lr>\r\nVia: SIP/2.0/UDP 192.0.2.1:5060;branch=") !=
          std::string::npos);
}

TEST_CASE("forward reply: pop our Via and route by the next one", "[forward][reply]") {
    Proxy p;
    SECTION("separate Via lines, received + rport") {
        std::string s = crlf({"SIP/2.0 200 OK", "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKours",
                              "Via: SIP/2.0/UDP 10.0.0.1:5060;rport=40001;received=203.0.113.5;branch=z9hG4bK1",
                              "From: <sip:a@b>;tag=1", "To: <sip:x@y>;tag=2", "Call-ID: c", "CSeq: 1 INVITE",
                              "Content-Length: 0"});
        Outcome o = forward_reply(*must_parse(s), p.names);
        REQUIRE(o.action == Action::Forward);
        CHECK(o.dst.host == "203.0.113.5");
        CHECK(o.dst.port == 40001);
        std::string want = s;
        want.erase(want.find("Via: SIP/2.0/UDP 192.0.2.1"), std::string("Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKours\r\n").size());
        CHECK(o.data == want);
    }
    SECTION("comma-separated Vias: only the first value goes") {
        std::string s = crlf({"SIP/2.0 180 Ringing", "v: SIP/2.0/UDP proxy.example.org;branch=z9hG4bKours ,  SIP/2.0/UDP ua.example.com:5070;branch=z9hG4bK1",
                              "f: <sip:a@b>;tag=1", "t: <sip:x@y>;tag=2", "i: c", "CSeq: 1 INVITE"});
        Outcome o = forward_reply(*must_parse(s), p.names);
        REQUIRE(o.action == Action::Forward);
        CHECK(o.dst.host == "ua.example.com");
        CHECK(o.dst.port == 5070);
        CHECK(o.data.find("\r\nv: SIP/2.0/UDP ua.example.com:5070;branch=z9hG4bK1\r\n") != std::string::npos);
    }
    SECTION("non-numeric rport falls back to the sent-by port; default 5060") {
        std::string s = crlf({"SIP/2.0 200 OK", "Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKours",
                              "Via: SIP/2.0/UDP [2001:db8::5];rport;branch=z9hG4bK1", "CSeq: 1 OPTIONS"});
        Outcome o = forward_reply(*must_parse(s), p.names);
        REQUIRE(o.action == Action::Forward);
        CHECK(o.dst.host == "2001:db8::5");
        CHECK(o.dst.port == 5060);
    }
    SECTION("top Via not ours: drop") {
        std::string s = crlf({"SIP/2.0 200 OK", "Via: SIP/2.0/UDP 192.0.2.99;branch=z9hG4bKx",
                              "Via: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK1"});
        CHECK(forward_reply(*must_parse(s), p.names).action == Action::Drop);
        std::string t = crlf({"SIP/2.0 200 OK", "Via: SIP/2.0/UDP 192.0.2.1:5070;branch=z9hG4bKx",
                              "Via: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK1"});
        CHECK(forward_reply(*must_parse(t), p.names).action == Action::Drop);
    }
    SECTION("no next Via: drop") {
        std::string s = crlf({"SIP/2.0 200 OK", "Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKours"});
        Outcome o = forward_reply(*must_parse(s), p.names);
        CHECK(o.action == Action::Drop);
        CHECK_FALSE(o.reason.empty());
    }
    SECTION("requests are not replies") {
        std::string s = request("OPTIONS", "sip:x@y", "SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1");
        CHECK(forward_reply(*must_parse(s), p.names).action == Action::Drop);
    }
}

TEST_CASE("local names: listeners, advertised addresses, aliases", "[forward]") {
    LocalSocket s;
    s.ip = "192.0.2.1";
    s.port = 5070;
    s.advertised_ip = "198.51.100.1";
    LocalNames n;
    n.add_socket(s);
    n.add_alias("Sip.Example.ORG", 0);
    n.add_listener("[2001:db8::1]", 5060);
    CHECK(n.is_us("192.0.2.1", 5070));
    CHECK_FALSE(n.is_us("192.0.2.1", 0));
    CHECK(n.is_us("198.51.100.1", 5070));
    CHECK(n.is_us("sip.example.org", 1234));
    CHECK(n.is_us("[2001:db8:0::1]", 0));
    CHECK_FALSE(n.is_us("[2001:db8::1]", 0, true));  // sips default 5061
    CHECK_FALSE(n.is_us("other.example.org", 5060));
}
