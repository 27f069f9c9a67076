#include "pipeline.h"

#include "config/ast.h"
#include "core_functions.h"
#include "host.h"
#include "log/log.h"
#include "msg_context.h"
#include "msg_env.h"
#include "sip/reply.h"
#include "sip/stateless.h"
#include "sip/validate.h"
#include "worker.h"

#include <cstring>

namespace sipnat {

namespace {

const char *kMod = "core";
Pipeline *g_pipeline = nullptr; // the ABI handlers of forward()/sl_send_reply() have no context

// Built-in core functions first, then the modules' exports.
class FuncResolver final : public script::FunctionResolver {
public:
    explicit FuncResolver(const ModuleRegistry &mods) : mods_(mods) {}
    const sipnat_func_export *find(const std::string &name, std::string *owner) const override {
        if (const sipnat_func_export *f = find_core_function(name)) {
            if (owner) *owner = "core";
            return f;
        }
        const LoadedModule *lm = nullptr;
        const sipnat_func_export *f = mods_.find_function(name, &lm);
        if (f && owner) *owner = lm->name;
        return f;
    }

private:
    const ModuleRegistry &mods_;
};

sip::LocalSocket local_of(const sipnat_socket *s) {
    sip::LocalSocket l;
    l.ip = s->ip;
    l.port = s->port;
    return l;
}

// The socket to send from: the arrival socket when the families match, else the first
// listener of the destination's family.
sipnat_socket *pick_socket(Host &h, sipnat_socket *arrival, int family) {
    if (arrival->family == family) return arrival;
    for (int i = 0; i < h.sockets.size(); i++) {
        sipnat_socket *s = h.sockets.at(i);
        if (s->listener && s->family == family) return s;
    }
    return nullptr;
}

// Resolves and sends one planned datagram from socket s.
bool send_to(sipnat_msg &m, sipnat_socket *s, const sip::Destination &d, std::string_view data) {
    sockaddr_storage dst;
    if (!m.wp->resolver.resolve(d.host, d.port, s->family, &dst)) {
        LOG_WARN(kMod, "cannot resolve '%s'", d.host.c_str());
        return false;
    }
    if (dst.ss_family != s->family) {
        s = pick_socket(Host::get(), s, dst.ss_family);
        if (!s) {
            LOG_WARN(kMod, "no listener of the right address family to reach '%s'", d.host.c_str());
            return false;
        }
    }
    int rc = m.worker->send(s, reinterpret_cast<sockaddr *>(&dst), data.data(), data.size());
    if (rc != 0) LOG_DBG(kMod, "send to %s:%u failed: %s", d.host.c_str(), d.port, strerror(-rc));
    return rc == 0;
}

} // namespace

Pipeline::Pipeline() = default;
Pipeline::~Pipeline() {
    if (g_pipeline == this) g_pipeline = nullptr;
}

bool Pipeline::compile(Host &host, const config::Config &cfg, std::string *err) {
    host_ = &host;
    FuncResolver r(host.modules);
    return script::compile(cfg, r, host.table(), program_, err);
}

void Pipeline::clear() { program_.clear(); }

void Pipeline::install(Host &host) {
    host_ = &host;
    for (int i = 0; i < host.sockets.size(); i++) {
        sipnat_socket *s = host.sockets.at(i);
        if (s->listener) names_.add_socket(local_of(s));
    }
    for (const std::string &a : host.aliases) {
        std::string_view h;
        uint16_t port = 0;
        if (sip::parse_hostport(a, &h, &port)) names_.add_alias(h, port);
    }
    per_worker_.clear();
    for (int i = 0; i < host.worker_count; i++) per_worker_.push_back(std::make_unique<WorkerPipeline>());
    if (!program_.has_main(config::RouteType::Request))
        LOG_WARN(kMod, "no route{} block: every request will be dropped");
    g_pipeline = this;
    host.sip.handle = on_sip;
    host.sip.ctx = this;
}

void Pipeline::on_sip(void *ctx, Worker &w, sipnat_socket *s, const uint8_t *data, size_t len, const sockaddr *src) {
    auto *self = static_cast<Pipeline *>(ctx);
    sip::ParseError perr;
    auto msg = sip::Message::parse(reinterpret_cast<const char *>(data), len, &perr);
    sipnat_msg m;
    socklen_t sl = src->sa_family == AF_INET6 ? sizeof(sockaddr_in6) : sizeof(sockaddr_in);
    std::memcpy(&m.src, src, sl);
    m.src_len = static_cast<int>(sl);
    std::string ip = sockaddr_ip(src, &m.src_port);
    std::memcpy(m.src_ip, ip.c_str(), ip.size() + 1);
    if (!msg) {
        LOG_DBG(kMod, "dropping unparsable datagram from %s:%u (%zu bytes): %s", m.src_ip, m.src_port, len,
                perr.reason.c_str());
        return;
    }
    m.sip = msg.get();
    m.sock = s;
    m.worker = &w;
    m.wp = self->per_worker_[static_cast<size_t>(w.id())].get();
    LOG_DBG(kMod, "SIP %s %.*s from %s:%u", msg->is_request() ? "request" : "reply",
            int(msg->is_request() ? msg->method().size() : msg->status_text().size()),
            msg->is_request() ? msg->method().data() : msg->status_text().data(), m.src_ip, m.src_port);
    if (msg->is_request()) self->handle_request(m);
    else self->handle_reply(m);
}

void Pipeline::handle_request(sipnat_msg &m) {
    const sip::Message &msg = *m.sip;
    if (sip::acks_own_reply(msg)) return; // the ACK of our own negative reply ends here
    sip::Verdict v = sip::validate_request(msg);
    if (!v.ok()) {
        LOG_DBG(kMod, "request from %s:%u rejected with %d %.*s", m.src_ip, m.src_port, v.code,
                int(v.reason.size()), v.reason.data());
        // ACKs are never answered (RFC 3261 §17); everything else learns what was wrong.
        if (msg.method() != "ACK") reply(&m, v.code, v.reason, v.extra_header);
        return;
    }
    if (!program_.has_main(config::RouteType::Request)) return;
    HostMsgEnv env(&m);
    script::run(program_, config::RouteType::Request, env, m.wp->script, host_->table());
}

void Pipeline::handle_reply(sipnat_msg &m) {
    const sip::Message &msg = *m.sip;
    // Replies to requests we did not forward are not ours to route: drop before the script.
    sip::ViaRef top;
    if (!msg.via(0, &top) || !names_.is_us(top.via.host, top.via.port_num)) {
        LOG_DBG(kMod, "dropping reply from %s:%u: top Via is not ours", m.src_ip, m.src_port);
        return;
    }
    if (program_.has_main(config::RouteType::OnReply)) {
        HostMsgEnv env(&m);
        script::RunResult r = script::run(program_, config::RouteType::OnReply, env, m.wp->script, host_->table());
        if (r.outcome == script::Outcome::Drop) return;
    }
    sip::Outcome o = sip::forward_reply(msg, names_);
    if (o.action != sip::Action::Forward) {
        LOG_DBG(kMod, "dropping reply: %s", o.reason.c_str());
        return;
    }
    send_to(m, m.sock, o.dst, o.data);
}

int Pipeline::forward(sipnat_msg *m, std::string_view hostport) {
    Pipeline *p = g_pipeline;
    if (!p || !m->sip->is_request()) return -1;
    sip::Endpoint src{m->src_ip, m->src_port};
    sip::LocalSocket out = local_of(m->sock);
    sip::Outcome o = hostport.empty() ? sip::forward_request(*m->sip, src, out, p->names_)
                                      : sip::forward_request_to(*m->sip, hostport, src, out, p->names_);
    switch (o.action) {
    case sip::Action::Drop: LOG_DBG(kMod, "not forwarding: %s", o.reason.c_str()); return -1;
    case sip::Action::Reply: reply(m, o.code, o.reason); return -1;
    case sip::Action::Forward: break;
    }
    if (o.to_self && hostport.empty()) {
        LOG_WARN(kMod, "request from %s:%u routes back to this proxy: answering 482", m->src_ip, m->src_port);
        reply(m, 482, "Loop Detected");
        return -1;
    }
    // The destination decides the address family; our Via must name the socket we send from.
    sockaddr_storage dst;
    if (!m->wp->resolver.resolve(o.dst.host, o.dst.port, m->sock->family, &dst)) {
        LOG_WARN(kMod, "cannot resolve '%s'", o.dst.host.c_str());
        return -1;
    }
    sipnat_socket *s = pick_socket(*p->host_, m->sock, dst.ss_family);
    if (!s) {
        LOG_WARN(kMod, "no listener of the right address family to reach '%s'", o.dst.host.c_str());
        return -1;
    }
    if (s != m->sock) {
        out = local_of(s);
        o = hostport.empty() ? sip::forward_request(*m->sip, src, out, p->names_)
                             : sip::forward_request_to(*m->sip, hostport, src, out, p->names_);
        if (o.action != sip::Action::Forward) return -1;
    }
    int rc = m->worker->send(s, reinterpret_cast<sockaddr *>(&dst), o.data.data(), o.data.size());
    return rc == 0 ? 1 : -1;
}

int Pipeline::reply(sipnat_msg *m, int code, std::string_view reason, std::string_view extra_header) {
    if (!m->sip->is_request() || m->sip->method() == "ACK") return -1;
    sip::Endpoint src{m->src_ip, m->src_port};
    std::string_view extra[1] = {extra_header};
    std::string data = sip::build_reply(*m->sip, code, reason, src,
                                        extra_header.empty() ? std::span<const std::string_view>{}
                                                             : std::span<const std::string_view>(extra, 1));
    sip::Destination d = sip::reply_destination(*m->sip, src);
    return send_to(*m, m->sock, d, data) ? 1 : -1;
}

} // namespace sipnat
