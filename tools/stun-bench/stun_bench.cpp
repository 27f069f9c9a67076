// stun-bench: a STUN Binding load generator for loopback benchmarks (bench/stun/run.sh).
//
// Single-threaded, so it can be pinned to one core: N UDP sockets connected to the server, each
// with a window of W outstanding RFC 5389 Binding requests; requests leave in sendmmsg batches and
// answers are read with recvmmsg. Every answer is checked: a Binding success response (0x0101) with
// the magic cookie, the transaction id of a request in flight on that socket (so duplicates and
// late answers are caught), and an XOR-MAPPED-ADDRESS equal to the socket's own address. With
// --echo, answers are expected to be the request bytes themselves (an echo server, the kernel
// floor): only the transaction id is checked.
//
// Modes: closed loop (default: each answer frees a slot that is refilled at once, i.e. as fast as
// the server answers) or --rate R requests/s (paced in 1 ms steps, bounded by the window).
// A request unanswered after --timeout-ms is counted lost and its slot reused.
//
// Measurement: --warmup seconds first (not counted), then --duration seconds. With --cpu-pid PID
// (repeatable; each PID's descendants are included), the server's utime+stime from /proc/PID/stat
// is read at the start and end of the measured interval, giving CPU time per answer.
//
// Output: one line of key=value pairs (see print_result), e.g.
//   sent=.. answered=.. ok=.. bad=.. lost=.. late=.. secs=.. rps=.. p50_us=.. p99_us=.. p999_us=..
//   max_us=.. server_pids=.. server_cpu_ms=.. server_cpu_us_per_resp=.. server_util=..
//   server_wakeups=.. server_answers_per_wakeup=.. gen_cpu_ms=.. gen_util=..
// (server_wakeups: voluntary context switches of all the server's threads: how often it slept)
// --probe: send one request per socket until one is answered or 5 s pass; exit 0 / 1.
//
// Exit status: 0 when every measured answer was valid and nothing was lost, 1 otherwise, 2 on
// usage or socket errors.
#include <arpa/inet.h>
#include <dirent.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace {

constexpr uint32_t kMagic = 0x2112A442;
constexpr int kBatch = 64;
constexpr size_t kMaxDgram = 1500;
constexpr uint64_t kHistMaxUs = 2'000'000;  // latencies above this land in the last bucket

struct Options {
    sockaddr_storage server{};
    socklen_t server_len = 0;
    std::string local_ip = "127.0.0.1";
    int sockets = 16;
    int window = 8;
    double duration = 10;
    double warmup = 1;
    double rate = 0;  // 0: closed loop
    int timeout_ms = 200;
    bool echo = false;
    bool fingerprint = false;
    bool probe = false;
    std::vector<int> cpu_pids;
};

[[noreturn]] void usage(const char *why) {
    if (why) fprintf(stderr, "stun-bench: %s\n", why);
    fprintf(stderr,
            "usage: stun-bench --server IP:PORT [--local IP] [--sockets N] [--window W] [--duration S]\n"
            "                  [--warmup S] [--rate R] [--timeout-ms MS] [--echo] [--fingerprint]\n"
            "                  [--cpu-pid PID]... [--probe]\n");
    exit(2);
}

bool parse_hostport(const std::string &s, sockaddr_storage *out, socklen_t *len) {
    std::string host, port;
    if (!s.empty() && s[0] == '[') {
        size_t e = s.find(']');
        if (e == std::string::npos || e + 1 >= s.size() || s[e + 1] != ':') return false;
        host = s.substr(1, e - 1);
        port = s.substr(e + 2);
    } else {
        size_t c = s.rfind(':');
        if (c == std::string::npos) return false;
        host = s.substr(0, c);
        port = s.substr(c + 1);
    }
    int p = atoi(port.c_str());
    if (p <= 0 || p > 65535) return false;
    memset(out, 0, sizeof *out);
    auto *a4 = reinterpret_cast<sockaddr_in *>(out);
    auto *a6 = reinterpret_cast<sockaddr_in6 *>(out);
    if (inet_pton(AF_INET, host.c_str(), &a4->sin_addr) == 1) {
        a4->sin_family = AF_INET;
        a4->sin_port = htons(static_cast<uint16_t>(p));
        *len = sizeof *a4;
        return true;
    }
    if (inet_pton(AF_INET6, host.c_str(), &a6->sin6_addr) == 1) {
        a6->sin6_family = AF_INET6;
        a6->sin6_port = htons(static_cast<uint16_t>(p));
        *len = sizeof *a6;
        return true;
    }
    return false;
}

