#include "server.h"

#include "attributes.h"
#include "integrity.h"
#include "wire.h"

namespace sipnat::stun {

namespace {

// What one pass over the request's attributes found. Only the first of each type counts.
struct Scan {
    bool framing_bad = false;    // attributes do not tile the message
    std::string_view bad_reason; // non-empty: a value we use is malformed (400)
    uint16_t unknown[kMaxUnknownListed] = {};
    size_t n_unknown = 0;
    bool has_change = false;
    ChangeRequest change;
    bool has_response_address = false;
    Address response_address;
    bool has_response_port = false;
    uint16_t response_port = 0;
    bool has_padding = false;
    size_t padding = 0;
    bool has_fingerprint = false;
};

void note_unknown(Scan *s, uint16_t type) {
    for (size_t i = 0; i < s->n_unknown; ++i) {
        if (s->unknown[i] == type) return;
    }
    if (s->n_unknown < kMaxUnknownListed) s->unknown[s->n_unknown++] = type;
}

void note_bad(Scan *s, std::string_view reason) {
    if (s->bad_reason.empty()) s->bad_reason = reason;
}

// The single pass. False: drop (FINGERPRINT wrong or not last).
bool scan(const uint8_t *req, size_t len, Scan *s) {
    AttrReader rd(req, len);
    Attr a;
    bool after_integrity = false;
    size_t fingerprint_end = 0;
    while (rd.next(&a)) {
        if (s->has_fingerprint) break; // something follows FINGERPRINT: checked below
        if (a.type == kAttrFingerprint) {
            if (a.length != kFingerprintSize || fingerprint_of(req, a.offset) != wire::get32(a.value))
                return false;
            s->has_fingerprint = true;
            fingerprint_end = a.offset + kAttrHeaderSize + kFingerprintSize;
            continue;
        }
        if (after_integrity) continue; // RFC 5389 §15.4
        switch (a.type) {
        case kAttrChangeRequest:
            if (s->has_change) break;
            if (decode_change_request(a, &s->change)) {
                s->has_change = true;
            } else {
                note_bad(s, "Bad CHANGE-REQUEST");
            }
            break;
        case kAttrResponseAddress:
            if (s->has_response_address) break;
            if (decode_address(a, &s->response_address)) {
                s->has_response_address = true;
            } else {
                note_bad(s, "Bad RESPONSE-ADDRESS");
            }
            break;
        case kAttrResponsePort:
            if (s->has_response_port) break;
            if (decode_response_port(a, &s->response_port)) {
                s->has_response_port = true;
            } else {
                note_bad(s, "Bad RESPONSE-PORT");
            }
            break;
        case kAttrPadding:
            if (s->has_padding) break;
            s->has_padding = true;
            s->padding = a.length;
            break;
        case kAttrMessageIntegrity:
            // No credentials here: its presence changes nothing but the attributes that count.
            if (a.length != kMessageIntegritySize) note_bad(s, "Bad MESSAGE-INTEGRITY");
            after_integrity = true;
            break;
        default:
            if (comprehension_required(a.type) && !attr_known(a.type)) note_unknown(s, a.type);
            break;
        }
    }
    if (s->has_fingerprint && fingerprint_end != len) return false;
    s->framing_bad = rd.malformed();
    return true;
}

bool is_loopback(const Address &a) {
    static constexpr uint8_t kV6Loop[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
    if (a.family == Family::V4) return a.ip[0] == 127;
    if (a.family != Family::V6) return false;
    bool loop = true, mapped = true;
    for (size_t i = 0; i < 16; ++i) {
        if (a.ip[i] != kV6Loop[i]) loop = false;
        if (i < 10 ? a.ip[i] != 0 : i < 12 ? a.ip[i] != 0xFF : false) mapped = false;
    }
    return loop || (mapped && a.ip[12] == 127);
}

// RESPONSE-ADDRESS under the Any policy: a unicast target we are willing to send to.
bool reflectable(const Address &target, const Address &source) {
    if (target.port == 0 || target.family != source.family) return false;
    if (is_loopback(target) && !is_loopback(source)) return false;
    const uint8_t *v4 = nullptr;
    if (target.family == Family::V4) {
        v4 = target.ip.data();
    } else {
        bool zero10 = true;
        for (size_t i = 0; i < 10; ++i) zero10 = zero10 && target.ip[i] == 0;
        if (zero10 && target.ip[10] == 0xFF && target.ip[11] == 0xFF) {
            v4 = target.ip.data() + 12; // v4-mapped: judge the IPv4 address
        } else {
            if (target.ip[0] == 0xFF) return false; // multicast
            bool all_zero = true;
            for (uint8_t b : target.ip) all_zero = all_zero && b == 0;
            return !all_zero;
        }
    }
    // 0/8 "this network", 224/4 multicast, 240/4 reserved incl. 255.255.255.255 broadcast.
    return v4[0] != 0 && v4[0] < 224;
}

// SOFTWARE capped at kMaxSoftware bytes without splitting a UTF-8 sequence.
std::string_view clip_software(std::string_view s) {
    if (s.size() <= kMaxSoftware) return s;
    size_t n = kMaxSoftware;
    while (n > 0 && (static_cast<uint8_t>(s[n]) & 0xC0) == 0x80) --n;
    return s.substr(0, n);
}

// The address a socket is known by to clients.
Address shown(int idx, const Arrival &arr, const SocketSet &ss) {
    const ServerSocket &s = ss.sockets[static_cast<size_t>(idx)];
    if (s.advertised.valid()) return s.advertised;
    if (idx == arr.socket && arr.local.valid()) return arr.local;
    return s.real;
}

// A socket other than the arrival one can send to the source only when it exists in that family.
bool usable(int idx, const Arrival &arr, const SocketSet &ss) {
    if (idx == arr.socket) return true;
    const ServerSocket &s = ss.sockets[static_cast<size_t>(idx)];
    return s.present && s.real.family == arr.source.family;
}

ServerReply drop(DropReason why) {
    ServerReply r;
    r.drop = why;
    return r;
}

// Applies the growth bound and fills the reply; drops when the writer overflowed.
ServerReply finish(const Writer &w, size_t req_len, int code, int socket, const Address &dest) {
    if (!w.ok() || w.size() > req_len + kMaxResponseGrowth) return drop(DropReason::NoRoom);
    ServerReply r;
    r.action = Action::Respond;
    r.error_code = code;
    r.size = w.size();
    r.socket = socket;
    r.destination = dest;
    return r;
}

ServerReply error_reply(const Header &h, size_t req_len, const Scan &s, int code, std::string_view reason,
                        const Arrival &arr, const ServerPolicy &pol, uint8_t *out, size_t cap) {
    Writer w(out, cap);
    w.begin(kBindingError, h.tid);
    add_error_code(w, code, reason);
    if (code == 420 && s.n_unknown > 0) add_unknown_attributes(w, s.unknown, s.n_unknown, !h.rfc5389());
    if (h.rfc5389() && !pol.software.empty()) add_string(w, kAttrSoftware, clip_software(pol.software));
    if (s.has_fingerprint) add_fingerprint(w);
    return finish(w, req_len, code, arr.socket, arr.source);
}

} // namespace

ServerReply serve(const uint8_t *req, size_t len, const Arrival &arr, const SocketSet &ss,
                  const ServerPolicy &pol, uint8_t *out, size_t cap) {
    if (arr.socket < 0 || arr.socket >= kSocketCount ||
        !ss.sockets[static_cast<size_t>(arr.socket)].present) {
        return drop(DropReason::BadArrival);
    }
    Header h;
    if (!parse_header(req, len, &h)) return drop(DropReason::NotStun);
    if (h.type != kBindingRequest) return drop(DropReason::NotBindingRequest);
    const bool modern = h.rfc5389();

    Scan s;
    if (!scan(req, len, &s)) return drop(DropReason::BadFingerprint);
    if (s.framing_bad) return error_reply(h, len, s, 400, "Bad Request", arr, pol, out, cap);

    // The sending socket: CHANGE-REQUEST flips the index bits (see the layout in server.h).
    int send = arr.socket;
    if (s.has_change) send ^= (s.change.ip ? kAltIpBit : 0) | (s.change.port ? kAltPortBit : 0);
    if (!usable(send, arr, ss)) note_unknown(&s, kAttrChangeRequest); // RFC 5780 §6.1
    if (s.n_unknown > 0) return error_reply(h, len, s, 420, default_reason(420), arr, pol, out, cap);
    if (!s.bad_reason.empty()) return error_reply(h, len, s, 400, s.bad_reason, arr, pol, out, cap);
    if (s.has_response_port && s.has_padding) {
        return error_reply(h, len, s, 400, "RESPONSE-PORT with PADDING", arr, pol, out, cap);
    }

    // Destination.
    Address dest = arr.source;
    bool reflected = false;
    if (s.has_response_address && pol.response_address != ResponseAddressPolicy::Off) {
        const bool allowed = pol.response_address == ResponseAddressPolicy::SameIp
                                 ? s.response_address.same_ip(arr.source) && s.response_address.port != 0
                                 : reflectable(s.response_address, arr.source);
        if (!allowed) return error_reply(h, len, s, 400, "RESPONSE-ADDRESS not allowed", arr, pol, out, cap);
        dest = s.response_address;
        reflected = true;
    } else if (s.has_response_port) {
        if (s.response_port == 0) return error_reply(h, len, s, 400, "Bad RESPONSE-PORT", arr, pol, out, cap);
        dest.port = s.response_port;
    }

    const int other = arr.socket ^ (kAltIpBit | kAltPortBit);
    const bool has_other = usable(other, arr, ss);
    Writer w(out, cap);
    w.begin(kBindingSuccess, h.tid);
    if (modern) {
        add_xor_address(w, kAttrXorMappedAddress, arr.source);
        add_address(w, kAttrMappedAddress, arr.source);
        add_address(w, kAttrResponseOrigin, shown(send, arr, ss));
        if (has_other) add_address(w, kAttrOtherAddress, shown(other, arr, ss));
    } else {
        add_address(w, kAttrMappedAddress, arr.source);
        add_address(w, kAttrSourceAddress, shown(send, arr, ss));
        if (has_other) add_address(w, kAttrChangedAddress, shown(other, arr, ss));
        add_xor_address(w, kAttrXorMappedAddressOld, arr.source);
    }
    if (reflected) add_address(w, kAttrReflectedFrom, arr.source);
    if (modern && !pol.software.empty()) add_string(w, kAttrSoftware, clip_software(pol.software));
    if (s.has_padding) {
        // Mirror the request's PADDING, within the policy cap and what the buffer still holds.
        size_t pad = s.padding < pol.max_padding ? s.padding : pol.max_padding;
        const size_t reserve = kAttrHeaderSize + (s.has_fingerprint ? kAttrHeaderSize + kFingerprintSize : 0);
        const size_t room = w.room() > reserve ? (w.room() - reserve) & ~static_cast<size_t>(3) : 0;
        if (pad > room) pad = room;
        add_padding(w, pad);
    }
    if (s.has_fingerprint) add_fingerprint(w);
    return finish(w, len, 0, send, dest);
}

} // namespace sipnat::stun
