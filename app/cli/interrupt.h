// Ctrl+C (and SIGTERM, SIGHUP) during a command that must not be cut short:
// while an InterruptScope lives, the first such signal cancels its token
// instead of killing the process, so the engine stops at its next poll
// point and cleans up on the way out (commit thaws the container it froze
// and removes its half-written layer). A second signal kills at once: the
// default action is back after the first.
// One scope at a time, on the main thread.
#pragma once

#include "core/cancel.h"

namespace porthole::cli {

class InterruptScope {
public:
    InterruptScope();
    ~InterruptScope();
    InterruptScope(const InterruptScope &) = delete;
    InterruptScope &operator=(const InterruptScope &) = delete;

    const CancelToken &token() const { return m_token; }
    // The signal that cancelled, 0 if none came.
    int signal() const;
    // A failed command's exit status: what a shell expects after the signal
    // that stopped it (128 + its number), or failureCode if none came.
    int exitCode(int failureCode) const { return signal() ? 128 + signal() : failureCode; }

private:
    CancelToken m_token;
};

} // namespace porthole::cli
