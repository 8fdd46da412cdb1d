#include "runtime/security.h"

#include "runtime/capabilities.h"
#include "runtime/cgroup.h"
#include "runtime/devicefilter.h"
#include "runtime/seccompfilter.h"
#include "store/fsutil.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace porthole::runtime {

namespace {

constexpr qint64 kMaxProfileBytes = 1 << 20;

Error unsupported(const QString &opt, const QString &why)
{
    return Error(ErrorCode::InvalidArgument, QStringLiteral("--security-opt %1 is not supported: %2").arg(opt, why));
}

QString profileOf(const store::ContainerConfig &c)
{
    for (const QString &o : c.securityOpt) {
        if (o.startsWith(QLatin1String("seccomp=")))
            return o.mid(8);
    }
    return {};
}

Result<QByteArray> compileProfile(const seccomp::Profile &profile, const QList<int> &caps, const QString &cacheDir = {})
{
    PH_TRY(const seccomp::ResolvedProfile resolved, seccomp::resolveProfile(profile, caps, seccomp::hostPlatform()));
    return seccomp::compileFilterCached(resolved, cacheDir);
}

} // namespace

const QStringList &maskedPaths()
{
    // docker's (moby's oci defaults, with /proc/interrupts of docker 25+).
    static const QStringList paths = {
        QStringLiteral("/proc/asound"),        QStringLiteral("/proc/acpi"),        QStringLiteral("/proc/interrupts"),
        QStringLiteral("/proc/kcore"),         QStringLiteral("/proc/keys"),        QStringLiteral("/proc/latency_stats"),
        QStringLiteral("/proc/timer_list"),    QStringLiteral("/proc/timer_stats"), QStringLiteral("/proc/sched_debug"),
        QStringLiteral("/proc/scsi"),          QStringLiteral("/sys/firmware"),     QStringLiteral("/sys/devices/virtual/powercap"),
    };
    return paths;
}

const QStringList &readOnlyPaths()
{
    static const QStringList paths = {QStringLiteral("/proc/bus"), QStringLiteral("/proc/fs"), QStringLiteral("/proc/irq"),
                                      QStringLiteral("/proc/sys"), QStringLiteral("/proc/sysrq-trigger")};
    return paths;
}

Result<QStringList> normalizeSecurityOpts(const QStringList &opts)
{
    QStringList out;
    for (const QString &opt : opts) {
        // docker also takes the old "key:value" form.
        qsizetype sep = opt.indexOf(u'=');
        if (sep < 0)
            sep = opt.indexOf(u':');
        const QString key = sep < 0 ? opt : opt.left(sep);
        const QString value = sep < 0 ? QString() : opt.mid(sep + 1);
        if (key == QLatin1String("no-new-privileges")) {
            if (!value.isEmpty() && value != QLatin1String("true") && value != QLatin1String("false"))
                return Error(ErrorCode::InvalidArgument, QStringLiteral("invalid --security-opt: %1").arg(opt));
            if (value == QLatin1String("false"))
                return unsupported(opt, QStringLiteral("no_new_privs is always set for Porthole's containers (--privileged is the one without it)"));
            out.append(QStringLiteral("no-new-privileges"));
        } else if (key == QLatin1String("seccomp")) {
            if (value == QLatin1String("unconfined")) {
                out.append(QStringLiteral("seccomp=unconfined"));
            } else if (value == QLatin1String("builtin") || value == QLatin1String("default")) {
                continue; // docker's default profile is what a container gets anyway
            } else if (value.isEmpty()) {
                return Error(ErrorCode::InvalidArgument, QStringLiteral("invalid --security-opt: %1: seccomp needs unconfined or a profile file").arg(opt));
            } else {
                auto json = store::readFile(value, kMaxProfileBytes);
                if (!json)
                    return json.error().context(QStringLiteral("opening seccomp profile (%1) failed").arg(value));
                auto profile = seccomp::parseProfile(*json);
                if (!profile)
                    return profile.error().context(QStringLiteral("seccomp profile %1").arg(value));
                PH_TRY(const QByteArray program, compileProfile(*profile, dockerDefaultCapabilities()));
                (void)program;
                out.append(QStringLiteral("seccomp=") + QString::fromUtf8(json->trimmed()));
            }
        } else if (key == QLatin1String("systempaths")) {
            if (value != QLatin1String("unconfined"))
                return Error(ErrorCode::InvalidArgument, QStringLiteral("invalid --security-opt: %1: systempaths takes unconfined").arg(opt));
            out.append(QStringLiteral("systempaths=unconfined"));
        } else if ((key == QLatin1String("apparmor") && value == QLatin1String("unconfined"))
                   || (key == QLatin1String("label") && value == QLatin1String("disable"))) {
            continue; // asks to lift what this host does not have (no LSM): nothing to lift
        } else if (key == QLatin1String("apparmor") || key == QLatin1String("label")) {
            return unsupported(opt, QStringLiteral("this host has no Linux security module (AppArmor, SELinux) for Porthole to use"));
        } else {
            return Error(ErrorCode::InvalidArgument, QStringLiteral("invalid --security-opt: %1").arg(opt));
        }
    }
    out.removeDuplicates();
    return out;
}

