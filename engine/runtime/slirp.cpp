#include "runtime/slirp.h"

#include <QByteArrayList>
#include <QElapsedTimer>
#include <QFile>

#include <algorithm>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/seccomp.h>

#include <utility>
#include <vector>

extern char **environ;

namespace porthole::runtime {

namespace {

// glibc 2.36's <sys/pidfd.h> lacks extern "C", so C++ cannot link its wrapper.
int openPidFd(pid_t pid)
{
    return int(::syscall(SYS_pidfd_open, pid, 0));
}

// Moves fd to a number >= 10, close-on-exec, so dup2 onto 0..4 in the child
// can never clobber another source.
int highFd(int fd)
{
    if (fd < 0 || fd >= 10)
        return fd;
    const int high = ::fcntl(fd, F_DUPFD_CLOEXEC, 10);
    ::close(fd);
    return high;
}

struct FdMap {
    int from;
    int to;
};

// posix_spawn rather than fork: the engine runs inside threaded Qt programs,
// where a forked child may only call async-signal-safe functions. Stdin is
// /dev/null, stdout and stderr go to outFd, `fds` are placed, all else closed.
Result<pid_t> spawnProcess(const QString &program, const QStringList &args, int outFd, const std::vector<FdMap> &fds)
{
    QByteArrayList storage{QFile::encodeName(program)};
    for (const QString &a : args)
        storage.append(a.toLocal8Bit());
    std::vector<char *> argv;
    for (QByteArray &a : storage)
        argv.push_back(a.data());
    argv.push_back(nullptr);

    posix_spawn_file_actions_t actions;
    posix_spawnattr_t attr;
    posix_spawn_file_actions_init(&actions);
    posix_spawnattr_init(&attr);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, outFd, 1);
    posix_spawn_file_actions_adddup2(&actions, outFd, 2);
    int next = 3;
    for (const FdMap &m : fds) {
        posix_spawn_file_actions_adddup2(&actions, m.from, m.to);
        next = qMax(next, m.to + 1);
    }
    posix_spawn_file_actions_addclosefrom_np(&actions, next);
    // Exec keeps ignored signals ignored and the mask as it is; Qt programs
    // ignore SIGPIPE, and slirp4netns should see the defaults.
    sigset_t none, defaults;
    sigemptyset(&none);
    sigemptyset(&defaults);
    for (int sig : {SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGCHLD, SIGUSR1, SIGUSR2})
        sigaddset(&defaults, sig);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setsigdefault(&attr, &defaults);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

