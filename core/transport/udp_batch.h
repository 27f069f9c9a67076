// Batched UDP I/O for one worker: recvmmsg into fixed slots, sendmmsg of queued replies.
// No loop or module knowledge here: the worker drives it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <netinet/in.h>
#include <sys/socket.h>
#include <vector>

namespace sipnat {

class UdpBatch {
public:
    static constexpr int kSlots = 32;          // datagrams per recvmmsg call
    static constexpr size_t kSlotSize = 65536; // a whole UDP datagram always fits
    static constexpr int kOutMax = 64;         // queued sends before a forced flush
    static constexpr size_t kOutBytes = 1 << 20;

    UdpBatch();

    // Reads up to kSlots datagrams from `fd`; returns the count (0 when nothing is queued).
    int receive(int fd);
    // Slot i of the last receive: data, length, sender, and whether it was truncated.
    const uint8_t *data(int i) const { return slots_.data() + static_cast<size_t>(i) * kSlotSize; }
    size_t len(int i) const { return hdrs_[i].msg_len; }
    const sockaddr *src(int i) const { return reinterpret_cast<const sockaddr *>(&srcs_[i]); }
    bool truncated(int i) const { return (hdrs_[i].msg_hdr.msg_flags & MSG_TRUNC) != 0; }

    // Queues one datagram for `fd`; flushes first when the queue is full. Returns 0 or -errno
    // (only errors seen while flushing the queue are reported).
    int queue(int fd, const sockaddr *dst, const void *data, size_t len);
    // Sends everything queued, one sendmmsg per run of datagrams for the same fd.
    void flush();
    // True when sends are queued.
    bool pending() const { return out_n_ > 0; }

private:
    std::vector<uint8_t> slots_;
    mmsghdr hdrs_[kSlots];
    iovec iovs_[kSlots];
    sockaddr_storage srcs_[kSlots];

    struct Out {
        int fd;
        size_t off, len;
        sockaddr_storage dst;
        socklen_t dst_len;
    };
    Out out_[kOutMax];
    int out_n_ = 0;
    std::vector<uint8_t> out_buf_;
    size_t out_used_ = 0;
};

} // namespace sipnat
