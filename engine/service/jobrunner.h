// EngineService's job machinery shared by the files that define its jobs
// (engineservice.cpp, servicejobs.cpp, servicequeries.cpp): the state a job
// shares with the pool thread, and the template that starts one. Not for
// users of EngineService.
#pragma once

#include "service/engineservice.h"

#include <QElapsedTimer>
#include <QMetaObject>

namespace porthole::service {

struct EngineService::JobState {
    CancelToken cancel;
    QMutex mutex; // guards status and lastEmit: the sink runs on the pool thread
    JobStatus status;
    QElapsedTimer lastEmit;
};

template <typename T>
TypedJob<T> *EngineService::start(const QString &title, const QString &command, Work<T> work, bool quiet)
{
    const std::shared_ptr<JobState> job = newJob(title, command, quiet);
    auto *handle = new TypedJob<T>(job->status, job->cancel, this);
    m_handles.insert(job->status.id, handle);
    Q_EMIT jobChanged(job->status);

    EngineOptions options = m_options;
    options.seedDemoImage = false; // the worker's engine seeds it, once
    m_pool.start([this, job, options, work = std::move(work)] {
        const ProgressSink sink = [this, job](const ProgressEvent &event) { progress(job, event); };
        auto engine = Engine::open(options);
        Result<T> result = engine ? work(**engine, job->cancel, sink) : Result<T>(engine.error());
        const JobStatus status = finishJob(job, result ? nullptr : &result.error());
        // Posted to this object, which outlives the pool (the destructor
        // waits for it); the handle is looked up there, on its own thread.
        QMetaObject::invokeMethod(
            this,
            [this, status, result = std::move(result)] {
                if (const QPointer<Job> handle = m_handles.value(status.id))
                    static_cast<TypedJob<T> *>(handle.data())->m_result = result;
                publish(status);
            },
            Qt::QueuedConnection);
    });
    return handle;
}

} // namespace porthole::service
