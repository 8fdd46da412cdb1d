// load: archives built here, entry by entry (ustarwriter.h), in each form
// docker, podman and skopeo write them, and hostile ones: each of those
// fails with its sentence, names nothing and leaves only garbage behind.
#include "archive/loader.h"
#include "core/mediatypes.h"
#include "store/imagestore.h"
#include "support/registryfixture.h"
#include "support/testsupport.h"
#include "support/ustarwriter.h"

#include <QDirIterator>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

using namespace porthole;
using porthole::test::runProgram;

namespace {

struct TarEntry {
    QString path;
    QByteArray data;
    QString symlink; // non-empty: a symlink to this
};
using Entries = QList<TarEntry>;

QByteArray render(const Entries &entries)
{
    test::UstarWriter w;
    for (const TarEntry &e : entries) {
        if (e.symlink.isEmpty())
            w.file(e.path, e.data);
        else
            w.symlink(e.path, e.symlink);
    }
    return w.finish();
}

QByteArray compact(const QJsonValue &v)
{
    return v.isArray() ? QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact)
                       : QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact);
}

QByteArray layerTar(int i)
{
    test::UstarWriter w;
    w.dir(QStringLiteral("etc"));
    w.file(QStringLiteral("etc/layer%1").arg(i), "content of layer " + QByteArray::number(i) + '\n');
    return w.finish();
}

QByteArray configFor(const QList<QByteArray> &tars)
{
    QJsonArray diffIds;
    for (const QByteArray &t : tars)
        diffIds.append(Sha256::of(t).toString());
    // Go's field order, not sorted: the image ID must be of these bytes.
    return R"({"architecture":"amd64","os":"linux","config":{"Cmd":["/bin/sh"]},"rootfs":{"type":"layers","diff_ids":)"
        + compact(diffIds) + "}}";
}

QString hexOf(const QByteArray &data) { return Sha256::of(data).hex(); }

QJsonObject descriptor(QLatin1StringView type, const QByteArray &blob)
{
    return {{QStringLiteral("mediaType"), QString(type)}, {QStringLiteral("digest"), Sha256::of(blob).toString()},
            {QStringLiteral("size"), blob.size()}};
}

// docker save before 25: <id>/layer.tar (a repeated layer is a symlink to
// the first copy), <id>/json, <id>/VERSION, <config hex>.json.
struct Built {
    Entries entries;
    QByteArray config;
    QList<QByteArray> layers;
};

Built legacyArchive(const QStringList &tags, qsizetype configPadding = 0)
{
    Built b;
    b.layers = {layerTar(0), layerTar(1), layerTar(0)};
    b.config = configFor(b.layers);
    if (configPadding > 0) // a comment that makes the config that much larger
        b.config = R"({"comment":")" + QByteArray(configPadding, 'c') + "\"," + b.config.mid(1);
    QJsonArray layerPaths;
    for (int i = 0; i < b.layers.size(); ++i) {
        const QString id = hexOf("v1 id " + QByteArray::number(i));
        b.entries.append({id + QStringLiteral("/VERSION"), "1.0"});
        b.entries.append({id + QStringLiteral("/json"), "{}"});
        if (i == 2)
            b.entries.append({id + QStringLiteral("/layer.tar"), {}, QStringLiteral("../%1/layer.tar").arg(hexOf("v1 id 0"))});
        else
            b.entries.append({id + QStringLiteral("/layer.tar"), b.layers[i]});
        layerPaths.append(id + QStringLiteral("/layer.tar"));
    }
    b.entries.append({hexOf(b.config) + QStringLiteral(".json"), b.config});
    const QJsonObject image{{QStringLiteral("Config"), hexOf(b.config) + QStringLiteral(".json")},
                            {QStringLiteral("RepoTags"), QJsonArray::fromStringList(tags)},
                            {QStringLiteral("Layers"), layerPaths}};
    b.entries.append({QStringLiteral("manifest.json"), compact(QJsonArray{image})});
    b.entries.append({QStringLiteral("repositories"), "{}"});
    return b;
}

