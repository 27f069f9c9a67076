/* unresolved: a sipnat module that needs a symbol nothing defines, so dlopen(RTLD_NOW) fails. */
#include <sipnat/module.h>

#include <stddef.h>

extern int sipnat_test_no_such_symbol(void);

static int init(const sipnat_host *h, char *err, size_t errlen) {
    (void)h;
    (void)err;
    (void)errlen;
    return sipnat_test_no_such_symbol();
}

SIPNAT_MODULE_EXPORT const sipnat_module_exports sipnat_module = {
    SIPNAT_ABI_VERSION, "unresolved", NULL, NULL, init, NULL, NULL,
};
