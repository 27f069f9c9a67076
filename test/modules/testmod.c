/*
 * testmod: a test-only sipnat module, written in C11 to prove <sipnat/module.h> is plain C.
 *
 * It exercises every entry of the sipnat_host table and every kind of export, and logs
 * what it saw in lines the unit and integration tests look for (all start "testmod: ").
 *
 * Params (each delivery is handled, so a param given 3 times is seen 3 times):
 *   int_param (INT)        logged: "testmod: int_param=N (delivery #k)"
 *   str_param (STR)        logged: "testmod: str_param=S (delivery #k)"
 *   reject_param (STR)     the value "bad" is rejected with a reason, "silent" without one
 *   extra_socket (STR)     "ip:port" or "[ip6]:port": opened in init with socket_open_udp
 *   publish_as (STR)       name the module's API is published under in init (default "testmod")
 *   find_api (STR)         name looked up with api_find in init (logs found / not found)
 *   claim_keepalive (INT)  1: the raw hook also claims "\r\n\r\n" (proves hooks run first)
 *   fail_init (STR)        init fails with this reason
 *   fail_worker_init (INT) worker_init fails on the worker with this id
 *
 * Raw hook (runs before keepalive and SIP handling):
 *   "TESTMOD..."      -> claimed, answered "TESTMOD-ACK worker=<id> sock=<ip>:<port>"
 *   "\r\n\r\nHOOK"    -> claimed, answered "HOOK-ACK worker=<id> sock=<ip>:<port>"
 *   "\r\n\r\n"        -> claimed and answered "KEEPALIVE-CLAIMED" only with claim_keepalive=1
 *   anything else     -> passed on (returns 0)
 * IPv6 socket addresses are written in brackets: "sock=[::1]:5060".
 */
#define _POSIX_C_SOURCE 200809L

#include <sipnat/module.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#define MOD "testmod"
#define MAX_EXTRA 8

/* ------------------------------------------------------------------------- */
/* State                                                                     */

/* Per-worker state; only ever touched by its own worker thread (and by destroy,
 * after the workers stopped). */
struct worker_state {
    int id;
    int init_calls;
    int repeat_fires;
    sipnat_timer *oneshot;
    sipnat_timer *repeat;
};

/* The API this module publishes: a magic number and one function. */
struct testmod_api {
    unsigned magic;
    int (*add)(int a, int b);
};
#define TESTMOD_API_MAGIC 0x7e57a91u

static const sipnat_host *g_host;
static int g_int_deliveries, g_str_deliveries;
static long g_int_param;
/* String params live in fixed buffers, not on the heap: when init never runs (`-c`, or a
 * start-up error before init) the host never calls destroy, so heap copies made by a
 * param setter could not be freed. */
#define PARAM_MAX 128
static char g_str_param[PARAM_MAX];
static char g_publish_as[PARAM_MAX];
static char g_find_api[PARAM_MAX];
static char g_fail_init[PARAM_MAX];
static long g_fail_worker_init = -1;
static long g_claim_keepalive;
static char g_extra[MAX_EXTRA][PARAM_MAX];
static int g_extra_n;
static struct worker_state *g_workers;
static int g_worker_n;
static int g_hook_arg_magic = 42; /* the hook checks it gets this back as its arg */

static int api_add(int a, int b) { return a + b; }
static const struct testmod_api g_api = {TESTMOD_API_MAGIC, api_add};

static void set_err(char *err, size_t errlen, const char *fmt, const char *arg) {
    if (err && errlen) snprintf(err, errlen, fmt, arg);
}

/* Copies a string param into its buffer; -1 with a reason when it does not fit. */
static int store_str(char *slot, const sipnat_param_value *v, char *err, size_t errlen) {
    size_t n = v->s ? strlen(v->s) : 0;
    if (!v->s || v->type != SIPNAT_PARAM_STR) {
        set_err(err, errlen, "%s", "expected a string");
        return -1;
    }
    if (n >= PARAM_MAX) {
        set_err(err, errlen, "%s", "value too long");
        return -1;
    }
    memcpy(slot, v->s, n + 1);
    return 0;
}

