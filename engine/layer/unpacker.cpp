#include "layer/unpacker.h"

#include "layer/budgetsource.h"

#include "layer/tarreader.h"

#include "layer/decompresssource.h"
#include "layer/inroot.h"
#include "layer/whiteout.h"
#include "store/filelock.h"
#include "store/fsutil.h"
#include "store/store.h"

#include <archive.h>
#include <archive_entry.h>

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QList>
#include <QSet>
#include <QRandomGenerator>

#include <cerrno>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <memory>
#include <optional>

namespace porthole::layer {

bool runningAsRoot() { return ::geteuid() == 0; }

namespace {

constexpr int kMaxWarnings = 50;

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

// Entry names in messages, shortened: a hostile name may be megabytes long.
QString shownName(const char *name)
{
    const QString full = QString::fromUtf8(name);
    return full.size() <= 200 ? full : full.left(120) + QStringLiteral("…") + full.right(60);
}

QByteArray procPath(int dirFd, const QByteArray &name)
{
    return QByteArray("/proc/self/fd/") + QByteArray::number(dirFd) + '/' + name;
}

// Writes tar entries into the root one at a time. Directories get their
// mode and times at the end (finishDirs), when nothing more is created in
// them: creating a child changes a directory's mtime, and an unprivileged
// unpack could not write into a directory already made read-only.
class Extractor {
public:
    Extractor(InRoot &root, struct archive *a, const TarReader &reader, const UnpackOptions &opts,
              const CancelToken &cancel, const QString &step, UnpackResult &result)
        : m_root(root), m_a(a), m_reader(reader), m_opts(opts), m_cancel(cancel), m_step(step), m_result(result) {}

    Status extract(struct archive_entry *e);
    Status finishDirs();
    void warn(const QString &text);

private:
    Error refuse(const QString &sentence) const
    {
        return Error(ErrorCode::InvalidArgument, QStringLiteral("%1: entry %2 %3").arg(m_step, m_shown, sentence));
    }
    Error sysError(const QString &action, int err) const
    {
        return Error::fromErrno(QStringLiteral("%1: entry %2: %3").arg(m_step, m_shown, action), err);
    }
    Error inContext(const Error &e) const { return e.context(QStringLiteral("%1: entry %2").arg(m_step, m_shown)); }

    Status extractPlain(struct archive_entry *e, const QByteArray &clean, const QByteArray &dirPath, const QByteArray &base);
    Status extractAt(int dirFd, struct archive_entry *e, const QByteArray &clean, const QByteArray &base);
    template <typename Create>
    Result<int> createReplacing(int dirFd, const QByteArray &name, Create create, const QString &action);
    Status writeFile(int dirFd, const QByteArray &name, struct archive_entry *e);
    Status makeDir(int dirFd, const QByteArray &path, const QByteArray &name, struct archive_entry *e);
    Status makeSymlink(int dirFd, const QByteArray &name, struct archive_entry *e);
    Status makeHardlink(int dirFd, const QByteArray &path, const QByteArray &name, const char *target);
    Status makeNode(int dirFd, const QByteArray &name, struct archive_entry *e);
    Status skipDevice(const QByteArray &clean, const QString &warning);
    mode_t permOf(struct archive_entry *e) const;
    Status applyDirEntry(int fd, const QByteArray &path, struct archive_entry *e);
    Status applyOwner(int fd, int dirFd, const QByteArray &name, struct archive_entry *e);
    Status applyXattrs(struct archive_entry *e, int fd, int dirFd, const QByteArray &name, bool isSymlink);

    struct DirMeta {
        QByteArray path;
        mode_t perm = 0755;
        struct timespec times[2] {};
    };

