#include "interp.h"

#include "log/log.h"

namespace sipnat::script {

State::State() : State(16) {}

State::State(size_t regex_cache_size) : rt_re_(regex_cache_size) {}

State::~State() = default;

void State::set_xlog_sink(XlogSink fn, void *ctx) {
    sink_ = fn;
    sink_ctx_ = ctx;
}

void State::bind(const Program &p) {
    if (prog_id_ != p.id()) {
        // $var slots and regex indexes belong to one compilation.
        vars_.clear();
        vars_.resize(p.var_names().size());
        lit_re_.clear();
        lit_re_.resize(p.regexes().size());
        prog_id_ = p.id();
    }
    // Sized before running: values are views into these strings, so they must not move mid-run.
    if (scratch_.size() < p.scratch_slots()) scratch_.resize(p.scratch_slots());
}

namespace {
enum class Flow : unsigned char { Next, Return, Stop };
} // namespace

// One run of the script over one message. Stopping (exit, drop, a function returning 0) is a flag
// checked on the way out rather than an exception: it is an ordinary outcome, not an error.
class Runner {
public:
    Runner(const Program &p, MsgEnv &env, State &st, const sipnat_host *host)
        : p_(p), env_(env), st_(st), host_(host) {
        st_.bind(p_);
    }

    RunResult run_main(uint32_t block) {
        Flow f = exec(p_.blocks()[block].body);
        if (f == Flow::Stop) return {outcome_, 0};
        if (f == Flow::Return) return {Outcome::End, ret_};
        return {Outcome::End, 1};
    }

private:
    Flow stop(Outcome o) {
        stopped_ = true;
        outcome_ = o;
        return Flow::Stop;
    }

    Flow exec(const std::vector<CStmt> &body) {
        for (const CStmt &s : body) {
            Flow f = exec_stmt(s);
            if (f != Flow::Next) return f;
        }
        return Flow::Next;
    }

    Flow exec_stmt(const CStmt &s) {
        switch (s.op) {
        case StmtOp::Call:
            call(s.index);
            return stopped_ ? Flow::Stop : Flow::Next;
        case StmtOp::If: {
            bool c = truth(s.expr, 0);
            if (stopped_) return Flow::Stop;
            return exec(c ? s.then_body : s.else_body);
        }
        case StmtOp::Assign: {
            Value v = value(s.expr, 0);
            if (stopped_) return Flow::Stop;
            assign(s.lhs, v);
            return Flow::Next;
        }
        case StmtOp::Route: {
            if (depth_ >= kMaxRouteDepth) {
                LOG_ERR("script", "%s: route(%s) nested deeper than %d calls; stopping the script",
                        s.pos.str().c_str(), p_.blocks()[s.index].name.c_str(), kMaxRouteDepth);
                return stop(Outcome::Exit);
            }
            depth_++;
            Flow f = exec(p_.blocks()[s.index].body);
            depth_--;
            // A return inside the sub-route ends only the sub-route.
            return f == Flow::Stop ? Flow::Stop : Flow::Next;
        }
        case StmtOp::Return:
            ret_ = s.value;
            return Flow::Return;
        case StmtOp::Exit:
            return stop(Outcome::Exit);
        case StmtOp::Drop:
            return stop(Outcome::Drop);
        }
        return Flow::Next;
    }

    // Calls a function; a 0 result stops the whole script, as in OpenSIPS.
    int call(uint32_t idx) {
        const CallSite &c = p_.calls()[idx];
        int rc = c.kind == CallSite::Xlog ? xlog(c) : c.fe->handler(host_, env_.msg(), c.fixed);
        if (rc == 0) stop(Outcome::Exit);
        return rc;
    }

    // Fetches a pseudo-variable; a string result lives in `buf` (or in the $var itself).
    Value fetch(const PvRef &r, std::string &buf) {
        Value v;
        if (r.pv == Pv::Var) {
            const State::Var &var = st_.vars_[r.slot];
            v.kind = var.kind;
            v.i = var.i;
            if (var.kind == Value::Str) v.s = var.s;
            return v;
        }
        buf.clear();
        if (!env_.pv_get(r.pv, r.arg, buf)) return v;
        v.kind = Value::Str;
        v.s = buf;
        return v;
    }

    // Evaluates e as a value, using scratch buffers from `slot` up (see Program::scratch_slots).
    Value value(const CExpr &e, uint32_t slot) {
        Value v;
        switch (e.op) {
        case ExprOp::Int:
            v.kind = Value::Int;
            v.i = e.i;
            return v;
        case ExprOp::Str:
            v.kind = Value::Str;
            v.s = e.s;
            return v;
        case ExprOp::Pv:
            return fetch(e.pv, st_.scratch_[slot]);
        case ExprOp::Call:
            v.kind = Value::Int;
            v.i = call(e.index);
            return v;
        default:
            v.kind = Value::Int;
            v.i = truth(e, slot) ? 1 : 0;
            return v;
        }
    }

    // Evaluates e as a condition. A bare pseudo-variable is true when set and non-empty.
    bool truth(const CExpr &e, uint32_t slot) {
        switch (e.op) {
        case ExprOp::Int:
            return e.i != 0;
        case ExprOp::Str:
            return !e.s.empty();
        case ExprOp::Pv: {
            Value v = fetch(e.pv, st_.scratch_[slot]);
            return v.kind == Value::Int || (v.kind == Value::Str && !v.s.empty());
        }
        case ExprOp::Call:
            return call(e.index) > 0;
        case ExprOp::Not: {
            bool t = truth(e.kids[0], slot);
            return !stopped_ && !t;
        }
        case ExprOp::And:
            for (const CExpr &k : e.kids)
                if (!truth(k, slot) || stopped_) return false;
            return true;
        case ExprOp::Or:
            for (const CExpr &k : e.kids) {
                bool t = truth(k, slot);
                if (stopped_) return false;
                if (t) return true;
            }
            return false;
        case ExprOp::Cmp:
            return compare(e, slot);
        }
        return false;
    }

