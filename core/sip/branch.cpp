#include "branch.h"

#include <openssl/evp.h>

#include <cstring>
#include <mutex>

#include "strutil.h"

namespace sipnat::sip {

namespace {

constexpr std::string_view kCookie = "z9hG4bK";

const EVP_MD *sha1() {
    static const EVP_MD *md = nullptr;
    static std::once_flag once;
    std::call_once(once, [] { md = EVP_MD_fetch(nullptr, "SHA1", nullptr); });
    return md;
}

struct Ctx {
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    ~Ctx() { EVP_MD_CTX_free(ctx); }
};

// Fallback when libcrypto has no SHA-1 (e.g. a restricted provider): FNV-1a, two seeds.
void fnv128(std::string_view s, unsigned char out[16]) {
    uint64_t h1 = 0xcbf29ce484222325ull, h2 = 0x84222325cbf29ce4ull;
    for (char c : s) {
        h1 = (h1 ^ static_cast<unsigned char>(c)) * 0x100000001b3ull;
        h2 = (h2 ^ static_cast<unsigned char>(c)) * 0x100000001b3ull;
    }
    std::memcpy(out, &h1, 8);
    std::memcpy(out + 8, &h2, 8);
}

void put(std::string &s, std::string_view field) {
    // Length prefix keeps field boundaries unambiguous ("ab"+"c" differs from "a"+"bc").
    uint32_t n = static_cast<uint32_t>(field.size());
    char len[4] = {static_cast<char>(n >> 24), static_cast<char>(n >> 16), static_cast<char>(n >> 8),
                   static_cast<char>(n)};
    s.append(len, 4);
    s.append(field);
}

// Hashes the request identity (see branch.h) under a one-letter domain; writes 2*n hex digits.
void identity_hash(const Message &m, char domain, size_t n, std::string *out) {
    thread_local std::string in;
    in.clear();
    in.push_back(domain);
    ViaRef top;
    if (m.via(0, &top)) {
        put(in, top.via.branch);
        put(in, top.via.host);
        put(in, top.via.port);
        if (!istarts_with(top.via.branch, kCookie))
            put(in, m.raw().substr(top.via.begin, top.via.end - top.via.begin));
    } else {
        put(in, {});
    }
    put(in, m.original_ruri());
    put(in, m.call_id());
    put(in, m.from_tag());
    put(in, m.cseq_num_text());

    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int md_len = 0;
    thread_local Ctx c;
    const EVP_MD *alg = sha1();
    if (alg == nullptr || c.ctx == nullptr || EVP_DigestInit_ex(c.ctx, alg, nullptr) != 1 ||
        EVP_DigestUpdate(c.ctx, in.data(), in.size()) != 1 || EVP_DigestFinal_ex(c.ctx, md, &md_len) != 1 ||
        md_len < 16) {
        fnv128(in, md);
        md_len = 16;
    }
    static constexpr char kHex[] = "0123456789abcdef";
    for (size_t i = 0; i < n && i < md_len; ++i) {
        out->push_back(kHex[md[i] >> 4]);
        out->push_back(kHex[md[i] & 15]);
    }
}

}  // namespace

std::string stateless_branch(const Message &m) {
    std::string b;
    b.reserve(kCookie.size() + 32);
    b.append(kCookie);
    identity_hash(m, 'B', 16, &b);
    return b;
}

std::string stateless_to_tag(const Message &m) {
    std::string t;
    t.reserve(16);
    identity_hash(m, 'T', 8, &t);
    return t;
}

}  // namespace sipnat::sip
