#include "container/launcher.h"

#include "container/shim.h"

#include <QFile>

#include <cerrno>
#include <fcntl.h>
#include <linux/close_range.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

namespace porthole::container {

namespace {

bool singleThreaded()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return false;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("Threads:"))
            return line.mid(8).trimmed() == "1";
    }
    return false;
}

} // namespace

QString portholeExecutable()
{
    const QString env = qEnvironmentVariable("PORTHOLE_EXE");
    if (!env.isEmpty())
        return env;
    return QFile::symLinkTarget(QStringLiteral("/proc/self/exe"));
}

Result<LaunchResult> launchShim(const QString &storeRoot, const QString &id, bool waitForAttach, int *exitCode)
{
    const QByteArray exe = QFile::encodeName(portholeExecutable());
    QList<QByteArray> args{exe, "--root", QFile::encodeName(storeRoot), "__shim", id.toLatin1(), "--report-fd", "3"};
    if (waitForAttach)
        args.append("--wait-attach");
    std::vector<char *> argv;
    for (QByteArray &a : args)
        argv.push_back(a.data());
    argv.push_back(nullptr);
    const QByteArray shimLog = QFile::encodeName(storeRoot + QStringLiteral("/containers/") + id + QStringLiteral("/shim.log"));

    // A single-threaded caller (the CLI) can become the shim by forking
    // alone: no exec, no second dynamic link and Qt start (a third of a
    // `run --rm`'s time). A threaded one (the GUI) must exec, since after
    // fork only the forking thread exists and its locks may be held.
    // PORTHOLE_SHIM_EXEC=1 forces the exec path (tests keep it covered).
    const bool execNeeded = !singleThreaded() || qEnvironmentVariableIntValue("PORTHOLE_SHIM_EXEC") == 1;
    ShimOptions inProcess;
    inProcess.storeRoot = storeRoot;
    inProcess.id = id;
    inProcess.reportFd = 3;
    inProcess.waitForAttach = waitForAttach;

    int pipeFds[2];
    if (::pipe2(pipeFds, O_CLOEXEC) != 0)
        return Error::fromErrno(QStringLiteral("start the container's shim"), errno);
    const pid_t first = ::fork();
    if (first < 0)
        return Error::fromErrno(QStringLiteral("start the container's shim"), errno);
    if (first == 0) {
        // Only async-signal-safe calls from here: the parent may have threads.
        ::setsid();
        const pid_t second = ::fork();
        if (second != 0)
            ::_exit(second < 0 ? 1 : 0);
        ::dup2(pipeFds[1], 3);
        const int devNull = ::open("/dev/null", O_RDWR);
        const int logFd = ::open(shimLog.constData(), O_WRONLY | O_CREAT | O_APPEND, 0600); // store/permissions.h
        ::dup2(devNull, 0);
        ::dup2(devNull, 1);
        ::dup2(logFd >= 0 ? logFd : devNull, 2);
        ::syscall(SYS_close_range, 4, ~0U, 0);
        if (!execNeeded)
            ::_exit(runShim(inProcess)); // _exit: the caller's buffers are not ours to flush
        ::execv(argv[0], argv.data());
        ::_exit(127);
    }
    ::close(pipeFds[1]);
    int status = 0;
    while (::waitpid(first, &status, 0) < 0 && errno == EINTR) {
    }
    QByteArray reportLine;
    char buf[4096];
    for (;;) {
        const ssize_t n = ::read(pipeFds[0], buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        reportLine.append(buf, n);
        if (reportLine.contains('\n'))
            break; // one line is the whole report
    }
    reportLine = reportLine.left(reportLine.indexOf('\n'));
    ::close(pipeFds[0]);
    if (reportLine.startsWith("ok ")) {
        LaunchResult r;
        r.pid = reportLine.mid(3).trimmed().toLongLong();
        return r;
    }
    int code = 125;
    QString message = QStringLiteral("the container's shim did not start (see %1)").arg(QString::fromLocal8Bit(shimLog));
    if (reportLine.startsWith("err ")) {
        const qsizetype sp = reportLine.indexOf(' ', 4);
        code = reportLine.mid(4, sp - 4).toInt();
        message = QString::fromUtf8(reportLine.mid(sp + 1)).trimmed();
    }
    if (exitCode)
        *exitCode = code;
    return Error(code == 127 ? ErrorCode::NotFound : code == 126 ? ErrorCode::PermissionDenied : ErrorCode::Internal, message);
}

} // namespace porthole::container