/* "1.2.3.4" / "::1" -> "1.2.3.4" / "[::1]" for ip:port text. */
static void fmt_sock(const sipnat_host *h, const sipnat_socket *s, char *buf, size_t len) {
    sipnat_socket_info si;
    h->socket_info(s, &si);
    if (si.family == AF_INET6)
        snprintf(buf, len, "[%s]:%u", si.ip, (unsigned)si.port);
    else
        snprintf(buf, len, "%s:%u", si.ip, (unsigned)si.port);
}

/* ------------------------------------------------------------------------- */
/* Params                                                                    */

static int p_int(const sipnat_host *h, const sipnat_param_value *v, char *err, size_t errlen) {
    (void)err;
    (void)errlen;
    if (v->type != SIPNAT_PARAM_INT) return -1;
    g_int_param = v->i;
    h->log(SIPNAT_L_NOTICE, MOD, "testmod: int_param=%ld (delivery #%d)", v->i, ++g_int_deliveries);
    return 0;
}

static int p_str(const sipnat_host *h, const sipnat_param_value *v, char *err, size_t errlen) {
    if (store_str(g_str_param, v, err, errlen) != 0) return -1;
    h->log(SIPNAT_L_NOTICE, MOD, "testmod: str_param=%s (delivery #%d)", v->s, ++g_str_deliveries);
    return 0;
}

static int p_reject(const sipnat_host *h, const sipnat_param_value *v, char *err, size_t errlen) {
    if (strcmp(v->s, "silent") == 0) return -1; /* a rejection without a reason */
    if (strcmp(v->s, "bad") == 0) {
        set_err(err, errlen, "value \"%s\" is not acceptable", v->s);
        return -1;
    }
    h->log(SIPNAT_L_NOTICE, MOD, "testmod: reject_param=%s accepted", v->s);
    return 0;
}

static int p_extra(const sipnat_host *h, const sipnat_param_value *v, char *err, size_t errlen) {
    if (g_extra_n == MAX_EXTRA) {
        set_err(err, errlen, "%s", "too many extra sockets");
        return -1;
    }
    if (!strrchr(v->s, ':')) {
        set_err(err, errlen, "\"%s\" is not ip:port", v->s);
        return -1;
    }
    if (store_str(g_extra[g_extra_n], v, err, errlen) != 0) return -1;
    g_extra_n++;
    h->log(SIPNAT_L_NOTICE, MOD, "testmod: extra_socket=%s", v->s);
    return 0;
}

static int p_publish_as(const sipnat_host *h, const sipnat_param_value *v, char *err, size_t errlen) {
    (void)h;
    return store_str(g_publish_as, v, err, errlen);
}

static int p_find_api(const sipnat_host *h, const sipnat_param_value *v, char *err, size_t errlen) {
    (void)h;
    return store_str(g_find_api, v, err, errlen);
}

static int p_claim_keepalive(const sipnat_host *h, const sipnat_param_value *v, char *err, size_t errlen) {
    (void)h;
    (void)err;
    (void)errlen;
    g_claim_keepalive = v->i;
    return 0;
}

static int p_fail_init(const sipnat_host *h, const sipnat_param_value *v, char *err, size_t errlen) {
    (void)h;
    return store_str(g_fail_init, v, err, errlen);
}

static int p_fail_worker_init(const sipnat_host *h, const sipnat_param_value *v, char *err, size_t errlen) {
    (void)h;
    (void)err;
    (void)errlen;
    g_fail_worker_init = v->i;
    return 0;
}

static const sipnat_param_export params[] = {
    {"int_param", SIPNAT_PARAM_INT, p_int},
    {"str_param", SIPNAT_PARAM_STR, p_str},
    {"reject_param", SIPNAT_PARAM_STR, p_reject},
    {"extra_socket", SIPNAT_PARAM_STR, p_extra},
    {"publish_as", SIPNAT_PARAM_STR, p_publish_as},
    {"find_api", SIPNAT_PARAM_STR, p_find_api},
    {"claim_keepalive", SIPNAT_PARAM_INT, p_claim_keepalive},
    {"fail_init", SIPNAT_PARAM_STR, p_fail_init},
    {"fail_worker_init", SIPNAT_PARAM_INT, p_fail_worker_init},
    {NULL, 0, NULL},
};

