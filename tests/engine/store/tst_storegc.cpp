// Garbage collection removes what no image reaches (blobs, layer infos,
// unpacked layers) and never what another image, or an operation holding the
// use lock, still needs.
#include "store/fsutil.h"
#include "store/store.h"
#include "support/testsupport.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>

#include "store/containerstore.h"
#include <QTest>

#include <thread>

using namespace porthole;
using namespace porthole::store;

namespace {

QJsonObject descriptor(const QString &mediaType, const Digest &d, qint64 size)
{
    return {{QStringLiteral("mediaType"), mediaType}, {QStringLiteral("digest"), d.toString()}, {QStringLiteral("size"), double(size)}};
}

struct HandImage {
    Digest manifest, config;
    qint64 manifestSize = 0;
    QList<Digest> layers; // uncompressed: blob digest == diff ID
};

// Writes layer blobs, a config and a manifest the way an import would.
HandImage writeImage(Store &store, const QList<QByteArray> &layers, const QString &comment)
{
    HandImage img;
    QJsonArray layerDescs, diffIds;
    for (const QByteArray &l : layers) {
        const Digest d = *store.content().write(l);
        img.layers.append(d);
        layerDescs.append(descriptor(QStringLiteral("application/vnd.oci.image.layer.v1.tar"), d, l.size()));
        diffIds.append(d.toString());
        (void)store.putLayerInfo(d, {l.size(), 1});
    }
    const QJsonObject config{{QStringLiteral("architecture"), QStringLiteral("amd64")},
                             {QStringLiteral("os"), QStringLiteral("linux")},
                             {QStringLiteral("comment"), comment},
                             {QStringLiteral("rootfs"), QJsonObject{{QStringLiteral("type"), QStringLiteral("layers")},
                                                                    {QStringLiteral("diff_ids"), diffIds}}}};
    const QByteArray configJson = QJsonDocument(config).toJson(QJsonDocument::Compact);
    img.config = *store.content().write(configJson);
    const QJsonObject manifest{
        {QStringLiteral("schemaVersion"), 2},
        {QStringLiteral("mediaType"), QStringLiteral("application/vnd.oci.image.manifest.v1+json")},
        {QStringLiteral("config"), descriptor(QStringLiteral("application/vnd.oci.image.config.v1+json"), img.config, configJson.size())},
        {QStringLiteral("layers"), layerDescs}};
    const QByteArray manifestJson = QJsonDocument(manifest).toJson(QJsonDocument::Compact);
    img.manifest = *store.content().write(manifestJson);
    img.manifestSize = manifestJson.size();
    return img;
}

Status tag(Store &store, const QString &name, const HandImage &img)
{
    return store.editIndex([&](TagIndex &index) {
        index.setTag(name, descriptor(QStringLiteral("application/vnd.oci.image.manifest.v1+json"), img.manifest, img.manifestSize));
        return Status();
    });
}

using porthole::test::dirEntries;

bool touch(const QString &path, const QByteArray &data = "x") { return porthole::test::writeFile(path, data); }

} // namespace

class TestStoreGc : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void gcRemovesOnlyUnreachable();
    void gcWaitsForUsers();
    void gcRefusesWhenAManifestIsUnreadable();
    void gcKeepsAnImageWithABigConfig();
    void gcRefusesAConfigOverTheLimit();
    void gcSharedLayerThroughCli();
    void gcKeepsWhatAContainerUses();
    void gcExpiresAbandonedDownloads();
};

