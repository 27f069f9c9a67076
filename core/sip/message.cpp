#include "message.h"

#include <algorithm>

#include <cstring>

#include "osip_check.h"
#include "strutil.h"

namespace sipnat::sip {

namespace {

constexpr std::string_view kCrlf = "\r\n";

bool method_char(char c) {
    // RFC 3261 token characters.
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c)) return true;
    switch (c) {
        case '-': case '.': case '!': case '%': case '*': case '_': case '+': case '`': case '\'': case '~':
            return true;
        default:
            return false;
    }
}

// Header names: anything visible but ':' (liberal: osip decides for requests).
bool name_char(char c) {
    auto u = static_cast<unsigned char>(c);
    return u > 0x20 && u != 0x7f && c != ':';
}

// Returns the end of the line starting at pos (offset of '\n', or end) and the content end
// (before "\r\n" / "\n").
struct Line {
    size_t content_end;  // before CR LF
    size_t next;         // start of the following line (end when there is none)
    bool terminated;     // a '\n' ended it
};

Line next_line(const char *p, size_t pos, size_t end) {
    const void *nl = std::memchr(p + pos, '\n', end - pos);
    if (nl == nullptr) {
        size_t ce = end;
        // A lone CR at the very end is a line end cut short; it is not content.
        if (ce > pos && p[ce - 1] == '\r') --ce;
        return {ce, end, false};
    }
    size_t n = static_cast<size_t>(static_cast<const char *>(nl) - p);
    size_t ce = n;
    if (ce > pos && p[ce - 1] == '\r') --ce;
    return {ce, n + 1, true};
}

// Headers libosip2 parses into structures (so its parse is a real syntax check of them).
bool osip_structured(HeaderId id) {
    switch (id) {
        case HeaderId::Via:
        case HeaderId::From:
        case HeaderId::To:
        case HeaderId::CallId:
        case HeaderId::CSeq:
        case HeaderId::Contact:
        case HeaderId::Route:
        case HeaderId::RecordRoute:
        case HeaderId::ContentType:
        case HeaderId::Authorization:
        case HeaderId::ProxyAuthorization:
            return true;
        default:
            return false;
    }
}

}  // namespace

std::unique_ptr<Message> Message::parse(const char *data, size_t len, ParseError *err) {
    return parse(data, len, ParseOptions{}, err);
}

std::unique_ptr<Message> Message::parse(const char *data, size_t len, const ParseOptions &opt, ParseError *err) {
    ParseError local;
    if (err == nullptr) err = &local;
    std::unique_ptr<Message> m(new Message());
    if (!m->index(data, len, opt, err)) return nullptr;
    return m;
}

