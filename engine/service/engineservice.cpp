#include "service/engineservice.h"

#include "service/jobrunner.h"

#include "service/snapshotworker.h"
#include "store/store.h"

#include <QCoreApplication>
#include <QDir>
#include <QPointer>
#include <QThread>

#include <csignal>
#include <unistd.h>

namespace porthole::service {

// Progress reaches the GUI at this rate at most; the last state always does.
static constexpr qint64 kProgressIntervalMs = 100;

static void registerMetaTypes()
{
    qRegisterMetaType<ImageRow>();
    qRegisterMetaType<ContainerRow>();
    qRegisterMetaType<JobStatus>();
    qRegisterMetaType<QList<ImageRow>>();
    qRegisterMetaType<QList<ContainerRow>>();
    qRegisterMetaType<archive::ArchiveKind>();
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

std::shared_ptr<EngineService::JobState> EngineService::newJob(const QString &title, const QString &command, bool quiet)
{
    auto job = std::make_shared<JobState>();
    {
        QMutexLocker lock(&m_jobsMutex);
        job->status.id = m_nextId++;
        m_jobs.insert(job->status.id, job);
    }
    job->status.title = title;
    job->status.command = command;
    job->status.quiet = quiet;
    job->lastEmit.start();
    return job;
}

void EngineService::progress(const std::shared_ptr<JobState> &job, const ProgressEvent &event)
{
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
    QMetaObject::invokeMethod(this, [this, snapshot] { publish(snapshot); }, Qt::QueuedConnection);
}

JobStatus EngineService::finishJob(const std::shared_ptr<JobState> &job, const Error *error)
{
    JobStatus status;
    {
        QMutexLocker lock(&job->mutex);
        if (!error) {
            job->status.state = JobStatus::Succeeded;
        } else {
            job->status.state = error->code == ErrorCode::Cancelled ? JobStatus::Cancelled : JobStatus::Failed;
            job->status.error = error->message;
        }
        status = job->status;
    }
    QMutexLocker lock(&m_jobsMutex);
    m_jobs.remove(status.id);
    return status;
}

void EngineService::publish(const JobStatus &status)
{
    const QPointer<Job> handle = status.finished() ? m_handles.take(status.id) : m_handles.value(status.id);
    if (handle)
        handle->m_status = status;
    // The list first: a handle's finished() may look the job up in it.
    Q_EMIT jobChanged(status);
    if (handle && status.finished()) {
        Q_EMIT handle->finished();
        handle->deleteLater();
    } else if (handle) {
        Q_EMIT handle->progressed();
    }
    // The watcher sees the change too; this makes it show without its delay.
    // A quiet job is a view's repeated read: it changes nothing to show.
    if (status.finished() && !status.quiet)
        refresh();
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
