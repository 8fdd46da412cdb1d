// Engine: the synchronous facade over the store and the engine modules: one
// method per verb. Container verbs are one-line hand-overs to container/;
// archives go to archive/, registries to registry/; the image verbs (list,
// tag, rmi), prune, volumes, info and the layer inspector are still done
// here, over the store. The CLI calls it directly; the GUI reaches it only through EngineService, which
// owns one Engine on its worker thread. Not thread-safe: one thread at a time
// per Engine (several Engines, in one or many processes, may share a root).
#pragma once

#include "core/cancel.h"
#include "core/progress.h"
#include "core/descriptor.h"
#include "core/result.h"
#include "core/resourcelimits.h"
#include "runtime/exec.h"
#include "service/containertypes.h"
#include "service/imagetypes.h"
#include "service/layertypes.h"
#include "service/systemtypes.h"
#include "service/volumetypes.h"

#include <QJsonObject>

#include <memory>

namespace porthole::store {
class Store;
}

namespace porthole::container {
class Containers;
}

namespace porthole::service {

struct EngineOptions {
    QString root;             // empty: Store::defaultRoot()
    bool seedDemoImage = true; // create localhost/demo:latest when the store is new
};

class Engine {
public:
    ~Engine();
    static Result<std::unique_ptr<Engine>> open(const EngineOptions &options);

    QString root() const;
    store::Store &store() { return *m_store; }

    Result<QList<ImageRow>> listImages();
    // Finds an image by name (tag or digest reference) or by ID prefix, as
    // docker resolves `rmi`, `tag`, `inspect` and `history` arguments.
    Result<ImageRow> resolveImage(const QString &nameOrId);
    Result<QJsonObject> inspectImage(const QString &nameOrId);
    Result<QList<HistoryRow>> history(const QString &nameOrId);
    Status tagImage(const QString &source, const QString &target);
    Result<QList<RemoveEvent>> removeImage(const QString &nameOrId, bool force);

    // Pulls from the image's registry with the user's credentials (docker's
    // config.json, containers' auth.json). Progress ids are short layer digests.
    Result<PullOutcome> pullImage(const PullRequest &request, const CancelToken &cancel = CancelToken::none(),
                                  const ProgressSink &progress = {});

    Result<PushOutcome> pushImage(const PushRequest &request, const CancelToken &cancel = CancelToken::none(),
                                  const ProgressSink &progress = {});
    // login: checks the credentials against the registry, then stores them in
    // docker's config.json (or its credential helper). logout removes them.
    Status login(const QString &registry, const QString &username, const QString &password,
                 const QStringList &insecureRegistries = {});
    Status logout(const QString &registry);

    // A container's writable layer as a new image, or docker's A/C/D list.
    Result<Digest> commitContainer(const CommitRequest &request, const CancelToken &cancel = CancelToken::none());
    Result<QList<ChangeRow>> diffContainer(const QString &nameOrId);

    // docker save: a docker-archive (docker 25+ form) or an OCI archive of
    // the images, streamed to the output; every name is resolved before a
    // byte is written. Progress as archive::writeImageArchive reports it.
    Result<SaveOutcome> saveImages(const SaveRequest &request, const CancelToken &cancel = CancelToken::none(),
                                   const ProgressSink &progress = {});

    // Reads a docker-archive or OCI archive (plain, gzip, zstd, xz) in one
    // pass, checks it whole, unpacks the layers, then names the images from
    // RepoTags / the ref-name annotations (an existing name moves). On any
    // failure nothing is named and what was stored is garbage.
    Result<LoadOutcome> loadImages(const LoadRequest &request, const CancelToken &cancel = CancelToken::none(),
                                   const ProgressSink &progress = {});

    // The image's layers indexed (unpacking those that are not yet) and
    // stacked: its history steps, each layer's changes, the merged
    // filesystem and the wasted bytes. Reads every layer dir (about a
    // second for a large distribution image), so the GUI runs it as a job;
    // cancel is polled while indexing.
    Result<ImageLayers> inspectImageLayers(const QString &nameOrId, const CancelToken &cancel = CancelToken::none());
    // The container's live diff (what `diff` lists) with bytes, and the size
    // its next commit would have. Reads only the upper dir and the lower
    // entries the diff looks up: cheap enough to repeat while a shell works.
    Result<ContainerChanges> containerChanges(const QString &nameOrId);

