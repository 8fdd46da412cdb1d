// diffUpper and writeUpperTar on upper dirs built by hand the way overlayfs
// writes them (0/0 whiteout devices, trusted.overlay.opaque dirs), read back
// with libarchive and round-tripped: the tar unpacked by unpackLayer and
// mounted over the same lower dir must show what the upper dir shows.
#include "layer/unpacker.h"
#include "layer/upperdiff.h"

#include <archive.h>
#include <archive_entry.h>

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

using namespace porthole;
using namespace porthole::layer;

namespace {

#define VERIFY_OK(r) QVERIFY2((r), qPrintable((r) ? QString() : (r).error().message))

const QString kKorean = QStringLiteral("etc/신규.conf");
const QString kLong = QStringLiteral("deep/") + QString(120, QLatin1Char('n'));

bool put(const QString &path, const QByteArray &data)
{
    QDir().mkpath(QFileInfo(path).path());
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(data) == data.size();
}

QByteArray enc(const QString &s)
{
    return QFile::encodeName(s);
}

struct MountGuard {
    QByteArray target;
    ~MountGuard()
    {
        if (!target.isEmpty())
            ::umount2(target.constData(), MNT_DETACH);
    }
};

class ArraySink final : public ByteSink {
public:
    QByteArray data;
    int failAfter = -1; // writes accepted before failing
    Status write(const char *d, qint64 n) override
    {
        if (failAfter == 0)
            return Error(ErrorCode::Io, QStringLiteral("disk full"));
        --failAfter;
        data.append(d, n);
        return {};
    }
};

struct TarItem {
    mode_t type = 0;
    qint64 size = 0;
    QByteArray hardlink, symlink;
    QByteArrayList xattrs;
    dev_t rdev = 0;
};

QMap<QByteArray, TarItem> readTar(const QByteArray &tar, QByteArrayList *order)
{
    QMap<QByteArray, TarItem> items;
    struct archive *a = archive_read_new();
    archive_read_support_format_tar(a);
    archive_read_open_memory(a, tar.constData(), size_t(tar.size()));
    archive_entry *e;
    int r;
    // WARN: a UTF-8 name the C locale cannot convert; the name keeps its bytes.
    while ((r = archive_read_next_header(a, &e)) == ARCHIVE_OK || r == ARCHIVE_WARN) {
        TarItem it;
        it.type = archive_entry_filetype(e);
        it.size = archive_entry_size(e);
        it.hardlink = archive_entry_hardlink(e);
        it.symlink = archive_entry_symlink(e);
        it.rdev = makedev(archive_entry_rdevmajor(e), archive_entry_rdevminor(e));
        const char *name;
        const void *value;
        size_t len;
        archive_entry_xattr_reset(e);
        while (archive_entry_xattr_next(e, &name, &value, &len) == ARCHIVE_OK)
            if (!it.xattrs.contains(name)) // libarchive reads both the SCHILY.xattr and LIBARCHIVE.xattr records
                it.xattrs << name;
        QByteArray path = archive_entry_pathname(e);
        if (path.endsWith('/'))
            path.chop(1);
        *order << path;
        items.insert(path, it);
    }
    archive_read_free(a);
    return items;
}

// Everything a mounted tree shows: type, content, link target, mode, owner.
QStringList describe(const QString &root)
{
    QStringList out;
    QDirIterator it(
        root, QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        struct stat st { };
        ::lstat(enc(path).constData(), &st);
        QString line
            = path.mid(root.size()) + QStringLiteral(" %1 %2:%3").arg(st.st_mode, 0, 8).arg(st.st_uid).arg(st.st_gid);
        if (S_ISREG(st.st_mode)) {
            QFile f(path);
            f.open(QIODevice::ReadOnly);
            line += QStringLiteral(" sha ")
                + QString::fromLatin1(QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256).toHex());
        } else if (S_ISLNK(st.st_mode)) {
            line += QStringLiteral(" -> ") + QFileInfo(path).symLinkTarget();
        }
        out << line;
    }
    out.sort();
    return out;
}

} // namespace

