// attach, restart, top, port, stats: the rest of docker's
// container verbs.
#include "cli/attachclient.h"
#include "cli/context.h"
#include "format/format.h"

#include <QThread>

#include <pwd.h>
#include <sys/sysinfo.h>

namespace porthole::cli {

namespace {

void declareAttach(ArgParser &p)
{
    p.addFlag({QStringLiteral("no-stdin"), QChar(), FlagSpec::Bool, {}, {}, QStringLiteral("Do not attach STDIN")});
}

int runAttach(Context &ctx, const ParsedArgs &args)
{
    CLI_TRY(ctx, service::Engine * engine, ctx.engine());
    CLI_TRY(ctx, const service::ContainerRow row, engine->container(args.positional[0]));
    if (row.state != QLatin1String("running"))
        return ctx.fail(Error(ErrorCode::FailedPrecondition,
                              row.state == QLatin1String("paused")
                                  ? QStringLiteral("You cannot attach to a paused container, unpause it first")
                                  : QStringLiteral("You cannot attach to a stopped container, start it first")));
    AttachOptions options{row.openStdin && !args.boolValue(QStringLiteral("no-stdin")), row.tty, false};
    auto outcome = attachToContainer(engine->attachSocket(row.id), options);
    if (!outcome)
        return ctx.fail(outcome.error());
    if (outcome->detached || !outcome->exited)
        return kExitOk;
    return outcome->exitCode;
}

void declareRestart(ArgParser &p)
{
    p.addFlag({QStringLiteral("time"), u't', FlagSpec::Int, QStringLiteral("10"), QStringLiteral("int"),
               QStringLiteral("Seconds to wait before killing the container")});
}

int runRestart(Context &ctx, const ParsedArgs &args)
{
    CLI_TRY(ctx, service::Engine * engine, ctx.engine());
    int rc = kExitOk;
    for (const QString &name : args.positional) {
        Status st = engine->stopContainer(name, int(args.intValue(QStringLiteral("time"))));
        if (st) {
            auto started = engine->startContainer(name);
            if (!started)
                st = started.error();
        }
        if (!st) {
            ctx.fail(st.error());
            rc = kExitFailure;
            continue;
        }
        ctx.out() << name << '\n';
    }
    return rc;
}

QString userName(uint uid)
{
    const passwd *pw = ::getpwuid(uid);
    return pw ? QString::fromLocal8Bit(pw->pw_name) : QString::number(uid);
}

int runTop(Context &ctx, const ParsedArgs &args)
{
    CLI_TRY(ctx, service::Engine * engine, ctx.engine());
    CLI_TRY(ctx, const QList<service::ProcessRow> rows, engine->topContainer(args.positional[0]));
    format::TableWriter table;
    table.addRow({QStringLiteral("UID"), QStringLiteral("PID"), QStringLiteral("PPID"), QStringLiteral("TIME"), QStringLiteral("CMD")});
    for (const auto &r : rows)
        table.addRow({userName(r.uid), QString::number(r.pid), QString::number(r.ppid), r.time, r.command});
    ctx.out() << table.render();
    return kExitOk;
}

int runPort(Context &ctx, const ParsedArgs &args)
{
    CLI_TRY(ctx, service::Engine * engine, ctx.engine());
    CLI_TRY(ctx, const QStringList ports, engine->containerPorts(args.positional[0]));
    QString filter = args.positional.value(1);
    if (!filter.isEmpty() && !filter.contains(u'/'))
        filter += QStringLiteral("/tcp");
    bool any = false;
    for (const QString &p : ports) {
        if (!filter.isEmpty() && !p.startsWith(filter + u' '))
            continue;
        ctx.out() << (filter.isEmpty() ? p : p.mid(p.indexOf(QLatin1String("-> ")) + 3)) << '\n';
        any = true;
    }
    if (!filter.isEmpty() && !any)
        return ctx.fail(Error(ErrorCode::NotFound, QStringLiteral("No public port '%1' published for %2").arg(filter, args.positional[0])));
    return kExitOk;
}

void declareStats(ArgParser &p)
{
    p.addFlag({QStringLiteral("no-stream"), QChar(), FlagSpec::Bool, {}, {}, QStringLiteral("Disable streaming stats and only pull the first result")});
    p.addFlag({QStringLiteral("all"), u'a', FlagSpec::Bool, {}, {}, QStringLiteral("Show all containers (default shows just running)")});
}

int runStats(Context &ctx, const ParsedArgs &args)
{
    CLI_TRY(ctx, service::Engine * engine, ctx.engine());
    QStringList names = args.positional;
    if (names.isEmpty()) {
        CLI_TRY(ctx, const QList<service::ContainerRow> rows, engine->listContainers(false));
        for (const auto &r : rows)
            names.append(r.id);
    }
    struct sysinfo si {};
    ::sysinfo(&si);
    const qint64 machineMemory = qint64(si.totalram) * si.mem_unit;
    // Two samples a moment apart give the CPU share, as docker's first line does.
    QList<service::ContainerSample> first;
    for (const QString &n : names) {
        CLI_TRY(ctx, const service::ContainerSample s, engine->sampleContainer(n));
        first.append(s);
    }
    QThread::msleep(500);
    format::TableWriter table;
    table.addRow({QStringLiteral("CONTAINER ID"), QStringLiteral("NAME"), QStringLiteral("CPU %"), QStringLiteral("MEM USAGE / LIMIT"),
                  QStringLiteral("MEM %"), QStringLiteral("NET I/O"), QStringLiteral("BLOCK I/O"), QStringLiteral("PIDS")});
    for (const service::ContainerSample &a : first) {
        auto b = engine->sampleContainer(a.id);
        if (!b)
            continue; // it stopped meanwhile
        const double wall = double(qMax<qint64>(1, b->takenAtNs - a.takenAtNs));
        const double cpu = 100.0 * double(b->cpuNanos - a.cpuNanos) / wall;
        const qint64 limit = b->memoryLimit > 0 ? qMin(b->memoryLimit, machineMemory) : machineMemory;
        table.addRow({format::shortId(b->id), b->name, QString::number(cpu, 'f', 2) + u'%',
                      format::bytesSize(double(b->memoryBytes)) + QStringLiteral(" / ") + format::bytesSize(double(limit)),
                      QString::number(100.0 * double(b->memoryBytes) / double(qMax<qint64>(1, limit)), 'f', 2) + u'%',
                      format::humanSize(b->netRx) + QStringLiteral(" / ") + format::humanSize(b->netTx), QStringLiteral("0B / 0B"),
                      QString::number(b->pids)});
    }
    ctx.out() << table.render();
    return kExitOk;
}

} // namespace

QList<Command> containerInfoCommands()
{
    return {
        {QStringLiteral("attach"), QStringLiteral("Attach local standard input, output, and error streams to a running container"),
         QStringLiteral("porthole attach [OPTIONS] CONTAINER"), declareAttach, runAttach, 1, 1},
        {QStringLiteral("restart"), QStringLiteral("Restart one or more containers"),
         QStringLiteral("porthole restart [OPTIONS] CONTAINER [CONTAINER...]"), declareRestart, runRestart, 1, -1},
        {QStringLiteral("top"), QStringLiteral("Display the running processes of a container"),
         QStringLiteral("porthole top CONTAINER"), nullptr, runTop, 1, 1},
        {QStringLiteral("port"), QStringLiteral("List port mappings or a specific mapping for the container"),
         QStringLiteral("porthole port CONTAINER [PRIVATE_PORT[/PROTO]]"), nullptr, runPort, 1, 2},
        {QStringLiteral("stats"), QStringLiteral("Display a live stream of container(s) resource usage statistics"),
         QStringLiteral("porthole stats [OPTIONS] [CONTAINER...]"), declareStats, runStats, 0, -1},
    };
}

} // namespace porthole::cli
