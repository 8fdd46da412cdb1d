// unpackLayer on tars built here with libarchive's writer: every entry type
// and attribute, Korean and long names, sparse files, replacing entries,
// unprivileged unpacks, gzip/zstd input, diff IDs and cancel. Whiteouts:
// tst_unpackerwhiteouts; the layer store: tst_layerstore.
#include "core/digest.h"
#include "layer/unpacker.h"
#include "store/store.h"
#include "support/paxtarwriter.h"
#include "support/testsupport.h"
#include "support/unpacktestsupport.h"

#include <archive.h>
#include <archive_entry.h>

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <atomic>
#include <clocale>
#include <thread>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

using namespace porthole;
using namespace porthole::layer;
using namespace porthole::test::unpacking;

class TestUnpacker : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void everyEntryTypeAndAttribute_data();
    void everyEntryTypeAndAttribute();
    void namesInAnyLocale_data();
    void namesInAnyLocale();
    void sparseFilesFromGnuTar();
    void laterEntriesReplaceEarlier();
    void unprivilegedSkipsDevicesAndOwners();
    void diffIdComputedAndChecked();
    void emptyLayers();
    void targetMustBeEmpty();
    void cancelRemovesEverything();
};

void TestUnpacker::everyEntryTypeAndAttribute_data()
{
    QTest::addColumn<Compression>("compression");
    QTest::newRow("plain") << Compression::None;
    QTest::newRow("gzip") << Compression::Gzip;
    QTest::newRow("zstd") << Compression::Zstd;
}

void TestUnpacker::everyEntryTypeAndAttribute()
{
    if (::geteuid() != 0)
        QSKIP("needs root: ownership and device nodes");
    QFETCH(Compression, compression);
    TarEntry suid = fileEntry("bin/tool", "#!/bin/sh\n", 04755);
    suid.uid = 1234;
    suid.gid = 5678;
    suid.mtime = 1600000000;
    suid.mtimeNsec = 123456789;
    // A v2 file capability (cap_net_raw, effective): chown clears it, so
    // it must be set after the owner.
    const QByteArray caps = QByteArray::fromHex("01000002" "00200000" "00000000" "00000000" "00000000");
    suid.xattrs = {{"user.comment", "hello"}, {"security.capability", caps}};
    TarEntry link = symlinkEntry("bin/sh", "/bin/tool");
    link.uid = 42;
    link.mtime = 1500000000;
    const TarEntry chr = deviceEntry("dev/null", AE_IFCHR, 1, 3, 0666);
    const TarEntry blk = deviceEntry("dev/loop0", AE_IFBLK, 7, 0, 0660);
    TarEntry fifo;
    fifo.path = "run/fifo";
    fifo.type = AE_IFIFO;
    fifo.perm = 0620;
    TarEntry sgid = dirEntry("shared/", 02775, 1400000000);
    sgid.gid = 100;
    const QByteArray bigData(3 << 20, 'x'); // spans several 1 MiB blocks
    const QByteArray tar = buildTar({dirEntry("bin/", 0755, 1300000000), suid, link, hardlinkEntry("bin/tool-link", "bin/tool"),
                                     dirEntry("dev/"), chr, blk, dirEntry("run/"), fifo, sgid, fileEntry("shared/big", bigData),
                                     dirEntry("tmp/", 01777, 1200000000)});

    QTemporaryDir tmp;
    const QString root = tmp.path() + QStringLiteral("/layer");
    auto r = unpack(compress(tar, compression), root);
    VERIFY_OK(r);
    QCOMPARE(r->compression, compression);
    QCOMPARE(r->entries, 12);
    QCOMPARE(r->contentBytes, qint64(bigData.size() + 10));
    QVERIFY2(r->warnings.isEmpty(), qPrintable(r->warnings.join(u'\n')));
    QCOMPARE(r->diffId, Sha256::of(tar));

    struct stat st = lstatOf(root + QStringLiteral("/bin/tool"));
    QVERIFY(S_ISREG(st.st_mode));
    QCOMPARE(st.st_mode & 07777, mode_t(04755)); // setuid survived the chown
    QCOMPARE(st.st_uid, uid_t(1234));
    QCOMPARE(st.st_gid, gid_t(5678));
    QCOMPARE(st.st_mtim.tv_sec, time_t(1600000000));
    QCOMPARE(st.st_mtim.tv_nsec, 123456789L);
    QCOMPARE(st.st_nlink, nlink_t(2));
    QCOMPARE(readAll(root + QStringLiteral("/bin/tool")), QByteArray("#!/bin/sh\n"));
    QCOMPARE(xattrOf(root + QStringLiteral("/bin/tool"), "user.comment"), QByteArray("hello"));
    QCOMPARE(xattrOf(root + QStringLiteral("/bin/tool"), "security.capability"), caps);
    QCOMPARE(lstatOf(root + QStringLiteral("/bin/tool-link")).st_ino, st.st_ino);

    st = lstatOf(root + QStringLiteral("/bin/sh"));
    QVERIFY(S_ISLNK(st.st_mode));
    QCOMPARE(st.st_uid, uid_t(42));
    QCOMPARE(st.st_mtim.tv_sec, time_t(1500000000));
    QCOMPARE(QFile::symLinkTarget(root + QStringLiteral("/bin/sh")), QStringLiteral("/bin/tool"));

    st = lstatOf(root + QStringLiteral("/dev/null"));
    QVERIFY(S_ISCHR(st.st_mode));
    QCOMPARE(major(st.st_rdev), 1u);
    QCOMPARE(minor(st.st_rdev), 3u);
    QCOMPARE(st.st_mode & 07777, mode_t(0666));
    st = lstatOf(root + QStringLiteral("/dev/loop0"));
    QVERIFY(S_ISBLK(st.st_mode));
    QCOMPARE(major(st.st_rdev), 7u);
    QCOMPARE(st.st_mode & 07777, mode_t(0660));
    st = lstatOf(root + QStringLiteral("/run/fifo"));
    QVERIFY(S_ISFIFO(st.st_mode));
    QCOMPARE(st.st_mode & 07777, mode_t(0620));

    // Directory modes and mtimes are set after their contents were written.
    st = lstatOf(root + QStringLiteral("/bin"));
    QCOMPARE(st.st_mtim.tv_sec, time_t(1300000000));
    st = lstatOf(root + QStringLiteral("/shared"));
    QCOMPARE(st.st_mode & 07777, mode_t(02775));
    QCOMPARE(st.st_gid, gid_t(100));
    QCOMPARE(st.st_mtim.tv_sec, time_t(1400000000));
    QCOMPARE(QFileInfo(root + QStringLiteral("/shared/big")).size(), qint64(bigData.size()));
    st = lstatOf(root + QStringLiteral("/tmp"));
    QCOMPARE(st.st_mode & 07777, mode_t(01777));
    QCOMPARE(st.st_mtim.tv_sec, time_t(1200000000));
    QCOMPARE(lstatOf(root).st_mode & 07777, mode_t(0755));
}

