#include "runtime/devicerules.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>

#include <cerrno>
#include <fcntl.h>
#include <optional>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

namespace porthole::runtime {

namespace {

DeviceRule allowChar(qint64 major, qint64 minor, const char *access = "rwm")
{
    return {'c', major, minor, QString::fromLatin1(access), true};
}

bool covers(const QString &ruleAccess, const QString &wanted)
{
    for (QChar c : wanted) {
        if (!ruleAccess.contains(c))
            return false;
    }
    return true;
}

bool overlaps(const QString &ruleAccess, const QString &wanted)
{
    for (QChar c : wanted) {
        if (ruleAccess.contains(c))
            return true;
    }
    return false;
}

Status writeRule(const QString &file, const QString &line)
{
    const QByteArray text = line.toLatin1();
    const int fd = ::open(QFile::encodeName(file).constData(), O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return Error::fromErrno(QStringLiteral("write device rule \"%1\" to %2").arg(line, file), errno);
    const ssize_t n = ::write(fd, text.constData(), size_t(text.size()));
    const int err = errno;
    ::close(fd);
    if (n < 0)
        return Error::fromErrno(QStringLiteral("write device rule \"%1\" to %2").arg(line, file), err);
    return {};
}

std::optional<DeviceNode> nodeFor(const QString &hostPath, const QString &containerPath, const QString &access)
{
    struct stat st {};
    if (::stat(QFile::encodeName(hostPath).constData(), &st) != 0 || !(S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)))
        return std::nullopt;
    DeviceNode n;
    n.pathInContainer = containerPath;
    n.type = S_ISCHR(st.st_mode) ? 'c' : 'b';
    n.major = ::major(st.st_rdev);
    n.minor = ::minor(st.st_rdev);
    n.mode = st.st_mode & 07777;
    n.uid = st.st_uid;
    n.gid = st.st_gid;
    n.access = access;
    return n;
}

} // namespace

QString DeviceRule::v1Line() const
{
    auto number = [](qint64 n) { return n < 0 ? QStringLiteral("*") : QString::number(n); };
    return QStringLiteral("%1 %2:%3 %4").arg(QChar::fromLatin1(type), number(major), number(minor), access);
}

QList<DeviceRule> defaultDeviceRules()
{
    return {
        {'a', -1, -1, QStringLiteral("rwm"), false},
        {'c', -1, -1, QStringLiteral("m"), true},
        {'b', -1, -1, QStringLiteral("m"), true},
        allowChar(1, 3),  // null
        allowChar(1, 5),  // zero
        allowChar(1, 7),  // full
        allowChar(1, 8),  // random
        allowChar(1, 9),  // urandom
        allowChar(5, 0),  // tty
        allowChar(5, 1),  // console
        allowChar(5, 2),  // ptmx
        allowChar(136, -1), // the devpts slaves
    };
}

QList<DeviceRule> allowAllDeviceRules() { return {{'a', -1, -1, QStringLiteral("rwm"), true}}; }

bool deviceAllowed(const QList<DeviceRule> &rules, char type, quint32 major, quint32 minor, const QString &access)
{
    for (qsizetype i = rules.size() - 1; i >= 0; --i) {
        const DeviceRule &r = rules[i];
        if ((r.type != 'a' && r.type != type) || (r.major >= 0 && r.major != major) || (r.minor >= 0 && r.minor != minor))
            continue;
        if (r.allow ? covers(r.access, access) : overlaps(r.access, access))
            return r.allow;
    }
    return false;
}

Result<DeviceMapping> parseDeviceMapping(const QString &spec)
{
    const QStringList parts = spec.split(u':');
    auto invalid = [&] { return Error(ErrorCode::InvalidArgument, QStringLiteral("invalid device specification: %1").arg(spec)); };
    if (parts.isEmpty() || parts.size() > 3 || parts[0].isEmpty())
        return invalid();
    DeviceMapping m;
    m.pathOnHost = QDir::cleanPath(parts[0]);
    m.pathInContainer = m.pathOnHost;
    auto isPermissions = [](const QString &s) {
        static const QString allowed = QStringLiteral("rwm");
        if (s.isEmpty() || s.size() > 3)
            return false;
        for (QChar c : s) {
            if (!allowed.contains(c) || s.count(c) > 1)
                return false;
        }
        return true;
    };
    if (parts.size() == 3) {
        if (!isPermissions(parts[2]))
            return invalid();
        m.permissions = parts[2];
        m.pathInContainer = parts[1];
    } else if (parts.size() == 2) {
        // docker: "HOST:rw" is permissions, "HOST:/dev/x" a path.
        if (isPermissions(parts[1]))
            m.permissions = parts[1];
        else
            m.pathInContainer = parts[1];
    }
    if (!m.pathOnHost.startsWith(u'/') || !m.pathInContainer.startsWith(u'/'))
        return Error(ErrorCode::InvalidArgument, QStringLiteral("invalid device specification: %1: paths must be absolute").arg(spec));
    m.pathInContainer = QDir::cleanPath(m.pathInContainer);
    // The node is made in the container's /dev tmpfs, never in its image
    // layer (a commit would keep a host device).
    if (!m.pathInContainer.startsWith(QLatin1String("/dev/")))
        return Error(ErrorCode::InvalidArgument,
                     QStringLiteral("invalid device specification: %1: the path in the container must be under /dev").arg(spec));
    return m;
}

Result<QList<DeviceNode>> resolveDeviceMapping(const DeviceMapping &mapping)
{
    struct stat st {};
    if (::stat(QFile::encodeName(mapping.pathOnHost).constData(), &st) != 0)
        return Error::fromErrno(QStringLiteral("error gathering device information while adding custom device \"%1\"").arg(mapping.pathOnHost), errno);
    if (S_ISDIR(st.st_mode)) {
        QList<DeviceNode> nodes;
        QDirIterator it(mapping.pathOnHost, QDir::System | QDir::Files | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString host = it.next();
            const QString inside = mapping.pathInContainer + host.mid(mapping.pathOnHost.size());
            if (auto n = nodeFor(host, inside, mapping.permissions))
                nodes.append(*n);
        }
        return nodes;
    }
    auto node = nodeFor(mapping.pathOnHost, mapping.pathInContainer, mapping.permissions);
    if (!node)
        return Error(ErrorCode::InvalidArgument, QStringLiteral("error gathering device information while adding custom device \"%1\": not a device node").arg(mapping.pathOnHost));
    return QList<DeviceNode>{*node};
}

QList<DeviceNode> hostDeviceNodes()
{
    QList<DeviceNode> nodes;
    QDirIterator it(QStringLiteral("/dev"), QDir::System | QDir::Files | QDir::Dirs | QDir::NoDotAndDotDot);
    QStringList dirs;
    while (it.hasNext()) {
        const QString path = it.next();
        const QString name = it.fileName();
        // The container has its own ptys, shm, mqueue and console.
        if (name == QLatin1String("pts") || name == QLatin1String("shm") || name == QLatin1String("mqueue")
            || name == QLatin1String("console") || name == QLatin1String("ptmx") || name == QLatin1String("tty"))
            continue;
        if (it.fileInfo().isDir() && !it.fileInfo().isSymLink()) {
            dirs.append(path);
            continue;
        }
        if (auto n = nodeFor(path, path, QStringLiteral("rwm")))
            nodes.append(*n);
    }
    for (const QString &dir : dirs) {
        QDirIterator sub(dir, QDir::System | QDir::Files | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
        while (sub.hasNext()) {
            const QString path = sub.next();
            if (!sub.fileInfo().isSymLink())
                if (auto n = nodeFor(path, path, QStringLiteral("rwm")))
                    nodes.append(*n);
        }
    }
    return nodes;
}

QList<DeviceRule> rulesForNodes(const QList<DeviceNode> &nodes)
{
    QList<DeviceRule> rules;
    for (const DeviceNode &n : nodes)
        rules.append({n.type, qint64(n.major), qint64(n.minor), n.access, true});
    return rules;
}

Status applyDeviceRulesV1(const QString &devicesDir, const QList<DeviceRule> &rules)
{
    for (const DeviceRule &r : rules) {
        const QString file = devicesDir + (r.allow ? QStringLiteral("/devices.allow") : QStringLiteral("/devices.deny"));
        // v1 spells "every device" as a bare "a".
        PH_CHECK(writeRule(file, r.type == 'a' && r.major < 0 && r.minor < 0 ? QStringLiteral("a") : r.v1Line()));
    }
    return {};
}

} // namespace porthole::runtime
