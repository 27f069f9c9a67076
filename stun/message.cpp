#include "message.h"

#include <cstring>

#include "wire.h"

namespace sipnat::stun {

bool TransactionId::has_cookie() const {
    return wire::get32(bytes.data()) == kMagicCookie;
}

bool looks_like_stun(const uint8_t *data, size_t len) {
    // Order: cheapest tests first; a SIP datagram fails on its first byte.
    if (len < kHeaderSize || data[0] > 0x01) return false;
    const uint16_t length = wire::get16(data + 2);
    if (length % 4 != 0 || static_cast<size_t>(length) + kHeaderSize != len) return false;
    switch (wire::get16(data)) {
    case kBindingRequest:
    case kBindingIndication:
    case kBindingSuccess:
    case kBindingError:
    case make_type(kMethodSharedSecret, Class::Request):
    case make_type(kMethodSharedSecret, Class::Success):
    case make_type(kMethodSharedSecret, Class::Error):
        return true;
    default:
        return false;
    }
}

bool parse_header(const uint8_t *data, size_t len, Header *out) {
    if (data == nullptr || len < kHeaderSize) return false;
    if ((data[0] & 0xC0) != 0) return false; // RFC 5389 §6: the top two bits are zero
    const uint16_t length = wire::get16(data + 2);
    if (length % 4 != 0 || static_cast<size_t>(length) + kHeaderSize != len) return false;
    out->type = wire::get16(data);
    out->length = length;
    std::memcpy(out->tid.bytes.data(), data + 4, out->tid.bytes.size());
    return true;
}

bool AttrReader::next(Attr *a) {
    if (malformed_ || pos_ >= len_) return false;
    // A remaining tail shorter than an attribute header cannot happen for len % 4 == 0 (pos_ is
    // always a multiple of 4), but check rather than rely on the caller.
    if (len_ - pos_ < kAttrHeaderSize) {
        malformed_ = true;
        return false;
    }
    const uint8_t *p = msg_ + pos_;
    const uint16_t length = wire::get16(p + 2);
    const size_t padded = (static_cast<size_t>(length) + 3) & ~static_cast<size_t>(3);
    if (padded > len_ - pos_ - kAttrHeaderSize) {
        malformed_ = true;
        return false;
    }
    a->type = wire::get16(p);
    a->length = length;
    a->value = p + kAttrHeaderSize;
    a->offset = pos_;
    pos_ += kAttrHeaderSize + padded;
    return true;
}

bool Message::find(uint16_t type, Attr *a) const {
    AttrReader r = attributes();
    Attr cur;
    while (r.next(&cur)) {
        if (cur.type == type) {
            *a = cur;
            return true;
        }
    }
    return false;
}

ParseStatus parse_message(const uint8_t *data, size_t len, Message *out) {
    Header h;
    if (!parse_header(data, len, &h)) return ParseStatus::NotStun;
    AttrReader r(data, len);
    Attr a;
    while (r.next(&a)) {
    }
    if (r.malformed()) return ParseStatus::Malformed;
    out->data = data;
    out->size = len;
    out->header = h;
    return ParseStatus::Ok;
}

bool Writer::begin(uint16_t type, const TransactionId &tid) {
    len_ = 0;
    ok_ = buf_ != nullptr && cap_ >= kHeaderSize;
    if (!ok_) return false;
    wire::put16(buf_, type);
    wire::put16(buf_ + 2, 0);
    std::memcpy(buf_ + 4, tid.bytes.data(), tid.bytes.size());
    len_ = kHeaderSize;
    return true;
}

uint8_t *Writer::append(uint16_t type, size_t len) {
    if (!ok_) return nullptr;
    const size_t padded = (len + 3) & ~static_cast<size_t>(3);
    if (len > 0xFFFF || padded + kAttrHeaderSize > cap_ - len_) {
        ok_ = false;
        return nullptr;
    }
    uint8_t *p = buf_ + len_;
    wire::put16(p, type);
    wire::put16(p + 2, static_cast<uint16_t>(len));
    std::memset(p + kAttrHeaderSize + len, pad_, padded - len);
    len_ += kAttrHeaderSize + padded;
    // cap_ <= kMaxMessageSize keeps this within 16 bits.
    wire::put16(buf_ + 2, static_cast<uint16_t>(len_ - kHeaderSize));
    return p + kAttrHeaderSize;
}

bool Writer::add(uint16_t type, const void *value, size_t len) {
    uint8_t *p = append(type, len);
    if (p == nullptr) return false;
    if (len != 0) std::memcpy(p, value, len);
    return true;
}

} // namespace sipnat::stun
