/* udp-echo: the kernel floor for bench/stun. Sends every datagram back to its sender, unchanged,
 * from the socket it arrived on: recvmmsg (up to 64, blocking for the first) then one sendmmsg
 * of the batch. THREADS threads, each with its own SO_REUSEPORT socket on IP:PORT (as sipnatd's
 * workers), 4 MB socket buffers. No parsing, no allocation, no logging: whatever a STUN server
 * costs above this is its own work plus its event loop.
 *
 *   udp-echo IP PORT [THREADS]      (IPv6 addresses without brackets)
 *
 * Runs until killed (SIGTERM/SIGINT: exit 0). */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define BATCH 64
#define MAXDGRAM 2048

static struct sockaddr_storage g_addr;
static socklen_t g_addr_len;

static int open_socket(void) {
    int fd = socket(g_addr.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    int one = 1, big = 4 << 20;
    setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one);
    if (g_addr.ss_family == AF_INET6) setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
    if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &big, sizeof big) != 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &big, sizeof big);
    if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &big, sizeof big) != 0)
        setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &big, sizeof big);
    if (bind(fd, (struct sockaddr *)&g_addr, g_addr_len) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

static void *serve(void *arg) {
    int fd = (int)(long)arg;
    static _Thread_local unsigned char bufs[BATCH][MAXDGRAM];
    static _Thread_local struct sockaddr_storage from[BATCH];
    struct iovec iov[BATCH];
    struct mmsghdr msgs[BATCH];
    for (;;) {
        memset(msgs, 0, sizeof msgs);
        for (int i = 0; i < BATCH; i++) {
            iov[i].iov_base = bufs[i];
            iov[i].iov_len = MAXDGRAM;
            msgs[i].msg_hdr.msg_iov = &iov[i];
            msgs[i].msg_hdr.msg_iovlen = 1;
            msgs[i].msg_hdr.msg_name = &from[i];
            msgs[i].msg_hdr.msg_namelen = sizeof from[i];
        }
        int n = recvmmsg(fd, msgs, BATCH, MSG_WAITFORONE, NULL);
        if (n < 0) {
            if (errno == EINTR) continue;
            perror("udp-echo: recvmmsg");
            return NULL;
        }
        for (int i = 0; i < n; i++) iov[i].iov_len = msgs[i].msg_len;
        int done = 0;
        while (done < n) {
            int r = sendmmsg(fd, msgs + done, (unsigned)(n - done), 0);
            if (r < 0) {
                if (errno == EINTR) continue;
                break; /* EAGAIN / ENOBUFS: the rest of the batch is dropped, as a server would */
            }
            done += r;
        }
    }
}

static void on_signal(int sig) {
    (void)sig;
    _exit(0);
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: udp-echo IP PORT [THREADS]\n");
        return 2;
    }
    int port = atoi(argv[2]), threads = argc > 3 ? atoi(argv[3]) : 1;
    if (port <= 0 || port > 65535 || threads < 1 || threads > 256) {
        fprintf(stderr, "udp-echo: bad port or thread count\n");
        return 2;
    }
    memset(&g_addr, 0, sizeof g_addr);
    struct sockaddr_in *a4 = (struct sockaddr_in *)&g_addr;
    struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)&g_addr;
    if (inet_pton(AF_INET, argv[1], &a4->sin_addr) == 1) {
        a4->sin_family = AF_INET;
        a4->sin_port = htons((unsigned short)port);
        g_addr_len = sizeof *a4;
    } else if (inet_pton(AF_INET6, argv[1], &a6->sin6_addr) == 1) {
        a6->sin6_family = AF_INET6;
        a6->sin6_port = htons((unsigned short)port);
        g_addr_len = sizeof *a6;
    } else {
        fprintf(stderr, "udp-echo: bad IP %s\n", argv[1]);
        return 2;
    }
    signal(SIGTERM, on_signal);
    signal(SIGINT, on_signal);
    pthread_t tids[256];
    for (int i = 0; i < threads; i++) {
        int fd = open_socket();
        if (fd < 0) {
            fprintf(stderr, "udp-echo: cannot bind %s:%d: %s\n", argv[1], port, strerror(errno));
            return 1;
        }
        if (pthread_create(&tids[i], NULL, serve, (void *)(long)fd) != 0) {
            fprintf(stderr, "udp-echo: pthread_create failed\n");
            return 1;
        }
    }
    fprintf(stderr, "udp-echo: %d thread(s) on %s:%d\n", threads, argv[1], port);
    for (int i = 0; i < threads; i++) pthread_join(tids[i], NULL);
    return 1;
}
