// inspect: docker's image inspect JSON (an array, 4-space indented), or one
// line per object through a --format template.
#include "cli/context.h"
#include "cli/template.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace porthole::cli {

namespace {

void declareInspect(ArgParser &p)
{
    p.addFlag({QStringLiteral("format"), u'f', FlagSpec::String, {}, QStringLiteral("string"),
               QStringLiteral("Format output using a Go template subset ({{.Field}}, {{json .Field}})")});
    p.addFlag({QStringLiteral("type"), QChar(), FlagSpec::String, {}, QStringLiteral("string"),
               QStringLiteral("Only inspect objects of the given type (image)")});
    p.addFlag({QStringLiteral("size"), u's', FlagSpec::Bool, {}, {}, QStringLiteral("Display total file sizes")});
}

int runInspect(Context &ctx, const ParsedArgs &args)
{
    const QString type = args.value(QStringLiteral("type"));
    if (!type.isEmpty() && type != QLatin1String("image"))
        return ctx.fail(Error(ErrorCode::InvalidArgument, QStringLiteral("\"%1\" is not a valid value for --type").arg(type)));
    const QString format = args.value(QStringLiteral("format"));
    CLI_TRY(ctx, service::Engine * engine, ctx.engine());
    QJsonArray found;
    QStringList lines;
    QList<Error> errors;
    for (const QString &name : args.positional) {
        auto obj = engine->inspectImage(name);
        if (!obj) {
            errors.append(obj.error().code == ErrorCode::NotFound
                              ? Error(ErrorCode::NotFound, QStringLiteral("No such object: %1").arg(name))
                              : obj.error());
            continue;
        }
        if (format.isEmpty()) {
            found.append(*obj);
            continue;
        }
        auto line = renderTemplate(format, *obj);
        if (!line)
            return ctx.fail(line.error(), kExitFailure);
        lines.append(*line);
    }
    if (format.isEmpty())
        ctx.out() << QJsonDocument(found).toJson(QJsonDocument::Indented);
    else
        for (const QString &line : lines)
            ctx.out() << line << '\n';
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
