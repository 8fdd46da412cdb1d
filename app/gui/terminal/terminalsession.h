// Terminal sessions: a process wired to a TerminalView. TerminalSession is
// the common part (state, the view's input and size going to the process)
// and all the terminal widget library (porthole_terminal) knows of a
// session. The container's sessions derive from it in their own library,
// porthole_terminal_sessions, which links the engine: AttachSession
// (attachsession.h) joins a container's main process, ExecSession
// (execsession.h) runs a new shell in it.
//
// Both read their fd (socket or pty master) through a QSocketNotifier in
// batches, and stop reading while the view has a backlog (TerminalView::
// pendingBytes) until it drains: a flood waits in the kernel, or in the shim,
// not in our memory, and the UI thread never blocks.
//
// Threading: UI thread only. The view must outlive the session or be
// released first with detach().
#pragma once

#include <QObject>
#include <QPointer>
#include <QString>

#include <optional>

namespace porthole::gui {

class TerminalView;

class TerminalSession : public QObject {
    Q_OBJECT
public:
    enum class State { Idle, Starting, Running, Ended, Detached };
    Q_ENUM(State)

    ~TerminalSession() override;

    // Wires the session to `view` (not owned) and starts it. Once.
    void start(TerminalView *view);
    // Leaves the process: an attach disconnects (the container runs on), a
    // shell is hung up. The view is not touched afterwards and the session
    // may be deleted at once; nothing is left unreaped.
    void detach();

    State state() const { return m_state; }
    bool isActive() const { return m_state == State::Starting || m_state == State::Running; }
    // Once Ended: the process's exit code, if it is known.
    std::optional<int> exitCode() const { return m_exitCode; }
    // Why the session could not start or ended without a status.
    QString errorText() const { return m_error; }

Q_SIGNALS:
    void stateChanged(porthole::gui::TerminalSession::State state);
    void ended(); // exitCode() and errorText() are set

protected:
    explicit TerminalSession(QObject *parent);
    TerminalView *view() const; // out of line: QPointer needs the complete type
    void setRunning();
    // Ends the session and says why in the view.
    void finish(std::optional<int> exitCode, const QString &error = {});

    virtual void begin() = 0;
    // Releases the process; called once, while the session is active.
    virtual void leave() = 0;
    virtual void sendBytes(const QByteArray &bytes) = 0;
    virtual void sendSize(int rows, int cols) = 0;

private:
    void setState(State state);

    QPointer<TerminalView> m_view;
    State m_state = State::Idle;
    std::optional<int> m_exitCode;
    QString m_error;
};

} // namespace porthole::gui
