#include "reply.h"

#include "branch.h"
#include "ip.h"
#include "strutil.h"

namespace sipnat::sip {

namespace {

// Appends a header field's whole line as received, making sure it ends with a line end.
void append_line(std::string &out, std::string_view line) {
    out.append(line);
    if (line.empty() || line.back() != '\n') out.append("\r\n");
}

}  // namespace

std::string build_reply(const Message &m, int code, std::string_view reason, const Endpoint &src,
                        std::span<const std::string_view> extra_headers) {
    std::string out;
    out.reserve(512 + m.headers_end() / 2);
    if (code < 100 || code > 699) code = 500;
    out.append("SIP/2.0 ");
    append_uint(out, static_cast<uint64_t>(code));
    out.push_back(' ');
    // A reason phrase must stay on one line.
    for (char c : reason) out.push_back(c == '\r' || c == '\n' ? ' ' : c);
    out.append("\r\n");

    const std::string_view raw = m.raw();
    ViaRef top;
    const bool have_top = m.via(0, &top);
    for (size_t i = 0; i < m.fields().size(); ++i) {
        const HeaderField &f = m.fields()[i];
        if (f.id != HeaderId::Via) continue;
        std::string_view line = raw.substr(f.line_off, f.line_len);
        if (have_top && static_cast<int>(i) == top.field) {
            PatchList p;
            via_received_rport(top.via, f.line_off, src.ip, src.port, &p);
            append_line(out, p.apply(line));
        } else {
            append_line(out, line);
        }
    }
    static constexpr HeaderId kCopied[] = {HeaderId::From, HeaderId::To, HeaderId::CallId, HeaderId::CSeq};
    for (HeaderId id : kCopied) {
        int idx = m.find_index(id);
        if (idx < 0) continue;
        const HeaderField &f = m.fields()[static_cast<size_t>(idx)];
        std::string_view line = raw.substr(f.line_off, f.line_len);
        NameAddr to;
        if (id == HeaderId::To && code > 100 && m.to(&to) && !to.has_tag) {
            PatchList p;
            std::string tag = ";tag=";
            tag += stateless_to_tag(m);
            p.add(to.end - f.line_off, 0, tag);
            append_line(out, p.apply(line));
        } else {
            append_line(out, line);
        }
    }
    for (std::string_view h : extra_headers) {
        while (!h.empty() && (h.back() == '\n' || h.back() == '\r')) h.remove_suffix(1);
        if (h.empty()) continue;
        out.append(h);
        out.append("\r\n");
    }
    out.append("Content-Length: 0\r\n\r\n");
    return out;
}

Destination reply_destination(const Message &m, const Endpoint &src, const ReplyOptions &opt) {
    Destination d;
    d.host = std::string(strip_brackets(src.ip));
    d.port = src.port;
    ViaRef top;
    if (m.via(0, &top) && !top.via.has_rport && !opt.force_rport)
        d.port = top.via.port_num != 0 ? top.via.port_num : 5060;
    return d;
}

bool acks_own_reply(const Message &m) {
    if (!m.is_request() || m.method() != "ACK") return false;
    std::string_view tag = m.to_tag();
    return !tag.empty() && tag == stateless_to_tag(m);
}

}  // namespace sipnat::sip
