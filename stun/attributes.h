// STUN attribute types and the encode/decode of every non-address attribute value.
// Address attributes (MAPPED-ADDRESS and kin, plain and XOR) live in address.h; MESSAGE-INTEGRITY
// and FINGERPRINT in integrity.h.
//
// Decoders take an Attr from AttrReader (so value[0..length) is known to be inside the message)
// and check the value's own shape; false means malformed (a server answers 400).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "message.h"

namespace sipnat::stun {

// RFC 3489 / RFC 5389 / RFC 8489
inline constexpr uint16_t kAttrMappedAddress = 0x0001;
inline constexpr uint16_t kAttrResponseAddress = 0x0002; // RFC 3489; reserved since RFC 5389
inline constexpr uint16_t kAttrChangeRequest = 0x0003;   // RFC 3489, RFC 5780
inline constexpr uint16_t kAttrSourceAddress = 0x0004;   // RFC 3489; reserved since RFC 5389
inline constexpr uint16_t kAttrChangedAddress = 0x0005;  // RFC 3489; reserved since RFC 5389
inline constexpr uint16_t kAttrUsername = 0x0006;
inline constexpr uint16_t kAttrMessageIntegrity = 0x0008;
inline constexpr uint16_t kAttrErrorCode = 0x0009;
inline constexpr uint16_t kAttrUnknownAttributes = 0x000A;
inline constexpr uint16_t kAttrReflectedFrom = 0x000B; // RFC 3489; reserved since RFC 5389
inline constexpr uint16_t kAttrRealm = 0x0014;
inline constexpr uint16_t kAttrNonce = 0x0015;
inline constexpr uint16_t kAttrXorMappedAddress = 0x0020;
inline constexpr uint16_t kAttrXorMappedAddressOld = 0x8020; // pre-RFC 3489bis drafts, optional range
inline constexpr uint16_t kAttrSoftware = 0x8022;
inline constexpr uint16_t kAttrAlternateServer = 0x8023;
inline constexpr uint16_t kAttrFingerprint = 0x8028;
// RFC 5780 (NAT behaviour discovery)
inline constexpr uint16_t kAttrPadding = 0x0026;
inline constexpr uint16_t kAttrResponsePort = 0x0027;
inline constexpr uint16_t kAttrResponseOrigin = 0x802B;
inline constexpr uint16_t kAttrOtherAddress = 0x802C;
// RFC 8445 (ICE)
inline constexpr uint16_t kAttrPriority = 0x0024;
inline constexpr uint16_t kAttrUseCandidate = 0x0025;
inline constexpr uint16_t kAttrIceControlled = 0x8029;
inline constexpr uint16_t kAttrIceControlling = 0x802A;

// RFC 5389 §15: types 0x0000-0x7FFF must be understood by the receiver (else 420).
constexpr bool comprehension_required(uint16_t type) {
    return type < 0x8000;
}

// Name of a type this library knows ("MAPPED-ADDRESS"), or nullptr.
const char *attr_name(uint16_t type);

// True for every type listed above: the server recognises (and may skip) these without a 420.
bool attr_known(uint16_t type);

// --- CHANGE-REQUEST (RFC 3489 §11.2.4, RFC 5780 §7.2): 32 bits, flag A = 0x4 change IP, B = 0x2 port.
inline constexpr uint32_t kChangeIpFlag = 0x4;
inline constexpr uint32_t kChangePortFlag = 0x2;

struct ChangeRequest {
    bool ip = false;
    bool port = false;
};

// Appends CHANGE-REQUEST with the given flags.
bool add_change_request(Writer &w, ChangeRequest c);
// Reads CHANGE-REQUEST; false unless the value is exactly 4 bytes (unknown flag bits are ignored).
bool decode_change_request(const Attr &a, ChangeRequest *out);

// --- RESPONSE-PORT (RFC 5780 §7.5): a port followed by 2 bytes of padding.
// Appends RESPONSE-PORT; four_byte: value length 4 (port + 2 zero bytes, as coturn sends), else 2.
bool add_response_port(Writer &w, uint16_t port, bool four_byte = true);
// Reads RESPONSE-PORT in either form (value length 2 or 4); false for any other length.
bool decode_response_port(const Attr &a, uint16_t *port);

// --- PADDING (RFC 5780 §7.6): free-form bytes; only the length matters.
// Appends PADDING with a len-byte value of zeros.
bool add_padding(Writer &w, size_t len);

// --- ERROR-CODE (RFC 5389 §15.6): 21 zero bits, class (3..6), number (0..99), UTF-8 reason.
struct ErrorCode {
    int code = 0;            // 300..699
    std::string_view reason; // points into the message
};

// Appends ERROR-CODE; false (nothing written) unless 300 <= code <= 699.
bool add_error_code(Writer &w, int code, std::string_view reason);
// Reads ERROR-CODE; false when shorter than 4 bytes or the class/number are out of range.
bool decode_error_code(const Attr &a, ErrorCode *out);
// The usual reason phrase for a code ("Bad Request"), "" when we have none.
std::string_view default_reason(int code);

// --- UNKNOWN-ATTRIBUTES (RFC 5389 §15.9, RFC 3489 §11.2.10): a list of 16-bit types.
// Appends the list; repeat_odd (RFC 3489): an odd count repeats the last type so the value stays a
// multiple of 4, else (RFC 5389) the value is padded.
bool add_unknown_attributes(Writer &w, const uint16_t *types, size_t n, bool repeat_odd);
// Reads up to cap types into out and their count into *n; false when the value length is odd.
bool decode_unknown_attributes(const Attr &a, uint16_t *out, size_t cap, size_t *n);

// --- Text (USERNAME, SOFTWARE, REALM, NONCE) and fixed-size integers (PRIORITY, ICE-CONTROLL*).
// Appends a text attribute (bytes as given; the caller keeps it UTF-8 and within the RFC limits).
bool add_string(Writer &w, uint16_t type, std::string_view s);
// The value as text (no UTF-8 check: callers only log or compare it).
std::string_view decode_string(const Attr &a);
// Appends a 32-bit value.
bool add_u32(Writer &w, uint16_t type, uint32_t v);
// Reads a 32-bit value; false unless the value is exactly 4 bytes.
bool decode_u32(const Attr &a, uint32_t *v);
// Appends a 64-bit value.
bool add_u64(Writer &w, uint16_t type, uint64_t v);
// Reads a 64-bit value; false unless the value is exactly 8 bytes.
bool decode_u64(const Attr &a, uint64_t *v);

} // namespace sipnat::stun
