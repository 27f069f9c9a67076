#include "integrity.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/params.h>
#include <zlib.h>

#include <cstring>

#include "attributes.h"
#include "wire.h"

namespace sipnat::stun {

namespace {

// OpenSSL wants a non-null key pointer even for an empty key.
const unsigned char kEmptyKey[1] = {0};

const unsigned char *key_ptr(const void *key, size_t key_len) {
    return key_len == 0 || key == nullptr ? kEmptyKey : static_cast<const unsigned char *>(key);
}

// HMAC-SHA1 over a || b (two pieces, so a patched copy of the header can precede the body).
bool hmac_sha1_2(const void *key, size_t key_len, const uint8_t *a, size_t alen, const uint8_t *b,
                 size_t blen, uint8_t out[kMessageIntegritySize]) {
    EVP_MAC *mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
    if (mac == nullptr) return false;
    EVP_MAC_CTX *ctx = EVP_MAC_CTX_new(mac);
    bool ok = false;
    if (ctx != nullptr) {
        char digest[] = "SHA1";
        const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                                     OSSL_PARAM_construct_end()};
        size_t n = 0;
        ok = EVP_MAC_init(ctx, key_ptr(key, key_len), key_len, params) == 1 &&
             EVP_MAC_update(ctx, a, alen) == 1 && EVP_MAC_update(ctx, b, blen) == 1 &&
             EVP_MAC_final(ctx, out, &n, kMessageIntegritySize) == 1 && n == kMessageIntegritySize;
        EVP_MAC_CTX_free(ctx);
    }
    EVP_MAC_free(mac);
    return ok;
}

uint32_t crc32_of(const uint8_t *p, size_t len) {
    // zlib takes uInt lengths; STUN messages (< 64 KiB + 20) always fit.
    return static_cast<uint32_t>(crc32(0L, p, static_cast<uInt>(len)));
}

} // namespace

bool add_message_integrity(Writer &w, const void *key, size_t key_len) {
    const size_t start = w.size(); // offset of the MESSAGE-INTEGRITY attribute
    uint8_t *p = w.append(kAttrMessageIntegrity, kMessageIntegritySize);
    if (p == nullptr) return false;
    // The header length now counts MESSAGE-INTEGRITY, as the HMAC input requires.
    unsigned int n = 0;
    if (HMAC(EVP_sha1(), key_ptr(key, key_len), static_cast<int>(key_len), w.data(), start, p, &n) ==
            nullptr ||
        n != kMessageIntegritySize) {
        w.fail();
        return false;
    }
    return true;
}

bool add_fingerprint(Writer &w) {
    const size_t start = w.size();
    uint8_t *p = w.append(kAttrFingerprint, kFingerprintSize);
    if (p == nullptr) return false;
    wire::put32(p, crc32_of(w.data(), start) ^ kFingerprintXor);
    return true;
}

uint32_t fingerprint_of(const uint8_t *msg, size_t len) {
    return crc32_of(msg, len) ^ kFingerprintXor;
}

Check verify_message_integrity(const Message &m, const void *key, size_t key_len) {
    Attr mi;
    if (!m.find(kAttrMessageIntegrity, &mi)) return Check::Absent;
    if (mi.length != kMessageIntegritySize) return Check::Invalid;
    // The header as it was when the sender computed the HMAC: length up to the end of MI.
    uint8_t hdr[kHeaderSize];
    std::memcpy(hdr, m.data, kHeaderSize);
    wire::put16(hdr + 2,
                static_cast<uint16_t>(mi.offset + kAttrHeaderSize + kMessageIntegritySize - kHeaderSize));
    uint8_t mac[kMessageIntegritySize];
    if (!hmac_sha1_2(key, key_len, hdr, kHeaderSize, m.data + kHeaderSize, mi.offset - kHeaderSize, mac)) {
        return Check::Invalid;
    }
    return CRYPTO_memcmp(mac, mi.value, kMessageIntegritySize) == 0 ? Check::Valid : Check::Invalid;
}

Check verify_fingerprint(const Message &m) {
    Attr fp;
    if (!m.find(kAttrFingerprint, &fp)) return Check::Absent;
    if (fp.length != kFingerprintSize || fp.offset + kAttrHeaderSize + kFingerprintSize != m.size) {
        return Check::Invalid;
    }
    return fingerprint_of(m.data, fp.offset) == wire::get32(fp.value) ? Check::Valid : Check::Invalid;
}

bool long_term_key(std::string_view username, std::string_view realm, std::string_view password,
                   uint8_t out[16]) {
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    if (ctx == nullptr) return false;
    unsigned int n = 0;
    const bool ok =
        EVP_DigestInit_ex(ctx, EVP_md5(), nullptr) == 1 &&
        EVP_DigestUpdate(ctx, username.data(), username.size()) == 1 && EVP_DigestUpdate(ctx, ":", 1) == 1 &&
        EVP_DigestUpdate(ctx, realm.data(), realm.size()) == 1 && EVP_DigestUpdate(ctx, ":", 1) == 1 &&
        EVP_DigestUpdate(ctx, password.data(), password.size()) == 1 &&
        EVP_DigestFinal_ex(ctx, out, &n) == 1 && n == 16;
    EVP_MD_CTX_free(ctx);
    return ok;
}

} // namespace sipnat::stun