void TestStoreGc::gcRemovesOnlyUnreachable()
{
    QTemporaryDir dir;
    auto store = *Store::open(dir.path());
    const HandImage a = writeImage(*store, {"shared layer", "only in a"}, "a");
    const HandImage b = writeImage(*store, {"shared layer", "only in b"}, "b");
    QVERIFY(tag(*store, QStringLiteral("localhost/a:1"), a));
    QVERIFY(tag(*store, QStringLiteral("localhost/b:1"), b));
    const Digest orphan = *store->content().write("nobody references me");
    QVERIFY(store->putLayerInfo(orphan, {1, 1}));
    const Digest sharedChain = store::chainId({a.layers[0]});
    const Digest aChain = store::chainId(a.layers), bChain = store::chainId(b.layers);
    for (const Digest &c : {sharedChain, aChain, bChain, orphan})
        QVERIFY(makeDirs(store->layerDir(c) + QStringLiteral("/usr/bin")));

    auto report = store->collectGarbage();
    QVERIFY2(report, qPrintable(report ? QString() : report.error().message));
    QCOMPARE(report->blobsRemoved, 1);
    QCOMPARE(report->bytesFreed, qint64(strlen("nobody references me")));
    QVERIFY(!store->content().has(orphan));
    QCOMPARE(store->layerInfo(orphan).error().code, ErrorCode::NotFound);
    QVERIFY(!QFileInfo::exists(store->layerDir(orphan)));
    QCOMPARE(store->content().list().size(), 7); // 3 layers + 2 configs + 2 manifests

    QVERIFY(store->editIndex([&](TagIndex &index) {
        index.removeTag(QStringLiteral("localhost/a:1"), false);
        return Status();
    }));
    report = store->collectGarbage();
    QVERIFY(report);
    QCOMPARE(report->blobsRemoved, 3); // a's manifest, config and own layer
    for (const Digest &gone : {a.manifest, a.config, a.layers[1]})
        QVERIFY(!store->content().has(gone));
    QVERIFY(!QFileInfo::exists(store->layerDir(aChain)));
    QCOMPARE(store->layerInfo(a.layers[1]).error().code, ErrorCode::NotFound);
    // Everything b needs, including what it shared with a, is still there.
    for (const Digest &kept : {b.manifest, b.config, b.layers[0], b.layers[1]})
        QVERIFY(store->content().read(kept));
    for (const Digest &d : b.layers)
        QVERIFY(store->layerInfo(d));
    QVERIFY(QFileInfo::exists(store->layerDir(sharedChain) + QStringLiteral("/usr/bin")));
    QVERIFY(QFileInfo::exists(store->layerDir(bChain)));
    QCOMPARE(store->collectGarbage()->blobsRemoved, 0);
}


void TestStoreGc::gcWaitsForUsers()
{
    QTemporaryDir dir;
    auto store = *Store::open(dir.path());
    auto use = store->useLock();
    QVERIFY(use);
    const Digest inFlight = *store->content().write("written, not yet in the index");
    const auto busy = store->collectGarbage(false);
    QVERIFY(!busy);
    QCOMPARE(busy.error().code, ErrorCode::Unavailable);
    QVERIFY(store->content().has(inFlight));

    std::atomic<bool> done{false};
    std::thread gc([&] {
        auto other = *Store::open(dir.path());
        (void)other->collectGarbage(true);
        done = true;
    });
    QTest::qWait(200);
    QVERIFY(!done.load());
    QVERIFY(store->content().has(inFlight));
    use->release();
    gc.join();
    QVERIFY(!store->content().has(inFlight));
}


void TestStoreGc::gcRefusesWhenAManifestIsUnreadable()
{
    // If a manifest cannot be read, what it references is unknown: removing
    // its config and layers would turn a repairable store into a lost image.
    QTemporaryDir dir;
    auto store = *Store::open(dir.path());
    const HandImage a = writeImage(*store, {"layer of a"}, "a");
    QVERIFY(tag(*store, QStringLiteral("localhost/a:1"), a));
    const Digest orphan = *store->content().write("orphan");
    QVERIFY(touch(store->content().blobPath(a.manifest), "{\"damaged\": true}"));

    const auto report = store->collectGarbage();
    QVERIFY(!report);
    QVERIFY2(report.error().message.contains(a.manifest.toString()), qPrintable(report.error().message));
    for (const Digest &kept : {a.config, a.layers[0], orphan})
        QVERIFY(store->content().has(kept));
    QVERIFY(store->layerInfo(a.layers[0]));

    // A manifest that is simply missing (an entry of another tool, a child
    // for another platform) is not an error.
    QVERIFY(store->content().remove(a.manifest));
    QVERIFY(store->collectGarbage());
    QVERIFY(!store->content().has(orphan));
}

