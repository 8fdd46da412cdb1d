// Catching a job's end in a test: a JobResult connects to the handle as it
// is made (the handle deletes itself after finished()) and keeps copies of
// its status and typed result.
#pragma once

#include "service/job.h"

#include <QObject>
#include <QTest>

#include <optional>

namespace porthole::test {

template <typename T>
class JobResult {
public:
    explicit JobResult(service::TypedJob<T> *job) : m_id(job->id())
    {
        QObject::connect(job, &service::Job::finished, &m_context, [this, job] {
            m_status = job->status();
            m_result.emplace(job->result());
        });
    }
    JobResult(const JobResult &) = delete;
    JobResult &operator=(const JobResult &) = delete;

    quint64 id() const { return m_id; }
    bool finished() const { return m_result.has_value(); }
    // Processes events until the job is over; false on timeout.
    bool wait(int timeoutMs = 10000)
    {
        return QTest::qWaitFor([this] { return finished(); }, timeoutMs);
    }
    const service::JobStatus &status() const { return m_status; }
    const Result<T> &result() const { return *m_result; }
    // The error's sentence, or "" (for QVERIFY2 messages).
    QString errorText() const { return m_result && !*m_result ? m_result->error().message : QString(); }

private:
    QObject m_context; // the connection dies with this object
    quint64 m_id;
    service::JobStatus m_status;
    std::optional<Result<T>> m_result;
};

} // namespace porthole::test