// docker save 25+: an OCI layout plus manifest.json naming blobs/sha256 paths.
Built dockerOciArchive(const QString &tag)
{
    Built b;
    b.layers = {layerTar(7)};
    b.config = configFor(b.layers);
    const QByteArray manifest = compact(QJsonObject{
        {QStringLiteral("schemaVersion"), 2}, {QStringLiteral("mediaType"), QString(mediatype::OciManifest)},
        {QStringLiteral("config"), descriptor(mediatype::OciConfig, b.config)},
        {QStringLiteral("layers"), QJsonArray{descriptor(mediatype::OciLayerTar, b.layers[0])}}});
    QJsonObject entry = descriptor(mediatype::OciManifest, manifest);
    entry[QStringLiteral("annotations")] = QJsonObject{{QStringLiteral("io.containerd.image.name"), QStringLiteral("docker.io/library/") + tag},
                                                       {QStringLiteral("org.opencontainers.image.ref.name"), tag.section(u':', 1)}};
    b.entries = {{QStringLiteral("blobs/sha256/") + hexOf(b.layers[0]), b.layers[0]},
                 {QStringLiteral("blobs/sha256/") + hexOf(b.config), b.config},
                 {QStringLiteral("blobs/sha256/") + hexOf(manifest), manifest},
                 {QStringLiteral("index.json"), compact(QJsonObject{{QStringLiteral("schemaVersion"), 2},
                                                                     {QStringLiteral("manifests"), QJsonArray{entry}}})},
                 {QStringLiteral("manifest.json"),
                  compact(QJsonArray{QJsonObject{{QStringLiteral("Config"), QStringLiteral("blobs/sha256/") + hexOf(b.config)},
                                                 {QStringLiteral("RepoTags"), QJsonArray{tag}},
                                                 {QStringLiteral("Layers"), QJsonArray{QStringLiteral("blobs/sha256/") + hexOf(b.layers[0])}}}})},
                 {QStringLiteral("oci-layout"), R"({"imageLayoutVersion":"1.0.0"})"},
                 {QStringLiteral("repositories"), "{}"}};
    return b;
}

// An OCI layout directory (written by the shared fixture) as archive entries.
Entries entriesOf(const QString &dir)
{
    Entries entries;
    QDirIterator it(dir, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        QFile f(path);
        if (f.open(QIODevice::ReadOnly))
            entries.append({QDir(dir).relativeFilePath(path), f.readAll()});
    }
    return entries;
}

QByteArray compressed(const char *tool, const QByteArray &data)
{
    const test::RunResult r = runProgram(QString::fromLatin1(tool), {QStringLiteral("-c")}, data);
    return r.exitCode == 0 ? r.out : QByteArray();
}

Entries replaced(Entries entries, const QString &path, const QByteArray &data)
{
    for (TarEntry &e : entries) {
        if (e.path == path)
            e.data = data;
    }
    return entries;
}

} // namespace

class TestLoader : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init();
    void legacyDockerArchive();
    void ociBasedDockerArchive();
    void ociArchiveWithNestedIndex();
    void compressedArchive_data();
    void compressedArchive();
    void existingTagMoves();
    void refNames_data();
    void refNames();
    void hostile_data();
    void hostile();
    void failingBeforeNameNamesNothing();
    void bigConfigLoadsAndSurvivesGc();

private:
    Result<archive::LoadResult> load(const QByteArray &archive, archive::LoadOptions options = {})
    {
        MemorySource source(archive);
        return archive::loadArchive(*m_store, source, options);
    }
    QStringList blobs() const { return test::dirEntries(m_dir->filePath(QStringLiteral("blobs/sha256"))); }

    std::unique_ptr<QTemporaryDir> m_dir;
    std::shared_ptr<store::Store> m_store;
};

void TestLoader::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    auto opened = store::Store::open(m_dir->path());
    QVERIFY2(opened, qPrintable(opened ? QString() : opened.error().message));
    m_store = *opened;
}

void TestLoader::legacyDockerArchive()
{
    const Built b = legacyArchive({QStringLiteral("busybox:latest"), QStringLiteral("localhost/x:1")});
    auto loaded = load(render(b.entries));
    QVERIFY2(loaded, qPrintable(loaded ? QString() : loaded.error().message));
    QCOMPARE(loaded->format, archive::ArchiveFormat::DockerArchive);
    QCOMPARE(loaded->images.size(), 1);
    const archive::LoadedImage &image = loaded->images[0];
    QCOMPARE(image.configDigest, Sha256::of(b.config)); // the image ID survives
    QCOMPARE(image.refNames, QStringList({QStringLiteral("docker.io/library/busybox:latest"), QStringLiteral("localhost/x:1")}));
    QCOMPARE(image.layers.size(), 3);
    QCOMPARE(image.layers[2].digest, Sha256::of(b.layers[0])); // through the symlink
    store::ImageStore images(*m_store);
    auto found = images.resolve(QStringLiteral("busybox"));
    QVERIFY(found);
    QCOMPARE(found->image.configDigest, Sha256::of(b.config));
    QCOMPARE(found->image.manifest.mediaType, QString(mediatype::OciManifest));
    for (const Descriptor &l : found->image.manifest.layers) {
        QCOMPARE(l.mediaType, QString(mediatype::OciLayerTar));
        QVERIFY(m_store->content().has(l.digest));
    }
}

