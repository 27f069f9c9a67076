// The host's runtime state: sockets, modules, hooks, published APIs and the workers.
// Built on the main thread before the workers start; read-only on the message path.
#pragma once

#include "loader/loader.h"
#include "transport/socket_table.h"

#include <sipnat/module.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace sipnat {

class Worker;

// Where SIP datagrams go after the demux (the part-II pipeline installs its own).
struct SipSink {
    void (*handle)(void *ctx, Worker &w, sipnat_socket *s, const uint8_t *data, size_t len, const sockaddr *src) =
        nullptr;
    void *ctx = nullptr;
};

struct RawHook {
    sipnat_raw_hook_fn fn;
    void *arg;
};

class Host {
public:
    // The one host of this process: the C ABI table has no context argument.
    static Host &get();

    // The ABI table handed to modules.
    const sipnat_host *table() const;

    int worker_count = 1;
    bool in_init = false;         // true while modules' init runs (sockets/hooks may be added)
    bool workers_started = false;
    SocketTable sockets;
    ModuleRegistry modules;
    std::vector<RawHook> raw_hooks;
    std::map<std::string, const void *> apis;
    std::vector<std::string> aliases; // host or host:port names that count as us
    SipSink sip;
    std::vector<std::unique_ptr<Worker>> workers;

    // Starts `worker_count` workers; each runs the modules' worker_init before reading.
    // False with *err when a thread or a module's worker_init failed (started ones are stopped).
    bool start_workers(std::string *err);
    // Asks every worker to stop and waits for them.
    void stop_workers();

private:
    Host() = default;
};

} // namespace sipnat