class TestUpperDiff : public QObject {
    Q_OBJECT
private slots:
    void init();
    void diffListsDockerChanges();
    void tarHasOciEntries();
    void tarRoundTripsThroughOverlay();
    void tarIsDeterministic();
    void sinkErrorAndCancelAreReported();
    void missingUpperDirIsAnError();

private:
    QTemporaryDir m_tmp;
    QString m_upper, m_lower;
    const QStringList m_excluded{QStringLiteral("/etc/hosts"), QStringLiteral("/vol/")};
};

void TestUpperDiff::init()
{
    if (::geteuid() != 0)
        QSKIP("needs root: whiteouts are mknod'ed devices and opaque dirs trusted.* xattrs");
    m_upper = m_tmp.path() + QStringLiteral("/upper");
    m_lower = m_tmp.path() + QStringLiteral("/lower");
    QDir(m_upper).removeRecursively();
    QDir(m_lower).removeRecursively();
    const QString L = m_lower + QLatin1Char('/'), U = m_upper + QLatin1Char('/');
    for (const char *f :
        {"etc/passwd", "etc/hosts", "gone.txt", "opq/keep1", "opq/sub/deep", "usr/bin/tool", "usr/bin/other"})
        QVERIFY(put(L + QLatin1String(f), QByteArray("lower ") + f));

    QVERIFY(put(U + QStringLiteral("etc/passwd"), "root:x:0:0\n"));
    QVERIFY(put(U + QStringLiteral("etc/hosts"), "bind-mounted\n"));
    QVERIFY(put(U + kKorean, "한국어\n"));
    QVERIFY(put(U + QStringLiteral("opq/new"), "new"));
    QVERIFY(put(U + QStringLiteral("usr/bin/tool"), "tool v2"));
    QVERIFY(put(U + QStringLiteral("vol/data"), "volume"));
    QVERIFY(put(U + kLong, "long"));
    QVERIFY(::link(enc(U + QStringLiteral("usr/bin/tool")).constData(),
                enc(U + QStringLiteral("usr/bin/toollink")).constData())
        == 0);
    QVERIFY(::symlink("/etc/passwd", enc(U + QStringLiteral("link")).constData()) == 0);
    QVERIFY(::mkfifo(enc(U + QStringLiteral("fifo")).constData(), 0640) == 0);
    QVERIFY(::mknod(enc(U + QStringLiteral("gone.txt")).constData(), S_IFCHR | 0, makedev(0, 0)) == 0);
    QVERIFY(::mknod(enc(U + QStringLiteral("null")).constData(), S_IFCHR | 0666, makedev(1, 3)) == 0);
    QVERIFY(::setxattr(enc(U + QStringLiteral("opq")).constData(), "trusted.overlay.opaque", "y", 1, 0) == 0);
    QVERIFY(::setxattr(enc(U + QStringLiteral("usr/bin/tool")).constData(), "user.note", "kept", 4, 0) == 0);
    QVERIFY(::setxattr(enc(U + QStringLiteral("usr/bin/tool")).constData(), "trusted.overlay.origin", "x", 1, 0) == 0);
    QVERIFY(::chown(enc(U + QStringLiteral("etc/passwd")).constData(), 1000, 1001) == 0);
    // 1 MiB, all hole but the last 5 bytes.
    const int fd = ::open(enc(U + QStringLiteral("sparse")).constData(), O_WRONLY | O_CREAT, 0600);
    QVERIFY(fd >= 0);
    QCOMPARE(::pwrite(fd, "tail!", 5, (1 << 20) - 5), ssize_t(5));
    ::close(fd);
}

