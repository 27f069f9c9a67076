// Host logging: one line per call on stderr, "LEVEL [module] text".
#pragma once

#include <cstdarg>

#include <sipnat/module.h>

namespace sipnat {

// Sets the level below which lines are dropped (SIPNAT_L_ERR..SIPNAT_L_DBG).
void log_set_level(int level);
// Returns the current level.
int log_get_level();
// Writes one line tagged with `module` when `level` <= the current level. Thread-safe:
// each line is one write(2), so lines from workers never interleave.
void logf(int level, const char *module, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
// As logf, with a va_list.
void vlogf(int level, const char *module, const char *fmt, va_list ap);

} // namespace sipnat

#define LOG_ERR(mod, ...) ::sipnat::logf(SIPNAT_L_ERR, mod, __VA_ARGS__)
#define LOG_WARN(mod, ...) ::sipnat::logf(SIPNAT_L_WARN, mod, __VA_ARGS__)
#define LOG_NOTICE(mod, ...) ::sipnat::logf(SIPNAT_L_NOTICE, mod, __VA_ARGS__)
#define LOG_INFO(mod, ...) ::sipnat::logf(SIPNAT_L_INFO, mod, __VA_ARGS__)
// Debug lines are common on the message path: test the level before formatting.
#define LOG_DBG(mod, ...)                                                                                    \
    do {                                                                                                     \
        if (::sipnat::log_get_level() >= SIPNAT_L_DBG) ::sipnat::logf(SIPNAT_L_DBG, mod, __VA_ARGS__);       \
    } while (0)
