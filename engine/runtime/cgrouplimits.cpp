#include "runtime/cgrouplimits.h"

#include "runtime/cgroup.h"
#include "runtime/cgroupfs.h"
#include "runtime/rlimits.h"

#include <cmath>
#include <limits>

namespace porthole::runtime {

namespace {

QByteArray number(qint64 v) { return QByteArray::number(v); }

// The flag when the value is a real limit, empty when it is the default.
QString flagIf(bool limited, const char *flag) { return limited ? QLatin1String(flag) : QString(); }

qint64 cpuQuotaUs(qint64 nanoCpus) { return nanoCpus * kCpuPeriodUs / kNanosPerCpu; }

// An explicit pids limit is the user's; podman's default is skipped where
// the host has no pids controller, so that such a host still runs containers.
QString pidsFlag(const ResourceLimits &l)
{
    return flagIf(l.pidsLimit > 0 && l.pidsLimit != kDefaultPidsLimit, "--pids-limit");
}

QByteArray pidsValue(const ResourceLimits &l) { return l.pidsLimit > 0 ? number(l.pidsLimit) : QByteArray("max"); }

} // namespace

QList<CgroupWrite> cgroupV1LimitWrites(const ResourceLimits &l, qint64 currentMemoryLimit)
{
    const QString memory = QStringLiteral("memory");
    const qint64 swap = l.effectiveMemorySwap();
    const CgroupWrite mem{memory, QStringLiteral("memory.limit_in_bytes"), number(l.memory > 0 ? l.memory : -1),
                          flagIf(l.memory > 0, "--memory")};
    // The implicit default (twice -m) is skipped without swap accounting, as
    // docker does ("Memory limited without swap"); an explicit one is not.
    const CgroupWrite memsw{memory, QStringLiteral("memory.memsw.limit_in_bytes"), number(swap > 0 ? swap : -1),
                            flagIf(swap > 0 && l.memorySwapExplicit(), "--memory-swap")};
    // runc's order: swap first when it grows past the current memory limit.
    const quint64 current = currentMemoryLimit < 0 ? std::numeric_limits<quint64>::max() : quint64(currentMemoryLimit);
    const bool swapFirst = swap <= 0 || current < quint64(swap);
    QList<CgroupWrite> out = swapFirst ? QList<CgroupWrite>{memsw, mem} : QList<CgroupWrite>{mem, memsw};

    const QString cpu = QStringLiteral("cpu");
    out.append({cpu, QStringLiteral("cpu.cfs_period_us"), number(kCpuPeriodUs), flagIf(l.nanoCpus > 0, "--cpus")});
    out.append({cpu, QStringLiteral("cpu.cfs_quota_us"), number(l.nanoCpus > 0 ? cpuQuotaUs(l.nanoCpus) : -1),
                flagIf(l.nanoCpus > 0, "--cpus")});
    out.append({cpu, QStringLiteral("cpu.shares"), number(l.cpuShares > 0 ? l.cpuShares : 1024),
                flagIf(l.cpuShares > 0, "--cpu-shares")});
    out.append({QStringLiteral("pids"), QStringLiteral("pids.max"), pidsValue(l), pidsFlag(l)});
    return out;
}

QList<CgroupWrite> cgroupV2LimitWrites(const ResourceLimits &l)
{
    QList<CgroupWrite> out;
    out.append({{}, QStringLiteral("memory.max"), l.memory > 0 ? number(l.memory) : QByteArray("max"),
                flagIf(l.memory > 0, "--memory")});
    // v2 limits swap alone: docker's memory+swap minus memory (runc's
    // ConvertMemorySwapToCgroupV2Value).
    const qint64 swap = l.effectiveMemorySwap();
    const bool swapLimited = l.memory > 0 && swap > 0;
    out.append({{}, QStringLiteral("memory.swap.max"), swapLimited ? number(swap - l.memory) : QByteArray("max"),
                flagIf(swapLimited && l.memorySwapExplicit(), "--memory-swap")});
    out.append({{}, QStringLiteral("cpu.max"),
                (l.nanoCpus > 0 ? number(cpuQuotaUs(l.nanoCpus)) : QByteArray("max")) + ' ' + number(kCpuPeriodUs),
                flagIf(l.nanoCpus > 0, "--cpus")});
    out.append({{}, QStringLiteral("cpu.weight"), number(l.cpuShares > 0 ? qint64(cpuWeightFromShares(quint64(l.cpuShares))) : 100),
                flagIf(l.cpuShares > 0, "--cpu-shares")});
    out.append({{}, QStringLiteral("pids.max"), pidsValue(l), pidsFlag(l)});
    return out;
}

quint64 cpuWeightFromShares(quint64 shares)
{
    if (shares == 0)
        return 0;
    if (shares <= 2)
        return 1;
    if (shares >= 262144)
        return 10000;
    const double l = std::log2(double(shares));
    const double exponent = (l * l + 125 * l) / 612.0 - 7.0 / 34.0;
    return quint64(std::ceil(std::pow(10.0, exponent)));
}

QString missingLimitFileMessage(const CgroupWrite &w, bool controllerPresent)
{
    if (w.file.startsWith(QLatin1String("memory.memsw.")) || w.file.startsWith(QLatin1String("memory.swap.")))
        return QStringLiteral("%1: this host's kernel has no swap accounting (%2 is missing)").arg(w.flag, w.file);
    const QString controller = w.controller.isEmpty() ? w.file.section(u'.', 0, 0) : w.controller;
    if (!controllerPresent)
        return QStringLiteral("%1: this host has no %2 controller for containers (%3 is missing)").arg(w.flag, controller, w.file);
    return QStringLiteral("%1: this host's %2 controller has no %3").arg(w.flag, controller, w.file);
}

Status checkLimitsForHost(const ResourceLimits &limits)
{
    PH_CHECK(validateLimits(limits, hostCpuCount()));
    return checkUlimits(limits.ulimits);
}

Status Cgroup::applyLimits(const ResourceLimits &limits) const
{
    // Hybrid hosts keep their controllers on v1; cgroup2 there only tracks.
    const bool v1 = !m_v1Dirs.isEmpty();
    QList<CgroupWrite> writes;
    if (v1) {
        qint64 current = -1;
        if (const QString dir = m_v1Dirs.value(QStringLiteral("memory")); !dir.isEmpty())
            current = cgroupfs::readNumber(dir + QStringLiteral("/memory.limit_in_bytes")).valueOr(-1);
        writes = cgroupV1LimitWrites(limits, current);
    } else {
        writes = cgroupV2LimitWrites(limits);
    }
    for (const CgroupWrite &w : writes) {
        const QString dir = v1 ? m_v1Dirs.value(w.controller) : m_unifiedDir;
        const QString path = dir + u'/' + w.file;
        if (dir.isEmpty() || !cgroupfs::exists(path)) {
            if (w.flag.isEmpty())
                continue;
            // On v2 a controller is there when the parent enabled it for us.
            const QByteArray enabled = cgroupfs::readFile(dir + QStringLiteral("/cgroup.controllers")).valueOr(QByteArray());
            const bool controllerPresent = v1 ? !dir.isEmpty()
                                              : enabled.simplified().split(' ').contains(w.file.section(u'.', 0, 0).toLatin1());
            return Error(ErrorCode::FailedPrecondition, missingLimitFileMessage(w, controllerPresent));
        }
        if (auto st = cgroupfs::writeFile(path, w.value); !st)
            return st.error().context(QStringLiteral("set %1 of cgroup %2").arg(w.flag.isEmpty() ? w.file : w.flag, m_relPath));
    }
    return {};
}

qint64 Cgroup::oomKills() const
{
    const QString memoryDir = m_v1Dirs.value(QStringLiteral("memory"));
    const QString file = !memoryDir.isEmpty() ? memoryDir + QStringLiteral("/memory.oom_control")
                                              : m_unifiedDir + QStringLiteral("/memory.events");
    auto data = cgroupfs::readFile(file);
    return data ? cgroupfs::keyedValue(*data, "oom_kill") : -1;
}

} // namespace porthole::runtime
