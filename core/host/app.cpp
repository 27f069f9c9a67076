#include "app.h"

#include "config/parser.h"
#include "host.h"
#include "log/log.h"
#include "pipeline.h"
#include "worker.h"

#include <csignal>
#include <pthread.h>
#include <cstdio>
#include <thread>
#include <uv.h>

namespace sipnat {

namespace {

const char *kMod = "core";

// "file:line:col: message", the one shape every config error takes.
std::string at(const config::Pos &p, const std::string &msg) {
    return p.str() + ": " + msg;
}

// Loads the modules and delivers the modparams, in file order per kind.
bool load_modules(Host &host, const config::Config &cfg, std::string *err) {
    for (const auto &m : cfg.modules) {
        std::string why;
        if (!host.modules.load(m.path, cfg.mpath, &why)) {
            *err = at(m.pos, why);
            return false;
        }
    }
    for (const auto &p : cfg.modparams) {
        ParamValue v;
        v.is_int = p.value.kind == config::Value::Int;
        v.i = p.value.i;
        v.s = p.value.s;
        std::string why;
        if (!host.modules.set_param(host.table(), p.module, p.param, v, &why)) {
            *err = at(p.value.pos, why);
            return false;
        }
    }
    return true;
}

bool open_listeners(Host &host, const config::Config &cfg, std::string *err) {
    for (const auto &l : cfg.listen) {
        std::string why;
        if (!host.sockets.open(l.ip, l.port, true, host.worker_count, &why)) {
            *err = at(l.pos, why);
            return false;
        }
    }
    return true;
}

// Places a module's init failure in the config: at the modparam line of the parameter its
// reason starts with ("alternate_ip: ..."; see the ABI's `init` contract), else at its loadmodule.
std::string init_error_at(const config::Config &cfg, const std::string &module, const std::string &reason,
                          const std::string &err) {
    const config::Pos *pos = nullptr;
    size_t colon = reason.find(':');
    std::string param = colon == std::string::npos ? "" : reason.substr(0, colon);
    for (const auto &p : cfg.modparams)
        if (p.module == module && p.param == param) pos = &p.value.pos;
    if (!pos) {
        for (const auto &m : cfg.modules)
            if (m.path.find(module) != std::string::npos) pos = &m.pos;
    }
    return pos ? at(*pos, err) : err;
}

void log_listeners(Host &host) {
    for (int i = 0; i < host.sockets.size(); i++) {
        sipnat_socket *s = host.sockets.at(i);
        LOG_NOTICE(kMod, "%s udp:%s%s%s:%u", s->listener ? "listening on" : "module socket",
                   s->family == AF_INET6 ? "[" : "", s->ip.c_str(), s->family == AF_INET6 ? "]" : "", s->port);
    }
}

// SIGTERM/SIGINT stay blocked from the start (workers inherit the mask, so only the main
// thread ever takes them) until wait_for_signal is ready: a signal during start-up is then
// handled as a clean stop instead of killing the process mid-init.
void block_stop_signals(bool block) {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    pthread_sigmask(block ? SIG_BLOCK : SIG_UNBLOCK, &set, nullptr);
}

// Waits on the main thread for SIGTERM/SIGINT; workers do all the I/O.
void wait_for_signal() {
    uv_loop_t loop;
    uv_loop_init(&loop);
    uv_signal_t term, intr;
    uv_signal_init(&loop, &term);
    uv_signal_init(&loop, &intr);
    auto stop = [](uv_signal_t *s, int signum) {
        LOG_NOTICE(kMod, "signal %d received, shutting down", signum);
        uv_stop(s->loop);
    };
    uv_signal_start(&term, stop, SIGTERM);
    uv_signal_start(&intr, stop, SIGINT);
    block_stop_signals(false); // a signal that came during start-up is delivered now
    uv_run(&loop, UV_RUN_DEFAULT);
    uv_close(reinterpret_cast<uv_handle_t *>(&term), nullptr);
    uv_close(reinterpret_cast<uv_handle_t *>(&intr), nullptr);
    uv_run(&loop, UV_RUN_DEFAULT);
    uv_loop_close(&loop);
}

} // namespace

int run_app(const AppOptions &opt) {
    config::Config cfg;
    config::ConfigError cerr;
    if (!config::parse_config_file(opt.config_file, cfg, cerr)) {
        LOG_ERR(kMod, "%s", cerr.str().c_str());
        return 1;
    }
    log_set_level(opt.log_level ? opt.log_level : (cfg.log_level ? cfg.log_level : SIPNAT_L_NOTICE));
    signal(SIGPIPE, SIG_IGN);
    block_stop_signals(true);

    Host &host = Host::get();
    unsigned cores = std::thread::hardware_concurrency();
    host.worker_count = cfg.children ? cfg.children : static_cast<int>(cores ? cores : 1);
    for (const auto &a : cfg.aliases) host.aliases.push_back(a.first);

    std::string err;
    Pipeline pipeline;
    if (!load_modules(host, cfg, &err) || !pipeline.compile(host, cfg, &err)) {
        LOG_ERR(kMod, "%s", err.c_str());
        return 1;
    }
    if (opt.check_only) {
        std::fprintf(stderr, "%s: config file ok\n", opt.config_file.c_str());
        return 0;
    }
    if (cfg.listen.empty()) {
        LOG_ERR(kMod, "%s: no listen= line: nothing to serve", opt.config_file.c_str());
        return 1;
    }
    if (!open_listeners(host, cfg, &err)) {
        LOG_ERR(kMod, "%s", err.c_str());
        return 1;
    }
    host.in_init = true;
    std::string failed, reason;
    bool ok = host.modules.init_all(host.table(), &err, &failed, &reason);
    host.in_init = false;
    if (!ok) err = init_error_at(cfg, failed, reason, err);
    if (ok) {
        pipeline.install(host);
        log_listeners(host);
        ok = host.start_workers(&err);
    }
    if (!ok) {
        LOG_ERR(kMod, "%s", err.c_str());
        pipeline.clear();
        host.modules.destroy_all(host.table());
        host.sockets.close_all();
        return 1;
    }
    LOG_NOTICE(kMod, "sipnatd started with %d worker%s", host.worker_count, host.worker_count == 1 ? "" : "s");
    wait_for_signal();
    host.stop_workers();
    pipeline.clear(); // call sites' fixups are freed while their modules are still loaded
    host.modules.destroy_all(host.table());
    host.sockets.close_all();
    LOG_NOTICE(kMod, "sipnatd stopped");
    return 0;
}

} // namespace sipnat
