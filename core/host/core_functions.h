// The script functions built into the host (forward, sl_send_reply, is_method, ...),
// exported in the same shape as module functions so the compiler treats both alike.
#pragma once

#include <sipnat/module.h>

#include <string>

namespace sipnat {

// The built-in function named `name`, or nullptr.
const sipnat_func_export *find_core_function(const std::string &name);

} // namespace sipnat
