#include "msg_env.h"

namespace sipnat {

namespace {

bool set(std::string &out, std::string_view v) {
    out.assign(v.data(), v.size());
    return true;
}

// Fills *u from the current Request-URI; false on a reply or an unparsable URI.
bool ruri(const sip::Message &m, sip::Uri *u) { return m.is_request() && m.ruri_parsed(u); }

} // namespace

bool HostMsgEnv::pv_get(script::Pv pv, std::string_view arg, std::string &out) {
    const sip::Message &m = *m_->sip;
    using script::Pv;
    sip::Uri u;
    switch (pv) {
    case Pv::Rm: return set(out, m.method());
    case Pv::Ru: return m.is_request() && set(out, m.ruri());
    case Pv::RU: return ruri(m, &u) && set(out, u.user);
    case Pv::Rd: return ruri(m, &u) && set(out, u.host);
    case Pv::Rp:
        if (!ruri(m, &u)) return false;
        out = u.port_num ? std::to_string(u.port_num) : (u.secure ? "5061" : "5060");
        return true;
    case Pv::Si: return set(out, m_->src_ip);
    case Pv::Sp: out = std::to_string(m_->src_port); return true;
    case Pv::Ci: return !m.call_id().empty() && set(out, m.call_id());
    case Pv::Fu: return !m.from_uri().empty() && set(out, m.from_uri());
    case Pv::Tu: return !m.to_uri().empty() && set(out, m.to_uri());
    case Pv::Ft: return !m.from_tag().empty() && set(out, m.from_tag());
    case Pv::Tt: return !m.to_tag().empty() && set(out, m.to_tag());
    case Pv::Ua: return !m.user_agent().empty() && set(out, m.user_agent());
    case Pv::Rs: return !m.is_request() && set(out, m.status_text());
    case Pv::Rr: return !m.is_request() && set(out, m.reason());
    case Pv::Proto: out = "udp"; return true;
    case Pv::Hdr: {
        std::string_view v;
        return m.header(arg, 0, &v) && set(out, v);
    }
    case Pv::Avp:
        for (const auto &a : m_->avps)
            if (a.first == arg) return set(out, a.second);
        return false;
    case Pv::Var: return false; // the interpreter keeps $var itself
    }
    return false;
}

bool HostMsgEnv::avp_set(std::string_view name, std::string_view value) {
    if (name.empty()) return false;
    m_->avps.insert(m_->avps.begin(), {std::string(name), std::string(value)});
    return true;
}

} // namespace sipnat
