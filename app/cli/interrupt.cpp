#include "cli/interrupt.h"

#include <atomic>
#include <csignal>
#include <unistd.h>

namespace porthole::cli {

namespace {

constexpr int kSignals[] = {SIGINT, SIGTERM, SIGHUP};

std::atomic<std::atomic_bool *> g_flag{nullptr};
volatile sig_atomic_t g_signal = 0;
struct sigaction g_previous[3];

void onSignal(int sig)
{
    g_signal = sig;
    if (std::atomic_bool *flag = g_flag.load())
        flag->store(true);
    // Only async-signal-safe calls here: write(2), not Qt's streams.
    static const char message[] = "\nStopping; cleaning up (press Ctrl+C again to quit at once)\n";
    (void)!::write(STDERR_FILENO, message, sizeof message - 1);
}

} // namespace

InterruptScope::InterruptScope()
{
    g_signal = 0;
    g_flag.store(m_token.signalSafeFlag());
    struct sigaction sa {};
    sa.sa_handler = onSignal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESETHAND | SA_RESTART; // the second signal: default action
    for (int i = 0; i < 3; ++i) {
        ::sigaction(kSignals[i], nullptr, &g_previous[i]);
        // A signal the caller ignores (nohup, a background job) stays ignored.
        if (g_previous[i].sa_handler != SIG_IGN)
            ::sigaction(kSignals[i], &sa, nullptr);
    }
}

InterruptScope::~InterruptScope()
{
    for (int i = 0; i < 3; ++i)
        ::sigaction(kSignals[i], &g_previous[i], nullptr);
    g_flag.store(nullptr);
}

int InterruptScope::signal() const { return g_signal; }

} // namespace porthole::cli