/* ------------------------------------------------------------------------- */
/* Raw hook                                                                  */

static int reply(const sipnat_dgram *d, const char *what) {
    const sipnat_host *h = g_host;
    char sock[96], buf[160];
    fmt_sock(h, d->sock, sock, sizeof sock);
    int n = snprintf(buf, sizeof buf, "%s worker=%d sock=%s", what, h->worker_id(), sock);
    int rc = h->send_udp(d->sock, d->src, buf, (size_t)n);
    if (rc != 0) h->log(SIPNAT_L_ERR, MOD, "testmod: send_udp failed: %d", rc);
    else h->log(SIPNAT_L_INFO, MOD, "testmod: hook claimed %s on worker %d sock=%s", what, h->worker_id(), sock);
    return 1;
}

static int raw_hook(const sipnat_dgram *d, void *arg) {
    if (arg != &g_hook_arg_magic) {
        g_host->log(SIPNAT_L_ERR, MOD, "testmod: raw hook got the wrong arg");
        return 0;
    }
    int want_len = d->src->sa_family == AF_INET6 ? 28 : 16; /* sizeof sockaddr_in6 / _in */
    if (d->src_len != want_len) g_host->log(SIPNAT_L_ERR, MOD, "testmod: raw hook src_len %d", d->src_len);
    if (d->len >= 7 && memcmp(d->data, "TESTMOD", 7) == 0) return reply(d, "TESTMOD-ACK");
    if (d->len == 8 && memcmp(d->data, "\r\n\r\nHOOK", 8) == 0) return reply(d, "HOOK-ACK");
    if (g_claim_keepalive && d->len == 4 && memcmp(d->data, "\r\n\r\n", 4) == 0)
        return reply(d, "KEEPALIVE-CLAIMED");
    return 0;
}

/* ------------------------------------------------------------------------- */
/* Lifecycle                                                                 */

/* "1.2.3.4:5" or "[::1]:5" -> ip (in buf) and port; 0 on success. */
static int split_ip_port(const char *spec, char *ip, size_t iplen, unsigned *port) {
    const char *colon = strrchr(spec, ':');
    const char *start = spec;
    size_t n;
    if (!colon) return -1;
    n = (size_t)(colon - spec);
    if (spec[0] == '[') {
        if (n < 2 || spec[n - 1] != ']') return -1;
        start = spec + 1;
        n -= 2;
    }
    if (n == 0 || n >= iplen) return -1;
    memcpy(ip, start, n);
    ip[n] = '\0';
    char *end = NULL;
    long p = strtol(colon + 1, &end, 10);
    if (!end || *end || p < 0 || p > 65535) return -1;
    *port = (unsigned)p;
    return 0;
}

