#include "compile.h"

#include <algorithm>
#include <atomic>
#include <climits>
#include <map>

#include "log/log.h"

namespace sipnat::script {

namespace {

using config::Pos;
using config::RouteType;

unsigned type_bit(RouteType t) {
    switch (t) {
    case RouteType::Request:
        return SIPNAT_ROUTE_REQUEST;
    case RouteType::OnReply:
        return SIPNAT_ROUTE_ONREPLY;
    case RouteType::Failure:
        return SIPNAT_ROUTE_FAILURE;
    case RouteType::Branch:
        return SIPNAT_ROUTE_BRANCH;
    }
    return 0;
}

constexpr RouteType kTypes[] = {RouteType::Request, RouteType::OnReply, RouteType::Failure,
                                RouteType::Branch};

// "route, onreply_route" for a route_mask; "none" when empty.
std::string mask_text(unsigned mask) {
    std::string s;
    for (RouteType t : kTypes) {
        if (!(mask & type_bit(t))) continue;
        if (!s.empty()) s += ", ";
        s += config::route_type_keyword(t);
    }
    return s.empty() ? "none" : s;
}

std::string quoted(const std::string &s) {
    return "'" + (s.size() > 60 ? s.substr(0, 60) + "..." : s) + "'";
}

// "takes 1 argument", "takes no arguments", "takes 1 to 2 arguments".
std::string arg_range(int lo, int hi) {
    if (lo == hi) {
        if (lo == 0) return "takes no arguments";
        return "takes " + std::to_string(lo) + (lo == 1 ? " argument" : " arguments");
    }
    return "takes " + std::to_string(lo) + " to " + std::to_string(hi) + " arguments";
}

struct Keyword {
    const char *word;
    Pv pv;
};
// OpenSER-style bare words, each an alias of a pseudo-variable.
constexpr Keyword kKeywords[] = {
    {"method", Pv::Rm}, {"uri", Pv::Ru},      {"status", Pv::Rs},
    {"src_ip", Pv::Si}, {"src_port", Pv::Sp}, {"proto", Pv::Proto},
};

std::atomic<uint64_t> g_next_id{1};

} // namespace

// Friend of Program: fills it in place. The first error stops compilation.
class Compiler {
public:
    Compiler(const config::Config &cfg, const FunctionResolver &fr, const sipnat_host *host, Program &p)
        : cfg_(cfg), fr_(fr), host_(host), p_(p) {}

    bool run() {
        if (!index_blocks()) return false;
        for (size_t i = 0; i < cfg_.routes.size(); i++) {
            cur_ = static_cast<uint32_t>(i);
            if (!stmts(cfg_.routes[i].body, p_.blocks_[i].body)) return false;
        }
        compute_masks();
        if (!check_masks()) return false;
        p_.var_names_.reserve(vars_.size());
        for (uint32_t i = 0; i < vars_.size(); i++) p_.var_names_.push_back(vars_.name(i));
        p_.scratch_slots_ = std::max<uint32_t>(1, scratch_);
        p_.id_ = g_next_id.fetch_add(1, std::memory_order_relaxed);
        return true;
    }

    const std::string &error() const { return err_; }

private:
    // What mask checking needs to know about one block.
    struct Uses {
        std::vector<uint32_t> calls;   // call sites written in the block, in source order
        std::vector<uint32_t> targets; // blocks it calls with route()
    };

    bool fail(const Pos &pos, const std::string &msg) {
        err_ = pos.str() + ": " + msg;
        return false;
    }

    bool index_blocks() {
        p_.blocks_.resize(cfg_.routes.size());
        uses_.resize(cfg_.routes.size());
        std::map<std::pair<int, std::string>, uint32_t> seen;
        for (size_t i = 0; i < cfg_.routes.size(); i++) {
            const config::RouteBlock &rb = cfg_.routes[i];
            Block &b = p_.blocks_[i];
            b.type = rb.type;
            b.name = rb.name;
            b.pos = rb.pos;
            uint32_t idx = static_cast<uint32_t>(i);
            // The parser rejects duplicates already; a Config built some other way must not slip through.
            auto [it, fresh] = seen.try_emplace({static_cast<int>(rb.type), rb.name}, idx);
            if (!fresh)
                return fail(rb.pos, "duplicate " + config::route_label(rb.type, rb.name) +
                                        " (first defined at " + cfg_.routes[it->second].pos.str() + ")");
            if (rb.type == RouteType::Request) {
                request_by_name_[rb.name] = idx;
                if (rb.name.empty()) p_.main_request_ = idx;
            } else if (rb.type == RouteType::OnReply && rb.name.empty()) {
                p_.main_reply_ = idx;
            }
        }
        return true;
    }

