// Starting a container's shim from the CLI or the GUI: fork, setsid, fork
// again (so the shim is nobody's child but init's), exec the porthole binary
// in shim mode, and wait for its one-line report. Blocking; call from a
// worker thread in the GUI.
#pragma once

#include "core/result.h"

#include <QString>

namespace porthole::container {

struct LaunchResult {
    qint64 pid = 0; // the container's PID 1 on the host
};

// exitCode, on failure, is what `docker run` would exit with (125, 126, 127).
Result<LaunchResult> launchShim(const QString &storeRoot, const QString &id, bool waitForAttach, int *exitCode = nullptr);

// The porthole executable: PORTHOLE_EXE if set (tests), else /proc/self/exe.
QString portholeExecutable();

} // namespace porthole::container
