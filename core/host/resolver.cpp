#include "resolver.h"

#include <arpa/inet.h>
#include <cstring>
#include <netdb.h>

namespace sipnat {

namespace {

void set_port(sockaddr_storage *a, uint16_t port) {
    if (a->ss_family == AF_INET) reinterpret_cast<sockaddr_in *>(a)->sin_port = htons(port);
    else reinterpret_cast<sockaddr_in6 *>(a)->sin6_port = htons(port);
}

bool numeric(std::string_view host, sockaddr_storage *out) {
    char buf[INET6_ADDRSTRLEN + 2];
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    if (host.empty() || host.size() >= sizeof buf) return false;
    std::memcpy(buf, host.data(), host.size());
    buf[host.size()] = 0;
    std::memset(out, 0, sizeof *out);
    auto *v4 = reinterpret_cast<sockaddr_in *>(out);
    if (inet_pton(AF_INET, buf, &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        return true;
    }
    auto *v6 = reinterpret_cast<sockaddr_in6 *>(out);
    if (inet_pton(AF_INET6, buf, &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        return true;
    }
    return false;
}

} // namespace

bool Resolver::resolve(std::string_view host, uint16_t port, int prefer_family, sockaddr_storage *out) {
    if (numeric(host, out)) {
        set_port(out, port);
        return true;
    }
    std::string key(host);
    key += '/';
    key += std::to_string(prefer_family);
    auto now = std::chrono::steady_clock::now();
    auto it = cache_.find(key);
    if (it == cache_.end() || it->second.expires <= now) {
        if (cache_.size() >= kMaxEntries) cache_.clear(); // crude bound; names are few in practice
        Entry e{false, {}, now + kTtl};
        addrinfo hints{};
        hints.ai_family = prefer_family;
        hints.ai_socktype = SOCK_DGRAM;
        addrinfo *res = nullptr;
        std::string name(host);
        if (getaddrinfo(name.c_str(), nullptr, &hints, &res) == 0 && res) {
            std::memcpy(&e.addr, res->ai_addr, res->ai_addrlen);
            e.ok = true;
        }
        if (res) freeaddrinfo(res);
        it = cache_.insert_or_assign(key, e).first;
    }
    if (!it->second.ok) return false;
    *out = it->second.addr;
    set_port(out, port);
    return true;
}

} // namespace sipnat
