#include "layer/inroot.h"

#include "layer/whiteout.h"

#include <QList>

#include <cerrno>
#include <dirent.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace porthole::layer {

void UniqueFd::reset(int fd)
{
    if (m_fd >= 0)
        ::close(m_fd);
    m_fd = fd;
}

std::optional<QByteArray> cleanEntryPath(QByteArrayView name)
{
    QList<QByteArrayView> parts;
    qsizetype start = 0;
    while (start <= name.size()) {
        qsizetype end = name.indexOf('/', start);
        if (end < 0)
            end = name.size();
        const QByteArrayView part = name.sliced(start, end - start);
        if (part == "..") {
            if (parts.isEmpty())
                return std::nullopt;
            parts.removeLast();
        } else if (!part.isEmpty() && part != ".") {
            parts.append(part);
        }
        start = end + 1;
    }
    QByteArray out;
    out.reserve(name.size());
    for (const QByteArrayView &p : parts) {
        if (!out.isEmpty())
            out += '/';
        out += p;
    }
    return out;
}

std::pair<QByteArray, QByteArray> splitParent(const QByteArray &cleanPath)
{
    const qsizetype slash = cleanPath.lastIndexOf('/');
    if (slash < 0)
        return {QByteArray(), cleanPath};
    return {cleanPath.left(slash), cleanPath.mid(slash + 1)};
}

int openInRoot(int rootFd, const char *path, int flags)
{
    struct open_how how {};
    how.flags = quint64(flags | O_CLOEXEC);
    how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
    // EAGAIN means a rename or a mount change anywhere on the machine raced
    // a ".." in the lookup. A few retries settle a single rename; a burst
    // (a mount namespace being torn down, a busy build) needs a little
    // patience, so after spinning a while we wait a millisecond per try.
    for (int attempt = 0; attempt < 64 + 2000; ++attempt) {
        const long fd = ::syscall(SYS_openat2, rootFd, path, &how, sizeof how);
        if (fd >= 0)
            return int(fd);
        if (errno != EINTR && errno != EAGAIN)
            return -1;
        if (attempt >= 64)
            ::usleep(1000);
    }
    return -1;
}

static QString show(const QByteArray &path) { return QString::fromUtf8(path); }

static Error resolveError(const QByteArray &path, int err)
{
    switch (err) {
    case ENOENT:
        return Error(ErrorCode::NotFound, QStringLiteral("%1 does not exist").arg(show(path)), err);
    case ENOTDIR:
        return Error(ErrorCode::InvalidArgument, QStringLiteral("%1 is not a directory").arg(show(path)), err);
    case ELOOP:
        return Error(ErrorCode::InvalidArgument, QStringLiteral("%1 has too many levels of symbolic links").arg(show(path)), err);
    case ENOSYS:
        return Error(ErrorCode::FailedPrecondition,
                     QStringLiteral("resolve %1: the kernel lacks openat2 (Linux 5.6 or later is needed)").arg(show(path)), err);
    default:
        return Error::fromErrno(QStringLiteral("resolve %1").arg(show(path)), err);
    }
}

Result<UniqueFd> InRoot::openDir(const QByteArray &cleanDir) const
{
    const int fd = cleanDir.isEmpty() ? ::fcntl(m_root.get(), F_DUPFD_CLOEXEC, 0)
                                      : openInRoot(m_root.get(), cleanDir.constData(), O_RDONLY | O_DIRECTORY);
    if (fd < 0)
        return resolveError(cleanDir, errno);
    return UniqueFd(fd);
}

Result<int> InRoot::dir(const QByteArray &cleanDir, bool create)
{
    if (cleanDir.isEmpty())
        return m_root.get();
    if (m_cacheValid && m_cachePath == cleanDir)
        return m_cacheFd.get();
    UniqueFd fd(openInRoot(m_root.get(), cleanDir.constData(), O_RDONLY | O_DIRECTORY));
    if (!fd.valid()) {
        const int err = errno;
        if (!create || (err != ENOENT && err != ENOTDIR))
            return resolveError(cleanDir, err);
        PH_TRY(fd, createDirs(cleanDir));
    }
    m_cacheFd = std::move(fd);
    m_cachePath = cleanDir;
    m_cacheValid = true;
    return m_cacheFd.get();
}

