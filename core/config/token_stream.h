// One-token lookahead over the Lexer, plus the error plumbing the parser
// files share (internal to config_lib). Errors are thrown as ParseFailure and
// caught once in parse_config_string, so the first error stops parsing.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "ast.h"
#include "lexer.h"

namespace sipnat::config {

struct ParseFailure {
    int line = 0, col = 0;
    std::string message;
};

class TokenStream {
public:
    // Reads `src` (must outlive the stream); positions name `file`.
    TokenStream(std::string_view src, std::shared_ptr<const std::string> file)
        : lex_(src), file_(std::move(file)) {}

    // Returns the next token without consuming it; throws on a lexical error.
    const Token &peek();
    // Consumes and returns the next token; throws on a lexical error.
    Token take();
    // Consumes the next token if it is of kind k; returns whether it did.
    bool accept(Tok k);
    // Consumes the next token if it is the identifier `name`; returns whether it did.
    bool accept_ident(std::string_view name);
    // Returns whether the next token is the identifier `name`.
    bool peek_ident(std::string_view name);
    // Consumes a token of kind k or throws "expected <k>, found <token>".
    Token expect(Tok k);
    // Consumes a global's value (Lexer::next_value); throws on a lexical error.
    Token take_value();

    // Returns the position of token t in this file.
    Pos pos(const Token &t) const { return Pos{file_, t.line, t.col}; }
    // Throws an error at t's position.
    [[noreturn]] void fail_at(const Token &t, std::string message) const;
    // Throws an error at line:col.
    [[noreturn]] void fail_at(int line, int col, std::string message) const;
    // Throws "expected <what>, found <describe(found)>" at found's position.
    [[noreturn]] void fail_expected(std::string_view what, const Token &found) const;

    int depth = 0; // current nesting, see DepthGuard

private:
    Lexer lex_;
    std::optional<Token> la_;
    std::shared_ptr<const std::string> file_;
};

// Counts one nesting level (statement or expression) for its lifetime; throws
// "nesting too deep" past kMaxNesting so hostile input cannot exhaust the stack.
class DepthGuard {
public:
    // Enters a level; `at` is where the error is reported.
    DepthGuard(TokenStream &ts, const Token &at);
    ~DepthGuard() { ts_.depth--; }
    DepthGuard(const DepthGuard &) = delete;
    DepthGuard &operator=(const DepthGuard &) = delete;

private:
    TokenStream &ts_;
};

} // namespace sipnat::config
