// Statements and expressions inside route blocks. Recursive descent; every
// recursive entry point holds a DepthGuard so depth stays <= kMaxNesting.
//
//   stmt    := ';' | call ';' | 'if' '(' or ')' body ['else' (if-stmt | body)]
//            | pvar '=' or ';' | 'route' '(' name ')' ';'
//            | 'return' ['(' int ')'] ';' | 'exit' ';' | 'drop' ';'
//   body    := '{' stmt* '}' | stmt
//   or      := and ('||' and)*        (flattened into one n-ary node)
//   and     := cmp ('&&' cmp)*        (flattened into one n-ary node)
//   cmp     := unary [cmpop unary]    (no chaining: a == b == c is an error)
//   unary   := '!' unary | '(' or ')' | primary
//   primary := int | string | pvar | ident '(' args ')' | ident (keyword)
#include "parse_script.h"

namespace sipnat::config {

namespace {

Stmt parse_stmt(TokenStream &ts);
Expr parse_or(TokenStream &ts);

PseudoVar make_pvar(TokenStream &ts, const Token &t) {
    PseudoVar pv;
    pv.text = t.text;
    pv.name = t.pv_name;
    pv.inner = t.pv_inner;
    pv.has_inner = t.pv_has_inner;
    pv.pos = ts.pos(t);
    return pv;
}

Arg parse_arg(TokenStream &ts) {
    Token t = ts.take();
    Arg a;
    a.pos = ts.pos(t);
    switch (t.kind) {
    case Tok::Int:
        a.kind = Arg::Int;
        a.i = t.ival;
        break;
    case Tok::Str:
        a.kind = Arg::Str;
        a.s = std::move(t.text);
        break;
    case Tok::PVar:
        a.kind = Arg::PVar;
        a.pv = make_pvar(ts, t);
        break;
    default: ts.fail_expected("a string, integer or pseudo-variable", t);
    }
    return a;
}

// Parses "(arg, ...)" after the function name `name`.
Call parse_call(TokenStream &ts, const Token &name) {
    Call c;
    c.name = name.text;
    c.pos = ts.pos(name);
    ts.expect(Tok::LParen);
    if (ts.accept(Tok::RParen)) return c;
    for (;;) {
        const Token &at = ts.peek();
        if (c.args.size() == static_cast<size_t>(kMaxArgs))
            ts.fail_at(at, "too many arguments to " + quote_for_message(c.name, '\'') + " (at most " +
                               std::to_string(kMaxArgs) + ")");
        c.args.push_back(parse_arg(ts));
        Token sep = ts.take();
        if (sep.kind == Tok::RParen) return c;
        if (sep.kind != Tok::Comma) ts.fail_expected("',' or ')'", sep);
    }
}

bool cmp_op(Tok k, CmpOp &op) {
    switch (k) {
    case Tok::Eq: op = CmpOp::Eq; return true;
    case Tok::Ne: op = CmpOp::Ne; return true;
    case Tok::Match: op = CmpOp::Match; return true;
    case Tok::Gt: op = CmpOp::Gt; return true;
    case Tok::Lt: op = CmpOp::Lt; return true;
    case Tok::Ge: op = CmpOp::Ge; return true;
    case Tok::Le: op = CmpOp::Le; return true;
    default: return false;
    }
}

Expr parse_primary(TokenStream &ts) {
    Token t = ts.take();
    Expr e;
    e.pos = ts.pos(t);
    switch (t.kind) {
    case Tok::Int:
        e.kind = ExprKind::Int;
        e.i = t.ival;
        break;
    case Tok::Str:
        e.kind = ExprKind::Str;
        e.s = std::move(t.text);
        break;
    case Tok::PVar:
        e.kind = ExprKind::PVar;
        e.pv = make_pvar(ts, t);
        break;
    case Tok::Ident:
        if (ts.peek().kind == Tok::LParen) {
            e.kind = ExprKind::Call;
            e.call = parse_call(ts, t);
        } else {
            e.kind = ExprKind::Keyword; // method, uri, status, src_ip...: the compiler checks the name
            e.s = std::move(t.text);
        }
        break;
    default: ts.fail_expected("an expression", t);
    }
    return e;
}

Expr parse_unary(TokenStream &ts) {
    DepthGuard guard(ts, ts.peek());
    if (ts.peek().kind == Tok::Not) {
        Expr e;
        e.kind = ExprKind::Not;
        e.pos = ts.pos(ts.take());
        e.kids.push_back(parse_unary(ts));
        return e;
    }
    if (ts.accept(Tok::LParen)) {
        Expr e = parse_or(ts);
        ts.expect(Tok::RParen);
        return e;
    }
    return parse_primary(ts);
}

Expr parse_cmp(TokenStream &ts) {
    Expr lhs = parse_unary(ts);
    CmpOp op;
    if (!cmp_op(ts.peek().kind, op)) return lhs;
    Expr e;
    e.kind = ExprKind::Cmp;
    e.op = op;
    e.pos = ts.pos(ts.take());
    e.kids.push_back(std::move(lhs));
    e.kids.push_back(parse_unary(ts));
    return e;
}

// One n-ary node for a chain of `op`, so long chains add no depth.
template <Expr (*Operand)(TokenStream &)>
Expr parse_chain(TokenStream &ts, Tok op, ExprKind kind) {
    Expr first = Operand(ts);
    if (ts.peek().kind != op) return first;
    Expr e;
    e.kind = kind;
    e.pos = ts.pos(ts.peek());
    e.kids.push_back(std::move(first));
    while (ts.accept(op)) e.kids.push_back(Operand(ts));
    return e;
}

Expr parse_and(TokenStream &ts) { return parse_chain<parse_cmp>(ts, Tok::And, ExprKind::And); }
Expr parse_or(TokenStream &ts) { return parse_chain<parse_and>(ts, Tok::Or, ExprKind::Or); }

// An if/else branch: a braced block, a lone ';', or one statement.
std::vector<Stmt> parse_body(TokenStream &ts) {
    if (ts.peek().kind == Tok::LBrace) return parse_block(ts);
    std::vector<Stmt> body;
    if (ts.accept(Tok::Semi)) return body;
    body.push_back(parse_stmt(ts));
    return body;
}

void parse_if(TokenStream &ts, Stmt &s) {
    s.kind = StmtKind::If;
    ts.take(); // 'if'
    ts.expect(Tok::LParen);
    s.expr = parse_or(ts);
    ts.expect(Tok::RParen);
    s.then_body = parse_body(ts);
    if (!ts.accept_ident("else")) return;
    if (ts.peek_ident("if"))
        s.else_body.push_back(parse_stmt(ts)); // else-if: nested If, counted by its own guard
    else
        s.else_body = parse_body(ts);
}

Stmt parse_stmt(TokenStream &ts) {
    Token t = ts.peek();
    DepthGuard guard(ts, t);
    Stmt s;
    s.pos = ts.pos(t);
    if (t.kind == Tok::PVar) {
        ts.take();
        s.kind = StmtKind::Assign;
        s.lhs = make_pvar(ts, t);
        ts.expect(Tok::Assign);
        s.expr = parse_or(ts);
        ts.expect(Tok::Semi);
        return s;
    }
    if (t.kind != Tok::Ident) ts.fail_expected("a statement", t);
    if (t.text == "if") {
        parse_if(ts, s);
        return s;
    }
    if (t.text == "else") ts.fail_at(t, "expected a statement, found 'else'"); // an else with no if before it
    ts.take();
    if (t.text == "route") {
        s.kind = StmtKind::Route;
        ts.expect(Tok::LParen);
        s.target = parse_route_name(ts);
        if (s.target == "0") s.target = ""; // route(0) is the main route, as route[0] is
        ts.expect(Tok::RParen);
    } else if (t.text == "return") {
        s.kind = StmtKind::Return;
        if (ts.accept(Tok::LParen)) {
            Token v = ts.take();
            if (v.kind != Tok::Int) ts.fail_expected("an integer", v);
            s.has_value = true;
            s.value = v.ival;
            ts.expect(Tok::RParen);
        }
    } else if (t.text == "exit") {
        s.kind = StmtKind::Exit;
    } else if (t.text == "drop") {
        s.kind = StmtKind::Drop;
    } else {
        s.kind = StmtKind::Call;
        s.call = parse_call(ts, t);
    }
    ts.expect(Tok::Semi);
    return s;
}

} // namespace

std::string parse_route_name(TokenStream &ts) {
    Token t = ts.take();
    if (t.kind == Tok::Ident) return t.text;
    if (t.kind == Tok::Int && t.ival >= 0) return std::to_string(t.ival);
    ts.fail_expected("a route name", t);
}

std::vector<Stmt> parse_block(TokenStream &ts) {
    ts.expect(Tok::LBrace);
    std::vector<Stmt> body;
    for (;;) {
        const Token &t = ts.peek();
        if (t.kind == Tok::RBrace) break;
        if (t.kind == Tok::Eof) ts.fail_expected("'}'", t);
        if (t.kind == Tok::Semi) {
            ts.take(); // stray empty statement
            continue;
        }
        body.push_back(parse_stmt(ts));
    }
    ts.take();
    return body;
}

} // namespace sipnat::config
