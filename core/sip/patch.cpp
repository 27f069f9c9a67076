#include "patch.h"

#include <algorithm>

namespace sipnat::sip {

bool PatchList::add(size_t off, size_t len, std::string_view text) {
    const size_t end = off + len;
    // First pass: refuse on any conflict before touching the list.
    for (const Patch &q : patches_) {
        const size_t qend = size_t{q.off} + q.len;
        if (len == 0) {
            if (q.len != 0 && q.off < off && off < qend) return false;  // insert into replaced text
            continue;
        }
        if (q.len == 0) continue;  // inserts never block a replacement (they are dropped or kept below)
        const bool intersects = std::max(size_t{q.off}, off) < std::min(qend, end);
        if (!intersects) continue;
        const bool covers_q = off <= q.off && qend <= end;
        if (!covers_q) return false;
    }
    if (len != 0) {
        // Drop what the new replacement supersedes: replacements inside it, inserts strictly inside.
        std::erase_if(patches_, [&](const Patch &q) {
            const size_t qend = size_t{q.off} + q.len;
            if (q.len == 0) return off < q.off && q.off < end;
            return off <= q.off && qend <= end;
        });
    }
    if (patches_.capacity() == 0) patches_.reserve(8);  // a forwarded request carries about 4-6
    patches_.push_back(Patch{static_cast<uint32_t>(off), static_cast<uint32_t>(len), std::string(text), next_seq_++});
    return true;
}

std::string PatchList::apply(std::string_view base) const {
    if (patches_.empty()) return std::string(base);
    // Sort views, not copies: (offset, inserts first, order of addition).
    std::vector<const Patch *> order;
    order.reserve(patches_.size());
    size_t out_size = base.size();
    for (const Patch &p : patches_) {
        order.push_back(&p);
        out_size = out_size - p.len + p.text.size();
    }
    std::sort(order.begin(), order.end(), [](const Patch *a, const Patch *b) {
        if (a->off != b->off) return a->off < b->off;
        if ((a->len == 0) != (b->len == 0)) return a->len == 0;
        return a->seq < b->seq;
    });
    std::string out;
    out.reserve(out_size);
    size_t pos = 0;
    for (const Patch *p : order) {
        if (p->off > pos) out.append(base.data() + pos, p->off - pos);
        out.append(p->text);
        pos = std::max(pos, size_t{p->off} + p->len);
    }
    if (pos < base.size()) out.append(base.data() + pos, base.size() - pos);
    return out;
}

}  // namespace sipnat::sip
