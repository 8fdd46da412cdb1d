// Which cgroup file gets which value for a container's ResourceLimits, one
// pure function per layout so that both are tested on any host (ours run v1
// for real; a pure-v2 desktop runs the other), plus the host checks create
// makes before a container exists. Cgroup::applyLimits writes the list.
//
// The values are docker's, as runc writes them:
//   v1: memory.limit_in_bytes, memory.memsw.limit_in_bytes (memory + swap),
//       cpu.cfs_period_us + cpu.cfs_quota_us, cpu.shares, pids.max;
//   v2: memory.max, memory.swap.max (swap alone), cpu.max ("quota period"),
//       cpu.weight (converted from shares), pids.max.
// Pure functions; any thread.
#pragma once

#include "core/resourcelimits.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace porthole::runtime {

inline constexpr qint64 kCpuPeriodUs = 100000; // docker's CFS period: 100 ms

struct CgroupWrite {
    QString controller; // v1: the controller whose hierarchy holds the file; v2: empty
    QString file;       // e.g. "memory.limit_in_bytes"
    QByteArray value;
    // The flag that asked for this value ("--memory"); empty when the value
    // is the default (no limit, or the default pids limit): then a host
    // without the file is no error, there is just nothing to set.
    QString flag;
    bool operator==(const CgroupWrite &) const = default;
};

// currentMemoryLimit: what memory.limit_in_bytes holds now (-1: unlimited).
// It orders memory and memsw so that the kernel's rule (memory <= memsw) holds
// after each write, as runc orders them for `update`.
QList<CgroupWrite> cgroupV1LimitWrites(const ResourceLimits &limits, qint64 currentMemoryLimit);
QList<CgroupWrite> cgroupV2LimitWrites(const ResourceLimits &limits);

// runc's conversion (>= 1.3.2, runc#4785): a quadratic in log2(shares) that
// maps 2 -> 1, 1024 -> 100 (both defaults) and 262144 -> 10000. 0 stays 0.
quint64 cpuWeightFromShares(quint64 shares);

// Why a write cannot be made where its file is missing, docker-flag first:
// "--memory-swap: this host's kernel has no swap accounting
// (memory.memsw.limit_in_bytes is missing)".
QString missingLimitFileMessage(const CgroupWrite &write, bool controllerPresent);

// create's checks against this host: docker's (validateLimits, with this
// machine's CPUs) and the rlimits this process could not set (checkUlimits).
Status checkLimitsForHost(const ResourceLimits &limits);

} // namespace porthole::runtime