    pid_t pid = -1;
    const int err = posix_spawnp(&pid, argv[0], &actions, &attr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
    if (err == ENOENT)
        return Error(ErrorCode::NotFound,
                     QStringLiteral("run %1: not found (install the Debian package slirp4netns)").arg(program), err);
    if (err != 0)
        return Error::fromErrno(QStringLiteral("run %1").arg(program), err);
    return pid;
}

QByteArray readTail(int fd, qsizetype maxBytes)
{
    struct stat st{};
    if (fd < 0 || ::fstat(fd, &st) != 0)
        return {};
    const off_t start = qMax<off_t>(0, st.st_size - maxBytes);
    QByteArray out(qsizetype(st.st_size - start), Qt::Uninitialized);
    const ssize_t n = ::pread(fd, out.data(), size_t(out.size()), start);
    out.resize(qMax<ssize_t>(n, 0));
    return out;
}

// Reaps our child pid, waiting up to graceMs before SIGKILL. pidFd (or -1)
// makes the wait a poll instead of a sleep loop. Returns the wait status.
int waitOrKill(pid_t pid, int pidFd, int graceMs)
{
    int status = 0;
    QElapsedTimer clock;
    clock.start();
    pid_t done = ::waitpid(pid, &status, WNOHANG);
    while (done == 0 && clock.elapsed() < graceMs) {
        if (pidFd >= 0) {
            pollfd p{pidFd, POLLIN, 0};
            ::poll(&p, 1, int(qMax<qint64>(1, graceMs - clock.elapsed())));
        } else {
            ::usleep(10000);
        }
        done = ::waitpid(pid, &status, WNOHANG);
    }
    if (done == 0) {
        ::kill(pid, SIGKILL); // still our unreaped child: the pid cannot be reused yet
        while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
        }
    }
    return status;
}

QString describeWaitStatus(int status)
{
    if (WIFEXITED(status))
        return QStringLiteral("exited with status %1").arg(WEXITSTATUS(status));
    if (WIFSIGNALED(status))
        return QStringLiteral("was killed by signal %1").arg(WTERMSIG(status));
    return QStringLiteral("ended");
}

struct SlirpFeatures {
    bool sandbox = false;
    bool seccomp = false;
};

// Options are found in --help, as rootlesskit does: versions differ between
// distributions and an unknown option makes slirp4netns exit.
Result<SlirpFeatures> detectFeatures(const QString &binary)
{
    const QString step = QStringLiteral("query %1 --help").arg(binary);
    const int memfd = highFd(::memfd_create("slirp4netns-help", MFD_CLOEXEC));
    if (memfd < 0)
        return Error::fromErrno(step + QStringLiteral(": memfd_create"), errno);
    auto pid = spawnProcess(binary, {QStringLiteral("--help")}, memfd, {});
    if (!pid) {
        ::close(memfd);
        return pid.error();
    }
    const int pidFd = openPidFd(*pid);
    const int status = waitOrKill(*pid, pidFd, 5000);
    if (pidFd >= 0)
        ::close(pidFd);
    const QByteArray help = readTail(memfd, 1 << 16);
    ::close(memfd);
    // --netns-type came with 0.4.0, the release that writes the ready fd only
    // after the API socket listens; older ones would race our first request.
    if (!help.contains("--api-socket") || !help.contains("--netns-type"))
        return Error(ErrorCode::FailedPrecondition,
                     step + QStringLiteral(": slirp4netns 0.4.0 or newer is needed (it %1)").arg(describeWaitStatus(status)));
    SlirpFeatures f;
    f.sandbox = help.contains("--enable-sandbox");
    // PR_SET_SECCOMP with no filter fails with EFAULT/EACCES if the kernel has
    // seccomp filters and EINVAL if not; nothing gets installed either way.
    f.seccomp = help.contains("--enable-seccomp") && ::prctl(PR_GET_SECCOMP, 0, 0, 0, 0) >= 0
        && ::prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, 0, 0, 0) != 0 && errno != EINVAL;
    return f;
}

// --enable-sandbox leaves slirp4netns only /etc and /run of the host; its DNS
// forwarder then cannot read a resolv.conf that links elsewhere.
bool sandboxCanReadResolvConf()
{
    char *real = ::realpath("/etc/resolv.conf", nullptr);
    if (!real)
        return errno == ENOENT;
    const bool ok = std::strncmp(real, "/etc/", 5) == 0 || std::strncmp(real, "/run/", 5) == 0;
    ::free(real);
    return ok;
}

// Waits for slirp4netns's "1" on the ready pipe; false on time-out or if the
// process ends (the pipe closes) first.
Status waitReady(int readyFd, int pidFd, int timeoutMs)
{
    QElapsedTimer clock;
    clock.start();
    for (;;) {
        pollfd p[2] = {{readyFd, POLLIN, 0}, {pidFd, POLLIN, 0}};
        const int left = int(qMax<qint64>(0, timeoutMs - clock.elapsed()));
        const int n = ::poll(p, pidFd >= 0 ? 2 : 1, left);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return Error::fromErrno(QStringLiteral("wait for readiness"), errno);
        if (n == 0)
            return Error(ErrorCode::Unavailable, QStringLiteral("not ready within %1 ms").arg(timeoutMs));
        if (p[0].revents) {
            char c = 0;
            const ssize_t r = ::read(readyFd, &c, 1);
            if (r == 1)
                return {};
            if (r < 0 && errno == EINTR)
                continue;
        }
        return Error(ErrorCode::Unavailable, QStringLiteral("ended before it was ready"));
    }
}

} // namespace

