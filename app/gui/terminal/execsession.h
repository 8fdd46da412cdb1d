// ExecSession runs a new shell in a running container (bash if it has one,
// else sh) with a pty of its own, and reaps its helper process through a
// pidfd.
//
// Threading: UI thread only, as TerminalSession.
#pragma once

#include "core/result.h"
#include "gui/terminal/terminalsession.h"
#include "runtime/exec.h"

#include <functional>

namespace porthole::gui {

class ChildWatcher;
class FdChannel;

// How an ExecSession gets its process: start `spec` in the running container
// and, later, call `done` exactly once on `context`'s thread (never from
// inside the call). With success the pty master and the helper pid belong to
// `done`. If `context` is destroyed first, the starter closes the master and
// kills and reaps the helper itself.
//
// The helper must be forked by a thread that lives as long as the process:
// exec's helper dies (PR_SET_PDEATHSIG) with the thread that forked it, so
// not a QThreadPool thread that may expire. In the GUI this is
// EngineService::execInContainer, which runs on the service's worker thread.
using ExecDone = std::function<void(Result<runtime::ExecProcess>)>;
using ExecStarter = std::function<void(const QString &containerId, const runtime::ExecSpec &spec, QObject *context,
                                       ExecDone done)>;

class ExecSession : public TerminalSession {
    Q_OBJECT
public:
    ExecSession(const QString &containerId, ExecStarter starter, QObject *parent = nullptr);
    ~ExecSession() override;

    // The shell the session runs: bash if the container has it on its
    // PATH, else sh, with a pty and TERM for this emulator.
    static runtime::ExecSpec shellSpec();
    // The helper process's pid while it runs (-1 otherwise), for tests.
    pid_t helperPid() const { return m_pid; }

protected:
    void begin() override;
    void leave() override;
    void sendBytes(const QByteArray &bytes) override;
    void sendSize(int rows, int cols) override;

private:
    void started(Result<runtime::ExecProcess> process);
    void onChildExited(int code);

    QString m_containerId;
    ExecStarter m_starter;
    pid_t m_pid = -1;
    FdChannel *m_channel = nullptr; // the pty master
    ChildWatcher *m_watcher = nullptr;
};

} // namespace porthole::gui
