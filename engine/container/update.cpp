// `update`: new resource limits for a container, as docker's update: a live
// container's cgroup changes at once, then its record; a stopped one gets
// the new record, which its next start applies.
#include "container/containers.h"

#include "runtime/cgroup.h"
#include "store/containerstore.h"
#include "store/store.h"

namespace porthole::container {

Status Containers::update(const QString &nameOrId, const LimitsUpdate &update)
{
    store::ContainerStore containers(*m_store);
    PH_TRY(const store::ContainerRecord record, containers.resolve(nameOrId));
    const QString id = record.config.id;
    auto cannot = [&](const Error &e) {
        return Error(e.code, QStringLiteral("Cannot update container %1: %2").arg(id, e.message));
    };
    auto limits = updatedLimits(record.config.limits, update, hostCpuCount());
    if (!limits)
        return cannot(limits.error());
    if (containers.effectiveState(record).isLive()) {
        auto cgroup = runtime::Cgroup::open(runtime::containerCgroupPath(id));
        if (!cgroup)
            return cannot(cgroup.error());
        // The cgroup first: a value the kernel refuses (memory below what
        // the container uses) leaves the record as it was.
        if (auto st = cgroup->applyLimits(*limits); !st) {
            (void)cgroup->applyLimits(record.config.limits);
            return cannot(st.error());
        }
    }
    if (auto st = containers.setLimits(id, *limits); !st)
        return cannot(st.error());
    return {};
}

} // namespace porthole::container
