// Device rules on cgroup v2: a BPF_PROG_TYPE_CGROUP_DEVICE program made from
// DeviceRules (what runc and crun generate), loaded and attached to the
// container's cgroup with BPF_F_ALLOW_MULTI. The program lives as long as
// the cgroup: removing the cgroup detaches it.
//
// deviceFilterProgram is pure (tests run it through a small interpreter);
// attachDeviceFilter needs CAP_SYS_ADMIN or CAP_BPF (root; rootless runtimes
// cannot, and rely on the user namespace instead). Blocking, any thread.
#pragma once

#include "core/result.h"
#include "runtime/devicerules.h"

#include <QByteArray>

namespace porthole::runtime {

// `struct bpf_insn` array. The rules are checked last first (the last
// match decides, as deviceAllowed); nothing matches: denied.
QByteArray deviceFilterProgram(const QList<DeviceRule> &rules);

// Loads the program and attaches it to the cgroup directory (a cgroup2
// directory: /sys/fs/cgroup/... or /sys/fs/cgroup/unified/... on hybrid hosts).
Status attachDeviceFilter(const QString &cgroupDir, const QByteArray &program);

} // namespace porthole::runtime
