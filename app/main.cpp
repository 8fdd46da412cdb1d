// One executable: with no verb it is the desktop app, with a verb the
// docker-compatible CLI (`porthole images`, `porthole --root DIR import ...`).
#include "cli/cli.h"
#include "gui/guiapp.h"

#include <QStringList>

int main(int argc, char **argv)
{
    QStringList args;
    for (int i = 1; i < argc; ++i)
        args.append(QString::fromLocal8Bit(argv[i]));
    if (porthole::cli::wantsGui(args))
        return porthole::gui::runGui(argc, argv);
    return porthole::cli::runCli(argc, argv);
}
