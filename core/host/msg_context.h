// Host-side definition of the opaque ABI message: the parsed SIP message plus what
// the host knows about it (where it came from, AVPs, flags). Lives for one message.
#pragma once

#include "sip/message.h"

#include <sipnat/module.h>

#include <cstdint>
#include <netinet/in.h>
#include <string>
#include <sys/socket.h>
#include <utility>
#include <vector>

namespace sipnat {
class Worker;
struct WorkerPipeline;
} // namespace sipnat

struct sipnat_msg {
    sipnat::sip::Message *sip = nullptr;
    sockaddr_storage src{};
    int src_len = 0;
    char src_ip[INET6_ADDRSTRLEN] = "";
    uint16_t src_port = 0;
    sipnat_socket *sock = nullptr;
    sipnat::Worker *worker = nullptr;
    sipnat::WorkerPipeline *wp = nullptr;
    // AVPs, newest first per name: few per message, so a flat vector beats a map.
    std::vector<std::pair<std::string, std::string>> avps;
    uint32_t flags = 0;
};
