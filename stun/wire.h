// Network-byte-order loads and stores over raw bytes (internal to stun/). memcpy-free and
// alignment-free: STUN attributes sit at any 4-byte offset of whatever buffer the caller has.
#pragma once

#include <cstdint>

namespace sipnat::stun::wire {

// Big-endian 16-bit value at p (p[0..1] readable).
inline uint16_t get16(const uint8_t *p) {
    return static_cast<uint16_t>((p[0] << 8) | p[1]);
}

// Big-endian 32-bit value at p (p[0..3] readable).
inline uint32_t get32(const uint8_t *p) {
    return (static_cast<uint32_t>(p[0]) << 24) | (static_cast<uint32_t>(p[1]) << 16) |
           (static_cast<uint32_t>(p[2]) << 8) | p[3];
}

// Big-endian 64-bit value at p (p[0..7] readable).
inline uint64_t get64(const uint8_t *p) {
    return (static_cast<uint64_t>(get32(p)) << 32) | get32(p + 4);
}

// Stores v big-endian at p (p[0..1] writable).
inline void put16(uint8_t *p, uint16_t v) {
    p[0] = static_cast<uint8_t>(v >> 8);
    p[1] = static_cast<uint8_t>(v);
}

// Stores v big-endian at p (p[0..3] writable).
inline void put32(uint8_t *p, uint32_t v) {
    p[0] = static_cast<uint8_t>(v >> 24);
    p[1] = static_cast<uint8_t>(v >> 16);
    p[2] = static_cast<uint8_t>(v >> 8);
    p[3] = static_cast<uint8_t>(v);
}

// Stores v big-endian at p (p[0..7] writable).
inline void put64(uint8_t *p, uint64_t v) {
    put32(p, static_cast<uint32_t>(v >> 32));
    put32(p + 4, static_cast<uint32_t>(v));
}

} // namespace sipnat::stun::wire
