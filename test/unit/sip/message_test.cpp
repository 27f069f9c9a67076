// Message view: indexing, header get/add/remove, body, Content-Length framing, byte-exact build.
#include <catch2/catch.hpp>

#include <string>

#include "helpers.h"
#include "sip/message.h"

using namespace sipnat::sip;
using sipnat::sip::test::crlf;
using sipnat::sip::test::must_parse;

namespace {

// Compact names, folding, odd case, unknown headers and params, escapes, a quoted display name.
const std::string kOdd =
    "INVITE sip:b%6Fb@example.net;x-unk=%41%42;user=phone SIP/2.0\r\n"
    "v: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKodd1;x-param=\"a;b,c\"\r\n"
    "MAX-FORWARDS:   10\r\n"
    "f: \"Al \\\"x\\\" Ice\" <sip:alice@example.com;x=y>;tag=ft1;X-Odd\r\n"
    "t:    <sip:bob@example.net>\r\n"
    "i: odd-call@10.0.0.1\r\n"
    "cSeQ: 7 INVITE\r\n"
    "X-Folded: first,\r\n"
    "  second,\r\n"
    "\tthird\r\n"
    "x-unknown-thing;weird:  v a l  \r\n"
    "Contact: <sip:alice@10.0.0.1;ob>;+sip.instance=\"<urn:uuid:x>\"\r\n"
    "User-Agent: test/1.0\r\n"
    "l: 0\r\n"
    "\r\n";

}  // namespace

TEST_CASE("message: request start line and accessors", "[message]") {
    auto m = must_parse(kOdd);
    CHECK(m->is_request());
    CHECK(m->method() == "INVITE");
    CHECK(m->ruri() == "sip:b%6Fb@example.net;x-unk=%41%42;user=phone");
    CHECK(m->version() == "SIP/2.0");
    CHECK(m->status() == 0);
    CHECK(m->call_id() == "odd-call@10.0.0.1");
    CHECK(m->from_tag() == "ft1");
    CHECK(m->to_tag().empty());
    CHECK(m->from_uri() == "sip:alice@example.com;x=y");
    CHECK(m->to_uri() == "sip:bob@example.net");
    CHECK(m->cseq_num_text() == "7");
    CHECK(m->cseq_method() == "INVITE");
    CHECK(m->user_agent() == "test/1.0");
    CHECK(m->max_forwards() == 10);
    CHECK(m->content_length() == 0);
    CHECK(m->defect_code() == 0);
    CHECK(m->raw() == kOdd);
    CHECK(m->build() == kOdd);
}

TEST_CASE("message: header lookup by long and compact names, case-insensitive", "[message]") {
    auto m = must_parse(kOdd);
    std::string_view v;
    REQUIRE(m->header("Via", 0, &v));
    CHECK(v == "SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKodd1;x-param=\"a;b,c\"");
    REQUIRE(m->header("v", 0, &v));
    REQUIRE(m->header("call-id", 0, &v));
    CHECK(v == "odd-call@10.0.0.1");
    REQUIRE(m->header("Content-Length", 0, &v));
    CHECK(v == "0");
    REQUIRE(m->header("x-folded", 0, &v));
    CHECK(v == "first,\r\n  second,\r\n\tthird");  // folding kept, ends trimmed
    REQUIRE(m->header("X-UNKNOWN-THING;WEIRD", 0, &v));
    CHECK(v == "v a l");
    CHECK(m->header_count("Via") == 1);
    CHECK(m->header_count("X-Missing") == 0);
    CHECK_FALSE(m->header("Via", 1, &v));
    CHECK_FALSE(m->header("Via", -1, &v));
    const HeaderField *f = m->find(HeaderId::From);
    REQUIRE(f != nullptr);
    CHECK(m->name(*f) == "f");
    // The folded field's line covers all three physical lines and the final CRLF.
    const HeaderField *x = nullptr;
    for (const HeaderField &h : m->fields())
        if (m->name(h) == "X-Folded") x = &h;
    REQUIRE(x != nullptr);
    CHECK(m->raw().substr(x->line_off, x->line_len) == "X-Folded: first,\r\n  second,\r\n\tthird\r\n");
}

