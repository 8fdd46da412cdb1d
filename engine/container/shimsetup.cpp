#include "container/shimsetup.h"

#include "runtime/security.h"
#include "runtime/trampoline.h"
#include "store/fsutil.h"
#include "store/store.h"

#include <QFile>

#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <unistd.h>

namespace porthole::container {

using namespace runtime;

QString layerContentDir(const store::Store &store, const Digest &chainId)
{
    return store.layerDir(chainId);
}

namespace {

// A short, stable name per layer: 16 hex digits of its chain ID. 125 of them
// with separators stay far below the one-page limit of mount options.
Result<QString> shortLink(const store::Store &store, const QString &linkDir, const Digest &chain)
{
    const QString name = chain.hex().left(16);
    const QString link = linkDir + u'/' + name;
    const QByteArray target = QFile::encodeName(layerContentDir(store, chain));
    if (!store::pathExists(layerContentDir(store, chain)))
        return Error(ErrorCode::NotFound, QStringLiteral("layer %1 is not unpacked").arg(chain.toString()));
    if (::symlink(target.constData(), QFile::encodeName(link).constData()) != 0 && errno != EEXIST)
        return Error::fromErrno(QStringLiteral("link layer %1").arg(chain.shortHex()), errno);
    return name;
}

QByteArray hostsFor(const QString &hostname, NetworkMode mode)
{
    if (mode == NetworkMode::Host) {
        QFile f(QStringLiteral("/etc/hosts"));
        if (f.open(QIODevice::ReadOnly))
            return f.readAll();
    }
    QByteArray hosts = "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n";
    hosts += mode == NetworkMode::Private ? "10.0.2.100\t" : "127.0.1.1\t";
    return hosts + hostname.toUtf8() + '\n';
}

} // namespace

Result<LowerLayers> linkLowerLayers(const store::Store &store, const QList<Digest> &diffIds)
{
    LowerLayers out;
    out.linkDir = store.root() + QStringLiteral("/l");
    PH_CHECK(store::makeDirs(out.linkDir, 0700));
    QList<Digest> diffs;
    for (const Digest &d : diffIds) {
        diffs.append(d);
        PH_TRY(const QString name, shortLink(store, out.linkDir, store::chainId(diffs)));
        out.names.prepend(name); // overlay lists the topmost first
    }
    if (out.names.isEmpty()) {
        PH_CHECK(store::makeDirs(out.linkDir + QStringLiteral("/empty"), 0755));
        out.names = {QStringLiteral("empty")};
    }
    return out;
}

namespace {

// The shim lock, held for the container's whole run; and never a second set
// of processes on the same upper dir (container/orphans.h kills what a dead
// shim left when it can).
Status lockForStart(PreparedContainer &p, store::ContainerStore &containers, const QString &id)
{
    auto lock = store::FileLock::tryAcquire(containers.shimLockPath(id), store::FileLock::Mode::Exclusive);
    if (!lock)
        return Error(ErrorCode::FailedPrecondition, QStringLiteral("container %1 is already running").arg(p.record.config.name));
    p.shimLock = std::move(*lock);
    if (auto old = Cgroup::open(containerCgroupPath(id))) {
        auto pids = old->processes();
        if (pids && !pids->isEmpty())
            return Error(ErrorCode::FailedPrecondition,
                         QStringLiteral("container %1 still has processes from its last run (%2 of them; its supervisor "
                                        "died): remove it with rm -f").arg(p.record.config.name).arg(pids->size()));
    }
    return {};
}

// /etc/hostname, /etc/hosts and /etc/resolv.conf as this start makes them:
// written anew every time, atomic, not synced (see Durability).
Status writeEtcFiles(RuntimeSpec &s, const QString &dir, NetworkMode mode)
{
    s.hostnameFile = dir + QStringLiteral("/hostname");
    s.hostsFile = dir + QStringLiteral("/hosts");
    s.resolvConfFile = dir + QStringLiteral("/resolv.conf");
    constexpr auto fast = store::Durability::AtomicOnly;
    PH_CHECK(store::writeFileAtomic(s.hostnameFile, s.hostname.toUtf8() + '\n', 0644, fast));
    PH_CHECK(store::writeFileAtomic(s.hostsFile, hostsFor(s.hostname, mode), 0644, fast));
    QByteArray hostResolv;
    if (auto r = store::readFile(QStringLiteral("/etc/resolv.conf"), 1 << 20))
        hostResolv = *r;
    return store::writeFileAtomic(s.resolvConfFile, resolvConfFor(mode, hostResolv), 0644, fast);
}

// The API socket slirp4netns listens on for port forwards.
Result<QString> networkApiSocket(const QString &dir)
{
    const QString path = dir + QStringLiteral("/slirp.sock");
    if (QFile::encodeName(path).size() <= 107)
        return path;
    // Too long for sun_path (a deep store root): name the directory through
    // a descriptor of this shim, which both it and its child slirp4netns can
    // resolve. The shim serves one container, so the descriptor stays open
    // until the shim exits.
    const int dirFd = ::open(QFile::encodeName(dir).constData(), O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (dirFd < 0)
        return Error::fromErrno(QStringLiteral("open container directory %1").arg(dir), errno);
    return QStringLiteral("/proc/%1/fd/%2/slirp.sock").arg(::getpid()).arg(dirFd);
}

} // namespace

Status convertToRuntimeSpec(PreparedContainer &p, const store::Store &store, const store::ContainerStore &containers)
{
    const store::ContainerConfig &c = p.record.config;
    RuntimeSpec &s = p.spec;
    s.id = c.id;
    s.rootfs = containers.rootfsDir(c.id);
    s.upperDir = containers.upperDir(c.id);
    s.workDir = containers.workDir(c.id);
    PH_TRY(const LowerLayers lowers, linkLowerLayers(store, c.diffIds));
    s.layerLinkDir = lowers.linkDir;
    s.lowerNames = lowers.names;
    PH_TRY(const NetworkMode mode, parseNetworkMode(c.networkMode.isEmpty() ? QStringLiteral("private") : c.networkMode));
    s.newNetworkNamespace = mode != NetworkMode::Host;
    s.hostname = c.hostname.isEmpty() ? c.id.left(12) : c.hostname;
    PH_CHECK(writeEtcFiles(s, containers.dir(c.id), mode));
    for (const store::MountSpec &m : c.mounts)
        s.binds.append({m.source, m.destination, m.readOnly});
    s.path = c.path;
    s.args = c.args;
    s.env = c.env;
    s.workingDir = c.workingDir;
    s.user = c.user;
    s.tty = c.tty;
    s.readOnly = c.readOnly;
    s.init = c.init;
    s.volatileUpper = c.autoRemove;
    PH_TRY(s.security, processSecurity(c, seccompCacheDir(store.root())));
    s.confineSystemPaths = confinesSystemPaths(c);
    PH_TRY(const DeviceSetup devices, deviceSetup(c));
    s.devices = devices.nodes;
    p.deviceRules = devices.rules;
    PH_TRY(s.trampolineFd, trampolineFd());
    s.limits = c.limits;
    if (mode == NetworkMode::Private) {
        PH_TRY(p.ports, parsePortSpecs(c.ports));
        PH_TRY(p.networkApiSocket, networkApiSocket(containers.dir(c.id)));
    }
    return {};
}

Result<PreparedContainer> prepareContainer(store::Store &store, store::ContainerStore &containers, const QString &id)
{
    PreparedContainer p;
    PH_TRY(p.record, containers.load(id));
    PH_CHECK(lockForStart(p, containers, id));
    PH_CHECK(convertToRuntimeSpec(p, store, containers));
    return p;
}

Status attachToCgroupAndNetwork(PreparedContainer &p, pid_t child)
{
    auto cg = Cgroup::create(runtime::containerCgroupPath(p.spec.id));
    if (!cg)
        return cg.error().context(QStringLiteral("create the container's cgroup"));
    p.cgroup = std::move(*cg);
    PH_CHECK(p.cgroup->applyLimits(p.spec.limits)); // before the child is in it: limited from its first step
    PH_CHECK(applyDeviceRules(*p.cgroup, p.deviceRules));
    PH_CHECK(p.cgroup->addProcess(child));
    if (!p.networkApiSocket.isEmpty()) {
        auto net = SlirpNetwork::start(child, p.ports, p.networkApiSocket);
        if (!net)
            return net.error().context(QStringLiteral("start the container's network"));
        p.network.emplace(std::move(*net));
    }
    return {};
}

void releaseContainer(PreparedContainer &p)
{
    if (p.network)
        (void)p.network->stop();
    if (p.cgroup) {
        (void)p.cgroup->killAll(SIGKILL);
        (void)p.cgroup->remove();
    }
}

} // namespace porthole::container
