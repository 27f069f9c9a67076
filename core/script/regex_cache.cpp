#include "regex_cache.h"

#include <functional>

namespace sipnat::script {

Regex::~Regex() {
    if (ok_) regfree(&re_);
}

bool Regex::compile(std::string_view pattern, std::string *err) {
    if (ok_) return true;
    // regcomp reads a C string: an embedded NUL would silently cut the pattern.
    if (pattern.find('\0') != std::string_view::npos) {
        *err = "invalid regular expression: it contains a NUL byte";
        return false;
    }
    std::string p(pattern);
    int rc = regcomp(&re_, p.c_str(), REG_EXTENDED | REG_ICASE | REG_NOSUB);
    if (rc != 0) {
        char buf[256];
        regerror(rc, &re_, buf, sizeof buf);
        std::string shown = p.size() > 60 ? p.substr(0, 60) + "..." : p;
        *err = "invalid regular expression '" + shown + "': " + buf;
        return false;
    }
    ok_ = true;
    return true;
}

bool Regex::match(std::string_view s) const {
    if (!ok_) return false;
#ifdef REG_STARTEND
    // Match the exact bytes, without copying to get a NUL terminator.
    regmatch_t m[1];
    m[0].rm_so = 0;
    m[0].rm_eo = static_cast<regoff_t>(s.size());
    return regexec(&re_, s.data(), 1, m, REG_STARTEND) == 0;
#else
    std::string copy(s);
    return regexec(&re_, copy.c_str(), 0, nullptr, 0) == 0;
#endif
}

const Regex *RegexCache::get(std::string_view pattern, std::string *fresh_err) {
    fresh_err->clear();
    uint64_t h = std::hash<std::string_view>{}(pattern);
    ++clock_;
    for (Entry &e : entries_) {
        if (e.hash == h && e.pattern == pattern) {
            e.last_use = clock_;
            return e.re->ok() ? e.re.get() : nullptr;
        }
    }
    Entry *slot;
    if (entries_.size() < cap_) {
        slot = &entries_.emplace_back();
    } else {
        slot = &entries_[0];
        for (Entry &e : entries_)
            if (e.last_use < slot->last_use) slot = &e;
    }
    slot->hash = h;
    slot->last_use = clock_;
    slot->pattern.assign(pattern);
    slot->re = std::make_unique<Regex>();
    if (!slot->re->compile(pattern, fresh_err)) return nullptr;
    return slot->re.get();
}

} // namespace sipnat::script
