// The SIP pipeline behind the demux: parse, validate, run the route script, forward or reply.
#pragma once

#include "resolver.h"
#include "script/script.h"
#include "sip/local.h"

#include <memory>
#include <string>
#include <string_view>
#include <vector>

struct sipnat_msg;
struct sipnat_socket;

namespace sipnat {

namespace config {
struct Config;
}
class Host;
class Worker;

// What each worker keeps for the pipeline: script variables and its DNS cache.
struct WorkerPipeline {
    script::State script;
    Resolver resolver;
};

class Pipeline {
public:
    Pipeline();
    ~Pipeline();

    // Compiles the route script once (module fixups run here); false with a positioned *err.
    bool compile(Host &host, const config::Config &cfg, std::string *err);
    // Makes this pipeline the host's SIP sink (after listeners are open). Must outlive the workers.
    void install(Host &host);
    // Frees the compiled script (fixups) before modules are unloaded.
    void clear();

    // forward() / forward("host:port"): stateless forward of the current request.
    // Returns 1 when sent, -1 when it could not be.
    static int forward(sipnat_msg *m, std::string_view hostport);
    // sl_send_reply(): answers the current request statelessly. Returns 1 or -1.
    static int reply(sipnat_msg *m, int code, std::string_view reason, std::string_view extra_header = {});

private:
    static void on_sip(void *ctx, Worker &w, sipnat_socket *s, const uint8_t *data, size_t len, const sockaddr *src);
    void handle_request(sipnat_msg &m);
    void handle_reply(sipnat_msg &m);

    Host *host_ = nullptr;
    script::Program program_;
    sip::LocalNames names_;
    std::vector<std::unique_ptr<WorkerPipeline>> per_worker_;
};

} // namespace sipnat