bool Message::index(const char *data, size_t len, const ParseOptions &opt, ParseError *err) {
    auto fail = [&](int code, const char *why) {
        err->code = code;
        err->reason = why;
        return false;
    };
    if (data == nullptr || len == 0) return fail(0, "empty datagram");
    if (len > kMaxMessageSize) return fail(0, "datagram too large");
    // RFC 3261 §7.5: CRLFs before the start line are ignored.
    size_t skip = 0;
    while (skip < len && (data[skip] == '\r' || data[skip] == '\n')) ++skip;
    const char *p = data + skip;
    const size_t end = len - skip;
    if (end == 0) return fail(0, "no start line");

    // --- start line ---
    Line first = next_line(p, 0, end);
    if (!first.terminated) return fail(0, "start line not terminated");
    std::string_view sl(p, first.content_end);
    auto next_sp = [&](size_t from) {
        size_t i = from;
        while (i < sl.size() && sl[i] != ' ') ++i;
        return i;
    };
    auto skip_sp = [&](size_t from) {
        size_t i = from;
        while (i < sl.size() && sl[i] == ' ') ++i;
        return i;
    };
    if (istarts_with(sl, "SIP/")) {
        request_ = false;
        size_t v_end = next_sp(0);
        version_off_ = 0;
        version_len_ = static_cast<uint32_t>(v_end);
        size_t c = skip_sp(v_end);
        if (c == v_end || c + 3 > sl.size()) return fail(0, "bad status line");
        if (!is_digit(sl[c]) || !is_digit(sl[c + 1]) || !is_digit(sl[c + 2])) return fail(0, "bad status code");
        if (c + 3 < sl.size() && sl[c + 3] != ' ') return fail(0, "bad status code");
        status_ = (sl[c] - '0') * 100 + (sl[c + 1] - '0') * 10 + (sl[c + 2] - '0');
        if (status_ < 100 || status_ > 699) return fail(0, "status code out of range");
        method_off_ = static_cast<uint32_t>(c);
        method_len_ = 3;
        // Reason phrase may be empty, and some UAs omit the SP before it (lenient).
        size_t r = c + 3 < sl.size() ? c + 4 : sl.size();
        ruri_off_ = static_cast<uint32_t>(r);
        ruri_len_ = static_cast<uint32_t>(sl.size() - r);
    } else {
        request_ = true;
        size_t m_end = 0;
        while (m_end < sl.size() && method_char(sl[m_end])) ++m_end;
        if (m_end == 0 || m_end >= sl.size() || sl[m_end] != ' ') return fail(0, "bad request line");
        method_off_ = 0;
        method_len_ = static_cast<uint32_t>(m_end);
        size_t u = skip_sp(m_end);
        size_t u_end = next_sp(u);
        if (u_end == u || u_end >= sl.size()) return fail(400, "bad request line");
        ruri_off_ = static_cast<uint32_t>(u);
        ruri_len_ = static_cast<uint32_t>(u_end - u);
        size_t v = skip_sp(u_end);
        std::string_view ver = sl.substr(v);
        if (!istarts_with(ver, "SIP/") || ver.find(' ') != std::string_view::npos) return fail(0, "not a SIP request line");
        version_off_ = static_cast<uint32_t>(v);
        version_len_ = static_cast<uint32_t>(ver.size());
        // RFC 3261 §7.1: single SPs between the parts. Indexable all the same, so it gets a 400.
        if (u != m_end + 1 || v != u_end + 1) {
            defect_code_ = 400;
            defect_ = "request line parts must be separated by single spaces";
        }
    }
    const int hdr_err = request_ ? 400 : 0;

    // --- header fields ---
    fields_.reserve(24);
    size_t pos = first.next;
    HeaderField *cur = nullptr;
    size_t cur_val_end = 0;
    bool blank = false;
    bool last_terminated = true;
    std::string_view eol_fix;  // what completes a line end cut short by the end of the datagram
    while (pos < end) {
        Line ln = next_line(p, pos, end);
        last_terminated = ln.terminated;
        if (ln.content_end == pos) {
            blank = true;
            headers_end_ = pos;
            body_off_ = ln.next;
            if (!ln.terminated) eol_fix = "\n";  // blank line cut after its CR
            break;
        }
        if (is_wsp(p[pos])) {
            // Folded continuation of the previous field (RFC 3261 §7.3.1).
            if (cur == nullptr) return fail(hdr_err, "continuation line before any header");
            size_t a = pos, b = ln.content_end;
            while (a < b && is_wsp(p[a])) ++a;
            while (b > a && is_wsp(p[b - 1])) --b;
            if (a < b) {
                if (cur->val_len == 0 && cur_val_end == 0) cur->val_off = static_cast<uint32_t>(a);
                cur_val_end = b;
                cur->val_len = static_cast<uint32_t>(cur_val_end - cur->val_off);
            }
            cur->line_len = static_cast<uint32_t>(ln.next - cur->line_off);
            pos = ln.next;
            continue;
        }
        if (fields_.size() >= kMaxHeaders) return fail(hdr_err, "too many headers");
        size_t n = pos;
        while (n < ln.content_end && name_char(p[n])) ++n;
        size_t name_end = n;
        while (n < ln.content_end && is_wsp(p[n])) ++n;  // "Via  :" is legal (HCOLON)
        if (name_end == pos || n >= ln.content_end || p[n] != ':') return fail(hdr_err, "bad header line");
        HeaderField f;
        f.name_off = static_cast<uint32_t>(pos);
        f.name_len = static_cast<uint32_t>(name_end - pos);
        f.id = header_id(std::string_view(p + pos, name_end - pos));
        f.line_off = static_cast<uint32_t>(pos);
        f.line_len = static_cast<uint32_t>(ln.next - pos);
        size_t a = n + 1, b = ln.content_end;
        while (a < b && is_wsp(p[a])) ++a;
        while (b > a && is_wsp(p[b - 1])) --b;
        f.val_off = static_cast<uint32_t>(a);
        f.val_len = static_cast<uint32_t>(b - a);
        cur_val_end = b > a ? b : 0;
        fields_.push_back(f);
        cur = &fields_.back();
        pos = ln.next;
    }
    if (!blank) {
        // Lenient: no blank line; build() adds what is missing.
        if (!last_terminated) eol_fix = p[end - 1] == '\r' ? "\n" : "\r\n";
        missing_blank_line_ = true;
        headers_end_ = end;
        body_off_ = end;
    }

    // --- body framing (RFC 3261 §18.3) ---
    size_t total = end;
    int cl_count = 0;
    for (const HeaderField &f : fields_) {
        if (f.id != HeaderId::ContentLength) continue;
        if (++cl_count > 1) continue;
        uint64_t v = 0;
        if (!parse_uint(std::string_view(p + f.val_off, f.val_len), kMaxMessageSize, &v)) {
            defect_code_ = 400;
            defect_ = "Bad Content-Length";
            continue;
        }
        content_length_ = static_cast<long>(v);
    }
    if (cl_count > 1 && defect_code_ == 0) {
        defect_code_ = 400;
        defect_ = "Duplicate Content-Length";
    }
    if (content_length_ >= 0) {
        size_t avail = end - body_off_;
        if (static_cast<size_t>(content_length_) > avail) {
            if (defect_code_ == 0) {
                defect_code_ = 400;
                defect_ = "Body shorter than Content-Length";
            }
        } else {
            total = body_off_ + static_cast<size_t>(content_length_);  // bytes beyond it are discarded
        }
    }
    buf_.assign(p, total);

    // Line end fix-up goes first so later inserts at the end land after it.
    if (!eol_fix.empty()) patches_.add(buf_.size(), 0, eol_fix);

    if (defect_code_ == 0 && std::memchr(buf_.data(), 0, headers_end_) != nullptr) {
        defect_code_ = 400;
        defect_ = "NUL byte in header section";
    }

    // --- syntax gate (requests only) ---
    if (request_ && opt.syntax_check && defect_code_ == 0) {
        // Other versions get 505 and other schemes 416 from validate_request(); osip is not asked.
        Uri u;
        const bool judge = iequals(version(), "SIP/2.0") && parse_uri(original_ruri(), &u) && u.sip;
        if (judge) {
            // osip sees the header section without Content-Length and without the body: the body is
            // opaque to a proxy (osip would reject e.g. multipart bodies it cannot split) and
            // framing was checked above. The copy goes to a per-thread scratch buffer.
            // Only the start line and the headers osip parses into structures go in: for any
            // other header osip would just store "name: value", which the scanner already
            // checked, at the cost of allocations (osip is most of the parse time).
            thread_local std::string scratch;
            scratch.clear();
            scratch.append(buf_, 0, first.next);
            for (const HeaderField &f : fields_) {
                if (!osip_structured(f.id)) continue;
                const size_t at = scratch.size();
                scratch.append(buf_, f.line_off, f.line_len);
                // HTAB is LWS wherever SP is (RFC 3261 §25.1), but osip's Via and CSeq parsers only
                // take SP: hand osip spaces. Only this copy changes; the forwarded bytes do not.
                std::replace(scratch.begin() + static_cast<std::ptrdiff_t>(at), scratch.end(), '\t', ' ');
                const char last = buf_[f.line_off + f.line_len - 1];
                if (last == '\r') scratch.push_back('\n');
                else if (last != '\n') scratch.append(kCrlf);
            }
            scratch.append(kCrlf);
            if (!osip_accepts(scratch)) {
                defect_code_ = 400;
                defect_ = "Malformed request";
            }
        }
    }
    return true;
}

