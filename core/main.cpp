// sipnatd: command line, then hand over to the host's start-up sequence.
#include "host/app.h"
#include "log/log.h"

#include "sipnat_build_config.h"

#include <cstdio>
#include <cstdlib>
#include <getopt.h>
#include <string>

namespace {

void usage(FILE *out) {
    std::fprintf(out,
                 "Usage: sipnatd [options]\n"
                 "  -f FILE        config file (default: sipnat.cfg)\n"
                 "  -c             check the config file (and module params and script) and exit\n"
                 "  -l N           log level: 1 error, 2 warning, 3 notice, 4 info, 5 debug\n"
                 "                 (overrides log_level= in the config)\n"
                 "  -h, --help     this help\n"
                 "  -V, --version  print the version and exit\n");
}

} // namespace

int main(int argc, char **argv) {
    sipnat::AppOptions opt;
    opt.config_file = "sipnat.cfg";
    static const option longopts[] = {{"help", no_argument, nullptr, 'h'},
                                      {"version", no_argument, nullptr, 'V'},
                                      {nullptr, 0, nullptr, 0}};
    int c;
    while ((c = getopt_long(argc, argv, "f:cl:hV", longopts, nullptr)) != -1) {
        switch (c) {
        case 'f': opt.config_file = optarg; break;
        case 'c': opt.check_only = true; break;
        case 'l': {
            char *end = nullptr;
            long v = std::strtol(optarg, &end, 10);
            if (!end || *end || v < 1 || v > 5) {
                std::fprintf(stderr, "sipnatd: -l expects a level from 1 to 5, got '%s'\n", optarg);
                return 1;
            }
            opt.log_level = static_cast<int>(v);
            break;
        }
        case 'h': usage(stdout); return 0;
        case 'V': std::printf("sipnatd %s (module ABI %u)\n", SIPNAT_VERSION, SIPNAT_ABI_VERSION); return 0;
        default: usage(stderr); return 1;
        }
    }
    if (optind < argc) {
        std::fprintf(stderr, "sipnatd: unexpected argument '%s'\n", argv[optind]);
        usage(stderr);
        return 1;
    }
    return sipnat::run_app(opt);
}
