// classify_keepalive: which datagrams are keepalives, judged by their bytes alone.
#include "host/demux.h"

#include <catch2/catch.hpp>

#include <string>

using sipnat::classify_keepalive;
using sipnat::KeepaliveKind;

static KeepaliveKind classify(const std::string &s) {
    return classify_keepalive(reinterpret_cast<const uint8_t *>(s.data()), s.size());
}

TEST_CASE("CRLFCRLF is a ping to answer", "[keepalive]") {
    CHECK(classify("\r\n\r\n") == KeepaliveKind::DoubleCrlf);
}

TEST_CASE("a lone CRLF and four zero bytes are dropped silently", "[keepalive]") {
    CHECK(classify("\r\n") == KeepaliveKind::Silent);
    CHECK(classify(std::string(4, '\0')) == KeepaliveKind::Silent);
}

TEST_CASE("anything else is not a keepalive", "[keepalive]") {
    for (const std::string &s : {std::string(""), std::string("\r"), std::string("\n"), std::string("\n\n"),
                                std::string("\r\n\r"), std::string("\r\n\r\n\r\n"), std::string("\r\n\r\nX"),
                                std::string("\r\n\r\nHOOK"), std::string("\n\r\n\r"), std::string(" \r\n"),
                                std::string("\r\n "), std::string(3, '\0'), std::string(5, '\0'),
                                std::string("\0\0\0\1", 4), std::string("\1\0\0\0", 4), std::string(8, '\0'),
                                std::string("\r\n\0\0", 4), std::string("PING"), std::string("TESTMOD"),
                                std::string("OPTIONS sip:a@b SIP/2.0\r\n\r\n")}) {
        INFO("datagram of " << s.size() << " bytes");
        CHECK(classify(s) == KeepaliveKind::NotKeepalive);
    }
    CHECK(classify_keepalive(nullptr, 0) == KeepaliveKind::NotKeepalive);
}
