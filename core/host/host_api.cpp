// The sipnat_host table: what modules may do, each entry a thin shim onto the host.
#include "host.h"
#include "log/log.h"
#include "msg_api.h"
#include "worker.h"

#include <cerrno>
#include <cstdarg>
#include <sys/socket.h>
#include <thread>

namespace sipnat {

namespace {

const char *kMod = "core";

void api_log(int level, const char *module, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vlogf(level, module, fmt, ap);
    va_end(ap);
}

int api_log_level() { return log_get_level(); }

int api_worker_count() { return Host::get().worker_count; }

int api_worker_id() {
    Worker *w = Worker::current();
    return w ? w->id() : -1;
}

void *api_worker_loop() {
    Worker *w = Worker::current();
    return w ? w->loop() : nullptr;
}

sipnat_timer *api_timer_start(uint64_t timeout_ms, uint64_t repeat_ms, sipnat_timer_fn cb, void *arg) {
    Worker *w = Worker::current();
    if (!w || !cb) {
        LOG_ERR(kMod, "timer_start called off a worker thread");
        return nullptr;
    }
    return w->timer_start(timeout_ms, repeat_ms, cb, arg);
}

void api_timer_stop(sipnat_timer *t) {
    if (Worker *w = Worker::current()) w->timer_stop(t);
}

sipnat_socket *api_socket_at(int n) { return Host::get().sockets.at(n); }

void api_socket_info(const sipnat_socket *s, sipnat_socket_info *out) {
    out->family = s->family;
    out->ip = s->ip.c_str();
    out->port = s->port;
    out->is_listener = s->listener ? 1 : 0;
    out->proto = SIPNAT_PROTO_UDP;
}

sipnat_socket *api_socket_find(const char *ip, uint16_t port) {
    return ip ? Host::get().sockets.find(ip, port) : nullptr;
}

sipnat_socket *api_socket_open_udp(const char *ip, uint16_t port) {
    Host &h = Host::get();
    if (!h.in_init || h.workers_started) {
        LOG_ERR(kMod, "socket_open_udp is only allowed during module init");
        return nullptr;
    }
    std::string err;
    sipnat_socket *s = h.sockets.open(ip ? ip : "", port, false, h.worker_count, &err);
    if (!s) LOG_ERR(kMod, "cannot open module socket: %s", err.c_str());
    return s;
}

int api_send_udp(sipnat_socket *s, const sockaddr *dst, const void *data, size_t len) {
    if (!s || !dst || s->fds.empty()) return -EINVAL;
    if (dst->sa_family != s->family) return -EAFNOSUPPORT;
    if (Worker *w = Worker::current()) return w->send(s, dst, data, len);
    // Off a worker (a module thread): the first worker's fd, one plain sendto.
    socklen_t dl = dst->sa_family == AF_INET6 ? sizeof(sockaddr_in6) : sizeof(sockaddr_in);
    return sendto(s->fds[0], data, len, 0, dst, dl) < 0 ? -errno : 0;
}

int api_raw_hook_add(sipnat_raw_hook_fn fn, void *arg) {
    Host &h = Host::get();
    if (!fn || !h.in_init || h.workers_started) {
        LOG_ERR(kMod, "raw_hook_add is only allowed during module init");
        return -1;
    }
    h.raw_hooks.push_back({fn, arg});
    return 0;
}

int api_api_publish(const char *name, const void *api) {
    if (!name || !api) return -1;
    return Host::get().apis.emplace(name, api).second ? 0 : -1;
}

const void *api_api_find(const char *name) {
    if (!name) return nullptr;
    auto &m = Host::get().apis;
    auto it = m.find(name);
    return it == m.end() ? nullptr : it->second;
}

sipnat_host make_table() {
    sipnat_host t{};
    t.abi_version = SIPNAT_ABI_VERSION;
    t.log = api_log;
    t.log_level = api_log_level;
    t.worker_count = api_worker_count;
    t.worker_id = api_worker_id;
    t.worker_loop = api_worker_loop;
    t.timer_start = api_timer_start;
    t.timer_stop = api_timer_stop;
    t.socket_at = api_socket_at;
    t.socket_info = api_socket_info;
    t.socket_find = api_socket_find;
    t.socket_open_udp = api_socket_open_udp;
    t.send_udp = api_send_udp;
    t.raw_hook_add = api_raw_hook_add;
    t.api_publish = api_api_publish;
    t.api_find = api_api_find;
    install_msg_api(&t);
    return t;
}

} // namespace

const sipnat_host *Host::table() const {
    static const sipnat_host t = make_table();
    return &t;
}

} // namespace sipnat
