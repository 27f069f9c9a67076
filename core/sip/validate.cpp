#include "validate.h"

#include <algorithm>
#include <vector>

#include "strutil.h"

namespace sipnat::sip {

namespace {

Verdict fail(int code, std::string_view reason) {
    Verdict v;
    v.code = code;
    v.reason = std::string(reason);
    return v;
}

bool supported_tag(std::string_view tag, std::span<const std::string_view> supported) {
    for (std::string_view s : supported)
        if (iequals(s, tag)) return true;
    return false;
}

}  // namespace

Verdict validate_request(const Message &m, const ValidateOptions &opt) {
    if (!m.is_request()) return {};
    if (m.defect_code() != 0) return fail(m.defect_code(), m.defect());
    if (!iequals(m.version(), "SIP/2.0")) return fail(505, "Version Not Supported");

    static constexpr HeaderId kMandatory[] = {HeaderId::Via, HeaderId::From, HeaderId::To, HeaderId::CallId,
                                              HeaderId::CSeq};
    for (HeaderId id : kMandatory) {
        const HeaderField *f = m.find(id);
        if (f == nullptr || f->val_len == 0) {
            switch (id) {
                case HeaderId::Via: return fail(400, "Missing Via");
                case HeaderId::From: return fail(400, "Missing From");
                case HeaderId::To: return fail(400, "Missing To");
                case HeaderId::CallId: return fail(400, "Missing Call-ID");
                default: return fail(400, "Missing CSeq");
            }
        }
    }
    ViaRef top;
    if (!m.via(0, &top)) return fail(400, "Bad Via");
    NameAddr na;
    if (!m.from(&na)) return fail(400, "Bad From");
    if (!m.to(&na)) return fail(400, "Bad To");
    uint32_t cseq = 0;
    if (!m.cseq_num(&cseq)) return fail(400, "Bad CSeq");
    // Method names are case-sensitive (RFC 3261 §7.1); ACK and CANCEL carry their own method too.
    if (m.cseq_method() != m.method()) return fail(400, "CSeq Method Mismatch");

    Uri u;
    if (!parse_uri(m.original_ruri(), &u)) return fail(400, "Bad Request-URI");
    if (!u.sip) return fail(416, "Unsupported URI Scheme");

    long mf = m.max_forwards();
    if (mf == -2) return fail(400, "Bad Max-Forwards");
    if (mf == 0) return fail(483, "Too Many Hops");

    // Every option-tag of every Proxy-Require we do not support, in order, once each.
    std::vector<std::string_view> tags;
    for (const HeaderField &f : m.fields()) {
        if (f.removed || f.id != HeaderId::ProxyRequire) continue;
        std::string_view v = m.value(f);
        size_t i = 0;
        while (i <= v.size()) {
            size_t comma = std::min(v.find(',', i), v.size());
            std::string_view tag = trim_lws(v.substr(i, comma - i));
            i = comma + 1;
            if (tag.empty() || supported_tag(tag, opt.supported)) continue;
            if (std::find(tags.begin(), tags.end(), tag) == tags.end()) tags.push_back(tag);
        }
    }
    if (!tags.empty()) {
        Verdict v = fail(420, "Bad Extension");
        v.extra_header = "Unsupported: ";
        for (size_t i = 0; i < tags.size(); ++i) {
            if (i != 0) v.extra_header += ", ";
            v.extra_header += tags[i];
        }
        return v;
    }
    return {};
}

}  // namespace sipnat::sip
