// `exec`: a new process in a running container. It joins the namespaces of
// the container's PID 1 (pidfd + setns) and its cgroup, gets its own pty
// inside the container when asked, and goes through the same user,
// capability and no_new_privs steps as the first process.
// The caller supervises it: the returned pid is a helper in the host's pid
// namespace that exits with the command's status. Blocking; safe to call
// from a threaded process (only async-signal-safe work between fork and exec
// beyond what the container side needs).
#pragma once

#include "core/resourcelimits.h"
#include "core/result.h"
#include "runtime/security.h"

#include <QString>
#include <QStringList>

#include <sys/types.h>

namespace porthole::runtime {

struct ExecSpec {
    QString path;
    QStringList args;
    QStringList env;
    QString user;
    QString workingDir;
    bool tty = false;
    bool keepStdin = false; // -i: without a tty, the command reads our stdin
    ProcessSecurity security; // the container's own (runtime::processSecurity)
    QList<Ulimit> ulimits;  // the container's --ulimit; the Engine sets them from its record
};

struct ExecProcess {
    pid_t pid = -1;      // wait for it: its exit status is the command's
    int ptyMaster = -1;  // with tty: the pty's master, owned by the caller
};

// containerPid: the container's PID 1 on the host; cgroupPath: the
// container's cgroup relative path ("porthole/<id>"). Without tty the
// command's stdio is this process's 0, 1, 2.
Result<ExecProcess> startExec(pid_t containerPid, const QString &cgroupPath, const ExecSpec &spec);

// waitpid for an ExecProcess: returns the exit code (128+N for a signal).
int waitExec(pid_t pid);

} // namespace porthole::runtime