    InRoot &m_root;
    struct archive *m_a;
    const TarReader &m_reader;
    const UnpackOptions &m_opts;
    const CancelToken &m_cancel;
    const QString &m_step;
    UnpackResult &m_result;
    QString m_shown; // the current entry's name, for messages
    QList<DirMeta> m_dirs;
    QHash<QByteArray, qsizetype> m_dirIndex;
    QSet<QByteArray> m_skippedDevices; // so hard links to them are skipped too
    int m_warningsDropped = 0;
};

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
    m_shown = rawName ? shownName(rawName) : QString();
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
            return refuse(QStringLiteral("cannot overwrite the directory %1 with a non-directory").arg(shownName(name.constData())));
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
            return refuse(QStringLiteral("cannot overwrite the non-directory %1 with a directory").arg(shownName(name.constData())));
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
    const QString shownTarget = shownName(target);
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

mode_t Extractor::permOf(struct archive_entry *e) const
{
    const mode_t perm = archive_entry_perm(e);
    return m_opts.privileges ? perm : perm & ~mode_t(S_ISUID | S_ISGID);
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
        m_shown = d.path.isEmpty() ? QStringLiteral("./") : shownName(d.path.constData());
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

Result<UnpackResult> extractInto(ByteSource &blob, int rootFd, const UnpackOptions &opts, const CancelToken &cancel,
                                 const ProgressSink &progress, const QString &step)
{
    InRoot root(UniqueFd(::fcntl(rootFd, F_DUPFD_CLOEXEC, 0)));
    PeekSource peek(blob);
    auto head = peek.peek(kCompressionMagicSize);
    if (!head)
        return head.error().context(step);
    DecompressSource decompressed(peek, detectCompression(*head));
    DigestingSource hashed(decompressed);
    // Reads go through the diff ID hash; the ratio is against the blob's bytes.
    BudgetSource budget(hashed, decompressed, opts.limits, QStringLiteral("the uncompressed layer"));
    budget.setProgress(&progress, opts.name, opts.compressedSize);

    TarReader reader(budget, step);
    UnpackResult result;
    result.compression = decompressed.compression();
    Extractor extractor(root, reader.handle(), reader, opts, cancel, step, result);
    for (;;) {
        PH_CHECK(cancel.check(step));
        PH_TRY(struct archive_entry *entry, reader.next());
        if (!entry)
            break;
        if (++result.entries > opts.limits.maxEntries)
            return Error(ErrorCode::InvalidArgument,
                         QStringLiteral("%1: the layer has more than the limit of %2 entries").arg(step).arg(opts.limits.maxEntries));
        PH_CHECK(extractor.extract(entry));
    }
    // The diff ID covers the padding after the end-of-archive marker too.
    if (auto st = drain(budget); !st)
        return st.error().context(step);
    PH_CHECK(extractor.finishDirs());
    result.tarSize = qint64(hashed.bytes());
    result.diffId = hashed.finish();
    if (opts.expectedDiffId.isValid() && result.diffId != opts.expectedDiffId)
        return Error(ErrorCode::InvalidArgument, QStringLiteral("%1: the layer's diff ID is %2, but %3 was expected")
                                                     .arg(step, result.diffId.toString(), opts.expectedDiffId.toString()));
    const qint64 packed = decompressed.compressedBytesRead();
    report(progress, {opts.name, QStringLiteral("Done"), packed, packed});
    return result;
}

struct Target {
    UniqueFd fd;
    bool created = false;
};

Result<Target> prepareTarget(const QString &dir, const QString &step)
{
    if (auto st = store::makeDirs(QFileInfo(dir).absolutePath()); !st)
        return st.error().context(step);
    const QByteArray path = QFile::encodeName(dir);
    Target t;
    if (::mkdir(path.constData(), 0755) == 0)
        t.created = true;
    else if (errno != EEXIST)
        return Error::fromErrno(QStringLiteral("%1: create %2").arg(step, dir), errno);
    t.fd.reset(::open(path.constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!t.fd.valid())
        return Error::fromErrno(QStringLiteral("%1: open %2").arg(step, dir), errno);
    if (t.created)
        ::fchmod(t.fd.get(), 0755); // the overlay root's mode; mkdir's went through the umask
    else if (!QDir(dir).isEmpty(QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot))
        return Error(ErrorCode::FailedPrecondition, QStringLiteral("%1: the target %2 is not empty").arg(step, dir));
    return t;
}

} // namespace

Result<UnpackResult> unpackLayer(ByteSource &compressedBlob, const QString &targetDir, const UnpackOptions &opts,
                                 const CancelToken &cancel, const ProgressSink &progress)
{
    const QString step = opts.name.isEmpty() ? QStringLiteral("unpack layer") : QStringLiteral("unpack layer ") + opts.name;
    PH_TRY(Target target, prepareTarget(targetDir, step));
    auto result = extractInto(compressedBlob, target.fd.get(), opts, cancel, progress, step);
    if (!result) {
        Error error = result.error();
        Status removed = removeContents(target.fd.get(), QStringLiteral("remove the partial layer"));
        if (removed && target.created && ::rmdir(QFile::encodeName(targetDir).constData()) != 0)
            removed = Error::fromErrno(QStringLiteral("remove the partial layer %1").arg(targetDir), errno);
        if (!removed)
            error.message += QStringLiteral(" (and %1)").arg(removed.error().message);
        return error;
    }
    return result;
}

Result<UnpackResult> extractTar(ByteSource &tar, int dirFd, const UnpackOptions &opts, const CancelToken &cancel,
                                const ProgressSink &progress)
{
    const QString step = opts.name.isEmpty() ? QStringLiteral("extract tar") : QStringLiteral("extract tar ") + opts.name;
    return extractInto(tar, dirFd, opts, cancel, progress, step);
}

} // namespace porthole::layer
