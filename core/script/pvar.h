// Pseudo-variables: the names the language knows, and their resolution from
// source text to an enum plus a small index, so the interpreter never looks a
// pseudo-variable up by name while a message is being processed.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace sipnat::script {

// Pseudo-variables the language knows. $avp(name) and $var(name) carry a name; $hdr(Name) a header name.
enum class Pv { Rm, Ru, RU, Rd, Rp, Si, Sp, Ci, Fu, Tu, Ft, Tt, Ua, Rs, Rr, Proto, Hdr, Avp, Var };

// A resolved pseudo-variable reference, as stored in a compiled program.
struct PvRef {
    Pv pv = Pv::Rm;
    uint32_t slot = 0; // Var: index into the State's $var values
    std::string arg;   // Hdr: header name; Avp: AVP name ("s:" stripped); Var: variable name
    std::string text;  // as written, e.g. "$avp(s:foo)", for messages
};

// Hands out $var slots: one per distinct name, in first-seen order.
class VarTable {
public:
    // Returns the slot for `name`, adding it if new.
    uint32_t slot(std::string_view name);
    // Returns how many distinct names were seen.
    size_t size() const { return names_.size(); }
    // Returns the name of slot `i` (i < size()).
    const std::string &name(uint32_t i) const { return names_[i]; }

private:
    std::unordered_map<std::string, uint32_t> index_;
    std::vector<std::string> names_;
};

// Resolves `$name` / `$name(inner)` (text = as written) into *out, taking a slot
// from `vars` for $var. False with *err set to a message without position
// ("unknown pseudo-variable '$foo'", "pseudo-variable '$avp' needs a name, as in $avp(name)").
bool resolve_pv(std::string_view name, std::string_view inner, bool has_inner, std::string_view text,
                VarTable &vars, PvRef *out, std::string *err);

// Returns whether a script may assign to this pseudo-variable ($avp and $var only).
bool pv_writable(Pv pv);

// Returns the name as written after '$' ("rU", "proto", "hdr"), for messages and tests.
const char *pv_name(Pv pv);

} // namespace sipnat::script
