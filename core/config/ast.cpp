// Small helpers that name AST pieces in messages.
#include "ast.h"

namespace sipnat::config {

std::string Pos::str() const {
    return (file ? *file : std::string("?")) + ":" + std::to_string(line) + ":" + std::to_string(col);
}

const char *route_type_keyword(RouteType t) {
    switch (t) {
    case RouteType::Request: return "route";
    case RouteType::OnReply: return "onreply_route";
    case RouteType::Failure: return "failure_route";
    case RouteType::Branch: return "branch_route";
    }
    return "?";
}

const char *cmp_op_text(CmpOp op) {
    switch (op) {
    case CmpOp::Eq: return "==";
    case CmpOp::Ne: return "!=";
    case CmpOp::Match: return "=~";
    case CmpOp::Gt: return ">";
    case CmpOp::Lt: return "<";
    case CmpOp::Ge: return ">=";
    case CmpOp::Le: return "<=";
    }
    return "?";
}

std::string route_label(RouteType t, const std::string &name) {
    std::string s = route_type_keyword(t);
    if (!name.empty()) s += "[" + name + "]";
    return s;
}

} // namespace sipnat::config
