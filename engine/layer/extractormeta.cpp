// What an entry carries besides its content: owner, mode, xattrs, times.
// Directories get their mode and times last (finishDirs).
#include "layer/extractor.h"

#include "layer/inroot.h"
#include "layer/whiteout.h"
#include "store/fsutil.h"

#include <archive.h>
#include <archive_entry.h>

#include <cerrno>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

namespace porthole::layer {

namespace {

QByteArray procPath(int dirFd, const QByteArray &name)
{
    return QByteArray("/proc/self/fd/") + QByteArray::number(dirFd) + '/' + name;
}

} // namespace

Status Extractor::applyDirEntry(int fd, const QByteArray &path, struct archive_entry *e)
{
    PH_CHECK(applyOwner(fd, -1, path, e));
    PH_CHECK(applyXattrs(e, fd, -1, path, false));
    DirMeta meta{path, permOf(e), {}};
    entryTimes(e, meta.times);
    if (auto it = m_dirIndex.constFind(path); it != m_dirIndex.constEnd()) {
        m_dirs[*it] = meta; // a repeated directory entry: the last one wins
    } else {
        m_dirIndex.insert(path, m_dirs.size());
        m_dirs.append(meta);
    }
    return {};
}
mode_t Extractor::permOf(struct archive_entry *e) const
{
    const mode_t perm = archive_entry_perm(e);
    return m_opts.privileges ? perm : perm & ~mode_t(S_ISUID | S_ISGID);
}
// fd >= 0: the object itself; else name in dirFd, not followed.
Status Extractor::applyOwner(int fd, int dirFd, const QByteArray &name, struct archive_entry *e)
{
    if (!m_opts.isRoot)
        return {};
    const auto uid = m_opts.owner ? m_opts.owner->first : archive_entry_uid(e);
    const auto gid = m_opts.owner ? m_opts.owner->second : archive_entry_gid(e);
    const int rc = fd >= 0 ? ::fchown(fd, uid_t(uid), gid_t(gid))
                           : ::fchownat(dirFd, name.constData(), uid_t(uid), gid_t(gid), AT_SYMLINK_NOFOLLOW);
    if (rc != 0)
        return sysError(QStringLiteral("change the owner to %1:%2").arg(uid).arg(gid), errno);
    return {};
}

Status Extractor::applyXattrs(struct archive_entry *e, int fd, int dirFd, const QByteArray &name, bool isSymlink)
{
    if (archive_entry_xattr_reset(e) == 0)
        return {};
    const char *key = nullptr;
    const void *value = nullptr;
    size_t size = 0;
    QByteArray path;
    QList<QByteArrayView> seen; // pax tars from libarchive carry each xattr twice
    while (archive_entry_xattr_next(e, &key, &value, &size) == ARCHIVE_OK) {
        if (seen.contains(QByteArrayView(key)))
            continue;
        seen.append(QByteArrayView(key));
        if (isOverlayXattr(key)) {
            warn(QStringLiteral("ignored the overlay xattr %1 on %2").arg(QString::fromUtf8(key), m_shown));
            continue;
        }
        if (!m_opts.privileges && qstrcmp(key, "security.capability") == 0)
            continue; // a file capability is a setuid bit by another name
        int rc;
        if (fd >= 0) {
            rc = ::fsetxattr(fd, key, value, size, 0);
        } else {
            // No fd for symlinks and devices: the parent's fd through /proc
            // (a trusted magic link) plus a name lsetxattr does not follow.
            if (path.isEmpty())
                path = procPath(dirFd, name);
            rc = ::lsetxattr(path.constData(), key, value, size, 0);
        }
        if (rc == 0)
            continue;
        const int err = errno;
        if (err == ENOTSUP || (err == EPERM && (!m_opts.isRoot || isSymlink))) {
            warn(QStringLiteral("could not set the xattr %1 on %2: %3")
                     .arg(QString::fromUtf8(key), m_shown, QString::fromLocal8Bit(strerror(err))));
            continue;
        }
        return sysError(QStringLiteral("set the xattr %1").arg(QString::fromUtf8(key)), err);
    }
    return {};
}

// Deepest first (the reverse of creation), so an unprivileged unpack can
// still reach a child before its parent becomes read-only.
Status Extractor::finishDirs()
{
    for (qsizetype i = m_dirs.size() - 1; i >= 0; --i) {
        const DirMeta &d = m_dirs.at(i);
        m_shown = d.path.isEmpty() ? QStringLiteral("./") : shownEntryName(d.path.constData());
        UniqueFd fd;
        if (d.path.isEmpty()) {
            fd.reset(::fcntl(m_root.rootFd(), F_DUPFD_CLOEXEC, 0));
        } else {
            const auto [parent, name] = splitParent(d.path);
            auto parentFd = m_root.dir(parent, false);
            if (!parentFd)
                continue; // replaced by a later entry
            fd.reset(::openat(*parentFd, name.constData(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
        }
        if (!fd.valid())
            continue;
        if (::fchmod(fd.get(), d.perm) != 0)
            return sysError(QStringLiteral("set the mode"), errno);
        if (::futimens(fd.get(), d.times) != 0)
            return sysError(QStringLiteral("set the times"), errno);
    }
    if (m_warningsDropped > 0)
        m_result.warnings.append(QStringLiteral("... and %1 more warnings").arg(m_warningsDropped));
    return {};
}

} // namespace porthole::layer
