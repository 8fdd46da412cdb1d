// The container's first process: cloned by the shim into new namespaces, it
// waits for the shim's go-ahead, builds the file system, switches user and
// capabilities, and execs the command (or, with --init, stays as a small
// init that reaps zombies and forwards signals). Never returns.
#pragma once

#include "runtime/spec.h"

namespace porthole::runtime {

// syncFd: this end of the channel to the shim (syncchannel.h). stdio: for a
// non-tty container, the fds to become 0, 1, 2 (-1 for /dev/null).
[[noreturn]] void containerMain(const RuntimeSpec &spec, int syncFd, const int stdio[3]);

} // namespace porthole::runtime
