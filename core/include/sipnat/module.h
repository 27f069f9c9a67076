/*
 * sipnat module ABI.
 *
 * This header is the whole contract between sipnatd (the host) and a module.
 * It is plain C (C11 and C++ compatible) so a module can be written in either.
 *
 * A module is a shared object that exports one symbol:
 *
 *     SIPNAT_MODULE_EXPORT const struct sipnat_module_exports sipnat_module = {...};
 *
 * (in C++: `extern "C" SIPNAT_MODULE_EXPORT const sipnat_module_exports sipnat_module = {...};`)
 *
 * Loading, in order (all on the main thread unless said otherwise):
 *   1. `loadmodule "x.so"`: the host dlopen()s the file, finds `sipnat_module`,
 *      and checks `abi_version == SIPNAT_ABI_VERSION`. A mismatch is a start-up
 *      error naming the module; nothing else in the struct is read.
 *   2. `modparam("x","p",v)`: each time a param is given, its `set` callback is
 *      called with the value (an int or a string, as the param declares; a value
 *      of the other type is a config error reported by the host).
 *   3. The route script is compiled; every call of a module function runs that
 *      function's `fixup` once with the literal arguments.
 *   4. `init` runs once, after all modparams and fixups, before any socket is
 *      read. Extra sockets and raw hooks may be registered only here.
 *   5. `worker_init` runs once per worker thread, on that thread, before it
 *      reads its first datagram. Timers and loop handles made here belong to
 *      that worker.
 *   6. Function handlers and raw hooks run on worker threads, one message at a
 *      time per worker; never two at once on one worker.
 *   7. `destroy` runs once at shutdown on the main thread, after every worker
 *      has stopped (also when start-up failed after `init` succeeded).
 *
 * Threads: each worker runs its own event loop (libuv). Module state that
 * handlers touch must be per worker (use `worker_init` and `h->worker_id()`)
 * or be made thread-safe by the module.
 *
 * Shutdown: on SIGTERM/SIGINT each worker stops its loop; host timers are
 * freed, and any libuv handle a module left open on a worker loop is closed
 * with uv_close(handle, NULL) so the loop can end. Free such handles' memory
 * in `destroy` (it runs after every worker loop has closed), never before.
 *
 * Strings passed to a module are only valid during the call unless said
 * otherwise; `sipnat_str` values are not NUL-terminated.
 *
 * Return codes: unless a function says otherwise, 0 means success and a
 * negative value means failure.
 */
#ifndef SIPNAT_MODULE_H
#define SIPNAT_MODULE_H

#include <stddef.h>
#include <stdint.h>

struct sockaddr; /* from <sys/socket.h>; only pointers to it are used here */

