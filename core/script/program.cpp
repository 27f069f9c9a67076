#include "program.h"

namespace sipnat::script {

Program::~Program() {
    clear();
}

Program::Program(Program &&o) noexcept {
    *this = std::move(o);
}

Program &Program::operator=(Program &&o) noexcept {
    if (this == &o) return *this;
    clear();
    blocks_ = std::move(o.blocks_);
    calls_ = std::move(o.calls_);
    regexes_ = std::move(o.regexes_);
    var_names_ = std::move(o.var_names_);
    main_request_ = o.main_request_;
    main_reply_ = o.main_reply_;
    scratch_slots_ = o.scratch_slots_;
    id_ = o.id_;
    // A moved-from vector is empty in practice but not by the letter of the standard: make sure the
    // source can never free the fixups it handed over.
    o.calls_.clear();
    o.clear();
    return *this;
}

void Program::clear() {
    for (CallSite &c : calls_) {
        if (c.kind == CallSite::Module && c.fixed && c.fe && c.fe->free_fixed) c.fe->free_fixed(c.fixed);
        c.fixed = nullptr;
    }
    calls_.clear();
    blocks_.clear();
    regexes_.clear();
    var_names_.clear();
    main_request_ = main_reply_ = kNoIndex;
    scratch_slots_ = 1;
    id_ = 0;
}

uint32_t Program::main_index(config::RouteType kind) const {
    if (kind == config::RouteType::Request) return main_request_;
    if (kind == config::RouteType::OnReply) return main_reply_;
    return kNoIndex;
}

void free_fixups(Program &p) {
    p.clear();
}

} // namespace sipnat::script
