// What the interpreter needs from the message being processed. The host
// implements it over its own message type; tests use a fake.
#pragma once

#include <string>
#include <string_view>

#include <sipnat/module.h>

#include "pvar.h"

namespace sipnat::script {

class MsgEnv {
public:
    virtual ~MsgEnv() = default;
    // Value of a pseudo-variable ($var is handled by the interpreter, never asked here). False = null (unset,
    // or not applicable, e.g. $rs on a request); `arg` is the name inside the parentheses for Hdr/Avp.
    virtual bool pv_get(Pv pv, std::string_view arg, std::string &out) = 0;
    // $avp(name) = value (adds a value that becomes the first). False on failure.
    virtual bool avp_set(std::string_view name, std::string_view value) = 0;
    // The opaque message handed to function handlers.
    virtual sipnat_msg *msg() = 0;
};

} // namespace sipnat::script
