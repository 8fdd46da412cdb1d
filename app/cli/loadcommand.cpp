// load: images from a tar archive (docker-archive or OCI archive, maybe
// compressed) or standard input, with docker's "Loaded image" lines.
#include "cli/context.h"
#include "cli/interrupt.h"
#include "cli/progressdisplay.h"
#include "core/reference.h"

#include <unistd.h>

namespace porthole::cli {

namespace {

void declareLoad(ArgParser &p)
{
    p.addFlag({QStringLiteral("input"), u'i', FlagSpec::String, {}, QStringLiteral("string"),
               QStringLiteral("Read from tar archive file, instead of STDIN")});
    p.addFlag({QStringLiteral("quiet"), u'q', FlagSpec::Bool, {}, {}, QStringLiteral("Suppress the load output")});
}

int runLoad(Context &ctx, const ParsedArgs &args)
{
    service::LoadRequest request;
    if (const QString input = args.value(QStringLiteral("input")); !input.isEmpty())
        request.sourcePath = input;
    // docker's check: a terminal on stdin means nobody piped an archive in.
    if (request.sourcePath == QLatin1String("-") && ::isatty(STDIN_FILENO))
        return ctx.fail(Error(ErrorCode::InvalidArgument, QStringLiteral("requested load from stdin, but stdin is empty")));
    CLI_TRY(ctx, service::Engine * engine, ctx.engine());
    // docker draws progress bars on a terminal only; elsewhere, and with
    // -q, the "Loaded image" lines are all it prints.
    const bool live = ctx.stdoutIsTerminal() && !args.boolValue(QStringLiteral("quiet"));
    ProgressDisplay display(ctx.out(), true, {});
    auto progress = [&](const ProgressEvent &e) {
        if (live)
            display.event(e);
    };
    // Ctrl+C stops at the next block and collects what was stored, rather
    // than leaving unnamed blobs until the next garbage collection.
    InterruptScope interrupt;
    auto outcome = engine->loadImages(request, interrupt.token(), progress);
    if (live)
        display.finish();
    if (!outcome)
        return interrupt.exitCode(ctx.fail(outcome.error()));
    for (const service::LoadedImageRow &image : outcome->images) {
        if (image.refNames.isEmpty())
            ctx.out() << "Loaded image ID: " << image.id.toString() << '\n';
        for (const QString &name : image.refNames)
            ctx.out() << "Loaded image: " << Reference::parse(name).valueOr(Reference()).familiarString() << '\n';
    }
    return kExitOk;
}

} // namespace

QList<Command> loadCommands()
{
    return {{QStringLiteral("load"), QStringLiteral("Load an image from a tar archive or STDIN"),
             QStringLiteral("porthole load [OPTIONS]"), declareLoad, runLoad, 0, 0}};
}

} // namespace porthole::cli
