#include "cli/cli.h"

#include "cli/context.h"
#include "cli/limitflags.h"
#include "service/engine.h"
#include "store/store.h"

#include <QCoreApplication>

#include <algorithm>

namespace porthole::cli {

namespace {

struct GlobalOptions {
    QString root;
    bool help = false;
    bool version = false;
    QStringList rest; // the verb and its arguments
    QString error;
};

// Global options come before the verb, as docker's (`porthole --root /x images`).
GlobalOptions parseGlobal(const QStringList &args)
{
    GlobalOptions g;
    for (qsizetype i = 0; i < args.size(); ++i) {
        const QString &a = args[i];
        if (a == QLatin1String("--root")) {
            if (i + 1 >= args.size()) {
                g.error = QStringLiteral("flag needs an argument: --root");
                return g;
            }
            g.root = args[++i];
        } else if (a.startsWith(QLatin1String("--root="))) {
            g.root = a.mid(7);
        } else if (a == QLatin1String("--help") || a == QLatin1String("-h")) {
            g.help = true;
        } else if (a == QLatin1String("--version") || a == QLatin1String("-v")) {
            g.version = true;
        } else if (a.startsWith(u'-') && a != QLatin1String("-")) {
            g.error = a.startsWith(QLatin1String("--")) ? QStringLiteral("unknown flag: %1").arg(a)
                                                       : QStringLiteral("unknown shorthand flag: '%1' in %2").arg(a.mid(1, 1), a);
            return g;
        } else {
            g.rest = args.mid(i);
            return g;
        }
    }
    return g;
}

QList<Command> allCommands()
{
    return imageCommands() + containerCommands() + QList<Command>{logsCommand(), execCommand(), pullCommand()} + registryCommands() + commitCommands() + saveCommands() + loadCommands() + copyCommands() + containerInfoCommands() + systemCommands() + volumeCommands() + pruneCommands() + updateCommands();
}

void printUsage(QTextStream &out)
{
    out << "\nUsage:  porthole [OPTIONS] COMMAND\n\n"
           "A desktop container tool: images, layers and containers you can see.\n"
           "Run without a command to open the window.\n\n"
           "Options:\n"
           "      --root string   Store directory (default \"" << store::Store::defaultRoot() << "\", or $PORTHOLE_ROOT)\n"
           "  -v, --version       Print version information and quit\n\n"
           "Commands:\n";
    // The names' column fits the longest ("container prune"), two spaces after.
    const QList<Command> commands = allCommands();
    qsizetype width = 0;
    for (const Command &c : commands)
        width = std::max(width, c.name.size());
    for (const Command &c : commands)
        out << "  " << c.name.leftJustified(width + 2) << c.summary << "\n";
    out << "\nRun 'porthole COMMAND --help' for more information on a command.\n";
}

} // namespace

bool wantsGui(const QStringList &args)
{
    const GlobalOptions g = parseGlobal(args);
    return g.error.isEmpty() && !g.help && !g.version && g.rest.isEmpty();
}

int runCli(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("porthole"));
    QCoreApplication::setApplicationVersion(service::engineVersion());
    const GlobalOptions g = parseGlobal(app.arguments().mid(1));
    Context ctx(g.root.isEmpty() ? store::Store::defaultRoot() : g.root);
    if (!g.error.isEmpty()) {
        ctx.err() << g.error << "\nSee 'porthole --help'.\n";
        return kExitUsage;
    }
    if (g.version) {
        ctx.out() << "Porthole version " << service::engineVersion() << Qt::endl;
        return kExitOk;
    }
    if (g.help || g.rest.isEmpty()) {
        printUsage(ctx.out());
        return kExitOk;
    }
    const QString verb = g.rest.first();
    QStringList args = g.rest.mid(1);
    if (verb == QLatin1String("__shim"))
        return runShimCommand(ctx, args);
    // `porthole system df` and `porthole image ls` style two-word verbs.
    QString name = verb;
    if ((verb == QLatin1String("system") || verb == QLatin1String("image") || verb == QLatin1String("container")
         || verb == QLatin1String("volume"))
        && !args.isEmpty()) {
        name = verb + u' ' + args.first();
        args.removeFirst();
    }
    if (name == QLatin1String("image ls") || name == QLatin1String("image list"))
        name = QStringLiteral("images");
    if (name == QLatin1String("volume list"))
        name = QStringLiteral("volume ls");
    else if (name == QLatin1String("volume remove"))
        name = QStringLiteral("volume rm");
    if (name == QLatin1String("container ls") || name == QLatin1String("container list"))
        name = QStringLiteral("ps");
    else if (name.startsWith(QLatin1String("container ")) && name != QLatin1String("container prune"))
        name = name.mid(10); // `container rm` is `rm`, and so on
    for (const Command &c : allCommands()) {
        if (c.name == name)
            return runCommand(ctx, c, args);
    }
    // docker/cli's root command returns a plain error here, which exits 1
    // (only flag errors are 125).
    ctx.err() << "porthole: '" << name << "' is not a porthole command.\nSee 'porthole --help'\n";
    return kExitFailure;
}

} // namespace porthole::cli
