#include "builder.h"

#include <openssl/rand.h>

#include "wire.h"

namespace sipnat::stun {

bool random_transaction_id(bool rfc3489, TransactionId *out) {
    TransactionId t;
    if (rfc3489) {
        // A 3489 id that happened to start with the cookie would read as RFC 5389.
        do {
            if (RAND_bytes(t.bytes.data(), static_cast<int>(t.bytes.size())) != 1) return false;
        } while (t.has_cookie());
    } else {
        wire::put32(t.bytes.data(), kMagicCookie);
        if (RAND_bytes(t.bytes.data() + 4, static_cast<int>(t.bytes.size() - 4)) != 1) return false;
    }
    *out = t;
    return true;
}

size_t build_binding_request(const RequestOptions &opt, uint8_t *out, size_t cap, TransactionId *tid_out) {
    TransactionId tid;
    if (opt.tid != nullptr) {
        tid = *opt.tid;
    } else if (!random_transaction_id(opt.rfc3489, &tid)) {
        return 0;
    }
    Writer w(out, cap);
    w.begin(kBindingRequest, tid);
    if (opt.change_request || opt.change_ip || opt.change_port) {
        add_change_request(w, ChangeRequest{opt.change_ip, opt.change_port});
    }
    if (opt.response_address) add_address(w, kAttrResponseAddress, *opt.response_address);
    if (opt.response_port) add_response_port(w, *opt.response_port, !opt.response_port_short);
    if (!opt.software.empty()) add_string(w, kAttrSoftware, opt.software);
    if (opt.padding > 0) add_padding(w, opt.padding);
    if (opt.fingerprint) add_fingerprint(w);
    if (tid_out != nullptr) *tid_out = tid;
    return w.size();
}

ResponseStatus parse_binding_response(const uint8_t *data, size_t len, const TransactionId *expect,
                                      BindingResponse *out) {
    Message m;
    switch (parse_message(data, len, &m)) {
    case ParseStatus::NotStun:
        return ResponseStatus::NotStun;
    case ParseStatus::Malformed:
        return ResponseStatus::Malformed;
    case ParseStatus::Ok:
        break;
    }
    if (m.header.type != kBindingSuccess && m.header.type != kBindingError)
        return ResponseStatus::NotResponse;
    if (expect != nullptr && !(m.header.tid == *expect)) return ResponseStatus::WrongTransaction;

    BindingResponse r;
    r.success = m.header.type == kBindingSuccess;
    r.rfc5389 = m.header.rfc5389();
    r.tid = m.header.tid;
    r.fingerprint = verify_fingerprint(m);
    if (r.fingerprint == Check::Invalid) return ResponseStatus::BadFingerprint;

    std::optional<Address> xor_new, xor_old;
    std::optional<Address> other_addr, changed, resp_origin, source;
    AttrReader rd = m.attributes();
    Attr a;
    // Reads the first occurrence of an address attribute; false when its value is malformed.
    auto take = [&](std::optional<Address> &slot, bool xored) {
        if (slot) return true;
        Address addr;
        const bool ok = xored ? decode_xor_address(a, m.header.tid, &addr) : decode_address(a, &addr);
        if (ok) slot = addr;
        return ok;
    };
    bool have_error = false, have_unknown = false;
    while (rd.next(&a)) {
        bool ok = true;
        switch (a.type) {
        case kAttrXorMappedAddress:
            ok = take(xor_new, true);
            break;
        case kAttrXorMappedAddressOld:
            ok = take(xor_old, true);
            break;
        case kAttrMappedAddress:
            ok = take(r.plain_mapped, false);
            break;
        case kAttrOtherAddress:
            ok = take(other_addr, false);
            break;
        case kAttrChangedAddress:
            ok = take(changed, false);
            break;
        case kAttrResponseOrigin:
            ok = take(resp_origin, false);
            break;
        case kAttrSourceAddress:
            ok = take(source, false);
            break;
        case kAttrReflectedFrom:
            ok = take(r.reflected_from, false);
            break;
        case kAttrErrorCode:
            if (!have_error) {
                ErrorCode ec;
                ok = decode_error_code(a, &ec);
                if (ok) {
                    r.error_code = ec.code;
                    r.reason.assign(ec.reason);
                    have_error = true;
                }
            }
            break;
        case kAttrUnknownAttributes:
            if (!have_unknown) {
                ok = decode_unknown_attributes(a, r.unknown, kMaxUnknownKept, &r.n_unknown);
                have_unknown = ok;
            }
            break;
        case kAttrSoftware:
            if (r.software.empty()) r.software.assign(decode_string(a));
            break;
        case kAttrPadding:
            if (!r.has_padding) {
                r.has_padding = true;
                r.padding = a.length;
            }
            break;
        default:
            if (comprehension_required(a.type) && !attr_known(a.type) && r.unknown_required == 0) {
                r.unknown_required = a.type;
            }
            break;
        }
        if (!ok) return ResponseStatus::Malformed;
    }
    if (xor_new) {
        r.mapped = xor_new;
        r.mapped_from_xor = true;
    } else if (xor_old) {
        r.mapped = xor_old;
        r.mapped_from_xor = true;
    } else {
        r.mapped = r.plain_mapped;
    }
    r.other = other_addr ? other_addr : changed;
    r.origin = resp_origin ? resp_origin : source;
    *out = std::move(r);
    return ResponseStatus::Ok;
}

} // namespace sipnat::stun
