#include "attributes.h"

#include "wire.h"

namespace sipnat::stun {

const char *attr_name(uint16_t type) {
    switch (type) {
    case kAttrMappedAddress:
        return "MAPPED-ADDRESS";
    case kAttrResponseAddress:
        return "RESPONSE-ADDRESS";
    case kAttrChangeRequest:
        return "CHANGE-REQUEST";
    case kAttrSourceAddress:
        return "SOURCE-ADDRESS";
    case kAttrChangedAddress:
        return "CHANGED-ADDRESS";
    case kAttrUsername:
        return "USERNAME";
    case kAttrMessageIntegrity:
        return "MESSAGE-INTEGRITY";
    case kAttrErrorCode:
        return "ERROR-CODE";
    case kAttrUnknownAttributes:
        return "UNKNOWN-ATTRIBUTES";
    case kAttrReflectedFrom:
        return "REFLECTED-FROM";
    case kAttrRealm:
        return "REALM";
    case kAttrNonce:
        return "NONCE";
    case kAttrXorMappedAddress:
        return "XOR-MAPPED-ADDRESS";
    case kAttrXorMappedAddressOld:
        return "XOR-MAPPED-ADDRESS(0x8020)";
    case kAttrSoftware:
        return "SOFTWARE";
    case kAttrAlternateServer:
        return "ALTERNATE-SERVER";
    case kAttrFingerprint:
        return "FINGERPRINT";
    case kAttrPadding:
        return "PADDING";
    case kAttrResponsePort:
        return "RESPONSE-PORT";
    case kAttrResponseOrigin:
        return "RESPONSE-ORIGIN";
    case kAttrOtherAddress:
        return "OTHER-ADDRESS";
    case kAttrPriority:
        return "PRIORITY";
    case kAttrUseCandidate:
        return "USE-CANDIDATE";
    case kAttrIceControlled:
        return "ICE-CONTROLLED";
    case kAttrIceControlling:
        return "ICE-CONTROLLING";
    default:
        return nullptr;
    }
}

bool attr_known(uint16_t type) {
    return attr_name(type) != nullptr;
}

bool add_change_request(Writer &w, ChangeRequest c) {
    return add_u32(w, kAttrChangeRequest, (c.ip ? kChangeIpFlag : 0) | (c.port ? kChangePortFlag : 0));
}

bool decode_change_request(const Attr &a, ChangeRequest *out) {
    uint32_t v = 0;
    if (!decode_u32(a, &v)) return false;
    out->ip = (v & kChangeIpFlag) != 0;
    out->port = (v & kChangePortFlag) != 0;
    return true;
}

bool add_response_port(Writer &w, uint16_t port, bool four_byte) {
    uint8_t *p = w.append(kAttrResponsePort, four_byte ? 4 : 2);
    if (p == nullptr) return false;
    wire::put16(p, port);
    if (four_byte) wire::put16(p + 2, 0);
    return true;
}

bool decode_response_port(const Attr &a, uint16_t *port) {
    // RFC 5780's figure shows port + padding inside the value; implementations differ on whether
    // the length counts that padding (coturn: 4), so both are accepted.
    if (a.length != 2 && a.length != 4) return false;
    *port = wire::get16(a.value);
    return true;
}

bool add_padding(Writer &w, size_t len) {
    uint8_t *p = w.append(kAttrPadding, len);
    if (p == nullptr) return false;
    for (size_t i = 0; i < len; ++i) p[i] = 0;
    return true;
}

bool add_error_code(Writer &w, int code, std::string_view reason) {
    if (code < 300 || code > 699) return false;
    uint8_t *p = w.append(kAttrErrorCode, 4 + reason.size());
    if (p == nullptr) return false;
    p[0] = 0;
    p[1] = 0;
    p[2] = static_cast<uint8_t>(code / 100);
    p[3] = static_cast<uint8_t>(code % 100);
    for (size_t i = 0; i < reason.size(); ++i) p[4 + i] = static_cast<uint8_t>(reason[i]);
    return true;
}

bool decode_error_code(const Attr &a, ErrorCode *out) {
    if (a.length < 4) return false;
    const int cls = a.value[2] & 0x07;
    const int number = a.value[3];
    if (cls < 3 || cls > 6 || number > 99) return false;
    out->code = cls * 100 + number;
    out->reason = std::string_view(reinterpret_cast<const char *>(a.value + 4), a.length - 4u);
    return true;
}

std::string_view default_reason(int code) {
    switch (code) {
    case 300:
        return "Try Alternate";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 420:
        return "Unknown Attribute";
    case 438:
        return "Stale Nonce";
    case 500:
        return "Server Error";
    case 600:
        return "Global Failure";
    default:
        return "";
    }
}

bool add_unknown_attributes(Writer &w, const uint16_t *types, size_t n, bool repeat_odd) {
    if (n == 0) return false;
    const size_t count = (repeat_odd && n % 2 != 0) ? n + 1 : n;
    uint8_t *p = w.append(kAttrUnknownAttributes, 2 * count);
    if (p == nullptr) return false;
    for (size_t i = 0; i < n; ++i) wire::put16(p + 2 * i, types[i]);
    if (count != n) wire::put16(p + 2 * n, types[n - 1]);
    return true;
}

bool decode_unknown_attributes(const Attr &a, uint16_t *out, size_t cap, size_t *n) {
    if (a.length % 2 != 0) return false;
    const size_t count = a.length / 2u;
    size_t i = 0;
    for (; i < count && i < cap; ++i) out[i] = wire::get16(a.value + 2 * i);
    *n = i;
    return true;
}

bool add_string(Writer &w, uint16_t type, std::string_view s) {
    return w.add(type, s.data(), s.size());
}

std::string_view decode_string(const Attr &a) {
    return std::string_view(reinterpret_cast<const char *>(a.value), a.length);
}

bool add_u32(Writer &w, uint16_t type, uint32_t v) {
    uint8_t *p = w.append(type, 4);
    if (p == nullptr) return false;
    wire::put32(p, v);
    return true;
}

bool decode_u32(const Attr &a, uint32_t *v) {
    if (a.length != 4) return false;
    *v = wire::get32(a.value);
    return true;
}

bool add_u64(Writer &w, uint16_t type, uint64_t v) {
    uint8_t *p = w.append(type, 8);
    if (p == nullptr) return false;
    wire::put64(p, v);
    return true;
}

bool decode_u64(const Attr &a, uint64_t *v) {
    if (a.length != 8) return false;
    *v = wire::get64(a.value);
    return true;
}

} // namespace sipnat::stun
