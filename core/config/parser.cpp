// Top level of the config file: dispatches globals, loadmodule, modparam and
// route blocks, and implements the public entry points of parser.h.
#include "parser.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <map>
#include <memory>

#include "parse_globals.h"
#include "parse_script.h"
#include "token_stream.h"

namespace sipnat::config {

namespace {

class TopParser {
public:
    TopParser(TokenStream &ts, Config &cfg) : ts_(ts), cfg_(cfg) {}

    void run() {
        for (;;) {
            const Token &t = ts_.peek();
            if (t.kind == Tok::Eof) return;
            if (t.kind == Tok::Semi) {
                ts_.take();
                continue;
            }
            if (t.kind != Tok::Ident)
                ts_.fail_expected("a global parameter, loadmodule, modparam or a route block", t);
            if (is_global_name(t.text)) parse_global(ts_, cfg_);
            else if (t.text == "loadmodule") loadmodule();
            else if (t.text == "modparam") modparam();
            else if (RouteType rt; route_keyword(t.text, rt)) route_block(rt);
            else ts_.fail_expected("a global parameter (listen, children, log_level, mpath, alias)", t);
        }
    }

private:
    static bool route_keyword(const std::string &w, RouteType &rt) {
        for (RouteType t : {RouteType::Request, RouteType::OnReply, RouteType::Failure, RouteType::Branch}) {
            if (w == route_type_keyword(t)) {
                rt = t;
                return true;
            }
        }
        return false;
    }

    Token expect_string() {
        Token t = ts_.take();
        if (t.kind != Tok::Str) ts_.fail_expected("a string", t);
        return t;
    }

    void loadmodule() {
        LoadModule m;
        m.pos = ts_.pos(ts_.take());
        m.path = expect_string().text;
        cfg_.modules.push_back(std::move(m));
        ts_.accept(Tok::Semi);
    }

    void modparam() {
        ModParam p;
        p.pos = ts_.pos(ts_.take());
        ts_.expect(Tok::LParen);
        p.module = expect_string().text;
        ts_.expect(Tok::Comma);
        p.param = expect_string().text;
        ts_.expect(Tok::Comma);
        Token v = ts_.take();
        p.value.pos = ts_.pos(v);
        if (v.kind == Tok::Int) {
            p.value.kind = Value::Int;
            p.value.i = v.ival;
        } else if (v.kind == Tok::Str) {
            p.value.kind = Value::Str;
            p.value.s = std::move(v.text);
        } else {
            ts_.fail_expected("a string or integer", v);
        }
        ts_.expect(Tok::RParen);
        cfg_.modparams.push_back(std::move(p));
        ts_.accept(Tok::Semi);
    }

    void route_block(RouteType type) {
        Token kw = ts_.take();
        RouteBlock b;
        b.type = type;
        b.pos = ts_.pos(kw);
        bool named_only = type == RouteType::Failure || type == RouteType::Branch;
        if (ts_.accept(Tok::LBracket)) {
            b.name = parse_route_name(ts_);
            ts_.expect(Tok::RBracket);
            if (!named_only && b.name == "0") b.name = ""; // route[0] is the main route
        } else if (named_only) {
            ts_.fail_expected("'['", ts_.peek());
        } else if (ts_.peek().kind != Tok::LBrace) {
            ts_.fail_expected("'[' or '{'", ts_.peek());
        }
        auto [it, fresh] = seen_.try_emplace({type, b.name}, b.pos);
        if (!fresh)
            ts_.fail_at(kw, "duplicate " + route_label(type, b.name) + " (first defined at " + it->second.str() + ")");
        b.body = parse_block(ts_);
        cfg_.routes.push_back(std::move(b));
    }

    TokenStream &ts_;
    Config &cfg_;
    std::map<std::pair<RouteType, std::string>, Pos> seen_; // a map keeps many blocks O(n log n)
};

} // namespace

std::string ConfigError::str() const {
    if (line == 0) return file + ": " + message;
    return file + ":" + std::to_string(line) + ":" + std::to_string(col) + ": " + message;
}

bool parse_config_string(std::string_view text, const std::string &filename, Config &out, ConfigError &err) {
    if (text.size() > kMaxConfigBytes) {
        err = ConfigError{filename, 0, 0, "config too large (more than " + std::to_string(kMaxConfigBytes) + " bytes)"};
        return false;
    }
    TokenStream ts(text, std::make_shared<const std::string>(filename));
    Config cfg;
    try {
        TopParser(ts, cfg).run();
    } catch (ParseFailure &f) {
        err = ConfigError{filename, f.line, f.col, std::move(f.message)};
        return false;
    }
    out = std::move(cfg);
    return true;
}

bool parse_config_file(const std::string &path, Config &out, ConfigError &err) {
    std::unique_ptr<FILE, int (*)(FILE *)> f(fopen(path.c_str(), "rb"), fclose);
    if (!f) {
        err = ConfigError{path, 0, 0, std::string("cannot open: ") + strerror(errno)};
        return false;
    }
    std::string text;
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f.get())) > 0) {
        text.append(buf, n);
        if (text.size() > kMaxConfigBytes) {
            err = ConfigError{path, 0, 0, "file too large (more than " + std::to_string(kMaxConfigBytes) + " bytes)"};
            return false;
        }
    }
    if (ferror(f.get())) { // e.g. EISDIR: fopen succeeds on a directory, reading fails
        err = ConfigError{path, 0, 0, std::string("cannot read: ") + strerror(errno)};
        return false;
    }
    return parse_config_string(text, path, out, err);
}

} // namespace sipnat::config
