#include "layer/treewalk.h"

#include <QFile>

#include <algorithm>
#include <cerrno>
#include <dirent.h>
#include <fcntl.h>

namespace porthole::layer::treewalk {

QString show(const QByteArray &rel)
{
    return QLatin1Char('/') + QString::fromUtf8(rel);
}

QByteArray join(const QByteArray &dir, const QByteArray &name)
{
    return dir.isEmpty() ? name : dir + '/' + name;
}

QSet<QByteArray> normalizeExcluded(const QStringList &excluded)
{
    QSet<QByteArray> out;
    for (const QString &path : excluded) {
        QByteArrayList parts;
        for (const QByteArray &p : QFile::encodeName(path).split('/'))
            if (!p.isEmpty() && p != ".")
                parts << p;
        if (!parts.isEmpty())
            out.insert(parts.join('/'));
    }
    return out;
}

Result<QByteArrayList> listDir(int dirFd, const QByteArray &rel)
{
    const int dup = ::fcntl(dirFd, F_DUPFD_CLOEXEC, 0);
    DIR *dir = dup >= 0 ? ::fdopendir(dup) : nullptr;
    if (!dir) {
        const int err = errno;
        if (dup >= 0)
            ::close(dup);
        return Error::fromErrno(QStringLiteral("read directory %1").arg(show(rel)), err);
    }
    QByteArrayList names;
    errno = 0;
    while (dirent *d = ::readdir(dir)) {
        const QByteArray name(d->d_name);
        if (name != "." && name != "..")
            names << name;
    }
    const int err = errno;
    ::closedir(dir);
    if (err)
        return Error::fromErrno(QStringLiteral("read directory %1").arg(show(rel)), err);
    std::sort(names.begin(), names.end());
    return names;
}

Result<int> openDirAt(int dirFd, const QByteArray &name, const QByteArray &rel)
{
    const int fd = ::openat(dirFd, name.constData(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return Error::fromErrno(QStringLiteral("open directory %1").arg(show(rel)), errno);
    return fd;
}

Status walk(int dirFd, const QByteArray &rel, const QSet<QByteArray> &excluded, const Visitor &visit)
{
    PH_TRY(const QByteArrayList names, listDir(dirFd, rel));
    for (const QByteArray &name : names) {
        const QByteArray child = join(rel, name);
        if (excluded.contains(child))
            continue;
        struct stat st { };
        if (::fstatat(dirFd, name.constData(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
            if (errno == ENOENT) // removed while we walk (container not frozen)
                continue;
            return Error::fromErrno(QStringLiteral("stat %1").arg(show(child)), errno);
        }
        PH_TRY(const bool descend, visit(dirFd, name, child, st));
        if (descend && S_ISDIR(st.st_mode)) {
            PH_TRY(const Fd sub, openDirAt(dirFd, name, child));
            PH_CHECK(walk(sub.fd, child, excluded, visit));
        }
    }
    return {};
}

Result<int> openRoot(const QString &dir, const QString &what)
{
    const int fd = ::open(QFile::encodeName(dir).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return Error::fromErrno(QStringLiteral("%1: open upper dir %2").arg(what, dir), errno);
    return fd;
}

} // namespace porthole::layer::treewalk
