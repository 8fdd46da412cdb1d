// logs: what the container wrote, from its json-file log; -f follows it
// until the container stops.
#include "cli/context.h"
#include "runtime/logfile.h"

#include <QThread>

#include <unistd.h>

namespace porthole::cli {

namespace {

void declareLogs(ArgParser &p)
{
    p.addFlag({QStringLiteral("follow"), u'f', FlagSpec::Bool, {}, {}, QStringLiteral("Follow log output")});
    p.addFlag({QStringLiteral("tail"), u'n', FlagSpec::String, QStringLiteral("all"), QStringLiteral("string"),
               QStringLiteral("Number of lines to show from the end of the logs")});
    p.addFlag({QStringLiteral("timestamps"), u't', FlagSpec::Bool, {}, {}, QStringLiteral("Show timestamps")});
}

void printLines(Context &ctx, const QList<runtime::LogLine> &lines, qsizetype from, bool timestamps)
{
    for (qsizetype i = from; i < lines.size(); ++i) {
        const runtime::LogLine &l = lines[i];
        QByteArray text = l.text;
        if (timestamps)
            text.prepend((l.time.toString(Qt::ISODateWithMs) + u' ').toUtf8());
        const int fd = l.stream == QLatin1String("stderr") ? STDERR_FILENO : STDOUT_FILENO;
        ctx.out().flush();
        (void)::write(fd, text.constData(), size_t(text.size()));
    }
}

int runLogs(Context &ctx, const ParsedArgs &args)
{
    CLI_TRY(ctx, service::Engine * engine, ctx.engine());
    CLI_TRY(ctx, const service::ContainerRow row, engine->container(args.positional[0]));
    const QString tail = args.value(QStringLiteral("tail"));
    qsizetype tailCount = -1;
    if (tail != QLatin1String("all")) {
        bool ok = false;
        tailCount = tail.toLongLong(&ok);
        if (!ok || tailCount < 0)
            return ctx.fail(Error(ErrorCode::InvalidArgument, QStringLiteral("invalid value for --tail: %1").arg(tail)), kExitUsage);
    }
    const bool timestamps = args.boolValue(QStringLiteral("timestamps"));
    const QString path = engine->logPath(row.id);
    CLI_TRY(ctx, QList<runtime::LogLine> lines, runtime::readLog(path));
    qsizetype from = tailCount < 0 ? 0 : qMax<qsizetype>(0, lines.size() - tailCount);
    printLines(ctx, lines, from, timestamps);
    if (!args.boolValue(QStringLiteral("follow")))
        return kExitOk;
    qsizetype printed = lines.size();
    for (;;) {
        auto current = engine->container(row.id);
        const bool running = current && (current->state == QLatin1String("running") || current->state == QLatin1String("paused"));
        auto again = runtime::readLog(path);
        if (again && again->size() > printed) {
            printLines(ctx, *again, printed, timestamps);
            printed = again->size();
        }
        if (!running)
            return kExitOk;
        QThread::msleep(100);
    }
}

} // namespace

Command logsCommand()
{
    return {QStringLiteral("logs"), QStringLiteral("Fetch the logs of a container"),
            QStringLiteral("porthole logs [OPTIONS] CONTAINER"), declareLogs, runLogs, 1, 1};
}

} // namespace porthole::cli
