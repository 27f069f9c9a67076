// libFuzzer target for the config parser: any bytes must parse or fail cleanly.
// Build by hand: clang++ -std=c++20 -g -O1 -fsanitize=fuzzer,address,undefined \
//   -I core -I core/include test/fuzz/fuzz_config.cpp core/config/*.cpp -o fuzz_config
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "config/parser.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    std::string_view text(reinterpret_cast<const char *>(data), size);
    sipnat::config::Config cfg;
    sipnat::config::ConfigError err;
    if (!sipnat::config::parse_config_string(text, "fuzz.cfg", cfg, err)) {
        // Every error from text input has a real position and a message.
        if (err.line < 1 || err.col < 1 || err.message.empty()) abort();
        (void)err.str();
    }
    return 0;
}