void TestUnpacker::namesInAnyLocale_data()
{
    QTest::addColumn<QByteArray>("locale");
    QTest::newRow("C") << QByteArray("C");
    QTest::newRow("C.UTF-8") << QByteArray("C.UTF-8");
}

void TestUnpacker::namesInAnyLocale()
{
    QFETCH(QByteArray, locale);
    const QByteArray korean = QStringLiteral("홈/사용자/문서.txt").toUtf8();
    const QByteArray longDir = QByteArray(120, 'd');
    const QByteArray longName = longDir + '/' + QByteArray(200, 'n') + ".txt"; // beyond ustar's 100+155
    const QByteArray tar = buildTar({fileEntry(korean, "annyeong"), fileEntry(longName, "long"),
                                     symlinkEntry("링크", QStringLiteral("홈/사용자").toUtf8()),
                                     hardlinkEntry("하드", korean)});
    const QByteArray saved = ::setlocale(LC_ALL, nullptr);
    if (!::setlocale(LC_ALL, locale.constData()))
        QSKIP("locale not installed");
    const auto restore = qScopeGuard([&] { ::setlocale(LC_ALL, saved.constData()); });

    QTemporaryDir tmp;
    const QString root = tmp.path() + QStringLiteral("/l");
    auto r = unpack(tar, root);
    VERIFY_OK(r);
    QCOMPARE(readAll(root + u'/' + QString::fromUtf8(korean)), QByteArray("annyeong"));
    QCOMPARE(readAll(root + u'/' + QString::fromUtf8(longName)), QByteArray("long"));
    QCOMPARE(QFile::symLinkTarget(root + QStringLiteral("/링크")), root + QStringLiteral("/홈/사용자"));
    QCOMPARE(readAll(root + QStringLiteral("/하드")), QByteArray("annyeong"));
    // The bytes on disk are the UTF-8 the tar holds, whatever the locale.
    QVERIFY(::access((QFile::encodeName(root) + '/' + korean).constData(), F_OK) == 0);
}

