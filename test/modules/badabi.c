/*
 * badabi: a module built for another ABI version (999). The host must reject it after
 * reading abi_version alone: the struct here is deliberately only that one field, so a
 * host that read further would read past the symbol (ASan reports it).
 */
#include <sipnat/module.h>

struct old_exports {
    uint32_t abi_version;
};

SIPNAT_MODULE_EXPORT const struct old_exports sipnat_module = {999u};
