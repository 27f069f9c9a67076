#include "demux.h"

#include "host.h"
#include "log/log.h"
#include "worker.h"

#include <cstring>

namespace sipnat {

KeepaliveKind classify_keepalive(const uint8_t *data, size_t len) {
    if (len == 4 && std::memcmp(data, "\r\n\r\n", 4) == 0) return KeepaliveKind::DoubleCrlf;
    if (len == 2 && std::memcmp(data, "\r\n", 2) == 0) return KeepaliveKind::Silent;
    if (len == 4 && std::memcmp(data, "\0\0\0\0", 4) == 0) return KeepaliveKind::Silent;
    return KeepaliveKind::NotKeepalive;
}

void demux_datagram(Host &host, Worker &w, sipnat_socket *s, const uint8_t *data, size_t len, const sockaddr *src) {
    if (!host.raw_hooks.empty()) {
        sipnat_dgram d{data, len, src, src->sa_family == AF_INET6 ? int(sizeof(sockaddr_in6)) : int(sizeof(sockaddr_in)),
                       s};
        for (const RawHook &h : host.raw_hooks)
            if (h.fn(&d, h.arg)) return;
    }
    switch (classify_keepalive(data, len)) {
    case KeepaliveKind::DoubleCrlf: w.send(s, src, "\r\n", 2); return;
    case KeepaliveKind::Silent: return;
    case KeepaliveKind::NotKeepalive: break;
    }
    if (host.sip.handle) host.sip.handle(host.sip.ctx, w, s, data, len, src);
}

} // namespace sipnat