// A 5 MiB config (past the 4 MiB garbage collection once read, within the
// 16 MiB pull and load take): its image keeps its blobs, layer infos and
// unpacked layers.
void TestStoreGc::gcKeepsAnImageWithABigConfig()
{
    QTemporaryDir dir;
    auto store = *Store::open(dir.path());
    const HandImage big = writeImage(*store, {"first layer", "second layer"}, QString(5 << 20, u'c'));
    QVERIFY(*store->content().size(big.config) > 5 << 20);
    QVERIFY(tag(*store, QStringLiteral("localhost/big:1"), big));
    const QList<Digest> chains{chainId({big.layers[0]}), chainId(big.layers)};
    for (const Digest &c : chains) {
        QVERIFY(makeDirs(store->layerDir(c) + QStringLiteral("/usr/bin")));
        QVERIFY(touch(store->layerDir(c) + QStringLiteral(".complete"), c.toString().toLatin1()));
    }
    const Digest orphan = *store->content().write("orphan");

    const auto report = store->collectGarbage();
    QVERIFY2(report, qPrintable(report ? QString() : report.error().message));
    QCOMPARE(report->blobsRemoved, 1);
    QVERIFY(!store->content().has(orphan));
    for (const Digest &kept : {big.manifest, big.config, big.layers[0], big.layers[1]})
        QVERIFY(store->content().has(kept));
    for (const Digest &layer : big.layers)
        QVERIFY(store->layerInfo(layer));
    for (const Digest &c : chains) {
        QVERIFY2(QFileInfo(store->layerDir(c)).isDir(), qPrintable(c.toString()));
        QVERIFY(QFileInfo::exists(store->layerDir(c) + QStringLiteral(".complete")));
    }
}

// Over the limit, a config cannot be read, so what it references is unknown:
// the collection refuses and removes nothing (pull and load never store
// one, so it came from another tool).
void TestStoreGc::gcRefusesAConfigOverTheLimit()
{
    QTemporaryDir dir;
    auto store = *Store::open(dir.path());
    const HandImage huge = writeImage(*store, {"layer of the huge one"}, QString(17 << 20, u'c'));
    QVERIFY(tag(*store, QStringLiteral("localhost/huge:1"), huge));
    const Digest chain = chainId(huge.layers);
    QVERIFY(makeDirs(store->layerDir(chain)));
    const Digest orphan = *store->content().write("orphan");

    const auto report = store->collectGarbage();
    QVERIFY(!report);
    QCOMPARE(report.error().message,
             QStringLiteral("collect garbage (nothing was removed): read image config %1: it is %2 bytes, more than the limit of 16 MiB")
                 .arg(huge.config.toString())
                 .arg(*store->content().size(huge.config)));
    for (const Digest &kept : {huge.config, huge.layers[0], orphan})
        QVERIFY(store->content().has(kept));
    QVERIFY(store->layerInfo(huge.layers[0]));
    QVERIFY(QFileInfo(store->layerDir(chain)).isDir());
}

void TestStoreGc::gcSharedLayerThroughCli()
{
    // Two imports of one tar share the layer blob; removing one image must
    // leave the other whole.
    QTemporaryDir dir;
    QVERIFY(makeDirs(dir.filePath(QStringLiteral("rootfs/etc"))));
    QVERIFY(touch(dir.filePath(QStringLiteral("rootfs/etc/hostname")), "shared\n"));
    const QString tarPath = dir.filePath(QStringLiteral("rootfs.tar"));
    const auto tar = test::runProgram(QStringLiteral("tar"), {QStringLiteral("-cf"), tarPath, QStringLiteral("-C"),
                                                              dir.filePath(QStringLiteral("rootfs")), QStringLiteral(".")});
    QCOMPARE(tar.exitCode, 0);
    const QString root = dir.filePath(QStringLiteral("root"));
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("PORTHOLE_NO_DEMO"), QStringLiteral("1"));
    for (const char *name : {"a", "b"}) {
        const auto r = test::runPorthole(root, {QStringLiteral("import"), QStringLiteral("-m"), QLatin1String(name), tarPath,
                                                QStringLiteral("localhost/%1:1").arg(QLatin1String(name))},
                                         {}, 60000, env);
        QVERIFY2(r.exitCode == 0, r.err.constData());
    }
    auto store = *Store::open(root);
    auto manifestOf = [&](const QString &name) {
        const Digest d = store->readIndex()->findTag(name)->digest();
        return QJsonDocument::fromJson(*store->content().read(d)).object();
    };
    const QJsonObject ma = manifestOf(QStringLiteral("localhost/a:1")), mb = manifestOf(QStringLiteral("localhost/b:1"));
    const auto digestAt = [](const QJsonObject &m, const QString &key) {
        const QJsonValue v = key == QLatin1String("config") ? m.value(key) : m.value(QStringLiteral("layers")).toArray().first();
        return *Digest::parse(v.toObject().value(QStringLiteral("digest")).toString());
    };
    const Digest layer = digestAt(ma, QStringLiteral("layers"));
    QCOMPARE(digestAt(mb, QStringLiteral("layers")), layer);
    QVERIFY(digestAt(ma, QStringLiteral("config")) != digestAt(mb, QStringLiteral("config")));
    const Digest aManifest = store->readIndex()->findTag(QStringLiteral("localhost/a:1"))->digest();

    auto r = test::runPorthole(root, {QStringLiteral("rmi"), QStringLiteral("localhost/a:1")}, {}, 60000, env);
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QVERIFY(!store->content().has(aManifest));
    QVERIFY(!store->content().has(digestAt(ma, QStringLiteral("config"))));
    QVERIFY(store->content().read(layer, 1 << 20)); // still there, still intact
    QVERIFY(store->layerInfo(layer));
    r = test::runPorthole(root, {QStringLiteral("inspect"), QStringLiteral("localhost/b:1")}, {}, 60000, env);
    QVERIFY2(r.exitCode == 0, r.err.constData());

    r = test::runPorthole(root, {QStringLiteral("rmi"), QStringLiteral("localhost/b:1")}, {}, 60000, env);
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QCOMPARE(store->content().list(), QList<Digest>());
    QCOMPARE(dirEntries(root + QStringLiteral("/layerinfo")), QStringList());
}


