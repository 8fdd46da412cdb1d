// push, login, logout: docker's flags and lines.
#include "cli/context.h"
#include "cli/progressdisplay.h"
#include "core/reference.h"

#include <cstdio>
#include <termios.h>
#include <unistd.h>

namespace porthole::cli {

namespace {

void declarePush(ArgParser &p)
{
    p.addFlag({QStringLiteral("compression-format"), QChar(), FlagSpec::String, QStringLiteral("gzip"), QStringLiteral("string"),
               QStringLiteral("Compression for layers stored uncompressed (gzip, zstd)")});
    p.addFlag({QStringLiteral("quiet"), u'q', FlagSpec::Bool, {}, {}, QStringLiteral("Suppress verbose output")});
    p.addFlag({QStringLiteral("tls-verify"), QChar(), FlagSpec::Bool, QStringLiteral("true"), {},
               QStringLiteral("Require HTTPS and verify certificates when talking to the registry")});
}

int runPush(Context &ctx, const ParsedArgs &args)
{
    auto parsed = Reference::parse(args.positional[0]);
    if (!parsed)
        return ctx.fail(parsed.error());
    const bool quiet = args.boolValue(QStringLiteral("quiet"));
    service::PushRequest request;
    request.reference = args.positional[0];
    request.compression = args.value(QStringLiteral("compression-format"));
    if (!args.boolValue(QStringLiteral("tls-verify")))
        request.insecureRegistries = {parsed->domain()};
    if (!quiet) {
        ctx.out() << "The push refers to repository [" << parsed->withoutTagOrDigest().familiarName() << "]\n";
        ctx.out().flush();
    }
    CLI_TRY(ctx, service::Engine * engine, ctx.engine());
    ProgressDisplay display(ctx.out(), ctx.stdoutIsTerminal(), {QStringLiteral("Pushing"), QStringLiteral("Preparing")});
    auto progress = [&](const ProgressEvent &e) {
        if (!quiet)
            display.event(e);
    };
    auto pushed = engine->pushImage(request, CancelToken::none(), progress);
    display.finish();
    CLI_TRY(ctx, const service::PushOutcome outcome, std::move(pushed));
    if (quiet)
        ctx.out() << parsed->withDefaultTag().familiarString() << '\n';
    else
        ctx.out() << outcome.tag << ": digest: " << outcome.manifestDigest.toString() << " size: " << outcome.manifestSize << '\n';
    return kExitOk;
}

void declareLogin(ArgParser &p)
{
    p.addFlag({QStringLiteral("username"), u'u', FlagSpec::String, {}, QStringLiteral("string"), QStringLiteral("Username")});
    p.addFlag({QStringLiteral("password"), u'p', FlagSpec::String, {}, QStringLiteral("string"), QStringLiteral("Password")});
    p.addFlag({QStringLiteral("password-stdin"), QChar(), FlagSpec::Bool, {}, {}, QStringLiteral("Take the password from stdin")});
    p.addFlag({QStringLiteral("tls-verify"), QChar(), FlagSpec::Bool, QStringLiteral("true"), {},
               QStringLiteral("Require HTTPS and verify certificates when talking to the registry")});
}

QString readLine(bool echo)
{
    termios saved{};
    const bool tty = ::isatty(STDIN_FILENO) && ::tcgetattr(STDIN_FILENO, &saved) == 0;
    if (tty && !echo) {
        termios quiet = saved;
        quiet.c_lflag &= ~tcflag_t(ECHO);
        ::tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
    }
    QTextStream in(stdin);
    const QString line = in.readLine();
    if (tty && !echo) {
        ::tcsetattr(STDIN_FILENO, TCSANOW, &saved);
        std::fputc('\n', stderr);
    }
    return line;
}

int runLogin(Context &ctx, const ParsedArgs &args)
{
    const QString server = args.positional.value(0);
    QString user = args.value(QStringLiteral("username"));
    QString password = args.value(QStringLiteral("password"));
    const bool fromStdin = args.boolValue(QStringLiteral("password-stdin"));
    if (fromStdin && args.isSet(QStringLiteral("password")))
        return ctx.fail(Error(ErrorCode::InvalidArgument, QStringLiteral("--password and --password-stdin are mutually exclusive")));
    if (fromStdin) {
        if (user.isEmpty())
            return ctx.fail(Error(ErrorCode::InvalidArgument, QStringLiteral("Must provide --username with --password-stdin")));
        QTextStream in(stdin);
        password = in.readAll();
        while (password.endsWith(u'\n') || password.endsWith(u'\r'))
            password.chop(1);
    } else if (!args.isSet(QStringLiteral("password"))) {
        if (user.isEmpty()) {
            ctx.out() << "Username: ";
            ctx.out().flush();
            user = readLine(true).trimmed();
        }
        ctx.out() << "Password: ";
        ctx.out().flush();
        password = readLine(false);
    } else {
        ctx.err() << "WARNING! Using --password via the CLI is insecure. Use --password-stdin.\n";
    }
    if (user.isEmpty() || password.isEmpty())
        return ctx.fail(Error(ErrorCode::InvalidArgument, QStringLiteral("Error: Cannot perform an interactive login from a non TTY device")));
    CLI_TRY(ctx, service::Engine * engine, ctx.engine());
    QStringList insecure;
    if (!args.boolValue(QStringLiteral("tls-verify")) && !server.isEmpty())
        insecure = {server};
    if (Status st = engine->login(server, user, password, insecure); !st)
        return ctx.fail(st.error());
    ctx.out() << "Login Succeeded\n";
    return kExitOk;
}

int runLogout(Context &ctx, const ParsedArgs &args)
{
    const QString server = args.positional.value(0, QStringLiteral("docker.io"));
    CLI_TRY(ctx, service::Engine * engine, ctx.engine());
    if (Status st = engine->logout(server); !st) {
        if (st.error().code != ErrorCode::NotFound)
            return ctx.fail(st.error());
        ctx.out() << "Not logged in to " << server << '\n';
        return kExitOk;
    }
    ctx.out() << "Removing login credentials for " << server << '\n';
    return kExitOk;
}

} // namespace

QList<Command> registryCommands()
{
    return {
        {QStringLiteral("push"), QStringLiteral("Upload an image to a registry"), QStringLiteral("porthole push [OPTIONS] NAME[:TAG]"),
         declarePush, runPush, 1, 1},
        {QStringLiteral("login"), QStringLiteral("Log in to a registry"), QStringLiteral("porthole login [OPTIONS] [SERVER]"),
         declareLogin, runLogin, 0, 1},
        {QStringLiteral("logout"), QStringLiteral("Log out from a registry"), QStringLiteral("porthole logout [SERVER]"), nullptr,
         runLogout, 0, 1},
    };
}

} // namespace porthole::cli
