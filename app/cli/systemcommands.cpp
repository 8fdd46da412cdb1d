// version, info, system df: what Porthole is and what its store holds.
#include "cli/context.h"
#include "format/format.h"

#include <QLibraryInfo>
#include <QSysInfo>

namespace porthole::cli {

namespace {

QString goArch()
{
    const QString arch = QSysInfo::currentCpuArchitecture();
    if (arch == QLatin1String("x86_64"))
        return QStringLiteral("amd64");
    if (arch == QLatin1String("i386"))
        return QStringLiteral("386");
    return arch;
}

int runVersion(Context &ctx, const ParsedArgs &)
{
    auto row = [&](const char *key, const QString &value) {
        ctx.out() << ' ' << QString::fromLatin1(key).leftJustified(19) << value << '\n';
    };
    ctx.out() << "Client:\n";
    row("Version:", service::engineVersion());
    row("Qt version:", QString::fromLatin1(qVersion()));
    row("OS/Arch:", QStringLiteral("linux/") + goArch());
    ctx.out() << "\nEngine (in-process, no daemon):\n";
    row("Version:", service::engineVersion());
    row("Store:", ctx.root());
    return kExitOk;
}

int runInfo(Context &ctx, const ParsedArgs &)
{
    CLI_TRY(ctx, service::Engine * engine, ctx.engine());
    CLI_TRY(ctx, const service::SystemInfo info, engine->info());
    QTextStream &o = ctx.out();
    o << "Client:\n Version:    " << service::engineVersion() << "\n Context:    default\n\n";
    o << "Engine:\n";
    o << " Containers: " << info.containers << '\n';
    o << "  Running: " << info.containersRunning << '\n';
    o << "  Paused: " << info.containersPaused << '\n';
    o << "  Stopped: " << info.containersStopped << '\n';
    o << " Images: " << info.images << '\n';
    o << " Server Version: " << service::engineVersion() << '\n';
    o << " Storage Driver: " << info.storageDriver << '\n';
    o << " Cgroup Version: " << info.cgroupVersion << '\n';
    // As docker lists them; what each means is in docs/SECURITY.md.
    o << " Security Options:\n  seccomp\n   Profile: builtin\n  no-new-privileges\n  cgroupns\n";
    o << " Kernel Version: " << info.kernelVersion << '\n';
    o << " Operating System: " << info.operatingSystem << '\n';
    o << " OSType: linux\n";
    o << " Architecture: " << info.architecture << '\n';
    o << " CPUs: " << info.cpus << '\n';
    o << " Total Memory: " << format::bytesSize(info.memoryBytes) << '\n';
    o << " Porthole Root Dir: " << info.root << '\n';
    return kExitOk;
}

QString reclaimText(qint64 reclaimable, qint64 total)
{
    QString s = format::humanSize(reclaimable);
    if (total > 0)
        s += QStringLiteral(" (%1%)").arg(int(reclaimable * 100 / total));
    return s;
}

int runDf(Context &ctx, const ParsedArgs &)
{
    CLI_TRY(ctx, service::Engine * engine, ctx.engine());
    CLI_TRY(ctx, const service::DiskUsage df, engine->diskUsage());
    format::TableWriter table;
    table.addRow({QStringLiteral("TYPE"), QStringLiteral("TOTAL"), QStringLiteral("ACTIVE"), QStringLiteral("SIZE"),
                  QStringLiteral("RECLAIMABLE")});
    table.addRow({QStringLiteral("Images"), QString::number(df.images), QString::number(df.activeImages),
                  format::humanSize(df.imagesSize), reclaimText(df.reclaimableImages, df.imagesSize)});
    table.addRow({QStringLiteral("Containers"), QString::number(df.containers), QString::number(df.activeContainers),
                  format::humanSize(df.containersSize), reclaimText(df.reclaimableContainers, df.containersSize)});
    table.addRow({QStringLiteral("Local Volumes"), QString::number(df.volumes), QString::number(df.activeVolumes),
                  format::humanSize(df.volumesSize), reclaimText(df.reclaimableVolumes, df.volumesSize)});
    table.addRow({QStringLiteral("Build Cache"), QStringLiteral("0"), QStringLiteral("0"), format::humanSize(0), format::humanSize(0)});
    ctx.out() << table.render();
    return kExitOk;
}

} // namespace

QList<Command> systemCommands()
{
    return {
        {QStringLiteral("version"), QStringLiteral("Show the Porthole version information"), QStringLiteral("porthole version"),
         nullptr, runVersion, 0, 0},
        {QStringLiteral("info"), QStringLiteral("Display system-wide information"), QStringLiteral("porthole info"), nullptr,
         runInfo, 0, 0},
        {QStringLiteral("system df"), QStringLiteral("Show disk usage"), QStringLiteral("porthole system df"), nullptr, runDf, 0, 0},
    };
}

} // namespace porthole::cli
