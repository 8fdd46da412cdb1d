#include "runtime/containerinit.h"

#include "runtime/capabilities.h"
#include "runtime/network.h"
#include "runtime/processsetup.h"
#include "runtime/rlimits.h"
#include "runtime/rootfs.h"
#include "runtime/seccompfilter.h"
#include "runtime/syncchannel.h"

#include <QFile>

#include <cerrno>
#include <csignal>
#include <sched.h>
#include <cstdlib>
#include <fcntl.h>
#include <linux/close_range.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

namespace porthole::runtime {

namespace {

[[noreturn]] void fail(int syncFd, int exitCode, const QString &text)
{
    sendMessage(syncFd, SyncMessage::Failed, failurePayload(exitCode, text));
    ::_exit(exitCode);
}

Status takePty(int syncFd)
{
    const int master = ::open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (master < 0)
        return Error::fromErrno(QStringLiteral("open /dev/ptmx in the container"), errno);
    if (::grantpt(master) != 0 || ::unlockpt(master) != 0)
        return Error::fromErrno(QStringLiteral("unlock the container's pty"), errno);
    char name[128];
    if (::ptsname_r(master, name, sizeof name) != 0)
        return Error::fromErrno(QStringLiteral("name the container's pty"), errno);
    const int slave = ::open(name, O_RDWR | O_NOCTTY);
    if (slave < 0)
        return Error::fromErrno(QStringLiteral("open %1").arg(QString::fromLatin1(name)), errno);
    PH_CHECK(sendMessage(syncFd, SyncMessage::PtyMaster, {}, master));
    ::close(master);
    ::setsid();
    if (::ioctl(slave, TIOCSCTTY, 0) != 0)
        return Error::fromErrno(QStringLiteral("make the pty the controlling terminal"), errno);
    for (int i = 0; i < 3; ++i)
        ::dup2(slave, i);
    if (slave > 2)
        ::close(slave);
    return {};
}

void useStdio(const int stdio[3])
{
    const int devNull = ::open("/dev/null", O_RDWR);
    for (int i = 0; i < 3; ++i)
        ::dup2(stdio[i] >= 0 ? stdio[i] : devNull, i);
    for (int i = 0; i < 3; ++i) {
        if (stdio[i] > 2)
            ::close(stdio[i]);
    }
    if (devNull > 2)
        ::close(devNull);
}

pid_t g_child = 0;
void forwardSignal(int sig)
{
    if (g_child > 0)
        ::kill(g_child, sig);
}

// --init: stay as PID 1, reap every zombie, pass signals on, and leave with
// the command's status.
[[noreturn]] void runInit(pid_t child)
{
    g_child = child;
    struct sigaction sa {};
    sa.sa_handler = forwardSignal;
    for (int sig : {SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGWINCH, SIGCONT})
        ::sigaction(sig, &sa, nullptr);
    for (;;) {
        int status = 0;
        const pid_t pid = ::waitpid(-1, &status, 0);
        if (pid < 0 && errno == EINTR)
            continue;
        if (pid == child || pid < 0)
            ::_exit(WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
    }
}

} // namespace

void containerMain(const RuntimeSpec &spec, int syncFd, const int stdio[3])
{
    // Non-dumpable: nothing in the container can open this process's
    // /proc/<pid>/exe (our binary) or its memory (CVE-2019-5736 class).
    ::prctl(PR_SET_DUMPABLE, 0);
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);

    auto msg = receiveMessage(syncFd);
    if (!msg || msg->message != SyncMessage::Configured)
        ::_exit(kExitSetupFailed);
    // Now in the container's cgroup: a cgroup namespace rooted there shows
    // the container its own cgroup as "/".
    if (::unshare(CLONE_NEWCGROUP) != 0)
        fail(syncFd, kExitSetupFailed, QStringLiteral("create the cgroup namespace: %1").arg(QString::fromLocal8Bit(strerror(errno))));

    if (spec.newNetworkNamespace) {
        if (auto st = setupLoopback(); !st)
            fail(syncFd, kExitSetupFailed, st.error().message);
    }
    if (auto st = setupRootfs(spec); !st)
        fail(syncFd, kExitSetupFailed, st.error().message);
    if (spec.confineSystemPaths) {
        if (auto st = applyMaskedAndReadonlyPaths(); !st)
            fail(syncFd, kExitSetupFailed, st.error().message);
    }
    if (!spec.hostname.isEmpty()) {
        const QByteArray h = spec.hostname.toUtf8();
        ::sethostname(h.constData(), size_t(h.size()));
    }
    if (spec.tty) {
        if (auto st = takePty(syncFd); !st)
            fail(syncFd, kExitSetupFailed, st.error().message);
    } else {
        useStdio(stdio);
        ::setsid();
    }

    applyEnvironment(spec.env);
    const QString cwd = spec.workingDir.isEmpty() ? QStringLiteral("/") : spec.workingDir;
    ::mkdir(QFile::encodeName(cwd).constData(), 0755); // docker creates a missing WORKDIR
    if (::chdir(QFile::encodeName(cwd).constData()) != 0)
        fail(syncFd, kExitSetupFailed, QStringLiteral("working directory %1: %2").arg(cwd, QString::fromLocal8Bit(strerror(errno))));
    if (auto st = applyUlimits(spec.limits.ulimits); !st) // also for --init's init, as docker's
        fail(syncFd, kExitSetupFailed, st.error().message);

    if (auto st = sendMessage(syncFd, SyncMessage::Ready); !st)
        ::_exit(kExitSetupFailed);
    msg = receiveMessage(syncFd);
    if (!msg || msg->message != SyncMessage::Start)
        ::_exit(kExitSetupFailed);

    if (spec.init) {
        // The init stays root but holds no more than docker gives its
        // command: it lives as long as the container, next to its code.
        if (auto st = applyCapabilities(spec.security.capabilities); !st)
            fail(syncFd, kExitSetupFailed, st.error().message);
        if (spec.security.noNewPrivileges) {
            if (auto st = setNoNewPrivileges(); !st)
                fail(syncFd, kExitSetupFailed, st.error().message);
        }
        const pid_t child = ::fork();
        if (child > 0) {
            ::close(syncFd);
            ::syscall(SYS_close_range, 3, ~0U, 0);
            // docker's init runs under the container's filter too.
            if (!spec.security.seccompFilter.isEmpty() && seccomp::installFilter(spec.security.seccompFilter) != 0) {
                ::kill(child, SIGKILL);
                ::_exit(kExitSetupFailed);
            }
            runInit(child);
        }
        if (child < 0)
            fail(syncFd, kExitSetupFailed, QStringLiteral("fork the command under --init"));
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    }

    if (auto st = dropPrivileges(spec.user, spec.security); !st)
        fail(syncFd, kExitSetupFailed, st.error().message);
    const ExecFailure failure =
        execCommand(spec.path, spec.args, spec.env, FinalExec{spec.security.seccompFilter, spec.trampolineFd, syncFd});
    fail(syncFd, failure.exitCode, failure.message);
}

} // namespace porthole::runtime
