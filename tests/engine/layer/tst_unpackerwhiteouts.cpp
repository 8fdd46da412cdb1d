// Whiteouts in overlay form: what unpackLayer makes of OCI whiteouts and
// opaque markers, that a whiteout never removes what its own layer added,
// and three layers mounted as an overlay.
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

class TestUnpackerWhiteouts : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void whiteoutsBecomeOverlayForm();
    void whiteoutsRespectTheirOwnLayer();
    void threeLayersMountedAsOverlay();
};

void TestUnpackerWhiteouts::whiteoutsBecomeOverlayForm()
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

void TestUnpackerWhiteouts::whiteoutsRespectTheirOwnLayer()
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

void TestUnpackerWhiteouts::threeLayersMountedAsOverlay()
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

QTEST_GUILESS_MAIN(TestUnpackerWhiteouts)
#include "tst_unpackerwhiteouts.moc"