void TestUpperDiff::diffListsDockerChanges()
{
    auto changes = diffUpper(m_upper, {m_lower}, m_excluded);
    VERIFY_OK(changes);
    const auto A = Change::Added, C = Change::Changed, D = Change::Deleted;
    const QList<Change> expected{
        {A, QStringLiteral("/deep")},
        {A, QLatin1Char('/') + kLong},
        {C, QStringLiteral("/etc")},
        {C, QStringLiteral("/etc/passwd")},
        {A, QLatin1Char('/') + kKorean},
        {A, QStringLiteral("/fifo")},
        {D, QStringLiteral("/gone.txt")},
        {A, QStringLiteral("/link")},
        {A, QStringLiteral("/null")},
        {C, QStringLiteral("/opq")},
        {D, QStringLiteral("/opq/keep1")},
        {A, QStringLiteral("/opq/new")},
        {D, QStringLiteral("/opq/sub")},
        {A, QStringLiteral("/sparse")},
        {C, QStringLiteral("/usr")},
        {C, QStringLiteral("/usr/bin")},
        {C, QStringLiteral("/usr/bin/tool")},
        {A, QStringLiteral("/usr/bin/toollink")},
    };
    QStringList got, want;
    for (const Change &c : *changes)
        got << QString(QLatin1Char("ACD"[c.kind])) + QLatin1Char(' ') + c.path;
    for (const Change &c : expected)
        want << QString(QLatin1Char("ACD"[c.kind])) + QLatin1Char(' ') + c.path;
    QCOMPARE(got, want);

    // Without lower dirs everything present is Added.
    auto alone = diffUpper(m_upper, {}, m_excluded);
    VERIFY_OK(alone);
    QCOMPARE(alone->at(2), (Change{A, QStringLiteral("/etc")}));
}

void TestUpperDiff::tarHasOciEntries()
{
    ArraySink sink;
    auto stats = writeUpperTar(m_upper, m_excluded, sink);
    VERIFY_OK(stats);
    QByteArrayList order;
    const QMap<QByteArray, TarItem> items = readTar(sink.data, &order);
    QCOMPARE(stats->entries, qint64(order.size()));
    QCOMPARE(stats->contentBytes, qint64((1 << 20) + 11 + 10 + 3 + 7 + 4)); // 한국어\n is 10 bytes

    QVERIFY(!items.contains("etc/hosts"));
    QVERIFY(!items.contains("vol") && !items.contains("vol/data"));
    QVERIFY(!items.contains("gone.txt"));
    QCOMPARE(items.value(".wh.gone.txt").type, mode_t(AE_IFREG));
    QCOMPARE(items.value(".wh.gone.txt").size, 0);
    QCOMPARE(items.value("opq").type, mode_t(AE_IFDIR));
    QCOMPARE(items.value("opq/.wh..wh..opq").type, mode_t(AE_IFREG));
    QCOMPARE(order.indexOf("opq/.wh..wh..opq"), order.indexOf("opq") + 1);
    QVERIFY(items.value("opq").xattrs.isEmpty());
    QCOMPARE(items.value("usr/bin/tool").xattrs, QByteArrayList{"user.note"});
    QCOMPARE(items.value("usr/bin/toollink").hardlink, QByteArray("usr/bin/tool"));
    QCOMPARE(items.value("usr/bin/toollink").size, 0);
    QCOMPARE(items.value("link").symlink, QByteArray("/etc/passwd"));
    QCOMPARE(items.value("fifo").type, mode_t(AE_IFIFO));
    QCOMPARE(items.value("null").type, mode_t(AE_IFCHR));
    QCOMPARE(items.value("null").rdev, makedev(1, 3));
    QCOMPARE(items.value("sparse").size, qint64(1 << 20));
    QVERIFY(items.contains(kKorean.toUtf8()));
    // A UTF-8 pax path record whatever the caller's locale (the tests run in C and C.UTF-8).
    QVERIFY(sink.data.contains("path=" + kKorean.toUtf8() + '\n'));
    QVERIFY(!sink.data.contains("hdrcharset"));
    QVERIFY(sink.data.contains("SCHILY.xattr.user.note=kept\n"));
    QVERIFY(items.contains(kLong.toUtf8()));
    // Parents come before children, siblings sorted.
    QVERIFY(order.indexOf("usr") < order.indexOf("usr/bin"));
    QVERIFY(order.indexOf("usr/bin/tool") < order.indexOf("usr/bin/toollink"));
}

