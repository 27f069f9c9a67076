// STUN message framing: the 20-byte header, the attribute TLV walk, the cheap is-this-STUN test
// for a demux, and a writer that builds messages into a caller-provided buffer.
//
// Two dialects share one wire format (RFC 3489 and RFC 5389/8489 §5): a 5389 header carries the
// magic cookie 0x2112A442 in bytes 4..7 and a 96-bit transaction id, a 3489 header has a 128-bit id
// in bytes 4..19. TransactionId therefore always holds header bytes 4..19 (cookie included when
// present): a response echoes them verbatim and XOR-ed addresses are keyed on them in both dialects.
//
// Nothing here allocates. Every read is bounds-checked against the datagram length; a datagram
// whose header is not STUN is rejected before any attribute is looked at.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace sipnat::stun {

inline constexpr uint32_t kMagicCookie = 0x2112A442;
inline constexpr size_t kHeaderSize = 20;
inline constexpr size_t kAttrHeaderSize = 4;
// The largest message the 16-bit length field can frame.
inline constexpr size_t kMaxMessageSize = kHeaderSize + 0xFFFF;

// Message class: two bits (C1, C0) spread over the type field (RFC 5389 §6).
enum class Class : uint8_t { Request = 0, Indication = 1, Success = 2, Error = 3 };

inline constexpr uint16_t kMethodBinding = 0x001;
inline constexpr uint16_t kMethodSharedSecret = 0x002; // RFC 3489 only; recognised, never served

// Type field for a method (12 bits) and class: M11..M7 C1 M6..M4 C0 M3..M0.
constexpr uint16_t make_type(uint16_t method, Class c) {
    const auto cls = static_cast<uint16_t>(c);
    return static_cast<uint16_t>(((method & 0xF80) << 2) | ((method & 0x070) << 1) | (method & 0x00F) |
                                 ((cls & 2) << 7) | ((cls & 1) << 4));
}
// Class bits of a type field.
constexpr Class type_class(uint16_t type) {
    return static_cast<Class>(((type >> 7) & 2) | ((type >> 4) & 1));
}
// Method bits of a type field.
constexpr uint16_t type_method(uint16_t type) {
    return static_cast<uint16_t>(((type >> 2) & 0xF80) | ((type >> 1) & 0x070) | (type & 0x00F));
}

inline constexpr uint16_t kBindingRequest = make_type(kMethodBinding, Class::Request);       // 0x0001
inline constexpr uint16_t kBindingIndication = make_type(kMethodBinding, Class::Indication); // 0x0011
inline constexpr uint16_t kBindingSuccess = make_type(kMethodBinding, Class::Success);       // 0x0101
inline constexpr uint16_t kBindingError = make_type(kMethodBinding, Class::Error);           // 0x0111

// Header bytes 4..19: the magic cookie + 96-bit id (RFC 5389) or the whole 128-bit id (RFC 3489).
struct TransactionId {
    std::array<uint8_t, 16> bytes{};

    // True when bytes 0..3 are the magic cookie, i.e. the sender speaks RFC 5389 or later.
    bool has_cookie() const;
    bool operator==(const TransactionId &) const = default;
};

struct Header {
    uint16_t type = 0;
    uint16_t length = 0; // attribute bytes after the header (a multiple of 4)
    TransactionId tid;

    // True for an RFC 5389/8489 message (magic cookie present), false for RFC 3489.
    bool rfc5389() const { return tid.has_cookie(); }
};

// Cheap demux test: first byte 0x00/0x01, length field + 20 == len, length % 4 == 0, and a type we
// know (Binding of any class, RFC 3489 Shared Secret request/response/error). Never true for SIP
// (starts with a letter) nor for CRLF or 4-zero-byte keepalives (shorter than a header).
bool looks_like_stun(const uint8_t *data, size_t len);

// Validates the header framing (top two bits 00, length % 4 == 0, length + 20 == len) and fills
// *out. False: not STUN; nothing was read past data[len).
bool parse_header(const uint8_t *data, size_t len, Header *out);

// One attribute as found in a message. value points into the message; length excludes padding.
struct Attr {
    uint16_t type = 0;
    uint16_t length = 0;
    const uint8_t *value = nullptr;
    size_t offset = 0; // of the attribute's type field, from the start of the message
};

// Walks the attribute TLVs of a message once, checking each against the message end.
class AttrReader {
public:
    // msg/len must be a message parse_header() accepted (len >= 20, len % 4 == 0).
    AttrReader(const uint8_t *msg, size_t len) : msg_(msg), len_(len) {}
    // Next attribute into *a; false at the end, or when an attribute (value + padding) runs past
    // the message, after which malformed() is true and next() keeps returning false.
    bool next(Attr *a);
    // True when the walk stopped on an attribute that does not fit.
    bool malformed() const { return malformed_; }
    // Offset of the next attribute (the message length once the walk ended cleanly).
    size_t position() const { return pos_; }

private:
    const uint8_t *msg_;
    size_t len_;
    size_t pos_ = kHeaderSize;
    bool malformed_ = false;
};

enum class ParseStatus : uint8_t {
    Ok,        // header and every attribute's framing are sound
    NotStun,   // the header is not STUN: drop
    Malformed, // a STUN header, but the attributes do not tile the message exactly
};

// A parsed message: a view over the caller's bytes (which must outlive it).
struct Message {
    const uint8_t *data = nullptr;
    size_t size = 0;
    Header header;

    // A fresh walk over the attributes.
    AttrReader attributes() const { return AttrReader(data, size); }
    // The first attribute of the given type (later ones are ignored, RFC 5389 §15); false if none.
    bool find(uint16_t type, Attr *a) const;
};

// Validates the header and the framing of every attribute; fills *out only on Ok.
ParseStatus parse_message(const uint8_t *data, size_t len, Message *out);

// Builds one message into a caller-provided buffer. The header length field is kept current after
// every attribute, as MESSAGE-INTEGRITY and FINGERPRINT need. Once something does not fit, ok()
// turns false, later calls do nothing, and size() is 0.
class Writer {
public:
    // buf[0..cap) receives the message.
    Writer(uint8_t *buf, size_t cap) : buf_(buf), cap_(cap < kMaxMessageSize ? cap : kMaxMessageSize) {}

    // Writes the header (type, length 0, tid); drops any previous content.
    bool begin(uint16_t type, const TransactionId &tid);
    // Appends an attribute header for a len-byte value, writes the padding, and returns where the
    // value goes (the caller fills exactly len bytes); nullptr when it does not fit.
    uint8_t *append(uint16_t type, size_t len);
    // Appends an attribute whose value is value[0..len).
    bool add(uint16_t type, const void *value, size_t len);
    // Byte used for attribute padding (default 0; RFC 5769's vectors use 0x20).
    void set_pad_byte(uint8_t b) { pad_ = b; }
    // Marks the message as failed (e.g. a digest could not be computed): ok() turns false.
    void fail() { ok_ = false; }

    // False once anything failed to fit (or begin() was not called).
    bool ok() const { return ok_; }
    // Bytes of the message so far, header included; 0 when !ok().
    size_t size() const { return ok_ ? len_ : 0; }
    // Start of the message.
    const uint8_t *data() const { return buf_; }
    // Bytes still free for attributes (headers included).
    size_t room() const { return ok_ ? cap_ - len_ : 0; }

private:
    uint8_t *buf_;
    size_t cap_;
    size_t len_ = 0;
    bool ok_ = false;
    uint8_t pad_ = 0;
};

} // namespace sipnat::stun
