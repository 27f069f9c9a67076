// The message-access part of the sipnat_host table.
#pragma once

#include <sipnat/module.h>

namespace sipnat {

// Fills the msg_*, avp_* and flag_* entries of `t`.
void install_msg_api(sipnat_host *t);

} // namespace sipnat
