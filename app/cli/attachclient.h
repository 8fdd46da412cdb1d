// The client end of a container's attach socket for the CLI: pumps this
// terminal's stdin to the container and its output back, in raw mode for a
// tty (with window-size changes forwarded), until the container exits or the
// user detaches with ctrl-p ctrl-q. Blocking; main thread.
#pragma once

#include "core/result.h"

#include <QString>

namespace porthole::cli {

struct AttachOptions {
    bool stdinOpen = false; // -i: forward our stdin
    bool tty = false;       // the container has a pty: raw mode, resize, detach keys
    bool startNow = false;  // the container waits for this client before it execs
};

struct AttachOutcome {
    bool detached = false;
    bool exited = false; // an exit frame arrived
    int exitCode = 0;
    QString error;       // the shim's reason, e.g. an exec failure
};

Result<AttachOutcome> attachToContainer(const QString &socketPath, const AttachOptions &options);

} // namespace porthole::cli