void TestLoader::ociBasedDockerArchive()
{
    const Built b = dockerOciArchive(QStringLiteral("busybox:1.36"));
    auto loaded = load(render(b.entries));
    QVERIFY2(loaded, qPrintable(loaded ? QString() : loaded.error().message));
    QCOMPARE(loaded->format, archive::ArchiveFormat::DockerArchive); // manifest.json wins
    QCOMPARE(loaded->images[0].refNames, QStringList{QStringLiteral("docker.io/library/busybox:1.36")});
    QCOMPARE(loaded->images[0].configDigest, Sha256::of(b.config));
    QVERIFY(store::ImageStore(*m_store).resolve(QStringLiteral("busybox:1.36")));
}

void TestLoader::ociArchiveWithNestedIndex()
{
    QTemporaryDir layoutDir;
    test::OciLayoutWriter layout(layoutDir.path());
    auto mine = layout.addImage(QString(), {3000, 5000}, store::hostArchitecture(), 1);
    auto other = layout.addImage(QString(), {4000}, QStringLiteral("s390x"), 2);
    QVERIFY(mine && other);
    QVERIFY(layout.addIndex(QStringLiteral("localhost/multi:1"), {*other, *mine}, {QStringLiteral("s390x"), store::hostArchitecture()}));
    auto loaded = load(render(entriesOf(layoutDir.path())));
    QVERIFY2(loaded, qPrintable(loaded ? QString() : loaded.error().message));
    QCOMPARE(loaded->format, archive::ArchiveFormat::OciArchive);
    QCOMPARE(loaded->images.size(), 1);
    const archive::LoadedImage &image = loaded->images[0];
    QCOMPARE(image.refNames, QStringList{QStringLiteral("localhost/multi:1")});
    QCOMPARE(image.configDigest, mine->configDigest);
    // An OCI manifest with OCI types is kept byte for byte; its gzip layers
    // were decompressed in the pass to check their diff IDs.
    QCOMPARE(image.manifest.digest, mine->manifestDigest);
    QCOMPARE(image.layers.size(), 2);
    QCOMPARE(image.layers[0].mediaType, QString(mediatype::OciLayerGzip));
    auto found = store::ImageStore(*m_store).resolve(QStringLiteral("localhost/multi:1"));
    QVERIFY(found);
    QCOMPARE(found->image.configDigest, mine->configDigest);
}

void TestLoader::compressedArchive_data()
{
    QTest::addColumn<QString>("tool");
    QTest::newRow("gzip") << QStringLiteral("gzip");
    QTest::newRow("zstd") << QStringLiteral("zstd");
    QTest::newRow("xz") << QStringLiteral("xz");
}

void TestLoader::compressedArchive()
{
    QFETCH(QString, tool);
    if (!test::haveProgram(tool))
        QSKIP(qPrintable(tool + QStringLiteral(" is not installed")));
    const Built b = legacyArchive({QStringLiteral("localhost/packed:") + tool});
    const QByteArray packed = compressed(qPrintable(tool), render(b.entries));
    QVERIFY(!packed.isEmpty());
    auto loaded = load(packed);
    QVERIFY2(loaded, qPrintable(loaded ? QString() : loaded.error().message));
    QCOMPARE(loaded->images[0].configDigest, Sha256::of(b.config));
    QVERIFY(store::ImageStore(*m_store).resolve(QStringLiteral("localhost/packed:") + tool));
}

void TestLoader::existingTagMoves()
{
    QVERIFY(load(render(legacyArchive({QStringLiteral("busybox:latest")}).entries)));
    const Built second = dockerOciArchive(QStringLiteral("busybox:latest"));
    QVERIFY(load(render(second.entries)));
    store::ImageStore images(*m_store);
    QCOMPARE(images.resolve(QStringLiteral("busybox"))->image.configDigest, Sha256::of(second.config));
    // The image that lost the name stays, untagged, as docker leaves it.
    QCOMPARE(images.list()->size(), 2);
}

