#include "runtime/seccompprofile.h"

#include "runtime/capabilities.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <seccomp.h>
#include <sys/utsname.h>

#include <algorithm>
#include <cstdio>

namespace porthole::runtime::seccomp {

namespace {

Error bad(const QString &what) { return Error(ErrorCode::InvalidArgument, QStringLiteral("seccomp profile: %1").arg(what)); }

Result<Action> parseAction(const QString &name)
{
    static const QList<QPair<QString, Action>> actions = {
        {QStringLiteral("SCMP_ACT_KILL"), Action::KillThread},      {QStringLiteral("SCMP_ACT_KILL_THREAD"), Action::KillThread},
        {QStringLiteral("SCMP_ACT_KILL_PROCESS"), Action::KillProcess}, {QStringLiteral("SCMP_ACT_TRAP"), Action::Trap},
        {QStringLiteral("SCMP_ACT_ERRNO"), Action::Errno},          {QStringLiteral("SCMP_ACT_TRACE"), Action::Trace},
        {QStringLiteral("SCMP_ACT_ALLOW"), Action::Allow},          {QStringLiteral("SCMP_ACT_LOG"), Action::Log},
    };
    for (const auto &[text, action] : actions) {
        if (text == name)
            return action;
    }
    if (name == QLatin1String("SCMP_ACT_NOTIFY"))
        return bad(QStringLiteral("SCMP_ACT_NOTIFY needs a listener, which Porthole does not run"));
    return bad(QStringLiteral("unknown action \"%1\"").arg(name));
}

Result<Compare> parseCompare(const QString &name)
{
    static const QList<QPair<QString, Compare>> ops = {
        {QStringLiteral("SCMP_CMP_NE"), Compare::NotEqual},       {QStringLiteral("SCMP_CMP_LT"), Compare::LessThan},
        {QStringLiteral("SCMP_CMP_LE"), Compare::LessOrEqual},    {QStringLiteral("SCMP_CMP_EQ"), Compare::Equal},
        {QStringLiteral("SCMP_CMP_GE"), Compare::GreaterOrEqual}, {QStringLiteral("SCMP_CMP_GT"), Compare::GreaterThan},
        {QStringLiteral("SCMP_CMP_MASKED_EQ"), Compare::MaskedEqual},
    };
    for (const auto &[text, op] : ops) {
        if (text == name)
            return op;
    }
    return bad(QStringLiteral("unknown argument operator \"%1\"").arg(name));
}

QStringList strings(const QJsonValue &v)
{
    QStringList out;
    for (const QJsonValue &s : v.toArray())
        out.append(s.toString());
    return out;
}

// JSON numbers are doubles: exact up to 2^53, and docker's masks and
// personalities fit. A string form is accepted too, for 64-bit values.
Result<quint64> unsignedValue(const QJsonValue &v, const QString &field)
{
    if (v.isUndefined() || v.isNull())
        return quint64(0);
    if (v.isString()) {
        bool ok = false;
        const quint64 n = v.toString().toULongLong(&ok, 0);
        if (ok)
            return n;
    } else if (v.isDouble() && v.toDouble() >= 0 && v.toDouble() <= 9007199254740992.0) {
        return quint64(v.toDouble());
    }
    return bad(QStringLiteral("%1 is not a non-negative number").arg(field));
}

Condition parseCondition(const QJsonObject &o)
{
    Condition c;
    c.caps = strings(o.value(QStringLiteral("caps")));
    c.arches = strings(o.value(QStringLiteral("arches")));
    c.minKernel = o.value(QStringLiteral("minKernel")).toString();
    return c;
}

Result<SyscallRule> parseRule(const QJsonObject &o, int index)
{
    const QString where = QStringLiteral("syscalls[%1]").arg(index);
    SyscallRule r;
    r.names = strings(o.value(QStringLiteral("names")));
    const QString single = o.value(QStringLiteral("name")).toString();
    if (!single.isEmpty()) {
        if (!r.names.isEmpty())
            return bad(QStringLiteral("%1 has both \"name\" and \"names\"").arg(where));
        r.names = {single};
    }
    PH_TRY(r.action, parseAction(o.value(QStringLiteral("action")).toString()));
    if (o.contains(QStringLiteral("errnoRet"))) {
        PH_TRY(const quint64 e, unsignedValue(o.value(QStringLiteral("errnoRet")), where + QStringLiteral(".errnoRet")));
        r.errnoRet = unsigned(e);
    }
    const QJsonArray args = o.value(QStringLiteral("args")).toArray();
    for (int i = 0; i < args.size(); ++i) {
        const QJsonObject a = args[i].toObject();
        const QString field = QStringLiteral("%1.args[%2]").arg(where).arg(i);
        ArgCondition c;
        PH_TRY(const quint64 idx, unsignedValue(a.value(QStringLiteral("index")), field + QStringLiteral(".index")));
        if (idx > 5)
            return bad(QStringLiteral("%1.index %2 is over 5 (system calls have six arguments)").arg(field).arg(idx));
        c.index = unsigned(idx);
        PH_TRY(c.value, unsignedValue(a.value(QStringLiteral("value")), field + QStringLiteral(".value")));
        PH_TRY(c.valueTwo, unsignedValue(a.value(QStringLiteral("valueTwo")), field + QStringLiteral(".valueTwo")));
        PH_TRY(c.op, parseCompare(a.value(QStringLiteral("op")).toString()));
        r.args.append(c);
    }
    r.includes = parseCondition(o.value(QStringLiteral("includes")).toObject());
    r.excludes = parseCondition(o.value(QStringLiteral("excludes")).toObject());
    return r;
}

// "4.8" against the running kernel; an unreadable version is an error, as
// docker's is.
Result<bool> kernelAtLeast(const QString &version, const Platform &p)
{
    const QStringList parts = version.split(u'.');
    bool okMajor = false, okMinor = true;
    const int major = parts.value(0).toInt(&okMajor);
    const int minor = parts.size() > 1 ? parts[1].toInt(&okMinor) : 0;
    if (!okMajor || !okMinor)
        return bad(QStringLiteral("minKernel \"%1\" is not a kernel version").arg(version));
    return p.kernelMajor > major || (p.kernelMajor == major && p.kernelMinor >= minor);
}

bool hasAnyCap(const QStringList &names, const QList<int> &caps)
{
    for (const QString &n : names) {
        auto cap = capabilityFromName(n);
        if (cap && caps.contains(*cap))
            return true;
    }
    return false;
}

bool hasAllCaps(const QStringList &names, const QList<int> &caps)
{
    for (const QString &n : names) {
        auto cap = capabilityFromName(n);
        if (!cap || !caps.contains(*cap))
            return false;
    }
    return true;
}

// docker's setupSeccomp: excludes first (any match drops the rule), then
// includes (all must match).
Result<bool> applies(const SyscallRule &r, const QList<int> &caps, const Platform &p)
{
    if (!r.excludes.arches.isEmpty() && r.excludes.arches.contains(p.goArch))
        return false;
    if (!r.excludes.caps.isEmpty() && hasAnyCap(r.excludes.caps, caps))
        return false;
    if (!r.excludes.minKernel.isEmpty()) {
        PH_TRY(const bool newer, kernelAtLeast(r.excludes.minKernel, p));
        if (newer)
            return false;
    }
    if (!r.includes.arches.isEmpty() && !r.includes.arches.contains(p.goArch))
        return false;
    if (!r.includes.caps.isEmpty() && !hasAllCaps(r.includes.caps, caps))
        return false;
    if (!r.includes.minKernel.isEmpty())
        return kernelAtLeast(r.includes.minKernel, p);
    return true;
}

QString libseccompArchName(const QString &dockerName)
{
    QString n = dockerName.toLower();
    if (n.startsWith(QLatin1String("scmp_arch_")))
        n = n.mid(10);
    return n;
}

} // namespace

Result<Profile> parseProfile(const QByteArray &json)
{
    QJsonParseError err{};
    const QJsonDocument doc = QJsonDocument::fromJson(json, &err);
    if (err.error != QJsonParseError::NoError)
        return bad(QStringLiteral("not valid JSON at byte %1: %2").arg(err.offset).arg(err.errorString()));
    if (!doc.isObject())
        return bad(QStringLiteral("the document is not a JSON object"));
    const QJsonObject o = doc.object();
    Profile p;
    const QString defaultAction = o.value(QStringLiteral("defaultAction")).toString();
    if (defaultAction.isEmpty())
        return bad(QStringLiteral("defaultAction is missing"));
    PH_TRY(p.defaultAction, parseAction(defaultAction));
    if (o.contains(QStringLiteral("defaultErrnoRet"))) {
        PH_TRY(const quint64 e, unsignedValue(o.value(QStringLiteral("defaultErrnoRet")), QStringLiteral("defaultErrnoRet")));
        p.defaultErrnoRet = unsigned(e);
    }
    p.architectures = strings(o.value(QStringLiteral("architectures")));
    for (const QJsonValue &v : o.value(QStringLiteral("archMap")).toArray()) {
        const QJsonObject a = v.toObject();
        p.archMap.append({a.value(QStringLiteral("architecture")).toString(), strings(a.value(QStringLiteral("subArchitectures")))});
    }
    if (!p.architectures.isEmpty() && !p.archMap.isEmpty())
        return bad(QStringLiteral("both \"architectures\" and \"archMap\" are given; use one"));
    const QJsonArray syscalls = o.value(QStringLiteral("syscalls")).toArray();
    for (int i = 0; i < syscalls.size(); ++i) {
        PH_TRY(const SyscallRule r, parseRule(syscalls[i].toObject(), i));
        p.syscalls.append(r);
    }
    return p;
}

Platform hostPlatform()
{
    // Plain C on purpose: this runs in every container start's fresh shim.
    struct Name {
        uint32_t token;
        const char *goArch;
        const char *seccompArch;
    };
    static const Name names[] = {
        {SCMP_ARCH_X86_64, "amd64", "x86_64"},  {SCMP_ARCH_X86, "x86", "x86"},         {SCMP_ARCH_AARCH64, "arm64", "aarch64"},
        {SCMP_ARCH_ARM, "arm", "arm"},          {SCMP_ARCH_PPC64LE, "ppc64le", "ppc64le"}, {SCMP_ARCH_S390X, "s390x", "s390x"},
        {SCMP_ARCH_RISCV64, "riscv64", "riscv64"},
    };
    Platform p;
    const uint32_t native = seccomp_arch_native();
    for (const Name &n : names) {
        if (n.token == native) {
            p.goArch = QLatin1String(n.goArch);
            p.seccompArch = QLatin1String(n.seccompArch);
        }
    }
    utsname u{};
    if (::uname(&u) == 0 && std::sscanf(u.release, "%d.%d", &p.kernelMajor, &p.kernelMinor) != 2)
        p.kernelMinor = 0;
    return p;
}

Result<ResolvedProfile> resolveProfile(const Profile &profile, const QList<int> &boundingCaps, const Platform &platform)
{
    ResolvedProfile out;
    out.defaultAction = profile.defaultAction;
    out.defaultErrnoRet = profile.defaultErrnoRet.value_or(1);
    // The native architecture and what the profile lets ride along with it
    // (x86 and x32 processes on an x86_64 host); none listed: native only.
    out.architectures = {platform.seccompArch};
    for (const auto &[arch, subs] : profile.archMap) {
        if (libseccompArchName(arch) != platform.seccompArch)
            continue;
        for (const QString &s : subs)
            out.architectures.append(libseccompArchName(s));
    }
    for (const QString &a : profile.architectures) {
        if (!out.architectures.contains(libseccompArchName(a)))
            out.architectures.append(libseccompArchName(a));
    }
    for (const SyscallRule &r : profile.syscalls) {
        PH_TRY(const bool use, applies(r, boundingCaps, platform));
        if (!use)
            continue;
        for (const QString &name : r.names)
            out.rules.append({name, r.action, r.errnoRet.value_or(1), r.args});
    }
    return out;
}

} // namespace porthole::runtime::seccomp
