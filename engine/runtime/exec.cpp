#include "runtime/exec.h"

#include "runtime/cgroup.h"
#include "runtime/processsetup.h"
#include "runtime/rlimits.h"
#include "runtime/spec.h"
#include "runtime/syncchannel.h"
#include "runtime/trampoline.h"

#include <QFile>

#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

namespace porthole::runtime {

namespace {

[[noreturn]] void failExec(int syncFd, int code, const QString &text)
{
    sendMessage(syncFd, SyncMessage::Failed, failurePayload(code, text));
    ::_exit(code);
}

// The process that ends up running the command, already inside every
// namespace of the container.
[[noreturn]] void execInContainer(const ExecSpec &spec, int syncFd, int trampoline)
{
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (spec.tty) {
        const int master = ::open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
        char name[128];
        if (master < 0 || ::grantpt(master) != 0 || ::unlockpt(master) != 0 || ::ptsname_r(master, name, sizeof name) != 0)
            failExec(syncFd, kExitSetupFailed, QStringLiteral("allocate a pty in the container: %1").arg(QString::fromLocal8Bit(strerror(errno))));
        const int slave = ::open(name, O_RDWR | O_NOCTTY);
        if (slave < 0)
            failExec(syncFd, kExitSetupFailed, QStringLiteral("open the container's pty"));
        sendMessage(syncFd, SyncMessage::PtyMaster, {}, master);
        ::close(master);
        ::setsid();
        ::ioctl(slave, TIOCSCTTY, 0);
        for (int i = 0; i < 3; ++i)
            ::dup2(slave, i);
        if (slave > 2)
            ::close(slave);
    } else if (!spec.keepStdin) {
        const int devNull = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
        if (devNull >= 0)
            ::dup2(devNull, 0);
    }
    applyEnvironment(spec.env);
    const QByteArray cwd = QFile::encodeName(spec.workingDir.isEmpty() ? QStringLiteral("/") : spec.workingDir);
    if (::chdir(cwd.constData()) != 0)
        failExec(syncFd, kExitSetupFailed, QStringLiteral("working directory %1: %2").arg(QString::fromLocal8Bit(cwd), QString::fromLocal8Bit(strerror(errno))));
    if (auto st = applyUlimits(spec.ulimits); !st)
        failExec(syncFd, kExitSetupFailed, st.error().message);
    if (auto st = dropPrivileges(spec.user, spec.security); !st)
        failExec(syncFd, kExitSetupFailed, st.error().message);
    sendMessage(syncFd, SyncMessage::Ready);
    const ExecFailure failure = execCommand(spec.path, spec.args, spec.env, FinalExec{spec.security.seccompFilter, trampoline, syncFd});
    failExec(syncFd, failure.exitCode, failure.message);
}

} // namespace

int waitExec(pid_t pid)
{
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR)
            return kExitSetupFailed;
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

Result<ExecProcess> startExec(pid_t containerPid, const QString &cgroupPath, const ExecSpec &spec)
{
    PH_TRY(const int trampoline, trampolineFd());
    PH_TRY(const Cgroup cgroup, Cgroup::open(cgroupPath));
    const int pidfd = int(::syscall(SYS_pidfd_open, containerPid, 0));
    if (pidfd < 0)
        return Error::fromErrno(QStringLiteral("exec: the container's first process %1").arg(containerPid), errno);
    int pair[2];
    if (::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pair) != 0) {
        ::close(pidfd);
        return Error::fromErrno(QStringLiteral("exec"), errno);
    }
    const pid_t helper = ::fork();
    if (helper < 0) {
        ::close(pidfd);
        return Error::fromErrno(QStringLiteral("exec: fork"), errno);
    }
    if (helper == 0) {
        ::close(pair[0]);
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
        // Non-dumpable, inherited by the command's process until its exec:
        // between dropping privileges and exec it is the porthole binary with
        // the container's own credentials, and the container must not open
        // its /proc/<pid>/exe or fds (CVE-2019-5736 class).
        ::prctl(PR_SET_DUMPABLE, 0);
        // Cgroup first, from the host's view of /sys/fs/cgroup; the command
        // inherits it.
        if (auto st = cgroup.addProcess(::getpid()); !st)
            failExec(pair[1], kExitSetupFailed, st.error().message);
        const int all = CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET | CLONE_NEWPID | CLONE_NEWCGROUP;
        if (::setns(pidfd, all) != 0 && ::setns(pidfd, all & ~CLONE_NEWCGROUP) != 0)
            failExec(pair[1], kExitSetupFailed, QStringLiteral("join the container's namespaces: %1").arg(QString::fromLocal8Bit(strerror(errno))));
        ::close(pidfd);
        // Joining a pid namespace takes effect for children only.
        const pid_t command = ::fork();
        if (command == 0)
            execInContainer(spec, pair[1], trampoline);
        ::close(pair[1]);
        ::_exit(command < 0 ? kExitSetupFailed : waitExec(command));
    }
    ::close(pidfd);
    ::close(pair[1]);
    ExecProcess process;
    process.pid = helper;
    for (;;) {
        auto msg = receiveMessage(pair[0]);
        if (!msg)
            break; // exec happened (the channel closed with it) or the helper died
        if (msg->message == SyncMessage::PtyMaster)
            process.ptyMaster = msg->fd;
        else if (msg->message == SyncMessage::Failed) {
            int code = kExitSetupFailed;
            QString text;
            parseFailure(msg->payload, code, text);
            ::close(pair[0]);
            waitExec(helper);
            if (process.ptyMaster >= 0)
                ::close(process.ptyMaster);
            // The code tells the caller docker's exit status: 127, 126, else 125.
            const ErrorCode ec = code == kExitNotFound       ? ErrorCode::NotFound
                : code == kExitCannotExecute ? ErrorCode::PermissionDenied
                                             : ErrorCode::Internal;
            return Error(ec, text);
        }
    }
    ::close(pair[0]);
    return process;
}

} // namespace porthole::runtime
