#include "container/orphans.h"

#include "runtime/cgroup.h"

#include <QDateTime>

#include <csignal>

namespace porthole::container {

Status killContainerCgroup(const QString &id)
{
    auto cg = runtime::Cgroup::open(runtime::containerCgroupPath(id));
    if (!cg)
        return cg.error().code == ErrorCode::NotFound ? Status() : Status(cg.error());
    PH_CHECK(cg->killAll(SIGKILL));
    return cg->remove();
}

store::ContainerRecord settleOrphan(store::ContainerStore &containers, const store::ContainerRecord &record)
{
    const QString id = record.config.id;
    if (!record.state.isLive() || containers.shimAlive(id))
        return record;
    // Held by a shim from before its start to after its end: got it, no
    // shim is anywhere between the two.
    auto lock = store::FileLock::tryAcquire(containers.shimLockPath(id), store::FileLock::Mode::Exclusive);
    if (!lock)
        return record;
    auto now = containers.load(id);
    if (!now || !now->state.isLive())
        return now ? *now : record;
    store::ContainerState ended = containers.effectiveState(*now);
    if (Status killed = killContainerCgroup(id); !killed) {
        // Keep saying it runs: the processes are still there.
        return *now;
    }
    ended.pid = 0;
    ended.finishedAt = QDateTime::currentDateTimeUtc();
    ended.error = QStringLiteral("the container's supervisor died; what was left of it was stopped");
    if (containers.writeState(id, ended))
        now->state = ended;
    return *now;
}

Result<store::ContainerRecord> resolveContainer(store::ContainerStore &containers, const QString &nameOrId)
{
    PH_TRY(const store::ContainerRecord record, containers.resolve(nameOrId));
    return settleOrphan(containers, record);
}

} // namespace porthole::container
