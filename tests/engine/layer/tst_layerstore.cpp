// The layer store's complete-marker protocol: a layer is committed with its
// marker, concurrent unpacks of one layer agree, and cleanup removes only
// incomplete layers.
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

class TestLayerStore : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void layerStoreCommitsWithMarker();
    void concurrentUnpacksOfOneLayer();
    void cleanupRemovesOnlyIncomplete();
};

void TestLayerStore::layerStoreCommitsWithMarker()
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

void TestLayerStore::concurrentUnpacksOfOneLayer()
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

void TestLayerStore::cleanupRemovesOnlyIncomplete()
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

QTEST_GUILESS_MAIN(TestLayerStore)
#include "tst_layerstore.moc"
