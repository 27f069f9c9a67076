// RFC 3261 §16.3 checks.
#include <catch2/catch.hpp>

#include <array>

#include "helpers.h"
#include "sip/validate.h"

using namespace sipnat::sip;
using sipnat::sip::test::crlf;
using sipnat::sip::test::must_parse;
using sipnat::sip::test::request;

namespace {

Verdict check(std::string_view s, const ValidateOptions &opt = {}) { return validate_request(*must_parse(s), opt); }

const char *kVia = "SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK1";

}  // namespace

TEST_CASE("validate: a good request passes", "[validate]") {
    CHECK(check(request("INVITE", "sip:bob@example.net", kVia)).ok());
    CHECK(check(request("OPTIONS", "sips:bob@example.net", kVia)).ok());
}

TEST_CASE("validate: unparsable request -> 400", "[validate]") {
    std::string s = request("INVITE", "sip:bob@example.net", kVia);
    s.replace(s.find("To: <sip:bob@example.net>"), 25, "To: <sip:bob@example.net");
    Verdict v = check(s);
    CHECK(v.code == 400);
}

TEST_CASE("validate: SIP version other than 2.0 -> 505", "[validate]") {
    std::string s = request("INVITE", "sip:bob@example.net", kVia);
    s.replace(s.find("SIP/2.0\r\n"), 7, "SIP/3.0");
    Verdict v = check(s);
    CHECK(v.code == 505);
    CHECK(v.reason == "Version Not Supported");
    // The version is case-insensitive.
    std::string t = request("INVITE", "sip:bob@example.net", kVia);
    t.replace(t.find("SIP/2.0\r\n"), 7, "sip/2.0");
    CHECK(check(t).ok());
}

TEST_CASE("validate: missing mandatory headers -> 400", "[validate]") {
    for (const char *h : {"Via", "From", "To", "Call-ID", "CSeq"}) {
        auto m = must_parse(request("INVITE", "sip:bob@example.net", kVia));
        m->header_remove(h);
        Verdict v = validate_request(*m);
        INFO(h);
        CHECK(v.code == 400);
        CHECK(v.reason == std::string("Missing ") + h);
    }
    // Max-Forwards is optional.
    auto m = must_parse(request("INVITE", "sip:bob@example.net", kVia));
    m->header_remove("Max-Forwards");
    CHECK(validate_request(*m).ok());
}

TEST_CASE("validate: CSeq method must equal the request method -> 400", "[validate]") {
    std::string s = request("INVITE", "sip:bob@example.net", kVia);
    s.replace(s.find("CSeq: 1 INVITE"), 14, "CSeq: 1 BYE");
    CHECK(check(s).code == 400);
    CHECK(check(s).reason == "CSeq Method Mismatch");
    // ACK and CANCEL carry their own method.
    std::string a = request("ACK", "sip:bob@example.net", kVia);
    CHECK(check(a).ok());
    a.replace(a.find("CSeq: 1 ACK"), 11, "CSeq: 1 INVITE");
    CHECK(check(a).code == 400);
    std::string c = request("CANCEL", "sip:bob@example.net", kVia);
    c.replace(c.find("CSeq: 1 CANCEL"), 14, "CSeq: 1 INVITE");
    CHECK(check(c).code == 400);
    // Methods are case-sensitive.
    std::string l = request("INVITE", "sip:bob@example.net", kVia);
    l.replace(l.find("CSeq: 1 INVITE"), 14, "CSeq: 1 invite");
    CHECK(check(l).code == 400);
}

TEST_CASE("validate: Request-URI scheme other than sip/sips -> 416", "[validate]") {
    CHECK(check(request("INVITE", "tel:+12125551212", kVia)).code == 416);
    CHECK(check(request("INVITE", "urn:service:sos", kVia)).code == 416);
    CHECK(check(request("INVITE", "SIP:bob@example.net", kVia)).ok());
}

TEST_CASE("validate: Max-Forwards 0 -> 483 (also OPTIONS), garbage -> 400", "[validate]") {
    for (const char *method : {"INVITE", "OPTIONS"}) {
        std::string s = request(method, "sip:bob@example.net", kVia);
        s.replace(s.find("Max-Forwards: 70"), 16, "Max-Forwards: 0");
        Verdict v = check(s);
        CHECK(v.code == 483);
        CHECK(v.reason == "Too Many Hops");
    }
    std::string s = request("INVITE", "sip:bob@example.net", kVia);
    s.replace(s.find("Max-Forwards: 70"), 16, "Max-Forwards: ten");
    CHECK(check(s).code == 400);
    s = request("INVITE", "sip:bob@example.net", kVia);
    s.replace(s.find("Max-Forwards: 70"), 16, "Max-Forwards: 1");
    CHECK(check(s).ok());
}

TEST_CASE("validate: Proxy-Require -> 420 with Unsupported listing the tags", "[validate]") {
    std::string s = request("INVITE", "sip:bob@example.net", kVia,
                            1, "Proxy-Require: foo, bar\r\nProxy-Require: foo,baz\r\n");
    Verdict v = check(s);
    CHECK(v.code == 420);
    CHECK(v.reason == "Bad Extension");
    CHECK(v.extra_header == "Unsupported: foo, bar, baz");
    std::array<std::string_view, 2> sup = {"foo", "BAR"};
    ValidateOptions opt;
    opt.supported = sup;
    CHECK(check(s, opt).extra_header == "Unsupported: baz");
    std::array<std::string_view, 3> all = {"foo", "bar", "baz"};
    opt.supported = all;
    CHECK(check(s, opt).ok());
    // Require is for the UAS, not the proxy.
    CHECK(check(request("INVITE", "sip:bob@example.net", kVia, 1, "Require: 100rel\r\n")).ok());
}

TEST_CASE("validate: Content-Length framing", "[validate]") {
    std::string ok = crlf({"MESSAGE sip:x@y SIP/2.0", std::string("Via: ") + kVia, "From: <sip:a@b>;tag=1",
                           "To: <sip:x@y>", "Call-ID: c", "CSeq: 1 MESSAGE", "Content-Length: 2"},
                          "hi and more");
    CHECK(check(ok).ok());
    std::string shorter = crlf({"MESSAGE sip:x@y SIP/2.0", std::string("Via: ") + kVia, "From: <sip:a@b>;tag=1",
                                "To: <sip:x@y>", "Call-ID: c", "CSeq: 1 MESSAGE", "Content-Length: 20"},
                               "hi");
    Verdict v = check(shorter);
    CHECK(v.code == 400);
    CHECK(v.reason == "Body shorter than Content-Length");
}

TEST_CASE("validate: replies are not checked here", "[validate]") {
    CHECK(check(crlf({"SIP/2.0 200 OK", "Via: SIP/2.0/UDP h"})).ok());
}
