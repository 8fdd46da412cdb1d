// EngineService: the GUI's only way into the engine.
//
// Threading: the EngineService object lives on the thread that created it
// (the UI thread) and every public method returns at once: it only queues
// work. Behind it:
//   - a worker QThread owns an Engine for snapshots (the image and container
//     lists) and a StoreWatcher; a change in the store, made by this process,
//     by the CLI in another one or by a container's shim, reloads the
//     snapshot within ~100 ms, with no polling when nothing changes;
//   - jobs (pull, commit, save, ...) run on a thread pool, each with its own
//     Engine. The registry code runs local event loops; on a pool thread no
//     other request can re-enter it (the reason jobs do not share the
//     worker thread).
// The snapshot signals and storeError are emitted from the worker thread;
// connect with the default (auto) connection and they arrive queued on the
// receiver's thread. jobChanged and the job handles' signals are emitted on
// this object's thread.
//
// Jobs (service/job.h): every method below that starts work returns a
// TypedJob<T> handle owned by this service; T is the job's result, the
// engine's Result<T> with its ErrorCode. The handle reports progress
// (throttled to ~10 Hz) and its end on this object's thread; jobChanged
// reports every job for the Jobs page. Each job has a title and the
// equivalent CLI command (shown to the user) and is cancelled by an atomic
// flag the engine polls at safe points. Callers never see an Engine.
#pragma once

#include "archive/archiveprobe.h"
#include "core/progress.h"
#include "runtime/logfile.h"
#include "service/engine.h"
#include "service/containertypes.h"
#include "service/imagetypes.h"
#include "service/job.h"
#include "service/layertypes.h"
#include "service/systemtypes.h"
#include "service/volumetypes.h"

#include <QHash>
#include <QMutex>
#include <QObject>
#include <QPointer>
#include <QThreadPool>

#include <functional>
#include <memory>

class QThread;

namespace porthole::service {

class SnapshotWorker;

class EngineService : public QObject {
    Q_OBJECT
public:
    explicit EngineService(EngineOptions options, QObject *parent = nullptr);
    // Cancels the running jobs and waits for them to stop.
    ~EngineService() override;

    QString root() const { return m_options.root; }

    // Opens the store on the worker thread (creating it and its demo image
    // when asked) and emits the first snapshots, or storeError.
    void start();
    // Reloads both lists now (the watcher does this by itself).
    void refresh();

    // Cancels a job of the Jobs page's list by its id (a handle has cancel()).
    void cancel(quint64 jobId);
    int runningJobs() const;

    // The jobs. A quiet one is a view's own refresh (JobStatus::quiet).
    TypedJob<PullOutcome> *pull(const PullRequest &request);
    TypedJob<PushOutcome> *push(const PushRequest &request);
    TypedJob<void> *tag(const QString &source, const QString &target);
    TypedJob<QList<RemoveEvent>> *removeImage(const QString &image, bool force);
    TypedJob<ImportResult> *importImage(const ImportRequest &request);
    // The new image's ID.
    TypedJob<Digest> *commit(const CommitRequest &request);
    // create, then start detached (docker run -d): the started container.
    TypedJob<ContainerRow> *run(const CreateRequest &request);
    // A cancelled save leaves no file (the engine writes a temp file and
    // renames it when complete).
    TypedJob<SaveOutcome> *save(const SaveRequest &request);
    // load -i path: the names the images got ("demo:latest", as docker
    // prints them), or "sha256:<id>" for an untagged one.
    TypedJob<QStringList> *load(const LoadRequest &request);
    TypedJob<void> *exportContainer(const ExportRequest &request);
    TypedJob<void> *login(const LoginRequest &request);
    // Queries, run as jobs because they read the disk. history: newest
    // first; inspectImageLayers unpacks layers not yet unpacked (seconds for
    // a large image); containerLog: the last tailLines lines (-1: all).
    TypedJob<QList<HistoryRow>> *history(const QString &image, bool quiet = false);
    TypedJob<QList<ChangeRow>> *diff(const QString &container, bool quiet = false);
    TypedJob<ImageLayers> *inspectImageLayers(const QString &image);
    TypedJob<ContainerChanges> *containerChanges(const QString &container, bool quiet = false);
    TypedJob<ContainerLog> *containerLog(const QString &container, int tailLines, bool quiet = false);
    // Engine::listVolumes walks every volume's files for its size, so it is
    // a job and not the snapshot.
    TypedJob<QList<VolumeRow>> *volumes(bool quiet = false);
    // The three prunes' sum.
    TypedJob<PruneReport> *prune(const PruneRequest &request);
    // What a dropped file is (archive/archiveprobe.h); reads its first entries.
    TypedJob<archive::ArchiveKind> *probeArchive(const QString &path);
    // Copies files out of unpacked layers for a drag out of the inspector.
    TypedJob<ExtractedFiles> *extractLayerFiles(const ExtractFilesRequest &request);

    enum class ContainerAction { Start, Stop, Kill, Restart, Pause, Unpause, Remove, ForceRemove };
    TypedJob<void> *containerAction(ContainerAction action, const QString &container);

    // Terminal sessions. attachSocket: the container's attach socket (a
    // path; any thread). execInContainer: starts spec in the running
    // container on the worker thread -- not the pool: exec's helper dies with
    // the thread that forked it (PR_SET_PDEATHSIG), and pool threads expire
    // -- and calls done exactly once, later, on context's thread, owning the
    // pty master and the helper pid. If context is gone by then, the master
    // is closed and the helper killed and reaped here.
    QString attachSocket(const QString &containerId) const;
    void execInContainer(const QString &container, const runtime::ExecSpec &spec, QObject *context,
                         std::function<void(Result<runtime::ExecProcess>)> done);

Q_SIGNALS:
    void imagesChanged(const QList<porthole::service::ImageRow> &rows);
    void containersChanged(const QList<porthole::service::ContainerRow> &rows);
    void jobChanged(const porthole::service::JobStatus &status);
    // The store could not be opened or read: a sentence for the status bar.
    void storeError(const QString &message);

private:
    template <typename T>
    using Work = std::function<Result<T>(Engine &, const CancelToken &, const ProgressSink &)>;
    struct JobState; // shared with the pool thread that runs the job

    // Runs work on the pool with an Engine of its own; defined (and only
    // instantiated) in engineservice.cpp.
    template <typename T>
    TypedJob<T> *start(const QString &title, const QString &command, Work<T> work, bool quiet = false);
    std::shared_ptr<JobState> newJob(const QString &title, const QString &command, bool quiet);
    // Pool thread: records event, and posts the status when it is time to.
    void progress(const std::shared_ptr<JobState> &job, const ProgressEvent &event);
    // Pool thread: the final status, after the job left the running list.
    JobStatus finishJob(const std::shared_ptr<JobState> &job, const Error *error);
    // This object's thread: hands status to the job's handle and the list.
    void publish(const JobStatus &status);

    EngineOptions m_options;
    QThread *m_thread = nullptr;
    SnapshotWorker *m_worker = nullptr; // lives on m_thread
    QThreadPool m_pool;
    mutable QMutex m_jobsMutex;
    QHash<quint64, std::shared_ptr<JobState>> m_jobs; // running jobs
    QHash<quint64, QPointer<Job>> m_handles;         // this object's thread only
    quint64 m_nextId = 1;
};

} // namespace porthole::service

Q_DECLARE_METATYPE(porthole::service::ContainerRow)
