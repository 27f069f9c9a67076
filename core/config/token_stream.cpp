// Lookahead and error helpers shared by the parser files.
#include "token_stream.h"

namespace sipnat::config {

const Token &TokenStream::peek() {
    if (!la_) la_ = lex_.next();
    if (la_->kind == Tok::Error) fail_at(*la_, la_->text);
    return *la_;
}

Token TokenStream::take() {
    peek();
    Token t = std::move(*la_);
    la_.reset();
    return t;
}

bool TokenStream::accept(Tok k) {
    if (peek().kind != k) return false;
    la_.reset();
    return true;
}

bool TokenStream::peek_ident(std::string_view name) {
    const Token &t = peek();
    return t.kind == Tok::Ident && t.text == name;
}

bool TokenStream::accept_ident(std::string_view name) {
    if (!peek_ident(name)) return false;
    la_.reset();
    return true;
}

Token TokenStream::expect(Tok k) {
    if (peek().kind != k) fail_expected(tok_quoted(k), *la_);
    return take();
}

Token TokenStream::take_value() {
    // A pending lookahead was lexed in the normal mode; the parser never
    // peeks past '=', so this only guards against misuse.
    if (la_) return take();
    Token t = lex_.next_value();
    if (t.kind == Tok::Error) fail_at(t, t.text);
    return t;
}

void TokenStream::fail_at(const Token &t, std::string message) const { fail_at(t.line, t.col, std::move(message)); }

void TokenStream::fail_at(int line, int col, std::string message) const {
    throw ParseFailure{line, col, std::move(message)};
}

void TokenStream::fail_expected(std::string_view what, const Token &found) const {
    fail_at(found, "expected " + std::string(what) + ", found " + describe(found));
}

DepthGuard::DepthGuard(TokenStream &ts, const Token &at) : ts_(ts) {
    // A constructor that throws gets no destructor call: undo the count ourselves.
    if (++ts_.depth > kMaxNesting) {
        ts_.depth--;
        ts_.fail_at(at, "nesting too deep (more than " + std::to_string(kMaxNesting) + " levels)");
    }
}

} // namespace sipnat::config
