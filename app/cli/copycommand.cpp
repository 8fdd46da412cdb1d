// cp and export: files between a container and the host (docker's rules,
// service/copy.cpp), and a container's flattened filesystem as a tar.
#include "cli/context.h"
#include "format/format.h"

#include <unistd.h>

#include <utility>

namespace porthole::cli {

namespace {

void declareCp(ArgParser &p)
{
    p.addFlag({QStringLiteral("archive"), u'a', FlagSpec::Bool, {}, {},
               QStringLiteral("Archive mode (copy all uid/gid information; out of a container, keep setuid/setgid bits)")});
    p.addFlag({QStringLiteral("follow-link"), u'L', FlagSpec::Bool, {}, {}, QStringLiteral("Always follow symbol link in SRC_PATH")});
    p.addFlag({QStringLiteral("quiet"), u'q', FlagSpec::Bool, {}, {},
               QStringLiteral("Suppress progress output during copy. Progress output is automatically suppressed if no "
                              "terminal is attached")});
}

// docker's splitCpArg: an absolute path is local, and so is an argument
// without ':' or whose part before it starts with '.' ("./a:b").
std::pair<QString, QString> splitCpArg(const QString &arg)
{
    const qsizetype colon = arg.indexOf(u':');
    if (arg.startsWith(u'/') || colon < 0 || arg.startsWith(u'.'))
        return {QString(), arg};
    return {arg.left(colon), arg.mid(colon + 1)};
}

int runCp(Context &ctx, const ParsedArgs &args)
{
    const QString &source = args.positional[0];
    const QString &dest = args.positional[1];
    if (source.isEmpty())
        return ctx.fail(Error(ErrorCode::InvalidArgument, QStringLiteral("source can not be empty")));
    if (dest.isEmpty())
        return ctx.fail(Error(ErrorCode::InvalidArgument, QStringLiteral("destination can not be empty")));
    const auto [srcContainer, srcPath] = splitCpArg(source);
    const auto [dstContainer, dstPath] = splitCpArg(dest);
    if (!srcContainer.isEmpty() && !dstContainer.isEmpty())
        return ctx.fail(Error(ErrorCode::InvalidArgument, QStringLiteral("copying between containers is not supported")));
    if (srcContainer.isEmpty() && dstContainer.isEmpty())
        return ctx.fail(Error(ErrorCode::InvalidArgument, QStringLiteral("must specify at least one container source")));

    service::CopyRequest request;
    request.archive = args.boolValue(QStringLiteral("archive"));
    request.followLink = args.boolValue(QStringLiteral("follow-link"));
    const bool fromContainer = !srcContainer.isEmpty();
    request.container = fromContainer ? srcContainer : dstContainer;
    request.containerPath = fromContainer ? srcPath : dstPath;
    request.hostPath = fromContainer ? dstPath : srcPath;
    CLI_TRY(ctx, service::Engine * engine, ctx.engine());
    CLI_TRY(ctx, const service::CopyResult result,
            fromContainer ? engine->copyFromContainer(request) : engine->copyToContainer(request));
    for (const QString &warning : result.warnings)
        ctx.err() << "WARNING: " << warning << "\n";
    // As docker: only for a person watching, never into a pipe or a tar stream.
    if (!args.boolValue(QStringLiteral("quiet")) && request.hostPath != QLatin1String("-") && ::isatty(STDERR_FILENO))
        ctx.err() << "Successfully copied " << format::humanSize(result.bytes) << " to " << dest << Qt::endl;
    return kExitOk;
}

void declareExport(ArgParser &p)
{
    p.addFlag({QStringLiteral("output"), u'o', FlagSpec::String, {}, QStringLiteral("string"),
               QStringLiteral("Write to a file, instead of STDOUT")});
}

int runExport(Context &ctx, const ParsedArgs &args)
{
    service::ExportRequest request;
    request.container = args.positional[0];
    request.outputPath = args.value(QStringLiteral("output"));
    if ((request.outputPath.isEmpty() || request.outputPath == QLatin1String("-")) && ctx.stdoutIsTerminal())
        return ctx.fail(Error(ErrorCode::InvalidArgument,
                              QStringLiteral("cowardly refusing to save to a terminal. Use the -o flag or redirect")));
    CLI_TRY(ctx, service::Engine * engine, ctx.engine());
    if (const Status s = engine->exportContainer(request); !s)
        return ctx.fail(s.error());
    return kExitOk;
}

} // namespace

QList<Command> copyCommands()
{
    Command cp{QStringLiteral("cp"), QStringLiteral("Copy files/folders between a container and the local filesystem"),
               QStringLiteral("porthole cp [OPTIONS] CONTAINER:SRC_PATH DEST_PATH|-\n\tporthole cp [OPTIONS] SRC_PATH|- CONTAINER:DEST_PATH"),
               declareCp, runCp, 2, 2};
    // docker's Long text, and what a copy out leaves behind on purpose.
    cp.details = QStringLiteral(
        "Use '-' as the source to read a tar archive from stdin\n"
        "and extract it to a directory destination in a container.\n"
        "Use '-' as the destination to stream a tar archive of a\n"
        "container source to stdout, as it is (setuid bits and device\n"
        "nodes included: the tar is yours to extract).\n\n"
        "Copied into a directory on the host, device nodes are never\n"
        "created (each is named in a warning), and setuid and setgid\n"
        "bits and file capabilities are dropped unless -a is given.");
    return {
        cp,
        {QStringLiteral("export"), QStringLiteral("Export a container's filesystem as a tar archive"),
         QStringLiteral("porthole export [OPTIONS] CONTAINER"), declareExport, runExport, 1, 1},
    };
}

} // namespace porthole::cli
