#include "loader.h"

#include "sipnat_build_config.h"

#include <cstring>
#include <dlfcn.h>
#include <sys/stat.h>

namespace sipnat {

namespace {

bool is_file(const std::string &p) {
    struct stat st;
    return stat(p.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

// "stun.so" -> "stun": the build puts each module in a folder of its own.
std::string stem(const std::string &spec) {
    std::string base = spec.substr(spec.find_last_of('/') == std::string::npos ? 0 : spec.find_last_of('/') + 1);
    auto dot = base.find('.');
    return dot == std::string::npos ? base : base.substr(0, dot);
}

// Checks the tables a module exports before anything calls into them.
bool validate_exports(const sipnat_module_exports *e, std::string *err) {
    if (!e->name || !*e->name) {
        *err = "exports no module name";
        return false;
    }
    for (const sipnat_param_export *p = e->params; p && p->name; p++) {
        if ((p->type != SIPNAT_PARAM_INT && p->type != SIPNAT_PARAM_STR) || !p->set) {
            *err = std::string("param '") + p->name + "' has a bad type or no setter";
            return false;
        }
    }
    for (const sipnat_func_export *f = e->functions; f && f->name; f++) {
        if (f->min_args < 0 || f->max_args > SIPNAT_MAX_FUNC_ARGS || f->min_args > f->max_args || !f->handler) {
            *err = std::string("function '") + f->name + "' has bad argument counts or no handler";
            return false;
        }
    }
    return true;
}

} // namespace

ModuleRegistry::~ModuleRegistry() {
    for (auto it = modules_.rbegin(); it != modules_.rend(); ++it)
        if (it->handle) dlclose(it->handle);
}

std::vector<std::string> ModuleRegistry::candidates(const std::string &spec, const std::string &mpath) {
    std::vector<std::string> out;
    if (spec.find('/') != std::string::npos) out.push_back(spec);
    if (spec.empty() || spec[0] == '/') return out;
    const std::string s = stem(spec);
    auto add_dir = [&](const std::string &dir) {
        if (dir.empty()) return;
        out.push_back(dir + "/" + spec);
        out.push_back(dir + "/" + s + "/" + spec);
    };
    add_dir(mpath);
    add_dir(SIPNAT_BUILD_MODDIR);
    add_dir(SIPNAT_INSTALL_MODDIR);
    return out;
}

bool ModuleRegistry::load(const std::string &spec, const std::string &mpath, std::string *err) {
    std::string path;
    for (const auto &c : candidates(spec, mpath)) {
        if (is_file(c)) {
            path = c;
            break;
        }
    }
    if (path.empty()) {
        *err = "module '" + spec + "' not found (searched mpath";
        *err += mpath.empty() ? " (unset)" : " \"" + mpath + "\"";
        *err += ", " SIPNAT_BUILD_MODDIR ", " SIPNAT_INSTALL_MODDIR ")";
        return false;
    }
    // RTLD_NOW: a module with an unresolved symbol fails here, at start-up, not mid-call.
    void *h = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        const char *e = dlerror();
        *err = "cannot load module '" + path + "': " + (e ? e : "unknown error");
        return false;
    }
    auto *exp = static_cast<const sipnat_module_exports *>(dlsym(h, SIPNAT_MODULE_SYMBOL));
    if (!exp) {
        dlclose(h);
        *err = "module '" + path + "' has no '" SIPNAT_MODULE_SYMBOL "' symbol: not a sipnat module";
        return false;
    }
    // Only the version is read before it is checked: the rest of the layout may differ.
    if (exp->abi_version != SIPNAT_ABI_VERSION) {
        *err = "module '" + path + "' was built for ABI version " + std::to_string(exp->abi_version) +
               ", this sipnatd has ABI version " + std::to_string(SIPNAT_ABI_VERSION) + ": rebuild the module";
        dlclose(h);
        return false;
    }
    std::string why;
    if (!validate_exports(exp, &why)) {
        dlclose(h);
        *err = "module '" + path + "' " + why;
        return false;
    }
    for (const auto &m : modules_) {
        if (m.name == exp->name) {
            // exp points into the library: build the message before unloading it.
            *err = "module '" + std::string(exp->name) + "' is already loaded (from '" + m.path + "')";
            dlclose(h);
            return false;
        }
    }
    modules_.push_back(LoadedModule{exp->name, path, h, exp});
    return true;
}

bool ModuleRegistry::set_param(const sipnat_host *h, const std::string &module, const std::string &param,
                               const ParamValue &v, std::string *err) {
    const LoadedModule *mod = nullptr;
    for (const auto &m : modules_)
        if (m.name == module) mod = &m;
    if (!mod) {
        *err = "modparam for module '" + module + "', which is not loaded (loadmodule it first)";
        return false;
    }
    const sipnat_param_export *p = mod->exports->params;
    while (p && p->name && param != p->name) p++;
    if (!p || !p->name) {
        *err = "module '" + module + "' has no parameter '" + param + "'";
        return false;
    }
    if ((p->type == SIPNAT_PARAM_INT) != v.is_int) {
        *err = "parameter '" + param + "' of module '" + module + "' expects " +
               (p->type == SIPNAT_PARAM_INT ? "an integer, found a string" : "a string, found an integer");
        return false;
    }
    sipnat_param_value pv{p->type, v.i, v.is_int ? nullptr : v.s.c_str()};
    char why[256] = "";
    if (p->set(h, &pv, why, sizeof why) != 0) {
        *err = "module '" + module + "' rejected parameter '" + param + "'" + (why[0] ? ": " : "") + why;
        return false;
    }
    return true;
}

const sipnat_func_export *ModuleRegistry::find_function(const std::string &name, const LoadedModule **owner) const {
    for (const auto &m : modules_) {
        for (const sipnat_func_export *f = m.exports->functions; f && f->name; f++) {
            if (name == f->name) {
                if (owner) *owner = &m;
                return f;
            }
        }
    }
    return nullptr;
}

bool ModuleRegistry::init_all(const sipnat_host *h, std::string *err, std::string *failed, std::string *reason) {
    for (; initialised_ < modules_.size(); initialised_++) {
        const auto &m = modules_[initialised_];
        if (!m.exports->init) continue;
        char why[512] = "";
        if (m.exports->init(h, why, sizeof why) != 0) {
            *err = "module '" + m.name + "' failed to initialise" + (why[0] ? ": " : "") + why;
            if (failed) *failed = m.name;
            if (reason) *reason = why;
            return false;
        }
    }
    return true;
}

bool ModuleRegistry::worker_init_all(const sipnat_host *h, int worker_id, std::string *err) {
    for (const auto &m : modules_) {
        if (m.exports->worker_init && m.exports->worker_init(h, worker_id) != 0) {
            *err = "module '" + m.name + "' failed to initialise worker " + std::to_string(worker_id);
            return false;
        }
    }
    return true;
}

void ModuleRegistry::destroy_all(const sipnat_host *h) {
    while (initialised_ > 0) {
        const auto &m = modules_[--initialised_];
        if (m.exports->destroy) m.exports->destroy(h);
    }
}

} // namespace sipnat
