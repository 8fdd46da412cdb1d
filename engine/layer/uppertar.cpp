// The tar side of commit, cp and export: an upper dir in OCI layer form, or
// part of a merged tree as it is (upperdiff.h documents both).
#include "layer/upperdiff.h"

#include "layer/treewalk.h"
#include "layer/whiteout.h"

#include <archive.h>
#include <archive_entry.h>

#include <QHash>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <fcntl.h>
#include <locale.h>
#include <memory>
#include <optional>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

namespace porthole::layer {
namespace {

using namespace treewalk;

constexpr qint64 kBlock = 1 << 20;

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
            PH_CHECK(writeWhiteout(e.get(), name, rel, tarName));
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
        if (S_ISREG(st.st_mode)) {
            archive_entry_set_size(e.get(), st.st_size);
            PH_CHECK(header(e.get(), rel));
            PH_CHECK(copyData(dirFd, name, rel, st.st_size));
            return false;
        }
        PH_CHECK(addTypeFields(e.get(), dirFd, name, rel, st));
        PH_CHECK(header(e.get(), rel));
        if (m_layerForm && S_ISDIR(st.st_mode))
            PH_CHECK(writeOpaqueMarker(dirFd, name, rel, tarName, st));
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
    // A whiteout device becomes the empty file ".wh.<name>" beside it.
    Status writeWhiteout(archive_entry *e, const QByteArray &name, const QByteArray &rel, const QByteArray &tarName)
    {
        const qsizetype slash = tarName.lastIndexOf('/');
        const QByteArray dir = slash < 0 ? QByteArray() : tarName.left(slash);
        archive_entry_copy_pathname(e, join(dir, kWhiteoutPrefix + name).constData());
        archive_entry_set_filetype(e, AE_IFREG);
        archive_entry_set_perm(e, 0600);
        archive_entry_set_size(e, 0);
        return header(e, rel);
    }

    // What a symlink or device entry carries beyond its mode.
    Status addTypeFields(archive_entry *e, int dirFd, const QByteArray &name, const QByteArray &rel,
                         const struct stat &st)
    {
        if (S_ISLNK(st.st_mode)) {
            QByteArray target(qMax<qsizetype>(st.st_size, PATH_MAX) + 1, '\0');
            const ssize_t n = ::readlinkat(dirFd, name.constData(), target.data(), size_t(target.size()));
            if (n < 0)
                return Error::fromErrno(QStringLiteral("read symlink %1").arg(show(rel)), errno);
            target.truncate(n);
            archive_entry_copy_symlink(e, target.constData());
        } else if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)) {
            archive_entry_set_rdevmajor(e, major(st.st_rdev));
            archive_entry_set_rdevminor(e, minor(st.st_rdev));
        }
        return {};
    }

    // An opaque upper dir is followed by "<dir>/.wh..wh..opq".
    Status writeOpaqueMarker(int dirFd, const QByteArray &name, const QByteArray &rel, const QByteArray &tarName,
                             const struct stat &st)
    {
        const Fd dir(::openat(dirFd, name.constData(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
        if (dir.fd < 0 || !isOpaqueDir(dir.fd))
            return {};
        EntryPtr opq(archive_entry_new(), archive_entry_free);
        archive_entry_copy_pathname(opq.get(), join(tarName, kOpaqueMarker).constData());
        archive_entry_set_filetype(opq.get(), AE_IFREG);
        archive_entry_set_perm(opq.get(), st.st_mode & 0777);
        archive_entry_set_uid(opq.get(), st.st_uid);
        archive_entry_set_gid(opq.get(), st.st_gid);
        archive_entry_set_mtime(opq.get(), st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
        archive_entry_set_size(opq.get(), 0);
        return header(opq.get(), rel);
    }

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
