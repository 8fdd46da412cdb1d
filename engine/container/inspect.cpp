// inspect, top and port for containers: what docker shows about one.
#include "container/containers.h"
#include "container/orphans.h"

#include "runtime/cgroup.h"
#include "runtime/network.h"
#include "runtime/security.h"
#include "store/containerstore.h"
#include "store/store.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>

#include <unistd.h>

namespace porthole::container {

namespace {

QJsonArray strings(const QStringList &list)
{
    QJsonArray a;
    for (const QString &s : list)
        a.append(s);
    return a;
}

QString timeText(const QDateTime &t)
{
    return t.isValid() ? t.toUTC().toString(Qt::ISODateWithMs) : QStringLiteral("0001-01-01T00:00:00Z");
}

QJsonObject portBindings(const store::ContainerConfig &c)
{
    QJsonObject bindings;
    if (auto ports = runtime::parsePortSpecs(c.ports)) {
        for (const runtime::PortMapping &m : *ports) {
            const QString key = QStringLiteral("%1/%2").arg(m.containerPort).arg(m.proto);
            QJsonArray list = bindings.value(key).toArray();
            list.append(QJsonObject{{QStringLiteral("HostIp"), m.hostIp}, {QStringLiteral("HostPort"), QString::number(m.hostPort)}});
            bindings.insert(key, list);
        }
    }
    return bindings;
}

// docker's HostConfig resource fields: MemorySwap as docker records it
// (twice Memory unless given), PidsLimit null when unlimited.
QJsonObject withResources(QJsonObject hostConfig, const ResourceLimits &limits)
{
    const QJsonObject fields = limits.toJson();
    for (auto it = fields.begin(); it != fields.end(); ++it)
        hostConfig.insert(it.key(), it.value());
    hostConfig.insert(QStringLiteral("MemorySwap"), double(limits.effectiveMemorySwap()));
    hostConfig.insert(QStringLiteral("PidsLimit"),
                      limits.pidsLimit > 0 ? QJsonValue(double(limits.pidsLimit)) : QJsonValue(QJsonValue::Null));
    return hostConfig;
}

// A live container's OOM kills so far; a stopped one's were recorded at its end.
bool oomKilled(const store::ContainerState &s, const QString &id)
{
    if (!s.isLive())
        return s.oomKilled;
    auto cgroup = runtime::Cgroup::open(runtime::containerCgroupPath(id));
    return cgroup && cgroup->oomKills() > 0;
}

// docker's State.
QJsonObject stateObject(const store::ContainerState &s, const QString &id)
{
    const bool running = s.isLive();
    return QJsonObject{{QStringLiteral("Status"), s.status},
                       {QStringLiteral("Running"), running},
                       {QStringLiteral("Paused"), s.status == QLatin1String("paused")},
                       {QStringLiteral("Restarting"), false},
                       {QStringLiteral("OOMKilled"), oomKilled(s, id)},
                       {QStringLiteral("Dead"), false},
                       {QStringLiteral("Pid"), running ? double(s.pid) : 0.0},
                       {QStringLiteral("ExitCode"), s.exitCode},
                       {QStringLiteral("Error"), s.error},
                       {QStringLiteral("StartedAt"), timeText(s.startedAt)},
                       {QStringLiteral("FinishedAt"), timeText(s.finishedAt)}};
}

// docker's Config: the image's, with what the container changed.
QJsonObject configObject(const store::ContainerConfig &c)
{
    QJsonObject config = c.imageConfig;
    config.insert(QStringLiteral("Hostname"), c.hostname.isEmpty() ? c.id.left(12) : c.hostname);
    config.insert(QStringLiteral("User"), c.user);
    config.insert(QStringLiteral("Tty"), c.tty);
    config.insert(QStringLiteral("OpenStdin"), c.openStdin);
    config.insert(QStringLiteral("Env"), strings(c.env));
    config.insert(QStringLiteral("Cmd"), strings(QStringList{c.path} + c.args));
    config.insert(QStringLiteral("Image"), c.imageName);
    config.insert(QStringLiteral("WorkingDir"), c.workingDir);
    if (!c.stopSignal.isEmpty())
        config.insert(QStringLiteral("StopSignal"), c.stopSignal); // docker's omitempty
    return config;
}

// docker's Mounts and HostConfig (with Binds in their -v form).
void addMountsAndHostConfig(QJsonObject &o, const store::ContainerConfig &c)
{
    QJsonArray mounts;
    QStringList binds;
    for (const store::MountSpec &m : c.mounts) {
        mounts.append(QJsonObject{{QStringLiteral("Type"), m.type},
                                  {QStringLiteral("Source"), m.source},
                                  {QStringLiteral("Destination"), m.destination},
                                  {QStringLiteral("Mode"), m.readOnly ? QStringLiteral("ro") : QString()},
                                  {QStringLiteral("RW"), !m.readOnly}});
        binds.append(m.source + u':' + m.destination + (m.readOnly ? QStringLiteral(":ro") : QString()));
    }
    QJsonObject hostConfig{{QStringLiteral("Binds"), strings(binds)},
                           {QStringLiteral("NetworkMode"), c.networkMode},
                           {QStringLiteral("PortBindings"), portBindings(c)},
                           {QStringLiteral("AutoRemove"), c.autoRemove},
                           {QStringLiteral("ReadonlyRootfs"), c.readOnly},
                           {QStringLiteral("Init"), c.init}};
    const QJsonObject security = runtime::securityInspect(c);
    for (auto it = security.begin(); it != security.end(); ++it)
        hostConfig.insert(it.key(), it.value());
    o.insert(QStringLiteral("HostConfig"), withResources(hostConfig, c.limits));
    o.insert(QStringLiteral("Mounts"), mounts);
}

// docker's GraphDriver: the overlay's directories.
QJsonObject graphDriver(const store::Store &store, const store::ContainerStore &containers, const store::ContainerConfig &c)
{
    QStringList lowers;
    QList<Digest> diffs;
    for (const Digest &d : c.diffIds) {
        diffs.append(d);
        lowers.prepend(store.layerDir(store::chainId(diffs)));
    }
    return QJsonObject{{QStringLiteral("Name"), QStringLiteral("overlay")},
                       {QStringLiteral("Data"),
                        QJsonObject{{QStringLiteral("LowerDir"), lowers.join(u':')},
                                    {QStringLiteral("UpperDir"), containers.upperDir(c.id)},
                                    {QStringLiteral("WorkDir"), containers.workDir(c.id)},
                                    {QStringLiteral("MergedDir"), containers.rootfsDir(c.id)}}}};
}

// A running (or paused) container, its state and its cgroup: what stats
// and top read.
struct LiveContainer {
    store::ContainerRecord record;
    store::ContainerState state;
    runtime::Cgroup cgroup;
};

Result<LiveContainer> liveContainer(store::Store &store, const QString &nameOrId)
{
    store::ContainerStore containers(store);
    PH_TRY(store::ContainerRecord record, resolveContainer(containers, nameOrId));
    store::ContainerState state = containers.effectiveState(record);
    if (!state.isLive())
        return Error(ErrorCode::FailedPrecondition, QStringLiteral("Container %1 is not running").arg(record.config.id));
    PH_TRY(runtime::Cgroup cgroup, runtime::Cgroup::open(runtime::containerCgroupPath(record.config.id)));
    return LiveContainer{std::move(record), std::move(state), std::move(cgroup)};
}

} // namespace

Result<QJsonObject> Containers::inspect(const QString &nameOrId)
{
    store::ContainerStore containers(*m_store);
    PH_TRY(const store::ContainerRecord record, resolveContainer(containers, nameOrId));
    const store::ContainerConfig &c = record.config;
    const store::ContainerState s = containers.effectiveState(record);
    const QString dir = containers.dir(c.id);

    QJsonObject o;
    o.insert(QStringLiteral("Id"), c.id);
    o.insert(QStringLiteral("Created"), timeText(c.created));
    o.insert(QStringLiteral("Path"), c.path);
    o.insert(QStringLiteral("Args"), strings(c.args));
    o.insert(QStringLiteral("State"), stateObject(s, c.id));
    o.insert(QStringLiteral("Image"), c.image.toString());
    o.insert(QStringLiteral("ResolvConfPath"), dir + QStringLiteral("/resolv.conf"));
    o.insert(QStringLiteral("HostnamePath"), dir + QStringLiteral("/hostname"));
    o.insert(QStringLiteral("HostsPath"), dir + QStringLiteral("/hosts"));
    o.insert(QStringLiteral("LogPath"), containers.logPath(c.id));
    o.insert(QStringLiteral("Name"), u'/' + c.name);
    o.insert(QStringLiteral("RestartCount"), 0);
    o.insert(QStringLiteral("Driver"), QStringLiteral("overlay"));
    o.insert(QStringLiteral("Platform"), QStringLiteral("linux"));
    addMountsAndHostConfig(o, c);
    o.insert(QStringLiteral("GraphDriver"), graphDriver(*m_store, containers, c));
    o.insert(QStringLiteral("Config"), configObject(c));
    o.insert(QStringLiteral("NetworkSettings"), QJsonObject{{QStringLiteral("Ports"), s.isLive() ? portBindings(c) : QJsonObject()}});
    return o;
}

Result<QStringList> Containers::ports(const QString &nameOrId)
{
    store::ContainerStore containers(*m_store);
    PH_TRY(const store::ContainerRecord record, resolveContainer(containers, nameOrId));
    PH_TRY(const QList<runtime::PortMapping> ports, runtime::parsePortSpecs(record.config.ports));
    QStringList out;
    for (const runtime::PortMapping &m : ports)
        out.append(QStringLiteral("%1/%2 -> %3:%4").arg(m.containerPort).arg(m.proto, m.hostIp).arg(m.hostPort));
    return out;
}

Result<ContainerSample> Containers::sample(const QString &nameOrId)
{
    PH_TRY(const LiveContainer live, liveContainer(*m_store, nameOrId));
    const store::ContainerRecord &record = live.record;
    const store::ContainerState &s = live.state;
    const runtime::Cgroup &cg = live.cgroup;
    PH_TRY(const runtime::CgroupStats stats, cg.stats());
    ContainerSample sample;
    sample.id = record.config.id;
    sample.name = record.config.name;
    sample.cpuNanos = qMax<qint64>(0, stats.cpuNanos);
    sample.memoryBytes = qMax<qint64>(0, stats.memoryBytes);
    sample.memoryLimit = stats.memoryLimit;
    sample.pids = qMax<qint64>(0, stats.pids);
    sample.takenAtNs = QDateTime::currentMSecsSinceEpoch() * 1000000;
    // The container's own network namespace, seen through its PID 1.
    QFile dev(QStringLiteral("/proc/%1/net/dev").arg(s.pid));
    if (dev.open(QIODevice::ReadOnly)) {
        for (const QByteArray &line : dev.readAll().split('\n')) {
            const qsizetype colon = line.indexOf(':');
            if (colon < 0 || line.left(colon).trimmed() == "lo")
                continue;
            const QList<QByteArray> f = line.mid(colon + 1).simplified().split(' ');
            if (f.size() >= 9) {
                sample.netRx += f[0].toLongLong();
                sample.netTx += f[8].toLongLong();
            }
        }
    }
    return sample;
}

Result<QList<ProcessRow>> Containers::top(const QString &nameOrId)
{
    PH_TRY(const LiveContainer live, liveContainer(*m_store, nameOrId));
    PH_TRY(QList<pid_t> pids, live.cgroup.processes());
    std::sort(pids.begin(), pids.end());
    const long ticks = ::sysconf(_SC_CLK_TCK);
    QList<ProcessRow> rows;
    for (pid_t pid : pids) {
        const QString proc = QStringLiteral("/proc/%1/").arg(pid);
        QFile statFile(proc + QStringLiteral("stat"));
        if (!statFile.open(QIODevice::ReadOnly))
            continue; // it ended meanwhile
        const QByteArray stat = statFile.readAll();
        // The fields after the command name, which may hold spaces and parentheses.
        const QList<QByteArray> f = stat.mid(stat.lastIndexOf(')') + 2).split(' ');
        QFile cmdFile(proc + QStringLiteral("cmdline"));
        QByteArray cmd = cmdFile.open(QIODevice::ReadOnly) ? cmdFile.readAll() : QByteArray();
        cmd.replace('\0', ' ');
        ProcessRow row;
        row.pid = pid;
        row.ppid = f.value(1).toLongLong();
        row.uid = QFileInfo(proc).ownerId();
        const qint64 cpuSeconds = (f.value(11).toLongLong() + f.value(12).toLongLong()) / qMax(1L, ticks);
        row.time = QStringLiteral("%1:%2:%3").arg(cpuSeconds / 3600, 2, 10, QLatin1Char('0'))
                       .arg(cpuSeconds / 60 % 60, 2, 10, QLatin1Char('0')).arg(cpuSeconds % 60, 2, 10, QLatin1Char('0'));
        row.command = QString::fromUtf8(cmd.trimmed());
        rows.append(row);
    }
    return rows;
}

} // namespace porthole::container
