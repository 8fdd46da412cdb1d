// Containers: the home of the container's life. create (the request merged
// with its image as docker merges them), start (the shim, container/shim.h),
// stop, kill, pause, wait, rm, rename, update, exec; inspect, top, stats;
// commit and diff of its writable layer; cp and export of its files.
// Names and ID prefixes resolve as docker's, and every verb that names a
// container first settles it if its shim died (container/orphans.h).
//
// A view over a store, cheap to make; blocking, the caller's thread, one
// thread at a time per object (several, in any processes, may share a
// store: the records' locks order them). service::Engine is its facade.
#pragma once

#include "container/requests.h"
#include "container/rows.h"
#include "core/cancel.h"
#include "core/digest.h"
#include "core/resourcelimits.h"
#include "core/result.h"
#include "runtime/exec.h"

#include <QJsonObject>

namespace porthole::store {
class Store;
}

namespace porthole::container {

class Containers {
public:
    explicit Containers(store::Store &store) : m_store(&store) {}

    // Lifecycle (lifecycle.cpp, create.cpp).
    Result<ContainerRow> create(const CreateRequest &request);
    // Starts the container's shim; with waitForAttach the command waits for
    // the first attach client. exitCode gets docker's code on failure.
    Result<ContainerRow> start(const QString &nameOrId, bool waitForAttach = false, int *exitCode = nullptr);
    Result<QList<ContainerRow>> list(bool all);
    Result<ContainerRow> find(const QString &nameOrId);
    Status stop(const QString &nameOrId, int timeoutSeconds);
    Status kill(const QString &nameOrId, const QString &signal);
    Status pause(const QString &nameOrId, bool pause);
    Status remove(const QString &nameOrId, bool force);
    Status rename(const QString &nameOrId, const QString &newName);
    // Blocks until the container is not running; returns its exit code.
    Result<int> wait(const QString &nameOrId);
    // `update`: a running container's cgroup at once, then its record; a
    // stopped one's record only (update.cpp).
    Status update(const QString &nameOrId, const LimitsUpdate &update);
    // Starts a process in a running container (runtime/exec.h); the caller
    // waits for the returned helper pid and owns the pty master, if any.
    Result<runtime::ExecProcess> exec(const QString &nameOrId, runtime::ExecSpec spec);
    QString attachSocket(const QString &id) const;
    QString logPath(const QString &id) const;

    // Looking at it (inspect.cpp).
    Result<QJsonObject> inspect(const QString &nameOrId);
    Result<QList<ProcessRow>> top(const QString &nameOrId);
    Result<QStringList> ports(const QString &nameOrId);
    Result<ContainerSample> sample(const QString &nameOrId);

    // Its writable layer (commit.cpp): a new image, or docker's A/C/D list.
    Result<Digest> commit(const CommitRequest &request, const CancelToken &cancel = CancelToken::none());
    Result<QList<ChangeRow>> diff(const QString &nameOrId);
    // The live diff with bytes and the size the next commit's tar would
    // have (changes.cpp): reads only the upper dir and the lower entries the
    // diff looks up, cheap enough to repeat while a shell works.
    Result<ContainerChanges> changes(const QString &nameOrId);

    // Its files (copy.cpp): docker cp, both directions, running or stopped
    // containers, every container path resolved inside the container
    // (container/containerfs.h); docker export, the flattened filesystem
    // (image layers and changes, no mounts) as a tar.
    Result<CopyResult> copyFrom(const CopyRequest &request, const CancelToken &cancel = CancelToken::none());
    Result<CopyResult> copyTo(const CopyRequest &request, const CancelToken &cancel = CancelToken::none());
    Status exportTo(const ExportRequest &request, const CancelToken &cancel = CancelToken::none());

private:
    store::Store *m_store; // not owned
};

} // namespace porthole::container
