// Tokenizer for the config file: see lexer.h.
#include "lexer.h"

#include <climits>
#include <cstdio>

namespace sipnat::config {

namespace {

bool is_ident_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_ident_char(char c) { return is_ident_start(c) || is_digit(c); }

// Bytes a bare global value is made of: printable ASCII minus the punctuation
// that ends a value (the caller also stops at "/*").
bool is_word_char(char c) {
    if (c <= ' ' || c >= 0x7f) return false;
    switch (c) {
    case ';': case '#': case '"': case '(': case ')': case '{': case '}': case ',': case '=': return false;
    default: return true;
    }
}

std::string char_for_message(char c) {
    if (c >= 0x20 && c < 0x7f && c != '\'' && c != '\\') return std::string("'") + c + "'";
    return quote_for_message(std::string_view(&c, 1), '\'');
}

} // namespace

void Lexer::advance() {
    if (i_ >= src_.size()) return;
    if (src_[i_] == '\n') {
        line_++;
        col_ = 1;
    } else {
        col_++;
    }
    i_++;
}

Token Lexer::error(const Token &start, std::string msg) const {
    Token e;
    e.kind = Tok::Error;
    e.line = start.line;
    e.col = start.col;
    e.text = std::move(msg);
    return e;
}

bool Lexer::skip_blank(Token &err) {
    for (;;) {
        char c = at();
        if (!more()) return true;
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
            advance();
        } else if (c == '#') {
            while (more() && at() != '\n') advance();
        } else if (c == '/' && at(1) == '*') {
            Token start;
            start.line = line_;
            start.col = col_;
            advance();
            advance();
            while (more() && !(at() == '*' && at(1) == '/')) advance();
            if (!more()) {
                err = error(start, "unterminated comment");
                return false;
            }
            advance();
            advance();
        } else {
            return true;
        }
    }
}

Token Lexer::lex_string(Token t) {
    t.kind = Tok::Str;
    advance(); // opening quote
    for (;;) {
        if (!more()) return error(t, "unterminated string");
        char c = at();
        if (c == '"') {
            advance();
            return t;
        }
        if (c == '\\' && more(1)) {
            char e = at(1);
            char out = 0;
            switch (e) {
            case '"': out = '"'; break;
            case '\\': out = '\\'; break;
            case 'n': out = '\n'; break;
            case 'r': out = '\r'; break;
            case 't': out = '\t'; break;
            default: break;
            }
            if (out) {
                t.text += out;
                t.str_raw_differs = true;
                advance();
                advance();
                continue;
            }
            // Unknown escapes stay as written: regexes like "^\+1" need them.
        }
        t.text += c;
        advance();
    }
}

Token Lexer::lex_number(Token t) {
    t.kind = Tok::Int;
    bool neg = at() == '-';
    if (neg) {
        t.text += '-';
        advance();
    }
    unsigned long long v = 0;
    bool overflow = false;
    while (is_digit(at()) && more()) {
        v = v * 10 + static_cast<unsigned>(at() - '0');
        if (v > static_cast<unsigned long long>(LONG_MAX)) {
            overflow = true;
            v = 0; // keep scanning the whole run so the message names it all
        }
        t.text += at();
        advance();
    }
    if (overflow) return error(t, "integer " + clip_for_message(t.text) + " out of range");
    t.ival = neg ? -static_cast<long>(v) : static_cast<long>(v);
    return t;
}

Token Lexer::lex_pvar(Token t) {
    t.kind = Tok::PVar;
    t.text += '$';
    advance();
    if (!more() || !is_ident_start(at())) return error(t, "expected a pseudo-variable name after '$'");
    while (more() && is_ident_char(at())) {
        t.pv_name += at();
        t.text += at();
        advance();
    }
    if (at() != '(' || !more()) return t;
    // Inner text runs to the matching ')' on the same line: $hdr(Content-Type), $avp(s:foo).
    t.pv_has_inner = true;
    t.text += '(';
    advance();
    int depth = 1;
    for (;;) {
        if (!more() || at() == '\n') return error(t, "unterminated pseudo-variable " + quote_for_message(t.text, '\''));
        char c = at();
        if (c == '(') depth++;
        if (c == ')' && --depth == 0) {
            t.text += ')';
            advance();
            return t;
        }
        t.pv_inner += c;
        t.text += c;
        advance();
    }
}

