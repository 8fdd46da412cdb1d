// run, create, start, ps, stop, kill, rm, wait, pause, unpause, rename:
// the container verbs with docker's flags, columns and exit codes.
#include "cli/attachclient.h"
#include "cli/context.h"
#include "format/format.h"
#include "cli/limitflags.h"
#include "cli/runflags.h"

#include <QDateTime>
#include <QThread>

#include <unistd.h>

namespace porthole::cli {

namespace {

void declareCreateFlags(ArgParser &p) { declareRunFlags(p); }

void declareRun(ArgParser &p)
{
    declareRunFlags(p);
    p.addFlag({QStringLiteral("detach"), u'd', FlagSpec::Bool, {}, {}, QStringLiteral("Run container in background and print container ID")});
}

int runCreate(Context &ctx, const ParsedArgs &args)
{
    CLI_TRY(ctx, service::Engine * engine, ctx.engine());
    auto row = engine->createContainer(createRequestFromArgs(args));
    if (!row)
        return ctx.fail(row.error(), kExitUsage);
    ctx.out() << row->id << '\n';
    return kExitOk;
}

// Attaches to a started container and returns what `docker run` exits with.
int attachAndWait(Context &ctx, service::Engine *engine, const QString &id, const AttachOptions &options)
{
    auto outcome = attachToContainer(engine->attachSocket(id), options);
    if (!outcome)
        return ctx.fail(outcome.error(), kExitUsage);
    if (outcome->detached)
        return kExitOk;
    if (!outcome->error.isEmpty())
        ctx.err() << "porthole: Error: " << outcome->error << Qt::endl;
    if (outcome->exited)
        return outcome->exitCode;
    auto code = engine->waitContainer(id);
    return code ? *code : kExitUsage;
}

int runRun(Context &ctx, const ParsedArgs &args)
{
    CLI_TRY(ctx, service::Engine * engine, ctx.engine());
    const service::CreateRequest request = createRequestFromArgs(args);
    const bool detach = args.boolValue(QStringLiteral("detach"));
    auto row = engine->createContainer(request);
    if (!row)
        return ctx.fail(row.error(), kExitUsage);
    int exitCode = kExitUsage;
    auto started = engine->startContainer(row->id, !detach, &exitCode);
    if (!started) {
        ctx.err() << "porthole: Error: " << started.error().message << Qt::endl;
        return exitCode;
    }
    if (detach) {
        ctx.out() << row->id << '\n';
        return kExitOk;
    }
    return attachAndWait(ctx, engine, row->id, {request.openStdin, request.tty, true});
}

void declareStart(ArgParser &p)
{
    p.addFlag({QStringLiteral("attach"), u'a', FlagSpec::Bool, {}, {}, QStringLiteral("Attach STDOUT/STDERR and forward signals")});
    p.addFlag({QStringLiteral("interactive"), u'i', FlagSpec::Bool, {}, {}, QStringLiteral("Attach container's STDIN")});
}

int runStart(Context &ctx, const ParsedArgs &args)
{
    CLI_TRY(ctx, service::Engine * engine, ctx.engine());
    const bool attach = args.boolValue(QStringLiteral("attach")) || args.boolValue(QStringLiteral("interactive"));
    if (attach && args.positional.size() > 1)
        return ctx.fail(Error(ErrorCode::InvalidArgument, QStringLiteral("you cannot start and attach multiple containers at once")));
    int rc = kExitOk;
    for (const QString &name : args.positional) {
        int exitCode = kExitFailure;
        auto row = engine->startContainer(name, attach, &exitCode);
        if (!row) {
            ctx.fail(row.error());
            rc = kExitFailure;
            continue;
        }
        if (!attach) {
            ctx.out() << name << '\n';
            continue;
        }
        return attachAndWait(ctx, engine, row->id, {args.boolValue(QStringLiteral("interactive")), row->tty, true});
    }
    return rc;
}

void declarePs(ArgParser &p)
{
    p.addFlag({QStringLiteral("all"), u'a', FlagSpec::Bool, {}, {}, QStringLiteral("Show all containers (default shows just running)")});
    p.addFlag({QStringLiteral("quiet"), u'q', FlagSpec::Bool, {}, {}, QStringLiteral("Only display container IDs")});
    p.addFlag({QStringLiteral("no-trunc"), QChar(), FlagSpec::Bool, {}, {}, QStringLiteral("Don't truncate output")});
}

int runPs(Context &ctx, const ParsedArgs &args)
{
    CLI_TRY(ctx, service::Engine * engine, ctx.engine());
    CLI_TRY(ctx, const QList<service::ContainerRow> rows, engine->listContainers(args.boolValue(QStringLiteral("all"))));
    const bool noTrunc = args.boolValue(QStringLiteral("no-trunc"));
    if (args.boolValue(QStringLiteral("quiet"))) {
        for (const auto &r : rows)
            ctx.out() << (noTrunc ? r.id : r.id.left(12)) << '\n';
        return kExitOk;
    }
    format::TableWriter table;
    table.addRow({QStringLiteral("CONTAINER ID"), QStringLiteral("IMAGE"), QStringLiteral("COMMAND"), QStringLiteral("CREATED"),
                  QStringLiteral("STATUS"), QStringLiteral("PORTS"), QStringLiteral("NAMES")});
    const QDateTime now = QDateTime::currentDateTimeUtc();
    for (const auto &r : rows) {
        const QString command = noTrunc ? r.command : format::ellipsis(r.command, 20);
        table.addRow({noTrunc ? r.id : r.id.left(12), r.image, u'"' + command + u'"', format::timeAgo(r.created, now), r.status,
                      r.ports.join(QStringLiteral(", ")), r.name});
    }
    ctx.out() << table.render();
    return kExitOk;
}

// Verbs that act on each named container and print its name, as docker's.
template <typename Fn>
int forEachContainer(Context &ctx, const ParsedArgs &args, Fn fn)
{
    CLI_TRY(ctx, service::Engine * engine, ctx.engine());
    int rc = kExitOk;
    for (const QString &name : args.positional) {
        if (Status st = fn(engine, name); !st) {
            ctx.fail(st.error());
            rc = kExitFailure;
        } else {
            ctx.out() << name << '\n';
        }
    }
    return rc;
}

void declareStop(ArgParser &p)
{
    p.addFlag({QStringLiteral("time"), u't', FlagSpec::Int, QStringLiteral("10"), QStringLiteral("int"),
               QStringLiteral("Seconds to wait before killing the container")});
}

int runStop(Context &ctx, const ParsedArgs &args)
{
    const int timeout = int(args.intValue(QStringLiteral("time")));
    return forEachContainer(ctx, args, [&](service::Engine *e, const QString &n) { return e->stopContainer(n, timeout); });
}

void declareKill(ArgParser &p)
{
    p.addFlag({QStringLiteral("signal"), u's', FlagSpec::String, QStringLiteral("KILL"), QStringLiteral("string"),
               QStringLiteral("Signal to send to the container")});
}

int runKill(Context &ctx, const ParsedArgs &args)
{
    const QString signal = args.value(QStringLiteral("signal"));
    return forEachContainer(ctx, args, [&](service::Engine *e, const QString &n) { return e->killContainer(n, signal); });
}

void declareRm(ArgParser &p)
{
    p.addFlag({QStringLiteral("force"), u'f', FlagSpec::Bool, {}, {}, QStringLiteral("Force the removal of a running container (uses SIGKILL)")});
    p.addFlag({QStringLiteral("volumes"), u'v', FlagSpec::Bool, {}, {}, QStringLiteral("Remove anonymous volumes associated with the container")});
}

int runRm(Context &ctx, const ParsedArgs &args)
{
    const bool force = args.boolValue(QStringLiteral("force"));
    return forEachContainer(ctx, args, [&](service::Engine *e, const QString &n) { return e->removeContainer(n, force); });
}

int runPause(Context &ctx, const ParsedArgs &args)
{
    return forEachContainer(ctx, args, [](service::Engine *e, const QString &n) { return e->pauseContainer(n, true); });
}

int runUnpause(Context &ctx, const ParsedArgs &args)
{
    return forEachContainer(ctx, args, [](service::Engine *e, const QString &n) { return e->pauseContainer(n, false); });
}

int runWait(Context &ctx, const ParsedArgs &args)
{
    CLI_TRY(ctx, service::Engine * engine, ctx.engine());
    int rc = kExitOk;
    for (const QString &name : args.positional) {
        auto code = engine->waitContainer(name);
        if (!code) {
            ctx.fail(code.error());
            rc = kExitFailure;
            continue;
        }
        ctx.out() << *code << '\n';
        ctx.out().flush();
    }
    return rc;
}

int runRename(Context &ctx, const ParsedArgs &args)
{
    CLI_TRY(ctx, service::Engine * engine, ctx.engine());
    if (Status st = engine->renameContainer(args.positional[0], args.positional[1]); !st)
        return ctx.fail(st.error());
    return kExitOk;
}

} // namespace

QList<Command> containerCommands()
{
    return {
        {QStringLiteral("run"), QStringLiteral("Create and run a new container from an image"),
         QStringLiteral("porthole run [OPTIONS] IMAGE [COMMAND] [ARG...]"), declareRun, runRun, 1, -1, false},
        {QStringLiteral("create"), QStringLiteral("Create a new container"),
         QStringLiteral("porthole create [OPTIONS] IMAGE [COMMAND] [ARG...]"), declareCreateFlags, runCreate, 1, -1, false},
        {QStringLiteral("start"), QStringLiteral("Start one or more stopped containers"),
         QStringLiteral("porthole start [OPTIONS] CONTAINER [CONTAINER...]"), declareStart, runStart, 1, -1},
        {QStringLiteral("ps"), QStringLiteral("List containers"), QStringLiteral("porthole ps [OPTIONS]"), declarePs, runPs, 0, 0},
        {QStringLiteral("stop"), QStringLiteral("Stop one or more running containers"),
         QStringLiteral("porthole stop [OPTIONS] CONTAINER [CONTAINER...]"), declareStop, runStop, 1, -1},
        {QStringLiteral("kill"), QStringLiteral("Kill one or more running containers"),
         QStringLiteral("porthole kill [OPTIONS] CONTAINER [CONTAINER...]"), declareKill, runKill, 1, -1},
        {QStringLiteral("rm"), QStringLiteral("Remove one or more containers"),
         QStringLiteral("porthole rm [OPTIONS] CONTAINER [CONTAINER...]"), declareRm, runRm, 1, -1},
        {QStringLiteral("pause"), QStringLiteral("Pause all processes within one or more containers"),
         QStringLiteral("porthole pause CONTAINER [CONTAINER...]"), nullptr, runPause, 1, -1},
        {QStringLiteral("unpause"), QStringLiteral("Unpause all processes within one or more containers"),
         QStringLiteral("porthole unpause CONTAINER [CONTAINER...]"), nullptr, runUnpause, 1, -1},
        {QStringLiteral("wait"), QStringLiteral("Block until one or more containers stop, then print their exit codes"),
         QStringLiteral("porthole wait CONTAINER [CONTAINER...]"), nullptr, runWait, 1, -1},
        {QStringLiteral("rename"), QStringLiteral("Rename a container"), QStringLiteral("porthole rename CONTAINER NEW_NAME"),
         nullptr, runRename, 2, 2},
    };
}

} // namespace porthole::cli
