// The UDP sockets the host polls: SIP listeners and module-opened sockets.
// Filled on the main thread before the workers start; read-only afterwards.
#pragma once

#include <sipnat/module.h>

#include <memory>
#include <netinet/in.h>
#include <string>
#include <sys/socket.h>
#include <vector>

// Host-side definition of the opaque ABI type.
struct sipnat_socket {
    int index = 0;
    int family = AF_INET;
    std::string ip;       // canonical text form of the bound address
    uint16_t port = 0;
    bool listener = false; // from listen=, as opposed to opened by a module
    sockaddr_storage addr{};
    socklen_t addr_len = 0;
    std::vector<int> fds; // one SO_REUSEPORT socket per worker, same address
};

namespace sipnat {

// Parses a numeric IPv4/IPv6 address + port into a sockaddr; false if `ip` is not numeric.
bool make_sockaddr(const std::string &ip, uint16_t port, sockaddr_storage *out, socklen_t *len);
// Formats the address part of a sockaddr as text ("1.2.3.4", "::1"); port into *port.
std::string sockaddr_ip(const sockaddr *sa, uint16_t *port = nullptr);
// Equality of address and port of two sockaddrs.
bool sockaddr_equal(const sockaddr *a, const sockaddr *b);

class SocketTable {
public:
    ~SocketTable();
    // Registers ip:port and binds `workers` SO_REUSEPORT sockets for it; nullptr and *err on failure.
    sipnat_socket *open(const std::string &ip, uint16_t port, bool listener, int workers, std::string *err);
    // Finds the socket bound to exactly ip:port (the ip in any textual form), or nullptr.
    sipnat_socket *find(const std::string &ip, uint16_t port) const;
    // The n-th socket in registration order, or nullptr.
    sipnat_socket *at(int n) const;
    // Number of sockets.
    int size() const { return static_cast<int>(sockets_.size()); }
    // Closes every fd (workers must have stopped).
    void close_all();

private:
    std::vector<std::unique_ptr<sipnat_socket>> sockets_;
};

} // namespace sipnat