Result<SlirpNetwork> SlirpNetwork::start(pid_t containerPid, const QList<PortMapping> &ports,
                                         const QString &apiSocketPath, const SlirpOptions &options)
{
    const QString step = QStringLiteral("start slirp4netns for process %1").arg(containerPid);
    if (containerPid <= 0 || (::kill(containerPid, 0) != 0 && errno == ESRCH))
        return Error(ErrorCode::NotFound, step + QStringLiteral(": no such process"));
    const QByteArray socketPath = QFile::encodeName(apiSocketPath);
    if (socketPath.isEmpty() || socketPath.size() > 107)
        return Error(ErrorCode::InvalidArgument,
                     step + QStringLiteral(": API socket path \"%1\" is empty or longer than 107 bytes").arg(apiSocketPath));
    struct stat st{};
    if (::lstat(socketPath.constData(), &st) == 0) {
        if (!S_ISSOCK(st.st_mode))
            return Error(ErrorCode::AlreadyExists,
                         step + QStringLiteral(": \"%1\" exists and is not a socket").arg(apiSocketPath));
        ::unlink(socketPath.constData()); // left by a slirp4netns that was killed
    }

    auto assigned = assignHostPorts(ports);
    if (!assigned)
        return assigned.error().context(step);
    auto features = detectFeatures(options.binary);
    if (!features)
        return features.error().context(step);

    QStringList args{QStringLiteral("--configure"), QStringLiteral("--mtu=%1").arg(options.mtu),
                     QStringLiteral("--ready-fd=3"), QStringLiteral("--exit-fd=4"),
                     QStringLiteral("--api-socket=") + apiSocketPath};
    // slirp4netns's UDP port forwarding answers through the host-loopback
    // path (replies go to 10.0.2.2), so a container that publishes a UDP
    // port keeps it; TCP forwarding does not need it.
    const bool publishesUdp = std::any_of(assigned->begin(), assigned->end(),
                                          [](const PortMapping &m) { return m.proto == QLatin1String("udp"); });
    if (!options.allowHostLoopback && !publishesUdp)
        args << QStringLiteral("--disable-host-loopback");
    if (options.sandbox && features->sandbox && sandboxCanReadResolvConf()) {
        args << QStringLiteral("--enable-sandbox");
        if (features->seccomp)
            args << QStringLiteral("--enable-seccomp");
    }
    args << QString::number(containerPid) << QStringLiteral("tap0");

    SlirpNetwork net;
    net.m_apiSocketPath = apiSocketPath;
    net.m_arguments = args;
    int ready[2] = {-1, -1};
    int exitPipe[2] = {-1, -1};
    if (::pipe2(ready, O_CLOEXEC) != 0)
        return Error::fromErrno(step + QStringLiteral(": pipe"), errno);
    if (::pipe2(exitPipe, O_CLOEXEC) != 0) {
        const int err = errno;
        ::close(ready[0]);
        ::close(ready[1]);
        return Error::fromErrno(step + QStringLiteral(": pipe"), err);
    }
    net.m_exitFd = exitPipe[1];
    net.m_logFd = highFd(::memfd_create("slirp4netns-output", MFD_CLOEXEC));
    const int readyRead = ready[0];
    const int readyWrite = highFd(ready[1]);
    const int exitRead = highFd(exitPipe[0]);
    Result<pid_t> pid = net.m_logFd < 0 || readyWrite < 0 || exitRead < 0
        ? Result<pid_t>(Error::fromErrno(step + QStringLiteral(": set up descriptors"), errno))
        : spawnProcess(options.binary, args, net.m_logFd, {{readyWrite, 3}, {exitRead, 4}});
    // Our copies would keep the pipes open after slirp4netns is gone.
    ::close(readyWrite);
    ::close(exitRead);
    if (!pid) {
        ::close(readyRead);
        return pid.error().context(step);
    }
    net.m_pid = *pid;
    net.m_pidFd = openPidFd(net.m_pid); // -1 on old kernels: waits then poll waitpid

    const Status isReady = waitReady(readyRead, net.m_pidFd, options.readyTimeoutMs);
    ::close(readyRead);
    if (!isReady) {
        const int status = net.reap(200);
        const QByteArray said = net.output(2000).trimmed();
        return Error(isReady.error().code,
                     QStringLiteral("%1: slirp4netns %2 (it %3)%4")
                         .arg(step, isReady.error().message, describeWaitStatus(status),
                              said.isEmpty() ? QString() : QStringLiteral(": ") + QString::fromLocal8Bit(said)));
    }

    for (const PortMapping &m : std::as_const(*assigned)) {
        auto id = addSlirpPortForward(apiSocketPath, m);
        if (!id)
            return id.error().context(step);
    }
    net.m_ports = *assigned;
    return net;
}

