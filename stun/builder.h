// Client side: build a Binding request (RFC 3489 or RFC 5389 style, with the RFC 5780 attributes)
// and read a Binding response into a plain struct. Meant for the stunclient tool and tests; not
// on a hot path, but it still writes into a caller-provided buffer.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "address.h"
#include "attributes.h"
#include "integrity.h"
#include "message.h"

namespace sipnat::stun {

struct RequestOptions {
    bool rfc3489 = false;                    // no magic cookie: 128-bit random transaction id
    bool change_request = false;             // add CHANGE-REQUEST even with both flags off
    bool change_ip = false;                  // CHANGE-REQUEST "change IP" (implies the attribute)
    bool change_port = false;                // CHANGE-REQUEST "change port" (implies the attribute)
    std::optional<uint16_t> response_port;   // RESPONSE-PORT (RFC 5780)
    bool response_port_short = false;        // RESPONSE-PORT value of 2 bytes instead of 4
    std::optional<Address> response_address; // RESPONSE-ADDRESS (RFC 3489)
    size_t padding = 0;                      // PADDING of this many bytes; 0: none
    std::string_view software;               // SOFTWARE; empty: none
    bool fingerprint = false;                // FINGERPRINT, last
    const TransactionId *tid = nullptr;      // use this id instead of a random one
};

// A fresh transaction id: the cookie + 96 random bits, or (rfc3489) 128 random bits that do not
// start with the cookie. False when the random source fails.
bool random_transaction_id(bool rfc3489, TransactionId *out);

// Builds a Binding request into out[0..cap); returns its size (0: does not fit, or no randomness)
// and the id used in *tid_out (may be nullptr).
size_t build_binding_request(const RequestOptions &opt, uint8_t *out, size_t cap, TransactionId *tid_out);

inline constexpr size_t kMaxUnknownKept = 16;

// A Binding response as the client sees it. Text fields are copies.
struct BindingResponse {
    bool success = false; // success class (else error class)
    bool rfc5389 = false; // magic cookie present
    TransactionId tid;
    std::optional<Address> mapped; // XOR-MAPPED-ADDRESS (0x0020, else 0x8020), else MAPPED-ADDRESS
    bool mapped_from_xor = false;
    std::optional<Address> plain_mapped; // MAPPED-ADDRESS itself (NAT ALGs rewrite it; compare)
    std::optional<Address> other;        // OTHER-ADDRESS, else CHANGED-ADDRESS
    std::optional<Address> origin;       // RESPONSE-ORIGIN, else SOURCE-ADDRESS
    std::optional<Address> reflected_from;
    int error_code = 0; // ERROR-CODE (error class only)
    std::string reason;
    uint16_t unknown[kMaxUnknownKept] = {}; // UNKNOWN-ATTRIBUTES (first kMaxUnknownKept)
    size_t n_unknown = 0;
    std::string software;
    bool has_padding = false;
    size_t padding = 0;                // PADDING value length
    Check fingerprint = Check::Absent; // FINGERPRINT verification
    uint16_t unknown_required = 0;     // first comprehension-required type we do not know; 0: none
};

enum class ResponseStatus : uint8_t {
    Ok,
    NotStun,          // header not STUN
    Malformed,        // attribute framing broken, or an address/ERROR-CODE value with a bad shape
    NotResponse,      // not a Binding success/error response
    WrongTransaction, // expect given and the id differs
    BadFingerprint,   // FINGERPRINT present and wrong (or not last)
};

// Reads a Binding response. expect: the request's id (nullptr: any). Fills *out on Ok.
ResponseStatus parse_binding_response(const uint8_t *data, size_t len, const TransactionId *expect,
                                      BindingResponse *out);

} // namespace sipnat::stun
