// libFuzzer target for the route-script compiler: any bytes must parse and
// compile, or fail cleanly with a positioned message, and every fixup that ran
// must be freed exactly once. (Running the result is left out on purpose: a
// script may legally call sub-routes exponentially often.)
// Build by hand: clang++ -std=c++20 -g -O1 -fsanitize=fuzzer,address,undefined \
//   -I core -I core/include test/fuzz/fuzz_script.cpp core/config/*.cpp core/script/*.cpp \
//   core/log/log.cpp -o fuzz_script
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

#include "config/parser.h"
#include "log/log.h"
#include "script/script.h"

namespace {

long g_live = 0; // fixed arguments made and not yet freed

int fix(const sipnat_host *, int argc, const char *const *argv, void **fixed, char *err, size_t errlen) {
    for (int i = 0; i < argc; i++) {
        if (!argv[i]) abort();
        if (std::strcmp(argv[i], "bad") == 0) {
            snprintf(err, errlen, "argument %d is bad", i + 1);
            return -1;
        }
    }
    *fixed = malloc(1);
    g_live++;
    return 0;
}
void unfix(void *p) {
    g_live--;
    free(p);
}
int handler(const sipnat_host *, sipnat_msg *, void *) {
    return 1;
}

const sipnat_func_export kFuncs[] = {
    {"f0", 0, 0, nullptr, nullptr, handler, SIPNAT_ROUTE_ANY},
    {"f1", 1, 1, fix, unfix, handler, SIPNAT_ROUTE_REQUEST},
    {"f2", 0, 2, fix, unfix, handler, SIPNAT_ROUTE_ONREPLY},
    {"f6", 0, 6, fix, unfix, handler, SIPNAT_ROUTE_ANY},
    {nullptr, 0, 0, nullptr, nullptr, nullptr, 0},
};

class Resolver : public sipnat::script::FunctionResolver {
public:
    const sipnat_func_export *find(const std::string &name, std::string *owner) const override {
        for (const sipnat_func_export *f = kFuncs; f->name; f++) {
            if (name == f->name) {
                *owner = "fuzz";
                return f;
            }
        }
        return nullptr;
    }
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static bool quiet = (sipnat::log_set_level(SIPNAT_L_ERR), true);
    (void)quiet;
    std::string_view text(reinterpret_cast<const char *>(data), size);
    sipnat::config::Config cfg;
    sipnat::config::ConfigError perr;
    if (!sipnat::config::parse_config_string(text, "fuzz.cfg", cfg, perr)) return 0;
    static const sipnat_host host{};
    Resolver fr;
    {
        sipnat::script::Program p;
        std::string err;
        if (!sipnat::script::compile(cfg, fr, &host, p, &err)) {
            // Every compile error names its place, and leaves nothing allocated behind.
            if (err.rfind("fuzz.cfg:", 0) != 0 || g_live != 0) abort();
        }
    }
    if (g_live != 0) abort(); // the Program freed every fixed argument
    return 0;
}
