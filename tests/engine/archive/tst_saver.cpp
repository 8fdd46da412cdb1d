// save on a store with an imported image (gzip layer), a two-layer image
// sharing that layer (plus a zstd one) and a one-layer image stored as a
// plain tar: the docker-archive and OCI archive members, their JSON, every
// digest, shared blobs once, and that a failure writes nothing (found while
// planning) or never a whole archive (found while writing). The archives
// are read back by a small tar reader written here, not libarchive. The
// file output (temp, rename) is the engine's: tests/integration/tst_save.
#include "store/imagewriter.h"
#include "archive/importer.h"
#include "archive/saver.h"
#include "core/mediatypes.h"
#include "layer/compresssink.h"
#include "store/imagestore.h"
#include "support/testsupport.h"
#include "support/ustarwriter.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

using namespace porthole;
using archive::SaveFormat;
using archive::SaveItem;

namespace {

struct ArraySink final : ByteSink {
    QByteArray bytes;
    Status write(const char *data, qint64 size) override
    {
        bytes.append(data, size);
        return {};
    }
};

QByteArray compress(const QByteArray &tar, layer::Compression c)
{
    ArraySink out;
    layer::CompressSink sink(out, c);
    if (!sink.write(tar.constData(), tar.size()) || !sink.finish())
        qFatal("compress failed");
    return out.bytes;
}

struct Member {
    char type;
    QByteArray data;
};

// The members of a tar, in order: ustar headers, pax 'x' records for path
// and size. Fails (returns {}) on a bad checksum or a missing end marker.
std::optional<QList<QPair<QString, Member>>> readTar(const QByteArray &tar)
{
    QList<QPair<QString, Member>> out;
    QByteArray paxPath;
    qint64 paxSize = -1;
    qint64 pos = 0;
    while (pos + 512 <= tar.size()) {
        const QByteArray h = tar.mid(pos, 512);
        if (h == QByteArray(512, '\0'))
            return tar.mid(pos) == QByteArray(tar.size() - pos, '\0') && tar.size() - pos >= 1024 ? std::optional(out) : std::nullopt;
        uint sum = 0;
        for (int i = 0; i < 512; ++i)
            sum += (i >= 148 && i < 156) ? uint(' ') : uchar(h[i]);
        if (h.mid(148, 8).trimmed().replace('\0', "").toUInt(nullptr, 8) != sum)
            return std::nullopt;
        qint64 size = h.mid(124, 12).replace('\0', "").trimmed().toLongLong(nullptr, 8);
        const char type = h[156];
        QByteArray name = h.left(100).left(h.left(100).indexOf('\0'));
        if (h.mid(257, 5) == "ustar" && h[345] != '\0')
            name = h.mid(345, 155).left(h.mid(345, 155).indexOf('\0')) + '/' + name;
        const QByteArray data = tar.mid(pos + 512, paxSize >= 0 ? paxSize : size);
        if (paxSize >= 0)
            size = paxSize;
        pos += 512 + (size + 511) / 512 * 512;
        if (type == 'x') {
            for (const QByteArray &rec : data.split('\n')) {
                const QByteArray kv = rec.mid(rec.indexOf(' ') + 1);
                if (kv.startsWith("path="))
                    paxPath = kv.mid(5);
                else if (kv.startsWith("size="))
                    paxSize = kv.mid(5).toLongLong();
            }
            continue;
        }
        out.append({QString::fromUtf8(paxPath.isEmpty() ? name : paxPath), Member{type, data}});
        paxPath.clear();
        paxSize = -1;
    }
    return std::nullopt;
}

QJsonValue json(const QByteArray &bytes)
{
    const QJsonDocument doc = QJsonDocument::fromJson(bytes);
    return doc.isArray() ? QJsonValue(doc.array()) : QJsonValue(doc.object());
}

QString blobPath(const Digest &d) { return QStringLiteral("blobs/sha256/") + d.hex(); }

} // namespace

class TestSaver : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void dockerArchive_data();
    void dockerArchive();
    void ociArchive_data();
    void ociArchive();
    void measuredTarSizeIsRecorded();
    void sameImagesSameBytes();
    void failureLeavesNothing_data();
    void failureLeavesNothing();

private:
    SaveItem item(const QString &name, bool byId = false);
    QByteArray save(const QList<SaveItem> &items, SaveFormat format);

    QTemporaryDir m_dir;
    std::shared_ptr<store::Store> m_store;
    QByteArray m_baseTar, m_topTar, m_plainTar; // the layers' tars
    Digest m_baseDiff, m_topDiff, m_plainDiff;
};

