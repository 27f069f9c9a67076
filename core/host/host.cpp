#include "host.h"

#include "log/log.h"
#include "worker.h"

namespace sipnat {

Host &Host::get() {
    static Host h;
    return h;
}

bool Host::start_workers(std::string *err) {
    workers_started = true;
    for (int i = 0; i < worker_count; i++) {
        workers.push_back(std::make_unique<Worker>(*this, i));
        if (!workers.back()->start(err)) {
            workers.pop_back();
            stop_workers();
            return false;
        }
    }
    return true;
}

void Host::stop_workers() {
    for (auto &w : workers) w->request_stop();
    for (auto &w : workers) w->join();
    workers.clear();
}

} // namespace sipnat
