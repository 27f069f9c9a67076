// POSIX extended regular expressions for `=~` (never std::regex: it is slow and
// recursion-happy), case-insensitive as in OpenSIPS/Kamailio, plus a small LRU
// cache for patterns that are only known at run time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <regex.h>
#include <string>
#include <string_view>
#include <vector>

namespace sipnat::script {

// One compiled pattern. Not copyable or movable (regex_t is not meant to be); hold it by pointer.
class Regex {
public:
    Regex() = default;
    ~Regex();
    Regex(const Regex &) = delete;
    Regex &operator=(const Regex &) = delete;

    // Compiles `pattern` (POSIX ERE, case-insensitive, match/no-match only). False with *err
    // ("invalid regular expression '...': <regerror text>") on a bad pattern; may be called once.
    bool compile(std::string_view pattern, std::string *err);
    // Returns whether `s` (any bytes, NUL included) contains a match. False if not compiled.
    bool match(std::string_view s) const;
    // Returns whether compile() succeeded.
    bool ok() const { return ok_; }

private:
    regex_t re_{};
    bool ok_ = false;
};

// Per-worker cache of run-time patterns: at most `capacity` entries, least recently used evicted.
// Bad patterns are cached too, so a broken pattern is reported once per eviction, not per message.
class RegexCache {
public:
    // Makes an empty cache holding at most `capacity` (>= 1) patterns.
    explicit RegexCache(size_t capacity = 16) : cap_(capacity ? capacity : 1) {}
    // Returns the compiled form of `pattern`, compiling it on a miss; nullptr for a bad pattern.
    // *fresh_err is set (non-empty) only when the pattern was compiled just now and failed.
    const Regex *get(std::string_view pattern, std::string *fresh_err);
    // Returns how many patterns are cached (for tests).
    size_t size() const { return entries_.size(); }

private:
    struct Entry {
        uint64_t hash = 0;
        uint64_t last_use = 0;
        std::string pattern;
        std::unique_ptr<Regex> re; // compiled or not (bad pattern)
    };
    size_t cap_;
    uint64_t clock_ = 0;
    std::vector<Entry> entries_;
};

} // namespace sipnat::script
