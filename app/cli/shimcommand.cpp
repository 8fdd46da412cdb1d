// `porthole __shim ID --report-fd N [--wait-attach]`: the container
// supervisor mode the launcher execs (runtime/launcher.h). Not for users.
#include "cli/context.h"
#include "container/shim.h"

namespace porthole::cli {

int runShimCommand(Context &ctx, const QStringList &args)
{
    container::ShimOptions options;
    options.storeRoot = ctx.root();
    for (qsizetype i = 0; i < args.size(); ++i) {
        if (args[i] == QLatin1String("--report-fd") && i + 1 < args.size())
            options.reportFd = args[++i].toInt();
        else if (args[i] == QLatin1String("--wait-attach"))
            options.waitForAttach = true;
        else if (options.id.isEmpty())
            options.id = args[i];
    }
    if (options.id.isEmpty()) {
        ctx.err() << "__shim: no container ID\n";
        return kExitUsage;
    }
    return container::runShim(options);
}

} // namespace porthole::cli