// --- start line ---------------------------------------------------------------------------------

std::string_view Message::method() const {
    if (request_) return std::string_view(buf_).substr(method_off_, method_len_);
    return cseq_method();
}

std::string_view Message::status_text() const {
    return request_ ? std::string_view() : std::string_view(buf_).substr(method_off_, method_len_);
}

std::string_view Message::reason() const {
    return request_ ? std::string_view() : std::string_view(buf_).substr(ruri_off_, ruri_len_);
}

std::string_view Message::version() const { return std::string_view(buf_).substr(version_off_, version_len_); }

std::string_view Message::ruri() const {
    if (!request_) return {};
    if (ruri_set_) return new_ruri_;
    return original_ruri();
}

std::string_view Message::original_ruri() const {
    return request_ ? std::string_view(buf_).substr(ruri_off_, ruri_len_) : std::string_view();
}

void Message::set_ruri(std::string_view uri) {
    if (!request_) return;
    new_ruri_.assign(uri);
    ruri_set_ = true;
    patches_.add(ruri_off_, ruri_len_, new_ruri_);
}

// --- headers ------------------------------------------------------------------------------------

bool Message::field_matches(const HeaderField &f, HeaderId id, std::string_view nm) const {
    if (f.removed) return false;
    if (id != HeaderId::Other) return f.id == id;
    return f.id == HeaderId::Other && iequals(name(f), nm);
}

