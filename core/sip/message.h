// A SIP message as a view over the bytes it arrived in, plus edits recorded as byte patches.
//
// Parsing has two parts. Our own scanner indexes the start line and every header line (name as
// written, canonical id, line span incl. folding and line end, trimmed value span) and frames the
// body by Content-Length (RFC 3261 §18.3). Requests are then given to libosip2 as a syntax gate
// (one osip parse, header section only); its verdict is kept as a defect that validate_request()
// turns into a 400, so the request can still be answered. Replies never go through osip: the proxy
// only needs their Vias and status, which the scanner and the Via parser check.
//
// Leniencies (documented choices): leading CR/LF before the start line are skipped; LF-only line
// ends are accepted; a header section that ends without the blank line (or without a final line
// end) is accepted and build() writes the missing CRLFs; a request line with runs of SP is
// indexed but is a 400 defect (RFC 3261 §7.1 asks for single SP); HTAB counts as LWS (osip's copy
// gets SP instead, since some of its parsers take only SP).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "headers.h"
#include "patch.h"
#include "uri.h"
#include "via.h"

namespace sipnat::sip {

// Why parse() returned nullptr. code: 400 when the datagram looked like a request (for logs and
// stats: without a Message no answer can be built), 0 otherwise; the caller drops it either way.
struct ParseError {
    int code = 0;
    std::string reason;
};

struct ParseOptions {
    bool syntax_check = true;  // give requests to libosip2 (off: scanner-only, e.g. for benchmarks)
};

// Limits; past them parse() fails.
inline constexpr size_t kMaxMessageSize = 65535;  // one UDP datagram
inline constexpr size_t kMaxHeaders = 256;        // header fields (folded lines count once)

// One header field in the received bytes. Offsets index raw().
struct HeaderField {
    HeaderId id = HeaderId::Other;
    bool removed = false;      // header_remove() took it out
    uint32_t name_off = 0, name_len = 0;   // name as written ("v", "VIA", "X-Foo")
    uint32_t line_off = 0, line_len = 0;   // whole field: name .. last line end (folded lines incl.)
    uint32_t val_off = 0, val_len = 0;     // value without surrounding LWS (inner folding kept)
};

// A via-parm located in the message: which header field holds it and where its neighbours are.
struct ViaRef {
    Via via;                 // offsets index raw()
    int field = -1;          // index into fields()
    size_t next_value = 0;   // start of the next via-parm in the same field, 0 when this is its last
};

// A name-addr value of a list header (Route, Record-Route) located in the message.
struct AddrRef {
    NameAddr addr;           // offsets index raw()
    int field = -1;          // index into fields()
};

class Message {
public:
    // Parses a datagram (copies it). nullptr + err on input the scanner cannot index.
    static std::unique_ptr<Message> parse(const char *data, size_t len, ParseError *err);
    // As above with options.
    static std::unique_ptr<Message> parse(const char *data, size_t len, const ParseOptions &opt, ParseError *err);

    // --- start line ---------------------------------------------------------------------------
    // True for a request, false for a reply.
    bool is_request() const { return request_; }
    // Request method as written; for a reply the CSeq method.
    std::string_view method() const;
    // Reply status code; 0 for a request.
    int status() const { return status_; }
    // Reply status code as written ("200"); "" for a request.
    std::string_view status_text() const;
    // Reply reason phrase as written; "" for a request.
    std::string_view reason() const;
    // SIP-Version as written ("SIP/2.0").
    std::string_view version() const;
    // Request-URI: the current value (after set_ruri); "" for a reply.
    std::string_view ruri() const;
    // Request-URI as received.
    std::string_view original_ruri() const;
    // Replaces the Request-URI (recorded as a patch; the last call wins). Ignored for replies.
    void set_ruri(std::string_view uri);
    // Offset and length of the Request-URI in raw() (for callers that patch around it).
    size_t ruri_offset() const { return ruri_off_; }

    // --- bytes ----------------------------------------------------------------------------------
    // The message as received (after Content-Length truncation and skipped leading CRLFs).
    std::string_view raw() const { return buf_; }
    // Non-zero when the message is indexable but broken (400 for requests): osip rejected it,
    // the body is shorter than Content-Length, Content-Length is bad or repeated, NUL in headers.
    int defect_code() const { return defect_code_; }
    // Text for defect_code(); "" when there is none.
    std::string_view defect() const { return defect_; }