static int init_body(const sipnat_host *h, char *err, size_t errlen) {
    if (h->abi_version != SIPNAT_ABI_VERSION) {
        set_err(err, errlen, "%s", "host ABI version differs");
        return -1;
    }
    if (g_fail_init[0]) {
        set_err(err, errlen, "%s", g_fail_init);
        return -1;
    }
    g_worker_n = h->worker_count();
    h->log(SIPNAT_L_NOTICE, MOD, "testmod: init worker_count=%d log_level=%d", g_worker_n, h->log_level());
    if (h->worker_id() != -1 || h->worker_loop() != NULL)
        h->log(SIPNAT_L_ERR, MOD, "testmod: init is not on a worker, yet worker_id/worker_loop say otherwise");

    g_workers = calloc((size_t)(g_worker_n > 0 ? g_worker_n : 1), sizeof *g_workers);
    if (!g_workers) {
        set_err(err, errlen, "%s", "out of memory");
        return -1;
    }

    for (int i = 0; i < g_extra_n; i++) {
        char ip[64];
        unsigned port;
        if (split_ip_port(g_extra[i], ip, sizeof ip, &port) != 0) {
            set_err(err, errlen, "extra_socket: bad address \"%s\"", g_extra[i]);
            return -1;
        }
        sipnat_socket *s = h->socket_open_udp(ip, (uint16_t)port);
        if (!s) {
            /* "param:" first: the host reports it at that modparam's line. */
            set_err(err, errlen, "extra_socket: cannot open udp %s", g_extra[i]);
            return -1;
        }
        char txt[96];
        fmt_sock(h, s, txt, sizeof txt);
        h->log(SIPNAT_L_NOTICE, MOD, "testmod: opened extra socket udp:%s", txt);
    }

    /* Every socket, listeners first; socket_find must give each one back. */
    int n = 0;
    for (sipnat_socket *s; (s = h->socket_at(n)) != NULL; n++) {
        sipnat_socket_info si;
        char txt[96];
        h->socket_info(s, &si);
        fmt_sock(h, s, txt, sizeof txt);
        h->log(SIPNAT_L_NOTICE, MOD, "testmod: socket %d udp:%s listener=%d proto=%d", n, txt, si.is_listener,
               si.proto);
        if (h->socket_find(si.ip, si.port) != s) {
            set_err(err, errlen, "socket_find(%s) did not return the same socket", txt);
            return -1;
        }
    }
    h->log(SIPNAT_L_NOTICE, MOD, "testmod: %d sockets, socket_find ok", n);
    /* 192.0.2.0/24 is TEST-NET-1: never ours. */
    if (h->socket_find("192.0.2.1", 9) != NULL) {
        set_err(err, errlen, "%s", "socket_find found a socket that does not exist");
        return -1;
    }

    if (h->raw_hook_add(raw_hook, &g_hook_arg_magic) != 0) {
        set_err(err, errlen, "%s", "raw_hook_add failed");
        return -1;
    }

    const char *pub = g_publish_as[0] ? g_publish_as : "testmod";
    if (h->api_publish(pub, &g_api) != 0) {
        set_err(err, errlen, "api_publish(\"%s\") failed", pub);
        return -1;
    }
    h->log(SIPNAT_L_NOTICE, MOD, "testmod: published api as %s", pub);
    if (g_find_api[0]) {
        const struct testmod_api *a = h->api_find(g_find_api);
        if (!a)
            h->log(SIPNAT_L_NOTICE, MOD, "testmod: api_find(%s) not found", g_find_api);
        else if (a->magic == TESTMOD_API_MAGIC && a->add(2, 3) == 5)
            h->log(SIPNAT_L_NOTICE, MOD, "testmod: api_find(%s) found, add(2,3)=5", g_find_api);
        else
            h->log(SIPNAT_L_NOTICE, MOD, "testmod: api_find(%s) found a foreign api", g_find_api);
    }
    return 0;
}

static int mod_init(const sipnat_host *h, char *err, size_t errlen) {
    g_host = h;
    if (init_body(h, err, errlen) == 0) return 0;
    /* destroy only runs after a successful init: clean up here. */
    free(g_workers);
    g_workers = NULL;
    g_worker_n = 0;
    return -1;
}

static void oneshot_fired(sipnat_timer *t, void *arg) {
    struct worker_state *w = arg;
    const sipnat_host *h = g_host;
    if (h->worker_id() != w->id) h->log(SIPNAT_L_ERR, MOD, "testmod: timer of worker %d ran elsewhere", w->id);
    h->log(SIPNAT_L_NOTICE, MOD, "testmod: timer fired on worker %d", w->id);
    h->timer_stop(t);
    w->oneshot = NULL;
}

static void repeat_fired(sipnat_timer *t, void *arg) {
    struct worker_state *w = arg;
    const sipnat_host *h = g_host;
    if (h->worker_id() != w->id) h->log(SIPNAT_L_ERR, MOD, "testmod: timer of worker %d ran elsewhere", w->id);
    if (++w->repeat_fires == 3) {
        h->timer_stop(t);
        w->repeat = NULL;
        h->log(SIPNAT_L_NOTICE, MOD, "testmod: repeat timer stopped on worker %d after 3 fires", w->id);
    }
}