void TestLoader::refNames_data()
{
    QTest::addColumn<QString>("containerd");
    QTest::addColumn<QString>("refName");
    QTest::addColumn<QString>("expected");
    QTest::newRow("podman save: full reference") << QString() << QStringLiteral("localhost/demo:latest") << QStringLiteral("localhost/demo:latest");
    QTest::newRow("skopeo name:tag") << QString() << QStringLiteral("busybox:1") << QStringLiteral("docker.io/library/busybox:1");
    QTest::newRow("bare tag names nothing") << QString() << QStringLiteral("latest") << QString();
    QTest::newRow("containerd name wins") << QStringLiteral("docker.io/library/alpine:3") << QStringLiteral("3")
                                          << QStringLiteral("docker.io/library/alpine:3");
    QTest::newRow("no tag: latest") << QString() << QStringLiteral("quay.io/x/y") << QStringLiteral("quay.io/x/y:latest");
    QTest::newRow("nothing") << QString() << QString() << QString();
}

void TestLoader::refNames()
{
    QFETCH(QString, containerd);
    QFETCH(QString, refName);
    QFETCH(QString, expected);
    QMap<QString, QString> annotations;
    if (!containerd.isEmpty())
        annotations.insert(QStringLiteral("io.containerd.image.name"), containerd);
    if (!refName.isEmpty())
        annotations.insert(QStringLiteral("org.opencontainers.image.ref.name"), refName);
    auto name = archive::refNameFromAnnotations(annotations);
    QVERIFY(name);
    QCOMPARE(*name, expected);
    QVERIFY(!archive::refNameFromAnnotations({{QStringLiteral("org.opencontainers.image.ref.name"), QStringLiteral("Bad/Name:x")}}));
}