void TestSaver::initTestCase()
{
    m_store = *store::Store::open(m_dir.filePath(QStringLiteral("root")));
    test::UstarWriter base;
    base.dir(QStringLiteral("etc"));
    base.file(QStringLiteral("etc/hello"), "hello\n");
    base.file(QStringLiteral("bin/big"), QByteArray(300000, 'x'));
    m_baseTar = base.finish();
    m_baseDiff = Sha256::of(m_baseTar);
    const QByteArray gz = compress(m_baseTar, layer::Compression::Gzip);
    MemorySource input(gz);
    archive::ImportOptions options;
    options.refName = QStringLiteral("docker.io/library/busybox:latest");
    auto imported = archive::importRootfs(*m_store, input, options);
    QVERIFY2(imported, qPrintable(imported.ok() ? QString() : imported.error().message));
    QCOMPARE(imported->diffId, m_baseDiff);
    QCOMPARE(m_store->layerInfo(m_baseDiff)->tarSize, qint64(0)); // compressed: measured when saved

    // Two layers: the imported one, shared, and a zstd one whose size is on record.
    test::UstarWriter top;
    top.file(QStringLiteral("work/notes.txt"), "committed\n");
    m_topTar = top.finish();
    m_topDiff = Sha256::of(m_topTar);
    const QByteArray zst = compress(m_topTar, layer::Compression::Zstd);
    Descriptor topBlob{QString(mediatype::OciLayerZstd), *m_store->content().write(zst), zst.size(), {}, {}, {}, {}};
    QVERIFY(m_store->putLayerInfo(m_topDiff, {10, 1, m_topTar.size()}));
    store::ImageStore images(*m_store);
    auto busybox = images.resolve(QStringLiteral("busybox"));
    QVERIFY(busybox);
    ImageConfig config = busybox->image.config;
    config.setDiffIds({m_baseDiff, m_topDiff});
    Manifest manifest;
    manifest.layers = {busybox->image.manifest.layers[0], topBlob};
    QVERIFY(store::writeImage(*m_store, config, manifest, QStringLiteral("localhost/two:1")));
    QVERIFY(m_store->editIndex([&](store::TagIndex &index) {
        index.setTag(QStringLiteral("localhost/two:2"), index.findTag(QStringLiteral("localhost/two:1"))->descriptor);
        return Status();
    }));

    // A layer stored as a plain tar: its blob is its tar.
    test::UstarWriter plain;
    plain.file(QStringLiteral("plain"), "plain\n");
    m_plainTar = plain.finish();
    m_plainDiff = *m_store->content().write(m_plainTar);
    config.setDiffIds({m_plainDiff});
    manifest.layers = {Descriptor{QString(mediatype::OciLayerTar), m_plainDiff, m_plainTar.size(), {}, {}, {}, {}}};
    QVERIFY(store::writeImage(*m_store, config, manifest, QStringLiteral("localhost/plain:1")));
}

SaveItem TestSaver::item(const QString &name, bool byId)
{
    auto found = store::ImageStore(*m_store).resolve(name);
    if (!found)
        qFatal("resolve %s: %s", qPrintable(name), qPrintable(found.error().message));
    return {found->image, byId ? QStringList() : QStringList{found->matchedRefName}};
}

QByteArray TestSaver::save(const QList<SaveItem> &items, SaveFormat format)
{
    ArraySink sink;
    auto stats = archive::writeImageArchive(*m_store, items, format, sink);
    if (!stats) {
        qWarning("%s", qPrintable(stats.error().message));
        return {};
    }
    if (stats->bytes != sink.bytes.size() || stats->images != items.size())
        return {};
    return sink.bytes;
}

void TestSaver::dockerArchive_data()
{
    QTest::addColumn<QStringList>("names");
    QTest::addColumn<bool>("byId");
    QTest::addColumn<QStringList>("repoTags");   // per image, joined by ','
    QTest::addColumn<QStringList>("layerTars");  // per image: base/top/plain, joined by ','
    QTest::newRow("imported") << QStringList{"busybox:latest"} << false << QStringList{"busybox:latest"} << QStringList{"base"};
    QTest::newRow("two layers") << QStringList{"localhost/two:1"} << false << QStringList{"localhost/two:1"}
                                << QStringList{"base,top"};
    QTest::newRow("shared base once") << QStringList{"busybox:latest", "localhost/two:2"} << false
                                      << QStringList{"busybox:latest", "localhost/two:2"} << QStringList{"base", "base,top"};
    QTest::newRow("plain tar layer") << QStringList{"localhost/plain:1"} << false << QStringList{"localhost/plain:1"}
                                     << QStringList{"plain"};
    QTest::newRow("by ID") << QStringList{"busybox:latest"} << true << QStringList{QString()} << QStringList{"base"};
}