void TestUnpacker::sparseFilesFromGnuTar()
{
    if (!test::haveProgram(QStringLiteral("tar")))
        QSKIP("GNU tar is not installed");
    QTemporaryDir tmp;
    const QString src = tmp.path() + QStringLiteral("/src");
    QVERIFY(QDir().mkpath(src));
    QFile sparse(src + QStringLiteral("/sparse"));
    QVERIFY(sparse.open(QIODevice::WriteOnly));
    QVERIFY(sparse.write("head") == 4 && sparse.seek(5 << 20) && sparse.write("middle") == 6 && sparse.resize(9 << 20));
    sparse.close();
    for (const char *format : {"posix", "gnu"}) {
        const auto tar = test::runProgram(QStringLiteral("tar"), {QStringLiteral("--sparse"), QStringLiteral("--format=%1").arg(QLatin1String(format)),
                                                                  QStringLiteral("-cf"), QStringLiteral("-"), QStringLiteral("-C"), src, QStringLiteral("sparse")});
        QCOMPARE(tar.exitCode, 0);
        QVERIFY(tar.out.size() < (1 << 20)); // really stored sparse
        const QString root = tmp.path() + QStringLiteral("/") + QLatin1String(format);
        auto r = unpack(tar.out, root);
        VERIFY_OK(r);
        QCOMPARE(r->contentBytes, qint64(9 << 20));
        const QByteArray got = readAll(root + QStringLiteral("/sparse"));
        QCOMPARE(got.size(), 9 << 20);
        QCOMPARE(got.left(4), QByteArray("head"));
        QCOMPARE(got.mid(5 << 20, 6), QByteArray("middle"));
        QCOMPARE(got.count('\0'), (9 << 20) - 10);
    }
}

void TestUnpacker::laterEntriesReplaceEarlier()
{
    QTemporaryDir tmp;
    const QString root = tmp.path() + QStringLiteral("/l");
    const QByteArray tar = buildTar({
        fileEntry("f", "first"), fileEntry("f", "second"),                 // file over file
        fileEntry("s", "was a file"), symlinkEntry("s", "target"),         // symlink over file
        symlinkEntry("t", "elsewhere"), fileEntry("t", "now a file"),      // file over symlink
        dirEntry("d/"), fileEntry("d/inner", "x"), fileEntry("d", "flat"),      // non-dir over dir
        dirEntry("m/", 0700), fileEntry("m/a", "a"), dirEntry("m/", 0750),      // dir over dir merges
        fileEntry("x", "x"), fileEntry("y", "y"), hardlinkEntry("y", "x"),      // hardlink over file
        fileEntry("h", "original"), hardlinkEntry("h2", "h"), fileEntry("h", "replaced"), // h2 keeps its inode
    });
    auto r = unpack(tar, root);
    VERIFY_OK(r);
    QCOMPARE(readAll(root + QStringLiteral("/f")), QByteArray("second"));
    QVERIFY(S_ISLNK(lstatOf(root + QStringLiteral("/s")).st_mode));
    QVERIFY(S_ISREG(lstatOf(root + QStringLiteral("/t")).st_mode));
    QCOMPARE(readAll(root + QStringLiteral("/t")), QByteArray("now a file"));
    QCOMPARE(readAll(root + QStringLiteral("/d")), QByteArray("flat"));
    QCOMPARE(readAll(root + QStringLiteral("/m/a")), QByteArray("a"));
    QCOMPARE(lstatOf(root + QStringLiteral("/m")).st_mode & 07777, mode_t(0750));
    QCOMPARE(lstatOf(root + QStringLiteral("/y")).st_ino, lstatOf(root + QStringLiteral("/x")).st_ino);
    QCOMPARE(readAll(root + QStringLiteral("/h")), QByteArray("replaced"));
    QCOMPARE(readAll(root + QStringLiteral("/h2")), QByteArray("original"));
}

