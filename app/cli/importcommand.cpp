// import: a rootfs tarball (plain, gzip, zstd, xz; a file or "-") becomes a
// one-layer image, as `docker import`.
#include "cli/context.h"

namespace porthole::cli {

namespace {

void declareImport(ArgParser &p)
{
    p.addFlag({QStringLiteral("change"), u'c', FlagSpec::StringList, {}, QStringLiteral("list"),
               QStringLiteral("Apply Dockerfile instruction to the created image")});
    p.addFlag({QStringLiteral("message"), u'm', FlagSpec::String, {}, QStringLiteral("string"),
               QStringLiteral("Set commit message for imported image")});
    p.addFlag({QStringLiteral("platform"), QChar(), FlagSpec::String, {}, QStringLiteral("string"),
               QStringLiteral("Set platform if server is multi-platform capable")});
}

int runImport(Context &ctx, const ParsedArgs &args)
{
    service::ImportRequest request;
    request.sourcePath = args.positional[0];
    request.reference = args.positional.value(1);
    request.changes = args.values(QStringLiteral("change"));
    request.message = args.value(QStringLiteral("message"));
    request.platform = args.value(QStringLiteral("platform"));
    if (request.sourcePath.contains(QLatin1String("://")))
        return ctx.fail(Error(ErrorCode::InvalidArgument,
                              QStringLiteral("import from a URL (%1) is not supported; download it and import the file")
                                  .arg(request.sourcePath)));
    CLI_TRY(ctx, service::Engine * engine, ctx.engine());
    CLI_TRY(ctx, const service::ImportResult result, engine->importImage(request));
    ctx.out() << result.id.toString() << '\n';
    return kExitOk;
}

} // namespace

Command importCommand()
{
    return {QStringLiteral("import"), QStringLiteral("Import the contents from a tarball to create a filesystem image"),
            QStringLiteral("porthole import [OPTIONS] file|- [REPOSITORY[:TAG]]"), declareImport, runImport, 1, 2};
}

} // namespace porthole::cli