bool Message::header(std::string_view nm, int idx, std::string_view *value) const {
    if (idx < 0) return false;
    HeaderId id = header_id(nm);
    for (const HeaderField &f : fields_) {
        if (!field_matches(f, id, nm)) continue;
        if (idx-- == 0) {
            if (value != nullptr) *value = this->value(f);
            return true;
        }
    }
    return false;
}

int Message::header_count(std::string_view nm) const {
    HeaderId id = header_id(nm);
    int n = 0;
    for (const HeaderField &f : fields_)
        if (field_matches(f, id, nm)) ++n;
    return n;
}

int Message::find_index(HeaderId id, int idx) const {
    for (size_t i = 0; i < fields_.size(); ++i) {
        const HeaderField &f = fields_[i];
        if (f.removed || f.id != id) continue;
        if (idx-- == 0) return static_cast<int>(i);
    }
    return -1;
}

const HeaderField *Message::find(HeaderId id, int idx) const {
    int i = find_index(id, idx);
    return i < 0 ? nullptr : &fields_[static_cast<size_t>(i)];
}

void Message::insert_line(size_t off, std::string_view line) {
    // Strip any line end the caller gave and write exactly one CRLF.
    while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
    std::string text;
    text.reserve(line.size() + 2);
    text.append(line);
    text.append(kCrlf);
    patches_.add(off, 0, text);
}

void Message::header_add(std::string_view line) { insert_line(headers_end_, line); }

void Message::header_prepend(std::string_view line) {
    insert_line(fields_.empty() ? headers_end_ : fields_.front().line_off, line);
}

bool Message::field_remove(int index) {
    if (index < 0 || static_cast<size_t>(index) >= fields_.size()) return false;
    HeaderField &f = fields_[static_cast<size_t>(index)];
    if (f.removed) return false;
    if (!patches_.add(f.line_off, f.line_len, {})) return false;
    f.removed = true;
    if (f.id == HeaderId::Via) top_via_state_ = -1;
    return true;
}

int Message::header_remove(std::string_view nm) {
    HeaderId id = header_id(nm);
    int n = 0;
    for (size_t i = 0; i < fields_.size(); ++i)
        if (field_matches(fields_[i], id, nm) && field_remove(static_cast<int>(i))) ++n;
    return n;
}

// --- body ---------------------------------------------------------------------------------------

std::string_view Message::body() const {
    if (body_set_) return new_body_;
    return std::string_view(buf_).substr(body_off_);
}

void Message::body_replace(std::string_view b) {
    new_body_.assign(b);
    body_set_ = true;
}

// --- serialisation ------------------------------------------------------------------------------

bool Message::add_patch(size_t off, size_t len, std::string_view text) {
    if (off > buf_.size() || len > buf_.size() - off) return false;
    return patches_.add(off, len, text);
}

std::string Message::build() const {
    if (patches_.empty() && !body_set_ && !missing_blank_line_) return buf_;
    return build_with(PatchList{});
}

std::string Message::build_with(const PatchList &extra) const {
    PatchList all;
    all.reserve(patches_.patches().size() + extra.patches().size() + 3);
    for (const Patch &p : patches_.patches()) all.add(p.off, p.len, p.text);
    for (const Patch &p : extra.patches())
        if (size_t{p.off} <= buf_.size() && p.len <= buf_.size() - p.off) all.add(p.off, p.len, p.text);
    // The fix-ups come last so they follow every insert at the same offset:
    // Content-Length, then the missing blank line, then the body.
    if (body_set_) {
        std::string digits;
        append_uint(digits, new_body_.size());
        const HeaderField *cl = find(HeaderId::ContentLength);
        bool fixed = false;
        if (cl != nullptr) fixed = all.add(cl->val_off, cl->val_len, digits);  // digits only: form kept
        if (!fixed) {
            std::string line = "Content-Length: ";
            line += digits;
            line += kCrlf;
            all.add(headers_end_, 0, line);
        }
    }
    if (missing_blank_line_) all.add(headers_end_, 0, kCrlf);
    if (body_set_) all.add(body_off_, buf_.size() - body_off_, new_body_);
    return all.apply(buf_);
}

// --- parsed accessors ---------------------------------------------------------------------------

std::string_view Message::first_value(HeaderId id) const {
    const HeaderField *f = find(id);
    return f == nullptr ? std::string_view() : value(*f);
}

std::string_view Message::call_id() const { return first_value(HeaderId::CallId); }

std::string_view Message::user_agent() const { return first_value(HeaderId::UserAgent); }

