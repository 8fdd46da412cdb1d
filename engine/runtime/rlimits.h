// rlimits (--ulimit) of a container's processes: docker's names to RLIMIT_*,
// the check create makes, and setting them in a process about to exec.
//
// Without CAP_SYS_RESOURCE no process can raise a hard limit above its own
// (this CI's hosts lack it: nofile stops at 20000). Porthole does not clamp:
// create refuses such a --ulimit with a sentence that says so, and a start
// on a host that changed meanwhile fails with the same reason. A silent
// clamp would give the command less than it was promised.
#pragma once

#include "core/resourcelimits.h"

namespace porthole::runtime {

// RLIMIT_NOFILE for "nofile", ...; -1 for a name docker does not know.
int rlimitResource(const QString &name);

// FailedPrecondition for the first limit this process could not set: a hard
// limit above its own without CAP_SYS_RESOURCE, or nofile above fs.nr_open.
Status checkUlimits(const QList<Ulimit> &ulimits);

// setrlimit(2) of each, for the calling process and what it execs. Run in the
// container's first process and in exec's, before the user switch and exec.
Status applyUlimits(const QList<Ulimit> &ulimits);

} // namespace porthole::runtime
