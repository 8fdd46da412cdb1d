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

// Looks the user up in /etc/passwd and /etc/group (of the current root),
// switches to it (groups, gid, uid), sets HOME if unset, then keeps only
// docker's default capabilities and sets no_new_privs.
Status dropPrivileges(const QString &userSpec);

struct ExecFailure {
    int exitCode; // 127 not found, 126 not executable
    QString message;
};

// Resolves path in $PATH (the env's, else docker's default), marks every
// descriptor above 2 close-on-exec and execs. Returns only on failure.
ExecFailure execCommand(const QString &path, const QStringList &args, const QStringList &env);

} // namespace porthole::runtime
