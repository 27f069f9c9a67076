/*
 * badexports: sipnat modules whose export tables the loader must refuse. Built several
 * times, one defect per build (the default build, badexports.so, has a function taking
 * up to 9 arguments, more than SIPNAT_MAX_FUNC_ARGS):
 *   BAD_PARAM_TYPE  a param of type 7
 *   BAD_NO_SETTER   a param without a setter
 *   BAD_NO_HANDLER  a function without a handler
 *   BAD_MIN_MAX     a function with min_args > max_args
 *   BAD_NEG_MIN     a function with min_args < 0
 *   BAD_NO_NAME     no module name
 *   DUP_NAME        a valid module named "testmod" (a duplicate of testmod.so)
 */
#include <sipnat/module.h>

#include <stddef.h>

static int set(const sipnat_host *h, const sipnat_param_value *v, char *err, size_t errlen) {
    (void)h;
    (void)v;
    (void)err;
    (void)errlen;
    return 0;
}

static int fn(const sipnat_host *h, sipnat_msg *m, void *fixed) {
    (void)h;
    (void)m;
    (void)fixed;
    return 1;
}

#if defined(BAD_PARAM_TYPE)
#define PARAM {"p", 7, set}
#elif defined(BAD_NO_SETTER)
#define PARAM {"p", SIPNAT_PARAM_INT, NULL}
#else
#define PARAM {"p", SIPNAT_PARAM_INT, set}
#endif

#if defined(BAD_NO_HANDLER)
#define FUNC {"f", 0, 1, NULL, NULL, NULL, SIPNAT_ROUTE_ANY}
#elif defined(BAD_MIN_MAX)
#define FUNC {"f", 3, 2, NULL, NULL, fn, SIPNAT_ROUTE_ANY}
#elif defined(BAD_NEG_MIN)
#define FUNC {"f", -1, 2, NULL, NULL, fn, SIPNAT_ROUTE_ANY}
#elif defined(BAD_PARAM_TYPE) || defined(BAD_NO_SETTER) || defined(BAD_NO_NAME) || defined(DUP_NAME)
#define FUNC {"f", 0, 1, NULL, NULL, fn, SIPNAT_ROUTE_ANY}
#else
#define FUNC {"f", 0, 9, NULL, NULL, fn, SIPNAT_ROUTE_ANY}
#endif

#if defined(BAD_NO_NAME)
#define NAME ""
#elif defined(DUP_NAME)
#define NAME "testmod"
#else
#define NAME "badexports"
#endif

/* The defect comes first; a valid entry follows it (so every build uses set and fn). */
static const sipnat_param_export params[] = {PARAM, {"ok", SIPNAT_PARAM_STR, set}, {NULL, 0, NULL}};
static const sipnat_func_export functions[] = {
    FUNC, {"ok", 0, 0, NULL, NULL, fn, SIPNAT_ROUTE_ANY}, {NULL, 0, 0, NULL, NULL, NULL, 0}};

SIPNAT_MODULE_EXPORT const sipnat_module_exports sipnat_module = {
    SIPNAT_ABI_VERSION, NAME, params, functions, NULL, NULL, NULL,
};
