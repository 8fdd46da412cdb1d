// The shim's steps around a container's life: prepare it from its record,
// clone its first process, wait for its setup, record "running", hand over
// to the supervisor, record the exit, clean up. Every system call is checked:
// a shim that cannot go on says why (to the launcher while it waits, else
// in shim.log, its stderr), and once the container ran, the exit is recorded
// whatever fails after.
#include "container/shim.h"

#include "container/shimsetup.h"
#include "runtime/attachprotocol.h"
#include "runtime/containerinit.h"
#include "runtime/supervisor.h"
#include "runtime/syncchannel.h"
#include "store/containerstore.h"
#include "store/store.h"

#include <QFile>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

namespace porthole::container {

using namespace runtime;

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

int listenOn(const QString &path)
{
    auto fd = attach::listenUnix(path);
    return fd ? *fd : -1;
}

// What the shim holds for the child while it sets itself up, then runs.
struct ShimIo {
    void *stack = MAP_FAILED;
    int signalFd = -1;
    int sync[2] = {-1, -1}; // [0] the shim's, [1] the child's
    int in[2] = {-1, -1}, out[2] = {-1, -1}, err[2] = {-1, -1};
};

constexpr size_t kCloneStackSize = 1 << 20;

QString systemError(const char *what) { return QStringLiteral("%1: %2").arg(QLatin1String(what), QString::fromLocal8Bit(strerror(errno))); }

// SIGCHLD through a signalfd, the sync channel, the stdio pipes (no tty) and
// the child's stack.
Result<ShimIo> openShimIo(bool tty, bool openStdin)
{
    ShimIo io;
    io.stack = ::mmap(nullptr, kCloneStackSize, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
    if (io.stack == MAP_FAILED)
        return Error(ErrorCode::Internal, systemError("allocate the container's setup stack"));
    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGCHLD);
    ::sigprocmask(SIG_BLOCK, &mask, nullptr);
    io.signalFd = ::signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
    if (io.signalFd < 0)
        return Error(ErrorCode::Internal, systemError("watch for the container's exit (signalfd)"));
    if (::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, io.sync) != 0)
        return Error(ErrorCode::Internal, systemError("open the channel to the container's setup"));
    if (!tty) {
        if ((openStdin && ::pipe2(io.in, O_CLOEXEC) != 0) || ::pipe2(io.out, O_CLOEXEC) != 0 || ::pipe2(io.err, O_CLOEXEC) != 0)
            return Error(ErrorCode::Internal, systemError("open the container's standard streams"));
    }
    return io;
}

// The child's ends, closed in the shim once it is cloned.
void closeChildEnds(ShimIo &io)
{
    for (int *fd : {&io.sync[1], &io.in[0], &io.out[1], &io.err[1]}) {
        if (*fd >= 0)
            ::close(*fd);
        *fd = -1;
    }
}

// A state the container must get: a failure is logged (the shim's stderr is
// shim.log) and the shim goes on, since there is nobody else to record it.
void recordState(store::ContainerStore &containers, const QString &id, const store::ContainerState &state)
{
    if (Status st = containers.writeState(id, state); !st)
        qWarning("porthole shim: record the state \"%s\" of container %s: %s", qPrintable(state.status), qPrintable(id),
                 qPrintable(st.error().message));
}

void removeRecord(store::ContainerStore &containers, const QString &id)
{
    if (Status st = containers.remove(id); !st)
        qWarning("porthole shim: remove container %s (--rm): %s", qPrintable(id), qPrintable(st.error().message));
}

// The container did not start: record why, tell the launcher, clean up.
int failStart(store::ContainerStore &containers, PreparedContainer &p, int reportFd, int code, const QString &why)
{
    store::ContainerState s = p.record.state;
    s.status = QStringLiteral("exited");
    s.exitCode = code;
    s.error = why;
    s.finishedAt = QDateTime::currentDateTimeUtc();
    recordState(containers, p.record.config.id, s);
    report(reportFd, "err " + QByteArray::number(code) + ' ' + why.toUtf8());
    releaseContainer(p);
    if (p.record.config.autoRemove)
        removeRecord(containers, p.record.config.id);
    return 1;
}

