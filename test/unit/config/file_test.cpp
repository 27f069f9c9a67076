// parse_config_file: reading, missing files, directories.
#include <cstdio>
#include <cstdlib>
#include <unistd.h>

#include "helpers.h"

using namespace cfgtest;

namespace {

// A temporary file removed when the test ends.
struct TempFile {
    std::string path;
    explicit TempFile(const std::string &content) {
        char tmpl[] = "/tmp/sipnat-config-test-XXXXXX";
        int fd = mkstemp(tmpl);
        REQUIRE(fd >= 0);
        path = tmpl;
        REQUIRE(write(fd, content.data(), content.size()) == static_cast<ssize_t>(content.size()));
        close(fd);
    }
    ~TempFile() { unlink(path.c_str()); }
};

} // namespace

TEST_CASE("file: parses a file and names it in positions", "[config][file]") {
    TempFile f("children=4\nroute { forward(); }\n");
    Config cfg;
    ConfigError err;
    REQUIRE(parse_config_file(f.path, cfg, err));
    CHECK(cfg.children == 4);
    CHECK(cfg.routes.at(0).pos.str() == f.path + ":2:1");
}

TEST_CASE("file: errors name the file", "[config][file]") {
    TempFile f("children=4\nroute { forward() }\n");
    Config cfg;
    ConfigError err;
    REQUIRE_FALSE(parse_config_file(f.path, cfg, err));
    CHECK(err.str() == f.path + ":2:19: expected ';', found '}'");
}

TEST_CASE("file: unreadable paths", "[config][file]") {
    Config cfg;
    ConfigError err;
    REQUIRE_FALSE(parse_config_file("/nonexistent/sipnat.cfg", cfg, err));
    CHECK(err.str() == "/nonexistent/sipnat.cfg: cannot open: No such file or directory");
    REQUIRE_FALSE(parse_config_file("/tmp", cfg, err));
    CHECK(err.line == 0);
    CHECK(err.str().rfind("/tmp: cannot ", 0) == 0);
}