TEST_CASE("message: header_add appends after the last header, CRLF added once", "[message]") {
    auto m = must_parse(kOdd);
    m->header_add("X-A: 1");
    m->header_add("X-B: 2\r\n");
    std::string out = m->build();
    std::string want = kOdd;
    want.insert(want.size() - 2, "X-A: 1\r\nX-B: 2\r\n");
    CHECK(out == want);
    // Added headers are not part of the received view.
    CHECK(m->header_count("X-A") == 0);
}

TEST_CASE("message: header_prepend goes before the first header", "[message]") {
    auto m = must_parse(kOdd);
    m->header_prepend("Record-Route: <sip:192.0.2.1;lr>");
    std::string want = kOdd;
    want.insert(want.find("v: "), "Record-Route: <sip:192.0.2.1;lr>\r\n");
    CHECK(m->build() == want);
}

TEST_CASE("message: header_remove removes every occurrence incl. folded lines", "[message]") {
    std::string s = crlf({"OPTIONS sip:x@example.net SIP/2.0", "Via: SIP/2.0/UDP h;branch=z9hG4bK1",
                          "X-Dup: 1", "From: <sip:a@b>;tag=1", "x-dup: 2,", "  folded", "To: <sip:x@example.net>",
                          "Call-ID: c", "CSeq: 1 OPTIONS", "X-DUP: 3"});
    auto m = must_parse(s);
    CHECK(m->header_count("X-Dup") == 3);
    CHECK(m->header_remove("x-DUP") == 3);
    CHECK(m->header_count("X-Dup") == 0);
    CHECK(m->header_remove("X-Dup") == 0);
    CHECK(m->build() == crlf({"OPTIONS sip:x@example.net SIP/2.0", "Via: SIP/2.0/UDP h;branch=z9hG4bK1",
                              "From: <sip:a@b>;tag=1", "To: <sip:x@example.net>", "Call-ID: c",
                              "CSeq: 1 OPTIONS"}));
}

TEST_CASE("message: remove by compact or long name", "[message]") {
    auto m = must_parse(kOdd);
    CHECK(m->header_remove("Call-ID") == 1);
    CHECK(m->call_id().empty());
    std::string want = kOdd;
    want.erase(want.find("i: "), std::string("i: odd-call@10.0.0.1\r\n").size());
    CHECK(m->build() == want);
}

TEST_CASE("message: set_ruri is a patch and ruri() shows the current value", "[message]") {
    auto m = must_parse(kOdd);
    m->set_ruri("sip:first@x");
    m->set_ruri("sip:carol@192.0.2.9:5070");
    CHECK(m->ruri() == "sip:carol@192.0.2.9:5070");
    CHECK(m->original_ruri() == "sip:b%6Fb@example.net;x-unk=%41%42;user=phone");
    std::string want = kOdd;
    want.replace(7, m->original_ruri().size(), "sip:carol@192.0.2.9:5070");
    CHECK(m->build() == want);
}

TEST_CASE("message: body_replace fixes a padded Content-Length keeping its form", "[message]") {
    std::string s = crlf({"MESSAGE sip:x@y SIP/2.0", "Via: SIP/2.0/UDP h;branch=z9hG4bK1", "From: <sip:a@b>;tag=1",
                          "To: <sip:x@y>", "Call-ID: c", "CSeq: 1 MESSAGE", "Content-Type: text/plain",
                          "Content-Length:   135"},
                         std::string(135, 'a'));
    auto m = must_parse(s);
    CHECK(m->body().size() == 135);
    m->body_replace(std::string(127, 'b'));
    CHECK(m->body() == std::string(127, 'b'));
    CHECK(m->build() == crlf({"MESSAGE sip:x@y SIP/2.0", "Via: SIP/2.0/UDP h;branch=z9hG4bK1",
                              "From: <sip:a@b>;tag=1", "To: <sip:x@y>", "Call-ID: c", "CSeq: 1 MESSAGE",
                              "Content-Type: text/plain", "Content-Length:   127"},
                             std::string(127, 'b')));
}

