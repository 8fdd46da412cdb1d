// The shim: one small process per running container (the porthole binary in
// its hidden `__shim` mode, detached with setsid), so containers outlive the
// CLI and the GUI. It clones the container's first process into new
// namespaces, owns the pty master or the stdio pipes, writes the log, serves
// attach clients on a unix socket, and records the exit status atomically.
// Single-threaded, poll()-driven, no Qt event loop.
#pragma once

#include <QString>

namespace porthole::container {

struct ShimOptions {
    QString storeRoot;
    QString id;
    int reportFd = -1;          // where to say "ok <pid>" or "err <code> <text>" once started
    bool waitForAttach = false; // hold the exec until the first client says Hello
};

// Returns the shim's own exit code (0 when it supervised to the end).
int runShim(const ShimOptions &options);

} // namespace porthole::container