void TestUpperDiff::tarRoundTripsThroughOverlay()
{
    ArraySink sink;
    VERIFY_OK(writeUpperTar(m_upper, m_excluded, sink));
    const QString unpacked = m_tmp.path() + QStringLiteral("/unpacked");
    QDir(unpacked).removeRecursively();
    MemorySource source(sink.data);
    auto r = unpackLayer(source, unpacked, UnpackOptions{});
    VERIFY_OK(r);
    QVERIFY2(r->warnings.isEmpty(), qPrintable(r->warnings.join(QLatin1Char('\n'))));

    auto mountOver = [&](const QString &top, const QString &at, MountGuard &guard) {
        QDir().mkpath(at);
        const QByteArray options = "lowerdir=" + enc(top) + ':' + enc(m_lower);
        if (::mount("overlay", enc(at).constData(), "overlay", MS_RDONLY, options.constData()) != 0)
            return false;
        guard.target = enc(at);
        return true;
    };
    MountGuard viaUpper, viaTar;
    const QString a = m_tmp.path() + QStringLiteral("/a"), b = m_tmp.path() + QStringLiteral("/b");
    QVERIFY2(mountOver(m_upper, a, viaUpper), strerror(errno));
    QVERIFY2(mountOver(unpacked, b, viaTar), strerror(errno));

    QStringList fromUpper = describe(a), fromTar = describe(b);
    // Excluded: the bind-mount target keeps the lower copy, the volume is not committed.
    QVERIFY(fromUpper.filter(QStringLiteral("/vol")).size() == 2 && fromTar.filter(QStringLiteral("/vol")).isEmpty());
    QCOMPARE(fromTar.filter(QStringLiteral("/etc/hosts ")).size(), 1);
    for (QStringList *l : {&fromUpper, &fromTar}) {
        l->removeIf([](const QString &s) {
            return s.startsWith(QStringLiteral("/vol")) || s.startsWith(QStringLiteral("/etc/hosts "));
        });
    }
    QCOMPARE(fromTar, fromUpper);
    QVERIFY(!QFileInfo::exists(b + QStringLiteral("/gone.txt")));
    QVERIFY(!QFileInfo::exists(b + QStringLiteral("/opq/keep1")));
    QVERIFY(QFileInfo::exists(b + QStringLiteral("/usr/bin/other")));
    char note[8] = {};
    QCOMPARE(
        ::getxattr(enc(b + QStringLiteral("/usr/bin/tool")).constData(), "user.note", note, sizeof note), ssize_t(4));
    struct stat s1 {
    }, s2{};
    QVERIFY(::stat(enc(unpacked + QStringLiteral("/usr/bin/tool")).constData(), &s1) == 0);
    QVERIFY(::stat(enc(unpacked + QStringLiteral("/usr/bin/toollink")).constData(), &s2) == 0);
    QCOMPARE(s1.st_ino, s2.st_ino);
}

void TestUpperDiff::tarIsDeterministic()
{
    ArraySink one, two;
    VERIFY_OK(writeUpperTar(m_upper, m_excluded, one));
    VERIFY_OK(writeUpperTar(m_upper, m_excluded, two));
    QCOMPARE(one.data, two.data);
}

void TestUpperDiff::sinkErrorAndCancelAreReported()
{
    ArraySink failing;
    failing.failAfter = 2;
    auto r = writeUpperTar(m_upper, m_excluded, failing);
    QVERIFY(!r);
    QCOMPARE(r.error().code, ErrorCode::Io);
    QVERIFY2(r.error().message.contains(QStringLiteral("disk full")), qPrintable(r.error().message));

    CancelToken cancel;
    cancel.cancel();
    ArraySink sink;
    auto c = writeUpperTar(m_upper, m_excluded, sink, cancel);
    QVERIFY(!c);
    QCOMPARE(c.error().code, ErrorCode::Cancelled);
}

void TestUpperDiff::missingUpperDirIsAnError()
{
    ArraySink sink;
    const QString missing = m_tmp.path() + QStringLiteral("/nope");
    auto r = writeUpperTar(missing, {}, sink);
    QVERIFY(!r);
    QCOMPARE(r.error().code, ErrorCode::NotFound);
    QVERIFY(r.error().message.contains(missing));
    auto d = diffUpper(missing, {}, {});
    QVERIFY(!d);
    QCOMPARE(d.error().code, ErrorCode::NotFound);
}

QTEST_GUILESS_MAIN(TestUpperDiff)
#include "tst_upperdiff.moc"
