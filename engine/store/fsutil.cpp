#include "store/fsutil.h"

#include <QDir>
#include <QFileInfo>
#include <QRandomGenerator>

#include <cerrno>
#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace porthole::store {

static QByteArray encoded(const QString &path) { return QFile::encodeName(path); }

Status makeDirs(const QString &path, int mode)
{
    const QByteArray p = encoded(QDir::cleanPath(path));
    // Walk the components, creating each missing one.
    for (qsizetype i = 1; i <= p.size(); ++i) {
        if (i != p.size() && p[i] != '/')
            continue;
        const QByteArray part = p.left(i);
        if (::mkdir(part.constData(), mode_t(mode)) == 0) {
            // Exactly the mode asked for: mkdir's went through the umask,
            // and some of these modes are what a container sees (an upper
            // dir is its "/", a volume's _data its mount point).
            if (::chmod(part.constData(), mode_t(mode)) != 0)
                return Error::fromErrno(QStringLiteral("set the mode of %1").arg(QString::fromLocal8Bit(part)), errno);
        } else if (errno != EEXIST) {
            return Error::fromErrno(QStringLiteral("create directory %1").arg(QString::fromLocal8Bit(part)), errno);
        }
    }
    struct stat st {};
    if (::stat(p.constData(), &st) != 0)
        return Error::fromErrno(QStringLiteral("create directory %1").arg(path), errno);
    if (!S_ISDIR(st.st_mode))
        return Error(ErrorCode::AlreadyExists, QStringLiteral("create directory %1: a file is in the way").arg(path));
    return {};
}

