// CancelToken: an atomic flag a job's owner sets and the engine polls at safe
// points (between chunks, between entries). Shared by pointer between the
// thread that cancels and the thread that works; both may outlive each other.
#pragma once

#include "core/result.h"

#include <atomic>
#include <memory>

namespace porthole {

class CancelToken {
public:
    CancelToken() : m_flag(std::make_shared<std::atomic_bool>(false)) {}

    void cancel() { m_flag->store(true, std::memory_order_relaxed); }
    bool isCancelled() const { return m_flag->load(std::memory_order_relaxed); }

    // For the poll points: an error to return when cancelled, else success.
    Status check(const QString &step) const
    {
        if (isCancelled())
            return Error(ErrorCode::Cancelled, step + QStringLiteral(": cancelled"));
        return {};
    }

    // The flag itself, for a signal handler (cli/interrupt): a lock-free
    // atomic store is async-signal-safe. Valid while a copy of the token lives.
    std::atomic_bool *signalSafeFlag() const { return m_flag.get(); }

    // A token that is never cancelled, for callers that do not cancel.
    static const CancelToken &none()
    {
        static const CancelToken token;
        return token;
    }

private:
    std::shared_ptr<std::atomic_bool> m_flag;
};

} // namespace porthole