TEST_CASE("message: body_replace with compact l: and twice", "[message]") {
    std::string s = crlf({"MESSAGE sip:x@y SIP/2.0", "v: SIP/2.0/UDP h;branch=z9hG4bK1", "f: <sip:a@b>;tag=1",
                          "t: <sip:x@y>", "i: c", "CSeq: 1 MESSAGE", "l:5"},
                         "hello");
    auto m = must_parse(s);
    m->body_replace("first");
    m->body_replace("hi");
    CHECK(m->build() == crlf({"MESSAGE sip:x@y SIP/2.0", "v: SIP/2.0/UDP h;branch=z9hG4bK1", "f: <sip:a@b>;tag=1",
                              "t: <sip:x@y>", "i: c", "CSeq: 1 MESSAGE", "l:2"},
                             "hi"));
}

TEST_CASE("message: body_replace adds Content-Length when none existed", "[message]") {
    std::string s = crlf({"MESSAGE sip:x@y SIP/2.0", "Via: SIP/2.0/UDP h;branch=z9hG4bK1", "From: <sip:a@b>;tag=1",
                          "To: <sip:x@y>", "Call-ID: c", "CSeq: 1 MESSAGE"},
                         "rest of datagram");
    auto m = must_parse(s);
    CHECK(m->content_length() == -1);
    CHECK(m->body() == "rest of datagram");  // UDP without Content-Length: the rest is the body
    m->header_add("X-Before-CL: 1");
    m->body_replace("new");
    CHECK(m->build() == crlf({"MESSAGE sip:x@y SIP/2.0", "Via: SIP/2.0/UDP h;branch=z9hG4bK1",
                              "From: <sip:a@b>;tag=1", "To: <sip:x@y>", "Call-ID: c", "CSeq: 1 MESSAGE",
                              "X-Before-CL: 1", "Content-Length: 3"},
                             "new"));
}

TEST_CASE("message: body_replace fills an empty Content-Length value in place", "[message]") {
    std::string s = crlf({"MESSAGE sip:x@y SIP/2.0", "Via: SIP/2.0/UDP h;branch=z9hG4bK1", "Content-Length: "});
    ParseOptions opt;
    opt.syntax_check = false;
    auto m = Message::parse(s.data(), s.size(), opt, nullptr);
    REQUIRE(m != nullptr);
    CHECK(m->defect_code() == 400);  // an empty Content-Length is bad framing
    m->body_replace("abc");
    CHECK(m->build() == crlf({"MESSAGE sip:x@y SIP/2.0", "Via: SIP/2.0/UDP h;branch=z9hG4bK1", "Content-Length: 3"}, "abc"));
}

TEST_CASE("message: bytes beyond Content-Length are discarded", "[message]") {
    std::string s = crlf({"MESSAGE sip:x@y SIP/2.0", "Via: SIP/2.0/UDP h;branch=z9hG4bK1", "From: <sip:a@b>;tag=1",
                          "To: <sip:x@y>", "Call-ID: c", "CSeq: 1 MESSAGE", "Content-Length: 5"},
                         "hellogarbage");
    auto m = must_parse(s);
    CHECK(m->defect_code() == 0);
    CHECK(m->body() == "hello");
    CHECK(m->raw().size() == s.size() - 7);
    CHECK(m->build() == s.substr(0, s.size() - 7));
}

TEST_CASE("message: a body shorter than Content-Length is a 400 defect", "[message]") {
    std::string s = crlf({"MESSAGE sip:x@y SIP/2.0", "Via: SIP/2.0/UDP h;branch=z9hG4bK1", "From: <sip:a@b>;tag=1",
                          "To: <sip:x@y>", "Call-ID: c", "CSeq: 1 MESSAGE", "Content-Length: 50"},
                         "short");
    auto m = must_parse(s);
    CHECK(m->defect_code() == 400);
    CHECK(m->defect() == "Body shorter than Content-Length");
}

TEST_CASE("message: bad or repeated Content-Length are defects", "[message]") {
    auto base = [](std::string_view cl) {
        return crlf({"MESSAGE sip:x@y SIP/2.0", "Via: SIP/2.0/UDP h;branch=z9hG4bK1", "From: <sip:a@b>;tag=1",
                     "To: <sip:x@y>", "Call-ID: c", "CSeq: 1 MESSAGE", cl},
                    "hello");
    };
    CHECK(must_parse(base("Content-Length: x5"))->defect_code() == 400);
    CHECK(must_parse(base("Content-Length: -5"))->defect_code() == 400);
    CHECK(must_parse(base("Content-Length: 5\r\nl: 5"))->defect() == "Duplicate Content-Length");
}

