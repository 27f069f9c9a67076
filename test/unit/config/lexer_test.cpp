// Lexer: token kinds, text, positions and lexical errors.
#include <catch2/catch.hpp>
#include <vector>

#include "config/lexer.h"

using namespace sipnat::config;

namespace {

std::vector<Token> lex_all(std::string_view src) {
    Lexer lx(src);
    std::vector<Token> out;
    for (int guard = 0; guard < 1000; guard++) {
        Token t = lx.next();
        out.push_back(t);
        if (t.kind == Tok::Eof || t.kind == Tok::Error) break;
    }
    return out;
}

} // namespace

TEST_CASE("lexer: punctuation and operators", "[config][lexer]") {
    auto t = lex_all("( ) { } [ ] , ; = == != =~ < > <= >= ! && ||");
    std::vector<Tok> want = {Tok::LParen, Tok::RParen, Tok::LBrace, Tok::RBrace, Tok::LBracket, Tok::RBracket,
                             Tok::Comma,  Tok::Semi,   Tok::Assign, Tok::Eq,     Tok::Ne,       Tok::Match,
                             Tok::Lt,     Tok::Gt,     Tok::Le,     Tok::Ge,     Tok::Not,      Tok::And,
                             Tok::Or,     Tok::Eof};
    REQUIRE(t.size() == want.size());
    for (size_t i = 0; i < want.size(); i++) CHECK(t[i].kind == want[i]);
}

TEST_CASE("lexer: positions are 1-based, columns in bytes", "[config][lexer]") {
    auto t = lex_all("a\n  \tbb  42\n\n\xc3\xa9");
    REQUIRE(t.size() >= 3);
    CHECK(t[0].line == 1);
    CHECK(t[0].col == 1);
    CHECK(t[1].text == "bb");
    CHECK(t[1].line == 2);
    CHECK(t[1].col == 4);
    CHECK(t[2].kind == Tok::Int);
    CHECK(t[2].col == 8);
    CHECK(t[3].kind == Tok::Error);
    CHECK(t[3].line == 4);
    CHECK(t[3].text == "unexpected character '\\xc3'");
}

TEST_CASE("lexer: comments", "[config][lexer]") {
    auto t = lex_all("# hash comment \"x\"\nfoo /* block\n comment */ bar # tail");
    REQUIRE(t.size() == 3);
    CHECK(t[0].text == "foo");
    CHECK(t[1].text == "bar");
    CHECK(t[1].line == 3);
    CHECK(t[1].col == 13);
    CHECK(t[2].kind == Tok::Eof);

    auto u = lex_all("x /* never closed");
    CHECK(u[1].kind == Tok::Error);
    CHECK(u[1].text == "unterminated comment");
    CHECK(u[1].col == 3);
}

TEST_CASE("lexer: integers", "[config][lexer]") {
    auto t = lex_all("0 42 -7 9223372036854775807 - 1");
    CHECK(t[0].ival == 0);
    CHECK(t[1].ival == 42);
    CHECK(t[2].ival == -7);
    CHECK(t[2].text == "-7");
    CHECK(t[3].ival == 9223372036854775807L);
    CHECK(t[4].kind == Tok::Error); // a lone '-' is no operator
    CHECK(t[4].text == "unexpected character '-'");

    auto big = lex_all("99999999999999999999");
    CHECK(big[0].kind == Tok::Error);
    CHECK(big[0].text == "integer 99999999999999999999 out of range");
}

TEST_CASE("lexer: strings keep raw text after unescaping", "[config][lexer]") {
    auto t = lex_all(R"("a\"b\\c\n\r\t" "$rm from $si" "^\+1\." "")");
    CHECK(t[0].kind == Tok::Str);
    CHECK(t[0].text == "a\"b\\c\n\r\t");
    CHECK(t[1].text == "$rm from $si");
    CHECK(t[2].text == "^\\+1\\."); // unknown escapes stay as written
    CHECK(t[3].text.empty());
    CHECK(t[3].col == 41);

    auto multi = lex_all("\"a\nb\" x");
    CHECK(multi[0].text == "a\nb");
    CHECK(multi[1].line == 2);
    CHECK(multi[1].col == 4);

    auto bad = lex_all("x  \"abc");
    CHECK(bad[1].kind == Tok::Error);
    CHECK(bad[1].text == "unterminated string");
    CHECK(bad[1].col == 4);
    CHECK(lex_all("\"abc\\")[0].kind == Tok::Error);
}

TEST_CASE("lexer: pseudo-variables", "[config][lexer]") {
    auto t = lex_all("$si $rU $avp(s:foo) $hdr(Content-Type) $x(a(b)c) $var(x)=");
    CHECK(t[0].kind == Tok::PVar);
    CHECK(t[0].pv_name == "si");
    CHECK_FALSE(t[0].pv_has_inner);
    CHECK(t[1].pv_name == "rU");
    CHECK(t[2].text == "$avp(s:foo)");
    CHECK(t[2].pv_name == "avp");
    CHECK(t[2].pv_inner == "s:foo");
    CHECK(t[2].pv_has_inner);
    CHECK(t[3].pv_inner == "Content-Type");
    CHECK(t[4].pv_inner == "a(b)c");
    CHECK(t[5].text == "$var(x)");
    CHECK(t[6].kind == Tok::Assign);

    auto bad = lex_all("$avp(foo\n)");
    CHECK(bad[0].kind == Tok::Error);
    CHECK(bad[0].text == "unterminated pseudo-variable '$avp(foo'");
    CHECK(lex_all("$ x")[0].text == "expected a pseudo-variable name after '$'");
    CHECK(lex_all("$1")[0].kind == Tok::Error);
}

TEST_CASE("lexer: value mode reads bare words", "[config][lexer]") {
    Lexer lx("udp:[::1]:5060; host.example.com:5061 # c\n \"quoted\" ;");
    Token a = lx.next_value();
    CHECK(a.kind == Tok::Word);
    CHECK(a.text == "udp:[::1]:5060");
    CHECK(lx.next().kind == Tok::Semi);
    Token b = lx.next_value();
    CHECK(b.text == "host.example.com:5061");
    CHECK(b.col == 17);
    Token c = lx.next_value();
    CHECK(c.kind == Tok::Str);
    CHECK(c.text == "quoted");
    CHECK(lx.next_value().kind == Tok::Semi); // nothing word-like: a normal token
    CHECK(lx.next_value().kind == Tok::Eof);

    Lexer lc("a/*c*/b");
    CHECK(lc.next_value().text == "a");
    CHECK(lc.next_value().text == "b");
}

TEST_CASE("lexer: describe tokens for messages", "[config][lexer]") {
    Lexer lx("foo \"a\\\"b\" 42 $si } ");
    CHECK(describe(lx.next()) == "identifier 'foo'");
    CHECK(describe(lx.next()) == "string \"a\\\"b\"");
    CHECK(describe(lx.next()) == "integer 42");
    CHECK(describe(lx.next()) == "pseudo-variable '$si'");
    CHECK(describe(lx.next()) == "'}'");
    CHECK(describe(lx.next()) == "end of file");

    Lexer lw("7 abc a:b");
    CHECK(describe(lw.next_value()) == "integer 7");
    CHECK(describe(lw.next_value()) == "identifier 'abc'");
    CHECK(describe(lw.next_value()) == "'a:b'");

    CHECK(quote_for_message(std::string(50, 'x'), '"') == "\"" + std::string(40, 'x') + "...\"");
    CHECK(quote_for_message(std::string("a\0b", 3), '\'') == "'a\\x00b'");
}
