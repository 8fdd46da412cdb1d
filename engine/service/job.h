// Jobs: what EngineService hands back for every operation it starts.
//
// The pattern (after qBittorrent's TorrentCreator): each operation is an
// EngineService method taking a typed request and returning a TypedJob<T>,
// a small QObject handle for that one job. Its signals say when the job
// progressed and when it finished; result() is then the engine's own
// Result<T>, ErrorCode included (its message is the sentence to show).
//
// Ownership: EngineService owns every handle (they are its children). A
// handle deletes itself (deleteLater) right after finished() was emitted,
// so read result() and status() in a slot connected to finished(), and keep
// a handle past that only in a QPointer. No signal is emitted before the
// method that made the handle returns, so connecting right after it never
// misses one.
//
// Threading: a handle lives on EngineService's thread (the UI thread) and
// is used there only. The work runs on a pool thread; its progress
// (throttled to ~10 Hz) and its end are posted to the handle's thread.
// cancel() may be called from any thread.
//
// The Jobs page lists every job (title, CLI command, progress, state)
// through EngineService::jobChanged, which carries JobStatus below; views
// that started a job listen to its handle instead.
#pragma once

#include "core/cancel.h"
#include "core/progress.h"
#include "core/result.h"

#include <QList>
#include <QObject>
#include <QString>

namespace porthole::service {

class EngineService;

struct JobStatus {
    enum State { Running, Succeeded, Failed, Cancelled };
    quint64 id = 0;
    QString title;   // "Pull alpine"
    QString command; // "porthole pull alpine"
    State state = Running;
    QList<ProgressEvent> items; // the latest event per item id, first seen first
    QString error;   // Failed: the error's sentence (the handle has the Error)
    // A view's own refresh (the live diff every 2 s, the log when it grows):
    // the window lists it neither in the Jobs page nor in the command line.
    bool quiet = false;

    bool finished() const { return state != Running; }
    // Sum of the items' done and total (total -1 when any is unknown).
    qint64 done() const;
    qint64 total() const;
};

// The untyped part of a job's handle: what a list or a progress bar needs.
class Job : public QObject {
    Q_OBJECT
public:
    quint64 id() const { return m_status.id; }
    const JobStatus &status() const { return m_status; }
    bool isFinished() const { return m_status.finished(); }
    bool succeeded() const { return m_status.state == JobStatus::Succeeded; }
    bool cancelled() const { return m_status.state == JobStatus::Cancelled; }
    // Asks the work to stop at its next safe point; finished() still comes
    // (Cancelled, or Succeeded when the work was already done).
    void cancel() { m_cancel.cancel(); }

Q_SIGNALS:
    // status().items changed.
    void progressed();
    // status().state is final and the typed result is set; the handle is
    // deleted (deleteLater) after this.
    void finished();

protected:
    Job(const JobStatus &status, CancelToken cancel, QObject *parent)
        : QObject(parent), m_status(status), m_cancel(std::move(cancel))
    {
    }

private:
    friend class EngineService;
    JobStatus m_status;
    CancelToken m_cancel;
};

// A job whose work returns Result<T> (T = void: a Status).
template <typename T>
class TypedJob final : public Job {
public:
    // Valid once finished() was emitted; before, an Internal "still running" error.
    const Result<T> &result() const { return m_result; }

private:
    friend class EngineService;
    TypedJob(const JobStatus &status, CancelToken cancel, QObject *parent) : Job(status, std::move(cancel), parent) {}

    Result<T> m_result = Error(ErrorCode::Internal, QStringLiteral("the job is still running"));
};

} // namespace porthole::service

Q_DECLARE_METATYPE(porthole::service::JobStatus)
