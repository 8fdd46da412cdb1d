// The container's life after create: start (launch the shim), list, stop,
// kill, pause, remove, rename, wait, and exec into it.
#include "container/containers.h"

#include "container/launcher.h"
#include "container/orphans.h"
#include "container/rowfor.h"
#include "container/signalname.h"
#include "layer/imagelayers.h"
#include "runtime/cgroup.h"
#include "runtime/security.h"
#include "store/containerstore.h"
#include "store/store.h"

#include <QThread>

#include <cerrno>
#include <csignal>
#include <unistd.h>

namespace porthole::container {

QString Containers::attachSocket(const QString &id) const { return store::ContainerStore(*m_store).socketPath(id); }
QString Containers::logPath(const QString &id) const { return store::ContainerStore(*m_store).logPath(id); }

Result<ContainerRow> Containers::start(const QString &nameOrId, bool waitForAttach, int *exitCode)
{
    store::ContainerStore containers(*m_store);
    PH_TRY(const store::ContainerRecord record, resolveContainer(containers, nameOrId));
    const store::ContainerState state = containers.effectiveState(record);
    if (state.isLive())
        return rowFor(containers, record); // docker: starting a running container is a no-op
    PH_CHECK(layer::ensureImageUnpacked(*m_store, record.config.image.toString()));
    auto launched = launchShim(m_store->root(), record.config.id, waitForAttach, exitCode);
    if (!launched)
        return launched.error();
    auto reloaded = containers.load(record.config.id);
    if (!reloaded)
        return rowFor(containers, record); // --rm and already gone
    return rowFor(containers, *reloaded);
}

Result<QList<ContainerRow>> Containers::list(bool all)
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

Result<ContainerRow> Containers::find(const QString &nameOrId)
{
    store::ContainerStore containers(*m_store);
    PH_TRY(const store::ContainerRecord record, resolveContainer(containers, nameOrId));
    return rowFor(containers, record);
}

Status Containers::kill(const QString &nameOrId, const QString &signal)
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

Result<int> Containers::wait(const QString &nameOrId)
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

Status Containers::stop(const QString &nameOrId, int timeoutSeconds)
{
    store::ContainerStore containers(*m_store);
    PH_TRY(const store::ContainerRecord record, resolveContainer(containers, nameOrId));
    const store::ContainerState state = containers.effectiveState(record);
    if (!state.isLive())
        return {}; // docker: stopping a stopped container succeeds
    const QString id = record.config.id;
    if (state.status == QLatin1String("paused"))
        PH_CHECK(pause(id, false));
    const QString stopSignal = record.config.stopSignal.isEmpty() ? QStringLiteral("SIGTERM") : record.config.stopSignal;
    (void)kill(id, stopSignal);
    for (int waited = 0; waited < timeoutSeconds * 1000 && containers.shimAlive(id); waited += 20)
        QThread::msleep(20);
    if (containers.shimAlive(id))
        (void)kill(id, QStringLiteral("SIGKILL"));
    auto waited = wait(id);
    return waited ? Status() : Status(waited.error());
}

Status Containers::pause(const QString &nameOrId, bool pause)
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

Status Containers::remove(const QString &nameOrId, bool force)
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
            (void)pause(record.config.id, false);
        // It may end by itself between the look and the kill (a command
        // that exits at once): then there is nothing left to kill.
        if (auto killed = kill(record.config.id, QStringLiteral("SIGKILL")); !killed) {
            auto now = containers.load(record.config.id);
            const bool gone = killed.error().sysErrno == ESRCH || !now || !containers.effectiveState(*now).isLive();
            if (!gone)
                return killed.error();
        }
        PH_TRY(const int code, wait(record.config.id));
        (void)code;
    }
    if (!containers.load(record.config.id))
        return {}; // --rm removed it as it ended
    // Nothing may run on an upper dir that is going away, whatever the
    // state file says.
    PH_CHECK(killContainerCgroup(record.config.id));
    return containers.remove(record.config.id);
}

Result<runtime::ExecProcess> Containers::exec(const QString &nameOrId, runtime::ExecSpec spec)
{
    store::ContainerStore containers(*m_store);
    PH_TRY(const store::ContainerRecord record, resolveContainer(containers, nameOrId));
    const store::ContainerState state = containers.effectiveState(record);
    if (state.status == QLatin1String("paused"))
        return Error(ErrorCode::FailedPrecondition,
                     QStringLiteral("Container %1 is paused, unpause the container before exec").arg(record.config.id));
    if (state.status != QLatin1String("running"))
        return Error(ErrorCode::FailedPrecondition, QStringLiteral("Container %1 is not running").arg(record.config.id));
    spec.env = mergeEnvironment(record.config.env, spec.env);
    if (spec.user.isEmpty())
        spec.user = record.config.user;
    if (spec.workingDir.isEmpty())
        spec.workingDir = record.config.workingDir;
    PH_TRY(spec.security, runtime::processSecurity(record.config, runtime::seccompCacheDir(m_store->root())));
    spec.ulimits = record.config.limits.ulimits;
    return runtime::startExec(pid_t(state.pid), runtime::containerCgroupPath(record.config.id), spec);
}

Status Containers::rename(const QString &nameOrId, const QString &newName)
{
    store::ContainerStore containers(*m_store);
    PH_TRY(const store::ContainerRecord record, resolveContainer(containers, nameOrId));
    return containers.rename(record.config.id, newName.startsWith(u'/') ? newName.mid(1) : newName);
}

} // namespace porthole::container
