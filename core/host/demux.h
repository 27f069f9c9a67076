// The one demux point every datagram passes: raw hooks, then keepalives, then SIP.
#pragma once

#include <cstddef>
#include <cstdint>
#include <sys/socket.h>

struct sipnat_socket;

namespace sipnat {

class Host;
class Worker;

// What a datagram that no raw hook claimed is, judged by its bytes alone.
enum class KeepaliveKind {
    NotKeepalive, // hand it to SIP
    DoubleCrlf,   // "\r\n\r\n": answer "\r\n" (RFC 5626 §4.4.1 style ping)
    Silent        // a lone CRLF or OpenSER's 4 zero bytes: drop without a word
};

// Classifies a datagram as a keepalive or not.
KeepaliveKind classify_keepalive(const uint8_t *data, size_t len);

// Routes one received datagram: the raw hooks in order (the first that claims it wins),
// then keepalives, then the SIP sink. Runs on worker `w`.
void demux_datagram(Host &host, Worker &w, sipnat_socket *s, const uint8_t *data, size_t len, const sockaddr *src);

} // namespace sipnat