uint64_t now_ns() {
    timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<uint64_t>(ts.tv_sec) * 1'000'000'000ull + static_cast<uint64_t>(ts.tv_nsec);
}

void put16(uint8_t *p, uint16_t v) {
    p[0] = static_cast<uint8_t>(v >> 8);
    p[1] = static_cast<uint8_t>(v);
}
void put32(uint8_t *p, uint32_t v) {
    put16(p, static_cast<uint16_t>(v >> 16));
    put16(p + 2, static_cast<uint16_t>(v));
}
uint16_t get16(const uint8_t *p) { return static_cast<uint16_t>(p[0] << 8 | p[1]); }
uint32_t get32(const uint8_t *p) { return static_cast<uint32_t>(get16(p)) << 16 | get16(p + 2); }

uint32_t crc32(const uint8_t *p, size_t n) {
    static uint32_t table[256];
    static bool init = false;
    if (!init) {
        for (uint32_t i = 0; i < 256; i++) {
            uint32_t c = i;
            for (int k = 0; k < 8; k++) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[i] = c;
        }
        init = true;
    }
    uint32_t c = 0xFFFFFFFFu;
    for (size_t i = 0; i < n; i++) c = table[(c ^ p[i]) & 0xFF] ^ (c >> 8);
    return c ^ 0xFFFFFFFFu;
}

// --- /proc CPU accounting ----------------------------------------------------------------------

// utime+stime (clock ticks) and ppid of one process; false when it is gone.
bool proc_stat(int pid, uint64_t *ticks, int *ppid) {
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/stat", pid);
    FILE *f = fopen(path, "r");
    if (!f) return false;
    char buf[2048];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    char *p = strrchr(buf, ')');
    if (!p) return false;
    // fields after ") ": 3 state, 4 ppid, ... 14 utime, 15 stime
    p += 2;
    int field = 3;
    unsigned long long ut = 0, st = 0;
    long pp = 0;
    char *save = nullptr;
    for (char *tok = strtok_r(p, " ", &save); tok; tok = strtok_r(nullptr, " ", &save), field++) {
        if (field == 4) pp = strtol(tok, nullptr, 10);
        if (field == 14) ut = strtoull(tok, nullptr, 10);
        if (field == 15) {
            st = strtoull(tok, nullptr, 10);
            break;
        }
    }
    *ticks = ut + st;
    *ppid = static_cast<int>(pp);
    return true;
}

// The roots and all their descendants (resolved once, before measuring: walking /proc is slow).
std::vector<int> process_tree(const std::vector<int> &roots) {
    if (roots.empty()) return {};
    std::map<int, int> parent;  // pid -> ppid
    if (DIR *d = opendir("/proc")) {
        while (dirent *e = readdir(d)) {
            int pid = atoi(e->d_name);
            if (pid <= 0) continue;
            uint64_t t;
            int pp;
            if (proc_stat(pid, &t, &pp)) parent[pid] = pp;
        }
        closedir(d);
    }
    std::set<int> in(roots.begin(), roots.end());
    for (bool grew = true; grew;) {
        grew = false;
        for (auto &[pid, pp] : parent)
            if (!in.count(pid) && in.count(pp)) in.insert(pid), grew = true;
    }
    return std::vector<int>(in.begin(), in.end());
}

// Sum of utime+stime (all threads) of these processes, in ms.
double cpu_ms(const std::vector<int> &pids) {
    uint64_t ticks = 0;
    for (int pid : pids) {
        uint64_t t;
        int pp;
        if (proc_stat(pid, &t, &pp)) ticks += t;
    }
    return static_cast<double>(ticks) * 1000.0 / static_cast<double>(sysconf(_SC_CLK_TCK));
}

