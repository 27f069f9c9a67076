#include "log.h"

#include <algorithm>
#include <atomic>
#include <cstdarg>
#include <cstdio>
#include <ctime>
#include <sys/time.h>
#include <unistd.h>

namespace sipnat {

namespace {
std::atomic<int> g_level{SIPNAT_L_NOTICE};

const char *level_name(int level) {
    switch (level) {
    case SIPNAT_L_ERR: return "ERROR";
    case SIPNAT_L_WARN: return "WARNING";
    case SIPNAT_L_NOTICE: return "NOTICE";
    case SIPNAT_L_INFO: return "INFO";
    default: return "DEBUG";
    }
}
} // namespace

void log_set_level(int level) { g_level.store(level, std::memory_order_relaxed); }

int log_get_level() { return g_level.load(std::memory_order_relaxed); }

void vlogf(int level, const char *module, const char *fmt, va_list ap) {
    if (level > log_get_level()) return;
    char line[2048];
    timeval tv;
    gettimeofday(&tv, nullptr);
    tm tmv;
    gmtime_r(&tv.tv_sec, &tmv);
    int n = snprintf(line, sizeof line, "%02d:%02d:%02d.%03ld %s [%s] ", tmv.tm_hour, tmv.tm_min, tmv.tm_sec,
                     static_cast<long>(tv.tv_usec / 1000), level_name(level), module ? module : "core");
    if (n < 0) return;
    size_t used = static_cast<size_t>(n);
    int m = vsnprintf(line + used, sizeof line - used - 1, fmt, ap);
    if (m > 0) used += std::min(static_cast<size_t>(m), sizeof line - used - 2);
    // One line per record: embedded newlines would let input forge log lines.
    for (size_t i = static_cast<size_t>(n); i < used; i++)
        if (line[i] == '\n' || line[i] == '\r') line[i] = ' ';
    line[used++] = '\n';
    ssize_t w = write(STDERR_FILENO, line, used);
    (void)w;
}

void logf(int level, const char *module, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vlogf(level, module, fmt, ap);
    va_end(ap);
}

} // namespace sipnat