SlirpNetwork::SlirpNetwork(SlirpNetwork &&other) noexcept
{
    *this = std::move(other);
}

SlirpNetwork &SlirpNetwork::operator=(SlirpNetwork &&other) noexcept
{
    if (this == &other)
        return *this;
    release();
    m_pid = std::exchange(other.m_pid, -1);
    m_pidFd = std::exchange(other.m_pidFd, -1);
    m_exitFd = std::exchange(other.m_exitFd, -1);
    m_logFd = std::exchange(other.m_logFd, -1);
    m_apiSocketPath = std::move(other.m_apiSocketPath);
    m_ports = std::move(other.m_ports);
    m_arguments = std::move(other.m_arguments);
    return *this;
}

SlirpNetwork::~SlirpNetwork()
{
    release();
}

void SlirpNetwork::release() noexcept
{
    (void)stop();
    if (m_logFd >= 0)
        ::close(std::exchange(m_logFd, -1));
}

QByteArray SlirpNetwork::output(qsizetype maxBytes) const
{
    return readTail(m_logFd, maxBytes);
}

Result<PortMapping> SlirpNetwork::publish(const PortMapping &port)
{
    if (!running())
        return Error(ErrorCode::FailedPrecondition,
                     QStringLiteral("publish %1: slirp4netns is not running").arg(formatPortMapping(port)));
    PH_TRY(QList<PortMapping> assigned, assignHostPorts({port}));
    PH_TRY(int id, addSlirpPortForward(m_apiSocketPath, assigned.first()));
    Q_UNUSED(id);
    m_ports.append(assigned.first());
    return assigned.first();
}

int SlirpNetwork::reap(int graceMs)
{
    if (m_pid <= 0)
        return 0;
    if (m_exitFd >= 0)
        ::close(std::exchange(m_exitFd, -1)); // slirp4netns polls the other end and exits
    const int status = waitOrKill(m_pid, m_pidFd, graceMs);
    if (m_pidFd >= 0)
        ::close(std::exchange(m_pidFd, -1));
    m_pid = -1;
    return status;
}

Status SlirpNetwork::stop(int graceMs)
{
    if (m_pid <= 0)
        return {};
    reap(graceMs);
    const QByteArray path = QFile::encodeName(m_apiSocketPath);
    struct stat st{};
    if (::lstat(path.constData(), &st) == 0 && S_ISSOCK(st.st_mode) && ::unlink(path.constData()) != 0)
        return Error::fromErrno(QStringLiteral("stop slirp4netns: remove API socket %1").arg(m_apiSocketPath), errno);
    return {};
}

} // namespace porthole::runtime
