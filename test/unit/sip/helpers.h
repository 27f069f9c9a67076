// Test helpers: building datagrams and parsing them.
#pragma once

#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>

#include "sip/message.h"

namespace sipnat::sip::test {

// Joins header-section lines with CRLF, adds the blank line, then the body.
std::string crlf(std::initializer_list<std::string_view> lines, std::string_view body = {});

// Parses s; fails the current test when parse() returns nullptr.
std::unique_ptr<Message> must_parse(std::string_view s);

// A minimal valid request of the given method (Call-ID, tags and CSeq number as given).
std::string request(std::string_view method, std::string_view ruri, std::string_view via, int cseq = 1,
                    std::string_view extra = {});

}  // namespace sipnat::sip::test
