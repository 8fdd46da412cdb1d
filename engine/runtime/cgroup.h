// A container's cgroup, in whatever cgroup layout the host has.
//
// Hosts come in three shapes and Porthole supports all of them:
//   "v2"     - one cgroup2 hierarchy (a typical desktop today),
//   "hybrid" - v1 controllers plus a cgroup2 mount used only for tracking
//              (/sys/fs/cgroup/unified; our CI machines),
//   "v1"     - v1 controllers only.
// The layout is read from /proc/self/mountinfo each time a Cgroup is created
// or opened, so a Cgroup built inside a mount namespace sees that namespace.
//
// Cgroup is a value type holding paths; it owns no file descriptors and no
// kernel object (the directories outlive it until remove()). Every method does
// blocking file I/O on cgroupfs: call from a worker thread, never the UI thread.
// Distinct Cgroup objects may be used from different threads at once.
#pragma once

#include "core/result.h"

#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

#include <sys/types.h>

namespace porthole {
struct ResourceLimits;
}

namespace porthole::runtime {

// The cgroup every container gets: "porthole/<id>" in each hierarchy.
inline QString containerCgroupPath(const QString &containerId) { return QStringLiteral("porthole/") + containerId; }

struct CgroupStats {
    qint64 memoryBytes = -1; // current usage incl. page cache; -1 if no memory accounting
    qint64 memoryLimit = -1; // -1 when unlimited or unknown
    qint64 cpuNanos = -1;    // user+system CPU time; -1 if not available
    qint64 pids = -1;        // tasks (threads) in the cgroup; -1 if not available
};

class Cgroup {
public:
    Cgroup() = default;

    // Creates relPath (e.g. "porthole/<id>", relative to each hierarchy's
    // mount point) in every hierarchy we use, parents included. An existing
    // directory is reused: a container restarted after a crash gets its old
    // cgroup back. On v2 the controllers cpu, memory, pids and io are enabled
    // in every ancestor's cgroup.subtree_control where the kernel allows it;
    // refusals there are not errors (the cgroup still tracks and freezes).
    static Result<Cgroup> create(const QString &relPath);

    // Opens an existing cgroup; NotFound if relPath exists in no hierarchy.
    static Result<Cgroup> open(const QString &relPath);

    // "v1", "v2", "hybrid", or "none" when no usable cgroup fs is mounted.
    static QString layoutName();

    bool isValid() const { return !m_dirs.isEmpty(); }
    QString relativePath() const { return m_relPath; }
    // Absolute directories, one per hierarchy (v1 controller mounts and/or the
    // cgroup2 mount), in no particular order.
    QStringList directories() const { return m_dirs; }
    // The cgroup2 directory (v2 and hybrid hosts) and the v1 devices
    // controller's directory; empty where the host has none.
    QString unifiedDirectory() const { return m_unifiedDir; }
    QString devicesDirectory() const { return m_devicesDir; }

    // Moves pid into this cgroup in every hierarchy.
    Status addProcess(pid_t pid) const;

    // Processes (thread-group leaders) in the tracking hierarchy: cgroup2 when
    // mounted, else the first v1 controller.
    Result<QList<pid_t>> processes() const;

    // Freezes every task and waits (bounded, ~5 s) until the kernel reports
    // the cgroup frozen; on time-out the cgroup is thawed again and an
    // Unavailable error is returned. Uses the v1 freezer when it is mounted
    // (hybrid), else cgroup.freeze; FailedPrecondition if there is neither.
    Status freeze() const;
    Status thaw() const;
    Result<bool> isFrozen() const;

    // Sends signal to every process. SIGKILL uses cgroup.kill when the
    // cgroup2 file exists (race-free against fork); otherwise the process list
    // is re-read and signalled until it is empty, with the cgroup frozen
    // meanwhile so nothing forks behind our back. For SIGKILL this returns
    // once the cgroup is empty (Unavailable after ~5 s); other signals are
    // sent once to each listed process and not waited for.
    Status killAll(int signal) const;

    Result<CgroupStats> stats() const;

    // Writes the limits into this cgroup's files (runtime/cgrouplimits.h):
    // the v1 controllers where the host has them, else cgroup2. A limit whose
    // file this host lacks is a FailedPrecondition naming the flag and file;
    // a value at its default is skipped there. Defined in cgrouplimits.cpp.
    Status applyLimits(const ResourceLimits &limits) const;
    // Processes the kernel's OOM killer killed in this cgroup (v1
    // memory.oom_control, v2 memory.events); -1 where it does not count them.
    qint64 oomKills() const;

    // rmdir in every hierarchy, children first; EBUSY (a task still exiting)
    // is retried for about a second; a directory that is already gone is fine.
    Status remove() const;

private:
    QString m_relPath;
    QStringList m_dirs;      // every directory we created/opened
    QString m_unifiedDir;    // cgroup2 directory, if any
    QString m_freezerDir;    // v1 freezer directory, if any
    QString m_memoryDir;     // v1 memory directory, if any
    QString m_cpuacctDir;    // v1 cpuacct directory, if any
    QString m_pidsDir;       // v1 pids directory, if any
    QString m_devicesDir;    // v1 devices directory, if any
    QString m_firstV1Dir;    // fallback tracking directory on pure v1
    QMap<QString, QString> m_v1Dirs; // v1 controller -> its directory

    QString trackingDir() const;
    bool hasV2Freezer() const;
    Status setFrozen(bool frozen) const;
    Status freezeV1(bool frozen) const;
    Status freezeV2(bool frozen) const;
    Status killByIteration(int signal) const;
    Status waitEmpty(int timeoutMs) const;
};

} // namespace porthole::runtime