Status fsyncDir(const QString &dirPath)
{
    const int fd = ::open(encoded(dirPath).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return Error::fromErrno(QStringLiteral("open directory %1").arg(dirPath), errno);
    const int rc = ::fsync(fd);
    const int err = errno;
    ::close(fd);
    if (rc != 0)
        return Error::fromErrno(QStringLiteral("fsync directory %1").arg(dirPath), err);
    return {};
}

Result<QByteArray> readFile(const QString &path, qint64 maxBytes)
{
    const int fd = ::open(encoded(path).constData(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return Error::fromErrno(QStringLiteral("read %1").arg(path), errno);
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
        const int err = errno;
        ::close(fd);
        return Error::fromErrno(QStringLiteral("read %1").arg(path), err);
    }
    if (st.st_size > maxBytes) {
        ::close(fd);
        return Error(ErrorCode::InvalidArgument,
                     QStringLiteral("read %1: file is %2 bytes, more than the %3 allowed").arg(path).arg(st.st_size).arg(maxBytes));
    }
    // Read to the end, not to st_size: /proc and /sys files report 0 or a
    // page and hold something else; the limit still holds for them.
    QByteArray data;
    data.resize(qsizetype(qBound(qint64(4096), qint64(st.st_size) + 1, maxBytes + 1)));
    qint64 got = 0;
    for (;;) {
        if (got == data.size()) {
            if (got > maxBytes) {
                ::close(fd);
                return Error(ErrorCode::InvalidArgument,
                             QStringLiteral("read %1: more than the %2 bytes allowed").arg(path).arg(maxBytes));
            }
            data.resize(qsizetype(qMin<qint64>(data.size() * 2, maxBytes + 1)));
        }
        const ssize_t n = ::read(fd, data.data() + got, size_t(data.size() - got));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            const int err = errno;
            ::close(fd);
            return Error::fromErrno(QStringLiteral("read %1").arg(path), err);
        }
        if (n == 0)
            break;
        got += n;
    }
    ::close(fd);
    data.truncate(qsizetype(got));
    return data;
}

Status writeAll(int fd, const char *data, qint64 size, const QString &what)
{
    while (size > 0) {
        const ssize_t n = ::write(fd, data, size_t(size));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return Error::fromErrno(what, errno);
        data += n;
        size -= n;
    }
    return {};
}

Result<TempFile> createTempFile(const QString &dir, int mode)
{
    for (int attempt = 0; attempt < 100; ++attempt) {
        const QString name = QString::fromLatin1(kTempPrefix)
            + QString::number(QRandomGenerator::system()->generate64(), 36);
        const QString path = dir + u'/' + name;
        const int fd = ::open(encoded(path).constData(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, mode_t(mode));
        if (fd < 0 && errno == EEXIST)
            continue;
        if (fd < 0)
            return Error::fromErrno(QStringLiteral("create temporary file in %1").arg(dir), errno);
        // Held until the fd is closed; removeStaleTempFiles skips locked files.
        // A cleaner may have taken the file between open and flock: then it is
        // unlinked (nlink 0) and we start over.
        int rc;
        do
            rc = ::flock(fd, LOCK_EX);
        while (rc != 0 && errno == EINTR);
        if (rc != 0) {
            // Unlocked, the file would look abandoned to every cleaner.
            const int err = errno;
            ::unlink(encoded(path).constData());
            ::close(fd);
            return Error::fromErrno(QStringLiteral("lock temporary file %1").arg(path), err);
        }
        struct stat st {};
        if (::fstat(fd, &st) == 0 && st.st_nlink == 0) {
            ::close(fd);
            continue;
        }
        return TempFile{fd, path};
    }
    return Error(ErrorCode::Internal, QStringLiteral("create temporary file in %1: no free name").arg(dir));
}

Status writeFileAtomic(const QString &path, const QByteArray &data, int mode, Durability durability)
{
    const QString dir = QFileInfo(path).absolutePath();
    PH_TRY(const TempFile tmp, createTempFile(dir, mode));
    auto fail = [&](Error e) {
        ::close(tmp.fd);
        ::unlink(encoded(tmp.path).constData());
        return e;
    };
    if (auto st = writeAll(tmp.fd, data.constData(), data.size(), QStringLiteral("write %1").arg(path)); !st)
        return fail(st.error());
    const bool durable = durability == Durability::Durable;
    if (::fchmod(tmp.fd, mode_t(mode)) != 0 || (durable && ::fsync(tmp.fd) != 0))
        return fail(Error::fromErrno(QStringLiteral("write %1").arg(path), errno));
    if (::rename(encoded(tmp.path).constData(), encoded(path).constData()) != 0)
        return fail(Error::fromErrno(QStringLiteral("replace %1").arg(path), errno));
    ::close(tmp.fd);
    return durable ? fsyncDir(dir) : Status();
}

Status removeAll(const QString &path)
{
    struct stat st {};
    if (::lstat(encoded(path).constData(), &st) != 0)
        return errno == ENOENT ? Status() : Status(Error::fromErrno(QStringLiteral("remove %1").arg(path), errno));
    if (!S_ISDIR(st.st_mode)) {
        if (::unlink(encoded(path).constData()) != 0 && errno != ENOENT)
            return Error::fromErrno(QStringLiteral("remove %1").arg(path), errno);
        return {};
    }
    // QDir::removeRecursively does not follow symlinks out of the tree.
    if (!QDir(path).removeRecursively())
        return Error(ErrorCode::Io, QStringLiteral("remove directory %1: some entries could not be removed").arg(path));
    return {};
}

bool pathExists(const QString &path)
{
    struct stat st {};
    return ::lstat(encoded(path).constData(), &st) == 0;
}

int removeStaleTempFiles(const QString &dir)
{
    DIR *d = ::opendir(encoded(dir).constData());
    if (!d)
        return 0;
    int removed = 0;
    const size_t prefixLen = strlen(kTempPrefix);
    while (dirent *e = ::readdir(d)) {
        if (strncmp(e->d_name, kTempPrefix, prefixLen) != 0)
            continue;
        const int fd = ::openat(dirfd(d), e->d_name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
        if (fd < 0)
            continue;
        if (::flock(fd, LOCK_EX | LOCK_NB) == 0) {
            // Nobody holds it: its writer died. Unlink while we hold the lock
            // so a racing cleaner cannot double-count.
            if (::unlinkat(dirfd(d), e->d_name, 0) == 0)
                ++removed;
        }
        ::close(fd);
    }
    ::closedir(d);
    return removed;
}

} // namespace porthole::store
