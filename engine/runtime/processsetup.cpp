#include "runtime/processsetup.h"

#include "runtime/capabilities.h"
#include "runtime/seccompfilter.h"
#include "runtime/security.h"
#include "runtime/spec.h"
#include "runtime/trampoline.h"
#include "runtime/userdb.h"

#include <QFile>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <grp.h>
#include <csignal>
#include <fcntl.h>
#include <linux/close_range.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <vector>

namespace porthole::runtime {

namespace {

QByteArray readSmall(const char *path)
{
    QFile f(QString::fromLatin1(path));
    return f.open(QIODevice::ReadOnly) ? f.read(4 << 20) : QByteArray();
}

} // namespace

void applyEnvironment(const QStringList &env)
{
    ::clearenv();
    for (const QString &e : env) {
        const qsizetype eq = e.indexOf(u'=');
        if (eq > 0)
            ::setenv(QFile::encodeName(e.left(eq)).constData(), QFile::encodeName(e.mid(eq + 1)).constData(), 1);
    }
}

Status dropPrivileges(const QString &userSpec, const ProcessSecurity &security)
{
    PH_TRY(const ExecUser user, resolveExecUser(userSpec, readSmall("/etc/passwd"), readSmall("/etc/group")));
    std::vector<gid_t> groups(user.supplementaryGroups.begin(), user.supplementaryGroups.end());
    // Keep the capabilities across setuid; applyCapabilities then decides.
    ::prctl(PR_SET_KEEPCAPS, 1);
    if (::setgroups(groups.size(), groups.data()) != 0)
        return Error::fromErrno(QStringLiteral("set supplementary groups"), errno);
    if (::setresgid(user.gid, user.gid, user.gid) != 0)
        return Error::fromErrno(QStringLiteral("set group %1").arg(user.gid), errno);
    if (::setresuid(user.uid, user.uid, user.uid) != 0)
        return Error::fromErrno(QStringLiteral("set user %1").arg(user.uid), errno);
    // A change of credentials clears the parent-death signal: without it a
    // non-root container would outlive its shim, untracked. (Had the shim
    // died in between, the cgroup is killed when the container is next
    // looked at: service/containers.cpp.)
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    // HOME as docker sets it when the image and -e do not.
    if (!::getenv("HOME"))
        ::setenv("HOME", QFile::encodeName(user.home.isEmpty() ? QStringLiteral("/") : user.home).constData(), 1);
    PH_CHECK(applyCapabilities(security.capabilities));
    return security.noNewPrivileges ? setNoNewPrivileges() : Status();
}

namespace {

// The engine ignores SIGPIPE and SIGHUP and blocks SIGCHLD for itself;
// ignored dispositions and the mask survive exec, and a container's
// processes must start with the defaults (`yes | head` must end by SIGPIPE).
void resetSignals()
{
    struct sigaction dfl = {};
    dfl.sa_handler = SIG_DFL;
    for (int sig = 1; sig < NSIG; ++sig)
        ::sigaction(sig, &dfl, nullptr); // SIGKILL, SIGSTOP and the reserved ones refuse: fine
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
}

} // namespace

ExecFailure execCommand(const QString &path, const QStringList &args, const QStringList &env, const FinalExec &how)
{
    QByteArray resolved = QFile::encodeName(path);
    if (!resolved.contains('/')) {
        QString pathVar = QStringLiteral("/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        for (const QString &e : env) {
            if (e.startsWith(QLatin1String("PATH=")))
                pathVar = e.mid(5);
        }
        QByteArray found;
        for (const QString &dir : pathVar.split(u':', Qt::SkipEmptyParts)) {
            const QByteArray candidate = QFile::encodeName(dir) + '/' + resolved;
            struct stat st {};
            if (::stat(candidate.constData(), &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 0111)) {
                found = candidate;
                break;
            }
        }
        if (found.isEmpty())
            return {kExitNotFound, QStringLiteral("exec: \"%1\": executable file not found in $PATH").arg(path)};
        resolved = found;
    }
    // Through the trampoline: porthole-exec SYNC-FD PROGRAM ARGV0 ARGS...
    QList<QByteArray> argStore;
    if (how.trampolineFd >= 0)
        argStore = {kTrampolineArgv0, how.syncFd >= 0 ? QByteArray::number(how.syncFd) : QByteArray("-"), resolved};
    argStore.append(QFile::encodeName(path));
    for (const QString &a : args)
        argStore.append(a.toUtf8());
    std::vector<char *> argv;
    for (QByteArray &a : argStore)
        argv.push_back(a.data());
    argv.push_back(nullptr);
    // Every descriptor but stdio goes at exec: no host file reaches the
    // container. The sync channel stays for the trampoline, which closes it
    // at its own exec.
    ::syscall(SYS_close_range, 3, ~0U, CLOSE_RANGE_CLOEXEC);
    if (how.trampolineFd >= 0 && how.syncFd >= 0)
        ::fcntl(how.syncFd, F_SETFD, 0);
    // A working directory of /proc/self/fd/N reaches whatever host directory
    // fd N was before exec (CVE-2024-21626); outside the container's root the
    // kernel cannot name the cwd, and that is the one thing to refuse.
    char cwd[4096];
    if (!::getcwd(cwd, sizeof cwd) || cwd[0] != '/')
        return {kExitSetupFailed, QStringLiteral("exec: \"%1\": the working directory is outside the container").arg(path)};
    resetSignals();
    // The command's umask is docker's (runc's default, 0022), not whatever
    // the CLI or the window that started the container had.
    ::umask(022);
    // Last, so nothing above runs under a profile that might forbid it.
    if (!how.seccompFilter.isEmpty()) {
        if (const int err = seccomp::installFilter(how.seccompFilter))
            return {kExitSetupFailed, QStringLiteral("load the seccomp filter: %1").arg(QString::fromLocal8Bit(strerror(err)))};
    }
    if (how.trampolineFd >= 0) {
        ::syscall(SYS_execveat, how.trampolineFd, "", argv.data(), environ, AT_EMPTY_PATH);
        const int err = errno;
        return {kExitSetupFailed, QStringLiteral("exec: \"%1\": start the exec trampoline: %2").arg(path, QString::fromLocal8Bit(strerror(err)))};
    }
    ::execv(resolved.constData(), argv.data());
    const int err = errno;
    return {err == ENOENT ? kExitNotFound : kExitCannotExecute,
            QStringLiteral("exec: \"%1\": %2").arg(path, QString::fromLocal8Bit(strerror(err)))};
}

} // namespace porthole::runtime