    bool stmts(const std::vector<config::Stmt> &in, std::vector<CStmt> &out) {
        out.reserve(in.size());
        for (const config::Stmt &s : in) {
            out.emplace_back();
            if (!stmt(s, out.back())) return false;
        }
        return true;
    }

    bool stmt(const config::Stmt &s, CStmt &c) {
        c.pos = s.pos;
        uint32_t need = 0;
        switch (s.kind) {
        case config::StmtKind::Call:
            c.op = StmtOp::Call;
            return call(s.call, &c.index);
        case config::StmtKind::If:
            c.op = StmtOp::If;
            if (!expr(s.expr, c.expr, &need)) return false;
            scratch_ = std::max(scratch_, need);
            return stmts(s.then_body, c.then_body) && stmts(s.else_body, c.else_body);
        case config::StmtKind::Assign:
            c.op = StmtOp::Assign;
            if (!resolve_pv(s.lhs.name, s.lhs.inner, s.lhs.has_inner, s.lhs.text, vars_, &c.lhs, &msg_))
                return fail(s.lhs.pos, msg_);
            if (!pv_writable(c.lhs.pv))
                return fail(s.lhs.pos, "cannot assign to read-only pseudo-variable " + quoted(s.lhs.text) +
                                           " (only $avp(name) and $var(name) are writable)");
            if (!expr(s.expr, c.expr, &need)) return false;
            scratch_ = std::max(scratch_, need);
            return true;
        case config::StmtKind::Route: {
            c.op = StmtOp::Route;
            auto it = request_by_name_.find(s.target);
            if (it == request_by_name_.end()) {
                if (s.target.empty())
                    return fail(s.pos, "route(0) calls the main route, but there is no route{}");
                return fail(s.pos,
                            "unknown route " + quoted(s.target) + " (no route[" + s.target + "] block)");
            }
            c.index = it->second;
            uses_[cur_].targets.push_back(it->second);
            return true;
        }
        case config::StmtKind::Return:
            c.op = StmtOp::Return;
            c.value = s.has_value ? static_cast<int>(std::clamp<long>(s.value, INT_MIN, INT_MAX)) : 1;
            return true;
        case config::StmtKind::Exit:
            c.op = StmtOp::Exit;
            return true;
        case config::StmtKind::Drop:
            c.op = StmtOp::Drop;
            return true;
        }
        return fail(s.pos, "unsupported statement");
    }

    // Compiles e into c; *need = scratch buffers its evaluation uses (see Program::scratch_slots).
    bool expr(const config::Expr &e, CExpr &c, uint32_t *need) {
        *need = 0;
        switch (e.kind) {
        case config::ExprKind::Int:
            c.op = ExprOp::Int;
            c.i = e.i;
            return true;
        case config::ExprKind::Str:
            c.op = ExprOp::Str;
            c.s = e.s;
            return true;
        case config::ExprKind::PVar:
            c.op = ExprOp::Pv;
            *need = 1;
            if (!resolve_pv(e.pv.name, e.pv.inner, e.pv.has_inner, e.pv.text, vars_, &c.pv, &msg_))
                return fail(e.pv.pos, msg_);
            return true;
        case config::ExprKind::Keyword:
            for (const Keyword &k : kKeywords) {
                if (e.s == k.word) {
                    c.op = ExprOp::Pv;
                    c.pv.pv = k.pv;
                    c.pv.text = e.s;
                    *need = 1;
                    return true;
                }
            }
            return fail(e.pos, "unknown keyword " + quoted(e.s));
        case config::ExprKind::Call:
            c.op = ExprOp::Call;
            return call(e.call, &c.index);
        case config::ExprKind::Not:
        case config::ExprKind::And:
        case config::ExprKind::Or:
            c.op = e.kind == config::ExprKind::Not   ? ExprOp::Not
                   : e.kind == config::ExprKind::And ? ExprOp::And
                                                     : ExprOp::Or;
            if (e.kids.empty() || (c.op == ExprOp::Not && e.kids.size() != 1))
                return fail(e.pos, "malformed expression");
            c.kids.resize(e.kids.size());
            for (size_t k = 0; k < e.kids.size(); k++) {
                uint32_t n;
                if (!expr(e.kids[k], c.kids[k], &n)) return false;
                *need = std::max(*need, n);
            }
            return true;
        case config::ExprKind::Cmp: {
            c.op = ExprOp::Cmp;
            c.cmp = e.op;
            if (e.kids.size() != 2) return fail(e.pos, "malformed comparison");
            c.kids.resize(2);
            uint32_t nl, nr;
            if (!expr(e.kids[0], c.kids[0], &nl) || !expr(e.kids[1], c.kids[1], &nr)) return false;
            // The left value is held in the first buffer while the right one is computed in the next ones.
            *need = std::max(nl, nr + 1);
            if (e.op == config::CmpOp::Match) return literal_regex(e.kids[1], c);
            return true;
        }
        }
        return fail(e.pos, "unsupported expression");
    }

