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
// Signals are emitted from the worker and pool threads; connect with the
// default (auto) connection and they arrive queued on the receiver's thread.
//
// Jobs: an id, a title and the equivalent CLI command (shown to the user),
// progress per item throttled to ~10 Hz, a result or an error sentence, and
// cancel by an atomic flag the engine polls at safe points.
#pragma once

#include "core/progress.h"
#include "runtime/logfile.h"
#include "service/engine.h"
#include "service/containertypes.h"
#include "service/imagetypes.h"
#include "service/layertypes.h"
#include "service/systemtypes.h"
#include "service/volumetypes.h"

#include <QHash>
#include <QMutex>
#include <QObject>
#include <QThreadPool>
#include <QVariant>

#include <functional>
#include <memory>

class QThread;

namespace porthole::service {

class SnapshotWorker;

struct JobStatus {
    enum State { Running, Succeeded, Failed, Cancelled };
    quint64 id = 0;
    QString title;   // "Pull alpine"
    QString command; // "porthole pull alpine"
    State state = Running;
    QList<ProgressEvent> items; // the latest event per item id, first seen first
    QString error;   // Failed: a sentence for the user
    QVariant result; // Succeeded: what the job returns (see each method)
    // A view's own refresh (the live diff every 2 s, the log when it grows):
    // the window lists it neither in the Jobs page nor in the command line.
    bool quiet = false;

    bool finished() const { return state != Running; }
    // Sum of the items' done and total (total -1 when any is unknown).
    qint64 done() const;
    qint64 total() const;
};

// A container's log for the Logs view: the last lines and the file, so the
// view can watch it and read it again when it grows.
struct ContainerLog {
    QString containerId;
    QString path;                  // the json-file log; it rotates to path + ".1"
    QList<runtime::LogLine> lines; // the last ones asked for, oldest first
    qsizetype totalLines = 0;      // in both files, before the tail was taken
};

class EngineService : public QObject {
    Q_OBJECT
public:
    // The work of a job, run on a pool thread with an Engine of its own.
    using Work = std::function<Result<QVariant>(Engine &, const CancelToken &, const ProgressSink &)>;

    explicit EngineService(EngineOptions options, QObject *parent = nullptr);
    // Cancels the running jobs and waits for them to stop.
    ~EngineService() override;

    QString root() const { return m_options.root; }

    // Opens the store on the worker thread (creating it and its demo image
    // when asked) and emits the first snapshots, or storeError.
    void start();
    // Reloads both lists now (the watcher does this by itself).
    void refresh();

    // Any job: returns its id; jobChanged reports it from now on.
    // A quiet job is for a view's own refresh (JobStatus::quiet).
    quint64 submit(const QString &title, const QString &command, Work work, bool quiet = false);
    void cancel(quint64 jobId);
    int runningJobs() const;

    // The jobs the GUI starts. Results: pull -> PullOutcome, push ->
    // PushOutcome, commit and import -> the image ID (QString), run -> the
    // container ID; the others none unless said below.
    quint64 pull(const PullRequest &request);
    quint64 push(const PushRequest &request);
    quint64 tag(const QString &source, const QString &target);
    quint64 removeImage(const QString &image, bool force);
    quint64 importImage(const ImportRequest &request);
    quint64 commit(const CommitRequest &request);
    // create, then start detached (docker run -d).
    quint64 run(const CreateRequest &request);
    // save: the archive's size in bytes (qint64). A cancelled save leaves
    // no file (the engine writes a temp file and renames it when complete).
    quint64 save(const SaveRequest &request);
    // load -i path: the names the images got ("demo:latest", as docker
    // prints them), or "sha256:<id>" for an untagged one (QStringList).
    quint64 load(const QString &path);
    quint64 exportContainer(const ExportRequest &request);
    quint64 login(const QString &registry, const QString &username, const QString &password,
                  const QStringList &insecureRegistries = {});
    // Queries, run as jobs because they read the disk. history ->
    // QList<HistoryRow> (newest first), diff -> QList<ChangeRow>,
    // inspectImageLayers -> ImageLayers (unpacks layers not yet unpacked:
    // seconds for a large image), containerChanges -> ContainerChanges,
    // containerLog -> ContainerLog with the last tailLines lines (-1: all).
    quint64 history(const QString &image, bool quiet = false);
    quint64 diff(const QString &container, bool quiet = false);
    quint64 inspectImageLayers(const QString &image);
    quint64 containerChanges(const QString &container, bool quiet = false);
    quint64 containerLog(const QString &container, int tailLines, bool quiet = false);
    // volumes -> QList<VolumeRow> (Engine::listVolumes: walks every
    // volume's files for its size, so it is a job and not the snapshot).
    quint64 volumes(bool quiet = false);
    // Result: PruneReport (the three prunes' sum).
    quint64 prune(const PruneRequest &request);

    enum class ContainerAction { Start, Stop, Kill, Restart, Pause, Unpause, Remove, ForceRemove };
    quint64 containerAction(ContainerAction action, const QString &container);

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
    struct Job;
    void finishJob(const std::shared_ptr<Job> &job, Result<QVariant> result);

    EngineOptions m_options;
    QThread *m_thread = nullptr;
    SnapshotWorker *m_worker = nullptr; // lives on m_thread
    QThreadPool m_pool;
    mutable QMutex m_jobsMutex;
    QHash<quint64, std::shared_ptr<Job>> m_jobs; // running jobs
    quint64 m_nextId = 1;
};

} // namespace porthole::service

Q_DECLARE_METATYPE(porthole::service::JobStatus)
Q_DECLARE_METATYPE(porthole::service::ContainerRow)
Q_DECLARE_METATYPE(porthole::service::PullOutcome)
Q_DECLARE_METATYPE(porthole::service::PushOutcome)
Q_DECLARE_METATYPE(porthole::service::HistoryRow)
Q_DECLARE_METATYPE(porthole::service::ChangeRow)
Q_DECLARE_METATYPE(porthole::service::ImageLayers)
Q_DECLARE_METATYPE(porthole::service::ContainerChanges)
Q_DECLARE_METATYPE(porthole::service::ContainerLog)
Q_DECLARE_METATYPE(porthole::service::VolumeRow)
Q_DECLARE_METATYPE(porthole::service::PruneReport)