void TestUnpacker::unprivilegedSkipsDevicesAndOwners()
{
    const TarEntry chr = deviceEntry("dev/null", AE_IFCHR, 1, 3);
    TarEntry owned = fileEntry("owned", "x");
    owned.uid = 4321;
    QTemporaryDir tmp;
    const QString root = tmp.path() + QStringLiteral("/l");
    UnpackOptions opts;
    opts.isRoot = false;
    auto r = unpack(buildTar({chr, owned}), root, opts);
    VERIFY_OK(r);
    QVERIFY(!QFileInfo::exists(root + QStringLiteral("/dev/null")));
    QCOMPARE(r->warnings.size(), 1);
    QVERIFY(r->warnings.first().contains(QStringLiteral("dev/null")));
    QCOMPARE(lstatOf(root + QStringLiteral("/owned")).st_uid, ::geteuid());
}

void TestUnpacker::diffIdComputedAndChecked()
{
    const QByteArray tar = buildTar({fileEntry("etc/hostname", "box\n")});
    const Digest diffId = Sha256::of(tar);
    QTemporaryDir tmp;
    UnpackOptions opts;
    opts.expectedDiffId = diffId;
    auto ok = unpack(compress(tar, Compression::Gzip), tmp.path() + QStringLiteral("/good"), opts);
    VERIFY_OK(ok);
    QCOMPARE(ok->diffId, diffId);

    opts.expectedDiffId = Sha256::of("something else");
    const QString bad = tmp.path() + QStringLiteral("/bad");
    auto wrong = unpack(compress(tar, Compression::Zstd), bad, opts);
    QVERIFY(!wrong);
    QCOMPARE(wrong.error().code, ErrorCode::InvalidArgument);
    QVERIFY2(wrong.error().message.contains(diffId.toString()), qPrintable(wrong.error().message));
    QVERIFY(!QFileInfo::exists(bad));
}

void TestUnpacker::emptyLayers()
{
    QTemporaryDir tmp;
    const QByteArray endMarker = buildTar({});
    const QList<std::pair<QByteArray, QByteArray>> cases{// blob, its uncompressed tar
                                                         {QByteArray(), QByteArray()},
                                                         {endMarker, endMarker},
                                                         {compress(endMarker, Compression::Gzip), endMarker}};
    int n = 0;
    for (const auto &[blob, tar] : cases) {
        const QString root = tmp.path() + QStringLiteral("/e%1").arg(n++);
        auto r = unpack(blob, root);
        VERIFY_OK(r);
        QCOMPARE(r->entries, 0);
        QCOMPARE(r->diffId, Sha256::of(tar));
        QVERIFY(QDir(root).isEmpty());
    }
}

void TestUnpacker::targetMustBeEmpty()
{
    QTemporaryDir tmp;
    const QString root = tmp.path() + QStringLiteral("/l");
    QVERIFY(QDir().mkpath(root));
    QFile keep(root + QStringLiteral("/keep"));
    QVERIFY(keep.open(QIODevice::WriteOnly) && keep.write("mine") == 4);
    keep.close();
    auto r = unpack(buildTar({fileEntry("a", "a")}), root);
    QVERIFY(!r);
    QCOMPARE(r.error().code, ErrorCode::FailedPrecondition);
    QCOMPARE(readAll(root + QStringLiteral("/keep")), QByteArray("mine"));
    QVERIFY(!QFileInfo::exists(root + QStringLiteral("/a")));

    // An existing empty directory is used, and kept (emptied) on failure.
    const QString empty = tmp.path() + QStringLiteral("/empty");
    QVERIFY(QDir().mkpath(empty));
    UnpackOptions opts;
    opts.expectedDiffId = Sha256::of("nope");
    QVERIFY(!unpack(buildTar({fileEntry("a", "a")}), empty, opts));
    QVERIFY(QFileInfo(empty).isDir());
    QVERIFY(QDir(empty).isEmpty());
}

void TestUnpacker::cancelRemovesEverything()
{
    QTemporaryDir tmp;
    const QString root = tmp.path() + QStringLiteral("/l");
    QList<TarEntry> entries;
    for (int i = 0; i < 50; ++i)
        entries.append(fileEntry("f" + QByteArray::number(i), QByteArray(100 << 10, 'z')));
    CancelToken cancel;
    int events = 0;
    auto r = unpack(compress(buildTar(entries), Compression::Gzip), root, {}, cancel, [&](const ProgressEvent &e) {
        QCOMPARE(e.phase, QStringLiteral("Extracting"));
        if (++events == 2)
            cancel.cancel();
    });
    QVERIFY(!r);
    QCOMPARE(r.error().code, ErrorCode::Cancelled);
    QVERIFY(!QFileInfo::exists(root));
}

QTEST_GUILESS_MAIN(TestUnpacker)
#include "tst_unpacker.moc"