    // docker cp, both directions, running or stopped containers; every
    // container path is resolved inside the container (container/containerfs.h).
    Result<CopyResult> copyFromContainer(const CopyRequest &request, const CancelToken &cancel = CancelToken::none());
    Result<CopyResult> copyToContainer(const CopyRequest &request, const CancelToken &cancel = CancelToken::none());
    // docker export: the flattened filesystem (image layers and changes, no
    // mounts) as a tar.
    Status exportContainer(const ExportRequest &request, const CancelToken &cancel = CancelToken::none());

    Result<ImportResult> importImage(const ImportRequest &request, const CancelToken &cancel = CancelToken::none(),
                                     const ProgressSink &progress = {});
    // Creates localhost/demo:latest from the machine's busybox if it is missing.
    Result<ImportResult> createDemoImage();

    // Containers (container/containers.h). Names and ID prefixes resolve as docker's.
    Result<ContainerRow> createContainer(const CreateRequest &request);
    // Starts the container's shim; with waitForAttach the command waits for
    // the first attach client. exitCode gets docker's code on failure.
    Result<ContainerRow> startContainer(const QString &nameOrId, bool waitForAttach = false, int *exitCode = nullptr);
    Result<QList<ContainerRow>> listContainers(bool all);
    Result<ContainerRow> container(const QString &nameOrId);
    Status stopContainer(const QString &nameOrId, int timeoutSeconds);
    Status killContainer(const QString &nameOrId, const QString &signal);
    Status pauseContainer(const QString &nameOrId, bool pause);
    Status removeContainer(const QString &nameOrId, bool force);
    Status renameContainer(const QString &nameOrId, const QString &newName);
    // `update`: a running container's cgroup at once, then its record; a
    // stopped one's record only.
    Status updateContainer(const QString &nameOrId, const LimitsUpdate &update);
    // Blocks until the container is not running; returns its exit code.
    Result<int> waitContainer(const QString &nameOrId);
    // Starts a process in a running container (exec.h); the caller waits
    // for the returned helper pid and owns the pty master, if any.
    Result<runtime::ExecProcess> execInContainer(const QString &nameOrId, runtime::ExecSpec spec);
    Result<QJsonObject> inspectContainer(const QString &nameOrId);
    Result<QList<ProcessRow>> topContainer(const QString &nameOrId);
    Result<QStringList> containerPorts(const QString &nameOrId);
    Result<ContainerSample> sampleContainer(const QString &nameOrId);
    // Prune (prune.cpp), as docker's: every container that is not running;
    // images no container uses, only untagged ones unless `all`; volumes no
    // container uses (podman's rule: docker 23+ keeps named ones without
    // --all, and every volume here is named). Each reports what went and
    // the bytes freed.
    Result<PruneReport> pruneContainers();
    Result<PruneReport> pruneImages(bool all);
    Result<PruneReport> pruneVolumes();
    // The ones the request asks for, as system prune runs them: containers
    // first (what they held is unused after), volumes, images.
    Result<PruneReport> prune(const PruneRequest &request);
    // Named volumes (volumes.cpp), as docker's local driver keeps them.
    // listVolumes walks each volume's files for its size: sorted by name.
    Result<QList<VolumeRow>> listVolumes();
    Result<VolumeRow> volume(const QString &name);
    // An existing volume is returned as is (docker's create is idempotent).
    Result<VolumeRow> createVolume(const QString &name);
    // Refuses a volume any container mounts, even with force (as docker);
    // force only makes a missing volume no error.
    Status removeVolume(const QString &name, bool force);
    QString attachSocket(const QString &id) const;
    QString logPath(const QString &id) const;
    // Unpacks every layer of the image that is not unpacked yet.
    Status ensureLayersUnpacked(const QString &nameOrId, const CancelToken &cancel = CancelToken::none(),
                                const ProgressSink &progress = {});

    Result<SystemInfo> info();
    Result<DiskUsage> diskUsage();

private:
    explicit Engine(std::shared_ptr<store::Store> store);
    container::Containers containers();
    std::shared_ptr<store::Store> m_store;
};

// The version this build reports.
QString engineVersion();

} // namespace porthole::service
