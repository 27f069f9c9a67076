// sipnatd's start-up and shutdown sequence.
#pragma once

#include <string>

namespace sipnat {

struct AppOptions {
    std::string config_file;
    bool check_only = false; // -c: stop after the config, modules, params and script checked out
    int log_level = 0;       // -l N; 0 = take log_level= from the config
};

// Runs sipnatd until SIGTERM/SIGINT; returns the process exit code (0 clean, 1 on errors).
int run_app(const AppOptions &opt);

} // namespace sipnat
