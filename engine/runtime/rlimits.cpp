#include "runtime/rlimits.h"

#include <QFile>
#include <QHash>

#include <cerrno>
#include <cstring>
#include <linux/capability.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace porthole::runtime {

namespace {

rlim_t toRlim(qint64 v) { return v < 0 ? RLIM_INFINITY : rlim_t(v); }

QString limitText(rlim_t v) { return v == RLIM_INFINITY ? QStringLiteral("unlimited") : QString::number(v); }

bool haveSysResource()
{
    __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
    __user_cap_data_struct data[2] = {};
    if (::syscall(SYS_capget, &header, data) != 0)
        return false;
    return data[CAP_TO_INDEX(CAP_SYS_RESOURCE)].effective & CAP_TO_MASK(CAP_SYS_RESOURCE);
}

rlim_t nrOpen()
{
    QFile f(QStringLiteral("/proc/sys/fs/nr_open"));
    bool ok = false;
    const qint64 v = f.open(QIODevice::ReadOnly) ? f.readAll().trimmed().toLongLong(&ok) : 0;
    return ok ? rlim_t(v) : RLIM_INFINITY;
}

} // namespace

int rlimitResource(const QString &name)
{
    static const QHash<QString, int> resources{
        {QStringLiteral("core"), RLIMIT_CORE},         {QStringLiteral("cpu"), RLIMIT_CPU},
        {QStringLiteral("data"), RLIMIT_DATA},         {QStringLiteral("fsize"), RLIMIT_FSIZE},
        {QStringLiteral("locks"), RLIMIT_LOCKS},       {QStringLiteral("memlock"), RLIMIT_MEMLOCK},
        {QStringLiteral("msgqueue"), RLIMIT_MSGQUEUE}, {QStringLiteral("nice"), RLIMIT_NICE},
        {QStringLiteral("nofile"), RLIMIT_NOFILE},     {QStringLiteral("nproc"), RLIMIT_NPROC},
        {QStringLiteral("rss"), RLIMIT_RSS},           {QStringLiteral("rtprio"), RLIMIT_RTPRIO},
        {QStringLiteral("rttime"), RLIMIT_RTTIME},     {QStringLiteral("sigpending"), RLIMIT_SIGPENDING},
        {QStringLiteral("stack"), RLIMIT_STACK}};
    return resources.value(name, -1);
}

Status checkUlimits(const QList<Ulimit> &ulimits)
{
    const bool privileged = haveSysResource();
    for (const Ulimit &u : ulimits) {
        const int resource = rlimitResource(u.name);
        if (resource < 0)
            return Error(ErrorCode::InvalidArgument, QStringLiteral("invalid ulimit type: %1").arg(u.name));
        const QString flag = QStringLiteral("--ulimit ") + formatUlimit(u);
        const rlim_t hard = toRlim(u.hard);
        if (resource == RLIMIT_NOFILE && hard > nrOpen())
            return Error(ErrorCode::FailedPrecondition,
                         QStringLiteral("%1: the hard limit %2 is above the kernel's fs.nr_open (%3)")
                             .arg(flag, limitText(hard), limitText(nrOpen())));
        rlimit current{};
        if (::getrlimit(resource, &current) != 0)
            return Error::fromErrno(QStringLiteral("%1: read this process's limit").arg(flag), errno);
        if (hard > current.rlim_max && !privileged)
            return Error(ErrorCode::FailedPrecondition,
                         QStringLiteral("%1: the hard limit %2 is above this host's %3, and raising a hard limit needs "
                                        "CAP_SYS_RESOURCE, which porthole does not have here")
                             .arg(flag, limitText(hard), limitText(current.rlim_max)));
    }
    return {};
}

Status applyUlimits(const QList<Ulimit> &ulimits)
{
    for (const Ulimit &u : ulimits) {
        const int resource = rlimitResource(u.name);
        const rlimit wanted{toRlim(u.soft), toRlim(u.hard)};
        rlimit current{};
        ::getrlimit(resource, &current);
        if (resource >= 0 && ::setrlimit(resource, &wanted) == 0)
            continue;
        const int err = resource < 0 ? EINVAL : errno;
        QString why = QString::fromLocal8Bit(strerror(err));
        if (err == EPERM && wanted.rlim_max > current.rlim_max)
            why += QStringLiteral(" (above the hard limit %1 of the process that starts the container; raising a hard "
                                  "limit needs CAP_SYS_RESOURCE)").arg(limitText(current.rlim_max));
        return Error(ErrorCode::FailedPrecondition,
                     QStringLiteral("set rlimit %1 to %2: %3").arg(u.name, formatUlimit(u).section(u'=', 1), why));
    }
    return {};
}

} // namespace porthole::runtime
