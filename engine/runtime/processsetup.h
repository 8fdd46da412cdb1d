// The last steps of every process that enters a container, the first process
// and `exec`'s alike: environment, user and groups from the container's own
// /etc files, docker's capability set and no_new_privs, and exec with docker's
// exit codes. Called inside the container (after pivot_root or setns), in a
// process about to exec.
#pragma once

#include "core/result.h"

#include <QString>
#include <QStringList>

namespace porthole::runtime {

// Replaces the environment with env ("KEY=VALUE" entries).
void applyEnvironment(const QStringList &env);

struct ProcessSecurity;

// Looks the user up in /etc/passwd and /etc/group (of the current root),
// switches to it (groups, gid, uid), sets HOME if unset, then keeps only
// the capabilities in `security` and sets no_new_privs (unless it says not
// to: --privileged). PR_SET_PDEATHSIG is armed again after the switch,
// which clears it, so the process still dies with its parent.
Status dropPrivileges(const QString &userSpec, const ProcessSecurity &security);

struct ExecFailure {
    int exitCode; // 127 not found, 126 not executable
    QString message;
};

// How the last execve is made.
struct FinalExec {
    QByteArray seccompFilter; // loaded last, after no_new_privs; empty: none
    int trampolineFd = -1;    // trampoline.h: the command is exec'd through it
    int syncFd = -1;          // where the trampoline reports a failed exec
};

// Resolves path in $PATH (the env's, else docker's default), marks every
// descriptor above 2 close-on-exec, sets docker's umask (0022), loads the seccomp filter (if any) as
// the very last step and execs the command through the trampoline. Returns
// only on failure.
ExecFailure execCommand(const QString &path, const QStringList &args, const QStringList &env, const FinalExec &how);

} // namespace porthole::runtime
