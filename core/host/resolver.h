// Destination lookup for forwarding: numeric addresses parsed in place, hostnames
// resolved with getaddrinfo and cached per worker (a miss blocks that worker, as in
// Kamailio's synchronous DNS; numeric next hops never touch the resolver).
#pragma once

#include <chrono>
#include <netinet/in.h>
#include <string>
#include <string_view>
#include <sys/socket.h>
#include <unordered_map>

namespace sipnat {

class Resolver {
public:
    // How long a positive or negative answer is kept.
    static constexpr std::chrono::seconds kTtl{60};
    static constexpr size_t kMaxEntries = 4096;

    // Fills *out with host:port; `host` may be an IPv4 address, a bracketed or bare IPv6
    // address, or a name. `prefer_family` (AF_INET/AF_INET6/AF_UNSPEC) picks among a
    // name's addresses. False when the name does not resolve.
    bool resolve(std::string_view host, uint16_t port, int prefer_family, sockaddr_storage *out);

private:
    struct Entry {
        bool ok;
        sockaddr_storage addr;
        std::chrono::steady_clock::time_point expires;
    };
    std::unordered_map<std::string, Entry> cache_;
};

} // namespace sipnat
