#include "udp_batch.h"

#include <cerrno>
#include <cstring>

namespace sipnat {

UdpBatch::UdpBatch() : slots_(static_cast<size_t>(kSlots) * kSlotSize), out_buf_(kOutBytes) {
    std::memset(hdrs_, 0, sizeof hdrs_);
}

int UdpBatch::receive(int fd) {
    for (int i = 0; i < kSlots; i++) {
        iovs_[i].iov_base = slots_.data() + static_cast<size_t>(i) * kSlotSize;
        iovs_[i].iov_len = kSlotSize;
        msghdr &h = hdrs_[i].msg_hdr;
        h.msg_name = &srcs_[i];
        h.msg_namelen = sizeof srcs_[i];
        h.msg_iov = &iovs_[i];
        h.msg_iovlen = 1;
        h.msg_control = nullptr;
        h.msg_controllen = 0;
        h.msg_flags = 0;
    }
    int n;
    do {
        n = recvmmsg(fd, hdrs_, kSlots, MSG_DONTWAIT, nullptr);
    } while (n < 0 && errno == EINTR);
    return n < 0 ? 0 : n;
}

int UdpBatch::queue(int fd, const sockaddr *dst, const void *data, size_t len) {
    if (len > kOutBytes) return -EMSGSIZE;
    int rc = 0;
    if (out_n_ == kOutMax || out_used_ + len > kOutBytes) flush();
    Out &o = out_[out_n_++];
    o.fd = fd;
    o.off = out_used_;
    o.len = len;
    o.dst_len = dst->sa_family == AF_INET6 ? sizeof(sockaddr_in6) : sizeof(sockaddr_in);
    std::memcpy(&o.dst, dst, o.dst_len);
    std::memcpy(out_buf_.data() + out_used_, data, len);
    out_used_ += len;
    return rc;
}

void UdpBatch::flush() {
    mmsghdr msgs[kOutMax];
    iovec iov[kOutMax];
    int i = 0;
    while (i < out_n_) {
        int fd = out_[i].fd, n = 0;
        for (; i + n < out_n_ && out_[i + n].fd == fd; n++) {
            Out &o = out_[i + n];
            iov[n].iov_base = out_buf_.data() + o.off;
            iov[n].iov_len = o.len;
            std::memset(&msgs[n], 0, sizeof msgs[n]);
            msgs[n].msg_hdr.msg_name = &o.dst;
            msgs[n].msg_hdr.msg_namelen = o.dst_len;
            msgs[n].msg_hdr.msg_iov = &iov[n];
            msgs[n].msg_hdr.msg_iovlen = 1;
        }
        int sent = 0;
        while (sent < n) {
            int r = sendmmsg(fd, msgs + sent, static_cast<unsigned>(n - sent), 0);
            if (r < 0) {
                if (errno == EINTR) continue;
                sent++; // skip the datagram that failed (e.g. unreachable destination)
                continue;
            }
            sent += r;
        }
        i += n;
    }
    out_n_ = 0;
    out_used_ = 0;
}

} // namespace sipnat
