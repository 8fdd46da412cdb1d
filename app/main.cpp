// One executable: with no verb it is the desktop app, with a verb the
// docker-compatible CLI (`porthole images`, `porthole --root DIR import ...`).
// The app lives in the porthole-gui module beside it (or in
// ../lib/porthole/), loaded only for the window: the CLI and the shims it
// starts pay for Qt Core alone.
#include "cli/cli.h"

#include <QByteArray>
#include <QStringList>

#include <cstdio>
#include <dlfcn.h>
#include <unistd.h>

namespace {

QByteArray executableDir()
{
    char buf[4096];
    const ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
    QByteArray path(buf, n > 0 ? n : 0);
    return path.left(path.lastIndexOf('/'));
}

int runGuiModule(int argc, char **argv)
{
    const QByteArray dir = executableDir();
    QByteArray tried;
    for (const QByteArray &candidate : {dir + "/porthole-gui.so", dir + "/../lib/porthole/porthole-gui.so"}) {
        void *handle = ::dlopen(candidate.constData(), RTLD_NOW | RTLD_LOCAL);
        if (!handle) {
            tried += "\n  " + candidate + ": " + ::dlerror();
            continue;
        }
        using RunGui = int (*)(int, char **);
        if (auto run = reinterpret_cast<RunGui>(::dlsym(handle, "porthole_run_gui")))
            return run(argc, argv);
        tried += "\n  " + candidate + ": no porthole_run_gui";
    }
    std::fprintf(stderr, "porthole: the desktop app module could not be loaded:%s\n"
                         "Run a command instead (porthole --help), or reinstall Porthole.\n",
                 tried.constData());
    return 1;
}

} // namespace

int main(int argc, char **argv)
{
    QStringList args;
    for (int i = 1; i < argc; ++i)
        args.append(QString::fromLocal8Bit(argv[i]));
    if (porthole::cli::wantsGui(args))
        return runGuiModule(argc, argv);
    return porthole::cli::runCli(argc, argv);
}