TEST_CASE("message: LF-only line ends are accepted", "[message]") {
    std::string s =
        "OPTIONS sip:x@y SIP/2.0\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\nFrom: <sip:a@b>;tag=1\nTo: <sip:x@y>\n"
        "Call-ID: c\nCSeq: 1 OPTIONS\nContent-Length: 0\n\n";
    auto m = must_parse(s);
    CHECK(m->defect_code() == 0);
    CHECK(m->header_count("Via") == 1);
    CHECK(m->call_id() == "c");
    m->header_add("X-New: 1");
    std::string want = s;
    want.insert(want.size() - 1, "X-New: 1\r\n");
    CHECK(m->build() == want);
}

TEST_CASE("message: a missing blank line or final line end is completed by build()", "[message]") {
    std::string s = "OPTIONS sip:x@y SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nFrom: <sip:a@b>;tag=1\r\n"
                    "To: <sip:x@y>\r\nCall-ID: c\r\nCSeq: 1 OPTIONS";
    auto m = must_parse(s);
    CHECK(m->defect_code() == 0);
    CHECK(m->cseq_method() == "OPTIONS");
    CHECK(m->build() == s + "\r\n\r\n");
    m->header_add("X-A: 1");
    CHECK(m->build() == s + "\r\nX-A: 1\r\n\r\n");
    auto m2 = must_parse(s + "\r\n");
    CHECK(m2->build() == s + "\r\n\r\n");
}

TEST_CASE("message: leading CRLFs are skipped", "[message]") {
    std::string s = crlf({"OPTIONS sip:x@y SIP/2.0", "Via: SIP/2.0/UDP h;branch=z9hG4bK1", "From: <sip:a@b>;tag=1",
                          "To: <sip:x@y>", "Call-ID: c", "CSeq: 1 OPTIONS"});
    auto m = must_parse("\r\n\r\n" + s);
    CHECK(m->raw() == s);
}

TEST_CASE("message: reply status line, method from CSeq", "[message]") {
    std::string s = crlf({"SIP/2.0 180 Ringing Now", "Via: SIP/2.0/UDP h;branch=z9hG4bK1", "From: <sip:a@b>;tag=1",
                          "To: <sip:x@y>;tag=2", "Call-ID: c", "CSeq: 3 INVITE", "Content-Length: 0"});
    auto m = must_parse(s);
    CHECK_FALSE(m->is_request());
    CHECK(m->status() == 180);
    CHECK(m->status_text() == "180");
    CHECK(m->reason() == "Ringing Now");
    CHECK(m->method() == "INVITE");
    CHECK(m->ruri().empty());
    CHECK(m->to_tag() == "2");
    // Lenient: no reason phrase.
    auto r = must_parse(crlf({"SIP/2.0 200", "Via: SIP/2.0/UDP h"}));
    CHECK(r->status() == 200);
    CHECK(r->reason().empty());
}

TEST_CASE("message: unindexable input gives nullptr and an error", "[message]") {
    ParseError err;
    auto bad = [&](std::string_view s) { return Message::parse(s.data(), s.size(), &err) == nullptr; };
    CHECK(bad(""));
    CHECK(bad("\r\n\r\n"));
    CHECK(bad("garbage"));
    CHECK(bad("INVITE sip:x SIP/2.0"));  // start line without line end
    CHECK(bad("SIP/2.0 99 Low\r\n\r\n"));
    CHECK(bad("SIP/2.0 700 High\r\n\r\n"));
    CHECK(bad("SIP/2.0 2000 OK\r\n\r\n"));
    CHECK(bad("GET / HTTP/1.1\r\n\r\n"));
    CHECK(bad("INVITE sip:x SIP/2.0\r\nNo colon here\r\n\r\n"));
    CHECK(err.code == 400);
    CHECK(bad("INVITE sip:x SIP/2.0\r\n folded first\r\n\r\n"));
    CHECK(bad("INVITE sip:x SIP/2.0\r\n: no name\r\n\r\n"));
    CHECK(Message::parse(nullptr, 0, nullptr) == nullptr);
    std::string big(kMaxMessageSize + 1, 'a');
    CHECK(bad(big));
}