// A container is a root: its image's blobs and layers stay when the image
// has no name left (another process removed it between create and start).
void TestStoreGc::gcKeepsWhatAContainerUses()
{
    QTemporaryDir dir;
    auto store = *Store::open(dir.path());
    const HandImage img = writeImage(*store, {"base layer", "top layer"}, "used");
    QVERIFY(tag(*store, QStringLiteral("localhost/used:1"), img));
    const Digest chain = store::chainId(img.layers);
    QVERIFY(makeDirs(store->layerDir(chain)));
    ContainerConfig config;
    config.image = img.config;
    config.imageManifest = img.manifest;
    config.imageName = QStringLiteral("localhost/used:1");
    config.path = QStringLiteral("sh");
    config.diffIds = img.layers;
    ContainerStore containers(*store);
    auto record = containers.create(config);
    QVERIFY2(record, qPrintable(record ? QString() : record.error().message));
    QVERIFY(store->editIndex([&](TagIndex &index) {
        index.removeImage(img.manifest);
        return Status();
    }));

    auto report = store->collectGarbage();
    QVERIFY2(report, qPrintable(report ? QString() : report.error().message));
    QCOMPARE(report->blobsRemoved, 0);
    for (const Digest &kept : {img.manifest, img.config, img.layers[0], img.layers[1]})
        QVERIFY(store->content().has(kept));
    QVERIFY(QFileInfo::exists(store->layerDir(chain)));

    QVERIFY(containers.remove(record->config.id));
    report = store->collectGarbage();
    QVERIFY(report);
    QCOMPARE(report->blobsRemoved, 4);
    QVERIFY(!QFileInfo::exists(store->layerDir(chain)));
}

// A .partial left by a pull that was never retried goes after a day; a
// recent one, or one a live download holds, stays.
void TestStoreGc::gcExpiresAbandonedDownloads()
{
    QTemporaryDir dir;
    auto store = *Store::open(dir.path());
    const auto partial = [&](const char *seed) {
        return dir.filePath(QStringLiteral("ingest/") + Sha256::of(seed).hex() + QStringLiteral(".partial"));
    };
    const auto make = [](const QString &path, int ageDays) {
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly))
            return false;
        f.write("part of a blob");
        f.flush(); // or closing would write, and stamp the file again
        return f.setFileTime(QDateTime::currentDateTimeUtc().addDays(-ageDays), QFileDevice::FileModificationTime);
    };
    QVERIFY(make(partial("old"), 2));
    QVERIFY(make(partial("recent"), 0));
    QVERIFY(make(partial("held"), 2));
    auto held = store->content().openResumable(Sha256::of("held")); // flock'ed while alive
    QVERIFY(held);
    QVERIFY(store->collectGarbage());
    QVERIFY(!QFileInfo::exists(partial("old")));
    QVERIFY(QFileInfo::exists(partial("recent")));
    QVERIFY(QFileInfo::exists(partial("held")));
}

QTEST_GUILESS_MAIN(TestStoreGc)
#include "tst_storegc.moc"
