#include "cli/limitflags.h"

#include "cli/runflags.h"

namespace porthole::cli {

namespace {

qint64 sizeValue(const ParsedArgs &args, const QString &name, Result<qint64> (*parse)(const QString &))
{
    return args.isSet(name) ? parse(args.value(name)).valueOr(0) : 0;
}

LimitsUpdate updateFromArgs(const ParsedArgs &args)
{
    // docker's update leaves a value of 0 as it was; --pids-limit 0 or -1
    // is "unlimited" there too.
    auto nonZero = [](qint64 v) { return v != 0 ? std::optional<qint64>(v) : std::nullopt; };
    LimitsUpdate u;
    u.memory = nonZero(sizeValue(args, QStringLiteral("memory"), parseByteSize));
    u.memorySwap = nonZero(sizeValue(args, QStringLiteral("memory-swap"), parseMemorySwap));
    u.nanoCpus = nonZero(sizeValue(args, QStringLiteral("cpus"), parseNanoCpus));
    u.cpuShares = nonZero(args.intValue(QStringLiteral("cpu-shares")));
    if (args.isSet(QStringLiteral("pids-limit")))
        u.pidsLimit = args.intValue(QStringLiteral("pids-limit"));
    return u;
}

void declareUpdate(ArgParser &p) { declareRunFlags(p, RunFlagSet::Update); }

int runUpdate(Context &ctx, const ParsedArgs &args)
{
    const LimitsUpdate update = updateFromArgs(args);
    if (update.isEmpty())
        return ctx.fail(Error(ErrorCode::InvalidArgument, QStringLiteral("you must provide one or more flags when using this command")));
    CLI_TRY(ctx, service::Engine * engine, ctx.engine());
    int rc = kExitOk;
    for (const QString &name : args.positional) {
        if (Status st = engine->updateContainer(name, update); !st) {
            ctx.fail(st.error());
            rc = kExitFailure;
        } else {
            ctx.out() << name << '\n';
        }
    }
    return rc;
}

} // namespace

QList<Command> updateCommands()
{
    return {{QStringLiteral("update"), QStringLiteral("Update configuration of one or more containers"),
             QStringLiteral("porthole update [OPTIONS] CONTAINER [CONTAINER...]"), declareUpdate, runUpdate, 1, -1}};
}

} // namespace porthole::cli