void TestSaver::dockerArchive()
{
    QFETCH(QStringList, names);
    QFETCH(bool, byId);
    QFETCH(QStringList, repoTags);
    QFETCH(QStringList, layerTars);
    QList<SaveItem> items;
    for (const QString &n : names)
        items.append(item(n, byId));
    const auto members = readTar(save(items, SaveFormat::DockerArchive));
    QVERIFY(members);
    QMap<QString, QByteArray> files;
    QStringList order;
    for (const auto &[name, m] : *members) {
        QVERIFY2(!files.contains(name) && !order.contains(name), qPrintable(name)); // every member once
        order.append(name);
        if (m.type != '5')
            files.insert(name, m.data);
    }
    QStringList sorted = order;
    sorted.sort();
    QCOMPARE(order, sorted); // docker's order: blobs first, then the documents
    QCOMPARE(files.value(QStringLiteral("oci-layout")), QByteArray(R"({"imageLayoutVersion":"1.0.0"})"));
    for (auto it = files.constBegin(); it != files.constEnd(); ++it) {
        if (it.key().startsWith(QLatin1String("blobs/")))
            QCOMPARE(Sha256::of(it.value()).hex(), it.key().mid(13));
    }

    const QMap<QString, QByteArray> tars{{"base", m_baseTar}, {"top", m_topTar}, {"plain", m_plainTar}};
    const QJsonArray manifestJson = json(files.value(QStringLiteral("manifest.json"))).toArray();
    QCOMPARE(manifestJson.size(), items.size());
    const QJsonArray index = json(files.value(QStringLiteral("index.json"))).toObject().value("manifests").toArray();
    QSet<QString> expectedBlobs;
    QJsonObject expectedRepos;
    for (qsizetype i = 0; i < items.size(); ++i) {
        const QJsonObject m = manifestJson[i].toObject();
        QCOMPARE(m.value("Config").toString(), blobPath(items[i].image.configDigest));
        QCOMPARE(files.value(m.value("Config").toString()), *m_store->content().read(items[i].image.configDigest));
        expectedBlobs.insert(m.value("Config").toString());
        if (byId)
            QVERIFY(m.value("RepoTags").isNull());
        else
            QCOMPARE(m.value("RepoTags").toArray(), QJsonArray::fromStringList(repoTags[i].split(',')));
        const QStringList layers = layerTars[i].split(',');
        QCOMPARE(m.value("Layers").toArray().size(), layers.size());
        for (qsizetype l = 0; l < layers.size(); ++l) {
            const QString path = m.value("Layers").toArray()[l].toString();
            QCOMPARE(files.value(path), tars[layers[l]]); // uncompressed: its digest is the diff_id
            expectedBlobs.insert(path);
        }
        // Its OCI manifest, in index.json under each tag (or once, bare, by ID).
        QJsonArray descriptors;
        for (const QJsonValue &d : index) {
            const QByteArray manifest = files.value(blobPath(*Digest::parse(d.toObject().value("digest").toString())));
            if (json(manifest).toObject().value("config").toObject().value("digest").toString() == items[i].image.configDigest.toString())
                descriptors.append(d);
        }
        QCOMPARE(descriptors.size(), 1);
        const QJsonObject d = descriptors[0].toObject();
        QCOMPARE(d.value("mediaType").toString(), QString(mediatype::OciManifest));
        if (byId) {
            QVERIFY(!d.contains("annotations"));
        } else {
            const Reference ref = *Reference::parse(items[i].refNames[0]);
            QCOMPARE(d.value("annotations").toObject().value("io.containerd.image.name").toString(), ref.toString());
            QCOMPARE(d.value("annotations").toObject().value("org.opencontainers.image.ref.name").toString(), ref.tag());
            QJsonObject tags = expectedRepos.value(ref.familiarName()).toObject();
            tags.insert(ref.tag(), items[i].image.config.diffIds().last().hex());
            expectedRepos.insert(ref.familiarName(), tags);
        }
        const QString manifestPath = blobPath(*Digest::parse(d.value("digest").toString()));
        expectedBlobs.insert(manifestPath);
        QCOMPARE(qint64(files.value(manifestPath).size()), d.value("size").toInteger());
        const QJsonObject manifest = json(files.value(manifestPath)).toObject();
        QCOMPARE(manifest.value("mediaType").toString(), QString(mediatype::OciManifest));
        QCOMPARE(manifest.value("config").toObject().value("mediaType").toString(), QString(mediatype::OciConfig));
        const QJsonArray ociLayers = manifest.value("layers").toArray();
        QCOMPARE(ociLayers.size(), layers.size());
        for (qsizetype l = 0; l < layers.size(); ++l) {
            QCOMPARE(ociLayers[l].toObject().value("mediaType").toString(), QString(mediatype::OciLayerTar));
            QCOMPARE(ociLayers[l].toObject().value("digest").toString(), Sha256::of(tars[layers[l]]).toString());
            QCOMPARE(ociLayers[l].toObject().value("size").toInteger(), qint64(tars[layers[l]].size()));
        }
    }
    QSet<QString> blobs;
    for (const QString &name : files.keys())
        if (name.startsWith(QLatin1String("blobs/")))
            blobs.insert(name);
    QCOMPARE(blobs, expectedBlobs); // no compressed blob, nothing twice
    if (byId)
        QVERIFY(!files.contains(QStringLiteral("repositories")));
    else
        QCOMPARE(json(files.value(QStringLiteral("repositories"))).toObject(), expectedRepos);
}

