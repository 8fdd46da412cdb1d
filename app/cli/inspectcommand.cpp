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

// As docker/cli's inspect: the objects found are printed (an empty list as
// "[]"), then every lookup error, and the exit code is 1 if there was one.
// A template that cannot be parsed is exit code 64, before any lookup.
int runInspect(Context &ctx, const ParsedArgs &args)
{
    const QString type = args.value(QStringLiteral("type"));
    if (!type.isEmpty() && type != QLatin1String("image"))
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
    QJsonArray found;
    QString lines;
    QList<Error> errors;
    for (const QString &name : args.positional) {
        auto obj = engine->inspectImage(name);
        if (!obj) {
            errors.append(obj.error().code == ErrorCode::NotFound
                              ? Error(ErrorCode::NotFound, QStringLiteral("No such object: %1").arg(name))
                              : obj.error());
            continue;
        }
        if (!useTemplate) {
            found.append(*obj);
            continue;
        }
        auto line = renderTemplate(format, *obj, imageFieldOrder);
        if (!line) {
            errors.append(line.error());
            continue;
        }
        lines += *line + u'\n';
    }
    if (useTemplate)
        ctx.out() << (lines.isEmpty() ? QStringLiteral("\n") : lines);
    else
        ctx.out() << goJson(found, format.isEmpty(), imageFieldOrder) << '\n';
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
