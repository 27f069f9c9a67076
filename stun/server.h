// The STUN server as one pure function: request bytes + where they came from + the server's
// sockets + policy -> response bytes, the socket to send them from, and where to; or drop.
// No sockets, no clock, no allocation: the response is written into a caller-provided buffer.
//
// Served: Binding requests of RFC 3489 (no magic cookie) and RFC 5389/8489, with the RFC 5780
// NAT-behaviour-discovery attributes. Everything else (indications, responses, other methods,
// non-STUN) is dropped.
//
// Response shapes (attribute order as listed):
//   RFC 3489 request: MAPPED-ADDRESS, SOURCE-ADDRESS, CHANGED-ADDRESS, XOR-MAPPED-ADDRESS as type
//     0x8020 (the pre-RFC draft code: comprehension-optional, so a strict 3489 client, which must
//     discard a response carrying an unknown type < 0x8000 (RFC 3489 §9.3), still accepts it;
//     OpenSIPS likewise adds XOR-MAPPED-ADDRESS to 3489 answers), [REFLECTED-FROM], [PADDING],
//     [FINGERPRINT]. No SOFTWARE: 3489 has no such attribute, and the answer stays small.
//   RFC 5389 request: XOR-MAPPED-ADDRESS (0x0020), MAPPED-ADDRESS, RESPONSE-ORIGIN, OTHER-ADDRESS,
//     [REFLECTED-FROM], [PADDING], [SOFTWARE], [FINGERPRINT].
//   CHANGED-ADDRESS / OTHER-ADDRESS name the socket with the other IP and the other port; they are
//   left out when that socket does not exist. FINGERPRINT is added when the request had a valid one.
//   MAPPED/XOR-MAPPED carry the request's source; every attribute that tells the client where the
//   server is (SOURCE-ADDRESS, CHANGED-ADDRESS, RESPONSE-ORIGIN, OTHER-ADDRESS) carries the
//   socket's advertised address.
//
// Request processing, in one pass over the attributes:
//   - FINGERPRINT present but wrong, or not the last attribute: drop (RFC 5389 §7.3).
//   - Attributes after MESSAGE-INTEGRITY, except FINGERPRINT, are ignored (RFC 5389 §15.4).
//   - Only the first occurrence of a type counts (RFC 5389 §15).
//   - USERNAME / MESSAGE-INTEGRITY: recognised and ignored. The server has no credentials (like
//     OpenSIPS, short-term auth is not supported); a Binding answer reveals nothing secret, so it is
//     answered unauthenticated and without MESSAGE-INTEGRITY. A client that insists on integrity
//     (an ICE agent) will discard it, which is right: it is talking to the wrong kind of server.
//   - Unknown comprehension-required types (< 0x8000 and not in attributes.h): 420 listing them.
//   - Attributes that do not tile the message, or a value we use with a bad shape: 400.
//   - CHANGE-REQUEST picks the sending socket (index XOR 2 for change IP, XOR 1 for change port);
//     when that socket does not exist: 420 with UNKNOWN-ATTRIBUTES 0x0003 (RFC 5780 §6.1).
//   - RESPONSE-PORT (2- or 4-byte value): answer to the source IP at that port. Together with
//     PADDING: 400 (RFC 5780 §7.5 forbids processing both).
//   - RESPONSE-ADDRESS: see ResponseAddressPolicy. Honoured: sent there, with REFLECTED-FROM.
//   - PADDING: the answer carries PADDING of the request's PADDING length, capped by
//     policy.max_padding and by the output buffer. RFC 5780 §7.6 suggests MTU-sized padding; we
//     mirror the request instead so a small request can never buy a large answer.
//   Error responses always go to the request's source from the arrival socket (never redirected).
//
// Amplification: every response, on every path, is at most kMaxResponseGrowth bytes larger than
// its request (checked before returning; the unit tests measure it on each path).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "address.h"
#include "message.h"

