// Containers whose shim died (kill -9, a crash, an out-of-memory kill).
// Their processes may live on: the first process dies with its shim by
// PR_SET_PDEATHSIG, but a process that started before the signal was
// re-armed, or one the container forked away, does not. Such a container
// must not be reported exited while its processes run, removed from under
// them, or started a second time on the same upper dir. So whoever looks at
// it next (any verb that names it, `ps`, the window's list) kills what is
// left through its cgroup and records the end, under the shim lock so no
// start can interleave.
#pragma once

#include "core/result.h"
#include "store/containerstore.h"

namespace porthole::container {

// Settles the record if its shim is gone (kills the cgroup's processes,
// removes the cgroup, writes the exited state); returns the record as it is
// now. Cheap when the shim lives: one lock probe.
store::ContainerRecord settleOrphan(store::ContainerStore &containers, const store::ContainerRecord &record);

// containers.resolve() then settleOrphan(): what every verb naming a
// container uses.
Result<store::ContainerRecord> resolveContainer(store::ContainerStore &containers, const QString &nameOrId);

// Kills whatever still runs in the container's cgroup and removes the
// cgroup (rm does this before it deletes the files: nothing may run on an
// upper dir that is going away). A missing cgroup is fine.
Status killContainerCgroup(const QString &id);

} // namespace porthole::container