void TestSaver::ociArchive_data()
{
    QTest::addColumn<QStringList>("names");
    QTest::addColumn<bool>("byId");
    QTest::newRow("imported") << QStringList{"busybox:latest"} << false;
    QTest::newRow("shared base once") << QStringList{"busybox:latest", "localhost/two:1"} << false;
    QTest::newRow("by ID") << QStringList{"localhost/two:1"} << true;
}

void TestSaver::ociArchive()
{
    QFETCH(QStringList, names);
    QFETCH(bool, byId);
    QList<SaveItem> items;
    for (const QString &n : names)
        items.append(item(n, byId));
    const auto members = readTar(save(items, SaveFormat::OciArchive));
    QVERIFY(members);
    QMap<QString, QByteArray> files;
    for (const auto &[name, m] : *members) {
        QVERIFY2(!files.contains(name), qPrintable(name));
        if (m.type != '5')
            files.insert(name, m.data);
    }
    QSet<QString> expected{QStringLiteral("oci-layout"), QStringLiteral("index.json")};
    const QJsonArray index = json(files.value(QStringLiteral("index.json"))).toObject().value("manifests").toArray();
    QCOMPARE(index.size(), items.size());
    for (qsizetype i = 0; i < items.size(); ++i) {
        const store::StoredImage &image = items[i].image;
        // The stored blobs as they are: same bytes, same digests.
        for (const Digest &d : QList<Digest>{image.manifestDescriptor.digest, image.configDigest})
            expected.insert(blobPath(d));
        for (const Descriptor &l : image.manifest.layers) {
            QCOMPARE(files.value(blobPath(l.digest)), *m_store->content().read(l.digest));
            expected.insert(blobPath(l.digest));
        }
        QCOMPARE(files.value(blobPath(image.manifestDescriptor.digest)), *m_store->content().read(image.manifestDescriptor.digest));
        const QJsonObject d = index[i].toObject();
        QCOMPARE(d.value("digest").toString(), image.manifestDescriptor.digest.toString());
        QCOMPARE(d.value("mediaType").toString(), QString(mediatype::OciManifest));
        if (byId)
            QVERIFY(!d.contains("annotations"));
        else
            QCOMPARE(d.value("annotations").toObject().value("org.opencontainers.image.ref.name").toString(), items[i].refNames[0]);
    }
    QSet<QString> have;
    for (const QString &name : files.keys())
        have.insert(name);
    QCOMPARE(have, expected);
}

void TestSaver::measuredTarSizeIsRecorded()
{
    QVERIFY(!save({item(QStringLiteral("busybox:latest"))}, SaveFormat::DockerArchive).isEmpty());
    const auto info = m_store->layerInfo(m_baseDiff);
    QCOMPARE(info->tarSize, qint64(m_baseTar.size()));
    QVERIFY(info->entries > 0); // what was there stays
    // A writer that does not know the size (0) does not erase it.
    QVERIFY(m_store->putLayerInfo(m_baseDiff, {info->size, info->entries, 0}));
    QCOMPARE(m_store->layerInfo(m_baseDiff)->tarSize, qint64(m_baseTar.size()));
}

