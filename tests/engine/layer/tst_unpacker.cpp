// unpackLayer and the layer store on tars built here with libarchive's
// writer: every entry type and attribute, Korean and long names, replacing
// entries, whiteouts in overlay form (checked by mounting three layers),
// gzip/zstd input, diff IDs, cancel, and the complete-marker protocol.
#include "core/digest.h"
#include "layer/compresssink.h"
#include "layer/unpacker.h"
#include "store/store.h"
#include "support/paxtarwriter.h"
#include "support/testsupport.h"

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

namespace {

using porthole::test::TarEntry;
using porthole::test::buildTar;
using porthole::test::deviceEntry;
using porthole::test::dirEntry;
using porthole::test::fileEntry;
using porthole::test::hardlinkEntry;
using porthole::test::symlinkEntry;

using ArraySink = porthole::test::ByteArraySink;

QByteArray compress(const QByteArray &tar, Compression c)
{
    if (c == Compression::None)
        return tar;
    ArraySink sink;
    CompressSink cs(sink, c);
    if (!cs.write(tar.constData(), tar.size()) || !cs.finish())
        qFatal("compress failed");
    return sink.bytes;
}

Result<UnpackResult> unpack(const QByteArray &blob, const QString &target, const UnpackOptions &opts = {},
                            const CancelToken &cancel = CancelToken::none(), const ProgressSink &progress = {})
{
    MemorySource source(blob);
    return unpackLayer(source, target, opts, cancel, progress);
}

struct stat lstatOf(const QString &path)
{
    struct stat st {};
    if (::lstat(QFile::encodeName(path).constData(), &st) != 0)
        st.st_mode = 0;
    return st;
}

QByteArray xattrOf(const QString &path, const char *name)
{
    char buf[256];
    const ssize_t n = ::lgetxattr(QFile::encodeName(path).constData(), name, buf, sizeof buf);
    return n < 0 ? QByteArray() : QByteArray(buf, n);
}

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

bool isWhiteout(const QString &path)
{
    const struct stat st = lstatOf(path);
    return S_ISCHR(st.st_mode) && st.st_rdev == 0;
}

// Unmounts on scope exit, also when a QVERIFY returns early.
struct MountGuard {
    QByteArray target;
    ~MountGuard()
    {
        if (!target.isEmpty())
            ::umount2(target.constData(), MNT_DETACH);
    }
};

#define VERIFY_OK(r) QVERIFY2((r), qPrintable((r) ? QString() : (r).error().message))

} // namespace

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
    void whiteoutsBecomeOverlayForm();
    void whiteoutsRespectTheirOwnLayer();
    void threeLayersMountedAsOverlay();
    void diffIdComputedAndChecked();
    void emptyLayers();
    void targetMustBeEmpty();
    void cancelRemovesEverything();
    void layerStoreCommitsWithMarker();
    void concurrentUnpacksOfOneLayer();
    void cleanupRemovesOnlyIncomplete();
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

void TestUnpacker::whiteoutsBecomeOverlayForm()
{
    if (::geteuid() != 0)
        QSKIP("needs root: whiteouts are device nodes, opaque dirs trusted.* xattrs");
    QTemporaryDir tmp;
    const QString root = tmp.path() + QStringLiteral("/l");
    auto r = unpack(buildTar({dirEntry("a/"), fileEntry("a/.wh.f"), dirEntry("b/"), fileEntry("b/.wh..wh..opq"), fileEntry("b/y", "y"),
                              fileEntry(".wh.top")}),
                    root);
    VERIFY_OK(r);
    QVERIFY(isWhiteout(root + QStringLiteral("/a/f")));
    QVERIFY(isWhiteout(root + QStringLiteral("/top")));
    QVERIFY(!QFileInfo::exists(root + QStringLiteral("/a/.wh.f")));
    QCOMPARE(xattrOf(root + QStringLiteral("/b"), "trusted.overlay.opaque"), QByteArray("y"));
    QVERIFY(!QFileInfo::exists(root + QStringLiteral("/b/.wh..wh..opq")));
    QCOMPARE(xattrOf(root + QStringLiteral("/a"), "trusted.overlay.opaque"), QByteArray());
    QCOMPARE(r->entries, 6);
}

