#include "service/engineservice.h"

#include "core/reference.h"
#include "service/clicommand.h"
#include "service/snapshotworker.h"
#include "store/store.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QPointer>
#include <QThread>

#include <csignal>
#include <unistd.h>

namespace porthole::service {

// Progress reaches the GUI at this rate at most; the last state always does.
static constexpr qint64 kProgressIntervalMs = 100;

qint64 JobStatus::done() const
{
    qint64 sum = 0;
    for (const ProgressEvent &e : items)
        sum += e.done;
    return sum;
}

qint64 JobStatus::total() const
{
    qint64 sum = 0;
    for (const ProgressEvent &e : items) {
        if (e.total < 0)
            return -1;
        sum += e.total;
    }
    return items.isEmpty() ? -1 : sum;
}

struct EngineService::Job {
    CancelToken cancel;
    QMutex mutex; // guards status and lastEmit: the sink runs on the pool thread
    JobStatus status;
    QElapsedTimer lastEmit;
};

static void registerMetaTypes()
{
    qRegisterMetaType<ImageRow>();
    qRegisterMetaType<ContainerRow>();
    qRegisterMetaType<JobStatus>();
    qRegisterMetaType<QList<ImageRow>>();
    qRegisterMetaType<QList<ContainerRow>>();
    qRegisterMetaType<ImageLayers>();
    qRegisterMetaType<ContainerChanges>();
    qRegisterMetaType<ContainerLog>();
    qRegisterMetaType<QList<HistoryRow>>();
    qRegisterMetaType<QList<ChangeRow>>();
    qRegisterMetaType<QList<VolumeRow>>();
}

EngineService::EngineService(EngineOptions options, QObject *parent) : QObject(parent), m_options(std::move(options))
{
    registerMetaTypes();
    if (m_options.root.isEmpty())
        m_options.root = store::Store::defaultRoot();
    m_options.root = QDir(m_options.root).absolutePath(); // attachSocket() builds paths from it
    m_pool.setMaxThreadCount(4);
    m_thread = new QThread(this);
    m_thread->setObjectName(QStringLiteral("porthole-engine"));
    m_worker = new SnapshotWorker(m_options);
    m_worker->moveToThread(m_thread);
    connect(m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    connect(m_worker, &SnapshotWorker::imagesChanged, this, &EngineService::imagesChanged);
    connect(m_worker, &SnapshotWorker::containersChanged, this, &EngineService::containersChanged);
    connect(m_worker, &SnapshotWorker::storeError, this, &EngineService::storeError);
    m_thread->start();
}

EngineService::~EngineService()
{
    {
        QMutexLocker lock(&m_jobsMutex);
        for (const auto &job : std::as_const(m_jobs))
            job->cancel.cancel();
    }
    m_pool.waitForDone();
    m_thread->quit();
    m_thread->wait();
}

void EngineService::start()
{
    QMetaObject::invokeMethod(m_worker, &SnapshotWorker::open, Qt::QueuedConnection);
}

void EngineService::refresh()
{
    QMetaObject::invokeMethod(m_worker, &SnapshotWorker::reload, Qt::QueuedConnection);
}

int EngineService::runningJobs() const
{
    QMutexLocker lock(&m_jobsMutex);
    return int(m_jobs.size());
}

void EngineService::cancel(quint64 jobId)
{
    QMutexLocker lock(&m_jobsMutex);
    if (const auto job = m_jobs.value(jobId))
        job->cancel.cancel();
}

quint64 EngineService::submit(const QString &title, const QString &command, Work work, bool quiet)
{
    auto job = std::make_shared<Job>();
    {
        QMutexLocker lock(&m_jobsMutex);
        job->status.id = m_nextId++;
        m_jobs.insert(job->status.id, job);
    }
    job->status.title = title;
    job->status.command = command;
    job->status.quiet = quiet;
    job->lastEmit.start();
    Q_EMIT jobChanged(job->status);

    EngineOptions options = m_options;
    options.seedDemoImage = false; // the worker's engine seeds it, once
    m_pool.start([this, job, options, work = std::move(work)] {
        const ProgressSink sink = [this, job](const ProgressEvent &event) {
            JobStatus snapshot;
            {
                QMutexLocker lock(&job->mutex);
                auto &items = job->status.items;
                const auto it = std::find_if(items.begin(), items.end(), [&](const ProgressEvent &e) { return e.id == event.id; });
                if (it == items.end())
                    items.append(event);
                else
                    *it = event;
                if (job->lastEmit.elapsed() < kProgressIntervalMs)
                    return;
                job->lastEmit.restart();
                snapshot = job->status;
            }
            Q_EMIT jobChanged(snapshot);
        };
        auto engine = Engine::open(options);
        if (!engine) {
            finishJob(job, engine.error());
            return;
        }
        finishJob(job, work(**engine, job->cancel, sink));
    });
    return job->status.id;
}

void EngineService::finishJob(const std::shared_ptr<Job> &job, Result<QVariant> result)
{
    JobStatus status;
    {
        QMutexLocker lock(&job->mutex);
        if (result) {
            job->status.state = JobStatus::Succeeded;
            job->status.result = *result;
        } else {
            job->status.state = result.error().code == ErrorCode::Cancelled ? JobStatus::Cancelled : JobStatus::Failed;
            job->status.error = result.error().message;
        }
        status = job->status;
    }
    {
        QMutexLocker lock(&m_jobsMutex);
        m_jobs.remove(status.id);
    }
    Q_EMIT jobChanged(status);
    // The watcher sees the change too; this makes it show without its delay.
    // A quiet job is a view's repeated read: it changes nothing to show.
    if (!status.quiet)
        refresh();
}

// Turns a Status into the Result a Work returns.
static Result<QVariant> done(const Status &status)
{
    if (!status)
        return status.error();
    return QVariant();
}

quint64 EngineService::pull(const PullRequest &request)
{
    return submit(tr("Pull %1").arg(request.reference), cliCommand(request),
                  [request](Engine &e, const CancelToken &cancel, const ProgressSink &progress) -> Result<QVariant> {
                      PH_TRY(const PullOutcome outcome, e.pullImage(request, cancel, progress));
                      return QVariant::fromValue(outcome);
                  });
}

quint64 EngineService::push(const PushRequest &request)
{
    return submit(tr("Push %1").arg(request.reference), cliCommand(request),
                  [request](Engine &e, const CancelToken &cancel, const ProgressSink &progress) -> Result<QVariant> {
                      PH_TRY(const PushOutcome outcome, e.pushImage(request, cancel, progress));
                      return QVariant::fromValue(outcome);
                  });
}

quint64 EngineService::tag(const QString &source, const QString &target)
{
    return submit(tr("Tag %1 as %2").arg(source, target), tagCommand(source, target),
                  [source, target](Engine &e, const CancelToken &, const ProgressSink &) { return done(e.tagImage(source, target)); });
}

quint64 EngineService::removeImage(const QString &image, bool force)
{
    return submit(tr("Remove image %1").arg(image), removeImageCommand(image, force),
                  [image, force](Engine &e, const CancelToken &, const ProgressSink &) -> Result<QVariant> {
                      PH_TRY(const QList<RemoveEvent> events, e.removeImage(image, force));
                      return QVariant(int(events.size()));
                  });
}

quint64 EngineService::importImage(const ImportRequest &request)
{
    return submit(tr("Import %1").arg(request.sourcePath), cliCommand(request),
                  [request](Engine &e, const CancelToken &cancel, const ProgressSink &progress) -> Result<QVariant> {
                      PH_TRY(const ImportResult result, e.importImage(request, cancel, progress));
                      return QVariant(result.id.toString());
                  });
}

quint64 EngineService::commit(const CommitRequest &request)
{
    return submit(tr("Commit %1").arg(request.container), cliCommand(request),
                  [request](Engine &e, const CancelToken &cancel, const ProgressSink &) -> Result<QVariant> {
                      PH_TRY(const Digest id, e.commitContainer(request, cancel));
                      return QVariant(id.toString());
                  });
}

quint64 EngineService::run(const CreateRequest &request)
{
    return submit(tr("Run %1").arg(request.image), cliCommand(request),
                  [request](Engine &e, const CancelToken &cancel, const ProgressSink &progress) -> Result<QVariant> {
                      PH_CHECK(e.ensureLayersUnpacked(request.image, cancel, progress));
                      PH_TRY(const ContainerRow created, e.createContainer(request));
                      PH_TRY(const ContainerRow started, e.startContainer(created.id));
                      return QVariant(started.id);
                  });
}

quint64 EngineService::save(const SaveRequest &request)
{
    return submit(tr("Save %1").arg(request.images.join(QStringLiteral(", "))), cliCommand(request),
                  [request](Engine &e, const CancelToken &cancel, const ProgressSink &progress) -> Result<QVariant> {
                      PH_TRY(const SaveOutcome outcome, e.saveImages(request, cancel, progress));
                      return QVariant(outcome.bytes);
                  });
}

quint64 EngineService::load(const QString &path)
{
    return submit(tr("Load %1").arg(path), loadCommand(path),
                  [path](Engine &e, const CancelToken &cancel, const ProgressSink &progress) -> Result<QVariant> {
                      LoadRequest request;
                      request.sourcePath = path;
                      PH_TRY(const LoadOutcome outcome, e.loadImages(request, cancel, progress));
                      QStringList names;
                      for (const LoadedImageRow &image : outcome.images) {
                          if (image.refNames.isEmpty())
                              names << image.id.toString();
                          for (const QString &name : image.refNames)
                              names << Reference::parse(name).valueOr(Reference()).familiarString();
                      }
                      return QVariant(names);
                  });
}

quint64 EngineService::exportContainer(const ExportRequest &request)
{
    return submit(tr("Export %1").arg(request.container), cliCommand(request),
                  [request](Engine &e, const CancelToken &cancel, const ProgressSink &) {
                      return done(e.exportContainer(request, cancel));
                  });
}

quint64 EngineService::login(const QString &registry, const QString &username, const QString &password,
                             const QStringList &insecureRegistries)
{
    const bool insecure = insecureRegistries.contains(registry);
    return submit(tr("Log in to %1").arg(registry.isEmpty() ? QStringLiteral("docker.io") : registry), loginCommand(registry, username, insecure),
                  [=](Engine &e, const CancelToken &, const ProgressSink &) {
                      return done(e.login(registry, username, password, insecureRegistries));
                  });
}

quint64 EngineService::history(const QString &image, bool quiet)
{
    return submit(tr("History of %1").arg(image), historyCommand(image),
                  [image](Engine &e, const CancelToken &, const ProgressSink &) -> Result<QVariant> {
                      PH_TRY(const QList<HistoryRow> rows, e.history(image));
                      return QVariant::fromValue(rows);
                  }, quiet);
}

quint64 EngineService::diff(const QString &container, bool quiet)
{
    return submit(tr("Changes of %1").arg(container), diffCommand(container),
                  [container](Engine &e, const CancelToken &, const ProgressSink &) -> Result<QVariant> {
                      PH_TRY(const QList<ChangeRow> rows, e.diffContainer(container));
                      return QVariant::fromValue(rows);
                  }, quiet);
}

quint64 EngineService::volumes(bool quiet)
{
    return submit(tr("List volumes"), volumeListCommand(),
                  [](Engine &e, const CancelToken &, const ProgressSink &) -> Result<QVariant> {
                      PH_TRY(const QList<VolumeRow> rows, e.listVolumes());
                      return QVariant::fromValue(rows);
                  }, quiet);
}

quint64 EngineService::prune(const PruneRequest &request)
{
    return submit(tr("Clean up"), cliCommand(request),
                  [request](Engine &e, const CancelToken &, const ProgressSink &) -> Result<QVariant> {
                      PH_TRY(const PruneReport report, e.prune(request));
                      return QVariant::fromValue(report);
                  });
}

quint64 EngineService::inspectImageLayers(const QString &image)
{
    // The nearest command: the inspector's history table with full lines.
    return submit(tr("Layers of %1").arg(image), historyCommand(image, true),
                  [image](Engine &e, const CancelToken &cancel, const ProgressSink &) -> Result<QVariant> {
                      PH_TRY(const ImageLayers layers, e.inspectImageLayers(image, cancel));
                      return QVariant::fromValue(layers);
                  });
}

quint64 EngineService::containerChanges(const QString &container, bool quiet)
{
    return submit(tr("Changes of %1").arg(container), diffCommand(container),
                  [container](Engine &e, const CancelToken &, const ProgressSink &) -> Result<QVariant> {
                      PH_TRY(const ContainerChanges changes, e.containerChanges(container));
                      return QVariant::fromValue(changes);
                  }, quiet);
}

quint64 EngineService::containerLog(const QString &container, int tailLines, bool quiet)
{
    return submit(tr("Logs of %1").arg(container), logsCommand(container, tailLines),
                  [container, tailLines](Engine &e, const CancelToken &, const ProgressSink &) -> Result<QVariant> {
                      PH_TRY(const ContainerRow row, e.container(container));
                      ContainerLog log;
                      log.containerId = row.id;
                      log.path = e.logPath(row.id);
                      PH_TRY(log.lines, runtime::readLog(log.path));
                      log.totalLines = log.lines.size();
                      if (tailLines >= 0 && log.lines.size() > tailLines)
                          log.lines.remove(0, log.lines.size() - tailLines);
                      return QVariant::fromValue(log);
                  }, quiet);
}

quint64 EngineService::containerAction(ContainerAction action, const QString &container)
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
    return submit(title, command, [action, container](Engine &e, const CancelToken &, const ProgressSink &) -> Result<QVariant> {
        switch (action) {
        case A::Start: {
            PH_TRY(const ContainerRow row, e.startContainer(container));
            return QVariant(row.id);
        }
        case A::Stop: return done(e.stopContainer(container, 10));
        case A::Kill: return done(e.killContainer(container, QStringLiteral("KILL")));
        case A::Restart: {
            PH_CHECK(e.stopContainer(container, 10));
            PH_TRY(const ContainerRow row, e.startContainer(container));
            return QVariant(row.id);
        }
        case A::Pause: return done(e.pauseContainer(container, true));
        case A::Unpause: return done(e.pauseContainer(container, false));
        case A::Remove: return done(e.removeContainer(container, false));
        case A::ForceRemove: return done(e.removeContainer(container, true));
        }
        return Error(ErrorCode::Internal, QStringLiteral("unknown container action"));
    });
}

QString EngineService::attachSocket(const QString &containerId) const
{
    return m_options.root + QStringLiteral("/containers/") + containerId + QStringLiteral("/attach.sock");
}

void EngineService::execInContainer(const QString &container, const runtime::ExecSpec &spec, QObject *context,
                                    std::function<void(Result<runtime::ExecProcess>)> done)
{
    QPointer<QObject> guard(context);
    SnapshotWorker *worker = m_worker;
    QMetaObject::invokeMethod(
        worker,
        [worker, container, spec, guard, done = std::move(done)] {
            Result<runtime::ExecProcess> started = worker->exec(container, spec);
            // Posted to the application object (always alive), then checked:
            // the context may be gone by the time this runs.
            QMetaObject::invokeMethod(
                QCoreApplication::instance(),
                [guard, done, started] {
                    if (guard) {
                        done(started);
                    } else if (started) {
                        ::close(started->ptyMaster);
                        ::kill(started->pid, SIGKILL);
                        runtime::waitExec(started->pid);
                    }
                },
                Qt::QueuedConnection);
        },
        Qt::QueuedConnection);
}

} // namespace porthole::service
