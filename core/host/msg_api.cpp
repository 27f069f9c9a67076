// Message access for modules: shims from the ABI onto the host's message context.
#include "msg_api.h"

#include "msg_context.h"

#include <algorithm>
#include <cstring>

namespace sipnat {

namespace {

sipnat_str str(std::string_view v) { return sipnat_str{v.data(), v.size()}; }

int is_request(const sipnat_msg *m) { return m->sip->is_request() ? 1 : 0; }
sipnat_str method(const sipnat_msg *m) { return str(m->sip->method()); }
int status(const sipnat_msg *m) { return m->sip->status(); }
sipnat_str ruri(const sipnat_msg *m) { return str(m->sip->ruri()); }
sipnat_str raw(const sipnat_msg *m) { return str(m->sip->raw()); }

int header_get(const sipnat_msg *m, const char *name, int idx, sipnat_str *value) {
    std::string_view v;
    if (!name || idx < 0 || !m->sip->header(name, idx, &v)) return 0;
    if (value) *value = str(v);
    return 1;
}

int header_add(sipnat_msg *m, const char *hf, size_t len) {
    if (!hf || len == 0) return -1;
    std::string_view line(hf, len);
    // A header line must not smuggle a second header or the end of the header section.
    std::string_view body = line;
    while (!body.empty() && (body.back() == '\n' || body.back() == '\r')) body.remove_suffix(1);
    if (body.empty() || body.find_first_of("\r\n") != std::string_view::npos || body.find(':') == std::string_view::npos)
        return -1;
    m->sip->header_add(body);
    return 0;
}

int header_remove(sipnat_msg *m, const char *name) { return name ? m->sip->header_remove(name) : 0; }

sipnat_str body(const sipnat_msg *m) { return str(m->sip->body()); }

int body_replace(sipnat_msg *m, const char *b, size_t len) {
    if (!b && len) return -1;
    m->sip->body_replace(std::string_view(b ? b : "", len));
    return 0;
}

const sockaddr *src(const sipnat_msg *m, int *len) {
    if (len) *len = m->src_len;
    return reinterpret_cast<const sockaddr *>(&m->src);
}

const char *src_ip(const sipnat_msg *m) { return m->src_ip; }
uint16_t src_port(const sipnat_msg *m) { return m->src_port; }
int proto(const sipnat_msg *) { return SIPNAT_PROTO_UDP; }
sipnat_socket *msg_socket(const sipnat_msg *m) { return m->sock; }

int avp_get(const sipnat_msg *m, const char *name, sipnat_str *value) {
    if (!name) return 0;
    for (const auto &a : m->avps) {
        if (a.first == name) {
            if (value) *value = str(a.second);
            return 1;
        }
    }
    return 0;
}

int avp_set(sipnat_msg *m, const char *name, const char *value, size_t len) {
    if (!name || !*name || (!value && len)) return -1;
    // Newest first, so avp_get's first match is the latest value, as OpenSIPS does.
    m->avps.insert(m->avps.begin(), {name, std::string(value ? value : "", len)});
    return 0;
}

bool flag_ok(int f) { return f >= 0 && f < 32; }
void flag_set(sipnat_msg *m, int f) {
    if (flag_ok(f)) m->flags |= 1u << f;
}
void flag_reset(sipnat_msg *m, int f) {
    if (flag_ok(f)) m->flags &= ~(1u << f);
}
int flag_is_set(const sipnat_msg *m, int f) { return flag_ok(f) && (m->flags & (1u << f)) ? 1 : 0; }

} // namespace

void install_msg_api(sipnat_host *t) {
    t->msg_is_request = is_request;
    t->msg_method = method;
    t->msg_status = status;
    t->msg_ruri = ruri;
    t->msg_raw = raw;
    t->msg_header_get = header_get;
    t->msg_header_add = header_add;
    t->msg_header_remove = header_remove;
    t->msg_body = body;
    t->msg_body_replace = body_replace;
    t->msg_src = src;
    t->msg_src_ip = src_ip;
    t->msg_src_port = src_port;
    t->msg_proto = proto;
    t->msg_socket = msg_socket;
    t->avp_get = avp_get;
    t->avp_set = avp_set;
    t->flag_set = flag_set;
    t->flag_reset = flag_reset;
    t->flag_is_set = flag_is_set;
}

} // namespace sipnat
