// A container's resource limits: memory, swap, CPU quota and weight, the pids
// limit and rlimits, as docker's run/create/update flags give them. One type,
// carried whole by the create request, the container record (config.json's
// "Resources"), the shim's RuntimeSpec and exec's ExecSpec.
//
// It lives in core, not runtime, because the store records it and store may
// not depend on runtime; runtime/cgrouplimits.h turns it into cgroup files and
// rlimits. Value types and pure functions; any thread.
#pragma once

#include "core/result.h"

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace porthole {

inline constexpr qint64 kDefaultPidsLimit = 2048;          // podman's default
inline constexpr qint64 kMinMemoryLimit = 6 * 1024 * 1024; // docker's linuxMinMemory
inline constexpr qint64 kNanosPerCpu = 1000000000;

// One --ulimit: an rlimit by docker's name; -1 is unlimited (RLIM_INFINITY).
struct Ulimit {
    QString name;
    qint64 soft = 0;
    qint64 hard = 0;
    bool operator==(const Ulimit &) const = default;
};

struct ResourceLimits {
    qint64 memory = 0;     // bytes; 0: no limit
    qint64 memorySwap = 0; // memory plus swap, bytes; -1: unlimited swap; 0: docker's default (see below)
    qint64 nanoCpus = 0;   // CPUs x 1e9 (--cpus 1.5 = 1500000000); 0: no quota
    qint64 cpuShares = 0;  // relative weight (cgroup v1 shares); 0: the kernel's default
    qint64 pidsLimit = kDefaultPidsLimit; // 0: unlimited
    QList<Ulimit> ulimits; // one per name, in the order first given

    // Docker's default when -m is given without --memory-swap: twice the
    // memory. Kept implicit (memorySwap 0) so that a host without swap
    // accounting silently limits memory alone, as docker does, while an
    // explicit --memory-swap there is an error.
    qint64 effectiveMemorySwap() const { return memorySwap == 0 && memory > 0 ? 2 * memory : memorySwap; }
    bool memorySwapExplicit() const { return memorySwap != 0; }

    // config.json's form, with docker's HostConfig names (Memory, MemorySwap,
    // NanoCpus, CpuShares, PidsLimit, Ulimits). fromJson: missing keys take
    // the defaults (a record older than limits gets the pids limit).
    QJsonObject toJson() const;
    static ResourceLimits fromJson(const QJsonObject &o);

    bool operator==(const ResourceLimits &) const = default;
};

// `update`'s request: only the given values change.
struct LimitsUpdate {
    std::optional<qint64> memory;
    std::optional<qint64> memorySwap;
    std::optional<qint64> nanoCpus;
    std::optional<qint64> cpuShares;
    std::optional<qint64> pidsLimit;
    bool isEmpty() const { return !memory && !memorySwap && !nanoCpus && !cpuShares && !pidsLimit; }
};

// The flags' values, parsed as docker's CLI parses them (its pflag Values).
// Error messages are the text docker prints after "... flag: ".
// go-units RAMInBytes: "64m", "1.5g", "100" (bytes), "10KiB", "2 GB"; binary units.
Result<qint64> parseByteSize(const QString &text);
// --memory-swap: a size, or -1 for unlimited swap.
Result<qint64> parseMemorySwap(const QString &text);
// --cpus: a decimal ("1.5", "0.25", "1e-1") or a fraction ("3/2"), in nano CPUs.
Result<qint64> parseNanoCpus(const QString &text);
// --pids-limit: docker's -1 (any value up to 0) means unlimited: 0 here.
qint64 normalizedPidsLimit(qint64 value);
// --ulimit name=soft[:hard]; docker's names only (ulimitNames()).
Result<Ulimit> parseUlimit(const QString &text);
QStringList ulimitNames();
// Adds or replaces (by name) one ulimit, as repeated --ulimit flags do.
void setUlimit(QList<Ulimit> &ulimits, const Ulimit &u);

// Back to flag words, for the CLI line the GUI shows: 64m, 1g, 1536k, 100.
QString formatByteSize(qint64 bytes);
QString formatNanoCpus(qint64 nanoCpus); // "1.5", "0.25", "2"
QString formatUlimit(const Ulimit &u);   // "nofile=1024:2048", "core=0"

// Docker's daemon checks, with its sentences ("Minimum memory limit allowed
// is 6MB", "Range of CPUs is from 0.01 to 2.00, as there are only 2 CPUs
// available", ...). hostCpus: CPUs this process may run on.
Status validateLimits(const ResourceLimits &limits, int hostCpus);

// `update`: the current limits with the update's values, checked as docker
// checks an update (including "Memory limit should be smaller than already
// set memoryswap limit, ...").
Result<ResourceLimits> updatedLimits(const ResourceLimits &current, const LimitsUpdate &update, int hostCpus);

// The CPUs this process may run on (its affinity mask, as Go's NumCPU).
int hostCpuCount();

} // namespace porthole
