// pull: docker's flags and its per-layer lines ("a1b2c3d4e5f6: Pull complete").
#include "cli/context.h"
#include "cli/interrupt.h"
#include "cli/progressdisplay.h"
#include "core/reference.h"

namespace porthole::cli {

namespace {

void declarePull(ArgParser &p)
{
    p.addFlag({QStringLiteral("platform"), QChar(), FlagSpec::String, {}, QStringLiteral("string"),
               QStringLiteral("Set platform if server is multi-platform capable (os/arch[/variant])")});
    p.addFlag({QStringLiteral("quiet"), u'q', FlagSpec::Bool, {}, {}, QStringLiteral("Suppress verbose output")});
    p.addFlag({QStringLiteral("tls-verify"), QChar(), FlagSpec::Bool, QStringLiteral("true"), {},
               QStringLiteral("Require HTTPS and verify certificates when talking to the registry")});
}

int runPull(Context &ctx, const ParsedArgs &args)
{
    const QString text = args.positional[0];
    auto parsed = Reference::parse(text);
    if (!parsed)
        return ctx.fail(parsed.error());
    const bool quiet = args.boolValue(QStringLiteral("quiet"));
    const Reference ref = parsed->dockerRef();
    service::PullRequest request;
    request.reference = text;
    request.platform = args.value(QStringLiteral("platform"));
    if (!args.boolValue(QStringLiteral("tls-verify")))
        request.insecureRegistries = {ref.domain()};
    if (!quiet) {
        if (!parsed->hasTag() && !parsed->hasDigest())
            ctx.out() << "Using default tag: latest\n";
        const QString path = ref.path();
        ctx.out() << (ref.hasDigest() ? ref.digest().toString() : ref.tag()) << ": Pulling from " << path << '\n';
        ctx.out().flush();
    }
    CLI_TRY(ctx, service::Engine * engine, ctx.engine());
    ProgressDisplay display(ctx.out(), ctx.stdoutIsTerminal(), {QStringLiteral("Downloading"), QStringLiteral("Resuming")});
    auto progress = [&](const ProgressEvent &e) {
        if (!quiet)
            display.event(e);
    };
    // Ctrl+C stops the downloads cleanly; what arrived stays for the next
    // pull to resume.
    InterruptScope interrupt;
    auto outcome = engine->pullImage(request, interrupt.token(), progress);
    display.finish();
    if (!outcome)
        return interrupt.exitCode(ctx.fail(outcome.error()));
    if (!quiet) {
        ctx.out() << "Digest: " << outcome->repoDigest.mid(outcome->repoDigest.indexOf(u'@') + 1) << '\n';
        ctx.out() << "Status: " << (outcome->upToDate ? "Image is up to date for " : "Downloaded newer image for ")
                  << outcome->familiarName << '\n';
    }
    ctx.out() << ref.toString() << '\n';
    return kExitOk;
}

} // namespace

Command pullCommand()
{
    return {QStringLiteral("pull"), QStringLiteral("Download an image from a registry"),
            QStringLiteral("porthole pull [OPTIONS] NAME[:TAG|@DIGEST]"), declarePull, runPull, 1, 1};
}

} // namespace porthole::cli
