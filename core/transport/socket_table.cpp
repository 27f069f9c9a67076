#include "socket_table.h"

#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace sipnat {

bool make_sockaddr(const std::string &ip, uint16_t port, sockaddr_storage *out, socklen_t *len) {
    std::memset(out, 0, sizeof *out);
    auto *v4 = reinterpret_cast<sockaddr_in *>(out);
    if (inet_pton(AF_INET, ip.c_str(), &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        v4->sin_port = htons(port);
        *len = sizeof(sockaddr_in);
        return true;
    }
    auto *v6 = reinterpret_cast<sockaddr_in6 *>(out);
    if (inet_pton(AF_INET6, ip.c_str(), &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons(port);
        *len = sizeof(sockaddr_in6);
        return true;
    }
    return false;
}

std::string sockaddr_ip(const sockaddr *sa, uint16_t *port) {
    char buf[INET6_ADDRSTRLEN] = "";
    if (sa->sa_family == AF_INET) {
        auto *v4 = reinterpret_cast<const sockaddr_in *>(sa);
        inet_ntop(AF_INET, &v4->sin_addr, buf, sizeof buf);
        if (port) *port = ntohs(v4->sin_port);
    } else if (sa->sa_family == AF_INET6) {
        auto *v6 = reinterpret_cast<const sockaddr_in6 *>(sa);
        inet_ntop(AF_INET6, &v6->sin6_addr, buf, sizeof buf);
        if (port) *port = ntohs(v6->sin6_port);
    }
    return buf;
}

bool sockaddr_equal(const sockaddr *a, const sockaddr *b) {
    if (a->sa_family != b->sa_family) return false;
    if (a->sa_family == AF_INET) {
        auto *x = reinterpret_cast<const sockaddr_in *>(a);
        auto *y = reinterpret_cast<const sockaddr_in *>(b);
        return x->sin_port == y->sin_port && x->sin_addr.s_addr == y->sin_addr.s_addr;
    }
    if (a->sa_family == AF_INET6) {
        auto *x = reinterpret_cast<const sockaddr_in6 *>(a);
        auto *y = reinterpret_cast<const sockaddr_in6 *>(b);
        return x->sin6_port == y->sin6_port && std::memcmp(&x->sin6_addr, &y->sin6_addr, 16) == 0;
    }
    return false;
}

SocketTable::~SocketTable() { close_all(); }

namespace {

int bind_one(const sipnat_socket &s, std::string *err) {
    int fd = socket(s.family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        *err = std::string("socket(): ") + strerror(errno);
        return -1;
    }
    int one = 1;
    // One socket per worker on the same address; the kernel spreads datagrams by flow hash.
    setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one);
    if (s.family == AF_INET6) setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
    // Large buffers absorb bursts while a worker is busy with a long script.
    int rcv = 4 << 20;
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcv, sizeof rcv);
    int snd = 4 << 20;
    setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &snd, sizeof snd);
    if (bind(fd, reinterpret_cast<const sockaddr *>(&s.addr), s.addr_len) != 0) {
        *err = "cannot bind udp:" + (s.family == AF_INET6 ? "[" + s.ip + "]" : s.ip) + ":" + std::to_string(s.port) +
               ": " + strerror(errno);
        close(fd);
        return -1;
    }
    return fd;
}

} // namespace

sipnat_socket *SocketTable::open(const std::string &ip, uint16_t port, bool listener, int workers, std::string *err) {
    auto s = std::make_unique<sipnat_socket>();
    if (!make_sockaddr(ip, port, &s->addr, &s->addr_len)) {
        *err = "'" + ip + "' is not a numeric IP address";
        return nullptr;
    }
    if (find(ip, port)) {
        *err = "udp " + ip + ":" + std::to_string(port) + " is already open";
        return nullptr;
    }
    s->family = s->addr.ss_family;
    s->ip = sockaddr_ip(reinterpret_cast<sockaddr *>(&s->addr));
    s->port = port;
    s->listener = listener;
    s->index = static_cast<int>(sockets_.size());
    for (int w = 0; w < workers; w++) {
        int fd = bind_one(*s, err);
        if (fd < 0) {
            for (int f : s->fds) ::close(f);
            return nullptr;
        }
        s->fds.push_back(fd);
    }
    sockets_.push_back(std::move(s));
    return sockets_.back().get();
}

sipnat_socket *SocketTable::find(const std::string &ip, uint16_t port) const {
    sockaddr_storage a;
    socklen_t len;
    if (!make_sockaddr(ip, port, &a, &len)) return nullptr;
    for (const auto &s : sockets_)
        if (sockaddr_equal(reinterpret_cast<const sockaddr *>(&s->addr), reinterpret_cast<sockaddr *>(&a)))
            return s.get();
    return nullptr;
}

sipnat_socket *SocketTable::at(int n) const {
    return n >= 0 && n < size() ? sockets_[static_cast<size_t>(n)].get() : nullptr;
}

void SocketTable::close_all() {
    for (auto &s : sockets_) {
        for (int fd : s->fds) ::close(fd);
        s->fds.clear();
    }
}

} // namespace sipnat