// Walks cleanDir one prefix at a time, each resolved from the root by the
// kernel (so a symlink met on the way stays scoped), creating what is
// missing in the directory the previous prefix resolved to.
Result<UniqueFd> InRoot::createDirs(const QByteArray &cleanDir)
{
    UniqueFd current(::fcntl(m_root.get(), F_DUPFD_CLOEXEC, 0));
    if (!current.valid())
        return Error::fromErrno(QStringLiteral("duplicate the layer root fd"), errno);
    qsizetype start = 0;
    while (start < cleanDir.size()) {
        qsizetype end = cleanDir.indexOf('/', start);
        if (end < 0)
            end = cleanDir.size();
        const QByteArray prefix = cleanDir.left(end);
        const QByteArray name = cleanDir.mid(start, end - start);
        start = end + 1;

        UniqueFd next(openInRoot(m_root.get(), prefix.constData(), O_RDONLY | O_DIRECTORY));
        if (!next.valid()) {
            const int err = errno;
            if (err == ENOENT) {
                if (::mkdirat(current.get(), name.constData(), 0755) != 0) {
                    // It exists, yet resolving it found nothing: a symlink
                    // to a missing place. Creating its target would mean
                    // writing where an earlier entry pointed; refuse.
                    if (errno == EEXIST)
                        return Error(ErrorCode::InvalidArgument,
                                     QStringLiteral("%1 is a symbolic link to a missing directory").arg(show(prefix)));
                    return Error::fromErrno(QStringLiteral("create directory %1").arg(show(prefix)), errno);
                }
                next.reset(::openat(current.get(), name.constData(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
                if (!next.valid())
                    return Error::fromErrno(QStringLiteral("open directory %1").arg(show(prefix)), errno);
                ::fchmod(next.get(), 0755); // mkdirat's mode went through the umask
            } else if (err == ENOTDIR) {
                struct stat st {};
                if (::fstatat(current.get(), name.constData(), &st, AT_SYMLINK_NOFOLLOW) != 0 || !isWhiteoutDevice(st))
                    return resolveError(prefix, ENOTDIR);
                PH_TRY(const int fd, replaceWhiteoutWithOpaqueDir(current.get(), name.constData()));
                next.reset(fd);
                forget();
            } else {
                return resolveError(prefix, err);
            }
        }
        current = std::move(next);
    }
    return current;
}

// Symlinks let a tar build trees deeper than PATH_MAX suggests; the
// recursion stops at a depth that fits the stack (and the fd limit).
constexpr int kMaxRemoveDepth = 4096;

static Status removeAtDepth(int dirFd, const char *name, const QString &what, int depth);

static Status removeContentsAtDepth(int dirFd, const QString &what, int depth)
{
    // Names first, removal after: unlinking while readdir walks the same
    // directory may skip entries.
    const int dupFd = ::fcntl(dirFd, F_DUPFD_CLOEXEC, 0);
    DIR *d = dupFd >= 0 ? ::fdopendir(dupFd) : nullptr;
    if (!d) {
        if (dupFd >= 0)
            ::close(dupFd);
        return Error::fromErrno(QStringLiteral("%1: list directory").arg(what), errno);
    }
    ::rewinddir(d);
    QList<QByteArray> names;
    while (const dirent *e = ::readdir(d)) {
        const QByteArrayView n(e->d_name);
        if (n != "." && n != "..")
            names.append(n.toByteArray());
    }
    ::closedir(d);
    for (const QByteArray &n : names)
        PH_CHECK(removeAtDepth(dirFd, n.constData(), what, depth));
    return {};
}

Status removeContents(int dirFd, const QString &what) { return removeContentsAtDepth(dirFd, what, 0); }

Status removeAt(int dirFd, const char *name, const QString &what) { return removeAtDepth(dirFd, name, what, 0); }

static Status removeAtDepth(int dirFd, const char *name, const QString &what, int depth)
{
    if (::unlinkat(dirFd, name, 0) == 0 || errno == ENOENT)
        return {};
    if (errno != EISDIR && errno != EPERM)
        return Error::fromErrno(QStringLiteral("%1: remove %2").arg(what, QString::fromUtf8(name)), errno);
    if (depth >= kMaxRemoveDepth)
        return Error(ErrorCode::InvalidArgument, QStringLiteral("%1: the tree is more than %2 directories deep").arg(what).arg(kMaxRemoveDepth));
    UniqueFd sub(::openat(dirFd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (!sub.valid())
        return Error::fromErrno(QStringLiteral("%1: open %2").arg(what, QString::fromUtf8(name)), errno);
    // A directory restored to 0555 by an unprivileged unpack cannot be
    // emptied until it is writable again.
    ::fchmod(sub.get(), 0700);
    PH_CHECK(removeContentsAtDepth(sub.get(), what, depth + 1));
    sub.reset();
    if (::unlinkat(dirFd, name, AT_REMOVEDIR) != 0 && errno != ENOENT)
        return Error::fromErrno(QStringLiteral("%1: remove directory %2").arg(what, QString::fromUtf8(name)), errno);
    return {};
}

} // namespace porthole::layer
