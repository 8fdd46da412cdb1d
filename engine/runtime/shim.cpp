#include "runtime/shim.h"

#include "runtime/attachprotocol.h"
#include "runtime/cgroup.h"
#include "runtime/containerinit.h"
#include "runtime/logfile.h"
#include "runtime/network.h"
#include "runtime/shimsetup.h"
#include "runtime/syncchannel.h"
#include "store/containerstore.h"
#include "store/store.h"

#include <QElapsedTimer>
#include <QFile>
#include <QtEndian>

#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <map>
#include <optional>

namespace porthole::runtime {

namespace {

struct CloneArgs {
    const RuntimeSpec *spec;
    int syncFd;
    int stdio[3];
    int reportFd;
};

int cloneEntry(void *arg)
{
    auto *a = static_cast<CloneArgs *>(arg);
    // The launcher waits for this pipe's end of file: only the shim may hold it.
    if (a->reportFd >= 0)
        ::close(a->reportFd);
    containerMain(*a->spec, a->syncFd, a->stdio);
}

void report(int fd, const QByteArray &line)
{
    if (fd < 0)
        return;
    const QByteArray withNewline = line + '\n';
    (void)::write(fd, withNewline.constData(), size_t(withNewline.size()));
    ::close(fd);
}

void setNonBlocking(int fd) { ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK); }

int listenOn(const QString &path)
{
    auto fd = attach::listenUnix(path);
    return fd ? *fd : -1;
}

constexpr qsizetype kMaxPendingStdin = 1 << 20;

// The supervisor's state while the container runs.
class Supervisor {
public:
    Supervisor(store::ContainerStore &containers, const store::ContainerRecord &record, int syncFd, pid_t child,
               LogWriter &log)
        : m_containers(containers), m_record(record), m_sync(syncFd), m_child(child), m_log(log) {}

    void setOutputs(int ptyMaster, int stdinPipe, int stdoutPipe, int stderrPipe)
    {
        m_pty = ptyMaster;
        m_stdin = ptyMaster >= 0 ? ptyMaster : stdinPipe;
        m_stdout = ptyMaster >= 0 ? ptyMaster : stdoutPipe;
        m_stderr = stderrPipe;
        for (int fd : {m_stdin, m_stdout, m_stderr})
            if (fd >= 0)
                setNonBlocking(fd);
    }

    // Runs until the container's first process has exited; returns its status.
    void run(int listenFd, int signalFd, bool waitForAttach);
    // Tells the clients the exit code and lets them go: called after the
    // state is recorded (and a --rm container removed), so a client that
    // returns on it sees the final state.
    void finish();

    int exitCode() const { return m_exitCode; }
    const QString &error() const { return m_error; }

private:
    void start();
    void acceptClient(int listenFd);
    void handleClient(int fd);
    void dropClient(int fd);
    bool pumpOutput(int fd, attach::Frame frame, const char *stream);
    void flushStdin();
    void broadcast(const QByteArray &frame);