void TestLoader::hostile_data()
{
    QTest::addColumn<QByteArray>("archive");
    QTest::addColumn<QString>("error");
    const Built legacy = legacyArchive({QStringLiteral("busybox:latest")});
    const QString configName = hexOf(legacy.config) + QStringLiteral(".json");
    const QString layer0 = hexOf("v1 id 0") + QStringLiteral("/layer.tar");
    const QString layer1 = hexOf("v1 id 1") + QStringLiteral("/layer.tar");
    auto withLayers = [&](const QJsonArray &layers, Entries extra = {}) {
        const QJsonObject image{{QStringLiteral("Config"), configName},
                                {QStringLiteral("RepoTags"), QJsonArray{QStringLiteral("busybox:latest")}},
                                {QStringLiteral("Layers"), layers}};
        return render(replaced(legacy.entries, QStringLiteral("manifest.json"), compact(QJsonArray{image})) + extra);
    };
    QTest::newRow("layer path with ..") << withLayers({QStringLiteral("../x/layer.tar"), layer0, layer0}) << QStringLiteral("climbs out of the archive");
    QTest::newRow("absolute layer path") << withLayers({QStringLiteral("/etc/passwd"), layer0, layer0}) << QStringLiteral("absolute path");
    QTest::newRow("symlink chain out")
        << withLayers({QStringLiteral("a/layer.tar"), layer0, layer0},
                      {{QStringLiteral("a/layer.tar"), {}, QStringLiteral("../b/layer.tar")}, {QStringLiteral("b/layer.tar"), {}, QStringLiteral("../../../etc/passwd")}})
        << QStringLiteral("outside the archive");
    QTest::newRow("absolute symlink") << withLayers({QStringLiteral("a/layer.tar"), layer0, layer0}, {{QStringLiteral("a/layer.tar"), {}, QStringLiteral("/etc/passwd")}})
                                      << QStringLiteral("outside the archive");
    QTest::newRow("symlink loop") << withLayers({QStringLiteral("a"), layer0, layer0}, {{QStringLiteral("a"), {}, QStringLiteral("b")}, {QStringLiteral("b"), {}, QStringLiteral("a")}})
                                  << QStringLiteral("too many levels of links");
    QTest::newRow("missing layer") << withLayers({QStringLiteral("nothere/layer.tar"), layer0, layer0}) << QStringLiteral("is not in the archive");
    {
        Entries e = legacy.entries;
        e.removeIf([&](const TarEntry &x) { return x.path == configName; });
        QTest::newRow("config not in the archive") << render(e) << QStringLiteral("is not in the archive");
    }
    QTest::newRow("diff ID mismatch") << withLayers({layer1, layer0, layer0}) << QStringLiteral("diff ID");
    QTest::newRow("duplicate entry") << render(legacy.entries + Entries{{layer0, layerTar(5)}}) << QStringLiteral("two entries named");
    QTest::newRow("duplicate manifest.json") << render(legacy.entries + Entries{{QStringLiteral("manifest.json"), "[]"}}) << QStringLiteral("two entries named manifest.json");
    QTest::newRow("config named by another digest") << render(replaced(legacy.entries, configName, legacy.config + ' '))
                                                    << QStringLiteral("content has digest");
    {
        const Built huge = legacyArchive({QStringLiteral("busybox:latest")}, 16 << 20);
        QTest::newRow("config over the limit")
            << render(huge.entries)
            << QStringLiteral("manifest.json[0]: the image config %1 is %2 bytes, more than the limit of 16 MiB")
                   .arg(Sha256::of(huge.config).toString())
                   .arg(huge.config.size());
    }
    QTest::newRow("layer is gzip bomb") << render(replaced(legacy.entries, layer0, compressed("gzip", QByteArray(8 << 20, '\0'))))
                                        << QStringLiteral("decompression bomb");
    QTest::newRow("archive is gzip bomb") << compressed("gzip", render(legacy.entries + Entries{{QStringLiteral("zeros"), QByteArray(8 << 20, '\0')}}))
                                          << QStringLiteral("decompression bomb");
    Entries many = legacy.entries;
    for (int i = 0; i < 200; ++i)
        many.append({QStringLiteral("junk/%1").arg(i), "x"});
    QTest::newRow("too many entries") << render(many) << QStringLiteral("more than the limit of 100 entries");
    QTest::newRow("not a tar") << QByteArray(2048, 'x') << QStringLiteral("not a tar archive");
    QTest::newRow("empty input") << QByteArray() << QStringLiteral("empty");
    QTest::newRow("bad RepoTags") << render(replaced(legacy.entries, QStringLiteral("manifest.json"),
                                                     QByteArray(compact(QJsonArray{QJsonObject{{QStringLiteral("Config"), configName},
                                                                                             {QStringLiteral("RepoTags"), QJsonArray{QStringLiteral("UPPER:x")}},
                                                                                             {QStringLiteral("Layers"), QJsonArray{layer0, layer1, layer0}}}}))))
                                  << QStringLiteral("not a valid REPOSITORY:TAG");

    // OCI archives: index.json and the manifests it leads to.
    const Built oci = dockerOciArchive(QStringLiteral("busybox:latest"));
    Entries ociOnly = oci.entries;
    ociOnly.removeIf([](const TarEntry &e) { return e.path == QLatin1String("manifest.json"); });
    const QByteArray manifest = [&] {
        for (const TarEntry &e : oci.entries) {
            if (e.data.contains("\"layers\":["))
                return e.data;
        }
        return QByteArray();
    }();
    auto withIndexEntry = [&](const QJsonObject &entry, Entries extra) {
        return render(replaced(ociOnly, QStringLiteral("index.json"), compact(QJsonObject{{QStringLiteral("schemaVersion"), 2},
                                                                                          {QStringLiteral("manifests"), QJsonArray{entry}}}))
                      + extra);
    };
    auto withManifest = [&](const QByteArray &changed) {
        return withIndexEntry(descriptor(mediatype::OciManifest, changed), {{QStringLiteral("blobs/sha256/") + hexOf(changed), changed}});
    };
    QTest::newRow("unknown manifest media type") << withIndexEntry(descriptor(QLatin1StringView("application/vnd.example+json"), manifest), {})
                                                 << QStringLiteral("neither an image manifest nor an index");
    QByteArray unknownLayer = manifest;
    unknownLayer.replace(QByteArray(mediatype::OciLayerTar.data()), "application/vnd.example.layer");
    QTest::newRow("unknown layer media type") << withManifest(unknownLayer) << QStringLiteral("no layer type");
    QByteArray artifact = manifest;
    artifact.replace(QByteArray(mediatype::OciConfig.data()), QByteArray(mediatype::OciEmpty.data()));
    QTest::newRow("artifact, not an image") << withManifest(artifact) << QStringLiteral("not a container image");
    QByteArray wrongCompression = manifest;
    wrongCompression.replace(QByteArray(mediatype::OciLayerTar.data()), QByteArray(mediatype::OciLayerGzip.data()));
    QTest::newRow("layer declared gzip, plain") << withManifest(wrongCompression) << QStringLiteral("declared gzip");
    const QByteArray foreignIndex = compact(QJsonObject{
        {QStringLiteral("schemaVersion"), 2}, {QStringLiteral("mediaType"), QString(mediatype::OciIndex)},
        {QStringLiteral("manifests"), QJsonArray{[&] {
             QJsonObject d = descriptor(mediatype::OciManifest, manifest);
             d[QStringLiteral("platform")] = QJsonObject{{QStringLiteral("os"), QStringLiteral("linux")}, {QStringLiteral("architecture"), QStringLiteral("s390x")}};
             return d;
         }()}}});
    QTest::newRow("no manifest for this platform")
        << withIndexEntry(descriptor(mediatype::OciIndex, foreignIndex), {{QStringLiteral("blobs/sha256/") + hexOf(foreignIndex), foreignIndex}})
        << QStringLiteral("no manifest for linux/");
    QTest::newRow("blob named by another digest") << render(replaced(ociOnly, QStringLiteral("blobs/sha256/") + hexOf(manifest), manifest + ' '))
                                                  << QStringLiteral("content has digest");
}

