// Container lifecycle for the Engine: create (resolve the image, merge its
// config with the request as docker does), start (launch the shim), list,
// stop, kill, pause, remove, rename, wait.
#include "service/engine.h"
#include "service/orphans.h"
#include "service/volumename.h"

#include "core/reference.h"
#include "runtime/cgroup.h"
#include "runtime/cgrouplimits.h"
#include "runtime/launcher.h"
#include "runtime/network.h"
#include "runtime/security.h"
#include "store/containerstore.h"
#include "store/fsutil.h"
#include "store/imagestore.h"
#include "store/store.h"

#include <QDir>
#include <QFile>
#include <QProcessEnvironment>
#include <QThread>

#include <cerrno>
#include <csignal>
#include <unistd.h>

namespace porthole::service {

namespace {

// docker's `ps` COMMAND: the command line, each word as is.
QString commandText(const store::ContainerConfig &c)
{
    QStringList words{c.path};
    words += c.args;
    return words.join(u' ');
}

QString ago(const QDateTime &t)
{
    const qint64 s = qMax<qint64>(0, t.secsTo(QDateTime::currentDateTimeUtc()));
    if (s < 1)
        return QStringLiteral("Less than a second");
    if (s < 60)
        return QStringLiteral("%1 second%2").arg(s).arg(s == 1 ? "" : "s");
    if (s < 3600)
        return s < 120 ? QStringLiteral("About a minute") : QStringLiteral("%1 minutes").arg(s / 60);
    if (s < 86400)
        return s < 7200 ? QStringLiteral("About an hour") : QStringLiteral("%1 hours").arg(s / 3600);
    return QStringLiteral("%1 days").arg(s / 86400);
}

ContainerRow rowFor(const store::ContainerStore &containers, const store::ContainerRecord &r)
{
    const store::ContainerState s = containers.effectiveState(r);
    ContainerRow row;
    row.id = r.config.id;
    row.name = r.config.name;
    row.image = r.config.imageName;
    row.command = commandText(r.config);
    row.created = r.config.created;
    row.state = s.status;
    row.exitCode = s.exitCode;
    row.pid = s.pid;
    row.tty = r.config.tty;
    row.openStdin = r.config.openStdin;
    if (s.status == QLatin1String("running"))
        row.status = QStringLiteral("Up ") + ago(s.startedAt);
    else if (s.status == QLatin1String("paused"))
        row.status = QStringLiteral("Up %1 (Paused)").arg(ago(s.startedAt));
    else if (s.status == QLatin1String("exited"))
        row.status = QStringLiteral("Exited (%1) %2 ago").arg(s.exitCode).arg(ago(s.finishedAt));
    else
        row.status = QStringLiteral("Created");
    if (s.isLive()) {
        if (auto ports = runtime::parsePortSpecs(r.config.ports)) {
            for (const runtime::PortMapping &m : *ports)
                row.ports.append(runtime::formatPortMapping(m));
        }
    }
    return row;
}

Result<QStringList> readEnvFile(const QString &path)
{
    auto data = store::readFile(path, 1 << 20);
    if (!data)
        return data.error().context(QStringLiteral("read env file"));
    QStringList out;
    const QProcessEnvironment host = QProcessEnvironment::systemEnvironment();
    for (const QByteArray &raw : data->split('\n')) {
        const QString line = QString::fromUtf8(raw).trimmed();
        if (line.isEmpty() || line.startsWith(u'#'))
            continue;
        if (line.contains(u'='))
            out.append(line);
        else if (host.contains(line))
            out.append(line + u'=' + host.value(line));
    }
    return out;
}

// Later entries replace earlier ones with the same key, as docker merges
// the image's Env with -e.
QStringList mergeEnv(const QStringList &base, const QStringList &overrides)
{
    QStringList out = base;
    for (const QString &e : overrides) {
        const QString key = e.section(u'=', 0, 0);
        out.removeIf([&](const QString &x) { return x.section(u'=', 0, 0) == key; });
        out.append(e);
    }
    return out;
}

Result<store::MountSpec> parseVolume(const QString &root, const QString &spec)
{
    const QStringList parts = spec.split(u':');
    if (parts.size() < 2 || parts.size() > 3 || parts[0].isEmpty() || parts[1].isEmpty())
        return Error(ErrorCode::InvalidArgument,
                     QStringLiteral("invalid volume specification: '%1' (expected SOURCE:DESTINATION[:ro])").arg(spec));
    if (!parts[1].startsWith(u'/'))
        return Error(ErrorCode::InvalidArgument,
                     QStringLiteral("invalid volume specification: '%1': the destination must be an absolute path").arg(spec));
    store::MountSpec m;
    m.destination = QDir::cleanPath(parts[1]);
    if (parts.size() == 3) {
        if (parts[2] != QLatin1String("ro") && parts[2] != QLatin1String("rw"))
            return Error(ErrorCode::InvalidArgument, QStringLiteral("invalid mode: %1").arg(parts[2]));
        m.readOnly = parts[2] == QLatin1String("ro");
    }
    if (parts[0].startsWith(u'/')) {
        m.type = QStringLiteral("bind");
        m.source = QDir::cleanPath(parts[0]);
        if (!QFileInfo::exists(m.source))
            PH_CHECK(store::makeDirs(m.source)); // docker creates a missing bind source
    } else {
        PH_CHECK(checkVolumeName(parts[0]));
        m.type = QStringLiteral("volume");
        m.source = volumeDataDir(root, parts[0]); // made by ContainerStore::create
    }
    return m;
}

} // namespace

QString Engine::attachSocket(const QString &id) const { return store::ContainerStore(*m_store).socketPath(id); }
QString Engine::logPath(const QString &id) const { return store::ContainerStore(*m_store).logPath(id); }

Result<ContainerRow> Engine::createContainer(const CreateRequest &request)
{
    PH_TRY(store::FileLock lock, m_store->useLock());
    store::ImageStore images(*m_store);
    PH_TRY(const store::ResolvedImage found, images.resolve(request.image));
    const ImageConfig &imageConfig = found.image.config;

    store::ContainerConfig c;
    c.name = request.name;
    c.image = found.image.configDigest;
    c.imageManifest = found.image.descriptor.digest;
    c.imageName = request.image;
    QStringList entrypoint = imageConfig.entrypoint();
    QStringList cmd = request.command.isEmpty() ? imageConfig.cmd() : request.command;
    if (request.entrypoint) {
        entrypoint = request.entrypoint->isEmpty() ? QStringList() : QStringList{*request.entrypoint};
        cmd = request.command; // an overridden entrypoint drops the image's CMD, as docker
    }
    const QStringList argv = entrypoint + cmd;
    if (argv.isEmpty())
        return Error(ErrorCode::InvalidArgument, QStringLiteral("No command specified"));
    c.path = argv.first();
    c.args = argv.mid(1);
    QStringList env = request.env;
    for (const QString &file : request.envFiles) {
        PH_TRY(const QStringList fromFile, readEnvFile(file));
        env = fromFile + env;
    }
    const QProcessEnvironment host = QProcessEnvironment::systemEnvironment();
    for (QString &e : env) {
        if (!e.contains(u'='))
            e = host.contains(e) ? e + u'=' + host.value(e) : QString();
    }
    env.removeAll(QString());
    QStringList base = imageConfig.env();
    if (base.isEmpty())
        base = {QStringLiteral("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin")};
    c.env = mergeEnv(base, env);
    if (request.tty && !std::any_of(c.env.begin(), c.env.end(), [](const QString &e) { return e.startsWith(QLatin1String("TERM=")); }))
        c.env.append(QStringLiteral("TERM=xterm"));
    c.workingDir = request.workingDir.isEmpty() ? imageConfig.workingDir() : request.workingDir;
    if (!c.workingDir.isEmpty() && !c.workingDir.startsWith(u'/'))
        return Error(ErrorCode::InvalidArgument,
                     QStringLiteral("the working directory '%1' is invalid, it needs to be an absolute path").arg(c.workingDir));
    c.user = request.user.isEmpty() ? imageConfig.user() : request.user;
    c.hostname = request.hostname;
    c.tty = request.tty;
    c.openStdin = request.interactive;
    c.autoRemove = request.autoRemove;
    c.readOnly = request.readOnly;
    c.init = request.init;
    PH_TRY(const runtime::NetworkMode mode,
           runtime::parseNetworkMode(request.network.isEmpty() ? QStringLiteral("private") : request.network));
    c.networkMode = runtime::networkModeName(mode);
    if (!request.ports.isEmpty()) {
        if (mode != runtime::NetworkMode::Private)
            return Error(ErrorCode::InvalidArgument,
                         QStringLiteral("published ports need the private network; --network %1 cannot publish").arg(c.networkMode));
        PH_TRY(const QList<runtime::PortMapping> parsed, runtime::parsePortSpecs(request.ports));
        PH_TRY(const QList<runtime::PortMapping> assigned, runtime::assignHostPorts(parsed));
        for (const runtime::PortMapping &m : assigned)
            c.ports.append(QStringLiteral("%1:%2:%3/%4").arg(m.hostIp).arg(m.hostPort).arg(m.containerPort).arg(m.proto));
    }
    for (const QString &v : request.volumes) {
        PH_TRY(const store::MountSpec m, parseVolume(m_store->root(), v));
        c.mounts.append(m);
    }
    c.privileged = request.privileged;
    PH_TRY(c.securityOpt, runtime::normalizeSecurityOpts(request.securityOpt));
    for (const QString &d : request.devices) {
        PH_TRY(const store::DeviceMapping m, runtime::parseDeviceMapping(d));
        PH_TRY(const QList<runtime::DeviceNode> nodes, runtime::resolveDeviceMapping(m)); // docker checks it at create too
        (void)nodes;
        c.devices.append(m);
    }
    c.diffIds = imageConfig.diffIds();
    c.stopSignal = imageConfig.stopSignal();
    c.imageConfig = imageConfig.containerConfig();
    PH_CHECK(runtime::checkLimitsForHost(request.limits));
    c.limits = request.limits;

    PH_CHECK(ensureLayersUnpacked(found.image.configDigest.toString()));
    store::ContainerStore containers(*m_store);
    PH_TRY(const store::ContainerRecord record, containers.create(c));
    return rowFor(containers, record);
}

Result<ContainerRow> Engine::startContainer(const QString &nameOrId, bool waitForAttach, int *exitCode)
{
    store::ContainerStore containers(*m_store);
    PH_TRY(const store::ContainerRecord record, resolveContainer(containers, nameOrId));
    const store::ContainerState state = containers.effectiveState(record);
    if (state.isLive())
        return rowFor(containers, record); // docker: starting a running container is a no-op
    PH_CHECK(ensureLayersUnpacked(record.config.image.toString()));
    auto launched = runtime::launchShim(m_store->root(), record.config.id, waitForAttach, exitCode);
    if (!launched)
        return launched.error();
    auto reloaded = containers.load(record.config.id);
    if (!reloaded)
        return rowFor(containers, record); // --rm and already gone
    return rowFor(containers, *reloaded);
}

Result<QList<ContainerRow>> Engine::listContainers(bool all)
{
    store::ContainerStore containers(*m_store);
    PH_TRY(const QList<store::ContainerRecord> records, containers.list());
    QList<ContainerRow> rows;
    for (const store::ContainerRecord &r : records) {
        ContainerRow row = rowFor(containers, settleOrphan(containers, r));
        if (all || row.state == QLatin1String("running") || row.state == QLatin1String("paused"))
            rows.append(row);
    }
    std::sort(rows.begin(), rows.end(), [](const ContainerRow &a, const ContainerRow &b) { return a.created > b.created; });
    return rows;
}

Result<ContainerRow> Engine::container(const QString &nameOrId)
{
    store::ContainerStore containers(*m_store);
    PH_TRY(const store::ContainerRecord record, resolveContainer(containers, nameOrId));
    return rowFor(containers, record);
}

static Result<int> signalNumber(const QString &name)
{
    bool numeric = false;
    const int n = name.toInt(&numeric);
    if (numeric)
        return n > 0 && n < 65 ? Result<int>(n) : Result<int>(Error(ErrorCode::InvalidArgument, QStringLiteral("invalid signal: %1").arg(name)));
    QString upper = name.toUpper();
    if (!upper.startsWith(QLatin1String("SIG")))
        upper.prepend(QLatin1String("SIG"));
    static const QHash<QString, int> signals{
        {QStringLiteral("SIGHUP"), SIGHUP},   {QStringLiteral("SIGINT"), SIGINT},   {QStringLiteral("SIGQUIT"), SIGQUIT},
        {QStringLiteral("SIGKILL"), SIGKILL}, {QStringLiteral("SIGUSR1"), SIGUSR1}, {QStringLiteral("SIGUSR2"), SIGUSR2},
        {QStringLiteral("SIGTERM"), SIGTERM}, {QStringLiteral("SIGCONT"), SIGCONT}, {QStringLiteral("SIGSTOP"), SIGSTOP},
        {QStringLiteral("SIGWINCH"), SIGWINCH}, {QStringLiteral("SIGPIPE"), SIGPIPE}, {QStringLiteral("SIGALRM"), SIGALRM}};
    if (!signals.contains(upper))
        return Error(ErrorCode::InvalidArgument, QStringLiteral("invalid signal: %1").arg(name));
    return signals.value(upper);
}

Status Engine::killContainer(const QString &nameOrId, const QString &signal)
{
    store::ContainerStore containers(*m_store);
    PH_TRY(const store::ContainerRecord record, resolveContainer(containers, nameOrId));
    const store::ContainerState state = containers.effectiveState(record);
    if (!state.isLive())
        return Error(ErrorCode::FailedPrecondition, QStringLiteral("Container %1 is not running").arg(record.config.id));
    PH_TRY(const int sig, signalNumber(signal.isEmpty() ? QStringLiteral("SIGKILL") : signal));
    if (sig == SIGKILL) {
        // Every process in the container, frozen or not.
        if (auto cg = runtime::Cgroup::open(runtime::containerCgroupPath(record.config.id)))
            return cg->killAll(SIGKILL);
    }
    if (::kill(pid_t(state.pid), sig) != 0)
        return Error::fromErrno(QStringLiteral("signal container %1").arg(record.config.name), errno);
    return {};
}

Result<int> Engine::waitContainer(const QString &nameOrId)
{
    store::ContainerStore containers(*m_store);
    PH_TRY(const store::ContainerRecord record, resolveContainer(containers, nameOrId));
    const QString id = record.config.id;
    // The shim holds its lock until it has recorded the exit: wait for it.
    if (containers.shimAlive(id)) {
        auto lock = store::FileLock::acquire(containers.shimLockPath(id), store::FileLock::Mode::Shared);
        (void)lock;
    }
    auto after = containers.load(id);
    if (!after)
        return 0; // removed with --rm as it ended; docker reports 0 too when it cannot tell
    return containers.effectiveState(*after).exitCode;
}

Status Engine::stopContainer(const QString &nameOrId, int timeoutSeconds)
{
    store::ContainerStore containers(*m_store);
    PH_TRY(const store::ContainerRecord record, resolveContainer(containers, nameOrId));
    const store::ContainerState state = containers.effectiveState(record);
    if (!state.isLive())
        return {}; // docker: stopping a stopped container succeeds
    const QString id = record.config.id;
    if (state.status == QLatin1String("paused"))
        PH_CHECK(pauseContainer(id, false));
    const QString stopSignal = record.config.stopSignal.isEmpty() ? QStringLiteral("SIGTERM") : record.config.stopSignal;
    (void)killContainer(id, stopSignal);
    for (int waited = 0; waited < timeoutSeconds * 1000 && containers.shimAlive(id); waited += 20)
        QThread::msleep(20);
    if (containers.shimAlive(id))
        (void)killContainer(id, QStringLiteral("SIGKILL"));
    auto wait = waitContainer(id);
    return wait ? Status() : Status(wait.error());
}

Status Engine::pauseContainer(const QString &nameOrId, bool pause)
{
    store::ContainerStore containers(*m_store);
    PH_TRY(store::ContainerRecord record, resolveContainer(containers, nameOrId));
    const store::ContainerState state = containers.effectiveState(record);
    const QString want = pause ? QStringLiteral("running") : QStringLiteral("paused");
    if (state.status != want)
        return Error(ErrorCode::FailedPrecondition,
                     pause ? QStringLiteral("Container %1 is not running").arg(record.config.id)
                           : QStringLiteral("Container %1 is not paused").arg(record.config.id));
    PH_TRY(const runtime::Cgroup cg, runtime::Cgroup::open(runtime::containerCgroupPath(record.config.id)));
    PH_CHECK(pause ? cg.freeze() : cg.thaw());
    record.state.status = pause ? QStringLiteral("paused") : QStringLiteral("running");
    return containers.writeState(record.config.id, record.state);
}

Status Engine::removeContainer(const QString &nameOrId, bool force)
{
    store::ContainerStore containers(*m_store);
    PH_TRY(const store::ContainerRecord record, resolveContainer(containers, nameOrId));
    const store::ContainerState state = containers.effectiveState(record);
    const bool live = state.isLive();
    if (live && !force)
        return Error(ErrorCode::FailedPrecondition,
                     QStringLiteral("cannot remove container \"/%1\": container is %2: stop the container before removing or force remove")
                         .arg(record.config.name, state.status));
    if (live) {
        if (state.status == QLatin1String("paused"))
            (void)pauseContainer(record.config.id, false);
        // It may end by itself between the look and the kill (a command
        // that exits at once): then there is nothing left to kill.
        if (auto killed = killContainer(record.config.id, QStringLiteral("SIGKILL")); !killed) {
            auto now = containers.load(record.config.id);
            const bool gone = killed.error().sysErrno == ESRCH || !now || !containers.effectiveState(*now).isLive();
            if (!gone)
                return killed.error();
        }
        PH_TRY(const int code, waitContainer(record.config.id));
        (void)code;
    }
    if (!containers.load(record.config.id))
        return {}; // --rm removed it as it ended
    // Nothing may run on an upper dir that is going away, whatever the
    // state file says.
    PH_CHECK(killContainerCgroup(record.config.id));
    return containers.remove(record.config.id);
}

Result<runtime::ExecProcess> Engine::execInContainer(const QString &nameOrId, runtime::ExecSpec spec)
{
    store::ContainerStore containers(*m_store);
    PH_TRY(const store::ContainerRecord record, resolveContainer(containers, nameOrId));
    const store::ContainerState state = containers.effectiveState(record);
    if (state.status == QLatin1String("paused"))
        return Error(ErrorCode::FailedPrecondition,
                     QStringLiteral("Container %1 is paused, unpause the container before exec").arg(record.config.id));
    if (state.status != QLatin1String("running"))
        return Error(ErrorCode::FailedPrecondition, QStringLiteral("Container %1 is not running").arg(record.config.id));
    spec.env = mergeEnv(record.config.env, spec.env);
    if (spec.user.isEmpty())
        spec.user = record.config.user;
    if (spec.workingDir.isEmpty())
        spec.workingDir = record.config.workingDir;
    PH_TRY(spec.security, runtime::processSecurity(record.config, runtime::seccompCacheDir(m_store->root())));
    spec.ulimits = record.config.limits.ulimits;
    return runtime::startExec(pid_t(state.pid), runtime::containerCgroupPath(record.config.id), spec);
}

Status Engine::renameContainer(const QString &nameOrId, const QString &newName)
{
    store::ContainerStore containers(*m_store);
    PH_TRY(const store::ContainerRecord record, resolveContainer(containers, nameOrId));
    return containers.rename(record.config.id, newName.startsWith(u'/') ? newName.mid(1) : newName);
}

} // namespace porthole::service