    // For `x =~ "literal"`: compile the pattern now, so a bad one fails start-up at its position.
    bool literal_regex(const config::Expr &rhs, CExpr &c) {
        std::string pattern;
        if (rhs.kind == config::ExprKind::Str)
            pattern = rhs.s;
        else if (rhs.kind == config::ExprKind::Int)
            pattern = std::to_string(rhs.i);
        else
            return true; // computed at run time, through the State's cache
        LiteralRegex lr;
        lr.pattern = pattern;
        lr.re = std::make_unique<Regex>();
        if (!lr.re->compile(pattern, &msg_)) return fail(rhs.pos, msg_);
        c.index = static_cast<uint32_t>(p_.regexes_.size());
        p_.regexes_.push_back(std::move(lr));
        return true;
    }

    bool call(const config::Call &cl, uint32_t *index) {
        if (cl.name == "xlog") return xlog(cl, index);
        std::string owner;
        const sipnat_func_export *fe = fr_.find(cl.name, &owner);
        if (!fe) return fail(cl.pos, "unknown function " + quoted(cl.name));
        const std::string fn = "function " + quoted(cl.name);
        if (!fe->handler) return fail(cl.pos, fn + " has no handler (module '" + owner + "')");
        if (fe->min_args < 0 || fe->max_args < fe->min_args || fe->max_args > SIPNAT_MAX_FUNC_ARGS)
            return fail(cl.pos, fn + " declares a bad argument count (module '" + owner + "')");
        int argc = static_cast<int>(cl.args.size());
        if (argc < fe->min_args || argc > fe->max_args)
            return fail(cl.pos,
                        fn + " " + arg_range(fe->min_args, fe->max_args) + ", found " + std::to_string(argc));

        std::vector<std::string> args;
        args.reserve(cl.args.size());
        for (const config::Arg &a : cl.args) {
            switch (a.kind) {
            case config::Arg::Int:
                args.push_back(std::to_string(a.i));
                break;
            case config::Arg::Str:
                // Fixups get C strings: a NUL would silently cut the argument.
                if (a.s.find('\0') != std::string::npos)
                    return fail(a.pos, fn + ": argument contains a NUL byte");
                args.push_back(a.s);
                break;
            case config::Arg::PVar: {
                PvRef r;
                if (!resolve_pv(a.pv.name, a.pv.inner, a.pv.has_inner, a.pv.text, vars_, &r, &msg_))
                    return fail(a.pv.pos, msg_);
                args.push_back(a.pv.text);
                break;
            }
            }
        }

        CallSite cs;
        cs.kind = CallSite::Module;
        cs.fe = fe;
        cs.name = cl.name;
        cs.owner = owner;
        cs.pos = cl.pos;
        if (fe->fixup) {
            const char *argv[SIPNAT_MAX_FUNC_ARGS + 1] = {};
            for (size_t k = 0; k < args.size(); k++) argv[k] = args[k].c_str();
            char ebuf[512] = {};
            void *fixed = nullptr;
            int rc = fe->fixup(host_, argc, argv, &fixed, ebuf, sizeof ebuf);
            ebuf[sizeof ebuf - 1] = '\0'; // a module may fill the buffer without terminating it
            if (rc != 0) {
                std::string why = ebuf[0] ? std::string(ebuf) : "fixup failed (module '" + owner + "')";
                return fail(cl.pos, fn + ": " + why);
            }
            cs.fixed = fixed;
        }
        *index = static_cast<uint32_t>(p_.calls_.size());
        p_.calls_.push_back(std::move(cs)); // from here on the Program frees `fixed`
        uses_[cur_].calls.push_back(*index);
        return true;
    }

