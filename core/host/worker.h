// A worker: one thread, one libuv loop, its own SO_REUSEPORT fd per socket.
#pragma once

#include "transport/udp_batch.h"

#include <sipnat/module.h>

#include <atomic>
#include <string>
#include <thread>
#include <unordered_set>
#include <uv.h>
#include <vector>

namespace sipnat {

class Host;

class Worker {
public:
    Worker(Host &host, int id);
    ~Worker();
    Worker(const Worker &) = delete;
    Worker &operator=(const Worker &) = delete;

    // Spawns the thread; returns once worker_init of every module ran there (false + *err if not).
    bool start(std::string *err);
    // Asks the loop to stop (any thread); join() waits for it.
    void request_stop();
    void join();

    // The worker running on the calling thread, or nullptr.
    static Worker *current();

    int id() const { return id_; }
    uv_loop_t *loop() { return &loop_; }

    // Sends from socket `s`: queued while a batch is being processed, sent at once otherwise.
    int send(sipnat_socket *s, const sockaddr *dst, const void *data, size_t len);

    // Timers on this worker's loop (see sipnat_host.timer_start / timer_stop).
    sipnat_timer *timer_start(uint64_t timeout_ms, uint64_t repeat_ms, sipnat_timer_fn cb, void *arg);
    void timer_stop(sipnat_timer *t);

    // Datagrams received since start (for logs and tests).
    uint64_t received() const { return received_.load(std::memory_order_relaxed); }

private:
    void run();
    void on_readable(size_t sock_index);
    void shutdown_handles();

    Host &host_;
    int id_;
    uv_loop_t loop_{};
    uv_async_t stop_async_{};
    std::vector<uv_poll_t *> polls_;
    UdpBatch io_;
    bool in_batch_ = false;
    std::unordered_set<sipnat_timer *> timers_;
    std::thread thread_;
    std::atomic<uint64_t> received_{0};

    // Start-up handshake with the main thread.
    std::atomic<int> init_state_{0}; // 0 pending, 1 ok, -1 failed
    std::string init_error_;
};

} // namespace sipnat