void TestSaver::sameImagesSameBytes()
{
    const QList<SaveItem> items{item(QStringLiteral("localhost/two:1")), item(QStringLiteral("busybox:latest"))};
    for (SaveFormat f : {SaveFormat::DockerArchive, SaveFormat::OciArchive}) {
        const QByteArray once = save(items, f);
        QVERIFY(!once.isEmpty());
        QCOMPARE(save(items, f), once);
    }
}

void TestSaver::failureLeavesNothing_data()
{
    QTest::addColumn<QString>("damage");
    QTest::addColumn<int>("format");
    QTest::addColumn<int>("code");
    QTest::addColumn<bool>("sinkUntouched"); // found before the first byte
    const int docker = int(SaveFormat::DockerArchive), oci = int(SaveFormat::OciArchive);
    QTest::newRow("layer corrupt, docker") << "corrupt" << docker << int(ErrorCode::FailedPrecondition) << false;
    QTest::newRow("layer corrupt, oci") << "corrupt" << oci << int(ErrorCode::FailedPrecondition) << false;
    QTest::newRow("tar size recorded wrong") << "tarsize" << docker << int(ErrorCode::FailedPrecondition) << false;
    QTest::newRow("layer missing, docker") << "missing" << docker << int(ErrorCode::NotFound) << true;
    QTest::newRow("layer missing, oci") << "missing" << oci << int(ErrorCode::NotFound) << true;
    QTest::newRow("cancelled") << "cancel" << docker << int(ErrorCode::Cancelled) << true;
    QTest::newRow("cancelled midway") << "cancel midway" << oci << int(ErrorCode::Cancelled) << false;
}

void TestSaver::failureLeavesNothing()
{
    QFETCH(QString, damage);
    QFETCH(int, format);
    QFETCH(int, code);
    QFETCH(bool, sinkUntouched);
    // A store of its own, since the damage is done to it.
    QTemporaryDir dir;
    auto st = *store::Store::open(dir.filePath(QStringLiteral("root")));
    const QByteArray gz = compress(m_baseTar, layer::Compression::Gzip);
    MemorySource input(gz);
    archive::ImportOptions options;
    options.refName = QStringLiteral("docker.io/library/busybox:latest");
    auto imported = archive::importRootfs(*st, input, options);
    QVERIFY(imported);
    const QString blob = st->content().blobPath(imported->layerDigest);
    CancelToken cancel;
    if (damage == QLatin1String("corrupt")) {
        // Still a valid gzip stream, of other bytes.
        QByteArray other = m_baseTar;
        other[600] = 'X';
        ::chmod(QFile::encodeName(blob).constData(), 0644);
        QVERIFY(test::writeFile(blob, compress(other, layer::Compression::Gzip)));
    } else if (damage == QLatin1String("tarsize")) {
        QVERIFY(st->putLayerInfo(imported->diffId, {1, 1, m_baseTar.size() - 512}));
    } else if (damage == QLatin1String("missing")) {
        QVERIFY(QFile::remove(blob));
    } else if (damage == QLatin1String("cancel")) {
        cancel.cancel();
    }
    // "cancel midway": once the first bytes of a blob are out.
    const ProgressSink progress = [&](const ProgressEvent &e) {
        if (damage == QLatin1String("cancel midway") && e.phase == QLatin1String("Saving"))
            cancel.cancel();
    };
    store::ImageStore images(*st);
    auto found = images.resolve(QStringLiteral("busybox"));
    QVERIFY(found);
    const QList<SaveItem> items{{found->image, {found->matchedRefName}}};

    ArraySink sink;
    auto streamed = archive::writeImageArchive(*st, items, SaveFormat(format), sink, cancel, progress);
    QVERIFY(!streamed);
    QCOMPARE(int(streamed.error().code), code);
    QVERIFY(streamed.error().message.startsWith(QLatin1String("save")));
    if (sinkUntouched) {
        QVERIFY(sink.bytes.isEmpty());
    } else { // the bytes already out never end like a whole archive
        QVERIFY(!sink.bytes.isEmpty());
        QVERIFY(!readTar(sink.bytes));
    }
}

QTEST_GUILESS_MAIN(TestSaver)
#include "tst_saver.moc"