    bool xlog(const config::Call &cl, uint32_t *index) {
        const std::string fn = "function 'xlog'";
        size_t argc = cl.args.size();
        if (argc < 1 || argc > 2)
            return fail(cl.pos, fn + " " + arg_range(1, 2) + ", found " + std::to_string(argc));
        CallSite cs;
        cs.kind = CallSite::Xlog;
        cs.name = cl.name;
        cs.owner = "script";
        cs.pos = cl.pos;
        cs.level = SIPNAT_L_ERR; // OpenSIPS logs a one-argument xlog at L_ERR
        if (argc == 2) {
            const config::Arg &lv = cl.args[0];
            if (lv.kind != config::Arg::Str || !xlog_level(lv.s, &cs.level))
                return fail(lv.pos,
                            fn + ": unknown log level " +
                                (lv.kind == config::Arg::Str ? quoted(lv.s) : std::string("(not a string)")) +
                                " (use L_ERR, L_WARN, L_NOTICE, L_INFO or L_DBG)");
        }
        const config::Arg &f = cl.args[argc - 1];
        if (f.kind != config::Arg::Str) return fail(f.pos, fn + ": the format must be a string");
        if (!compile_xlog_format(f.s, vars_, &cs.fmt, &msg_)) return fail(f.pos, fn + ": " + msg_);
        *index = static_cast<uint32_t>(p_.calls_.size());
        p_.calls_.push_back(std::move(cs));
        uses_[cur_].calls.push_back(*index);
        return true;
    }

    // Each block runs in its own type; a route[NAME] sub-route runs in the types of every block that
    // reaches it through route() calls. One nobody calls is checked as a request route, its keyword's type.
    void compute_masks() {
        std::vector<Block> &bl = p_.blocks_;
        std::vector<uint32_t> work;
        auto propagate = [&] {
            while (!work.empty()) {
                uint32_t b = work.back();
                work.pop_back();
                for (uint32_t t : uses_[b].targets) {
                    if ((bl[t].mask | bl[b].mask) == bl[t].mask) continue;
                    bl[t].mask |= bl[b].mask;
                    work.push_back(t);
                }
            }
        };
        for (uint32_t i = 0; i < bl.size(); i++) {
            bool sub_route = bl[i].type == RouteType::Request && !bl[i].name.empty();
            if (sub_route) continue;
            bl[i].mask = type_bit(bl[i].type);
            work.push_back(i);
        }
        propagate();
        for (uint32_t i = 0; i < bl.size(); i++) {
            if (bl[i].mask) continue;
            bl[i].mask = SIPNAT_ROUTE_REQUEST;
            work.push_back(i);
        }
        propagate();
    }

    bool check_masks() {
        for (uint32_t i = 0; i < p_.blocks_.size(); i++) {
            unsigned mask = p_.blocks_[i].mask;
            for (uint32_t ci : uses_[i].calls) {
                const CallSite &cs = p_.calls_[ci];
                if (cs.kind != CallSite::Module) continue; // xlog runs anywhere
                for (RouteType t : kTypes) {
                    if (!(mask & type_bit(t)) || (cs.fe->route_mask & type_bit(t))) continue;
                    return fail(cs.pos, "function " + quoted(cs.name) + " cannot be used in " +
                                            config::route_type_keyword(t) +
                                            " (allowed in: " + mask_text(cs.fe->route_mask) + ")");
                }
            }
        }
        return true;
    }

    const config::Config &cfg_;
    const FunctionResolver &fr_;
    const sipnat_host *host_;
    Program &p_;
    std::string err_, msg_;
    VarTable vars_;
    std::map<std::string, uint32_t> request_by_name_;
    std::vector<Uses> uses_;
    uint32_t cur_ = 0;     // block being compiled
    uint32_t scratch_ = 1; // most scratch buffers any expression needs
};

bool compile(const config::Config &cfg, const FunctionResolver &fr, const sipnat_host *host, Program &out,
             std::string *err) {
    out.clear();
    Compiler c(cfg, fr, host, out);
    if (c.run()) {
        LOG_DBG("script", "compiled %zu route blocks, %zu call sites, %zu $var slots", out.blocks().size(),
                out.calls().size(), out.var_names().size());
        return true;
    }
    out.clear(); // frees the fixups that ran before the error
    if (err) *err = c.error();
    return false;
}

} // namespace sipnat::script
