// Edits to a message as byte patches over the original buffer, applied once when serialising.
//
// Rules (offsets are into the original buffer, ranges are half-open [off, off+len)):
//  - A patch with len 0 is an insert. Inserts at the same offset come out in the order they
//    were added, and before a replacement that starts at that offset.
//  - A patch whose range covers earlier patches (same range included) supersedes them: they are
//    dropped, except inserts sitting exactly on its edges, which stay. So "set twice" keeps the
//    last value, and removing a header line also drops edits made inside it.
//  - A patch that falls inside, or partly overlaps, an earlier replacement is refused: it would
//    edit bytes that are already gone.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sipnat::sip {

struct Patch {
    uint32_t off = 0;
    uint32_t len = 0;   // bytes of the original replaced (0 = insert)
    std::string text;   // what goes there instead
    uint32_t seq = 0;   // order of addition, for equal-offset inserts
};

class PatchList {
public:
    // Adds a patch following the rules above; false (and nothing changes) when it is refused.
    bool add(size_t off, size_t len, std::string_view text);
    // Returns the patches in the order they were added (superseded ones removed).
    const std::vector<Patch> &patches() const { return patches_; }
    // Reserves room for n patches.
    void reserve(size_t n) { patches_.reserve(n); }
    // True when there is no patch.
    bool empty() const { return patches_.empty(); }
    // Returns base with every patch applied (patches must lie within base).
    std::string apply(std::string_view base) const;

private:
    std::vector<Patch> patches_;
    uint32_t next_seq_ = 0;
};

}  // namespace sipnat::sip
