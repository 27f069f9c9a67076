// Syntax tree of a parsed config file. Plain data, built once at start by the
// parser and walked once by the script compiler / module loader; nothing here
// depends on the lexer, so consumers include only this header.
//
// Node style: expressions and statements are tagged structs (a `kind` enum plus
// the fields that kind uses, documented per field) holding children in
// std::vector. This keeps walking code a plain switch with no std::visit, and
// a whole Config stays copyable/movable. Depth is bounded by the parser
// (kMaxNesting), so recursive walks and destructors are safe.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace sipnat::config {

// Where something was written. `file` is shared by every Pos of one file, so
// positions stay valid however the Config is copied or moved.
struct Pos {
    std::shared_ptr<const std::string> file;
    int line = 0; // 1-based
    int col = 0;  // 1-based, counted in bytes
    // Returns "file:line:col" (file is "?" when unset).
    std::string str() const;
};

// A modparam value: the loader checks the kind against what the module wants
// and reports mismatches at `pos`.
struct Value {
    enum Kind { Int, Str };
    Kind kind = Int;
    long i = 0;    // Int
    std::string s; // Str (unescaped)
    Pos pos;
};

// `listen = udp:IP[:PORT]`, validated.
struct ListenAddr {
    std::string proto; // always "udp" for now
    std::string ip;    // as written, without IPv6 brackets
    int family = 0;    // AF_INET or AF_INET6
    uint16_t port = 5060;
    Pos pos; // start of the value
};

struct LoadModule {
    std::string path;
    Pos pos; // the `loadmodule` keyword
};

struct ModParam {
    std::string module, param;
    Value value;
    Pos pos; // the `modparam` keyword
};

// `$name` or `$name(inner)`. Writability and meaning are the compiler's job.
struct PseudoVar {
    std::string text;       // as written, e.g. "$avp(s:foo)"
    std::string name;       // "avp"
    std::string inner;      // "s:foo"; empty without parentheses
    bool has_inner = false; // tells "$x()" from "$x"
    Pos pos;                // the '$'
};

// A function argument: string literal, integer literal or pseudo-variable.
struct Arg {
    enum Kind { Int, Str, PVar };
    Kind kind = Int;
    long i = 0;    // Int
    std::string s; // Str (unescaped, `$` sequences left raw for the compiler)
    PseudoVar pv;  // PVar
    Pos pos;
};

// `name(arg, ...)`, 0..kMaxArgs arguments, as a statement or an operand.
struct Call {
    std::string name;
    std::vector<Arg> args;
    Pos pos; // the name
};

inline constexpr int kMaxArgs = 6;
inline constexpr int kMaxNesting = 256;

enum class ExprKind {
    Int,     // i
    Str,     // s
    PVar,    // pv
    Keyword, // s = bare word used OpenSER-style: method, uri, status, src_ip, ...
    Call,    // call
    Not,     // kids[0]
    And,     // kids: 2+ operands, left to right (chains are flattened)
    Or,      // kids: 2+ operands, left to right (chains are flattened)
    Cmp,     // kids[0] op kids[1]
};

enum class CmpOp { Eq, Ne, Match, Gt, Lt, Ge, Le };

struct Expr {
    ExprKind kind = ExprKind::Int;
    // Literals, pvars, keywords, calls: their first byte. Not/And/Or/Cmp: the
    // (first) operator, where type errors are best reported.
    Pos pos;
    long i = 0;
    std::string s;
    PseudoVar pv;
    Call call;
    CmpOp op = CmpOp::Eq;
    std::vector<Expr> kids;
};

enum class StmtKind {
    Call,   // call;
    If,     // if (expr) then_body [else else_body]
    Assign, // lhs = expr;
    Route,  // route(target);
    Return, // return; / return(value);
    Exit,   // exit;
    Drop,   // drop;
};

struct Stmt {
    StmtKind kind = StmtKind::Call;
    Pos pos; // first token of the statement
    Call call;
    Expr expr;     // If: condition; Assign: right-hand side
    PseudoVar lhs; // Assign
    // If. An unbraced body is a one-element vector; `else if` is an else_body
    // holding exactly one If.
    std::vector<Stmt> then_body, else_body;
    std::string target;     // Route: route name ("" = the main route)
    bool has_value = false; // Return
    long value = 0;         // Return
};

enum class RouteType { Request, OnReply, Failure, Branch };

struct RouteBlock {
    RouteType type = RouteType::Request;
    // "" for the main route / main onreply_route (route[0] is normalised to "").
    // Integer names are stored in decimal ("007" -> "7").
    std::string name;
    std::vector<Stmt> body;
    Pos pos; // the block keyword
};

// A whole config file. Repeated scalar globals: the last one wins.
struct Config {
    std::vector<ListenAddr> listen;
    int children = 0; // 0 = not set
    Pos children_pos;
    int log_level = 0; // 0 = not set; 1 err .. 5 debug
    Pos log_level_pos;
    std::string mpath; // "" = not set
    Pos mpath_pos;
    std::vector<std::pair<std::string, Pos>> aliases; // "host" or "host:port"
    std::vector<LoadModule> modules;
    std::vector<ModParam> modparams;
    std::vector<RouteBlock> routes; // in file order
};

// Returns the keyword that opens a block of this type ("route", "onreply_route", ...).
const char *route_type_keyword(RouteType t);
// Returns the operator as written ("==", "=~", ...).
const char *cmp_op_text(CmpOp op);
// Returns "route", "route[foo]", "failure_route[1]": how messages name a block.
std::string route_label(RouteType t, const std::string &name);

} // namespace sipnat::config
