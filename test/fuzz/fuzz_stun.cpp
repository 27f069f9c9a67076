// libFuzzer entry for stun/: the codec (demux test, header, attribute walk, every decoder, MI and
// FINGERPRINT checks, the client response parser) and the server function under each
// RESPONSE-ADDRESS policy, from two arrival sockets. Traps when a promise is broken: a response
// larger than the growth bound, one that does not parse back, a re-encoded message that differs.
// The shared fuzz loop only adds core's include dirs, hence the relative include paths.
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "../../stun/address.h"
#include "../../stun/attributes.h"
#include "../../stun/builder.h"
#include "../../stun/integrity.h"
#include "../../stun/message.h"
#include "../../stun/server.h"

using namespace sipnat::stun;

namespace {

const SocketSet &sockets() {
    static const SocketSet ss = [] {
        SocketSet s;
        const char *real[4] = {"192.0.2.1:3478", "192.0.2.1:3479", "192.0.2.2:3478", "192.0.2.2:3479"};
        for (size_t i = 0; i < 4; ++i) {
            s.sockets[i].present = i != 2; // one alternate missing: the 420 paths run too
            parse_address(real[i], &s.sockets[i].real);
        }
        parse_address("203.0.113.1:3478", &s.sockets[0].advertised);
        return s;
    }();
    return ss;
}

void check(bool ok) {
    if (!ok) __builtin_trap();
}

// Reads every attribute with every decoder, then rebuilds the message and compares.
void codec(const Message &m) {
    (void)verify_fingerprint(m);
    (void)verify_message_integrity(m, "VOkJxbRl1RmTxUk/WvJxBt", 22);
    static uint8_t rebuilt[kMaxMessageSize];
    Writer w(rebuilt, sizeof rebuilt);
    w.begin(m.header.type, m.header.tid);
    AttrReader r = m.attributes();
    Attr a;
    size_t count = 0;
    while (r.next(&a)) {
        Address ad;
        if (decode_address(a, &ad)) check(ad.valid());
        (void)decode_xor_address(a, m.header.tid, &ad);
        ErrorCode ec;
        if (decode_error_code(a, &ec)) check(ec.code >= 300 && ec.code <= 699);
        uint16_t unk[8];
        size_t n = 0;
        if (decode_unknown_attributes(a, unk, 8, &n)) check(n <= 8);
        ChangeRequest c;
        (void)decode_change_request(a, &c);
        uint16_t port = 0;
        (void)decode_response_port(a, &port);
        uint64_t v = 0;
        (void)decode_u64(a, &v);
        (void)decode_string(a);
        (void)attr_name(a.type);
        check(w.add(a.type, a.value, a.length));
        ++count;
    }
    check(!r.malformed());
    check(w.size() == m.size);
    Message back;
    check(parse_message(rebuilt, w.size(), &back) == ParseStatus::Ok);
    AttrReader r1 = m.attributes(), r2 = back.attributes();
    Attr a1, a2;
    for (size_t i = 0; i < count; ++i) {
        check(r1.next(&a1) && r2.next(&a2));
        check(a1.type == a2.type && a1.length == a2.length &&
              std::memcmp(a1.value, a2.value, a1.length) == 0);
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const bool looks = looks_like_stun(data, size);
    Message m;
    const ParseStatus st = parse_message(data, size, &m);
    if (looks) check(st != ParseStatus::NotStun);
    if (st == ParseStatus::Ok) codec(m);
    BindingResponse resp;
    (void)parse_binding_response(data, size, nullptr, &resp);
    Header h;
    const bool header_ok = parse_header(data, size, &h);

    static uint8_t out[kServerBufferSize];
    Arrival arr;
    parse_address("198.51.100.7:40000", &arr.source);
    for (ResponseAddressPolicy p :
         {ResponseAddressPolicy::Off, ResponseAddressPolicy::SameIp, ResponseAddressPolicy::Any}) {
        for (int sock : {0, 3}) {
            ServerPolicy pol;
            pol.response_address = p;
            pol.software = "fuzz";
            arr.socket = sock;
            ServerReply r = serve(data, size, arr, sockets(), pol, out, sizeof out);
            if (r.action != Action::Respond) continue;
            check(header_ok && st != ParseStatus::NotStun);
            check(r.size <= size + kMaxResponseGrowth && r.size <= sizeof out);
            check(r.socket >= 0 && r.socket < kSocketCount && sockets().sockets[r.socket].present);
            check(r.destination.valid());
            Message rm;
            check(parse_message(out, r.size, &rm) == ParseStatus::Ok);
            check(rm.header.tid == h.tid);
            BindingResponse br;
            check(parse_binding_response(out, r.size, nullptr, &br) == ResponseStatus::Ok);
            check(br.success == (r.error_code == 0));
        }
    }
    return 0;
}
