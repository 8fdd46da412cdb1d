// volume ls, create, rm, inspect: docker's local-driver volume verbs.
#include "cli/context.h"
#include "cli/template.h"
#include "format/format.h"

#include <QJsonObject>
#include <QJsonValue>

namespace porthole::cli {

namespace {

// Go's time.RFC3339 in local time: "Z" for a zero offset, else "+09:00".
QString rfc3339(const QDateTime &t)
{
    const int offset = t.offsetFromUtc();
    return (offset == 0 ? t.toUTC() : t.toOffsetFromUtc(offset)).toString(Qt::ISODate);
}

// docker's volume.Volume as `volume inspect` prints it. Labels and Options
// are null for a volume created without them, as docker has it.
QJsonObject volumeJson(const service::VolumeRow &v)
{
    return QJsonObject{
        {QStringLiteral("CreatedAt"), rfc3339(v.created)},
        {QStringLiteral("Driver"), v.driver},
        {QStringLiteral("Labels"), QJsonValue::Null},
        {QStringLiteral("Mountpoint"), v.mountpoint},
        {QStringLiteral("Name"), v.name},
        {QStringLiteral("Options"), QJsonValue::Null},
        {QStringLiteral("Scope"), QStringLiteral("local")},
    };
}

void declareLs(ArgParser &p)
{
    p.addFlag({QStringLiteral("quiet"), u'q', FlagSpec::Bool, {}, {}, QStringLiteral("Only display volume names")});
    p.addFlag({QStringLiteral("format"), QChar(), FlagSpec::String, {}, QStringLiteral("string"),
               QStringLiteral("Format output using a custom template")});
}

// The fields of docker's volume ls --format. Links and Size are what
// docker fills in only for `system df -v`; this store knows them cheaply
// enough (the size walk is done for the GUI anyway), so they are real.
QJsonObject lsFields(const service::VolumeRow &v)
{
    return QJsonObject{
        {QStringLiteral("Name"), v.name},
        {QStringLiteral("Driver"), v.driver},
        {QStringLiteral("Scope"), QStringLiteral("local")},
        {QStringLiteral("Mountpoint"), v.mountpoint},
        {QStringLiteral("Labels"), QString()},
        {QStringLiteral("Links"), QString::number(v.containers.size())},
        {QStringLiteral("Size"), format::humanSize(v.size)},
    };
}

int runLs(Context &ctx, const ParsedArgs &args)
{
    const QString format = args.value(QStringLiteral("format"));
    if (!format.isEmpty()) {
        if (auto probe = renderTemplate(format, QJsonObject()); !probe)
            return ctx.fail(probe.error(), kExitUsage);
    }
    CLI_TRY(ctx, service::Engine * engine, ctx.engine());
    CLI_TRY(ctx, const QList<service::VolumeRow> rows, engine->listVolumes());
    if (!format.isEmpty() && !args.boolValue(QStringLiteral("quiet"))) {
        for (const service::VolumeRow &v : rows) {
            CLI_TRY(ctx, const QString line, renderTemplate(format, lsFields(v)));
            ctx.out() << line << '\n';
        }
        return kExitOk;
    }
    if (args.boolValue(QStringLiteral("quiet"))) {
        for (const service::VolumeRow &v : rows)
            ctx.out() << v.name << '\n';
        return kExitOk;
    }
    format::TableWriter table;
    table.addRow({QStringLiteral("DRIVER"), QStringLiteral("VOLUME NAME")});
    for (const service::VolumeRow &v : rows)
        table.addRow({v.driver, v.name});
    ctx.out() << table.render();
    return kExitOk;
}

int runCreate(Context &ctx, const ParsedArgs &args)
{
    CLI_TRY(ctx, service::Engine * engine, ctx.engine());
    CLI_TRY(ctx, const service::VolumeRow row, engine->createVolume(args.positional.first()));
    ctx.out() << row.name << '\n';
    return kExitOk;
}

void declareRm(ArgParser &p)
{
    p.addFlag({QStringLiteral("force"), u'f', FlagSpec::Bool, {}, {},
               QStringLiteral("Force the removal of one or more volumes")});
}

// Each name is tried; the ones removed are printed, every failure is
// reported and makes the exit code 1 (docker's rm).
int runRm(Context &ctx, const ParsedArgs &args)
{
    CLI_TRY(ctx, service::Engine * engine, ctx.engine());
    const bool force = args.boolValue(QStringLiteral("force"));
    int rc = kExitOk;
    for (const QString &name : args.positional) {
        if (Status st = engine->removeVolume(name, force); !st) {
            ctx.fail(st.error());
            rc = kExitFailure;
        } else {
            ctx.out() << name << '\n';
        }
    }
    return rc;
}

void declareInspect(ArgParser &p)
{
    p.addFlag({QStringLiteral("format"), u'f', FlagSpec::String, {}, QStringLiteral("string"),
               QStringLiteral("Format output using a custom template")});
}

// As `inspect`: what was found is printed (an empty list as "[]"), then
// every lookup error, and the exit code is 1 if there was one.
int runInspect(Context &ctx, const ParsedArgs &args)
{
    const QString format = args.value(QStringLiteral("format"));
    if (!format.isEmpty()) {
        if (auto probe = renderTemplate(format, QJsonObject()); !probe)
            return ctx.fail(probe.error(), 64);
    }
    CLI_TRY(ctx, service::Engine * engine, ctx.engine());
    QStringList found;
    QList<Error> errors;
    for (const QString &name : args.positional) {
        Result<service::VolumeRow> row = engine->volume(name);
        if (!row) {
            errors.append(row.error());
            continue;
        }
        const QJsonObject obj = volumeJson(*row);
        if (format.isEmpty()) {
            found.append(QStringLiteral("    ") + goJson(obj, true).replace(u'\n', QStringLiteral("\n    ")));
            continue;
        }
        Result<QString> text = renderTemplate(format, obj);
        if (!text)
            return ctx.fail(text.error());
        ctx.out() << *text << '\n';
    }
    if (format.isEmpty() && found.isEmpty())
        ctx.out() << "[]\n";
    else if (format.isEmpty())
        ctx.out() << "[\n" << found.join(QStringLiteral(",\n")) << "\n]\n";
    for (const Error &e : errors)
        ctx.fail(e);
    return errors.isEmpty() ? kExitOk : kExitFailure;
}

} // namespace

QList<Command> volumeCommands()
{
    return {
        {QStringLiteral("volume ls"), QStringLiteral("List volumes"), QStringLiteral("porthole volume ls [OPTIONS]"),
         declareLs, runLs, 0, 0},
        {QStringLiteral("volume create"), QStringLiteral("Create a volume"),
         QStringLiteral("porthole volume create [OPTIONS] VOLUME"), nullptr, runCreate, 1, 1},
        {QStringLiteral("volume rm"), QStringLiteral("Remove one or more volumes"),
         QStringLiteral("porthole volume rm [OPTIONS] VOLUME [VOLUME...]"), declareRm, runRm, 1, -1},
        {QStringLiteral("volume inspect"), QStringLiteral("Display detailed information on one or more volumes"),
         QStringLiteral("porthole volume inspect [OPTIONS] VOLUME [VOLUME...]"), declareInspect, runInspect, 1, -1},
    };
}

} // namespace porthole::cli
