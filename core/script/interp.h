// Route-script interpreter: runs a compiled Program against one message.
// The Program is shared and read-only; a State per worker holds everything
// that changes ($var values, scratch buffers, regex copies and cache).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <sipnat/module.h>

#include "config/ast.h"
#include "msg_env.h"
#include "program.h"
#include "regex_cache.h"
#include "value.h"

namespace sipnat::script {

// How deep route() calls may nest at run time before the script is stopped (Outcome::Exit).
inline constexpr int kMaxRouteDepth = 64;

// How a route run ended.
enum class Outcome {
    End /* fell off the end or return at top level */,
    Exit /* exit, or a function returned 0 */,
    Drop /* drop */
};

// `ret`: the top-level return(n) value; 1 when the route fell off its end or used a bare return; 0 for
// Exit/Drop.
struct RunResult {
    Outcome outcome;
    int ret;
};

// Receives one formatted xlog line (no trailing newline) instead of the host log; for tests and embedding.
using XlogSink = void (*)(void *ctx, int level, std::string_view line);

// Per-worker interpreter state ($var values persist across messages on one worker, as in OpenSIPS).
// Use one State per thread; it adapts itself to whichever Program it is run with (a different
// Program resets the $var values).
class State {
public:
    // Makes an empty state whose regex cache holds up to 16 run-time patterns.
    State();
    // Makes an empty state whose regex cache holds up to `regex_cache_size` run-time patterns.
    explicit State(size_t regex_cache_size);
    ~State();
    State(const State &) = delete;
    State &operator=(const State &) = delete;

    // Sends xlog lines to fn(ctx, level, line) for every level; nullptr restores the host log.
    void set_xlog_sink(XlogSink fn, void *ctx);
    // Returns how many run-time regex patterns are cached (for tests).
    size_t regex_cache_size() const { return rt_re_.size(); }

private:
    friend class Runner;
    struct Var {
        Value::Kind kind = Value::Null;
        long i = 0;
        std::string s;
    };
    void bind(const Program &p);

    uint64_t prog_id_ = 0;
    std::vector<Var> vars_;
    std::vector<std::string> scratch_; // expression values fetched from the message
    std::string xlog_line_, xlog_pv_;
    std::vector<std::unique_ptr<Regex>> lit_re_; // this worker's copies of the program's literal regexes
    RegexCache rt_re_;                           // patterns computed at run time
    XlogSink sink_ = nullptr;
    void *sink_ctx_ = nullptr;
};

// Runs the main route{} (or onreply_route{} for kind OnReply). Programs may lack an onreply_route: then End.
// Likewise a program without route{} gives End for a request (the host decides what to do then), and
// Failure/Branch kinds are never run (End).
RunResult run(const Program &p, config::RouteType kind, MsgEnv &env, State &st, const sipnat_host *host);

} // namespace sipnat::script
