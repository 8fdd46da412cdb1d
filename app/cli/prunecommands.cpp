// container prune, image prune, volume prune and system prune: docker's
// prompts, lists and "Total reclaimed space" line.
#include "cli/context.h"
#include "format/format.h"

#include <QTextStream>

#include <cstdio>

namespace porthole::cli {

namespace {

void declareForce(ArgParser &p)
{
    p.addFlag({QStringLiteral("force"), u'f', FlagSpec::Bool, {}, {}, QStringLiteral("Do not prompt for confirmation")});
}

void declareImagePrune(ArgParser &p)
{
    declareForce(p);
    p.addFlag({QStringLiteral("all"), u'a', FlagSpec::Bool, {}, {}, QStringLiteral("Remove all unused images, not just dangling ones")});
}

void declareVolumePrune(ArgParser &p)
{
    declareForce(p);
    // Every volume here is named: docker 23+ needs --all for those, podman
    // does not; both spellings prune them.
    p.addFlag({QStringLiteral("all"), u'a', FlagSpec::Bool, {}, {}, QStringLiteral("Remove all unused volumes (the default here)")});
}

void declareSystemPrune(ArgParser &p)
{
    declareImagePrune(p);
    p.addFlag({QStringLiteral("volumes"), QChar(), FlagSpec::Bool, {}, {}, QStringLiteral("Prune volumes")});
}

// docker's prompt; anything but y or yes keeps everything.
bool confirmed(Context &ctx, const ParsedArgs &args, const QString &warning)
{
    if (args.boolValue(QStringLiteral("force")))
        return true;
    ctx.out() << warning << "\nAre you sure you want to continue? [y/N] ";
    ctx.out().flush();
    QTextStream in(stdin);
    const QString answer = in.readLine().trimmed().toLower();
    return answer == QLatin1String("y") || answer == QLatin1String("yes");
}

void printRemoved(Context &ctx, const service::PruneReport &r)
{
    if (!r.containers.isEmpty())
        ctx.out() << "Deleted Containers:\n" << r.containers.join(u'\n') << "\n\n";
    if (!r.volumes.isEmpty())
        ctx.out() << "Deleted Volumes:\n" << r.volumes.join(u'\n') << "\n\n";
    if (!r.images.isEmpty()) {
        ctx.out() << "Deleted Images:\n";
        for (const service::RemoveEvent &e : r.images)
            ctx.out() << (e.kind == service::RemoveEvent::Untagged ? "untagged: " : "deleted: ") << e.what << '\n';
        ctx.out() << '\n';
    }
}

int report(Context &ctx, const service::PruneReport &r)
{
    printRemoved(ctx, r);
    ctx.out() << "Total reclaimed space: " << format::humanSize(r.reclaimedBytes) << '\n';
    return kExitOk;
}

int runContainerPrune(Context &ctx, const ParsedArgs &args)
{
    if (!confirmed(ctx, args, QStringLiteral("WARNING! This will remove all stopped containers.")))
        return kExitOk;
    CLI_TRY(ctx, service::Engine * engine, ctx.engine());
    CLI_TRY(ctx, const service::PruneReport r, engine->pruneContainers());
    return report(ctx, r);
}

int runImagePrune(Context &ctx, const ParsedArgs &args)
{
    const bool all = args.boolValue(QStringLiteral("all"));
    if (!confirmed(ctx, args, all ? QStringLiteral("WARNING! This will remove all images without at least one container associated to them.")
                                  : QStringLiteral("WARNING! This will remove all dangling images.")))
        return kExitOk;
    CLI_TRY(ctx, service::Engine * engine, ctx.engine());
    CLI_TRY(ctx, const service::PruneReport r, engine->pruneImages(all));
    return report(ctx, r);
}

int runVolumePrune(Context &ctx, const ParsedArgs &args)
{
    if (!confirmed(ctx, args, QStringLiteral("WARNING! This will remove all local volumes not used by at least one container.")))
        return kExitOk;
    CLI_TRY(ctx, service::Engine * engine, ctx.engine());
    CLI_TRY(ctx, const service::PruneReport r, engine->pruneVolumes());
    return report(ctx, r);
}

int runSystemPrune(Context &ctx, const ParsedArgs &args)
{
    const bool all = args.boolValue(QStringLiteral("all"));
    const bool volumes = args.boolValue(QStringLiteral("volumes"));
    QString warning = QStringLiteral("WARNING! This will remove:\n  - all stopped containers\n");
    if (volumes)
        warning += QStringLiteral("  - all volumes not used by at least one container\n");
    warning += all ? QStringLiteral("  - all images without at least one container associated to them\n")
                   : QStringLiteral("  - all dangling images\n");
    if (!confirmed(ctx, args, warning))
        return kExitOk;
    CLI_TRY(ctx, service::Engine * engine, ctx.engine());
    service::PruneRequest request;
    request.allImages = all;
    request.volumes = volumes;
    CLI_TRY(ctx, const service::PruneReport r, engine->prune(request));
    return report(ctx, r);
}

} // namespace

QList<Command> pruneCommands()
{
    return {
        {QStringLiteral("container prune"), QStringLiteral("Remove all stopped containers"), QStringLiteral("porthole container prune [OPTIONS]"),
         declareForce, runContainerPrune, 0, 0},
        {QStringLiteral("image prune"), QStringLiteral("Remove unused images"), QStringLiteral("porthole image prune [OPTIONS]"),
         declareImagePrune, runImagePrune, 0, 0},
        {QStringLiteral("volume prune"), QStringLiteral("Remove unused local volumes"), QStringLiteral("porthole volume prune [OPTIONS]"),
         declareVolumePrune, runVolumePrune, 0, 0},
        {QStringLiteral("system prune"), QStringLiteral("Remove unused data"), QStringLiteral("porthole system prune [OPTIONS]"),
         declareSystemPrune, runSystemPrune, 0, 0},
    };
}

} // namespace porthole::cli
