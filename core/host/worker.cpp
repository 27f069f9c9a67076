#include "worker.h"

#include "demux.h"
#include "host.h"
#include "log/log.h"

#include <cerrno>
#include <cstring>

// Host-side definition of the opaque ABI timer.
struct sipnat_timer {
    uv_timer_t handle;
    sipnat_timer_fn cb;
    void *arg;
};

namespace sipnat {

namespace {
thread_local Worker *tl_worker = nullptr;

// Each poll handle remembers which socket it watches.
struct PollCtx {
    Worker *w;
    size_t sock_index;
};
} // namespace

Worker::Worker(Host &host, int id) : host_(host), id_(id) {}

Worker::~Worker() { join(); }

Worker *Worker::current() { return tl_worker; }

bool Worker::start(std::string *err) {
    thread_ = std::thread([this] { run(); });
    init_state_.wait(0);
    if (init_state_.load() < 0) {
        join();
        *err = init_error_;
        return false;
    }
    return true;
}

void Worker::request_stop() {
    if (init_state_.load() == 1) uv_async_send(&stop_async_);
}

void Worker::join() {
    if (thread_.joinable()) thread_.join();
}

void Worker::run() {
    tl_worker = this;
    uv_loop_init(&loop_);
    uv_async_init(&loop_, &stop_async_, [](uv_async_t *a) {
        static_cast<Worker *>(a->data)->shutdown_handles();
    });
    stop_async_.data = this;

    // worker_init runs before the first read, as the ABI promises.
    std::string err;
    if (!host_.modules.worker_init_all(host_.table(), id_, &err)) {
        init_error_ = err;
        shutdown_handles();
        uv_run(&loop_, UV_RUN_DEFAULT);
        uv_loop_close(&loop_);
        init_state_.store(-1);
        init_state_.notify_all();
        return;
    }
    for (int i = 0; i < host_.sockets.size(); i++) {
        sipnat_socket *s = host_.sockets.at(i);
        auto *p = new uv_poll_t;
        p->data = new PollCtx{this, static_cast<size_t>(i)};
        uv_poll_init(&loop_, p, s->fds[static_cast<size_t>(id_)]);
        uv_poll_start(p, UV_READABLE, [](uv_poll_t *h, int status, int) {
            auto *ctx = static_cast<PollCtx *>(h->data);
            if (status == 0) ctx->w->on_readable(ctx->sock_index);
        });
        polls_.push_back(p);
    }
    init_state_.store(1);
    init_state_.notify_all();
    LOG_DBG("core", "worker %d started", id_);
    uv_run(&loop_, UV_RUN_DEFAULT);
    // Handles that modules left open are closed by shutdown_handles' walk; run once more
    // so their close callbacks fire before the loop is closed.
    uv_run(&loop_, UV_RUN_DEFAULT);
    if (uv_loop_close(&loop_) != 0) LOG_WARN("core", "worker %d: loop closed with live handles", id_);
    LOG_DBG("core", "worker %d stopped", id_);
    tl_worker = nullptr;
}

void Worker::on_readable(size_t sock_index) {
    sipnat_socket *s = host_.sockets.at(static_cast<int>(sock_index));
    int fd = s->fds[static_cast<size_t>(id_)];
    in_batch_ = true;
    // A few batches per wake-up, then yield so other sockets and timers get their turn.
    for (int round = 0; round < 8; round++) {
        int n = io_.receive(fd);
        for (int i = 0; i < n; i++) {
            if (io_.truncated(i)) {
                LOG_DBG("core", "dropping truncated datagram");
                continue;
            }
            demux_datagram(host_, *this, s, io_.data(i), io_.len(i), io_.src(i));
        }
        received_.fetch_add(static_cast<uint64_t>(n), std::memory_order_relaxed);
        if (n < UdpBatch::kSlots) break;
    }
    in_batch_ = false;
    if (io_.pending()) io_.flush();
}

int Worker::send(sipnat_socket *s, const sockaddr *dst, const void *data, size_t len) {
    int fd = s->fds[static_cast<size_t>(id_)];
    if (in_batch_) return io_.queue(fd, dst, data, len);
    socklen_t dl = dst->sa_family == AF_INET6 ? sizeof(sockaddr_in6) : sizeof(sockaddr_in);
    ssize_t r = sendto(fd, data, len, 0, dst, dl);
    return r < 0 ? -errno : 0;
}

sipnat_timer *Worker::timer_start(uint64_t timeout_ms, uint64_t repeat_ms, sipnat_timer_fn cb, void *arg) {
    auto *t = new sipnat_timer{};
    t->cb = cb;
    t->arg = arg;
    uv_timer_init(&loop_, &t->handle);
    t->handle.data = t;
    if (uv_timer_start(&t->handle, [](uv_timer_t *h) {
            auto *tm = static_cast<sipnat_timer *>(h->data);
            tm->cb(tm, tm->arg);
        }, timeout_ms, repeat_ms) != 0) {
        uv_close(reinterpret_cast<uv_handle_t *>(&t->handle),
                 [](uv_handle_t *h) { delete static_cast<sipnat_timer *>(h->data); });
        return nullptr;
    }
    timers_.insert(t);
    return t;
}

void Worker::timer_stop(sipnat_timer *t) {
    if (!t || !timers_.erase(t)) return;
    uv_timer_stop(&t->handle);
    uv_close(reinterpret_cast<uv_handle_t *>(&t->handle),
             [](uv_handle_t *h) { delete static_cast<sipnat_timer *>(h->data); });
}

void Worker::shutdown_handles() {
    for (sipnat_timer *t : std::unordered_set<sipnat_timer *>(timers_)) timer_stop(t);
    for (uv_poll_t *p : polls_) {
        uv_poll_stop(p);
        uv_close(reinterpret_cast<uv_handle_t *>(p), [](uv_handle_t *h) {
            delete static_cast<PollCtx *>(h->data);
            delete reinterpret_cast<uv_poll_t *>(h);
        });
    }
    polls_.clear();
    // Whatever modules put on this loop is closed too, so the loop can end.
    uv_walk(&loop_, [](uv_handle_t *h, void *) {
        if (!uv_is_closing(h)) uv_close(h, nullptr);
    }, nullptr);
}

} // namespace sipnat