static int mod_worker_init(const sipnat_host *h, int id) {
    if (id < 0 || id >= g_worker_n) {
        h->log(SIPNAT_L_ERR, MOD, "testmod: worker_init id %d out of range", id);
        return -1;
    }
    if (h->worker_id() != id || h->worker_loop() == NULL) {
        h->log(SIPNAT_L_ERR, MOD, "testmod: worker_init id=%d but worker_id()=%d loop=%p", id, h->worker_id(),
               h->worker_loop());
        return -1;
    }
    struct worker_state *w = &g_workers[id];
    w->id = id;
    if (++w->init_calls != 1) h->log(SIPNAT_L_ERR, MOD, "testmod: worker_init ran %d times on %d", w->init_calls, id);
    h->log(SIPNAT_L_NOTICE, MOD, "testmod: worker_init id=%d of %d", id, h->worker_count());
    if (g_fail_worker_init == id) {
        h->log(SIPNAT_L_NOTICE, MOD, "testmod: failing worker_init on worker %d as asked", id);
        return -1;
    }
    w->oneshot = h->timer_start(20, 0, oneshot_fired, w);
    w->repeat = h->timer_start(10, 10, repeat_fired, w);
    if (!w->oneshot || !w->repeat) {
        h->log(SIPNAT_L_ERR, MOD, "testmod: timer_start failed on worker %d", id);
        return -1;
    }
    return 0;
}

static void mod_destroy(const sipnat_host *h) {
    h->log(SIPNAT_L_NOTICE, MOD, "testmod: destroy");
    free(g_workers);
    g_workers = NULL;
    g_worker_n = 0;
}

/* ------------------------------------------------------------------------- */
/* Script functions                                                          */

static int f_true(const sipnat_host *h, sipnat_msg *m, void *fixed) {
    (void)m;
    (void)fixed;
    h->log(SIPNAT_L_INFO, MOD, "testmod: tm_true");
    return 1;
}

static int f_false(const sipnat_host *h, sipnat_msg *m, void *fixed) {
    (void)m;
    (void)fixed;
    h->log(SIPNAT_L_INFO, MOD, "testmod: tm_false");
    return -1;
}

static int f_stop(const sipnat_host *h, sipnat_msg *m, void *fixed) {
    (void)m;
    (void)fixed;
    h->log(SIPNAT_L_INFO, MOD, "testmod: tm_stop");
    return 0;
}

/* Joins the literal args with ',' into one malloc'd string, the handler's fixed form. */
static int fx_args(const sipnat_host *h, int argc, const char *const *argv, void **fixed, char *err,
                   size_t errlen) {
    size_t len = 1;
    if (argc < 1 || argc > SIPNAT_MAX_FUNC_ARGS) {
        set_err(err, errlen, "%s", "wrong number of arguments");
        return -1;
    }
    if (strcmp(argv[0], "bad") == 0) {
        set_err(err, errlen, "first argument must not be \"%s\"", argv[0]);
        return -1;
    }
    for (int i = 0; i < argc; i++) len += strlen(argv[i]) + 1;
    char *j = malloc(len), *p = j;
    if (!j) {
        set_err(err, errlen, "%s", "out of memory");
        return -1;
    }
    for (int i = 0; i < argc; i++) {
        size_t n = strlen(argv[i]);
        if (i) *p++ = ',';
        memcpy(p, argv[i], n);
        p += n;
    }
    *p = '\0';
    h->log(SIPNAT_L_INFO, MOD, "testmod: tm_args fixup argc=%d", argc);
    *fixed = j;
    return 0;
}

static int f_args(const sipnat_host *h, sipnat_msg *m, void *fixed) {
    (void)m;
    h->log(SIPNAT_L_INFO, MOD, "testmod: tm_args(%s)", fixed ? (const char *)fixed : "");
    return 1;
}

static int f_request_only(const sipnat_host *h, sipnat_msg *m, void *fixed) {
    (void)fixed;
    h->log(SIPNAT_L_INFO, MOD, "testmod: tm_request_only is_request=%d", h->msg_is_request(m));
    return 1;
}

