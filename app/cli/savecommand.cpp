// save: images to a tar archive, as `docker save` (a docker-archive) or
// `podman save --format oci-archive`.
#include "cli/context.h"

#include <unistd.h>

namespace porthole::cli {

namespace {

void declareSave(ArgParser &p)
{
    p.addFlag({QStringLiteral("output"), u'o', FlagSpec::String, {}, QStringLiteral("string"),
               QStringLiteral("Write to a file, instead of STDOUT")});
    p.addFlag({QStringLiteral("format"), QChar(), FlagSpec::String, QStringLiteral("docker-archive"), QStringLiteral("string"),
               QStringLiteral("Archive format: docker-archive or oci-archive")});
}

int runSave(Context &ctx, const ParsedArgs &args)
{
    service::SaveRequest request;
    request.images = args.positional;
    request.format = args.value(QStringLiteral("format"));
    request.outputPath = args.value(QStringLiteral("output"));
    if (request.outputPath.isEmpty() || request.outputPath == QLatin1String("-")) {
        if (ctx.stdoutIsTerminal())
            return ctx.fail(Error(ErrorCode::InvalidArgument,
                                  QStringLiteral("cowardly refusing to save to a terminal. Use the -o flag or redirect")));
        request.outputFd = STDOUT_FILENO;
    }
    CLI_TRY(ctx, service::Engine * engine, ctx.engine());
    // The archive goes to fd 1 directly: nothing of ours may sit in stdout's buffer.
    ctx.out().flush();
    CLI_TRY(ctx, const service::SaveOutcome outcome, engine->saveImages(request));
    Q_UNUSED(outcome);
    return kExitOk;
}

} // namespace

QList<Command> saveCommands()
{
    return {
        {QStringLiteral("save"), QStringLiteral("Save one or more images to a tar archive (streamed to STDOUT by default)"),
         QStringLiteral("porthole save [OPTIONS] IMAGE [IMAGE...]"), declareSave, runSave, 1, -1},
    };
}

} // namespace porthole::cli