TEST_CASE("message: header count is capped", "[message]") {
    std::string s = "OPTIONS sip:x@y SIP/2.0\r\n";
    for (size_t i = 0; i < kMaxHeaders; ++i) s += "X: " + std::to_string(i) + "\r\n";
    s += "\r\n";
    ParseError err;
    CHECK(Message::parse(s.data(), s.size(), &err) != nullptr);
    s.insert(s.size() - 2, "X: one too many\r\n");
    CHECK(Message::parse(s.data(), s.size(), &err) == nullptr);
    CHECK(err.code == 400);
}

TEST_CASE("message: NUL bytes in headers are a defect, in the body they are data", "[message]") {
    std::string h = crlf({"OPTIONS sip:x@y SIP/2.0", "Via: SIP/2.0/UDP h;branch=z9hG4bK1", "X-Nul: a"});
    h[h.find("a\r\n\r\n")] = '\0';
    CHECK(must_parse(h)->defect_code() == 400);
    std::string b = crlf({"MESSAGE sip:x@y SIP/2.0", "Via: SIP/2.0/UDP h;branch=z9hG4bK1", "From: <sip:a@b>;tag=1",
                          "To: <sip:x@y>", "Call-ID: c", "CSeq: 1 MESSAGE", "Content-Length: 3"},
                         std::string("a\0b", 3));
    auto m = must_parse(b);
    CHECK(m->defect_code() == 0);
    CHECK(m->body() == std::string("a\0b", 3));
    CHECK(m->build() == b);
}

TEST_CASE("message: very long header line", "[message]") {
    std::string v(60000, 'x');
    std::string s = crlf({"OPTIONS sip:x@y SIP/2.0", "Via: SIP/2.0/UDP h;branch=z9hG4bK1", "From: <sip:a@b>;tag=1",
                          "To: <sip:x@y>", "Call-ID: c", "CSeq: 1 OPTIONS"});
    s.insert(s.size() - 2, "X-Long: " + v + "\r\n");
    auto m = must_parse(s);
    std::string_view got;
    REQUIRE(m->header("X-Long", 0, &got));
    CHECK(got.size() == v.size());
    CHECK(m->build() == s);
}

TEST_CASE("message: osip is the syntax gate for requests; options can skip it", "[message]") {
    // osip rejects a From without closing '>'; the scanner indexes it.
    std::string s = crlf({"OPTIONS sip:x@y SIP/2.0", "Via: SIP/2.0/UDP h;branch=z9hG4bK1", "From: <sip:a@b;tag=1",
                          "To: <sip:x@y>", "Call-ID: c", "CSeq: 1 OPTIONS"});
    CHECK(must_parse(s)->defect_code() == 400);
    ParseOptions opt;
    opt.syntax_check = false;
    ParseError err;
    auto m = Message::parse(s.data(), s.size(), opt, &err);
    REQUIRE(m != nullptr);
    CHECK(m->defect_code() == 0);
    // osip never judges the body: a multipart body without a boundary is fine.
    std::string mp = crlf({"MESSAGE sip:x@y SIP/2.0", "Via: SIP/2.0/UDP h;branch=z9hG4bK1", "From: <sip:a@b>;tag=1",
                           "To: <sip:x@y>", "Call-ID: c", "CSeq: 1 MESSAGE", "Content-Type: multipart/mixed",
                           "Content-Length: 5"},
                          "hello");
    CHECK(must_parse(mp)->defect_code() == 0);
}

TEST_CASE("message: request line needs single SPs; HTAB is LWS in headers", "[message]") {
    std::string s = crlf({"OPTIONS  sip:x@y SIP/2.0", "Via: SIP/2.0/UDP h;branch=z9hG4bK1", "From: <sip:a@b>;tag=1",
                          "To: <sip:x@y>", "Call-ID: c", "CSeq: 1 OPTIONS"});
    auto m = must_parse(s);
    CHECK(m->ruri() == "sip:x@y");
    CHECK(m->defect_code() == 400);
    std::string t = crlf({"OPTIONS sip:x@y SIP/2.0", "Via:\tSIP/2.0/UDP\th;branch=z9hG4bK1", "From: <sip:a@b>;tag=1",
                          "To: <sip:x@y>", "Call-ID: c", "CSeq: 1\tOPTIONS"});
    auto n = must_parse(t);
    CHECK(n->defect_code() == 0);
    CHECK(n->cseq_method() == "OPTIONS");
    CHECK(n->build() == t);
}
