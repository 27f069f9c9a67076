#include "helpers.h"

#include <catch2/catch.hpp>

namespace sipnat::sip::test {

std::string crlf(std::initializer_list<std::string_view> lines, std::string_view body) {
    std::string s;
    for (std::string_view l : lines) {
        s.append(l);
        s.append("\r\n");
    }
    s.append("\r\n");
    s.append(body);
    return s;
}

std::unique_ptr<Message> must_parse(std::string_view s) {
    ParseError err;
    auto m = Message::parse(s.data(), s.size(), &err);
    INFO("parse error: " << err.reason);
    REQUIRE(m != nullptr);
    return m;
}

std::string request(std::string_view method, std::string_view ruri, std::string_view via, int cseq,
                    std::string_view extra) {
    std::string s;
    s += method;
    s += " ";
    s += ruri;
    s += " SIP/2.0\r\n";
    s += "Via: ";
    s += via;
    s += "\r\nMax-Forwards: 70\r\nFrom: <sip:alice@example.com>;tag=f1\r\nTo: <sip:bob@example.net>\r\n";
    s += "Call-ID: call-1@example.com\r\nCSeq: " + std::to_string(cseq) + " ";
    s += method;
    s += "\r\n";
    s += extra;
    s += "Content-Length: 0\r\n\r\n";
    return s;
}

}  // namespace sipnat::sip::test
