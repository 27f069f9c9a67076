/* nosym: a well-formed shared object that is not a sipnat module (no `sipnat_module`). */
#include <sipnat/module.h>

/* A near miss, so the host must look the exact name up. */
SIPNAT_MODULE_EXPORT const int sipnat_modules = 1;

SIPNAT_MODULE_EXPORT int nosym_answer(void);
int nosym_answer(void) { return 42; }