static int f_dump(const sipnat_host *h, sipnat_msg *m, void *fixed) {
    (void)fixed;
    sipnat_str method = h->msg_method(m), ruri = h->msg_ruri(m), raw = h->msg_raw(m), body = h->msg_body(m);
    sipnat_str callid = {NULL, 0};
    int has_callid = h->msg_header_get(m, "Call-ID", 0, &callid);
    int srclen = 0;
    const struct sockaddr *src = h->msg_src(m, &srclen);
    char sock[96] = "?";
    sipnat_socket *s = h->msg_socket(m);
    if (s) fmt_sock(h, s, sock, sizeof sock);
    h->log(SIPNAT_L_INFO, MOD,
           "testmod: dump request=%d method=%.*s status=%d ruri=%.*s src=%s:%u family=%d srclen=%d proto=%d "
           "sock=%s call-id=%.*s raw=%zu body=%zu",
           h->msg_is_request(m), (int)method.len, method.s ? method.s : "", h->msg_status(m), (int)ruri.len,
           ruri.s ? ruri.s : "", h->msg_src_ip(m), (unsigned)h->msg_src_port(m), src ? src->sa_family : -1, srclen,
           h->msg_proto(m), sock, has_callid ? (int)callid.len : 4, has_callid ? callid.s : "none", raw.len, body.len);
    return 1;
}

static const char kBody[] = "v=0\r\no=testmod 1 1 IN IP4 127.0.0.1\r\ns=-\r\n";

static int f_edit(const sipnat_host *h, sipnat_msg *m, void *fixed) {
    (void)fixed;
    static const char hf[] = "X-Testmod: 1";
    sipnat_str v = {NULL, 0};
    int ok = 1;
    if (h->msg_header_add(m, hf, sizeof hf - 1) != 0) ok = 0;
    int removed = h->msg_header_remove(m, "X-Remove-Me");
    if (h->msg_body_replace(m, kBody, sizeof kBody - 1) != 0) ok = 0;
    if (h->msg_body(m).len != sizeof kBody - 1) ok = 0;
    if (h->avp_set(m, "testmod", "value1", 6) != 0) ok = 0;
    if (h->avp_get(m, "testmod", &v) != 1 || v.len != 6 || memcmp(v.s, "value1", 6) != 0) ok = 0;
    if (h->avp_get(m, "testmod_unset", &v) != 0) ok = 0;
    h->flag_set(m, 7);
    if (h->flag_is_set(m, 7) != 1) ok = 0;
    h->flag_reset(m, 7);
    if (h->flag_is_set(m, 7) != 0) ok = 0;
    h->flag_set(m, 8); /* left set so the script can test isflagset(8) */
    h->log(SIPNAT_L_INFO, MOD, "testmod: tm_edit %s removed=%d", ok ? "ok" : "FAILED", removed);
    return ok ? 1 : -1;
}

static const sipnat_func_export functions[] = {
    {"tm_true", 0, 0, NULL, NULL, f_true, SIPNAT_ROUTE_ANY},
    {"tm_false", 0, 0, NULL, NULL, f_false, SIPNAT_ROUTE_ANY},
    {"tm_stop", 0, 0, NULL, NULL, f_stop, SIPNAT_ROUTE_ANY},
    {"tm_args", 1, 6, fx_args, free, f_args, SIPNAT_ROUTE_ANY},
    {"tm_request_only", 0, 0, NULL, NULL, f_request_only, SIPNAT_ROUTE_REQUEST},
    {"tm_dump", 0, 0, NULL, NULL, f_dump, SIPNAT_ROUTE_REQUEST | SIPNAT_ROUTE_ONREPLY},
    {"tm_edit", 0, 0, NULL, NULL, f_edit, SIPNAT_ROUTE_REQUEST | SIPNAT_ROUTE_ONREPLY},
    {NULL, 0, 0, NULL, NULL, NULL, 0},
};

SIPNAT_MODULE_EXPORT const sipnat_module_exports sipnat_module = {
    SIPNAT_ABI_VERSION, "testmod", params, functions, mod_init, mod_worker_init, mod_destroy,
};
