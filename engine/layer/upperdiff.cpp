// How the upper dir maps to a layer tar follows umoci's tar_generate.go and
// containerd's archive/tar.go (overlay form in, OCI form out); docker's
// overlay diff (pkg/archive changes) for the A/C/D list.
#include "layer/upperdiff.h"

#include "layer/whiteout.h"

#include <archive.h>
#include <archive_entry.h>

#include <QFile>
#include <QHash>
#include <QSet>

#include <algorithm>
#include <dirent.h>
#include <fcntl.h>
#include <functional>
#include <locale.h>
#include <memory>
#include <optional>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

namespace porthole::layer {
namespace {

constexpr qint64 kBlock = 1 << 20;

struct Fd {
    int fd = -1;
    Fd(int f)
        : fd(f)
    { } // implicit, for PH_TRY(const Fd x, <Result<int>>)
    Fd(const Fd &) = delete;
    ~Fd()
    {
        if (fd >= 0)
            ::close(fd);
    }
};

QString show(const QByteArray &rel)
{
    return QLatin1Char('/') + QString::fromUtf8(rel);
}

QByteArray join(const QByteArray &dir, const QByteArray &name)
{
    return dir.isEmpty() ? name : dir + '/' + name;
}

// "/etc/hosts/" and "etc//hosts" both become "etc/hosts", the form the walk uses.
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

// Sorted bytewise, so the tar and the diff do not depend on readdir order.
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

// Visits every entry below the directory dirFd depth-first, names sorted.
// visit returns whether to descend (directories only); excluded paths are skipped whole.
using Visitor
    = std::function<Result<bool>(int dirFd, const QByteArray &name, const QByteArray &rel, const struct stat &st)>;

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

// --- diff -------------------------------------------------------------------

enum class LowerState { Absent, Present, Hidden };

// What one lower dir says about rel: the entry, a whiteout or opaque parent
// that hides everything below it, or nothing (look further down).
LowerState lowerState(const QByteArray &lower, const QByteArray &rel)
{
    struct stat st { };
    if (::lstat((lower + '/' + rel).constData(), &st) == 0)
        return isWhiteoutDevice(st) ? LowerState::Hidden : LowerState::Present;
    for (qsizetype slash = rel.lastIndexOf('/'); slash > 0; slash = rel.lastIndexOf('/', slash - 1)) {
        const Fd dir(::open((lower + '/' + rel.left(slash)).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
        if (dir.fd >= 0 && isOpaqueDir(dir.fd))
            return LowerState::Hidden;
    }
    return LowerState::Absent;
}

bool inLowers(const QByteArrayList &lowers, const QByteArray &rel)
{
    for (const QByteArray &lower : lowers) {
        const LowerState s = lowerState(lower, rel);
        if (s != LowerState::Absent)
            return s == LowerState::Present;
    }
    return false;
}

// Names a lower stack shows in directory rel: the ones an opaque upper dir hides.
QByteArrayList lowerNames(const QByteArrayList &lowers, const QByteArray &rel)
{
    QSet<QByteArray> seen;
    QByteArrayList visible;
    for (const QByteArray &lower : lowers) {
        const LowerState s = lowerState(lower, rel);
        if (s == LowerState::Hidden)
            break;
        if (s == LowerState::Absent)
            continue;
        const Fd dir(::open((lower + '/' + rel).constData(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
        if (dir.fd < 0)
            break; // a non-directory hides the lower ones
        auto names = listDir(dir.fd, rel);
        for (const QByteArray &name : names.valueOr({})) {
            if (seen.contains(name))
                continue;
            seen.insert(name);
            struct stat st { };
            if (::fstatat(dir.fd, name.constData(), &st, AT_SYMLINK_NOFOLLOW) == 0 && !isWhiteoutDevice(st))
                visible << name;
        }
        if (isOpaqueDir(dir.fd))
            break;
    }
    return visible;
}

} // namespace

Result<QList<Change>> diffUpper(const QString &upperDir, const QStringList &lowerDirs, const QStringList &excluded)
{
    const QString step = QStringLiteral("diff %1").arg(upperDir);
    PH_TRY(const Fd root, openRoot(upperDir, QStringLiteral("diff")));
    QByteArrayList lowers;
    for (const QString &l : lowerDirs)
        lowers << QFile::encodeName(l);
    const QSet<QByteArray> skip = normalizeExcluded(excluded);

    QList<Change> changes;
    const Status walked = walk(root.fd, {}, skip,
        [&](int dirFd, const QByteArray &name, const QByteArray &rel, const struct stat &st) -> Result<bool> {
            if (isWhiteoutDevice(st)) {
                changes << Change{Change::Deleted, show(rel)};
                return false;
            }
            changes << Change{inLowers(lowers, rel) ? Change::Changed : Change::Added, show(rel)};
            if (!S_ISDIR(st.st_mode))
                return false;
            PH_TRY(const Fd dir, openDirAt(dirFd, name, rel));
            if (isOpaqueDir(dir.fd)) {
                for (const QByteArray &hidden : lowerNames(lowers, rel)) {
                    const QByteArray child = join(rel, hidden);
                    struct stat ust { };
                    if (!skip.contains(child) && ::fstatat(dir.fd, hidden.constData(), &ust, AT_SYMLINK_NOFOLLOW) != 0)
                        changes << Change{Change::Deleted, show(child)};
                }
            }
            return true;
        });
    if (!walked)
        return walked.error().context(step);
    std::sort(changes.begin(), changes.end(), [](const Change &a, const Change &b) { return a.path < b.path; });
    return changes;
}

// --- tar --------------------------------------------------------------------

namespace {

struct TarState {
    ByteSink &sink;
    std::optional<Error> sinkError;
};

la_ssize_t toSink(struct archive *, void *data, const void *buf, size_t len)
{
    auto *state = static_cast<TarState *>(data);
    if (Status s = state->sink.write(static_cast<const char *>(buf), qint64(len)); !s) {
        state->sinkError = s.error();
        return -1;
    }
    return la_ssize_t(len);
}

using EntryPtr = std::unique_ptr<archive_entry, void (*)(archive_entry *)>;

// layerForm: whiteout devices and opaque dirs become OCI whiteout entries
// (an upper dir); otherwise the tree is a merged view, written as it is.
// Tar names are rel below prefix (prefix itself for the start entry).
class TarWriter {
public:
    TarWriter(ByteSink &sink, const CancelToken &cancel, bool layerForm = true, QByteArray prefix = {})
        : m_a(archive_write_new())
        , m_state{sink, {}}
        , m_cancel(cancel)
        , m_layerForm(layerForm)
        , m_prefix(std::move(prefix))
    { }
    ~TarWriter() { archive_write_free(m_a); }

    Status open()
    {
        archive_write_set_format_pax_restricted(m_a);
        archive_write_set_bytes_in_last_block(m_a, 1);
        if (archive_write_open(m_a, &m_state, nullptr, toSink, nullptr) != ARCHIVE_OK)
            return fail(QStringLiteral("start tar"));
        return {};
    }

    Result<bool> visit(int dirFd, const QByteArray &name, const QByteArray &rel, const struct stat &st)
    {
        PH_CHECK(m_cancel.check(QStringLiteral("write tar")));
        if (S_ISSOCK(st.st_mode))
            return false;
        const QByteArray tarName = m_prefix.isEmpty() ? rel : rel.isEmpty() ? m_prefix : m_prefix + '/' + rel;
        EntryPtr e(archive_entry_new(), archive_entry_free);
        archive_entry_set_uid(e.get(), st.st_uid);
        archive_entry_set_gid(e.get(), st.st_gid);
        archive_entry_set_mtime(e.get(), st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
        if (m_layerForm && isWhiteoutDevice(st)) {
            const qsizetype slash = tarName.lastIndexOf('/');
            const QByteArray dir = slash < 0 ? QByteArray() : tarName.left(slash);
            archive_entry_copy_pathname(e.get(), join(dir, kWhiteoutPrefix + name).constData());
            archive_entry_set_filetype(e.get(), AE_IFREG);
            archive_entry_set_perm(e.get(), 0600);
            archive_entry_set_size(e.get(), 0);
            PH_CHECK(header(e.get(), rel));
            return false;
        }
        archive_entry_copy_pathname(e.get(), tarName.constData());
        archive_entry_set_mode(e.get(), st.st_mode);
        archive_entry_set_size(e.get(), 0);

        const Fd path(::openat(dirFd, name.constData(), O_PATH | O_NOFOLLOW | O_CLOEXEC));
        if (path.fd < 0)
            return Error::fromErrno(QStringLiteral("open %1").arg(show(rel)), errno);
        PH_CHECK(addXattrs(e.get(), path.fd, rel));

        if (!S_ISDIR(st.st_mode) && st.st_nlink > 1) {
            const auto key = qMakePair(quint64(st.st_dev), quint64(st.st_ino));
            if (auto it = m_links.constFind(key); it != m_links.constEnd()) {
                archive_entry_copy_hardlink(e.get(), it->constData());
                PH_CHECK(header(e.get(), rel));
                return false;
            }
            m_links.insert(key, tarName);
        }
        switch (st.st_mode & S_IFMT) {
        case S_IFREG:
            archive_entry_set_size(e.get(), st.st_size);
            PH_CHECK(header(e.get(), rel));
            PH_CHECK(copyData(dirFd, name, rel, st.st_size));
            return false;
        case S_IFLNK: {
            QByteArray target(qMax<qsizetype>(st.st_size, PATH_MAX) + 1, '\0');
            const ssize_t n = ::readlinkat(dirFd, name.constData(), target.data(), size_t(target.size()));
            if (n < 0)
                return Error::fromErrno(QStringLiteral("read symlink %1").arg(show(rel)), errno);
            target.truncate(n);
            archive_entry_copy_symlink(e.get(), target.constData());
            break;
        }
        case S_IFCHR:
        case S_IFBLK:
            archive_entry_set_rdevmajor(e.get(), major(st.st_rdev));
            archive_entry_set_rdevminor(e.get(), minor(st.st_rdev));
            break;
        default:
            break;
        }
        PH_CHECK(header(e.get(), rel));
        if (m_layerForm && S_ISDIR(st.st_mode)) {
            const Fd dir(::openat(dirFd, name.constData(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
            if (dir.fd >= 0 && isOpaqueDir(dir.fd)) {
                EntryPtr opq(archive_entry_new(), archive_entry_free);
                archive_entry_copy_pathname(opq.get(), join(tarName, kOpaqueMarker).constData());
                archive_entry_set_filetype(opq.get(), AE_IFREG);
                archive_entry_set_perm(opq.get(), st.st_mode & 0777);
                archive_entry_set_uid(opq.get(), st.st_uid);
                archive_entry_set_gid(opq.get(), st.st_gid);
                archive_entry_set_mtime(opq.get(), st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
                archive_entry_set_size(opq.get(), 0);
                PH_CHECK(header(opq.get(), rel));
            }
        }
        return true;
    }

    Status close()
    {
        if (archive_write_close(m_a) != ARCHIVE_OK)
            return fail(QStringLiteral("end of tar"));
        return {};
    }

    TarWriteStats stats;

private:
    Status addXattrs(archive_entry *e, int pathFd, const QByteArray &rel)
    {
        // O_PATH fds take no f*xattr calls; the /proc magic link reaches the
        // inode itself, symlinks included, without a path lookup that could race.
        const QByteArray proc = "/proc/self/fd/" + QByteArray::number(pathFd);
        QByteArray names(4096, '\0');
        ssize_t n;
        while ((n = ::listxattr(proc.constData(), names.data(), size_t(names.size()))) < 0 && errno == ERANGE)
            names.resize(names.size() * 4);
        if (n < 0) {
            if (errno == ENOTSUP || errno == EPERM)
                return {};
            return Error::fromErrno(QStringLiteral("list xattrs of %1").arg(show(rel)), errno);
        }
        for (const QByteArray &key : names.left(n).split('\0')) {
            if (key.isEmpty() || isOverlayXattr(key))
                continue;
            QByteArray value(256, '\0');
            ssize_t len;
            while ((len = ::getxattr(proc.constData(), key.constData(), value.data(), size_t(value.size()))) < 0
                && errno == ERANGE)
                value.resize(value.size() * 4);
            if (len < 0) {
                if (errno == ENODATA)
                    continue;
                return Error::fromErrno(
                    QStringLiteral("read xattr %1 of %2").arg(QString::fromUtf8(key), show(rel)), errno);
            }
            archive_entry_xattr_add_entry(e, key.constData(), value.constData(), size_t(len));
        }
        return {};
    }

    // Exactly size bytes: the header is written; a file that shrank is padded
    // with zeros, one that grew is cut. Holes read as zeros (plain data).
    Status copyData(int dirFd, const QByteArray &name, const QByteArray &rel, qint64 size)
    {
        const Fd file(::openat(dirFd, name.constData(), O_RDONLY | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC));
        if (file.fd < 0)
            return Error::fromErrno(QStringLiteral("open %1").arg(show(rel)), errno);
        QByteArray buf(int(std::min(size, kBlock)), '\0');
        qint64 done = 0;
        bool eof = false;
        while (done < size) {
            PH_CHECK(m_cancel.check(QStringLiteral("write tar: %1").arg(show(rel))));
            const qint64 want = std::min<qint64>(size - done, buf.size());
            qint64 got = 0;
            while (!eof && got < want) {
                const ssize_t n = ::read(file.fd, buf.data() + got, size_t(want - got));
                if (n < 0 && errno == EINTR)
                    continue;
                if (n < 0)
                    return Error::fromErrno(QStringLiteral("read %1").arg(show(rel)), errno);
                eof = n == 0;
                got += n;
            }
            std::fill(buf.data() + got, buf.data() + want, '\0');
            if (archive_write_data(m_a, buf.constData(), size_t(want)) != want)
                return fail(QStringLiteral("write data of %1").arg(show(rel)));
            done += want;
        }
        stats.contentBytes += size;
        return {};
    }

    Status header(archive_entry *e, const QByteArray &rel)
    {
        const int r = archive_write_header(m_a, e);
        if (r != ARCHIVE_OK && r != ARCHIVE_WARN)
            return fail(QStringLiteral("write header of %1").arg(show(rel)));
        ++stats.entries;
        return {};
    }

    Error fail(const QString &what)
    {
        if (m_state.sinkError)
            return m_state.sinkError->context(what);
        return Error(ErrorCode::Io, QStringLiteral("%1: %2").arg(what, QString::fromUtf8(archive_error_string(m_a))));
    }

    struct archive *m_a;
    TarState m_state;
    const CancelToken &m_cancel;
    bool m_layerForm;
    QByteArray m_prefix;
    QHash<QPair<quint64, quint64>, QByteArray> m_links;
};

// libarchive converts names from the locale's charset to UTF-8 for pax
// records; in the C locale it cannot and marks them hdrcharset=BINARY. So
// the tar (and the diff_id) would depend on the caller's locale. Names on
// disk are UTF-8 in practice, so the writing thread reads them as UTF-8;
// names that are not valid UTF-8 still get BINARY, which is correct for them.
class Utf8Locale {
public:
    Utf8Locale()
        : m_locale(::newlocale(LC_CTYPE_MASK, "C.UTF-8", locale_t(nullptr)))
    {
        if (m_locale)
            m_old = ::uselocale(m_locale);
    }
    ~Utf8Locale()
    {
        if (m_locale) {
            ::uselocale(m_old);
            ::freelocale(m_locale);
        }
    }
    Utf8Locale(const Utf8Locale &) = delete;
    Utf8Locale &operator=(const Utf8Locale &) = delete;

private:
    locale_t m_locale;
    locale_t m_old = LC_GLOBAL_LOCALE;
};

} // namespace

Result<TarWriteStats> writeUpperTar(
    const QString &upperDir, const QStringList &excluded, ByteSink &sink, const CancelToken &cancel)
{
    const QString step = QStringLiteral("write layer tar of %1").arg(upperDir);
    PH_TRY(const Fd root, openRoot(upperDir, QStringLiteral("write layer tar")));
    const Utf8Locale utf8;
    TarWriter writer(sink, cancel);
    Status s = writer.open();
    if (s)
        s = walk(root.fd, {}, normalizeExcluded(excluded),
            [&](int dirFd, const QByteArray &name, const QByteArray &rel, const struct stat &st) {
                return writer.visit(dirFd, name, rel, st);
            });
    if (s)
        s = writer.close();
    if (!s)
        return s.error().context(step);
    return writer.stats;
}

Result<TarWriteStats> writeTreeTar(
    int dirFd, const QByteArray &name, const QByteArray &tarName, ByteSink &sink, const CancelToken &cancel)
{
    const QString step = QStringLiteral("write tar of %1").arg(QString::fromUtf8(tarName.isEmpty() ? name : tarName));
    struct stat st { };
    if (::fstatat(dirFd, name.constData(), &st, AT_SYMLINK_NOFOLLOW) != 0)
        return Error::fromErrno(step, errno);
    const Utf8Locale utf8;
    TarWriter writer(sink, cancel, false, tarName);
    Status s = writer.open();
    if (s && !tarName.isEmpty()) {
        auto descend = writer.visit(dirFd, name, {}, st);
        s = descend ? Status() : Status(descend.error());
    }
    if (s && S_ISDIR(st.st_mode)) {
        auto opened = openDirAt(dirFd, name, {});
        if (!opened)
            return opened.error().context(step);
        const Fd sub(*opened);
        s = walk(sub.fd, {}, {}, [&](int parentFd, const QByteArray &child, const QByteArray &rel, const struct stat &cst) {
            return writer.visit(parentFd, child, rel, cst);
        });
    }
    if (s)
        s = writer.close();
    if (!s)
        return s.error().context(step);
    return writer.stats;
}

} // namespace porthole::layer
