// inspect: docker's image inspect JSON (an array, 4-space indented), or one
// line per object through a --format template.
#include "cli/context.h"
#include "cli/template.h"

#include <QJsonArray>
#include <QHash>

namespace porthole::cli {

namespace {

constexpr int kExitTemplate = 64; // docker/cli: a --format that does not parse

void declareInspect(ArgParser &p)
{
    p.addFlag({QStringLiteral("format"), u'f', FlagSpec::String, {}, QStringLiteral("string"),
               QStringLiteral("Format output using a Go template subset ({{.Field}}, {{json .Field}})")});
    p.addFlag({QStringLiteral("type"), QChar(), FlagSpec::String, {}, QStringLiteral("string"),
               QStringLiteral("Only inspect objects of the given type (image)")});
    p.addFlag({QStringLiteral("size"), u's', FlagSpec::Bool, {}, {}, QStringLiteral("Display total file sizes")});
}

// moby's image InspectResponse and the structs inside it, in declaration
// order, so the JSON reads as docker's does.
QStringList imageFieldOrder(const QString &path)
{
    static const QHash<QString, QStringList> orders{
        {QString(), {QStringLiteral("Id"), QStringLiteral("RepoTags"), QStringLiteral("RepoDigests"), QStringLiteral("Parent"),
                     QStringLiteral("Comment"), QStringLiteral("Created"), QStringLiteral("DockerVersion"),
                     QStringLiteral("Author"), QStringLiteral("Config"), QStringLiteral("Architecture"),
                     QStringLiteral("Variant"), QStringLiteral("Os"), QStringLiteral("OsVersion"), QStringLiteral("Size"),
                     QStringLiteral("GraphDriver"), QStringLiteral("RootFS"), QStringLiteral("Metadata"),
                     QStringLiteral("Descriptor")}},
        {QStringLiteral("Config"),
         {QStringLiteral("Hostname"), QStringLiteral("Domainname"), QStringLiteral("User"), QStringLiteral("AttachStdin"),
          QStringLiteral("AttachStdout"), QStringLiteral("AttachStderr"), QStringLiteral("ExposedPorts"), QStringLiteral("Tty"),
          QStringLiteral("OpenStdin"), QStringLiteral("StdinOnce"), QStringLiteral("Env"), QStringLiteral("Cmd"),
          QStringLiteral("Healthcheck"), QStringLiteral("ArgsEscaped"), QStringLiteral("Image"), QStringLiteral("Volumes"),
          QStringLiteral("WorkingDir"), QStringLiteral("Entrypoint"), QStringLiteral("NetworkDisabled"),
          QStringLiteral("MacAddress"), QStringLiteral("OnBuild"), QStringLiteral("Labels"), QStringLiteral("StopSignal"),
          QStringLiteral("StopTimeout"), QStringLiteral("Shell")}},
        {QStringLiteral("Config.Healthcheck"),
         {QStringLiteral("Test"), QStringLiteral("Interval"), QStringLiteral("Timeout"), QStringLiteral("StartPeriod"),
          QStringLiteral("StartInterval"), QStringLiteral("Retries")}},
        {QStringLiteral("GraphDriver"), {QStringLiteral("Data"), QStringLiteral("Name")}},
        {QStringLiteral("RootFS"), {QStringLiteral("Type"), QStringLiteral("Layers")}},
        {QStringLiteral("Metadata"), {QStringLiteral("LastTagTime")}},
        {QStringLiteral("Descriptor"),
         {QStringLiteral("mediaType"), QStringLiteral("digest"), QStringLiteral("size"), QStringLiteral("urls"),
          QStringLiteral("annotations"), QStringLiteral("data"), QStringLiteral("platform"), QStringLiteral("artifactType")}},
        {QStringLiteral("Descriptor.platform"),
         {QStringLiteral("architecture"), QStringLiteral("os"), QStringLiteral("os.version"), QStringLiteral("os.features"),
          QStringLiteral("variant")}},
    };
    return orders.value(path);
}

// moby's container InspectResponse order (the parts Porthole fills).
QStringList containerFieldOrder(const QString &path)
{
    static const QHash<QString, QStringList> orders{
        {QString(), {QStringLiteral("Id"), QStringLiteral("Created"), QStringLiteral("Path"), QStringLiteral("Args"),
                     QStringLiteral("State"), QStringLiteral("Image"), QStringLiteral("ResolvConfPath"),
                     QStringLiteral("HostnamePath"), QStringLiteral("HostsPath"), QStringLiteral("LogPath"),
                     QStringLiteral("Name"), QStringLiteral("RestartCount"), QStringLiteral("Driver"),
                     QStringLiteral("Platform"), QStringLiteral("HostConfig"), QStringLiteral("GraphDriver"),
                     QStringLiteral("Mounts"), QStringLiteral("Config"), QStringLiteral("NetworkSettings")}},
        {QStringLiteral("State"),
         {QStringLiteral("Status"), QStringLiteral("Running"), QStringLiteral("Paused"), QStringLiteral("Restarting"),
          QStringLiteral("OOMKilled"), QStringLiteral("Dead"), QStringLiteral("Pid"), QStringLiteral("ExitCode"),
          QStringLiteral("Error"), QStringLiteral("StartedAt"), QStringLiteral("FinishedAt")}},
        {QStringLiteral("Config"), imageFieldOrder(QStringLiteral("Config"))},
        {QStringLiteral("GraphDriver"), {QStringLiteral("Data"), QStringLiteral("Name")}},
    };
    return orders.value(path);
}

// Objects rendered one by one (each in its own order) joined as a JSON
// array the way json.MarshalIndent lays one out.
QString joinJsonArray(const QStringList &objects, bool indent)
{
    if (objects.isEmpty())
        return QStringLiteral("[]");
    if (!indent)
        return u'[' + objects.join(u',') + u']';
    QStringList indented;
    for (const QString &o : objects)
        indented.append(QStringLiteral("    ") + QString(o).replace(u'\n', QStringLiteral("\n    ")));
    return QStringLiteral("[\n") + indented.join(QStringLiteral(",\n")) + QStringLiteral("\n]");
}

// As docker/cli's inspect: the objects found are printed (an empty list as
// "[]"), then every lookup error, and the exit code is 1 if there was one.
// A template that cannot be parsed is exit code 64, before any lookup.
int runInspect(Context &ctx, const ParsedArgs &args)
{
    const QString type = args.value(QStringLiteral("type"));
    if (!type.isEmpty() && type != QLatin1String("image") && type != QLatin1String("container"))
        return ctx.fail(Error(ErrorCode::InvalidArgument, QStringLiteral("\"%1\" is not a valid value for --type").arg(type)));
    const QString format = args.value(QStringLiteral("format"));
    const bool useTemplate = !format.isEmpty() && format != QLatin1String("json");
    if (useTemplate) {
        if (auto probe = renderTemplate(format, QJsonObject(), imageFieldOrder); !probe) {
            ctx.err() << "template parsing error: " << probe.error().message << Qt::endl;
            return kExitTemplate;
        }
    }
    CLI_TRY(ctx, service::Engine * engine, ctx.engine());
    QStringList found; // each object already in its own type's field order
    QString lines;
    QList<Error> errors;
    for (const QString &name : args.positional) {
        // As docker: a container by that name or ID first, then an image.
        Result<QJsonObject> obj = Error(ErrorCode::NotFound, QString());
        bool isContainer = false;
        if (type != QLatin1String("image")) {
            obj = engine->inspectContainer(name);
            isContainer = obj.ok();
        }
        if (!obj && obj.error().code == ErrorCode::NotFound && type != QLatin1String("container"))
            obj = engine->inspectImage(name);
        if (!obj) {
            errors.append(obj.error().code == ErrorCode::NotFound
                              ? Error(ErrorCode::NotFound, QStringLiteral("No such object: %1").arg(name))
                              : obj.error());
            continue;
        }
        const JsonFieldOrder order = isContainer ? JsonFieldOrder(containerFieldOrder) : JsonFieldOrder(imageFieldOrder);
        if (!useTemplate) {
            found.append(goJson(*obj, format.isEmpty(), order));
            continue;
        }
        auto line = renderTemplate(format, *obj, order);
        if (!line) {
            errors.append(line.error());
            continue;
        }
        lines += *line + u'\n';
    }
    if (useTemplate)
        ctx.out() << (lines.isEmpty() ? QStringLiteral("\n") : lines);
    else
        ctx.out() << joinJsonArray(found, format.isEmpty()) << '\n';
    for (const Error &e : errors)
        ctx.fail(e);
    return errors.isEmpty() ? kExitOk : kExitFailure;
}

} // namespace

Command inspectCommand()
{
    return {QStringLiteral("inspect"), QStringLiteral("Return low-level information on Porthole objects"),
            QStringLiteral("porthole inspect [OPTIONS] NAME|ID [NAME|ID...]"), declareInspect, runInspect, 1, -1};
}

} // namespace porthole::cli
