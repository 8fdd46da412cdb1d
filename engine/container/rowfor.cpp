#include "container/rowfor.h"

#include "runtime/network.h"

namespace porthole::container {

namespace {

// docker's `ps` COMMAND: the command line, each word as is.
QString commandText(const store::ContainerConfig &c)
{
    QStringList words{c.path};
    words += c.args;
    return words.join(u' ');
}

QString ago(const QDateTime &t)
{
    const qint64 s = qMax<qint64>(0, t.secsTo(QDateTime::currentDateTimeUtc()));
    if (s < 1)
        return QStringLiteral("Less than a second");
    if (s < 60)
        return QStringLiteral("%1 second%2").arg(s).arg(s == 1 ? "" : "s");
    if (s < 3600)
        return s < 120 ? QStringLiteral("About a minute") : QStringLiteral("%1 minutes").arg(s / 60);
    if (s < 86400)
        return s < 7200 ? QStringLiteral("About an hour") : QStringLiteral("%1 hours").arg(s / 3600);
    return QStringLiteral("%1 days").arg(s / 86400);
}

} // namespace

ContainerRow rowFor(const store::ContainerStore &containers, const store::ContainerRecord &r)
{
    const store::ContainerState s = containers.effectiveState(r);
    ContainerRow row;
    row.id = r.config.id;
    row.name = r.config.name;
    row.image = r.config.imageName;
    row.command = commandText(r.config);
    row.created = r.config.created;
    row.state = s.status;
    row.exitCode = s.exitCode;
    row.pid = s.pid;
    row.tty = r.config.tty;
    row.openStdin = r.config.openStdin;
    if (s.status == QLatin1String("running"))
        row.status = QStringLiteral("Up ") + ago(s.startedAt);
    else if (s.status == QLatin1String("paused"))
        row.status = QStringLiteral("Up %1 (Paused)").arg(ago(s.startedAt));
    else if (s.status == QLatin1String("exited"))
        row.status = QStringLiteral("Exited (%1) %2 ago").arg(s.exitCode).arg(ago(s.finishedAt));
    else
        row.status = QStringLiteral("Created");
    if (s.isLive()) {
        if (auto ports = runtime::parsePortSpecs(r.config.ports)) {
            for (const runtime::PortMapping &m : *ports)
                row.ports.append(runtime::formatPortMapping(m));
        }
    }
    return row;
}

} // namespace porthole::container