bool Message::from(NameAddr *out) const {
    const HeaderField *f = find(HeaderId::From);
    if (f == nullptr) return false;
    size_t next = 0;
    return parse_name_addr(std::string_view(buf_).substr(0, f->val_off + f->val_len), f->val_off, out, &next);
}

bool Message::to(NameAddr *out) const {
    const HeaderField *f = find(HeaderId::To);
    if (f == nullptr) return false;
    size_t next = 0;
    return parse_name_addr(std::string_view(buf_).substr(0, f->val_off + f->val_len), f->val_off, out, &next);
}

std::string_view Message::from_tag() const {
    NameAddr na;
    return from(&na) ? na.tag : std::string_view();
}

std::string_view Message::to_tag() const {
    NameAddr na;
    return to(&na) ? na.tag : std::string_view();
}

std::string_view Message::from_uri() const {
    NameAddr na;
    return from(&na) ? na.uri : std::string_view();
}

std::string_view Message::to_uri() const {
    NameAddr na;
    return to(&na) ? na.uri : std::string_view();
}

namespace {

// CSeq = 1*DIGIT LWS Method
bool split_cseq(std::string_view v, std::string_view *num, std::string_view *meth) {
    size_t i = 0;
    while (i < v.size() && is_digit(v[i])) ++i;
    if (i == 0 || i > 10) return false;
    size_t j = i;
    while (j < v.size() && is_lws(v[j])) ++j;
    if (j == i || j >= v.size()) return false;
    size_t k = j;
    while (k < v.size() && method_char(v[k])) ++k;
    if (k != v.size()) return false;
    *num = v.substr(0, i);
    *meth = v.substr(j);
    return true;
}

}  // namespace

std::string_view Message::cseq_num_text() const {
    std::string_view n, m;
    return split_cseq(first_value(HeaderId::CSeq), &n, &m) ? n : std::string_view();
}

bool Message::cseq_num(uint32_t *out) const {
    uint64_t v = 0;
    if (!parse_uint(cseq_num_text(), 0xffffffffu, &v)) return false;
    *out = static_cast<uint32_t>(v);
    return true;
}

std::string_view Message::cseq_method() const {
    std::string_view n, m;
    return split_cseq(first_value(HeaderId::CSeq), &n, &m) ? m : std::string_view();
}

long Message::max_forwards() const {
    const HeaderField *f = find(HeaderId::MaxForwards);
    if (f == nullptr) return -1;
    uint64_t v = 0;
    if (!parse_uint(value(*f), 0x7fffffff, &v)) return -2;
    return static_cast<long>(v);
}

bool Message::ruri_parsed(Uri *out) const { return request_ && parse_uri(ruri(), out); }

bool Message::via(int n, ViaRef *out) const {
    if (n != 0) return via_scan(n, out);
    if (top_via_state_ < 0) top_via_state_ = via_scan(0, &top_via_) ? 1 : 0;
    if (top_via_state_ == 0) return false;
    *out = top_via_;
    return true;
}

bool Message::via_scan(int n, ViaRef *out) const {
    if (n < 0) return false;
    for (size_t i = 0; i < fields_.size(); ++i) {
        const HeaderField &f = fields_[i];
        if (f.removed || f.id != HeaderId::Via) continue;
        // Parse over buf_ cut at the value's end so offsets come out absolute.
        std::string_view s = std::string_view(buf_).substr(0, f.val_off + f.val_len);
        size_t pos = f.val_off;
        while (pos < s.size()) {
            Via v;
            size_t next = 0;
            if (!parse_via(s, pos, &v, &next)) return false;
            if (n-- == 0) {
                out->via = v;
                out->field = static_cast<int>(i);
                size_t nv = next;
                while (nv < s.size() && is_lws(s[nv])) ++nv;
                out->next_value = nv < s.size() ? nv : 0;
                return true;
            }
            pos = next;
        }
    }
    return false;
}

bool Message::addr_list(HeaderId id, std::vector<AddrRef> *out, size_t max) const {
    out->clear();
    for (size_t i = 0; i < fields_.size(); ++i) {
        const HeaderField &f = fields_[i];
        if (f.removed || f.id != id) continue;
        std::string_view s = std::string_view(buf_).substr(0, f.val_off + f.val_len);
        size_t pos = f.val_off;
        while (pos < s.size()) {
            if (out->size() >= max) return false;
            AddrRef r;
            size_t next = 0;
            if (!parse_name_addr(s, pos, &r.addr, &next)) return false;
            r.field = static_cast<int>(i);
            out->push_back(r);
            pos = next;
        }
    }
    return true;
}

}  // namespace sipnat::sip