    static bool equal(const Value &l, const Value &r) {
        if (l.kind == Value::Null || r.kind == Value::Null) return l.kind == r.kind;
        if (l.kind == Value::Int || r.kind == Value::Int) {
            // An integer against text: numeric when the text is a number, else they differ.
            long a, b;
            return as_number(l, a) && as_number(r, b) && a == b;
        }
        return l.s == r.s;
    }

    bool compare(const CExpr &e, uint32_t slot) {
        Value l = value(e.kids[0], slot);
        if (stopped_) return false;
        if (e.cmp == config::CmpOp::Match) return match(e, l, slot);
        Value r = value(e.kids[1], slot + 1);
        if (stopped_) return false;
        long a, b;
        switch (e.cmp) {
        case config::CmpOp::Eq:
            return equal(l, r);
        case config::CmpOp::Ne:
            return !equal(l, r);
        case config::CmpOp::Gt:
            return as_number(l, a) && as_number(r, b) && a > b;
        case config::CmpOp::Lt:
            return as_number(l, a) && as_number(r, b) && a < b;
        case config::CmpOp::Ge:
            return as_number(l, a) && as_number(r, b) && a >= b;
        case config::CmpOp::Le:
            return as_number(l, a) && as_number(r, b) && a <= b;
        case config::CmpOp::Match:
            break;
        }
        return false;
    }

    bool match(const CExpr &e, const Value &l, uint32_t slot) {
        char num[kLongChars];
        std::string_view subject;
        bool have_subject = l.kind != Value::Null;
        if (l.kind == Value::Int)
            subject = long_text(l.i, num);
        else if (l.kind == Value::Str)
            subject = l.s;

        const Regex *re;
        if (e.index != kNoIndex) {
            re = literal_regex(e.index);
        } else {
            Value r = value(e.kids[1], slot + 1);
            if (stopped_ || r.kind == Value::Null || !have_subject) return false;
            char pnum[kLongChars];
            std::string_view pattern = r.kind == Value::Int ? long_text(r.i, pnum) : r.s;
            std::string why;
            re = st_.rt_re_.get(pattern, &why);
            // Logged once per cache entry, not per message: bad patterns are cached too.
            if (!why.empty()) LOG_ERR("script", "=~ with a computed pattern: %s", why.c_str());
        }
        return have_subject && re && re->match(subject);
    }

    // This worker's copy of a literal regex: glibc serialises regexec() calls on one regex_t with a
    // lock, so sharing the Program's copy between workers would make them queue on every match.
    const Regex *literal_regex(uint32_t idx) {
        std::unique_ptr<Regex> &mine = st_.lit_re_[idx];
        const LiteralRegex &lit = p_.regexes()[idx];
        if (!mine) {
            auto r = std::make_unique<Regex>();
            std::string why;
            if (!r->compile(lit.pattern, &why)) return lit.re.get(); // only on memory shortage: share instead
            mine = std::move(r);
        }
        return mine.get();
    }

    void assign(const PvRef &lhs, const Value &v) {
        if (lhs.pv == Pv::Var) {
            State::Var &var = st_.vars_[lhs.slot];
            if (v.kind == Value::Str && v.s.data() != var.s.data())
                var.s.assign(v.s); // $var(x) = $var(x): no-op
            var.kind = v.kind;
            var.i = v.i;
            return;
        }
        // $avp: the host has no "delete", so assigning a null value leaves the AVP as it was.
        if (v.kind == Value::Null) {
            LOG_DBG("script", "%s = <null>: AVP left unchanged", lhs.text.c_str());
            return;
        }
        char num[kLongChars];
        std::string_view text = v.kind == Value::Int ? long_text(v.i, num) : v.s;
        if (!env_.avp_set(lhs.arg, text)) LOG_ERR("script", "cannot set %s", lhs.text.c_str());
    }

    int xlog(const CallSite &c) {
        // Skip formatting lines the log would drop anyway.
        if (!st_.sink_ && c.level > log_get_level()) return 1;
        std::string &line = st_.xlog_line_;
        line.clear();
        for (const XlogSegment &seg : c.fmt.segs) {
            if (!seg.is_pv) {
                line += seg.lit;
                continue;
            }
            // Its own buffer: xlog may run inside a comparison that holds values in the scratch ones.
            Value v = fetch(seg.pv, st_.xlog_pv_);
            char num[kLongChars];
            if (v.kind == Value::Null)
                line += "<null>";
            else if (v.kind == Value::Int)
                line += long_text(v.i, num);
            else
                line += v.s;
        }
        if (st_.sink_)
            st_.sink_(st_.sink_ctx_, c.level, line);
        else
            logf(c.level, "xlog", "%.*s", static_cast<int>(line.size()), line.data());
        return 1;
    }

    const Program &p_;
    MsgEnv &env_;
    State &st_;
    const sipnat_host *host_;
    int depth_ = 0;
    int ret_ = 1;
    bool stopped_ = false;
    Outcome outcome_ = Outcome::End;
};

RunResult run(const Program &p, config::RouteType kind, MsgEnv &env, State &st, const sipnat_host *host) {
    uint32_t idx = p.main_index(kind);
    if (idx == kNoIndex) return {Outcome::End, 1};
    return Runner(p, env, st, host).run_main(idx);
}

} // namespace sipnat::script