void TestUnpacker::whiteoutsRespectTheirOwnLayer()
{
    if (::geteuid() != 0)
        QSKIP("needs root: whiteouts are device nodes, opaque dirs trusted.* xattrs");
    QTemporaryDir tmp;
    const QString root = tmp.path() + QStringLiteral("/l");
    auto r = unpack(buildTar({
                        fileEntry("c/f", "mine"), fileEntry("c/.wh.f"),          // whiteout after the file: file stays
                        fileEntry(".wh.d"), dirEntry("d/"), fileEntry("d/x", "new"), // dir recreated after its whiteout
                        dirEntry("e/"), fileEntry("e/y", "kept"), fileEntry(".wh.e"), // whiteout after a dir of this layer
                        fileEntry(".wh.g"), fileEntry("g/h", "implicit"),        // parent made over a whiteout
                    }),
                    root);
    VERIFY_OK(r);
    QCOMPARE(readAll(root + QStringLiteral("/c/f")), QByteArray("mine"));
    for (const char *d : {"/d", "/e", "/g"}) {
        QVERIFY2(S_ISDIR(lstatOf(root + QLatin1String(d)).st_mode), d);
        QCOMPARE(xattrOf(root + QLatin1String(d), "trusted.overlay.opaque"), QByteArray("y"));
    }
    QCOMPARE(readAll(root + QStringLiteral("/d/x")), QByteArray("new"));
    QCOMPARE(readAll(root + QStringLiteral("/e/y")), QByteArray("kept"));
    QCOMPARE(readAll(root + QStringLiteral("/g/h")), QByteArray("implicit"));
}

void TestUnpacker::threeLayersMountedAsOverlay()
{
    if (::geteuid() != 0)
        QSKIP("needs root to mount overlayfs");
    QTemporaryDir tmp;
    const QString l1 = tmp.path() + QStringLiteral("/l1"), l2 = tmp.path() + QStringLiteral("/l2"),
                  l3 = tmp.path() + QStringLiteral("/l3"), merged = tmp.path() + QStringLiteral("/merged");
    VERIFY_OK(unpack(compress(buildTar({dirEntry("a/"), fileEntry("a/f", "v1"), dirEntry("b/"), fileEntry("b/x", "x")}), Compression::Gzip), l1));
    VERIFY_OK(unpack(compress(buildTar({dirEntry("a/"), fileEntry("a/.wh.f"), dirEntry("b/"), fileEntry("b/.wh..wh..opq"), fileEntry("b/y", "y")}),
                              Compression::Zstd),
                     l2));
    VERIFY_OK(unpack(buildTar({dirEntry("a/"), fileEntry("a/f", "v3")}), l3));
    QVERIFY(QDir().mkpath(merged));
    const QByteArray options = "lowerdir=" + QFile::encodeName(l3) + ':' + QFile::encodeName(l2) + ':' + QFile::encodeName(l1);
    if (::mount("overlay", QFile::encodeName(merged).constData(), "overlay", MS_RDONLY, options.constData()) != 0)
        QFAIL(qPrintable(QStringLiteral("mount overlay: %1").arg(QString::fromLocal8Bit(strerror(errno)))));
    MountGuard guard{QFile::encodeName(merged)};

    QCOMPARE(readAll(merged + QStringLiteral("/a/f")), QByteArray("v3"));
    QVERIFY(!QFileInfo::exists(merged + QStringLiteral("/b/x")));
    QCOMPARE(readAll(merged + QStringLiteral("/b/y")), QByteArray("y"));
    QCOMPARE(QDir(merged + QStringLiteral("/b")).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden),
             QStringList{QStringLiteral("y")});

    // Without the top layer, layer 2's whiteout hides layer 1's file.
    QVERIFY(::umount2(guard.target.constData(), 0) == 0);
    const QByteArray lower2 = "lowerdir=" + QFile::encodeName(l2) + ':' + QFile::encodeName(l1);
    QVERIFY(::mount("overlay", guard.target.constData(), "overlay", MS_RDONLY, lower2.constData()) == 0);
    QVERIFY(!QFileInfo::exists(merged + QStringLiteral("/a/f")));
    QVERIFY(QFileInfo(merged + QStringLiteral("/a")).isDir());
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

