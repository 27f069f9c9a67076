// The script engine's view of a message, implemented over the host's message context.
#pragma once

#include "msg_context.h"
#include "script/msg_env.h"

namespace sipnat {

class HostMsgEnv final : public script::MsgEnv {
public:
    explicit HostMsgEnv(sipnat_msg *m) : m_(m) {}
    // Reads a pseudo-variable from the current message state (R-URI edits included).
    bool pv_get(script::Pv pv, std::string_view arg, std::string &out) override;
    // Adds an AVP value that becomes the first.
    bool avp_set(std::string_view name, std::string_view value) override;
    // The message handed to function handlers.
    sipnat_msg *msg() override { return m_; }

private:
    sipnat_msg *m_;
};

} // namespace sipnat
