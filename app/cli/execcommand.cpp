// exec: a new process in a running container, with its own pty for -t.
#include "cli/context.h"

#include <QProcessEnvironment>

#include <cerrno>
#include <csignal>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <termios.h>
#include <unistd.h>

namespace porthole::cli {

namespace {

void declareExec(ArgParser &p)
{
    p.addFlag({QStringLiteral("interactive"), u'i', FlagSpec::Bool, {}, {}, QStringLiteral("Keep STDIN open even if not attached")});
    p.addFlag({QStringLiteral("tty"), u't', FlagSpec::Bool, {}, {}, QStringLiteral("Allocate a pseudo-TTY")});
    p.addFlag({QStringLiteral("detach"), u'd', FlagSpec::Bool, {}, {}, QStringLiteral("Detached mode: run command in the background")});
    p.addFlag({QStringLiteral("env"), u'e', FlagSpec::StringList, {}, QStringLiteral("list"), QStringLiteral("Set environment variables")});
    p.addFlag({QStringLiteral("user"), u'u', FlagSpec::String, {}, QStringLiteral("string"), QStringLiteral("Username or UID (format: <name|uid>[:<group|gid>])")});
    p.addFlag({QStringLiteral("workdir"), u'w', FlagSpec::String, {}, QStringLiteral("string"), QStringLiteral("Working directory inside the container")});
}

void copyWinsize(int master)
{
    winsize ws{};
    if (::ioctl(STDIN_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0)
        ::ioctl(master, TIOCSWINSZ, &ws);
}

// Between this terminal (raw) and the pty master, until the command's side closes.
void pumpPty(int master, bool forwardStdin)
{
    termios saved{};
    const bool terminal = ::isatty(STDIN_FILENO) && ::tcgetattr(STDIN_FILENO, &saved) == 0;
    if (terminal) {
        termios raw = saved;
        ::cfmakeraw(&raw);
        ::tcsetattr(STDIN_FILENO, TCSANOW, &raw);
        copyWinsize(master);
    }
    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGWINCH);
    ::sigprocmask(SIG_BLOCK, &mask, nullptr);
    const int winchFd = ::signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
    char buf[65536];
    bool stdinOpen = forwardStdin;
    for (;;) {
        pollfd fds[3] = {{master, POLLIN, 0}, {stdinOpen ? STDIN_FILENO : -1, POLLIN, 0}, {winchFd, POLLIN, 0}};
        if (::poll(fds, 3, -1) < 0 && errno != EINTR)
            break;
        if (fds[2].revents) {
            signalfd_siginfo si;
            while (::read(winchFd, &si, sizeof si) == sizeof si) {
            }
            copyWinsize(master);
        }
        if (fds[1].revents) {
            const ssize_t n = ::read(STDIN_FILENO, buf, sizeof buf);
            if (n <= 0)
                stdinOpen = false;
            else
                (void)::write(master, buf, size_t(n));
        }
        if (fds[0].revents) {
            const ssize_t n = ::read(master, buf, sizeof buf);
            if (n <= 0)
                break; // EIO: the last slave is closed, the command is done
            (void)::write(STDOUT_FILENO, buf, size_t(n));
        }
    }
    if (terminal)
        ::tcsetattr(STDIN_FILENO, TCSANOW, &saved);
    ::close(winchFd);
    ::sigprocmask(SIG_UNBLOCK, &mask, nullptr);
}

int runExec(Context &ctx, const ParsedArgs &args)
{
    CLI_TRY(ctx, service::Engine * engine, ctx.engine());
    runtime::ExecSpec spec;
    spec.path = args.positional[1];
    spec.args = args.positional.mid(2);
    const QProcessEnvironment host = QProcessEnvironment::systemEnvironment();
    for (const QString &e : args.values(QStringLiteral("env"))) {
        if (e.contains(u'='))
            spec.env.append(e);
        else if (host.contains(e))
            spec.env.append(e + u'=' + host.value(e));
    }
    spec.user = args.value(QStringLiteral("user"));
    spec.workingDir = args.value(QStringLiteral("workdir"));
    spec.tty = args.boolValue(QStringLiteral("tty"));
    spec.keepStdin = args.boolValue(QStringLiteral("interactive"));
    ctx.out().flush();
    auto process = engine->execInContainer(args.positional[0], spec);
    if (!process) {
        const ErrorCode c = process.error().code;
        return ctx.fail(process.error(), c == ErrorCode::NotFound && process.error().message.startsWith(QLatin1String("exec:")) ? 127
                                             : c == ErrorCode::PermissionDenied                                                   ? 126
                                                                                                                                  : kExitFailure);
    }
    if (args.boolValue(QStringLiteral("detach")))
        return kExitOk;
    if (process->ptyMaster >= 0) {
        pumpPty(process->ptyMaster, spec.keepStdin);
        ::close(process->ptyMaster);
    }
    return runtime::waitExec(process->pid);
}

} // namespace

Command execCommand()
{
    return {QStringLiteral("exec"), QStringLiteral("Execute a command in a running container"),
            QStringLiteral("porthole exec [OPTIONS] CONTAINER COMMAND [ARG...]"), declareExec, runExec, 2, -1, false};
}

} // namespace porthole::cli
