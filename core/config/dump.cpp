// S-expression rendering: see dump.h.
#include "dump.h"

#include <cstdio>

namespace sipnat::config {

namespace {

std::string quoted(const std::string &s) {
    std::string out = "\"";
    for (unsigned char c : s) {
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
            if (c < 0x20 || c >= 0x7f) {
                char buf[8];
                snprintf(buf, sizeof buf, "\\x%02x", c);
                out += buf;
            } else {
                out += static_cast<char>(c);
            }
        }
    }
    return out + "\"";
}

std::string arg_sexpr(const Arg &a) {
    switch (a.kind) {
    case Arg::Int: return std::to_string(a.i);
    case Arg::Str: return quoted(a.s);
    case Arg::PVar: return a.pv.text;
    }
    return "?";
}

std::string call_sexpr(const Call &c) {
    std::string out = "(call " + c.name;
    for (const Arg &a : c.args) out += " " + arg_sexpr(a);
    return out + ")";
}

std::string list_sexpr(const char *head, const std::vector<Stmt> &body) {
    std::string out = std::string("(") + head;
    for (const Stmt &s : body) out += " " + to_sexpr(s);
    return out + ")";
}

} // namespace

std::string to_sexpr(const Expr &e) {
    const char *op = nullptr;
    switch (e.kind) {
    case ExprKind::Int: return std::to_string(e.i);
    case ExprKind::Str: return quoted(e.s);
    case ExprKind::PVar: return e.pv.text;
    case ExprKind::Keyword: return "(kw " + e.s + ")";
    case ExprKind::Call: return call_sexpr(e.call);
    case ExprKind::Not: op = "!"; break;
    case ExprKind::And: op = "&&"; break;
    case ExprKind::Or: op = "||"; break;
    case ExprKind::Cmp: op = cmp_op_text(e.op); break;
    }
    std::string out = std::string("(") + op;
    for (const Expr &k : e.kids) out += " " + to_sexpr(k);
    return out + ")";
}

std::string to_sexpr(const Stmt &s) {
    switch (s.kind) {
    case StmtKind::Call: return call_sexpr(s.call);
    case StmtKind::If: {
        std::string out = "(if " + to_sexpr(s.expr) + " " + list_sexpr("then", s.then_body);
        if (!s.else_body.empty()) out += " " + list_sexpr("else", s.else_body);
        return out + ")";
    }
    case StmtKind::Assign: return "(= " + s.lhs.text + " " + to_sexpr(s.expr) + ")";
    case StmtKind::Route: return s.target.empty() ? "(route)" : "(route " + s.target + ")";
    case StmtKind::Return: return s.has_value ? "(return " + std::to_string(s.value) + ")" : "(return)";
    case StmtKind::Exit: return "(exit)";
    case StmtKind::Drop: return "(drop)";
    }
    return "?";
}

std::string to_sexpr(const RouteBlock &b) { return list_sexpr(route_label(b.type, b.name).c_str(), b.body); }

} // namespace sipnat::config
