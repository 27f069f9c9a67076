// Global settings. Values are read with the lexer's value mode, so bare words
// such as udp:[::1]:5060 or host.example.com:5061 need no quotes.
#include "parse_globals.h"

#include "listen_addr.h"

namespace sipnat::config {

namespace {

// Reads a bare integer value and checks it against [lo, hi].
int int_value(TokenStream &ts, const Token &v, const char *name, long lo, long hi) {
    const std::string &w = v.text;
    size_t k = (w.size() > 1 && w[0] == '-') ? 1 : 0;
    bool digits = v.kind == Tok::Word && k < w.size();
    long n = 0;
    bool big = false;
    for (size_t i = k; digits && i < w.size(); i++) {
        if (w[i] < '0' || w[i] > '9') digits = false;
        else if (n > 1000000) big = true; // far out of every range; stop before overflow
        else n = n * 10 + (w[i] - '0');
    }
    if (!digits) ts.fail_expected("an integer", v);
    if (k) n = -n;
    if (big || n < lo || n > hi)
        ts.fail_at(v, std::string(name) + " " + clip_for_message(w) + " out of range (" + std::to_string(lo) + "-" +
                          std::to_string(hi) + ")");
    return static_cast<int>(n);
}

void listen_value(TokenStream &ts, const Token &v, Config &cfg) {
    if (v.kind != Tok::Word && v.kind != Tok::Str) ts.fail_expected("a listen address (udp:IP[:PORT])", v);
    ListenAddr a;
    ListenValueError e;
    if (!parse_listen_value(v.text, a, e)) {
        // Offsets count source bytes on the value's line. A quoted value whose
        // escapes or newlines break that mapping is reported at its opening quote.
        if (v.kind == Tok::Str && (v.str_raw_differs || v.text.find('\n') != std::string::npos))
            ts.fail_at(v, e.message);
        int skip = v.kind == Tok::Str ? 1 : 0;
        ts.fail_at(v.line, v.col + skip + static_cast<int>(e.offset), e.message);
    }
    a.pos = ts.pos(v);
    cfg.listen.push_back(std::move(a));
}

} // namespace

bool is_global_name(std::string_view name) {
    return name == "listen" || name == "children" || name == "log_level" || name == "mpath" || name == "alias";
}

void parse_global(TokenStream &ts, Config &cfg) {
    Token name = ts.take();
    ts.expect(Tok::Assign);
    Token v = ts.take_value();
    const std::string &n = name.text;
    if (n == "listen") {
        listen_value(ts, v, cfg);
    } else if (n == "children") {
        cfg.children = int_value(ts, v, "children", 1, 1024);
        cfg.children_pos = ts.pos(v);
    } else if (n == "log_level") {
        cfg.log_level = int_value(ts, v, "log_level", 1, 5);
        cfg.log_level_pos = ts.pos(v);
    } else if (n == "mpath") {
        if (v.kind != Tok::Str) ts.fail_expected("a string", v);
        cfg.mpath = v.text;
        cfg.mpath_pos = ts.pos(v);
    } else { // alias
        if ((v.kind != Tok::Word && v.kind != Tok::Str) || v.text.empty()) ts.fail_expected("a host name", v);
        cfg.aliases.emplace_back(v.text, ts.pos(v));
    }
    ts.accept(Tok::Semi);
}

} // namespace sipnat::config