#ifdef __cplusplus
extern "C" {
#endif

/* Bumped whenever any struct or function signature in this header changes. */
#define SIPNAT_ABI_VERSION 1u

/* Name of the one symbol a module exports. */
#define SIPNAT_MODULE_SYMBOL "sipnat_module"

#if defined(__GNUC__)
#define SIPNAT_MODULE_EXPORT __attribute__((visibility("default")))
#else
#define SIPNAT_MODULE_EXPORT
#endif

/* ------------------------------------------------------------------------- */
/* Basic types                                                               */

/* A byte string that is not NUL-terminated. */
typedef struct sipnat_str {
    const char *s;
    size_t len;
} sipnat_str;

/* Opaque: a SIP message being processed by a worker. */
typedef struct sipnat_msg sipnat_msg;

/* Opaque: a UDP socket the host polls (a SIP listener or a module socket). */
typedef struct sipnat_socket sipnat_socket;

/* Opaque: a timer created with sipnat_host.timer_start. */
typedef struct sipnat_timer sipnat_timer;

/* Log levels, as in `log_level=` and `-l N`: a message is printed when its
 * level is <= the configured level. */
enum sipnat_log_level {
    SIPNAT_L_ERR = 1,
    SIPNAT_L_WARN = 2,
    SIPNAT_L_NOTICE = 3,
    SIPNAT_L_INFO = 4,
    SIPNAT_L_DBG = 5
};

/* Route types, used as a bit mask in sipnat_func_export.route_mask. */
enum sipnat_route_type {
    SIPNAT_ROUTE_REQUEST = 1u << 0, /* route{} and route[NAME]{} */
    SIPNAT_ROUTE_ONREPLY = 1u << 1, /* onreply_route{} and onreply_route[NAME]{} */
    SIPNAT_ROUTE_FAILURE = 1u << 2, /* failure_route[NAME]{} (never run by a stateless proxy) */
    SIPNAT_ROUTE_BRANCH = 1u << 3,  /* branch_route[NAME]{} (never run by a stateless proxy) */
    SIPNAT_ROUTE_ANY = 0xFu
};

/* Transport protocol of a message or socket. */
enum sipnat_proto { SIPNAT_PROTO_UDP = 1 };

/* Description of a socket: local address (real and advertised). */
typedef struct sipnat_socket_info {
    int family;          /* AF_INET or AF_INET6 */
    const char *ip;      /* bound address, text form, NUL-terminated */
    uint16_t port;       /* bound port */
    int is_listener;     /* 1 for a SIP listener from `listen=`, 0 for a module socket */
    int proto;           /* enum sipnat_proto */
} sipnat_socket_info;

/* A datagram as seen by a raw hook. `data` is only valid during the hook. */
typedef struct sipnat_dgram {
    const uint8_t *data;
    size_t len;
    const struct sockaddr *src; /* sender (sockaddr_in or sockaddr_in6) */
    int src_len;                /* sizeof the sockaddr behind src */
    sipnat_socket *sock;        /* the socket it arrived on */
} sipnat_dgram;

/* A raw-datagram hook: return 1 to claim the datagram (nothing else sees it),
 * 0 to pass it on to keepalive handling and then SIP. Runs on a worker. */
typedef int (*sipnat_raw_hook_fn)(const sipnat_dgram *d, void *arg);

/* A timer callback; runs on the worker whose loop the timer was made on. */
typedef void (*sipnat_timer_fn)(sipnat_timer *t, void *arg);

/* ------------------------------------------------------------------------- */
/* What the host offers: one table of function pointers, valid from the first
 * param callback until after `destroy` returns. Never reach host internals
 * any other way. Functions marked [worker] may only be called on a worker
 * thread (from worker_init, handlers, hooks or timers); [init] only from
 * `init`; others from anywhere.                                              */

typedef struct sipnat_host {
    /* ABI version the host was built with (== SIPNAT_ABI_VERSION). */
    uint32_t abi_version;

    /* --- logging --- */

    /* Logs one line to the host log at `level`, tagged with `module`. printf format. */
    void (*log)(int level, const char *module, const char *fmt, ...)
#if defined(__GNUC__)
        __attribute__((format(printf, 3, 4)))
#endif
        ;
    /* Returns the configured log level, so callers can skip formatting costly lines. */
    int (*log_level)(void);

    /* --- workers, loops, timers --- */

    /* Returns the number of worker threads (`children=`). */
    int (*worker_count)(void);
    /* [worker] Returns the calling worker's index, 0..worker_count()-1; -1 off a worker. */
    int (*worker_id)(void);
    /* [worker] Returns the calling worker's event loop as a `uv_loop_t *`; modules
     * may put their own libuv handles on it. NULL off a worker. */
    void *(*worker_loop)(void);
    /* [worker] Starts a timer on the calling worker's loop: first fire after
     * `timeout_ms`, then every `repeat_ms` (0 = once). Returns NULL on failure. */
    sipnat_timer *(*timer_start)(uint64_t timeout_ms, uint64_t repeat_ms, sipnat_timer_fn cb, void *arg);
    /* [worker] Stops and frees a timer made on this worker; `t` is invalid afterwards.
     * Safe to call from the timer's own callback. */
    void (*timer_stop)(sipnat_timer *t);

    /* --- sockets --- */

    /* Returns the n-th socket (SIP listeners first, in `listen=` order, then module
     * sockets), or NULL past the end. Stable for the life of the process. */
    sipnat_socket *(*socket_at)(int n);
    /* Fills `*out` with the socket's description; strings live as long as the socket. */
    void (*socket_info)(const sipnat_socket *s, sipnat_socket_info *out);
    /* Finds the UDP socket bound to exactly ip:port (any family), or NULL. */
    sipnat_socket *(*socket_find)(const char *ip, uint16_t port);
    /* [init] Opens an extra UDP socket on ip:port that every worker polls and demuxes
     * like a listener (raw hooks, keepalives, SIP). Returns NULL and logs on failure. */
    sipnat_socket *(*socket_open_udp)(const char *ip, uint16_t port);
    /* [worker] Sends one datagram from socket `s` to `dst`. Returns 0 or -errno. */
    int (*send_udp)(sipnat_socket *s, const struct sockaddr *dst, const void *data, size_t len);

    /* --- raw-datagram hooks --- */

    /* [init] Adds a hook to the chain every datagram passes before keepalive and
     * SIP handling; hooks run in registration order. Returns 0 or -1. */
    int (*raw_hook_add)(sipnat_raw_hook_fn fn, void *arg);

    /* --- message access (only on the message passed to the current handler) --- */

    /* Returns 1 for a request, 0 for a reply. */
    int (*msg_is_request)(const sipnat_msg *m);
    /* Returns the request method (request) or the CSeq method (reply). */
    sipnat_str (*msg_method)(const sipnat_msg *m);
    /* Returns the reply status code, or 0 for a request. */
    int (*msg_status)(const sipnat_msg *m);
    /* Returns the Request-URI as currently set (empty for a reply). */
    sipnat_str (*msg_ruri)(const sipnat_msg *m);
    /* Returns the whole message as received (before any edit). */
    sipnat_str (*msg_raw)(const sipnat_msg *m);
    /* Finds the `idx`-th (0-based) header named `name` (case-insensitive; compact
     * forms match their long names) and sets *value to its trimmed value as
     * received (folding kept). Returns 1 when found, 0 otherwise. */
    int (*msg_header_get)(const sipnat_msg *m, const char *name, int idx, sipnat_str *value);
    /* Appends a header after the last one. `hf` is a full line such as
     * "X-Foo: bar"; a missing trailing CRLF is added. Returns 0 or -1. */
    int (*msg_header_add)(sipnat_msg *m, const char *hf, size_t len);
    /* Removes every header named `name`. Returns how many were removed. */
    int (*msg_header_remove)(sipnat_msg *m, const char *name);
    /* Returns the body as it will be sent (after any body_replace). */
    sipnat_str (*msg_body)(const sipnat_msg *m);
    /* Replaces the whole body; Content-Length is fixed by the host. Returns 0 or -1. */
    int (*msg_body_replace)(sipnat_msg *m, const char *body, size_t len);
    /* Returns the sender address (sockaddr_in or sockaddr_in6) and its length. */
    const struct sockaddr *(*msg_src)(const sipnat_msg *m, int *len);
    /* Returns the sender IP as NUL-terminated text (valid for the message's life). */
    const char *(*msg_src_ip)(const sipnat_msg *m);
    /* Returns the sender port. */
    uint16_t (*msg_src_port)(const sipnat_msg *m);
    /* Returns the transport protocol (enum sipnat_proto). */
    int (*msg_proto)(const sipnat_msg *m);
    /* Returns the socket the message arrived on. */
    sipnat_socket *(*msg_socket)(const sipnat_msg *m);

    /* --- AVPs and flags (per message in a stateless proxy) --- */

    /* Gets the first value of AVP `name` (without "$avp(" ")"). Returns 1 and sets
     * *value when set, 0 otherwise. */
    int (*avp_get)(const sipnat_msg *m, const char *name, sipnat_str *value);
    /* Adds a string value to AVP `name`; it becomes the first value. Returns 0 or -1. */
    int (*avp_set)(sipnat_msg *m, const char *name, const char *value, size_t len);
    /* Sets, resets or tests message flag `flag` (0..31). isflag returns 1 or 0. */
    void (*flag_set)(sipnat_msg *m, int flag);
    void (*flag_reset)(sipnat_msg *m, int flag);
    int (*flag_is_set)(const sipnat_msg *m, int flag);

    /* --- inter-module APIs --- */

    /* Publishes `api` (any struct the module defines) under the module's `name`.
     * Call from a param callback or `init`. Returns 0, or -1 if the name is taken. */
    int (*api_publish)(const char *name, const void *api);
    /* Returns the API another module published under `name`, or NULL. Modules'
     * `init` runs in load order, so look it up in `init` or later. */
    const void *(*api_find)(const char *name);
} sipnat_host;

/* ------------------------------------------------------------------------- */
/* What a module exports                                                     */

enum sipnat_param_type { SIPNAT_PARAM_INT = 1, SIPNAT_PARAM_STR = 2 };

/* A modparam value: `i` for SIPNAT_PARAM_INT, `s` (NUL-terminated) for STR. */
typedef struct sipnat_param_value {
    int type;
    long i;
    const char *s;
} sipnat_param_value;

/* Called each time `modparam` names this param (a param given twice is
 * delivered twice). Return 0, or -1 after writing a reason into err. */
typedef int (*sipnat_param_set_fn)(const sipnat_host *h, const sipnat_param_value *v, char *err, size_t errlen);

typedef struct sipnat_param_export {
    const char *name;        /* NULL terminates the array */
    int type;                /* enum sipnat_param_type */
    sipnat_param_set_fn set;
} sipnat_param_export;

/* Run once at start for each call site, with its literal string arguments.
 * May store a prepared form in *fixed (handed to the handler; freed by
 * free_fixed at shutdown). Return 0, or -1 after writing a reason into err. */
typedef int (*sipnat_fixup_fn)(const sipnat_host *h, int argc, const char *const *argv, void **fixed, char *err,
                               size_t errlen);

/* A script function: returns >0 (true), <0 (false) or 0 (stop the script). */
typedef int (*sipnat_func_fn)(const sipnat_host *h, sipnat_msg *m, void *fixed);

#define SIPNAT_MAX_FUNC_ARGS 6

typedef struct sipnat_func_export {
    const char *name;            /* NULL terminates the array */
    int min_args, max_args;      /* 0..SIPNAT_MAX_FUNC_ARGS string arguments */
    sipnat_fixup_fn fixup;       /* may be NULL: *fixed is then NULL */
    void (*free_fixed)(void *fixed); /* may be NULL */
    sipnat_func_fn handler;
    unsigned route_mask;         /* enum sipnat_route_type bits it may be used in */
} sipnat_func_export;

typedef struct sipnat_module_exports {
    uint32_t abi_version;        /* must be SIPNAT_ABI_VERSION */
    const char *name;            /* the name modparam() uses, e.g. "stun" */
    const sipnat_param_export *params;   /* may be NULL */
    const sipnat_func_export *functions; /* may be NULL */
    /* Once, after all modparams. Return 0, or -1 after writing a reason into err; a reason
     * that starts with "param_name:" is reported at that param's modparam line. */
    int (*init)(const sipnat_host *h, char *err, size_t errlen);
    /* Once per worker, on that worker's thread. Return 0 or -1 (stops start-up). */
    int (*worker_init)(const sipnat_host *h, int worker_id);
    /* Once at shutdown, after the workers stopped. May be NULL. */
    void (*destroy)(const sipnat_host *h);
} sipnat_module_exports;

#ifdef __cplusplus
}
#endif

#endif /* SIPNAT_MODULE_H */
