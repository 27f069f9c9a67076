#include "xlog_format.h"

#include <sipnat/module.h>

namespace sipnat::script {

namespace {

bool ident_start(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool ident_char(char c) {
    return ident_start(c) || (c >= '0' && c <= '9');
}

void add_literal(XlogFormat *out, std::string_view s) {
    if (s.empty()) return;
    if (!out->segs.empty() && !out->segs.back().is_pv) {
        out->segs.back().lit.append(s);
        return;
    }
    XlogSegment seg;
    seg.lit.assign(s);
    out->segs.push_back(std::move(seg));
}

} // namespace

bool compile_xlog_format(std::string_view fmt, VarTable &vars, XlogFormat *out, std::string *err) {
    XlogFormat f;
    if (!fmt.empty() && fmt.back() == '\n') fmt.remove_suffix(1);
    size_t lit_start = 0, i = 0;
    while (i < fmt.size()) {
        if (fmt[i] != '$' || i + 1 >= fmt.size() || !ident_start(fmt[i + 1])) {
            i++;
            continue;
        }
        add_literal(&f, fmt.substr(lit_start, i - lit_start));
        size_t start = i++;
        size_t name_start = i;
        while (i < fmt.size() && ident_char(fmt[i])) i++;
        std::string_view name = fmt.substr(name_start, i - name_start);
        std::string_view inner;
        bool has_inner = false;
        if (i < fmt.size() && fmt[i] == '(') {
            // Same rule as the lexer: the name runs to the matching ')'.
            size_t inner_start = ++i;
            int depth = 1;
            while (i < fmt.size()) {
                if (fmt[i] == '(') depth++;
                if (fmt[i] == ')' && --depth == 0) break;
                i++;
            }
            if (i >= fmt.size()) {
                std::string shown(fmt.substr(start, 40));
                *err = "unterminated pseudo-variable '" + shown + "' in xlog format";
                return false;
            }
            inner = fmt.substr(inner_start, i - inner_start);
            has_inner = true;
            i++; // ')'
        }
        XlogSegment seg;
        seg.is_pv = true;
        if (!resolve_pv(name, inner, has_inner, fmt.substr(start, i - start), vars, &seg.pv, err))
            return false;
        f.segs.push_back(std::move(seg));
        lit_start = i;
    }
    add_literal(&f, fmt.substr(lit_start));
    *out = std::move(f);
    return true;
}

bool xlog_level(std::string_view name, int *level) {
    struct L {
        const char *name;
        int level;
    };
    static constexpr L kLevels[] = {
        {"L_ALERT", SIPNAT_L_ERR}, {"L_CRIT", SIPNAT_L_ERR},      {"L_ERR", SIPNAT_L_ERR},
        {"L_WARN", SIPNAT_L_WARN}, {"L_NOTICE", SIPNAT_L_NOTICE}, {"L_INFO", SIPNAT_L_INFO},
        {"L_DBG", SIPNAT_L_DBG},
    };
    for (const L &l : kLevels) {
        if (name == l.name) {
            *level = l.level;
            return true;
        }
    }
    return false;
}

} // namespace sipnat::script
