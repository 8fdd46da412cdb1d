#include "core/containeroptions.h"

#include "core/jsonobject.h"

#include <QJsonArray>

namespace porthole {

void ContainerOptions::writeJson(QJsonObject &o) const
{
    o.insert(QStringLiteral("Env"), json::fromStringList(env));
    o.insert(QStringLiteral("WorkingDir"), workingDir);
    o.insert(QStringLiteral("User"), user);
    o.insert(QStringLiteral("Hostname"), hostname);
    o.insert(QStringLiteral("Tty"), tty);
    o.insert(QStringLiteral("OpenStdin"), openStdin);
    o.insert(QStringLiteral("AutoRemove"), autoRemove);
    o.insert(QStringLiteral("ReadOnly"), readOnly);
    o.insert(QStringLiteral("Init"), init);
    o.insert(QStringLiteral("NetworkMode"), networkMode);
    o.insert(QStringLiteral("Ports"), json::fromStringList(ports));
    o.insert(QStringLiteral("Privileged"), privileged);
    o.insert(QStringLiteral("SecurityOpt"), json::fromStringList(securityOpt));
    o.insert(QStringLiteral("StopSignal"), stopSignal);
    o.insert(QStringLiteral("Resources"), limits.toJson());
}

ContainerOptions ContainerOptions::fromJson(const QJsonObject &o)
{
    ContainerOptions c;
    c.env = json::toStringList(o.value(QStringLiteral("Env")));
    c.workingDir = o.value(QStringLiteral("WorkingDir")).toString();
    c.user = o.value(QStringLiteral("User")).toString();
    c.hostname = o.value(QStringLiteral("Hostname")).toString();
    c.tty = o.value(QStringLiteral("Tty")).toBool();
    c.openStdin = o.value(QStringLiteral("OpenStdin")).toBool();
    c.autoRemove = o.value(QStringLiteral("AutoRemove")).toBool();
    c.readOnly = o.value(QStringLiteral("ReadOnly")).toBool();
    c.init = o.value(QStringLiteral("Init")).toBool();
    c.networkMode = o.value(QStringLiteral("NetworkMode")).toString();
    c.ports = json::toStringList(o.value(QStringLiteral("Ports")));
    c.privileged = o.value(QStringLiteral("Privileged")).toBool();
    c.securityOpt = json::toStringList(o.value(QStringLiteral("SecurityOpt")));
    c.stopSignal = o.value(QStringLiteral("StopSignal")).toString();
    c.limits = ResourceLimits::fromJson(o.value(QStringLiteral("Resources")).toObject());
    return c;
}

const QStringList &ContainerOptions::jsonKeys()
{
    static const QStringList keys = [] {
        QJsonObject o;
        ContainerOptions().writeJson(o);
        return o.keys();
    }();
    return keys;
}

QStringList mergeEnvironment(const QStringList &base, const QStringList &overrides)
{
    QStringList out = base;
    for (const QString &e : overrides) {
        const QString key = e.section(u'=', 0, 0);
        out.removeIf([&](const QString &x) { return x.section(u'=', 0, 0) == key; });
        out.append(e);
    }
    return out;
}

} // namespace porthole
