#include "cli/limitflags.h"

namespace porthole::cli {

namespace {

template <typename T>
std::function<Status(const QString &)> checkWith(Result<T> (*parse)(const QString &))
{
    return [parse](const QString &value) -> Status {
        if (auto r = parse(value); !r)
            return r.error();
        return {};
    };
}

// The flags run, create and update share, with docker's words. withDefault:
// podman's pids limit for a new container; `update` changes only what is given.
void declareResourceFlags(ArgParser &p, bool withDefault)
{
    p.addFlag({QStringLiteral("memory"), u'm', FlagSpec::String, {}, QStringLiteral("bytes"), QStringLiteral("Memory limit"),
               false, checkWith(parseByteSize)});
    p.addFlag({QStringLiteral("memory-swap"), QChar(), FlagSpec::String, {}, QStringLiteral("bytes"),
               QStringLiteral("Swap limit equal to memory plus swap: '-1' to enable unlimited swap"), false,
               checkWith(parseMemorySwap)});
    p.addFlag({QStringLiteral("cpus"), QChar(), FlagSpec::String, {}, QStringLiteral("decimal"), QStringLiteral("Number of CPUs"),
               false, checkWith(parseNanoCpus)});
    p.addFlag({QStringLiteral("cpu-shares"), u'c', FlagSpec::Int, {}, {}, QStringLiteral("CPU shares (relative weight)")});
    p.addFlag({QStringLiteral("pids-limit"), QChar(), FlagSpec::Int, withDefault ? QString::number(kDefaultPidsLimit) : QString(),
               {}, QStringLiteral("Tune container pids limit (set -1 for unlimited)")});
}

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

void declareUpdate(ArgParser &p) { declareResourceFlags(p, false); }

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

void declareLimitFlags(ArgParser &p)
{
    declareResourceFlags(p, true);
    p.addFlag({QStringLiteral("ulimit"), QChar(), FlagSpec::StringList, {}, QStringLiteral("ulimit"), QStringLiteral("Ulimit options"),
               false, checkWith(parseUlimit)});
}

ResourceLimits limitsFromArgs(const ParsedArgs &args)
{
    ResourceLimits l;
    l.memory = sizeValue(args, QStringLiteral("memory"), parseByteSize);
    l.memorySwap = sizeValue(args, QStringLiteral("memory-swap"), parseMemorySwap);
    l.nanoCpus = sizeValue(args, QStringLiteral("cpus"), parseNanoCpus);
    l.cpuShares = args.intValue(QStringLiteral("cpu-shares"));
    l.pidsLimit = normalizedPidsLimit(args.intValue(QStringLiteral("pids-limit")));
    for (const QString &v : args.values(QStringLiteral("ulimit"))) {
        if (auto u = parseUlimit(v))
            setUlimit(l.ulimits, *u);
    }
    return l;
}

QList<Command> updateCommands()
{
    return {{QStringLiteral("update"), QStringLiteral("Update configuration of one or more containers"),
             QStringLiteral("porthole update [OPTIONS] CONTAINER [CONTAINER...]"), declareUpdate, runUpdate, 1, -1}};
}

} // namespace porthole::cli