Token Lexer::next() {
    Token t;
    if (!skip_blank(t)) return t;
    t.line = line_;
    t.col = col_;
    if (!more()) {
        t.kind = Tok::Eof;
        return t;
    }
    char c = at();
    if (is_ident_start(c)) {
        t.kind = Tok::Ident;
        while (more() && is_ident_char(at())) {
            t.text += at();
            advance();
        }
        return t;
    }
    if (is_digit(c) || (c == '-' && more(1) && is_digit(at(1)))) return lex_number(std::move(t));
    if (c == '"') return lex_string(std::move(t));
    if (c == '$') return lex_pvar(std::move(t));

    // Operators and punctuation; two-byte forms first.
    char d = more(1) ? at(1) : '\0';
    auto two = [&](Tok k) {
        advance();
        advance();
        t.kind = k;
        return t;
    };
    auto one = [&](Tok k) {
        advance();
        t.kind = k;
        return t;
    };
    switch (c) {
    case '(': return one(Tok::LParen);
    case ')': return one(Tok::RParen);
    case '{': return one(Tok::LBrace);
    case '}': return one(Tok::RBrace);
    case '[': return one(Tok::LBracket);
    case ']': return one(Tok::RBracket);
    case ',': return one(Tok::Comma);
    case ';': return one(Tok::Semi);
    case '=': return d == '=' ? two(Tok::Eq) : d == '~' ? two(Tok::Match) : one(Tok::Assign);
    case '!': return d == '=' ? two(Tok::Ne) : one(Tok::Not);
    case '<': return d == '=' ? two(Tok::Le) : one(Tok::Lt);
    case '>': return d == '=' ? two(Tok::Ge) : one(Tok::Gt);
    case '&':
        if (d == '&') return two(Tok::And);
        break;
    case '|':
        if (d == '|') return two(Tok::Or);
        break;
    default: break;
    }
    return error(t, "unexpected character " + char_for_message(c));
}

Token Lexer::next_value() {
    Token t;
    if (!skip_blank(t)) return t;
    t.line = line_;
    t.col = col_;
    if (more() && at() == '"') return lex_string(std::move(t));
    if (!more() || !is_word_char(at())) return next();
    t.kind = Tok::Word;
    while (more() && is_word_char(at()) && !(at() == '/' && at(1) == '*')) {
        t.text += at();
        advance();
    }
    return t;
}

std::string quote_for_message(std::string_view s, char q) {
    constexpr size_t kMax = 40;
    std::string out(1, q);
    for (size_t i = 0; i < s.size() && i < kMax; i++) {
        unsigned char c = static_cast<unsigned char>(s[i]);
        if (c == static_cast<unsigned char>(q) || c == '\\') {
            out += '\\';
            out += static_cast<char>(c);
        } else if (c == '\n') {
            out += "\\n";
        } else if (c == '\r') {
            out += "\\r";
        } else if (c == '\t') {
            out += "\\t";
        } else if (c < 0x20 || c >= 0x7f) {
            char buf[8];
            snprintf(buf, sizeof buf, "\\x%02x", c);
            out += buf;
        } else {
            out += static_cast<char>(c);
        }
    }
    if (s.size() > kMax) out += "...";
    out += q;
    return out;
}

std::string clip_for_message(std::string_view s) {
    constexpr size_t kMax = 40;
    if (s.size() <= kMax) return std::string(s);
    return std::string(s.substr(0, kMax)) + "...";
}

std::string tok_quoted(Tok k) {
    switch (k) {
    case Tok::Eof: return "end of file";
    case Tok::Error: return "an error";
    case Tok::Ident: return "an identifier";
    case Tok::Int: return "an integer";
    case Tok::Str: return "a string";
    case Tok::PVar: return "a pseudo-variable";
    case Tok::Word: return "a value";
    case Tok::LParen: return "'('";
    case Tok::RParen: return "')'";
    case Tok::LBrace: return "'{'";
    case Tok::RBrace: return "'}'";
    case Tok::LBracket: return "'['";
    case Tok::RBracket: return "']'";
    case Tok::Comma: return "','";
    case Tok::Semi: return "';'";
    case Tok::Assign: return "'='";
    case Tok::Eq: return "'=='";
    case Tok::Ne: return "'!='";
    case Tok::Match: return "'=~'";
    case Tok::Lt: return "'<'";
    case Tok::Gt: return "'>'";
    case Tok::Le: return "'<='";
    case Tok::Ge: return "'>='";
    case Tok::Not: return "'!'";
    case Tok::And: return "'&&'";
    case Tok::Or: return "'||'";
    }
    return "?";
}

std::string describe(const Token &t) {
    switch (t.kind) {
    case Tok::Ident: return "identifier " + quote_for_message(t.text, '\'');
    case Tok::Int: return "integer " + clip_for_message(t.text);
    case Tok::Str: return "string " + quote_for_message(t.text, '"');
    case Tok::PVar: return "pseudo-variable " + quote_for_message(t.text, '\'');
    case Tok::Error: return t.text;
    case Tok::Word: {
        // Name the word the way next() would have lexed it when it is that simple.
        const std::string &w = t.text;
        size_t k = (w.size() > 1 && w[0] == '-') ? 1 : 0;
        bool digits = k < w.size();
        for (size_t i = k; i < w.size(); i++) digits = digits && is_digit(w[i]);
        if (digits) return "integer " + clip_for_message(w);
        bool ident = !w.empty() && is_ident_start(w[0]);
        for (char c : w) ident = ident && is_ident_char(c);
        if (ident) return "identifier " + quote_for_message(w, '\'');
        return quote_for_message(w, '\'');
    }
    default: return tok_quoted(t.kind);
    }
}

} // namespace sipnat::config
