// The compiled form of a route script. Built once by compile(), then only read:
// one Program is shared by every worker thread, and everything that changes
// while messages run lives in a per-worker State (interp.h).
//
// Shape: a tree of small nodes, every name already resolved (functions to their
// export and fixed argument, routes to block indexes, pseudo-variables to an
// enum plus a $var slot, literal regexes compiled), so running it parses
// nothing and allocates nothing.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <sipnat/module.h>

#include "config/ast.h"
#include "pvar.h"
#include "regex_cache.h"
#include "xlog_format.h"

namespace sipnat::script {

inline constexpr uint32_t kNoIndex = UINT32_MAX;

enum class ExprOp : unsigned char { Int, Str, Pv, Call, Not, And, Or, Cmp };

struct CExpr {
    ExprOp op = ExprOp::Int;
    config::CmpOp cmp = config::CmpOp::Eq; // Cmp
    // Call: index into Program::calls(). Cmp with =~: index into Program::regexes() when the pattern
    // is a literal, kNoIndex when it is computed at run time.
    uint32_t index = kNoIndex;
    long i = 0;              // Int
    std::string s;           // Str
    PvRef pv;                // Pv (keywords are compiled to their pseudo-variable)
    std::vector<CExpr> kids; // Not: 1; And/Or: 2+, evaluated left to right; Cmp: 2
};

enum class StmtOp : unsigned char { Call, If, Assign, Route, Return, Exit, Drop };

struct CStmt {
    StmtOp op = StmtOp::Call;
    uint32_t index = kNoIndex;               // Call: index into calls(); Route: index into blocks()
    int value = 1;                           // Return: the value (1 when written without one)
    CExpr expr;                              // If: condition; Assign: right-hand side
    PvRef lhs;                               // Assign: $avp or $var
    std::vector<CStmt> then_body, else_body; // If
    config::Pos pos;                         // where it was written, for run-time messages
};

// One call of a function in the script: a module/core function with its fixed
// argument, or the interpreter's own xlog.
struct CallSite {
    enum Kind : unsigned char { Module, Xlog };
    Kind kind = Module;
    const sipnat_func_export *fe = nullptr; // Module
    void *fixed = nullptr;                  // Module: what the fixup produced; freed by Program
    int level = SIPNAT_L_ERR;               // Xlog
    XlogFormat fmt;                         // Xlog
    std::string name;                       // as called
    std::string owner;                      // module name, "core" for host built-ins, "script" for xlog
    config::Pos pos;
};

struct Block {
    config::RouteType type = config::RouteType::Request;
    std::string name;  // "" for a main block
    unsigned mask = 0; // SIPNAT_ROUTE_* bits of every route type it may run in (sub-routes: their callers')
    std::vector<CStmt> body;
    config::Pos pos;
};

struct LiteralRegex {
    std::string pattern;
    std::unique_ptr<Regex> re; // compiled at compile time (also proves the pattern good)
};

class Program {
public:
    Program() = default;
    // Frees every fixup (see clear()).
    ~Program();
    Program(const Program &) = delete;
    Program &operator=(const Program &) = delete;
    // Moves: the source is left empty and will free nothing.
    Program(Program &&o) noexcept;
    Program &operator=(Program &&o) noexcept;

    // Calls free_fixed on every call site's non-null fixed argument, then empties the program.
    // Run it before unloading the modules whose functions it calls.
    void clear();

    // Returns whether there is a main block of this kind (route{} for Request, onreply_route{} for OnReply).
    bool has_main(config::RouteType kind) const { return main_index(kind) != kNoIndex; }
    // Returns the index in blocks() of route{} / onreply_route{}, kNoIndex if absent (or another kind).
    uint32_t main_index(config::RouteType kind) const;

    // Returns every block, in file order (CStmt::index of a Route points here).
    const std::vector<Block> &blocks() const { return blocks_; }
    // Returns every call site, in compile order (CStmt/CExpr::index of a Call points here).
    const std::vector<CallSite> &calls() const { return calls_; }
    // Returns the literal patterns of `=~`, compiled (CExpr::index of a Cmp points here).
    const std::vector<LiteralRegex> &regexes() const { return regexes_; }
    // Returns the $var names; PvRef::slot of a $var indexes this.
    const std::vector<std::string> &var_names() const { return var_names_; }
    // Returns how many scratch buffers evaluation needs (nested comparisons hold several values at once).
    uint32_t scratch_slots() const { return scratch_slots_; }
    // Returns an id unique to this compilation, so a State notices a different program.
    uint64_t id() const { return id_; }

private:
    friend class Compiler;
    std::vector<Block> blocks_;
    std::vector<CallSite> calls_;
    std::vector<LiteralRegex> regexes_;
    std::vector<std::string> var_names_;
    uint32_t main_request_ = kNoIndex, main_reply_ = kNoIndex;
    uint32_t scratch_slots_ = 1;
    uint64_t id_ = 0;
};

// Frees fixups (calls each function's free_fixed) and empties `p`; the same as p.clear().
void free_fixups(Program &p);

} // namespace sipnat::script
