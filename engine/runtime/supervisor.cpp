#include "runtime/supervisor.h"

#include "runtime/syncchannel.h"

#include <QElapsedTimer>
#include <QtEndian>

#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <vector>

namespace porthole::runtime {

namespace {

void setNonBlocking(int fd) { ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK); }

constexpr qsizetype kMaxPendingStdin = 1 << 20;

} // namespace

void Supervisor::setOutputs(int ptyMaster, int stdinPipe, int stdoutPipe, int stderrPipe)
{
    m_pty = ptyMaster;
    m_stdin = ptyMaster >= 0 ? ptyMaster : stdinPipe;
    m_stdout = ptyMaster >= 0 ? ptyMaster : stdoutPipe;
    m_stderr = stderrPipe;
    for (int fd : {m_stdin, m_stdout, m_stderr})
        if (fd >= 0)
            setNonBlocking(fd);
}

void Supervisor::start()
{
    if (m_started)
        return;
    m_started = true;
    // A child that never hears "start" would wait forever, and so would we.
    if (Status sent = sendMessage(m_sync, SyncMessage::Start); !sent) {
        m_error = sent.error().context(QStringLiteral("start the container's command")).message;
        m_exitCode = 125;
        ::kill(m_child, SIGKILL);
    }
}

void Supervisor::broadcast(const QByteArray &frame)
{
    QList<int> dead;
    for (auto &[fd, reader] : m_clients) {
        if (!attach::writeAll(fd, frame))
            dead.append(fd);
    }
    for (int fd : dead)
        dropClient(fd);
}

void Supervisor::acceptClient(int listenFd)
{
    const int fd = ::accept4(listenFd, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd >= 0)
        m_clients[fd] = attach::FrameReader();
}

void Supervisor::dropClient(int fd)
{
    m_clients.erase(fd);
    ::close(fd);
}

void Supervisor::flushStdin()
{
    while (!m_pendingStdin.isEmpty() && m_stdin >= 0) {
        const ssize_t n = ::write(m_stdin, m_pendingStdin.constData(), size_t(m_pendingStdin.size()));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && errno == EAGAIN)
            return;
        if (n <= 0) {
            // EPIPE or EIO: nobody reads the rest; keeping it would make
            // poll report the error forever.
            m_pendingStdin.clear();
            break;
        }
        m_pendingStdin.remove(0, n);
    }
    // The end of input goes after the bytes sent before it, not instead.
    if (m_stdinEof && m_pendingStdin.isEmpty() && m_pty < 0 && m_stdin >= 0) {
        ::close(m_stdin);
        m_stdin = -1;
    }
}

void Supervisor::handleClient(int fd)
{
    char buf[65536];
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n <= 0) {
        dropClient(fd);
        return;
    }
    attach::FrameReader &reader = m_clients[fd];
    reader.append(buf, n);
    while (auto frame = reader.next()) {
        switch (frame->first) {
        case attach::Frame::Hello:
            if (!frame->second.isEmpty() && (frame->second[0] & attach::kStartNow))
                start();
            break;
        case attach::Frame::Stdin:
            m_pendingStdin += frame->second;
            flushStdin();
            break;
        case attach::Frame::StdinEof:
            m_stdinEof = true;
            flushStdin();
            break;
        case attach::Frame::Resize: {
            int rows = 0, cols = 0;
            if (m_pty >= 0 && attach::parseResize(frame->second, rows, cols)) {
                winsize ws{quint16(rows), quint16(cols), 0, 0};
                ::ioctl(m_pty, TIOCSWINSZ, &ws);
            }
            break;
        }
        default:
            break;
        }
    }
    if (reader.overflowed())
        dropClient(fd);
}

