// Shared helpers for the host unit tests: where the test modules are, and a sipnat_host
// table whose log() is captured so tests can read what a module logged.
#pragma once

#include <sipnat/module.h>

#include <string>
#include <vector>

namespace hosttest {

// build/test/modules (from SIPNAT_TEST_MODDIR, set by meson's test()).
const std::string &module_dir();
// module_dir() + "/" + name.
std::string module_path(const std::string &name);

// The host's real table with log() replaced by a capture: every line a module logs is
// kept (as "[module] text") until clear_log().
const sipnat_host *capture_table();
std::vector<std::string> logged();
void clear_log();
// Lines of logged() that start with `prefix` (after the "[module] " tag).
std::vector<std::string> logged_with(const std::string &prefix);

// A temporary directory removed (with its contents) when the object goes.
class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir &) = delete;
    TempDir &operator=(const TempDir &) = delete;
    const std::string &path() const { return path_; }
    // Writes `content` to path()/rel (creating folders on the way); returns the full path.
    std::string write(const std::string &rel, const std::string &content) const;
    // Makes path()/rel a symlink to target (creating folders on the way); returns the full path.
    std::string link(const std::string &rel, const std::string &target) const;
    // Makes folder path()/rel; returns the full path.
    std::string mkdir(const std::string &rel) const;

private:
    std::string path_;
};

} // namespace hosttest