void TestLoader::hostile()
{
    QFETCH(QByteArray, archive);
    QFETCH(QString, error);
    // An image that already has the name the hostile archives claim.
    auto first = load(render(dockerOciArchive(QStringLiteral("busybox:latest")).entries));
    QVERIFY(first);
    QVERIFY(m_store->collectGarbage());
    const QByteArray indexBefore = m_store->readIndex()->toJson();
    const QStringList blobsBefore = blobs();

    archive::LoadOptions options;
    options.limits.ratioGraceBytes = 1 << 20;
    options.limits.maxEntries = 100;
    auto loaded = load(archive, options);
    QVERIFY(!loaded);
    QVERIFY2(loaded.error().message.startsWith(QLatin1String("load: ")), qPrintable(loaded.error().message));
    QVERIFY2(loaded.error().message.contains(error), qPrintable(loaded.error().message));
    QCOMPARE(m_store->readIndex()->toJson(), indexBefore);
    QVERIFY(m_store->collectGarbage());
    QCOMPARE(blobs(), blobsBefore);
}

void TestLoader::failingBeforeNameNamesNothing()
{
    archive::LoadOptions options;
    int calls = 0;
    options.beforeName = [&](const QList<archive::LoadedImage> &images) -> Status {
        ++calls;
        if (images.size() != 1 || images[0].layers.size() != 3)
            return Error(ErrorCode::Internal, QStringLiteral("unexpected images"));
        return Error(ErrorCode::InvalidArgument, QStringLiteral("unpack refused"));
    };
    auto loaded = load(render(legacyArchive({QStringLiteral("busybox:latest")}).entries), options);
    QVERIFY(!loaded);
    QCOMPARE(loaded.error().message, QStringLiteral("unpack refused"));
    QCOMPARE(calls, 1);
    QVERIFY(m_store->readIndex()->entries().isEmpty());
    QVERIFY(m_store->collectGarbage());
    QVERIFY(blobs().isEmpty());
}

// 5 MiB of config (a long comment) is within the document limit: the image
// loads, and a garbage collection keeps all of it.
void TestLoader::bigConfigLoadsAndSurvivesGc()
{
    const Built big = legacyArchive({QStringLiteral("big:1")}, 5 << 20);
    auto loaded = load(render(big.entries));
    QVERIFY2(loaded, qPrintable(loaded ? QString() : loaded.error().message));
    QCOMPARE(loaded->images.size(), 1);
    QCOMPARE(loaded->images[0].configDigest, Sha256::of(big.config));
    const QStringList before = blobs();
    QVERIFY(before.contains(hexOf(big.config)));
    const auto collected = m_store->collectGarbage();
    QVERIFY2(collected, qPrintable(collected ? QString() : collected.error().message));
    QCOMPARE(blobs(), before);
    QVERIFY(store::ImageStore(*m_store).resolve(QStringLiteral("big:1")));
}

QTEST_GUILESS_MAIN(TestLoader)
#include "tst_loader.moc"