void TestUnpacker::layerStoreCommitsWithMarker()
{
    QTemporaryDir tmp;
    auto store = store::Store::open(tmp.path());
    VERIFY_OK(store);
    const QByteArray tar = buildTar({dirEntry("usr/"), fileEntry("usr/hello", "world")});
    const Digest diffId = Sha256::of(tar);
    const Digest chain = store::chainId({diffId});
    QVERIFY(!isLayerComplete(**store, chain));

    const QByteArray blob = compress(tar, Compression::Gzip);
    MemorySource source(blob);
    UnpackOptions opts;
    opts.expectedDiffId = diffId;
    auto r = unpackToLayerStore(**store, chain, source, opts);
    VERIFY_OK(r);
    QVERIFY(isLayerComplete(**store, chain));
    QCOMPARE(readAll((*store)->layerDir(chain) + QStringLiteral("/usr/hello")), QByteArray("world"));
    QCOMPARE(readAll(layerCompleteMarker(**store, chain)), diffId.toString().toLatin1() + '\n');
    const QStringList layers = QDir(tmp.path() + QStringLiteral("/layers")).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden);
    QCOMPARE(layers, (QStringList{chain.hex(), chain.hex() + QStringLiteral(".complete")}));

    // A second unpack of the same layer keeps the first copy.
    const ino_t inode = lstatOf((*store)->layerDir(chain)).st_ino;
    MemorySource again(blob);
    VERIFY_OK(unpackToLayerStore(**store, chain, again, opts));
    QCOMPARE(lstatOf((*store)->layerDir(chain)).st_ino, inode);

    // A wrong blob leaves nothing behind.
    const Digest otherChain = Sha256::of("other");
    MemorySource wrong(blob);
    opts.expectedDiffId = otherChain;
    QVERIFY(!unpackToLayerStore(**store, otherChain, wrong, opts));
    QVERIFY(!isLayerComplete(**store, otherChain));
    QCOMPARE(QDir(tmp.path() + QStringLiteral("/layers")).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden), layers);
}

void TestUnpacker::concurrentUnpacksOfOneLayer()
{
    QTemporaryDir tmp;
    auto store = store::Store::open(tmp.path());
    VERIFY_OK(store);
    QList<TarEntry> entries;
    for (int i = 0; i < 200; ++i)
        entries.append(fileEntry("d/f" + QByteArray::number(i), QByteArray(4096, char('a' + i % 26))));
    const QByteArray blob = compress(buildTar(entries), Compression::Zstd);
    const Digest chain = store::chainId({Sha256::of(buildTar(entries))});
    std::vector<std::thread> threads;
    std::atomic_int succeeded = 0;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&] {
            MemorySource source(blob);
            if (unpackToLayerStore(**store, chain, source, {}))
                ++succeeded;
        });
    }
    for (std::thread &t : threads)
        t.join();
    QCOMPARE(succeeded.load(), 4);
    QVERIFY(isLayerComplete(**store, chain));
    QCOMPARE(QDir((*store)->layerDir(chain) + QStringLiteral("/d")).entryList(QDir::Files).size(), 200);
    QCOMPARE(QDir(tmp.path() + QStringLiteral("/layers")).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden).size(), 2);
}

void TestUnpacker::cleanupRemovesOnlyIncomplete()
{
    QTemporaryDir tmp;
    auto store = store::Store::open(tmp.path());
    VERIFY_OK(store);
    const QString layers = tmp.path() + QStringLiteral("/layers");
    const QByteArray tar = buildTar({fileEntry("ok", "ok")});
    const Digest good = store::chainId({Sha256::of(tar)});
    MemorySource source(tar);
    VERIFY_OK(unpackToLayerStore(**store, good, source, {}));

    const Digest incomplete = Sha256::of("crashed before the marker");
    const Digest orphan = Sha256::of("collected dir");
    QVERIFY(QDir().mkpath((*store)->layerDir(incomplete) + QStringLiteral("/usr/bin")));
    QVERIFY(QDir().mkpath(layers + QStringLiteral("/.tmp-layer-dead/etc")));
    QVERIFY(QDir().mkpath(layers + QStringLiteral("/.tmp-layer-live/etc")));
    QFile marker(layerCompleteMarker(**store, orphan));
    QVERIFY(marker.open(QIODevice::WriteOnly));
    marker.close();
    // A live writer holds its temp dir's flock.
    const int live = ::open(QFile::encodeName(layers + QStringLiteral("/.tmp-layer-live")).constData(), O_RDONLY | O_DIRECTORY);
    QVERIFY(live >= 0);
    const auto closeLive = qScopeGuard([&] { ::close(live); });
    QVERIFY(::flock(live, LOCK_EX) == 0);

    QCOMPARE(removeIncompleteLayers(tmp.path()), 3);
    QVERIFY(isLayerComplete(**store, good));
    QVERIFY(!QFileInfo::exists((*store)->layerDir(incomplete)));
    QVERIFY(!QFileInfo::exists(layers + QStringLiteral("/.tmp-layer-dead")));
    QVERIFY(QFileInfo::exists(layers + QStringLiteral("/.tmp-layer-live/etc")));
    QVERIFY(!QFileInfo::exists(layerCompleteMarker(**store, orphan)));
    QCOMPARE(removeIncompleteLayers(tmp.path()), 0);
}

QTEST_GUILESS_MAIN(TestUnpacker)
#include "tst_unpacker.moc"
