// Module loader: dlopen, ABI check, params, and the lifecycle calls of every loaded module.
#pragma once

#include <sipnat/module.h>

#include <string>
#include <vector>

namespace sipnat {

struct LoadedModule {
    std::string name; // exports->name, what modparam() uses
    std::string path; // the file actually opened
    void *handle = nullptr;
    const sipnat_module_exports *exports = nullptr;
};

// A modparam value as written in the config: an integer or a string.
struct ParamValue {
    bool is_int = false;
    long i = 0;
    std::string s;
};

class ModuleRegistry {
public:
    ModuleRegistry() = default;
    ModuleRegistry(const ModuleRegistry &) = delete;
    ModuleRegistry &operator=(const ModuleRegistry &) = delete;
    // Unloads every module still loaded (dlclose), in reverse load order.
    ~ModuleRegistry();

    // Candidate files for `spec`, in search order: as given if it has a '/', then under
    // `mpath`, then the build tree's and the install's module directories (each also in a
    // subfolder named after the module, as the build lays them out).
    static std::vector<std::string> candidates(const std::string &spec, const std::string &mpath);

    // Loads `spec`; false with a reason in *err (missing file, dlopen error, missing
    // symbol, ABI mismatch, malformed exports, duplicate module name).
    bool load(const std::string &spec, const std::string &mpath, std::string *err);

    // Delivers one modparam to its module; false with a reason (unknown module or param,
    // wrong value type, or the module's own rejection).
    bool set_param(const sipnat_host *h, const std::string &module, const std::string &param,
                   const ParamValue &v, std::string *err);

    // Finds an exported script function by name across all modules, or nullptr.
    const sipnat_func_export *find_function(const std::string &name, const LoadedModule **owner = nullptr) const;

    // Runs every module's init in load order; stops at the first failure, naming the module
    // in *failed and giving its own reason in *reason (both optional).
    bool init_all(const sipnat_host *h, std::string *err, std::string *failed = nullptr, std::string *reason = nullptr);
    // Runs every module's worker_init on the calling worker thread.
    bool worker_init_all(const sipnat_host *h, int worker_id, std::string *err);
    // Runs destroy of every module whose init ran, in reverse order. Idempotent.
    void destroy_all(const sipnat_host *h);

    // The loaded modules, in load order.
    const std::vector<LoadedModule> &modules() const { return modules_; }

private:
    std::vector<LoadedModule> modules_;
    size_t initialised_ = 0; // how many modules' init succeeded (destroy runs for those)
};

} // namespace sipnat
