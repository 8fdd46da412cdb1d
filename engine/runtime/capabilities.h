// Linux capabilities for a container's process: docker's default set, names,
// and the system calls that confine the process before it execs.
//
// Capabilities are plain numbers (CAP_CHOWN == 0 ... from linux/capability.h).
// The name functions are pure and thread-safe. applyCapabilities() and
// setNoNewPrivileges() change the calling *thread's* credentials; they are
// meant for a freshly forked/cloned single-threaded child just before exec.
// They make no Qt allocations on success (only to build an error), so they
// may run between fork and exec.
#pragma once

#include "core/result.h"

#include <QList>
#include <QString>

namespace porthole::runtime {

// Docker's default set (moby oci/caps/defaults.go), in docker's order:
// CHOWN, DAC_OVERRIDE, FSETID, FOWNER, MKNOD, NET_RAW, SETGID, SETUID,
// SETFCAP, SETPCAP, NET_BIND_SERVICE, SYS_CHROOT, KILL, AUDIT_WRITE.
QList<int> dockerDefaultCapabilities();

// Every capability this build knows by name (0..40), ascending.
QList<int> knownCapabilities();

// The calling thread's permitted set (what --privileged can give: on a host
// that withholds CAP_SYS_RESOURCE, everything but that), ascending.
QList<int> permittedCapabilities();

// "CAP_NET_ADMIN", "NET_ADMIN", "net_admin" -> 12; InvalidArgument otherwise.
Result<int> capabilityFromName(const QString &name);

// 12 -> "CAP_NET_ADMIN"; an empty string for a number we have no name for.
QString capabilityName(int cap);

// Bit mask (bit n = capability n), as /proc/<pid>/status prints it.
quint64 capabilityMask(const QList<int> &caps);

// Confines the calling thread to `keep`:
//   1. raises effective to the current permitted set (setuid may have
//      cleared it) so the next steps are allowed;
//   2. drops every other capability from the bounding set (PR_CAPBSET_DROP,
//      0 .. /proc/sys/kernel/cap_last_cap);
//   3. clears the ambient set;
//   4. capset(v3): effective = permitted = inheritable = keep.
// FailedPrecondition if a wanted capability is not in the current permitted
// set (e.g. CAP_SYS_RESOURCE on a host that withholds it); InvalidArgument for
// numbers beyond the kernel's last capability.
//
// Order with a user switch (what the caller must do, as runc does):
//   prctl(PR_SET_KEEPCAPS, 1); setgroups(); setgid(); setuid();
//   applyCapabilities(keep); [setNoNewPrivileges();] execve();
// KEEPCAPS keeps the permitted set across setuid(), and applying after the
// switch means setgroups/setgid/setuid still have CAP_SETGID/CAP_SETUID even
// when `keep` lacks them. The result after execve matches docker: a root
// (uid 0) process keeps `keep` in its effective set; a non-root process has
// nothing effective or permitted (no ambient caps, no file caps) but keeps
// `keep` as its bounding and inheritable sets.
Status applyCapabilities(const QList<int> &keep);

// prctl(PR_SET_NO_NEW_PRIVS, 1): execve can never grant privileges again
// (setuid bits, file capabilities). Irreversible for this thread and its
// children; docker's --security-opt no-new-privileges.
Status setNoNewPrivileges();

} // namespace porthole::runtime
