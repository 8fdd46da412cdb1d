#include "cli/attachclient.h"

#include "runtime/attachprotocol.h"

#include <QFile>
#include <QThread>

#include <cerrno>
#include <csignal>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>

namespace porthole::cli {

namespace attach = runtime::attach;

namespace {

constexpr qsizetype kMaxQueuedInput = 256 * 1024;

Result<int> connectSocket(const QString &path)
{
    // The shim listens right after it reports the start; allow it a moment.
    for (int attempt = 0;; ++attempt) {
        auto fd = attach::connectUnix(path);
        if (fd || attempt >= 100)
            return fd;
        const int err = fd.error().sysErrno;
        if (err != ENOENT && err != ECONNREFUSED)
            return fd.error().context(QStringLiteral("attach to the container"));
        QThread::msleep(20);
    }
}

// Puts the terminal in raw mode for the lifetime of the object.
class RawTerminal {
public:
    explicit RawTerminal(bool enable)
    {
        if (!enable || ::tcgetattr(STDIN_FILENO, &m_saved) != 0)
            return;
        termios raw = m_saved;
        ::cfmakeraw(&raw);
        m_active = ::tcsetattr(STDIN_FILENO, TCSANOW, &raw) == 0;
    }
    ~RawTerminal()
    {
        if (m_active)
            ::tcsetattr(STDIN_FILENO, TCSANOW, &m_saved);
    }

private:
    termios m_saved{};
    bool m_active = false;
};

QByteArray windowSize()
{
    winsize ws{};
    if (::ioctl(STDIN_FILENO, TIOCGWINSZ, &ws) != 0 || ws.ws_row == 0)
        return {};
    return attach::resizePayload(ws.ws_row, ws.ws_col);
}

void writeOut(int fd, const QByteArray &data)
{
    qsizetype off = 0;
    while (off < data.size()) {
        const ssize_t n = ::write(fd, data.constData() + off, size_t(data.size() - off));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return;
        off += n;
    }
}

} // namespace

Result<AttachOutcome> attachToContainer(const QString &socketPath, const AttachOptions &options)
{
    PH_TRY(const int sock, connectSocket(socketPath));
    const bool terminal = options.tty && ::isatty(STDIN_FILENO);
    char flags = 0;
    if (options.stdinOpen)
        flags |= attach::kWantStdin;
    if (options.startNow)
        flags |= attach::kStartNow;
    // The size goes first, so the program starts with the right one.
    if (terminal) {
        const QByteArray size = windowSize();
        if (!size.isEmpty())
            (void)attach::writeAll(sock, attach::encode(attach::Frame::Resize, size));
    }
    PH_CHECK(attach::writeAll(sock, attach::encode(attach::Frame::Hello, QByteArray(1, flags))));

    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGWINCH);
    ::sigprocmask(SIG_BLOCK, &mask, nullptr);
    const int winchFd = ::signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
    RawTerminal raw(terminal);

    AttachOutcome outcome;
    attach::FrameReader reader;
    bool stdinOpen = options.stdinOpen;
    bool sawCtrlP = false;
    // Frames for the shim wait here while its socket is full: a blocking
    // send would stop us reading the output the shim is blocked sending us.
    QByteArray toShim;
    char buf[65536];
    for (;;) {
        const bool readStdin = stdinOpen && toShim.size() < kMaxQueuedInput;
        pollfd fds[3] = {{sock, short(POLLIN | (toShim.isEmpty() ? 0 : POLLOUT)), 0},
                         {readStdin ? STDIN_FILENO : -1, POLLIN, 0},
                         {winchFd, POLLIN, 0}};
        if (::poll(fds, 3, -1) < 0 && errno != EINTR)
            break;
        if (fds[2].revents & POLLIN) {
            signalfd_siginfo si;
            while (::read(winchFd, &si, sizeof si) == sizeof si) {
            }
            const QByteArray size = windowSize();
            if (!size.isEmpty())
                toShim += attach::encode(attach::Frame::Resize, size);
        }
        if (fds[1].revents) {
            const ssize_t n = ::read(STDIN_FILENO, buf, sizeof buf);
            if (n <= 0) {
                stdinOpen = false;
                toShim += attach::encode(attach::Frame::StdinEof);
            } else {
                QByteArray data(buf, n);
                if (terminal) {
                    // docker's detach keys: ctrl-p then ctrl-q.
                    for (qsizetype i = 0; i < data.size(); ++i) {
                        if (sawCtrlP && data[i] == 0x11) {
                            outcome.detached = true;
                            break;
                        }
                        sawCtrlP = data[i] == 0x10;
                    }
                    if (outcome.detached)
                        break;
                }
                toShim += attach::encode(attach::Frame::Stdin, data);
            }
        }
        if (!toShim.isEmpty()) {
            const ssize_t n = ::send(sock, toShim.constData(), size_t(toShim.size()), MSG_DONTWAIT | MSG_NOSIGNAL);
            if (n > 0)
                toShim.remove(0, n);
            else if (n < 0 && errno != EAGAIN && errno != EINTR)
                break;
        }
        if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
            const ssize_t n = ::read(sock, buf, sizeof buf);
            if (n <= 0)
                break;
            reader.append(buf, n);
            while (auto frame = reader.next()) {
                if (frame->first == attach::Frame::Stdout)
                    writeOut(STDOUT_FILENO, frame->second);
                else if (frame->first == attach::Frame::Stderr)
                    writeOut(STDERR_FILENO, frame->second);
                else if (frame->first == attach::Frame::Exit) {
                    const attach::ExitStatus status = attach::parseExit(frame->second);
                    outcome.exited = true;
                    outcome.exitCode = status.code;
                    outcome.error = status.message;
                }
            }
            if (outcome.exited)
                break;
        }
    }
    ::close(sock);
    ::close(winchFd);
    ::sigprocmask(SIG_UNBLOCK, &mask, nullptr);
    return outcome;
}

} // namespace porthole::cli
