#include "layer/whiteout.h"

#include <cerrno>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

namespace porthole::layer {

static QString show(const QByteArray &name) { return QString::fromUtf8(name); }

WhiteoutName classifyWhiteout(QByteArrayView baseName)
{
    if (!baseName.startsWith(kWhiteoutPrefix))
        return {};
    if (baseName == kOpaqueMarker)
        return {WhiteoutKind::Opaque, {}};
    if (baseName.startsWith(kWhiteoutMetaPrefix))
        return {WhiteoutKind::AufsMeta, {}};
    const QByteArrayView target = baseName.sliced(qsizetype(sizeof(kWhiteoutPrefix) - 1));
    if (target.isEmpty() || target == "." || target == "..")
        return {WhiteoutKind::Invalid, {}};
    return {WhiteoutKind::File, target.toByteArray()};
}

bool isOverlayXattr(QByteArrayView name)
{
    return name.startsWith("trusted.overlay.") || name.startsWith("user.overlay.");
}

bool isOpaqueDir(int dirFd)
{
    char value[2];
    for (const char *name : {kOpaqueXattr, "user.overlay.opaque"}) {
        if (::fgetxattr(dirFd, name, value, sizeof value) == 1 && value[0] == 'y')
            return true;
    }
    return false;
}

Status makeOpaque(int dirFd)
{
    if (::fsetxattr(dirFd, kOpaqueXattr, "y", 1, 0) != 0)
        return Error::fromErrno(QStringLiteral("mark the directory opaque (%1)").arg(QLatin1String(kOpaqueXattr)), errno);
    return {};
}

static Status makeOpaqueAt(int dirFd, const QByteArray &name)
{
    const int fd = ::openat(dirFd, name.constData(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return Error::fromErrno(QStringLiteral("open directory %1").arg(show(name)), errno);
    Status st = makeOpaque(fd);
    ::close(fd);
    return st;
}

Status makeWhiteout(int dirFd, const QByteArray &name)
{
    if (::mknodat(dirFd, name.constData(), S_IFCHR | 0, makedev(0, 0)) == 0)
        return {};
    const int err = errno;
    if (err != EEXIST) {
        Error e = Error::fromErrno(QStringLiteral("create the overlay whiteout %1").arg(show(name)), err);
        if (err == EPERM)
            e.message += QStringLiteral(" (whiteouts need CAP_MKNOD)");
        return e;
    }
    struct stat st {};
    if (::fstatat(dirFd, name.constData(), &st, AT_SYMLINK_NOFOLLOW) != 0)
        return Error::fromErrno(QStringLiteral("inspect %1").arg(show(name)), errno);
    // See the header: what exists came from this layer and must survive.
    if (S_ISDIR(st.st_mode))
        return makeOpaqueAt(dirFd, name);
    return {};
}

Result<int> replaceWhiteoutWithOpaqueDir(int dirFd, const char *name)
{
    const QString shown = QString::fromUtf8(name);
    if (::unlinkat(dirFd, name, 0) != 0)
        return Error::fromErrno(QStringLiteral("remove the whiteout %1").arg(shown), errno);
    if (::mkdirat(dirFd, name, 0755) != 0)
        return Error::fromErrno(QStringLiteral("create directory %1").arg(shown), errno);
    const int fd = ::openat(dirFd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return Error::fromErrno(QStringLiteral("open directory %1").arg(shown), errno);
    ::fchmod(fd, 0755); // mkdirat's mode went through the umask
    if (auto st = makeOpaque(fd); !st) {
        ::close(fd);
        return st.error();
    }
    return fd;
}

} // namespace porthole::layer
