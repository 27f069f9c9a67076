// Who "we" are: the socket a message leaves from, and the names/addresses that mean this proxy.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sipnat::sip {

// A peer address: where a message came from. ip is text; it must outlive the call it is passed to.
struct Endpoint {
    std::string_view ip;
    uint16_t port = 0;
};

// Where to send a datagram. host is an IP literal or a name (resolution is done elsewhere), never
// in []; transport is the URI's transport param ("" when absent; this proxy sends UDP).
struct Destination {
    std::string host;
    uint16_t port = 0;
    bool secure = false;    // came from a sips URI
    std::string transport;
};

// The local socket a request is forwarded from. The address family follows from the ip text.
struct LocalSocket {
    std::string ip;             // bound address, text ("192.0.2.1", "2001:db8::1")
    uint16_t port = 5060;       // bound port
    std::string advertised_ip;  // written into our Via instead of ip when set (NAT'ed host)
    uint16_t advertised_port = 0;  // likewise for the port; 0 = use port

    // The host written into our Via: advertised or bound address, IPv6 in [].
    std::string via_host() const;
    // The port written into our Via.
    uint16_t via_port() const { return advertised_port != 0 ? advertised_port : port; }
};

// The set of host[:port] values that name this proxy: listener sockets (ip + port, and their
// advertised forms) and alias names. Lookups compare IP literals as addresses and names case-
// insensitively.
class LocalNames {
public:
    // Adds a listener: host:port (and its advertised ip/port when set) will be us.
    void add_socket(const LocalSocket &s);
    // Adds ip:port directly.
    void add_listener(std::string_view ip, uint16_t port);
    // Adds an alias host name or address; port 0 means any port.
    void add_alias(std::string_view host, uint16_t port = 0);
    // True when host (as written in a URI or Via; IPv6 in [] or not) and port name us. port 0 means
    // "absent" and stands for the default: 5061 when `secure` (sips), else 5060.
    bool is_us(std::string_view host, uint16_t port, bool secure = false) const;

private:
    struct Entry {
        std::string host;  // without []
        uint16_t port;     // 0 = any
    };
    std::vector<Entry> entries_;
};

}  // namespace sipnat::sip
