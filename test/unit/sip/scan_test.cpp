// URI, name-addr, Via and IP scanners.
#include <catch2/catch.hpp>

#include "sip/headers.h"
#include "sip/ip.h"
#include "sip/uri.h"
#include "sip/via.h"

using namespace sipnat::sip;

TEST_CASE("headers: compact forms and case map to ids", "[scan]") {
    CHECK(header_id("v") == HeaderId::Via);
    CHECK(header_id("V") == HeaderId::Via);
    CHECK(header_id("vIa") == HeaderId::Via);
    CHECK(header_id("i") == HeaderId::CallId);
    CHECK(header_id("call-id") == HeaderId::CallId);
    CHECK(header_id("m") == HeaderId::Contact);
    CHECK(header_id("f") == HeaderId::From);
    CHECK(header_id("t") == HeaderId::To);
    CHECK(header_id("l") == HeaderId::ContentLength);
    CHECK(header_id("c") == HeaderId::ContentType);
    CHECK(header_id("k") == HeaderId::Supported);
    CHECK(header_id("s") == HeaderId::Subject);
    CHECK(header_id("e") == HeaderId::ContentEncoding);
    CHECK(header_id("o") == HeaderId::Event);
    CHECK(header_id("r") == HeaderId::ReferTo);
    CHECK(header_id("b") == HeaderId::ReferredBy);
    CHECK(header_id("u") == HeaderId::AllowEvents);
    CHECK(header_id("x") == HeaderId::SessionExpires);
    CHECK(header_id("q") == HeaderId::Other);
    CHECK(header_id("X-Foo") == HeaderId::Other);
    CHECK(header_name(HeaderId::CallId) == "Call-ID");
}

TEST_CASE("uri: sip URI parts", "[scan]") {
    Uri u;
    REQUIRE(parse_uri("sip:alice:pw@Example.COM:5070;transport=udp;lr?subject=x", &u));
    CHECK(u.scheme == "sip");
    CHECK(u.user == "alice");
    CHECK(u.password == "pw");
    CHECK(u.host == "Example.COM");
    CHECK(u.port == "5070");
    CHECK(u.port_num == 5070);
    CHECK(u.params == ";transport=udp;lr");
    CHECK(u.headers == "subject=x");
    std::string_view v;
    CHECK(find_param(u.params, "lr", &v));
    CHECK(v.empty());
    CHECK(find_param(u.params, "TRANSPORT", &v));
    CHECK(v == "udp");
    CHECK_FALSE(find_param(u.params, "maddr", &v));
}

TEST_CASE("uri: IPv6 host, escaped user, sips, tel", "[scan]") {
    Uri u;
    REQUIRE(parse_uri("sips:b%20ob@[2001:db8::1]:5061", &u));
    CHECK(u.secure);
    CHECK(u.user == "b%20ob");
    CHECK(u.host == "[2001:db8::1]");
    CHECK(u.port_num == 5061);
    REQUIRE(parse_uri("sip:+1212;npdi@gw.example.com;user=phone", &u));
    CHECK(u.user == "+1212;npdi");
    CHECK(u.host == "gw.example.com");
    REQUIRE(parse_uri("tel:+12125551212;phone-context=example.com", &u));
    CHECK_FALSE(u.sip);
    CHECK(u.user == "+12125551212");
    CHECK_FALSE(parse_uri("sip:", &u));
    CHECK_FALSE(parse_uri("sip:host:99999", &u));
    CHECK_FALSE(parse_uri("nocolon", &u));
    CHECK_FALSE(parse_uri("sip:a@b c", &u));
}

