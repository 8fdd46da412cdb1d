// commit and diff: a container's changes, as a new image or as a list.
#include "cli/context.h"
#include "cli/interrupt.h"

namespace porthole::cli {

namespace {

void declareCommit(ArgParser &p)
{
    p.addFlag({QStringLiteral("author"), u'a', FlagSpec::String, {}, QStringLiteral("string"),
               QStringLiteral("Author (e.g., \"John Hannibal Smith <hannibal@a-team.com>\")")});
    p.addFlag({QStringLiteral("change"), u'c', FlagSpec::StringList, {}, QStringLiteral("list"),
               QStringLiteral("Apply Dockerfile instruction to the created image")});
    p.addFlag({QStringLiteral("message"), u'm', FlagSpec::String, {}, QStringLiteral("string"), QStringLiteral("Commit message")});
    p.addFlag({QStringLiteral("pause"), u'p', FlagSpec::Bool, QStringLiteral("true"), {},
               QStringLiteral("Pause container during commit")});
    p.addFlag({QStringLiteral("compression"), QChar(), FlagSpec::String, QStringLiteral("gzip"), QStringLiteral("string"),
               QStringLiteral("Compression of the new layer (gzip, zstd)")});
}

int runCommit(Context &ctx, const ParsedArgs &args)
{
    service::CommitRequest request;
    request.container = args.positional[0];
    request.reference = args.positional.value(1);
    request.author = args.value(QStringLiteral("author"));
    request.message = args.value(QStringLiteral("message"));
    request.changes = args.values(QStringLiteral("change"));
    request.pause = args.boolValue(QStringLiteral("pause"));
    request.compression = args.value(QStringLiteral("compression"));
    CLI_TRY(ctx, service::Engine * engine, ctx.engine());
    // Killed while the container is frozen, commit would leave it frozen:
    // Ctrl+C cancels instead, and the commit thaws it on the way out.
    InterruptScope interrupt;
    auto id = engine->commitContainer(request, interrupt.token());
    if (!id)
        return interrupt.exitCode(ctx.fail(id.error()));
    ctx.out() << id->toString() << '\n';
    return kExitOk;
}

int runDiff(Context &ctx, const ParsedArgs &args)
{
    CLI_TRY(ctx, service::Engine * engine, ctx.engine());
    CLI_TRY(ctx, const QList<service::ChangeRow> rows, engine->diffContainer(args.positional[0]));
    for (const service::ChangeRow &r : rows)
        ctx.out() << r.kind << ' ' << r.path << '\n';
    return kExitOk;
}

} // namespace

QList<Command> commitCommands()
{
    return {
        {QStringLiteral("commit"), QStringLiteral("Create a new image from a container's changes"),
         QStringLiteral("porthole commit [OPTIONS] CONTAINER [REPOSITORY[:TAG]]"), declareCommit, runCommit, 1, 2},
        {QStringLiteral("diff"), QStringLiteral("Inspect changes to files or directories on a container's filesystem"),
         QStringLiteral("porthole diff CONTAINER"), nullptr, runDiff, 1, 1},
    };
}

} // namespace porthole::cli