    store::ContainerStore &m_containers;
    store::ContainerRecord m_record;
    int m_sync;
    pid_t m_child;
    LogWriter &m_log;
    int m_pty = -1, m_stdin = -1, m_stdout = -1, m_stderr = -1;
    QByteArray m_pendingStdin;
    bool m_stdinEof = false;
    bool m_started = false;
    bool m_exited = false;
    int m_exitCode = 0;
    QString m_error;
    std::map<int, attach::FrameReader> m_clients;
};

void Supervisor::start()
{
    if (m_started)
        return;
    m_started = true;
    sendMessage(m_sync, SyncMessage::Start);
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
        if (fds[2].revents & (POLLIN | POLLHUP)) {
            auto msg = receiveMessage(m_sync);
            if (msg && msg->message == SyncMessage::Failed)
                parseFailure(msg->payload, m_exitCode, m_error);
            else if (!msg) {
                ::close(m_sync); // exec happened: the channel closed with it
                m_sync = -1;
            }
        }
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
        if (fds[1].revents & POLLIN) {
            signalfd_siginfo si;
            while (::read(signalFd, &si, sizeof si) == sizeof si) {
            }
            int status = 0;
            while (true) {
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

} // namespace

int runShim(const ShimOptions &options)
{
    ::prctl(PR_SET_CHILD_SUBREAPER, 1);
    if (options.reportFd >= 0)
        ::fcntl(options.reportFd, F_SETFD, FD_CLOEXEC);
    ::signal(SIGPIPE, SIG_IGN);
    ::signal(SIGHUP, SIG_IGN);
    auto storeResult = store::Store::open(options.storeRoot);
    if (!storeResult) {
        report(options.reportFd, "err 125 " + storeResult.error().message.toUtf8());
        return 1;
    }
    store::Store &st = **storeResult;
    store::ContainerStore containers(st);
    auto prepared = prepareContainer(st, containers, options.id);
    if (!prepared) {
        report(options.reportFd, "err 125 " + prepared.error().message.toUtf8());
        return 1;
    }
    PreparedContainer &p = *prepared;
    const int pageFlags = PROT_READ | PROT_WRITE;
    const size_t stackSize = 1 << 20;
    void *stack = ::mmap(nullptr, stackSize, pageFlags, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);

    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGCHLD);
    ::sigprocmask(SIG_BLOCK, &mask, nullptr);
    const int signalFd = ::signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);

    int syncPair[2];
    ::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, syncPair);
    int in[2] = {-1, -1}, out[2] = {-1, -1}, err[2] = {-1, -1};
    if (!p.spec.tty) {
        if (p.record.config.openStdin)
            ::pipe2(in, O_CLOEXEC);
        ::pipe2(out, O_CLOEXEC);
        ::pipe2(err, O_CLOEXEC);
    }
    CloneArgs args{&p.spec, syncPair[1], {in[0], out[1], err[1]}, options.reportFd};
    int flags = CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWUTS | CLONE_NEWIPC | SIGCHLD;
    if (p.spec.newNetworkNamespace)
        flags |= CLONE_NEWNET;
    const pid_t child = ::clone(cloneEntry, static_cast<char *>(stack) + stackSize, flags, &args);
    const int cloneErr = errno;
    ::close(syncPair[1]);
    for (int fd : {in[0], out[1], err[1]})
        if (fd >= 0)
            ::close(fd);
    auto failStart = [&](int code, const QString &why) {
        store::ContainerState s = p.record.state;
        s.status = QStringLiteral("exited");
        s.exitCode = code;
        s.error = why;
        s.finishedAt = QDateTime::currentDateTimeUtc();
        containers.writeState(options.id, s);
        report(options.reportFd, "err " + QByteArray::number(code) + ' ' + why.toUtf8());
        releaseContainer(p);
        if (p.record.config.autoRemove)
            containers.remove(options.id);
        return 1;
    };
    if (child < 0)
        return failStart(125, QStringLiteral("clone the container's first process: %1").arg(QString::fromLocal8Bit(strerror(cloneErr))));
    if (auto s = attachToCgroupAndNetwork(p, child); !s) {
        ::kill(child, SIGKILL);
        return failStart(125, s.error().message);
    }
    sendMessage(syncPair[0], SyncMessage::Configured);
    int ptyMaster = -1;
    for (;;) {
        auto msg = receiveMessage(syncPair[0]);
        if (!msg) {
            ::waitpid(child, nullptr, 0);
            return failStart(125, QStringLiteral("the container's setup process died"));
        }
        if (msg->message == SyncMessage::PtyMaster) {
            ptyMaster = msg->fd;
            continue;
        }
        if (msg->message == SyncMessage::Failed) {
            int code = 125;
            QString text;
            parseFailure(msg->payload, code, text);
            ::waitpid(child, nullptr, 0);
            return failStart(code, text);
        }
        if (msg->message == SyncMessage::Ready)
            break;
    }

    store::ContainerState running;
    running.status = QStringLiteral("running");
    running.pid = child;
    running.shimPid = ::getpid();
    running.startedAt = QDateTime::currentDateTimeUtc();
    containers.writeState(options.id, running);
    const int listenFd = listenOn(containers.socketPath(options.id));
    report(options.reportFd, "ok " + QByteArray::number(child));

    LogWriter log(containers.logPath(options.id));
    Supervisor supervisor(containers, p.record, syncPair[0], child, log);
    supervisor.setOutputs(ptyMaster, in[1], out[0], err[0]);
    supervisor.run(listenFd, signalFd, options.waitForAttach);

    store::ContainerState exited = running;
    // The state file may say "paused" now; what matters is that it ended.
    exited.status = QStringLiteral("exited");
    exited.exitCode = supervisor.exitCode();
    exited.error = supervisor.error();
    exited.finishedAt = QDateTime::currentDateTimeUtc();
    exited.oomKilled = p.cgroup && p.cgroup->oomKills() > 0; // read before releaseContainer removes the cgroup
    exited.pid = 0;
    containers.writeState(options.id, exited);
    ::unlink(QFile::encodeName(containers.socketPath(options.id)).constData());
    releaseContainer(p);
    // --rm: out of sight before the clients hear the exit code (so `run --rm`
    // returns with nothing left to see), deleted after (which is the slow part).
    QString retired;
    if (p.record.config.autoRemove)
        retired = containers.retire(options.id).valueOr(QString());
    supervisor.finish();
    if (!retired.isEmpty())
        (void)store::ContainerStore::purge(retired);
    return 0;
}

} // namespace porthole::runtime