// Returns false at end of stream.
bool Supervisor::pumpOutput(int fd, attach::Frame frame, const char *stream)
{
    char buf[65536];
    for (;;) {
        const ssize_t n = ::read(fd, buf, sizeof buf);
        if (n > 0) {
            const QByteArray data(buf, n);
            m_log.write(stream, data);
            broadcast(attach::encode(frame, data));
            continue;
        }
        if (n < 0 && (errno == EAGAIN || errno == EINTR))
            return true;
        return false; // EOF, or EIO on a pty whose last slave closed
    }
}

void Supervisor::readSync()
{
    auto msg = receiveMessage(m_sync);
    if (msg && msg->message == SyncMessage::Failed) {
        parseFailure(msg->payload, m_exitCode, m_error);
    } else if (!msg) {
        ::close(m_sync); // exec happened: the channel closed with it
        m_sync = -1;
    }
}

// The shim is the subreaper of the container's orphans too: reap them all,
// and note the first process's end.
void Supervisor::reap(int signalFd)
{
    signalfd_siginfo si;
    while (::read(signalFd, &si, sizeof si) == sizeof si) {
    }
    int status = 0;
    for (;;) {
        const pid_t pid = ::waitpid(-1, &status, WNOHANG);
        if (pid <= 0)
            break;
        if (pid == m_child) {
            m_exited = true;
            const int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
            if (m_error.isEmpty() || code != 0)
                m_exitCode = code;
        }
    }
}

void Supervisor::run(int listenFd, int signalFd, bool waitForAttach)
{
    if (!waitForAttach)
        start();
    // An attacher that never comes (its process died) must not hold the
    // container forever.
    QElapsedTimer waiting;
    waiting.start();
    bool outOpen = m_stdout >= 0, errOpen = m_stderr >= 0;
    while (!m_exited) {
        std::vector<pollfd> fds;
        fds.push_back({listenFd, POLLIN, 0});
        fds.push_back({signalFd, POLLIN, 0});
        fds.push_back({m_sync, POLLIN, 0});
        fds.push_back({outOpen ? m_stdout : -1, POLLIN, 0});
        fds.push_back({errOpen ? m_stderr : -1, POLLIN, 0});
        fds.push_back({!m_pendingStdin.isEmpty() ? m_stdin : -1, POLLOUT, 0});
        // Input the container does not take yet stays in the clients'
        // sockets (and makes them wait), not in our memory.
        const short clientEvents = m_pendingStdin.size() < kMaxPendingStdin ? POLLIN : 0;
        for (auto &[fd, reader] : m_clients)
            fds.push_back({fd, clientEvents, 0});
        const int rc = ::poll(fds.data(), fds.size(), m_started ? -1 : 200);
        if (rc < 0 && errno != EINTR)
            break;
        if (!m_started && waiting.elapsed() >= 30000)
            start();
        if (fds[0].revents & POLLIN)
            acceptClient(listenFd);
        if (fds[2].revents & (POLLIN | POLLHUP))
            readSync();
        if (fds[3].revents)
            outOpen = pumpOutput(m_stdout, attach::Frame::Stdout, "stdout");
        if (fds[4].revents)
            errOpen = pumpOutput(m_stderr, attach::Frame::Stderr, "stderr");
        if (fds[5].revents)
            flushStdin();
        for (size_t i = 6; i < fds.size(); ++i) {
            if (fds[i].revents)
                handleClient(fds[i].fd);
        }
        if (fds[1].revents & POLLIN)
            reap(signalFd);
    }
    // What the process wrote just before it died is still in the pipes.
    if (outOpen)
        pumpOutput(m_stdout, attach::Frame::Stdout, "stdout");
    if (errOpen)
        pumpOutput(m_stderr, attach::Frame::Stderr, "stderr");
}

void Supervisor::finish()
{
    QByteArray exitPayload(4, Qt::Uninitialized);
    qToBigEndian<qint32>(m_exitCode, exitPayload.data());
    broadcast(attach::encode(attach::Frame::Exit, exitPayload + m_error.toUtf8()));
    for (auto &[fd, reader] : m_clients)
        ::close(fd);
    m_clients.clear();
}

} // namespace porthole::runtime