    // --- headers --------------------------------------------------------------------------------
    // Sets *value to the trimmed value (as received) of the idx-th header named `name` (case-
    // insensitive, compact forms match their long names, removed ones skipped); false if none.
    bool header(std::string_view name, int idx, std::string_view *value) const;
    // Returns how many headers named `name` there are (same matching as header()).
    int header_count(std::string_view name) const;
    // Returns the idx-th header field with that id (removed ones skipped), or nullptr.
    const HeaderField *find(HeaderId id, int idx = 0) const;
    // Returns the index of the idx-th non-removed field with that id in fields(), or -1.
    int find_index(HeaderId id, int idx = 0) const;
    // Every header field in received order (removed ones flagged, not erased).
    std::span<const HeaderField> fields() const { return fields_; }
    // The trimmed value of a field, as received.
    std::string_view value(const HeaderField &f) const { return std::string_view(buf_).substr(f.val_off, f.val_len); }
    // The name of a field as written.
    std::string_view name(const HeaderField &f) const { return std::string_view(buf_).substr(f.name_off, f.name_len); }
    // Appends a header line after the last header; CRLF added if missing. Not visible to header().
    void header_add(std::string_view line);
    // Inserts a header line before the first header (e.g. Record-Route); CRLF added if missing.
    void header_prepend(std::string_view line);
    // Removes every header named `name` (each whole line incl. folded lines); returns the count.
    int header_remove(std::string_view name);
    // Removes one header field by index in fields(); false if out of range or already removed.
    bool field_remove(int index);

    // --- body -----------------------------------------------------------------------------------
    // The current body (after body_replace).
    std::string_view body() const;
    // Replaces the body; build() sets Content-Length (the existing header keeps its name and
    // spacing, only the digits change; one is added when there was none).
    void body_replace(std::string_view body);
    // True after body_replace().
    bool body_replaced() const { return body_set_; }
    // Offset of the body in raw().
    size_t body_offset() const { return body_off_; }
    // Content-Length value as received; -1 when absent or invalid.
    long content_length() const { return content_length_; }

    // --- serialisation --------------------------------------------------------------------------
    // Returns the original bytes with all patches applied, in one pass.
    std::string build() const;
    // Returns build() with `extra` patches applied too (message patches first; refused extras skipped).
    std::string build_with(const PatchList &extra) const;
    // Records a raw patch over raw() (rules in patch.h); false when it is refused.
    bool add_patch(size_t off, size_t len, std::string_view text);
    // The recorded patches.
    const PatchList &patches() const { return patches_; }
    // Offset where appended headers go (the start of the blank line).
    size_t headers_end() const { return headers_end_; }

    // --- parsed accessors (views into raw() or the current R-URI) --------------------------------
    // Call-ID value ("" when absent).
    std::string_view call_id() const;
    // Parses the first From value into *out; false when absent or unparsable.
    bool from(NameAddr *out) const;
    // Parses the first To value into *out; false when absent or unparsable.
    bool to(NameAddr *out) const;
    // From tag ("" when none).
    std::string_view from_tag() const;
    // To tag ("" when none).
    std::string_view to_tag() const;
    // From URI without <> ("" when none).
    std::string_view from_uri() const;
    // To URI without <> ("" when none).
    std::string_view to_uri() const;
    // CSeq number as written ("" when absent or malformed).
    std::string_view cseq_num_text() const;
    // CSeq number; false when CSeq is absent or malformed.
    bool cseq_num(uint32_t *out) const;
    // CSeq method ("" when absent or malformed).
    std::string_view cseq_method() const;
    // User-Agent value ("" when absent).
    std::string_view user_agent() const;
    // Max-Forwards value; -1 when absent, -2 when not a number in 0..2^31-1.
    long max_forwards() const;
    // Parses the current Request-URI; false for replies or bad URIs.
    bool ruri_parsed(Uri *out) const;
    // Finds the n-th via-parm across all Via headers (0 = top); false when there are fewer or it is bad.
    bool via(int n, ViaRef *out) const;
    // Lists the values of a list header (Route, Record-Route) across its fields, in order; false
    // when a value is unparsable. At most `max` values.
    bool addr_list(HeaderId id, std::vector<AddrRef> *out, size_t max = 256) const;

private:
    Message() = default;
    bool index(const char *data, size_t len, const ParseOptions &opt, ParseError *err);
    bool field_matches(const HeaderField &f, HeaderId id, std::string_view name) const;
    void insert_line(size_t off, std::string_view line);
    std::string_view first_value(HeaderId id) const;
    bool via_scan(int n, ViaRef *out) const;

    std::string buf_;
    std::vector<HeaderField> fields_;
    PatchList patches_;

    bool request_ = false;
    int status_ = 0;
    uint32_t method_off_ = 0, method_len_ = 0;    // request: method; reply: status code digits
    uint32_t ruri_off_ = 0, ruri_len_ = 0;        // reply: reason phrase
    uint32_t version_off_ = 0, version_len_ = 0;
    size_t headers_end_ = 0;
    size_t body_off_ = 0;
    long content_length_ = -1;
    bool missing_blank_line_ = false;  // no empty line ended the header section

    int defect_code_ = 0;
    std::string defect_;

    // via(0) is asked for by validation, forwarding and the branch: parse it once.
    mutable int top_via_state_ = -1;  // -1 not parsed yet, 0 none or bad, 1 cached in top_via_
    mutable ViaRef top_via_;

    bool ruri_set_ = false;
    std::string new_ruri_;
    bool body_set_ = false;
    std::string new_body_;
};

}  // namespace sipnat::sip