// Waits for the child to be set up (Ready), taking the pty master it sends.
// On failure returns the exit code and sets why.
std::optional<int> awaitSetup(int syncFd, pid_t child, int &ptyMaster, QString &why)
{
    if (Status sent = sendMessage(syncFd, SyncMessage::Configured); !sent) {
        ::kill(child, SIGKILL);
        ::waitpid(child, nullptr, 0);
        why = sent.error().context(QStringLiteral("tell the container's setup to go on")).message;
        return 125;
    }
    for (;;) {
        auto msg = receiveMessage(syncFd);
        if (!msg) {
            ::waitpid(child, nullptr, 0);
            why = QStringLiteral("the container's setup process died");
            return 125;
        }
        if (msg->message == SyncMessage::PtyMaster) {
            ptyMaster = msg->fd;
        } else if (msg->message == SyncMessage::Failed) {
            int code = 125;
            parseFailure(msg->payload, code, why);
            ::waitpid(child, nullptr, 0);
            return code;
        } else if (msg->message == SyncMessage::Ready) {
            return std::nullopt;
        }
    }
}

// Supervises the running container to its end and records it; a --rm
// container is out of sight before the clients hear the exit code (so
// `run --rm` returns with nothing left to see) and deleted after (the slow part).
void superviseToTheEnd(store::ContainerStore &containers, PreparedContainer &p, ShimIo &io, pid_t child,
                       int ptyMaster, const ShimOptions &options, const store::ContainerState &running)
{
    const QString &id = options.id;
    const int listenFd = listenOn(containers.socketPath(id));
    if (listenFd < 0)
        qWarning("porthole shim: container %s: cannot serve attach clients on %s", qPrintable(id),
                 qPrintable(containers.socketPath(id)));
    report(options.reportFd, "ok " + QByteArray::number(child));

    LogWriter log(containers.logPath(id));
    Supervisor supervisor(io.sync[0], child, log);
    supervisor.setOutputs(ptyMaster, io.in[1], io.out[0], io.err[0]);
    supervisor.run(listenFd, io.signalFd, options.waitForAttach);

    store::ContainerState exited = running;
    // The state file may say "paused" now; what matters is that it ended.
    exited.status = QStringLiteral("exited");
    exited.exitCode = supervisor.exitCode();
    exited.error = supervisor.error();
    exited.finishedAt = QDateTime::currentDateTimeUtc();
    exited.oomKilled = p.cgroup && p.cgroup->oomKills() > 0; // read before releaseContainer removes the cgroup
    exited.pid = 0;
    recordState(containers, id, exited);
    ::unlink(QFile::encodeName(containers.socketPath(id)).constData());
    releaseContainer(p);
    QString retired;
    if (p.record.config.autoRemove) {
        auto r = containers.retire(id);
        if (!r)
            qWarning("porthole shim: remove container %s (--rm): %s", qPrintable(id), qPrintable(r.error().message));
        retired = r.valueOr(QString());
    }
    supervisor.finish();
    if (!retired.isEmpty()) {
        if (Status st = store::ContainerStore::purge(retired); !st)
            qWarning("porthole shim: delete %s (--rm): %s", qPrintable(retired), qPrintable(st.error().message));
    }
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
    store::ContainerStore containers(**storeResult);
    auto prepared = prepareContainer(**storeResult, containers, options.id);
    if (!prepared) {
        report(options.reportFd, "err 125 " + prepared.error().message.toUtf8());
        return 1;
    }
    PreparedContainer &p = *prepared;
    auto opened = openShimIo(p.spec.tty, p.record.config.openStdin);
    if (!opened)
        return failStart(containers, p, options.reportFd, 125, opened.error().message);
    ShimIo &io = *opened;

    CloneArgs args{&p.spec, io.sync[1], {io.in[0], io.out[1], io.err[1]}, options.reportFd};
    int flags = CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWUTS | CLONE_NEWIPC | SIGCHLD;
    if (p.spec.newNetworkNamespace)
        flags |= CLONE_NEWNET;
    const pid_t child = ::clone(cloneEntry, static_cast<char *>(io.stack) + kCloneStackSize, flags, &args);
    const QString cloneError = systemError("clone the container's first process");
    closeChildEnds(io);
    if (child < 0)
        return failStart(containers, p, options.reportFd, 125, cloneError);
    if (auto s = attachToCgroupAndNetwork(p, child); !s) {
        ::kill(child, SIGKILL);
        return failStart(containers, p, options.reportFd, 125, s.error().message);
    }
    int ptyMaster = -1;
    QString why;
    if (auto failed = awaitSetup(io.sync[0], child, ptyMaster, why))
        return failStart(containers, p, options.reportFd, *failed, why);

    store::ContainerState running;
    running.status = QStringLiteral("running");
    running.pid = child;
    running.shimPid = ::getpid();
    running.startedAt = QDateTime::currentDateTimeUtc();
    recordState(containers, options.id, running);
    superviseToTheEnd(containers, p, io, child, ptyMaster, options, running);
    return 0;
}

} // namespace porthole::container
