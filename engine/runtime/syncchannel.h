// The socket pair between the shim and the container's first process: one
// byte per step ("configured", "ready", "start"), an error text when a step
// fails, and the pty master passed with SCM_RIGHTS. Blocking; both ends are
// single-threaded.
#pragma once

#include "core/result.h"

#include <QByteArray>

namespace porthole::runtime {

enum class SyncMessage : char {
    Configured = 'c', // shim -> child: cgroup and network are in place
    Ready = 'r',      // child -> shim: the file system is set up, waiting to exec
    Start = 's',      // shim -> child: exec now
    Failed = 'f',     // child -> shim: followed by a 4-byte exit code and an error text
    PtyMaster = 'p',  // child -> shim: carries the pty master fd
};

Status sendMessage(int fd, SyncMessage message, const QByteArray &payload = {}, int passFd = -1);

struct Received {
    SyncMessage message;
    QByteArray payload;
    int fd = -1; // a passed descriptor, if any
};
// Blocks for one message; a closed peer is Unavailable.
Result<Received> receiveMessage(int fd);

// A Failed message's payload: exit code and text.
QByteArray failurePayload(int exitCode, const QString &text);
void parseFailure(const QByteArray &payload, int &exitCode, QString &text);

} // namespace porthole::runtime
