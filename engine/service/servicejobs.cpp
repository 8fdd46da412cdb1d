// EngineService's jobs that change something: images in and out, and the
// container actions. The queries are in servicequeries.cpp.
#include "service/engineservice.h"

#include "core/reference.h"
#include "layer/layerindex.h"
#include "service/clicommand.h"
#include "service/jobrunner.h"

#include <QDir>
#include <QFileInfo>

#include <atomic>

namespace porthole::service {

TypedJob<PullOutcome> *EngineService::pull(const PullRequest &request)
{
    return start<PullOutcome>(tr("Pull %1").arg(request.reference), cliCommand(request),
                              [request](Engine &e, const CancelToken &cancel, const ProgressSink &progress) {
                                  return e.pullImage(request, cancel, progress);
                              });
}

TypedJob<PushOutcome> *EngineService::push(const PushRequest &request)
{
    return start<PushOutcome>(tr("Push %1").arg(request.reference), cliCommand(request),
                              [request](Engine &e, const CancelToken &cancel, const ProgressSink &progress) {
                                  return e.pushImage(request, cancel, progress);
                              });
}

TypedJob<void> *EngineService::tag(const QString &source, const QString &target)
{
    return start<void>(tr("Tag %1 as %2").arg(source, target), tagCommand(source, target),
                       [source, target](Engine &e, const CancelToken &, const ProgressSink &) { return e.tagImage(source, target); });
}

TypedJob<QList<RemoveEvent>> *EngineService::removeImage(const QString &image, bool force)
{
    return start<QList<RemoveEvent>>(tr("Remove image %1").arg(image), removeImageCommand(image, force),
                                     [image, force](Engine &e, const CancelToken &, const ProgressSink &) { return e.removeImage(image, force); });
}

TypedJob<ImportResult> *EngineService::importImage(const ImportRequest &request)
{
    return start<ImportResult>(tr("Import %1").arg(request.sourcePath), cliCommand(request),
                               [request](Engine &e, const CancelToken &cancel, const ProgressSink &progress) {
                                   return e.importImage(request, cancel, progress);
                               });
}

TypedJob<Digest> *EngineService::commit(const CommitRequest &request)
{
    return start<Digest>(tr("Commit %1").arg(request.container), cliCommand(request),
                         [request](Engine &e, const CancelToken &cancel, const ProgressSink &) { return e.commitContainer(request, cancel); });
}

TypedJob<ContainerRow> *EngineService::run(const CreateRequest &request)
{
    return start<ContainerRow>(tr("Run %1").arg(request.image), cliCommand(request),
                               [request](Engine &e, const CancelToken &cancel, const ProgressSink &progress) -> Result<ContainerRow> {
                                   PH_CHECK(e.ensureLayersUnpacked(request.image, cancel, progress));
                                   PH_TRY(const ContainerRow created, e.createContainer(request));
                                   return e.startContainer(created.id);
                               });
}

TypedJob<SaveOutcome> *EngineService::save(const SaveRequest &request)
{
    return start<SaveOutcome>(tr("Save %1").arg(request.images.join(QStringLiteral(", "))), cliCommand(request),
                              [request](Engine &e, const CancelToken &cancel, const ProgressSink &progress) {
                                  return e.saveImages(request, cancel, progress);
                              });
}

TypedJob<QStringList> *EngineService::load(const LoadRequest &request)
{
    return start<QStringList>(tr("Load %1").arg(request.sourcePath), loadCommand(request.sourcePath),
                              [request](Engine &e, const CancelToken &cancel, const ProgressSink &progress) -> Result<QStringList> {
                                  PH_TRY(const LoadOutcome outcome, e.loadImages(request, cancel, progress));
                                  QStringList names;
                                  for (const LoadedImageRow &image : outcome.images) {
                                      if (image.refNames.isEmpty())
                                          names << image.id.toString();
                                      for (const QString &name : image.refNames)
                                          names << Reference::parse(name).valueOr(Reference()).familiarString();
                                  }
                                  return names;
                              });
}

TypedJob<void> *EngineService::exportContainer(const ExportRequest &request)
{
    return start<void>(tr("Export %1").arg(request.container), cliCommand(request),
                       [request](Engine &e, const CancelToken &cancel, const ProgressSink &) { return e.exportContainer(request, cancel); });
}

TypedJob<void> *EngineService::login(const LoginRequest &request)
{
    const QString &registry = request.registry;
    const bool insecure = request.insecureRegistries.contains(registry);
    return start<void>(tr("Log in to %1").arg(registry.isEmpty() ? QStringLiteral("docker.io") : registry),
                       loginCommand(registry, request.username, insecure), [request](Engine &e, const CancelToken &, const ProgressSink &) {
                           return e.login(request.registry, request.username, request.password, request.insecureRegistries);
                       });
}

TypedJob<PruneReport> *EngineService::prune(const PruneRequest &request)
{
    return start<PruneReport>(tr("Clean up"), cliCommand(request),
                              [request](Engine &e, const CancelToken &, const ProgressSink &) { return e.prune(request); });
}

TypedJob<archive::ArchiveKind> *EngineService::probeArchive(const QString &path)
{
    // No command: the probe is the first half of a drop; the load or import
    // it leads to has one.
    return start<archive::ArchiveKind>(tr("Inspect %1").arg(QFileInfo(path).fileName()), QString(),
                                       [path](Engine &, const CancelToken &cancel, const ProgressSink &) {
                                           return archive::probeArchive(path, cancel);
                                       });
}

TypedJob<ExtractedFiles> *EngineService::extractLayerFiles(const ExtractFilesRequest &request)
{
    static std::atomic_int serial = 0;
    return start<ExtractedFiles>(tr("Extract files"), QString(), [request](Engine &, const CancelToken &, const ProgressSink &) -> Result<ExtractedFiles> {
        ExtractedFiles out;
        for (const ExtractFilesRequest::File &file : request.files) {
            const QString dir = QStringLiteral("%1/%2").arg(request.destination).arg(++serial);
            const QString dest = dir + u'/' + QString::fromUtf8(file.relPath.mid(file.relPath.lastIndexOf('/') + 1));
            if (!QDir().mkpath(dir))
                out.errors << QStringLiteral("extract %1: could not make %2").arg(QString::fromUtf8(file.relPath), dir);
            else if (auto copied = layer::extractLayerFile(file.layerDir, file.relPath, dest); !copied)
                out.errors << copied.error().message;
            else
                out.paths << dest;
        }
        return out;
    }, true);
}

// The container actions report only whether they worked.
static Status withoutValue(const Result<ContainerRow> &result)
{
    if (!result)
        return result.error();
    return {};
}

TypedJob<void> *EngineService::containerAction(ContainerAction action, const QString &container)
{
    using A = ContainerAction;
    static const QHash<A, QString> verbs = {
        {A::Start, QStringLiteral("start")},     {A::Stop, QStringLiteral("stop")},
        {A::Kill, QStringLiteral("kill")},       {A::Restart, QStringLiteral("restart")},
        {A::Pause, QStringLiteral("pause")},     {A::Unpause, QStringLiteral("unpause")},
        {A::Remove, QStringLiteral("rm")},       {A::ForceRemove, QStringLiteral("rm")},
    };
    const QString verb = verbs.value(action);
    const QString command = containerCommand(verb, container, action == A::ForceRemove);
    const QString title = tr("%1 %2").arg(verb, container);
    return start<void>(title, command, [action, container](Engine &e, const CancelToken &, const ProgressSink &) -> Status {
        switch (action) {
        case A::Start: return withoutValue(e.startContainer(container));
        case A::Stop: return e.stopContainer(container, 10);
        case A::Kill: return e.killContainer(container, QStringLiteral("KILL"));
        case A::Restart: {
            PH_CHECK(e.stopContainer(container, 10));
            return withoutValue(e.startContainer(container));
        }
        case A::Pause: return e.pauseContainer(container, true);
        case A::Unpause: return e.pauseContainer(container, false);
        case A::Remove: return e.removeContainer(container, false);
        case A::ForceRemove: return e.removeContainer(container, true);
        }
        return Error(ErrorCode::Internal, QStringLiteral("unknown container action"));
    });
}

} // namespace porthole::service
