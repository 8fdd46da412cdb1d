// The facade's container verbs: each hands its work to container/.
#include "service/engine.h"

#include "container/containers.h"
#include "layer/imagelayers.h"
#include "store/store.h"

namespace porthole::service {

container::Containers Engine::containers() { return container::Containers(*m_store); }

QString Engine::attachSocket(const QString &id) const { return container::Containers(*m_store).attachSocket(id); }
QString Engine::logPath(const QString &id) const { return container::Containers(*m_store).logPath(id); }

Result<ContainerRow> Engine::createContainer(const CreateRequest &request) { return containers().create(request); }

Result<ContainerRow> Engine::startContainer(const QString &nameOrId, bool waitForAttach, int *exitCode)
{
    return containers().start(nameOrId, waitForAttach, exitCode);
}

Result<QList<ContainerRow>> Engine::listContainers(bool all) { return containers().list(all); }
Result<ContainerRow> Engine::container(const QString &nameOrId) { return containers().find(nameOrId); }
Status Engine::stopContainer(const QString &nameOrId, int timeoutSeconds) { return containers().stop(nameOrId, timeoutSeconds); }
Status Engine::killContainer(const QString &nameOrId, const QString &signal) { return containers().kill(nameOrId, signal); }
Status Engine::pauseContainer(const QString &nameOrId, bool pause) { return containers().pause(nameOrId, pause); }
Status Engine::removeContainer(const QString &nameOrId, bool force) { return containers().remove(nameOrId, force); }
Status Engine::renameContainer(const QString &nameOrId, const QString &newName) { return containers().rename(nameOrId, newName); }
Status Engine::updateContainer(const QString &nameOrId, const LimitsUpdate &update) { return containers().update(nameOrId, update); }
Result<int> Engine::waitContainer(const QString &nameOrId) { return containers().wait(nameOrId); }

Result<runtime::ExecProcess> Engine::execInContainer(const QString &nameOrId, runtime::ExecSpec spec)
{
    return containers().exec(nameOrId, std::move(spec));
}

Result<QJsonObject> Engine::inspectContainer(const QString &nameOrId) { return containers().inspect(nameOrId); }
Result<QList<ProcessRow>> Engine::topContainer(const QString &nameOrId) { return containers().top(nameOrId); }
Result<QStringList> Engine::containerPorts(const QString &nameOrId) { return containers().ports(nameOrId); }
Result<ContainerSample> Engine::sampleContainer(const QString &nameOrId) { return containers().sample(nameOrId); }

Result<Digest> Engine::commitContainer(const CommitRequest &request, const CancelToken &cancel)
{
    return containers().commit(request, cancel);
}

Result<QList<ChangeRow>> Engine::diffContainer(const QString &nameOrId) { return containers().diff(nameOrId); }

Result<CopyResult> Engine::copyFromContainer(const CopyRequest &request, const CancelToken &cancel)
{
    return containers().copyFrom(request, cancel);
}

Result<CopyResult> Engine::copyToContainer(const CopyRequest &request, const CancelToken &cancel)
{
    return containers().copyTo(request, cancel);
}

Status Engine::exportContainer(const ExportRequest &request, const CancelToken &cancel)
{
    return containers().exportTo(request, cancel);
}

Status Engine::ensureLayersUnpacked(const QString &nameOrId, const CancelToken &cancel, const ProgressSink &progress)
{
    return layer::ensureImageUnpacked(*m_store, nameOrId, cancel, progress);
}

} // namespace porthole::service