TEST_CASE("name-addr: display names, bare URIs, tags, lists", "[scan]") {
    NameAddr na;
    size_t next = 0;
    std::string_view s = "\"A \\\"q\\\" B\" <sip:a@b;lr>;tag=xyz;other";
    REQUIRE(parse_name_addr(s, 0, &na, &next));
    CHECK(na.display == "\"A \\\"q\\\" B\"");
    CHECK(na.uri == "sip:a@b;lr");
    CHECK(na.tag == "xyz");
    CHECK(na.params == ";tag=xyz;other");
    CHECK(next == s.size());

    REQUIRE(parse_name_addr("sip:b@c;tag=9", 0, &na, &next));
    CHECK(na.uri == "sip:b@c");
    CHECK(na.tag == "9");
    CHECK_FALSE(na.bracketed);

    REQUIRE(parse_name_addr("Bob Smith <sip:b@c>", 0, &na, &next));
    CHECK(na.display == "Bob Smith");
    CHECK_FALSE(na.has_tag);

    std::string_view list = "<sip:p1;lr>, <sip:p2;lr> ,\r\n <sip:p3>";
    REQUIRE(parse_name_addr(list, 0, &na, &next));
    CHECK(na.uri == "sip:p1;lr");
    CHECK(list.substr(na.begin, na.end - na.begin) == "<sip:p1;lr>");
    REQUIRE(parse_name_addr(list, next, &na, &next));
    CHECK(na.uri == "sip:p2;lr");
    REQUIRE(parse_name_addr(list, next, &na, &next));
    CHECK(na.uri == "sip:p3");
    CHECK(next == list.size());

    CHECK_FALSE(parse_name_addr("<sip:unterminated", 0, &na, &next));
    CHECK_FALSE(parse_name_addr("\"open", 0, &na, &next));
    CHECK_FALSE(parse_name_addr("   ", 0, &na, &next));
}

TEST_CASE("via: parts and params with offsets", "[scan]") {
    std::string_view s = "SIP / 2.0 / UDP 10.0.0.1:5062 ; branch=z9hG4bK1;rport;received=1.2.3.4, SIP/2.0/TCP [::1]";
    Via v;
    size_t next = 0;
    REQUIRE(parse_via(s, 0, &v, &next));
    CHECK(v.transport == "UDP");
    CHECK(v.host == "10.0.0.1");
    CHECK(v.port_num == 5062);
    CHECK(v.branch == "z9hG4bK1");
    CHECK(v.has_rport);
    CHECK(v.rport.empty());
    CHECK_FALSE(v.rport_eq);
    CHECK(v.received == "1.2.3.4");
    CHECK(s.substr(v.begin, v.end - v.begin) == "SIP / 2.0 / UDP 10.0.0.1:5062 ; branch=z9hG4bK1;rport;received=1.2.3.4");
    REQUIRE(parse_via(s, next, &v, &next));
    CHECK(v.transport == "TCP");
    CHECK(v.host == "[::1]");
    CHECK(v.port_num == 0);
    CHECK(next == s.size());

    CHECK_FALSE(parse_via("SIP/2.0 host", 0, &v, &next));
    CHECK_FALSE(parse_via("SIP/2.0/UDP", 0, &v, &next));
    CHECK_FALSE(parse_via("SIP/2.0/UDP host:70000", 0, &v, &next));
    CHECK_FALSE(parse_via("SIP/2.0/UDP host;x=\"open", 0, &v, &next));
    CHECK_FALSE(parse_via("SIP/2.0/UDP host junk", 0, &v, &next));
    REQUIRE(parse_via("SIP/2.0/UDP h;received=2001:db8::1;x=\"a;b,c\"", 0, &v, &next));
    CHECK(v.received == "2001:db8::1");
}

TEST_CASE("ip: literals compare as addresses", "[scan]") {
    IpAddr a;
    CHECK(parse_ip("192.0.2.1", &a));
    CHECK_FALSE(a.v6);
    CHECK(parse_ip("[2001:db8::1]", &a));
    CHECK(a.v6);
    CHECK(parse_ip("::ffff:192.0.2.1", &a));
    CHECK(parse_ip("::", &a));
    CHECK_FALSE(parse_ip("256.1.1.1", &a));
    CHECK_FALSE(parse_ip("1.2.3", &a));
    CHECK_FALSE(parse_ip("example.com", &a));
    CHECK_FALSE(parse_ip("1::2::3", &a));
    CHECK_FALSE(parse_ip("1:2:3:4:5:6:7:8:9", &a));
    CHECK_FALSE(parse_ip("[192.0.2.1]", &a));
    CHECK(same_ip("2001:db8:0:0::1", "[2001:DB8::1]"));
    CHECK_FALSE(same_ip("2001:db8::1", "2001:db8::2"));
    CHECK(same_host("Example.COM.", "example.com"));
    CHECK_FALSE(same_host("example.com", "192.0.2.1"));
}