namespace sipnat::stun {

// SOFTWARE values longer than this are cut (at a UTF-8 boundary).
inline constexpr size_t kMaxSoftware = 128;
// UNKNOWN-ATTRIBUTES lists at most this many types.
inline constexpr size_t kMaxUnknownListed = 16;
inline constexpr size_t kDefaultMaxPadding = 1024;
// Output buffer size that always suffices (a smaller one only shrinks PADDING, or drops).
inline constexpr size_t kServerBufferSize = 1500;
// Largest possible (response size - request size): four IPv6 address attributes plus SOFTWARE.
// REFLECTED-FROM, PADDING and FINGERPRINT are each paid for by a request attribute at least as
// large (RESPONSE-ADDRESS of the source's family, PADDING, FINGERPRINT); error answers (ERROR-CODE,
// at most kMaxUnknownListed UNKNOWN-ATTRIBUTES, SOFTWARE) stay below this.
inline constexpr size_t kMaxResponseGrowth = 4 * (kAttrHeaderSize + 20) + kAttrHeaderSize + kMaxSoftware;

// What to do with RESPONSE-ADDRESS (RFC 3489 §11.2.2). It asks the server to send its answer to a
// third address: a reflection vector, since the request's source is unauthenticated UDP.
enum class ResponseAddressPolicy : uint8_t {
    // Ignored: the answer goes to the source, as from an RFC 5389 server.
    Off,
    // Default. Honoured only when its IP equals the source IP (a port change on the requester's own
    // host, no more than RESPONSE-PORT allows); otherwise 400 to the source, so the client learns
    // it was refused instead of waiting at the other address.
    SameIp,
    // Honoured for any unicast address of the source's family. Unspecified, multicast, broadcast
    // and (unless the source is loopback itself) loopback targets still get 400. For closed labs.
    Any,
};

// Socket index layout (as the OpenSIPS stun module): bit 0 = alternate port, bit 1 = alternate IP.
// 0 = IP1:port1, 1 = IP1:port2, 2 = IP2:port1, 3 = IP2:port2.
inline constexpr int kSocketCount = 4;
inline constexpr int kAltPortBit = 1;
inline constexpr int kAltIpBit = 2;

struct ServerSocket {
    bool present = false;
    Address real;       // what it is bound to
    Address advertised; // what clients are told (server behind NAT); None: same as real
};

struct SocketSet {
    std::array<ServerSocket, kSocketCount> sockets{};
};

struct ServerPolicy {
    ResponseAddressPolicy response_address = ResponseAddressPolicy::SameIp;
    std::string_view software; // SOFTWARE for RFC 5389 answers; empty: none (must outlive calls)
    size_t max_padding = kDefaultMaxPadding;
};

struct Arrival {
    int socket = 0; // index into SocketSet of the socket that received the request
    Address local;  // local address it arrived at (e.g. IP_PKTINFO); None: that socket's real
    Address source; // the request's source
};

enum class Action : uint8_t { Drop, Respond };

enum class DropReason : uint8_t {
    None,              // not dropped
    NotStun,           // header is not STUN
    NotBindingRequest, // indication, response, or another method
    BadFingerprint,    // FINGERPRINT wrong or not last
    BadArrival,        // arrival.socket out of range or not present
    NoRoom,            // output buffer too small, or the growth bound would be broken
};

struct ServerReply {
    Action action = Action::Drop;
    DropReason drop = DropReason::None;
    int error_code = 0;  // 0: success response; else the ERROR-CODE sent (400, 420)
    size_t size = 0;     // response bytes in out[0..size)
    int socket = -1;     // index of the socket that must send it
    Address destination; // where to send it
};

// Handles one datagram as described above; writes any response into out[0..cap).
ServerReply serve(const uint8_t *req, size_t len, const Arrival &arrival, const SocketSet &sockets,
                  const ServerPolicy &policy, uint8_t *out, size_t cap);

} // namespace sipnat::stun
