// Tokenizer for the config file. Knows comments, strings, numbers, names,
// pseudo-variables and operators; has a second mode for the right-hand side of
// globals, whose values (udp:[::1]:5060, host:port) are not ordinary tokens.
// Lexical errors come back as Tok::Error tokens so the parser decides when to stop.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace sipnat::config {

enum class Tok {
    Eof,
    Error, // text = message; line/col = where the problem starts
    Ident,
    Int,
    Str,
    PVar,
    Word, // only from Lexer::next_value()
    LParen,
    RParen,
    LBrace,
    RBrace,
    LBracket,
    RBracket,
    Comma,
    Semi,
    Assign, // =
    Eq,     // ==
    Ne,     // !=
    Match,  // =~
    Lt,
    Gt,
    Le,
    Ge,
    Not, // !
    And, // &&
    Or,  // ||
};

struct Token {
    Tok kind = Tok::Eof;
    int line = 1, col = 1; // 1-based; col in bytes
    // Ident: the name. Int: the digits as written (with '-'). Str: unescaped
    // contents. PVar / Word: as written. Error: the message.
    std::string text;
    long ival = 0;                  // Int
    std::string pv_name, pv_inner;  // PVar
    bool pv_has_inner = false;      // PVar
    bool str_raw_differs = false;   // Str: an escape made text differ from the source bytes
};

class Lexer {
public:
    // Lexes `src`, which must outlive the lexer.
    explicit Lexer(std::string_view src) : src_(src) {}
    // Returns the next token; Eof forever at the end.
    Token next();
    // Returns the next global value: a Str if a string starts here, a Word for a
    // run of printable bytes other than ;#"(){},= and "/*", else what next() gives.
    Token next_value();

private:
    bool skip_blank(Token &err); // false: unterminated comment, err filled
    char at(size_t k = 0) const { return i_ + k < src_.size() ? src_[i_ + k] : '\0'; }
    bool more(size_t k = 0) const { return i_ + k < src_.size(); }
    void advance();
    Token lex_string(Token t);
    Token lex_number(Token t);
    Token lex_pvar(Token t);
    Token error(const Token &start, std::string msg) const;

    std::string_view src_;
    size_t i_ = 0;
    int line_ = 1, col_ = 1;
};

// Describes a token after "found": "'}'", "end of file", "identifier 'foo'",
// "string \"abc\"", "integer 42", "pseudo-variable '$si'".
std::string describe(const Token &t);
// Returns how a token kind is written, quoted, for "expected X": "')'", "'=='".
std::string tok_quoted(Tok k);
// Wraps s in quote char q for a message, escaping unprintable bytes and q, and
// cutting it at 40 bytes with "..." so hostile input gives short, clean lines.
std::string quote_for_message(std::string_view s, char q);
// Cuts printable text (digits, names) at 40 bytes with "...", unquoted.
std::string clip_for_message(std::string_view s);

} // namespace sipnat::config
