// Tar fixtures for the layer tests, written with libarchive's pax writer:
// every entry type with its mode, owner, mtime, link target, device numbers
// and xattrs, UTF-8 and long names. Header-only; for tests that link the
// layer module (which brings libarchive).
#pragma once

#include <archive.h>
#include <archive_entry.h>

#include <QByteArray>
#include <QDebug>
#include <QList>
#include <QScopeGuard>

#include <clocale>
#include <sys/types.h>

namespace porthole::test {

struct TarEntry {
    QByteArray path;
    mode_t type = AE_IFREG;
    mode_t perm = 0644;
    QByteArray data;
    QByteArray symlink;
    QByteArray hardlink;
    qint64 uid = 0, gid = 0;
    qint64 mtime = 1700000000;
    long mtimeNsec = 0;
    unsigned rmajor = 0, rminor = 0;
    QList<std::pair<QByteArray, QByteArray>> xattrs;
};

inline TarEntry fileEntry(const QByteArray &path, const QByteArray &data = {}, mode_t perm = 0644)
{
    TarEntry e;
    e.path = path;
    e.data = data;
    e.perm = perm;
    return e;
}
inline TarEntry dirEntry(const QByteArray &path, mode_t perm = 0755, qint64 mtime = 1700000000)
{
    TarEntry e;
    e.path = path;
    e.type = AE_IFDIR;
    e.perm = perm;
    e.mtime = mtime;
    return e;
}
inline TarEntry symlinkEntry(const QByteArray &path, const QByteArray &target)
{
    TarEntry e;
    e.path = path;
    e.type = AE_IFLNK;
    e.perm = 0777;
    e.symlink = target;
    return e;
}
inline TarEntry deviceEntry(const QByteArray &path, mode_t type, unsigned major, unsigned minor, mode_t perm = 0644)
{
    TarEntry e;
    e.path = path;
    e.type = type; // AE_IFCHR or AE_IFBLK
    e.perm = perm;
    e.rmajor = major;
    e.rminor = minor;
    return e;
}
inline TarEntry hardlinkEntry(const QByteArray &path, const QByteArray &target)
{
    TarEntry e;
    e.path = path;
    e.hardlink = target;
    return e;
}

inline la_ssize_t appendCallback(struct archive *, void *client, const void *buffer, size_t length)
{
    static_cast<QByteArray *>(client)->append(static_cast<const char *>(buffer), qsizetype(length));
    return la_ssize_t(length);
}

inline QByteArray buildTar(const QList<TarEntry> &entries)
{
    // libarchive 3.6's pax writer crashes on UTF-8 names in the C locale.
    const QByteArray savedLocale = ::setlocale(LC_CTYPE, nullptr);
    ::setlocale(LC_CTYPE, "C.UTF-8");
    const auto restoreLocale = qScopeGuard([&] { ::setlocale(LC_CTYPE, savedLocale.constData()); });
    QByteArray out;
    struct archive *a = archive_write_new();
    archive_write_set_format(a, ARCHIVE_FORMAT_TAR_PAX_RESTRICTED);
    archive_write_open(a, &out, nullptr, appendCallback, nullptr);
    for (const TarEntry &t : entries) {
        struct archive_entry *e = archive_entry_new();
        archive_entry_set_pathname_utf8(e, t.path.constData());
        archive_entry_set_filetype(e, t.type);
        archive_entry_set_perm(e, t.perm);
        archive_entry_set_uid(e, t.uid);
        archive_entry_set_gid(e, t.gid);
        archive_entry_set_mtime(e, t.mtime, t.mtimeNsec);
        archive_entry_set_size(e, t.type == AE_IFREG && t.hardlink.isEmpty() ? t.data.size() : 0);
        if (!t.symlink.isEmpty())
            archive_entry_set_symlink_utf8(e, t.symlink.constData());
        if (!t.hardlink.isEmpty())
            archive_entry_set_hardlink_utf8(e, t.hardlink.constData());
        if (t.type == AE_IFCHR || t.type == AE_IFBLK) {
            archive_entry_set_rdevmajor(e, t.rmajor);
            archive_entry_set_rdevminor(e, t.rminor);
        }
        for (const auto &[k, v] : t.xattrs)
            archive_entry_xattr_add_entry(e, k.constData(), v.constData(), size_t(v.size()));
        if (archive_write_header(a, e) < ARCHIVE_WARN)
            qWarning() << "archive_write_header" << t.path << archive_error_string(a);
        if (!t.data.isEmpty())
            archive_write_data(a, t.data.constData(), size_t(t.data.size()));
        archive_entry_free(e);
    }
    archive_write_close(a);
    archive_write_free(a);
    return out;
}

} // namespace porthole::test