SeccompMode seccompMode(const store::ContainerConfig &c)
{
    const QString profile = profileOf(c);
    if (c.privileged || profile == QLatin1String("unconfined"))
        return SeccompMode::Unconfined;
    return profile.isEmpty() ? SeccompMode::Default : SeccompMode::Custom;
}

QString seccompCacheDir(const QString &storeRoot) { return storeRoot + QStringLiteral("/cache/seccomp"); }

Result<ProcessSecurity> processSecurity(const store::ContainerConfig &c, const QString &filterCacheDir)
{
    ProcessSecurity s;
    s.capabilities = c.privileged ? permittedCapabilities() : dockerDefaultCapabilities();
    s.noNewPrivileges = !c.privileged;
    switch (seccompMode(c)) {
    case SeccompMode::Unconfined:
        break;
    case SeccompMode::Default: {
        PH_TRY(s.seccompFilter, seccomp::defaultFilterCached(s.capabilities, filterCacheDir));
        break;
    }
    case SeccompMode::Custom: {
        PH_TRY(const seccomp::Profile profile, seccomp::parseProfile(profileOf(c).toUtf8()));
        PH_TRY(s.seccompFilter, compileProfile(profile, s.capabilities, filterCacheDir));
        break;
    }
    }
    return s;
}

bool confinesSystemPaths(const store::ContainerConfig &c)
{
    return !c.privileged && !c.securityOpt.contains(QStringLiteral("systempaths=unconfined"));
}

Result<DeviceSetup> deviceSetup(const store::ContainerConfig &c)
{
    DeviceSetup d;
    d.rules = c.privileged ? allowAllDeviceRules() : defaultDeviceRules();
    if (c.privileged)
        d.nodes = hostDeviceNodes();
    for (const store::DeviceMapping &m : c.devices) {
        PH_TRY(const QList<DeviceNode> nodes, resolveDeviceMapping(m));
        d.nodes += nodes;
        if (!c.privileged)
            d.rules += rulesForNodes(nodes);
    }
    return d;
}

Status applyDeviceRules(const Cgroup &cgroup, const QList<DeviceRule> &rules)
{
    // Where the v1 devices controller is there (v1 and hybrid hosts) the
    // kernel enforces its rules; a cgroup2 program beside them would only
    // add half a millisecond to every start. Pure v2 hosts get the program.
    if (const QString v1 = cgroup.devicesDirectory(); !v1.isEmpty())
        return applyDeviceRulesV1(v1, rules);
    const QString v2 = cgroup.unifiedDirectory();
    if (v2.isEmpty())
        return Error(ErrorCode::FailedPrecondition,
                     QStringLiteral("apply the device rules: this host has neither a devices cgroup controller nor cgroup2"));
    if (rules == allowAllDeviceRules())
        return {}; // nothing for a program to refuse
    return attachDeviceFilter(v2, deviceFilterProgram(rules));
}

QJsonObject securityInspect(const store::ContainerConfig &c)
{
    QJsonArray devices;
    for (const store::DeviceMapping &d : c.devices)
        devices.append(QJsonObject{{QStringLiteral("PathOnHost"), d.pathOnHost},
                                   {QStringLiteral("PathInContainer"), d.pathInContainer},
                                   {QStringLiteral("CgroupPermissions"), d.permissions}});
    QJsonObject o;
    o.insert(QStringLiteral("Privileged"), c.privileged);
    o.insert(QStringLiteral("SecurityOpt"), c.securityOpt.isEmpty() ? QJsonValue() : QJsonValue(QJsonArray::fromStringList(c.securityOpt)));
    o.insert(QStringLiteral("Devices"), devices);
    const bool confined = confinesSystemPaths(c);
    o.insert(QStringLiteral("MaskedPaths"), QJsonArray::fromStringList(confined ? maskedPaths() : QStringList()));
    o.insert(QStringLiteral("ReadonlyPaths"), QJsonArray::fromStringList(confined ? readOnlyPaths() : QStringList()));
    // Not docker's: what actually confines the processes, for the curious.
    static const char *const modes[] = {"default", "unconfined", "custom"};
    QStringList caps;
    for (int cap : c.privileged ? permittedCapabilities() : dockerDefaultCapabilities())
        caps.append(capabilityName(cap));
    o.insert(QStringLiteral("Seccomp"), QLatin1String(modes[int(seccompMode(c))]));
    o.insert(QStringLiteral("Capabilities"), QJsonArray::fromStringList(caps));
    o.insert(QStringLiteral("NoNewPrivileges"), !c.privileged);
    return o;
}

} // namespace porthole::runtime