// Voluntary context switches (sleeps, i.e. wake-ups) of every thread of these processes.
uint64_t wakeups(const std::vector<int> &pids) {
    uint64_t n = 0;
    for (int pid : pids) {
        char dir[64];
        snprintf(dir, sizeof dir, "/proc/%d/task", pid);
        DIR *d = opendir(dir);
        if (!d) continue;
        while (dirent *e = readdir(d)) {
            if (e->d_name[0] == '.') continue;
            char path[320];
            snprintf(path, sizeof path, "/proc/%d/task/%s/status", pid, e->d_name);
            FILE *f = fopen(path, "r");
            if (!f) continue;
            char line[256];
            while (fgets(line, sizeof line, f)) {
                unsigned long long v;
                if (sscanf(line, "voluntary_ctxt_switches: %llu", &v) == 1) n += v;
            }
            fclose(f);
        }
        closedir(d);
    }
    return n;
}

double self_cpu_ms() {
    rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000.0 + (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1000.0;
}

// --- the generator -------------------------------------------------------------------------------

struct Slot {
    bool busy = false;
    uint32_t seq = 0;
    uint64_t sent_ns = 0;
};

struct Sock {
    int fd = -1;
    int index = 0;
    sockaddr_storage local{};
    std::vector<Slot> slots;
    std::vector<int> free_slots;
    // requests waiting for this socket's next sendmmsg
    std::vector<int> to_send;
};

struct Stats {
    uint64_t sent = 0, answered = 0, ok = 0, bad = 0, lost = 0, late = 0;
    std::vector<uint32_t> hist = std::vector<uint32_t>(kHistMaxUs + 1, 0);
    uint64_t max_us = 0;
    bool counting = false;
    char first_bad[160] = "";

    void latency(uint64_t ns) {
        uint64_t us = ns / 1000;
        if (us > max_us) max_us = us;
        hist[std::min(us, kHistMaxUs)]++;
    }
    uint64_t percentile(double q) const {
        uint64_t total = 0;
        for (uint32_t c : hist) total += c;
        if (total == 0) return 0;
        uint64_t want = static_cast<uint64_t>(q * static_cast<double>(total));
        if (want >= total) want = total - 1;
        uint64_t seen = 0;
        for (size_t i = 0; i < hist.size(); i++) {
            seen += hist[i];
            if (seen > want) return i;
        }
        return kHistMaxUs;
    }
};

class Bench {
public:
    explicit Bench(const Options &o) : o_(o), cpu_pids_(process_tree(o.cpu_pids)) {}

    bool open_sockets() {
        const int fam = o_.server.ss_family;
        for (int i = 0; i < o_.sockets; i++) {
            Sock s;
            s.index = i;
            s.fd = socket(fam, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
            if (s.fd < 0) return perr("socket");
            int big = 4 << 20;
            if (setsockopt(s.fd, SOL_SOCKET, SO_RCVBUFFORCE, &big, sizeof big) != 0)
                setsockopt(s.fd, SOL_SOCKET, SO_RCVBUF, &big, sizeof big);
            if (setsockopt(s.fd, SOL_SOCKET, SO_SNDBUFFORCE, &big, sizeof big) != 0)
                setsockopt(s.fd, SOL_SOCKET, SO_SNDBUF, &big, sizeof big);
            sockaddr_storage la;
            socklen_t ll;
            std::string lhp = fam == AF_INET6 ? "[" + o_.local_ip + "]:1" : o_.local_ip + ":1";
            if (!parse_hostport(lhp, &la, &ll)) {
                fprintf(stderr, "stun-bench: bad --local %s\n", o_.local_ip.c_str());
                return false;
            }
            if (fam == AF_INET) reinterpret_cast<sockaddr_in *>(&la)->sin_port = 0;
            else reinterpret_cast<sockaddr_in6 *>(&la)->sin6_port = 0;
            if (bind(s.fd, reinterpret_cast<sockaddr *>(&la), ll) != 0) return perr("bind");
            if (connect(s.fd, reinterpret_cast<const sockaddr *>(&o_.server), o_.server_len) != 0)
                return perr("connect");
            socklen_t sl = sizeof s.local;
            getsockname(s.fd, reinterpret_cast<sockaddr *>(&s.local), &sl);
            s.slots.resize(static_cast<size_t>(o_.window));
            for (int k = o_.window - 1; k >= 0; k--) s.free_slots.push_back(k);
            socks_.push_back(std::move(s));
        }
        ep_ = epoll_create1(EPOLL_CLOEXEC);
        for (auto &s : socks_) {
            epoll_event ev{};
            ev.events = EPOLLIN;
            ev.data.u32 = static_cast<uint32_t>(s.index);
            epoll_ctl(ep_, EPOLL_CTL_ADD, s.fd, &ev);
        }
        return true;
    }

    int probe() {
        uint64_t end = now_ns() + 5'000'000'000ull;
        while (now_ns() < end) {
            for (auto &s : socks_) queue(s);
            flush_all();
            epoll_event evs[64];
            int n = epoll_wait(ep_, evs, 64, 200);
            for (int i = 0; i < n; i++)
                if (receive(socks_[evs[i].data.u32]) > 0) return 0;
            for (auto &s : socks_) expire(s, 150'000'000ull);
        }
        fprintf(stderr, "stun-bench: no answer from the server within 5 s\n");
        return 1;
    }

    int run() {
        const uint64_t t0 = now_ns();
        const uint64_t t_measure = t0 + static_cast<uint64_t>(o_.warmup * 1e9);
        const uint64_t t_end = t_measure + static_cast<uint64_t>(o_.duration * 1e9);
        const uint64_t timeout_ns = static_cast<uint64_t>(o_.timeout_ms) * 1'000'000ull;
        double cpu0 = 0, gen0 = 0;
        uint64_t wake0 = 0;
        uint64_t measure_start = 0;
        uint64_t paced_sent = 0;  // requests sent by the pacer since t0
        uint64_t last_expire = t0;
        size_t rr = 0;
        bool measuring = false;
        for (;;) {
            uint64_t now = now_ns();
            if (!measuring && now >= t_measure) {
                measuring = true;
                st_ = Stats();
                st_.counting = true;
                wake0 = wakeups(cpu_pids_);
                cpu0 = cpu_ms(cpu_pids_);
                gen0 = self_cpu_ms();
                measure_start = now_ns();
            }
            if (now >= t_end) break;
            if (o_.rate > 0) {
                uint64_t due = static_cast<uint64_t>(o_.rate * static_cast<double>(now - t0) / 1e9);
                while (paced_sent < due) {
                    Sock *s = nullptr;
                    for (size_t k = 0; k < socks_.size() && !s; k++) {
                        Sock &c = socks_[(rr + k) % socks_.size()];
                        if (!c.free_slots.empty()) s = &c;
                    }
                    rr++;
                    if (!s) {  // window full: the server is behind; skip this request
                        stalls_++;
                        paced_sent = due;
                        break;
                    }
                    queue(*s);
                    paced_sent++;
                }
            } else {
                for (auto &s : socks_)
                    while (!s.free_slots.empty()) queue(s);
            }
            flush_all();
            epoll_event evs[64];
            int n = epoll_wait(ep_, evs, 64, 1);
            for (int i = 0; i < n; i++) receive(socks_[evs[i].data.u32]);
            now = now_ns();
            if (now - last_expire > 20'000'000ull) {
                for (auto &s : socks_) expire(s, timeout_ns);
                last_expire = now;
            }
        }
        const uint64_t measure_end = now_ns();
        const double cpu1 = cpu_ms(cpu_pids_);
        const double gen1 = self_cpu_ms();
        const uint64_t wake1 = wakeups(cpu_pids_);
        // drain: answers to requests sent inside the interval still count, for up to the timeout
        st_.counting = true;
        uint64_t drain_end = now_ns() + timeout_ns;
        while (now_ns() < drain_end && in_flight() > 0) {
            epoll_event evs[64];
            int n = epoll_wait(ep_, evs, 64, 5);
            for (int i = 0; i < n; i++) receive(socks_[evs[i].data.u32]);
        }
        st_.lost += in_flight();
        const double secs = static_cast<double>(measure_end - measure_start) / 1e9;
        print_result(secs, cpu1 - cpu0, gen1 - gen0, wake1 - wake0);
        return (st_.bad == 0 && st_.lost == 0 && st_.ok > 0) ? 0 : 1;
    }

private:
    bool perr(const char *what) {
        fprintf(stderr, "stun-bench: %s: %s\n", what, strerror(errno));
        return false;
    }

    uint64_t in_flight() const {
        uint64_t n = 0;
        for (const auto &s : socks_) n += s.slots.size() - s.free_slots.size();
        return n;
    }

    // Takes a free slot of s and queues a request for it.
    void queue(Sock &s) {
        if (s.free_slots.empty()) return;
        int k = s.free_slots.back();
        s.free_slots.pop_back();
        Slot &sl = s.slots[static_cast<size_t>(k)];
        sl.busy = true;
        sl.seq = ++seq_;
        s.to_send.push_back(k);
    }

    // Request bytes for slot k of socket s: tid = socket (2) | slot (2) | seq (4) | fixed (4).
    size_t build(const Sock &s, int k, uint8_t *out) const {
        const Slot &sl = s.slots[static_cast<size_t>(k)];
        put16(out, 0x0001);
        put16(out + 2, 0);
        put32(out + 4, kMagic);
        put16(out + 8, static_cast<uint16_t>(s.index));
        put16(out + 10, static_cast<uint16_t>(k));
        put32(out + 12, sl.seq);
        put32(out + 16, 0x5354424Eu);  // "STBN"
        size_t len = 20;
        if (o_.fingerprint) {
            put16(out + 2, 8);
            put16(out + 20, 0x8028);
            put16(out + 22, 4);
            put32(out + 24, crc32(out, 20) ^ 0x5354554Eu);
            len = 28;
        }
        return len;
    }

    void flush_all() {
        for (auto &s : socks_) flush(s);
    }

    void flush(Sock &s) {
        size_t done = 0;
        while (done < s.to_send.size()) {
            int n = static_cast<int>(std::min<size_t>(kBatch, s.to_send.size() - done));
            uint8_t bufs[kBatch][32];
            iovec iov[kBatch];
            mmsghdr msgs[kBatch];
            memset(msgs, 0, sizeof(mmsghdr) * static_cast<size_t>(n));
            uint64_t t = now_ns();
            for (int i = 0; i < n; i++) {
                int k = s.to_send[done + static_cast<size_t>(i)];
                iov[i].iov_base = bufs[i];
                iov[i].iov_len = build(s, k, bufs[i]);
                msgs[i].msg_hdr.msg_iov = &iov[i];
                msgs[i].msg_hdr.msg_iovlen = 1;
                s.slots[static_cast<size_t>(k)].sent_ns = t;
            }
            int r = sendmmsg(s.fd, msgs, static_cast<unsigned>(n), 0);
            if (r < 0) {
                if (errno == EINTR) continue;
                if (errno == EAGAIN || errno == ENOBUFS || errno == ECONNREFUSED) {
                    // not sent: the slots stay busy and time out (counted lost)
                    send_errors_ += static_cast<uint64_t>(n);
                    done += static_cast<size_t>(n);
                    continue;
                }
                perr("sendmmsg");
                exit(2);
            }
            if (st_.counting) st_.sent += static_cast<uint64_t>(r);
            if (r < n) send_errors_ += static_cast<uint64_t>(n - r);
            done += static_cast<size_t>(n);
        }
        s.to_send.clear();
    }

    void mark_bad(const char *why, const Sock &s) {
        if (!st_.counting) return;
        st_.bad++;
        if (!st_.first_bad[0]) snprintf(st_.first_bad, sizeof st_.first_bad, "socket %d: %s", s.index, why);
    }

    bool xor_mapped_is_me(const uint8_t *m, size_t len, const Sock &s) const {
        size_t off = 20;
        while (off + 4 <= len) {
            uint16_t t = get16(m + off), l = get16(m + off + 2);
            if (off + 4 + l > len) return false;
            if (t == 0x0020) {
                const uint8_t *v = m + off + 4;
                if (l < 8) return false;
                uint16_t port = get16(v + 2) ^ static_cast<uint16_t>(kMagic >> 16);
                if (s.local.ss_family == AF_INET) {
                    auto *a = reinterpret_cast<const sockaddr_in *>(&s.local);
                    if (v[1] != 1 || l != 8) return false;
                    uint32_t ip = get32(v + 4) ^ kMagic;
                    return port == ntohs(a->sin_port) && ip == ntohl(a->sin_addr.s_addr);
                }
                auto *a = reinterpret_cast<const sockaddr_in6 *>(&s.local);
                if (v[1] != 2 || l != 20) return false;
                uint8_t ip[16];
                for (int i = 0; i < 16; i++) ip[i] = v[4 + i] ^ m[4 + i];
                return port == ntohs(a->sin6_port) && memcmp(ip, &a->sin6_addr, 16) == 0;
            }
            off += 4 + ((l + 3u) & ~3u);
        }
        return false;
    }

    // Reads everything queued on s; refills the window in closed-loop mode. Returns answers read.
    int receive(Sock &s) {
        int got = 0;
        for (;;) {
            static uint8_t bufs[kBatch][kMaxDgram];
            iovec iov[kBatch];
            mmsghdr msgs[kBatch];
            memset(msgs, 0, sizeof msgs);
            for (int i = 0; i < kBatch; i++) {
                iov[i].iov_base = bufs[i];
                iov[i].iov_len = kMaxDgram;
                msgs[i].msg_hdr.msg_iov = &iov[i];
                msgs[i].msg_hdr.msg_iovlen = 1;
            }
            int n = recvmmsg(s.fd, msgs, kBatch, MSG_DONTWAIT, nullptr);
            if (n < 0) {
                if (errno == EINTR || errno == ECONNREFUSED) continue;
                break;  // EAGAIN
            }
            uint64_t t = now_ns();
            for (int i = 0; i < n; i++) {
                const uint8_t *m = bufs[i];
                size_t len = msgs[i].msg_len;
                if (st_.counting) st_.answered++;
                const uint16_t want_type = o_.echo ? 0x0001 : 0x0101;
                if (len < 20 || get16(m) != want_type || get32(m + 4) != kMagic ||
                    static_cast<size_t>(get16(m + 2)) + 20 != len || get16(m + 8) != s.index ||
                    get32(m + 16) != 0x5354424Eu) {
                    mark_bad("not a Binding answer to this socket", s);
                    continue;
                }
                uint16_t k = get16(m + 10);
                if (k >= s.slots.size()) {
                    mark_bad("slot out of range", s);
                    continue;
                }
                Slot &sl = s.slots[k];
                if (!sl.busy || sl.seq != get32(m + 12)) {
                    if (st_.counting) st_.late++;  // a late answer (already timed out) or a duplicate
                    continue;
                }
                sl.busy = false;
                s.free_slots.push_back(k);
                got++;
                if (!o_.echo && !xor_mapped_is_me(m, len, s)) {
                    mark_bad("XOR-MAPPED-ADDRESS missing or not the socket's address", s);
                    continue;
                }
                if (st_.counting) {
                    st_.ok++;
                    st_.latency(t - sl.sent_ns);
                }
            }
            if (n < kBatch) break;
        }
        return got;
    }

    void expire(Sock &s, uint64_t timeout_ns) {
        uint64_t now = now_ns();
        for (size_t k = 0; k < s.slots.size(); k++) {
            Slot &sl = s.slots[k];
            if (sl.busy && now - sl.sent_ns > timeout_ns) {
                sl.busy = false;
                s.free_slots.push_back(static_cast<int>(k));
                if (st_.counting) st_.lost++;
            }
        }
    }

    void print_result(double secs, double server_ms, double gen_ms, uint64_t server_wakeups) const {
        double rps = secs > 0 ? static_cast<double>(st_.ok) / secs : 0;
        printf("sent=%" PRIu64 " answered=%" PRIu64 " ok=%" PRIu64 " bad=%" PRIu64 " lost=%" PRIu64 " late=%" PRIu64
               " send_errors=%" PRIu64 " stalls=%" PRIu64 " secs=%.3f rps=%.0f p50_us=%" PRIu64 " p99_us=%" PRIu64
               " p999_us=%" PRIu64 " max_us=%" PRIu64,
               st_.sent, st_.answered, st_.ok, st_.bad, st_.lost, st_.late, send_errors_, stalls_, secs, rps,
               st_.percentile(0.50), st_.percentile(0.99), st_.percentile(0.999), st_.max_us);
        if (!cpu_pids_.empty())
            printf(" server_pids=%zu server_cpu_ms=%.0f server_cpu_us_per_resp=%.3f server_util=%.3f", cpu_pids_.size(), server_ms,
                   st_.ok ? server_ms * 1000.0 / static_cast<double>(st_.ok) : 0.0, secs > 0 ? server_ms / 1000.0 / secs : 0);
        if (!cpu_pids_.empty())
            printf(" server_wakeups=%" PRIu64 " server_answers_per_wakeup=%.2f", server_wakeups,
                   server_wakeups ? static_cast<double>(st_.ok) / static_cast<double>(server_wakeups) : 0.0);
        printf(" gen_cpu_ms=%.0f gen_util=%.3f\n", gen_ms, secs > 0 ? gen_ms / 1000.0 / secs : 0);
        if (st_.first_bad[0]) fprintf(stderr, "stun-bench: first bad answer: %s\n", st_.first_bad);
        fflush(stdout);
    }

    Options o_;
    std::vector<int> cpu_pids_;  // the --cpu-pid processes and their descendants
    std::vector<Sock> socks_;
    int ep_ = -1;
    Stats st_;
    uint32_t seq_ = 0;
    uint64_t send_errors_ = 0;
    uint64_t stalls_ = 0;
};

} // namespace

int main(int argc, char **argv) {
    Options o;
    bool have_server = false;
    for (int i = 1; i < argc; i++) {
        std::string a = argv[i];
        auto val = [&]() -> std::string {
            if (i + 1 >= argc) usage(("missing value for " + a).c_str());
            return argv[++i];
        };
        if (a == "--server") {
            if (!parse_hostport(val(), &o.server, &o.server_len)) usage("bad --server (IP:PORT or [IPv6]:PORT)");
            have_server = true;
        } else if (a == "--local") o.local_ip = val();
        else if (a == "--sockets") o.sockets = atoi(val().c_str());
        else if (a == "--window") o.window = atoi(val().c_str());
        else if (a == "--duration") o.duration = atof(val().c_str());
        else if (a == "--warmup") o.warmup = atof(val().c_str());
        else if (a == "--rate") o.rate = atof(val().c_str());
        else if (a == "--timeout-ms") o.timeout_ms = atoi(val().c_str());
        else if (a == "--cpu-pid") o.cpu_pids.push_back(atoi(val().c_str()));
        else if (a == "--echo") o.echo = true;
        else if (a == "--fingerprint") o.fingerprint = true;
        else if (a == "--probe") o.probe = true;
        else if (a == "-h" || a == "--help") usage(nullptr);
        else usage(("unknown option " + a).c_str());
    }
    if (!have_server) usage("--server is required");
    if (o.sockets < 1 || o.sockets > 4096 || o.window < 1 || o.window > 65535 || o.duration <= 0)
        usage("bad --sockets / --window / --duration");
    Bench b(o);
    if (!b.open_sockets()) return 2;
    return o.probe ? b.probe() : b.run();
}
