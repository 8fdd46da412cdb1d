#include "gui/terminal/execsession.h"

#include "gui/terminal/fdchannel.h"
#include "gui/terminal/terminalview.h"

#include <QCoreApplication>
#include <QSocketNotifier>
#include <QTimer>

#include <cerrno>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

namespace porthole::gui {

namespace {

constexpr qsizetype FinalDrain = 4 * 1024 * 1024; // what a process left when it ended

} // namespace

// Reports a child's exit code without blocking: a pidfd turns readable when
// the child ends (a 100 ms poll where pidfd_open is missing). The child may
// have been forked by another thread of this process (the starter's).
class ChildWatcher : public QObject {
public:
    ChildWatcher(pid_t pid, QObject *parent) : QObject(parent), m_pid(pid)
    {
        m_pidfd = int(::syscall(SYS_pidfd_open, pid, 0));
        if (m_pidfd >= 0) {
            m_notifier = new QSocketNotifier(m_pidfd, QSocketNotifier::Read, this);
            connect(m_notifier, &QSocketNotifier::activated, this, &ChildWatcher::check);
        } else {
            m_poll = new QTimer(this);
            connect(m_poll, &QTimer::timeout, this, &ChildWatcher::check);
            m_poll->start(100);
        }
        QTimer::singleShot(0, this, &ChildWatcher::check); // it may have ended already
    }
    ~ChildWatcher() override
    {
        if (m_pidfd >= 0)
            ::close(m_pidfd);
    }

    void setOnExit(std::function<void(int)> onExit) { m_onExit = std::move(onExit); }

    // Nobody waits for the exit any more: the watcher reaps and deletes
    // itself, outliving whatever owned it.
    void orphan()
    {
        setParent(QCoreApplication::instance());
        m_onExit = [this](int) { deleteLater(); };
    }

private:
    void check()
    {
        if (m_pid <= 0)
            return;
        int status = 0;
        const pid_t r = ::waitpid(m_pid, &status, WNOHANG);
        if (r == 0 || (r < 0 && errno == EINTR))
            return;
        const int code = r < 0 ? -1 : WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        m_pid = -1;
        if (m_notifier)
            m_notifier->setEnabled(false); // a pidfd stays readable once the child ended
        if (m_poll)
            m_poll->stop();
        if (m_onExit)
            m_onExit(code);
    }

    pid_t m_pid;
    int m_pidfd = -1;
    QSocketNotifier *m_notifier = nullptr;
    QTimer *m_poll = nullptr;
    std::function<void(int)> m_onExit;
};

// ---- ExecSession ----------------------------------------------------------

ExecSession::ExecSession(const QString &containerId, ExecStarter starter, QObject *parent)
    : TerminalSession(parent), m_containerId(containerId), m_starter(std::move(starter))
{
}

ExecSession::~ExecSession()
{
    if (isActive())
        detach();
}

runtime::ExecSpec ExecSession::shellSpec()
{
    runtime::ExecSpec spec;
    spec.path = QStringLiteral("/bin/sh");
    spec.args = {QStringLiteral("-c"),
                 QStringLiteral("if command -v bash >/dev/null 2>&1; then exec bash; fi; exec sh")};
    spec.env = {QStringLiteral("TERM=xterm-256color")};
    spec.tty = true;
    spec.keepStdin = true;
    return spec;
}

void ExecSession::begin()
{
    if (!m_starter) {
        finish(std::nullopt, tr("Opening a shell is not available here."));
        return;
    }
    m_starter(m_containerId, shellSpec(), this,
              [this](Result<runtime::ExecProcess> process) { started(std::move(process)); });
}

void ExecSession::started(Result<runtime::ExecProcess> process)
{
    if (!process) {
        finish(std::nullopt, tr("Could not open a shell: %1").arg(process.error().message));
        return;
    }
    if (state() != State::Starting || !view()) {
        // Detached while it started: hang it up and reap it in the background.
        if (process->ptyMaster >= 0)
            ::close(process->ptyMaster);
        (new ChildWatcher(process->pid, nullptr))->orphan();
        return;
    }
    m_pid = process->pid;
    m_watcher = new ChildWatcher(m_pid, this);
    m_watcher->setOnExit([this](int code) { onChildExited(code); });
    if (process->ptyMaster < 0) {
        finish(std::nullopt, tr("The shell got no terminal."));
        return;
    }
    m_channel = new FdChannel(process->ptyMaster, false, view(), this);
    m_channel->onData = [this](const QByteArray &data) {
        if (view())
            view()->feed(data);
    };
    // EIO once the shell is gone: its exit status comes from the watcher.
    setRunning();
    sendSize(view()->surface()->rows(), view()->surface()->cols());
}

void ExecSession::onChildExited(int code)
{
    m_pid = -1;
    if (m_channel) {
        m_channel->read(FinalDrain); // the last words are still in the pty
        m_channel->close();
    }
    finish(code);
}

void ExecSession::sendBytes(const QByteArray &bytes)
{
    if (m_channel)
        m_channel->write(bytes);
}

void ExecSession::sendSize(int rows, int cols)
{
    if (!m_channel || m_channel->fd() < 0)
        return;
    winsize ws{};
    ws.ws_row = quint16(rows);
    ws.ws_col = quint16(cols);
    ::ioctl(m_channel->fd(), TIOCSWINSZ, &ws);
}

void ExecSession::leave()
{
    // Closing the master hangs the shell up (SIGHUP), as closing a terminal
    // window does; its helper is reaped whenever it ends.
    if (m_channel)
        m_channel->close();
    if (m_watcher && m_pid > 0) {
        m_watcher->orphan();
        m_watcher = nullptr;
    }
}

} // namespace porthole::gui
