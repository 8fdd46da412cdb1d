// Creating what each tar entry names, through in-root resolution: files,
// directories, symlinks, hard links and device nodes, replacing what an
// earlier entry left under the same name.
#include "layer/extractor.h"

#include "layer/inroot.h"
#include "layer/whiteout.h"
#include "store/fsutil.h"

#include <archive.h>
#include <archive_entry.h>

#include <cerrno>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <optional>

namespace porthole::layer {

namespace {

constexpr int kMaxWarnings = 50;

Status pwriteAll(int fd, const char *data, qint64 size, qint64 offset)
{
    while (size > 0) {
        const ssize_t n = ::pwrite(fd, data, size_t(size), off_t(offset));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return Error::fromErrno(QStringLiteral("write"), errno);
        data += n;
        size -= n;
        offset += n;
    }
    return {};
}

} // namespace

QString shownEntryName(const char *name)
{
    const QString full = QString::fromUtf8(name);
    return full.size() <= 200 ? full : full.left(120) + QStringLiteral("…") + full.right(60);
}

void entryTimes(struct archive_entry *e, struct timespec ts[2])
{
    if (archive_entry_mtime_is_set(e))
        ts[1] = {archive_entry_mtime(e), archive_entry_mtime_nsec(e)};
    else
        ts[1] = {0, UTIME_OMIT};
    if (archive_entry_atime_is_set(e))
        ts[0] = {archive_entry_atime(e), archive_entry_atime_nsec(e)};
    else
        ts[0] = ts[1];
}

void Extractor::warn(const QString &text)
{
    if (m_result.warnings.size() < kMaxWarnings)
        m_result.warnings.append(text);
    else
        ++m_warningsDropped;
}

Status Extractor::extract(struct archive_entry *e)
{
    const char *rawName = archive_entry_pathname(e);
    m_shown = rawName ? shownEntryName(rawName) : QString();
    if (!rawName || !*rawName)
        return refuse(QStringLiteral("has no name"));
    const std::optional<QByteArray> clean = cleanEntryPath(rawName);
    if (!clean)
        return refuse(QStringLiteral("escapes the layer root"));
    const auto [dirPath, base] = splitParent(*clean);
    if (!m_opts.layer)
        return extractPlain(e, *clean, dirPath, base);
    if (dirPath.contains(kWhiteoutPrefix)) {
        for (const QByteArray &part : dirPath.split('/')) {
            if (part.startsWith(kWhiteoutMetaPrefix)) {
                warn(QStringLiteral("skipped AUFS metadata %1").arg(m_shown));
                return {};
            }
            if (part.startsWith(kWhiteoutPrefix))
                return refuse(QStringLiteral("lies inside a whiteout"));
        }
    }

    const WhiteoutName wh = classifyWhiteout(base);
    if (wh.kind == WhiteoutKind::Invalid)
        return refuse(QStringLiteral("is a whiteout without a valid target"));
    if (wh.kind == WhiteoutKind::AufsMeta) {
        warn(QStringLiteral("skipped AUFS metadata %1").arg(m_shown));
        return {};
    }
    if (clean->isEmpty()) {
        if (archive_entry_filetype(e) != AE_IFDIR || archive_entry_hardlink(e))
            return refuse(QStringLiteral("would replace the layer root with a non-directory"));
        return applyDirEntry(m_root.rootFd(), QByteArray(), e);
    }
    auto dirFd = m_root.dir(dirPath, true);
    if (!dirFd)
        return inContext(dirFd.error());
    if (wh.kind != WhiteoutKind::None) {
        const Status st = wh.kind == WhiteoutKind::Opaque ? makeOpaque(*dirFd) : makeWhiteout(*dirFd, wh.target);
        return st ? st : Status(inContext(st.error()));
    }
    return extractAt(*dirFd, e, *clean, base);
}

// A plain tar (cp): no whiteouts, and the root entry changes nothing, as in
// docker's Untar (the directory extracted into keeps its owner and mode).
Status Extractor::extractPlain(struct archive_entry *e, const QByteArray &clean, const QByteArray &dirPath,
                               const QByteArray &base)
{
    if (clean.isEmpty()) {
        if (archive_entry_filetype(e) != AE_IFDIR || archive_entry_hardlink(e))
            return refuse(QStringLiteral("would replace the directory extracted into with a non-directory"));
        return {};
    }
    auto dirFd = m_root.dir(dirPath, true);
    if (!dirFd)
        return inContext(dirFd.error());
    return extractAt(*dirFd, e, clean, base);
}

Status Extractor::extractAt(int dirFd, struct archive_entry *e, const QByteArray &clean, const QByteArray &base)
{
    if (!m_skippedDevices.isEmpty())
        m_skippedDevices.remove(clean); // replaced by this entry
    if (const char *target = archive_entry_hardlink(e))
        return makeHardlink(dirFd, clean, base, target);
    switch (archive_entry_filetype(e)) {
    case AE_IFREG: return writeFile(dirFd, base, e);
    case AE_IFDIR: return makeDir(dirFd, clean, base, e);
    case AE_IFLNK: return makeSymlink(dirFd, base, e);
    case AE_IFCHR:
    case AE_IFBLK:
        if (!m_opts.isRoot || !m_opts.devices) {
            return skipDevice(clean, QStringLiteral("skipped the %1 device %2 (%3:%4)%5")
                                         .arg(archive_entry_filetype(e) == AE_IFBLK ? "block" : "character", m_shown)
                                         .arg(archive_entry_rdevmajor(e))
                                         .arg(archive_entry_rdevminor(e))
                                         .arg(m_opts.isRoot ? "" : ": creating devices needs root"));
        }
        return makeNode(dirFd, base, e);
    case AE_IFIFO: return makeNode(dirFd, base, e);
    case AE_IFSOCK:
        warn(QStringLiteral("skipped socket %1").arg(m_shown));
        return {};
    default:
        return refuse(QStringLiteral("has the unsupported type %1").arg(archive_entry_filetype(e), 0, 8));
    }
}

// Creates with create(); if the name is taken, removes what is there
// (recursively for a directory, like tar) and tries once more.
template <typename Create>
Result<int> Extractor::createReplacing(int dirFd, const QByteArray &name, Create create, const QString &action)
{
    int r = create();
    if (r < 0 && errno == EEXIST) {
        struct stat st {};
        if (!m_opts.layer && ::fstatat(dirFd, name.constData(), &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode))
            return refuse(QStringLiteral("cannot overwrite the directory %1 with a non-directory").arg(shownEntryName(name.constData())));
        if (auto st = removeAt(dirFd, name.constData(), QStringLiteral("replace the existing entry")); !st)
            return inContext(st.error());
        m_root.forget();
        r = create();
    }
    if (r < 0)
        return sysError(action, errno);
    return r;
}

Status Extractor::writeFile(int dirFd, const QByteArray &name, struct archive_entry *e)
{
    const qint64 size = archive_entry_size_is_set(e) ? archive_entry_size(e) : 0;
    m_result.contentBytes += size;
    if (m_result.contentBytes > m_opts.limits.maxBytes)
        return refuse(QStringLiteral("takes the layer's file content past the limit of %1 bytes").arg(m_opts.limits.maxBytes));
    // O_EXCL after removing what was there: writing into an existing inode
    // would also change every hard link to it.
    PH_TRY(const int rawFd, createReplacing(dirFd, name, [&] {
               return ::openat(dirFd, name.constData(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
           }, QStringLiteral("create file")));
    const UniqueFd fd(rawFd);
    qint64 end = 0;
    for (;;) {
        const void *block = nullptr;
        size_t length = 0;
        la_int64_t offset = 0;
        const int r = archive_read_data_block(m_a, &block, &length, &offset);
        if (r == ARCHIVE_EOF)
            break;
        if (r < ARCHIVE_WARN)
            return m_reader.error(QStringLiteral("%1: entry %2").arg(m_step, m_shown));
        PH_CHECK(m_cancel.check(m_step));
        // Sparse files arrive as blocks at offsets; the gaps stay holes.
        if (auto st = pwriteAll(fd.get(), static_cast<const char *>(block), qint64(length), offset); !st)
            return inContext(st.error());
        end = std::max(end, qint64(offset) + qint64(length));
    }
    if (end < size && ::ftruncate(fd.get(), off_t(size)) != 0)
        return sysError(QStringLiteral("extend to %1 bytes").arg(size), errno);
    PH_CHECK(applyOwner(fd.get(), -1, name, e));
    PH_CHECK(applyXattrs(e, fd.get(), -1, name, false));
    // After chown, which clears setuid/setgid.
    if (::fchmod(fd.get(), permOf(e)) != 0)
        return sysError(QStringLiteral("set the mode"), errno);
    struct timespec ts[2];
    entryTimes(e, ts);
    if (::futimens(fd.get(), ts) != 0)
        return sysError(QStringLiteral("set the times"), errno);
    return {};
}

Status Extractor::makeDir(int dirFd, const QByteArray &path, const QByteArray &name, struct archive_entry *e)
{
    bool opaque = false;
    if (::mkdirat(dirFd, name.constData(), 0700) != 0) {
        if (errno != EEXIST)
            return sysError(QStringLiteral("create directory"), errno);
        struct stat st {};
        if (::fstatat(dirFd, name.constData(), &st, AT_SYMLINK_NOFOLLOW) != 0)
            return sysError(QStringLiteral("inspect the existing entry"), errno);
        if (!S_ISDIR(st.st_mode) && !m_opts.layer)
            return refuse(QStringLiteral("cannot overwrite the non-directory %1 with a directory").arg(shownEntryName(name.constData())));
        if (!S_ISDIR(st.st_mode)) { // a directory over a directory merges
            opaque = isWhiteoutDevice(st); // see whiteout.h
            if (auto rm = removeAt(dirFd, name.constData(), QStringLiteral("replace the existing entry")); !rm)
                return inContext(rm.error());
            m_root.forget();
            if (::mkdirat(dirFd, name.constData(), 0700) != 0)
                return sysError(QStringLiteral("create directory"), errno);
        }
    }
    const UniqueFd fd(::openat(dirFd, name.constData(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (!fd.valid())
        return sysError(QStringLiteral("open directory"), errno);
    if (opaque) {
        if (auto st = makeOpaque(fd.get()); !st)
            return inContext(st.error());
    }
    return applyDirEntry(fd.get(), path, e);
}

Status Extractor::makeSymlink(int dirFd, const QByteArray &name, struct archive_entry *e)
{
    const char *target = archive_entry_symlink(e);
    if (!target || !*target)
        return refuse(QStringLiteral("is a symbolic link without a target"));
    // The target is stored as it is: it is only ever followed inside the
    // root (by openat2 here, by the container's root at run time).
    PH_CHECK(createReplacing(dirFd, name, [&] { return ::symlinkat(target, dirFd, name.constData()); },
                             QStringLiteral("create the symbolic link")));
    PH_CHECK(applyOwner(-1, dirFd, name, e));
    PH_CHECK(applyXattrs(e, -1, dirFd, name, true));
    struct timespec ts[2];
    entryTimes(e, ts);
    if (::utimensat(dirFd, name.constData(), ts, AT_SYMLINK_NOFOLLOW) != 0)
        return sysError(QStringLiteral("set the times"), errno);
    return {};
}

Status Extractor::makeHardlink(int dirFd, const QByteArray &path, const QByteArray &name, const char *target)
{
    const QString shownTarget = shownEntryName(target);
    const std::optional<QByteArray> cleanTarget = cleanEntryPath(target);
    if (!cleanTarget)
        return refuse(QStringLiteral("is a hard link to %1, outside the layer root").arg(shownTarget));
    if (cleanTarget->isEmpty())
        return refuse(QStringLiteral("is a hard link to the layer root"));
    if (*cleanTarget == path)
        return {}; // a link to itself changes nothing
    if (m_skippedDevices.contains(*cleanTarget))
        return skipDevice(path, QStringLiteral("skipped %1, a hard link to the skipped device %2").arg(m_shown, shownTarget));
    const auto [targetDir, targetName] = splitParent(*cleanTarget);
    auto targetDirFd = m_root.openDir(targetDir);
    if (!targetDirFd)
        return refuse(QStringLiteral("is a hard link to %1, which is not in this layer").arg(shownTarget));
    const int tfd = targetDirFd->get();
    // No AT_SYMLINK_FOLLOW: a link to a symlink links the symlink itself.
    auto linked = createReplacing(dirFd, name, [&] {
        return ::linkat(tfd, targetName.constData(), dirFd, name.constData(), 0);
    }, QStringLiteral("create the hard link to %1").arg(shownTarget));
    if (!linked && linked.error().sysErrno == ENOENT)
        return refuse(QStringLiteral("is a hard link to %1, which is not in this layer").arg(shownTarget));
    if (!linked && linked.error().sysErrno == EPERM)
        return refuse(QStringLiteral("is a hard link to %1, which is a directory or may not be linked").arg(shownTarget));
    return linked ? Status() : Status(linked.error());
}

Status Extractor::skipDevice(const QByteArray &clean, const QString &warning)
{
    warn(warning);
    m_skippedDevices.insert(clean);
    if (m_result.skippedDevices.size() < kMaxWarnings)
        m_result.skippedDevices.append(clean);
    ++m_result.devicesSkipped;
    return {};
}

Status Extractor::makeNode(int dirFd, const QByteArray &name, struct archive_entry *e)
{
    const mode_t type = archive_entry_filetype(e);
    const dev_t dev = type == AE_IFIFO ? 0 : makedev(archive_entry_rdevmajor(e), archive_entry_rdevminor(e));
    PH_CHECK(createReplacing(dirFd, name, [&] { return ::mknodat(dirFd, name.constData(), type | 0600, dev); },
                             QStringLiteral("create the special file")));
    PH_CHECK(applyOwner(-1, dirFd, name, e));
    PH_CHECK(applyXattrs(e, -1, dirFd, name, false));
    // Not a symlink (just made), so following is safe.
    if (::fchmodat(dirFd, name.constData(), permOf(e), 0) != 0)
        return sysError(QStringLiteral("set the mode"), errno);
    struct timespec ts[2];
    entryTimes(e, ts);
    if (::utimensat(dirFd, name.constData(), ts, AT_SYMLINK_NOFOLLOW) != 0)
        return sysError(QStringLiteral("set the times"), errno);
    return {};
}

} // namespace porthole::layer
