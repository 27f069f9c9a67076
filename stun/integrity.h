// MESSAGE-INTEGRITY (HMAC-SHA1, RFC 5389 §15.4) via OpenSSL and FINGERPRINT (CRC-32 XOR
// 0x5354554E, §15.5) via zlib's crc32(): both computed by the libraries, never by hand.
//
// MESSAGE-INTEGRITY covers the message up to the attribute itself, with the header length field
// counting up to and including MESSAGE-INTEGRITY (so a FINGERPRINT after it is excluded).
// FINGERPRINT covers everything before it, with the header length counting the FINGERPRINT
// attribute; it must be the last attribute.
// RFC 3489's older MESSAGE-INTEGRITY (input zero-padded to a multiple of 64 bytes, header length
// unadjusted) is not implemented: only clients with credentials used it, and the server has none.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "message.h"

namespace sipnat::stun {

inline constexpr uint32_t kFingerprintXor = 0x5354554E;
inline constexpr size_t kMessageIntegritySize = 20; // SHA-1 output
inline constexpr size_t kFingerprintSize = 4;

// Appends MESSAGE-INTEGRITY keyed with key[0..key_len) over the message built so far.
bool add_message_integrity(Writer &w, const void *key, size_t key_len);
// Appends FINGERPRINT over the message built so far; add it last.
bool add_fingerprint(Writer &w);

// FINGERPRINT value for msg[0..len), whose header length field already counts the FINGERPRINT.
uint32_t fingerprint_of(const uint8_t *msg, size_t len);

enum class Check : uint8_t { Absent, Valid, Invalid };

// Verifies the first MESSAGE-INTEGRITY with key; Invalid also when its value is not 20 bytes.
Check verify_message_integrity(const Message &m, const void *key, size_t key_len);
// Verifies FINGERPRINT; Invalid when its value is not 4 bytes, it is not the last attribute, or
// the CRC differs.
Check verify_fingerprint(const Message &m);

// Long-term credential key (RFC 5389 §15.4): MD5(username ":" realm ":" password) into out[16].
// The inputs are used as given (SASLprep is the caller's business).
bool long_term_key(std::string_view username, std::string_view realm, std::string_view password,
                   uint8_t out[16]);

} // namespace sipnat::stun
