#include "pvar.h"

namespace sipnat::script {

namespace {

struct PvName {
    const char *name;
    Pv pv;
};

// Case matters: $ru and $rU are different variables, as in OpenSIPS.
constexpr PvName kNames[] = {
    {"rm", Pv::Rm},       {"ru", Pv::Ru},   {"rU", Pv::RU},   {"rd", Pv::Rd},   {"rp", Pv::Rp},
    {"si", Pv::Si},       {"sp", Pv::Sp},   {"ci", Pv::Ci},   {"fu", Pv::Fu},   {"tu", Pv::Tu},
    {"ft", Pv::Ft},       {"tt", Pv::Tt},   {"ua", Pv::Ua},   {"rs", Pv::Rs},   {"rr", Pv::Rr},
    {"proto", Pv::Proto}, {"hdr", Pv::Hdr}, {"avp", Pv::Avp}, {"var", Pv::Var},
};

bool is_alnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// AVP and $var names end up as C strings in the host and in log lines: keep them plain.
bool valid_var_name(std::string_view s) {
    if (s.empty()) return false;
    for (char c : s)
        if (!is_alnum(c) && c != '_' && c != '-' && c != '.') return false;
    return true;
}

// RFC 3261 token: what a header name may be made of.
bool valid_header_name(std::string_view s) {
    if (s.empty()) return false;
    for (char c : s) {
        if (is_alnum(c)) continue;
        switch (c) {
        case '-':
        case '.':
        case '!':
        case '%':
        case '*':
        case '_':
        case '+':
        case '`':
        case '\'':
        case '~':
            continue;
        default:
            return false;
        }
    }
    return true;
}

std::string quoted(std::string_view s) {
    // Names come from config text the parser already limited to one line; keep messages short anyway.
    std::string q = "'";
    if (s.size() > 60) {
        q.append(s.substr(0, 60));
        q += "...";
    } else {
        q.append(s);
    }
    return q + "'";
}

} // namespace

uint32_t VarTable::slot(std::string_view name) {
    auto it = index_.find(std::string(name));
    if (it != index_.end()) return it->second;
    uint32_t s = static_cast<uint32_t>(names_.size());
    names_.emplace_back(name);
    index_.emplace(names_.back(), s);
    return s;
}

bool resolve_pv(std::string_view name, std::string_view inner, bool has_inner, std::string_view text,
                VarTable &vars, PvRef *out, std::string *err) {
    const PvName *found = nullptr;
    for (const PvName &n : kNames)
        if (name == n.name) found = &n;
    if (!found) {
        *err = "unknown pseudo-variable " + quoted(text);
        return false;
    }
    PvRef r;
    r.pv = found->pv;
    r.text = std::string(text);
    const std::string shown = "'$" + std::string(name) + "'";
    switch (r.pv) {
    case Pv::Hdr:
        if (!has_inner || inner.empty()) {
            *err = "pseudo-variable " + shown + " needs a header name, as in $hdr(Name)";
            return false;
        }
        if (!valid_header_name(inner)) {
            *err = "invalid header name " + quoted(inner) + " in " + quoted(text);
            return false;
        }
        r.arg = std::string(inner);
        break;
    case Pv::Avp:
    case Pv::Var: {
        std::string_view n = inner;
        // Older OpenSIPS/OpenSER configs write $avp(s:name) for a string-named AVP.
        if (r.pv == Pv::Avp && n.size() >= 2 && n[1] == ':') {
            if (n[0] == 's') {
                n.remove_prefix(2);
            } else if (n[0] == 'i') {
                *err = "integer AVP names are not supported in " + quoted(text) + "; use a string name";
                return false;
            }
        }
        if (!has_inner || n.empty()) {
            *err = "pseudo-variable " + shown + " needs a name, as in $" + std::string(name) + "(name)";
            return false;
        }
        if (!valid_var_name(n)) {
            *err =
                "invalid name " + quoted(n) + " in " + quoted(text) + " (use letters, digits, '_', '-', '.')";
            return false;
        }
        r.arg = std::string(n);
        if (r.pv == Pv::Var) r.slot = vars.slot(n);
        break;
    }
    default:
        if (has_inner) {
            *err = "pseudo-variable " + shown + " takes no name in parentheses";
            return false;
        }
        break;
    }
    *out = std::move(r);
    return true;
}

bool pv_writable(Pv pv) {
    return pv == Pv::Avp || pv == Pv::Var;
}

const char *pv_name(Pv pv) {
    for (const PvName &n : kNames)
        if (n.pv == pv) return n.name;
    return "?";
}

} // namespace sipnat::script
