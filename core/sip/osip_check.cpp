#include "osip_check.h"

#include <osipparser2/osip_parser.h>
#include <osipparser2/osip_port.h>

#include <mutex>

namespace sipnat::sip {

namespace {

void silent_trace(const char *, int, osip_trace_level_t, const char *, va_list) {}

}  // namespace

void osip_init_once() {
    static std::once_flag once;
    std::call_once(once, [] {
        parser_init();
        osip_trace_initialize_func(TRACE_LEVEL0, silent_trace);
    });
}

bool osip_accepts(std::string_view head) {
    osip_init_once();
    osip_message_t *m = nullptr;
    if (osip_message_init(&m) != 0 || m == nullptr) return false;
    const bool ok = osip_message_parse(m, head.data(), head.size()) == 0;
    osip_message_free(m);
    return ok;
}

}  // namespace sipnat::sip
