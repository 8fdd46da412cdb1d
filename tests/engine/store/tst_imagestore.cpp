// ImageStore turns what a user typed into one image the way docker does, and
// lists each image once with all its names, skipping entries that are not
// images of ours instead of failing the whole listing.
#include "store/imagestore.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSysInfo>
#include <QTemporaryDir>
#include <QTest>

using namespace porthole;
using namespace porthole::store;

namespace {

const QString kManifestType = QStringLiteral("application/vnd.oci.image.manifest.v1+json");

QJsonObject descriptor(const QString &mediaType, const Digest &d, qint64 size)
{
    return {{QStringLiteral("mediaType"), mediaType}, {QStringLiteral("digest"), d.toString()}, {QStringLiteral("size"), double(size)}};
}

struct Written {
    QJsonObject descriptor; // of the manifest
    Digest config;
};

Written writeImage(Store &store, const QString &comment, const QString &arch = hostArchitecture())
{
    const QByteArray layer = comment.toUtf8() + " layer";
    const Digest layerDigest = *store.content().write(layer);
    const QJsonObject config{{QStringLiteral("architecture"), arch},
                             {QStringLiteral("os"), QStringLiteral("linux")},
                             {QStringLiteral("comment"), comment},
                             {QStringLiteral("rootfs"), QJsonObject{{QStringLiteral("type"), QStringLiteral("layers")},
                                                                    {QStringLiteral("diff_ids"), QJsonArray{layerDigest.toString()}}}}};
    const QByteArray configJson = QJsonDocument(config).toJson(QJsonDocument::Compact);
    const Digest configDigest = *store.content().write(configJson);
    const QJsonObject manifest{
        {QStringLiteral("schemaVersion"), 2},
        {QStringLiteral("mediaType"), kManifestType},
        {QStringLiteral("config"), descriptor(QStringLiteral("application/vnd.oci.image.config.v1+json"), configDigest, configJson.size())},
        {QStringLiteral("layers"), QJsonArray{descriptor(QStringLiteral("application/vnd.oci.image.layer.v1.tar"), layerDigest, layer.size())}}};
    const QByteArray manifestJson = QJsonDocument(manifest).toJson(QJsonDocument::Compact);
    return {descriptor(kManifestType, *store.content().write(manifestJson), manifestJson.size()), configDigest};
}

Digest digestOf(const QJsonObject &descriptor) { return *Digest::parse(descriptor.value(QStringLiteral("digest")).toString()); }

} // namespace

class TestImageStore : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void resolve_data();
    void resolve();
    void ambiguousIdPrefix();
    void listGroupsNamesAndSkipsForeignEntries();
    void multiPlatformIndexPicksThisMachine();
    void sizesFromLayerInfo();
    void hostArchitectureUsesGoNames();

private:
    QTemporaryDir m_dir;
    std::shared_ptr<Store> m_store;
    Written m_x, m_y, m_dangling;
};

void TestImageStore::initTestCase()
{
    m_store = *Store::open(m_dir.path());
    m_x = writeImage(*m_store, QStringLiteral("x"));
    m_y = writeImage(*m_store, QStringLiteral("y"));
    m_dangling = writeImage(*m_store, QStringLiteral("dangling"));
    QVERIFY(m_store->editIndex([&](TagIndex &index) {
        index.setTag(QStringLiteral("localhost/x:1"), m_x.descriptor);
        index.setTag(QStringLiteral("docker.io/library/busybox:latest"), m_x.descriptor);
        index.setTag(QStringLiteral("docker.io/user/y:2.0"), m_y.descriptor);
        index.addUntagged(m_dangling.descriptor);
        return Status();
    }));
}

void TestImageStore::resolve_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("image");   // "x", "y", "dangling", or "" for not found
    QTest::addColumn<QString>("matched"); // matchedRefName
    QTest::addColumn<QString>("error");   // part of the message when not found

    QTest::newRow("full name") << "localhost/x:1" << "x" << "localhost/x:1" << QString();
    QTest::newRow("familiar name gets :latest") << "busybox" << "x" << "docker.io/library/busybox:latest" << QString();
    QTest::newRow("familiar with tag") << "busybox:latest" << "x" << "docker.io/library/busybox:latest" << QString();
    QTest::newRow("docker.io spelled out") << "docker.io/library/busybox" << "x" << "docker.io/library/busybox:latest" << QString();
    QTest::newRow("user repo") << "user/y:2.0" << "y" << "docker.io/user/y:2.0" << QString();
    QTest::newRow("missing default tag") << "localhost/x" << QString() << QString() << "No such image: localhost/x:latest";
    QTest::newRow("wrong tag") << "user/y:2" << QString() << QString() << "No such image: user/y:2";
    QTest::newRow("unknown name") << "nothing" << QString() << QString() << "No such image: nothing:latest";
    QTest::newRow("invalid reference") << "UPPER:case!" << QString() << QString() << "invalid reference format";
}

void TestImageStore::resolve()
{
    QFETCH(QString, input);
    QFETCH(QString, image);
    QFETCH(QString, matched);
    QFETCH(QString, error);
    const ImageStore images(*m_store);
    const auto found = images.resolve(input);
    if (image.isEmpty()) {
        QVERIFY(!found);
        QVERIFY2(found.error().message.contains(error), qPrintable(found.error().message));
        return;
    }
    QVERIFY2(found, qPrintable(found ? QString() : found.error().message));
    const Written &want = image == QLatin1String("x") ? m_x : m_y;
    QCOMPARE(found->image.configDigest, want.config);
    QCOMPARE(found->image.descriptor.digest, digestOf(want.descriptor));
    QCOMPARE(found->matchedRefName, matched);
}

void TestImageStore::ambiguousIdPrefix()
{
    const ImageStore images(*m_store);
    const QString xId = m_x.config.hex(), dId = m_dangling.config.hex();
    for (const QString &id : {xId, QStringLiteral("sha256:") + xId, xId.left(12), xId.left(3)}) {
        const auto found = images.resolve(id);
        QVERIFY2(found, qPrintable(id));
        QCOMPARE(found->image.configDigest, m_x.config);
        QVERIFY(found->matchedRefName.isEmpty());
        QCOMPARE(QSet<QString>(found->image.refNames.begin(), found->image.refNames.end()),
                 (QSet<QString>{QStringLiteral("localhost/x:1"), QStringLiteral("docker.io/library/busybox:latest")}));
    }
    QCOMPARE(images.resolve(dId.left(12))->image.configDigest, m_dangling.config); // untagged: by ID only

    // By manifest digest under a name it is known by, and only that.
    const QString byDigest = QStringLiteral("localhost/x@") + digestOf(m_x.descriptor).toString();
    QCOMPARE(images.resolve(byDigest)->image.configDigest, m_x.config);
    QVERIFY(images.resolve(byDigest)->matchedRefName.isEmpty());
    QCOMPARE(images.resolve(QStringLiteral("localhost/other@") + digestOf(m_x.descriptor).toString()).error().code,
             ErrorCode::NotFound);

    // One hex digit shared by two image IDs is ambiguous; find such a digit.
    QMap<QChar, int> firstDigits;
    for (const Written *w : {&m_x, &m_y, &m_dangling})
        firstDigits[w->config.hex().at(0)]++;
    Written extra;
    for (int i = 0; firstDigits.key(2, QChar()).isNull() && firstDigits.key(3, QChar()).isNull(); ++i) {
        extra = writeImage(*m_store, QStringLiteral("extra %1").arg(i));
        if (firstDigits.contains(extra.config.hex().at(0))) {
            QVERIFY(m_store->editIndex([&](TagIndex &index) {
                index.setTag(QStringLiteral("localhost/extra:1"), extra.descriptor);
                return Status();
            }));
            firstDigits[extra.config.hex().at(0)]++;
        }
    }
    const QChar shared = firstDigits.key(2, QChar()).isNull() ? firstDigits.key(3) : firstDigits.key(2);
    const auto ambiguous = images.resolve(QString(shared));
    QVERIFY(!ambiguous);
    QCOMPARE(ambiguous.error().code, ErrorCode::InvalidArgument);
    QVERIFY2(ambiguous.error().message.contains(QStringLiteral("matches")), qPrintable(ambiguous.error().message));
    QVERIFY(m_store->editIndex([](TagIndex &index) {
        index.removeTag(QStringLiteral("localhost/extra:1"), false);
        return Status();
    }));
}

void TestImageStore::listGroupsNamesAndSkipsForeignEntries()
{
    QTemporaryDir dir;
    auto store = *Store::open(dir.path());
    const Written x = writeImage(*store, QStringLiteral("x")), d = writeImage(*store, QStringLiteral("d"));
    const Digest artifact = *store->content().write(R"({"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[]})");
    QVERIFY(store->editIndex([&](TagIndex &index) {
        index.setTag(QStringLiteral("localhost/x:1"), x.descriptor);
        index.setTag(QStringLiteral("localhost/x:2"), x.descriptor);
        index.addUntagged(d.descriptor);
        // Another tool's entries: a blob we do not have, an index with no
        // manifest for this machine.
        index.setTag(QStringLiteral("elsewhere"), descriptor(kManifestType, Sha256::of("not here"), 10));
        index.setTag(QStringLiteral("empty-index"), descriptor(QStringLiteral("application/vnd.oci.image.index.v1+json"), artifact, 80));
        return Status();
    }));
    const auto all = ImageStore(*store).list();
    QVERIFY2(all, qPrintable(all ? QString() : all.error().message));
    QCOMPARE(all->size(), 2);
    QMap<Digest, QStringList> names;
    for (const StoredImage &image : *all) {
        QStringList n = image.refNames;
        n.sort();
        names.insert(image.configDigest, n);
    }
    QCOMPARE(names.value(x.config), (QStringList{QStringLiteral("localhost/x:1"), QStringLiteral("localhost/x:2")}));
    QVERIFY(names.contains(d.config));
    QCOMPARE(names.value(d.config), QStringList());
}

void TestImageStore::multiPlatformIndexPicksThisMachine()
{
    QTemporaryDir dir;
    auto store = *Store::open(dir.path());
    const Written mine = writeImage(*store, QStringLiteral("mine"));
    const QString otherArch = hostArchitecture() == QLatin1String("s390x") ? QStringLiteral("amd64") : QStringLiteral("s390x");
    const Written other = writeImage(*store, QStringLiteral("other"), otherArch);
    auto withPlatform = [](QJsonObject d, const QString &arch) {
        d.insert(QStringLiteral("platform"), QJsonObject{{QStringLiteral("os"), QStringLiteral("linux")}, {QStringLiteral("architecture"), arch}});
        return d;
    };
    // The other platform comes first, and a child we do not have is normal.
    const QJsonObject index{{QStringLiteral("schemaVersion"), 2},
                            {QStringLiteral("mediaType"), QStringLiteral("application/vnd.oci.image.index.v1+json")},
                            {QStringLiteral("manifests"), QJsonArray{withPlatform(descriptor(kManifestType, Sha256::of("absent"), 5), hostArchitecture()),
                                                                     withPlatform(other.descriptor, otherArch),
                                                                     withPlatform(mine.descriptor, hostArchitecture())}}};
    const QByteArray indexJson = QJsonDocument(index).toJson(QJsonDocument::Compact);
    const Digest indexDigest = *store->content().write(indexJson);
    QVERIFY(store->editIndex([&](TagIndex &idx) {
        idx.setTag(QStringLiteral("localhost/multi:1"), descriptor(QStringLiteral("application/vnd.oci.image.index.v1+json"), indexDigest, indexJson.size()));
        return Status();
    }));
    const auto found = ImageStore(*store).resolve(QStringLiteral("localhost/multi:1"));
    QVERIFY2(found, qPrintable(found ? QString() : found.error().message));
    QCOMPARE(found->image.configDigest, mine.config);
    QCOMPARE(found->image.descriptor.digest, indexDigest); // the image is the index as tagged
}

void TestImageStore::sizesFromLayerInfo()
{
    const ImageStore images(*m_store);
    const StoredImage x = images.resolve(QStringLiteral("localhost/x:1"))->image;
    const qint64 blobSize = x.manifest.layers.first().size;
    QCOMPARE(images.size(x), blobSize); // no layer info: the blob size stands in
    QVERIFY(m_store->putLayerInfo(x.config.diffIds().first(), {4242, 3}));
    QCOMPARE(images.layerSizes(x), QList<qint64>{4242});
    QCOMPARE(images.size(x), 4242);
}

void TestImageStore::hostArchitectureUsesGoNames()
{
    // Qt says "x86_64", "power64", "loongarch64"; images say GOARCH.
    static const QStringList goArch{QStringLiteral("386"), QStringLiteral("amd64"), QStringLiteral("arm"), QStringLiteral("arm64"),
                                    QStringLiteral("loong64"), QStringLiteral("mips"), QStringLiteral("mipsle"), QStringLiteral("mips64"),
                                    QStringLiteral("mips64le"), QStringLiteral("ppc64"), QStringLiteral("ppc64le"), QStringLiteral("riscv64"),
                                    QStringLiteral("s390x")};
    QVERIFY2(goArch.contains(hostArchitecture()), qPrintable(hostArchitecture()));
    if (QSysInfo::currentCpuArchitecture() == QLatin1String("x86_64"))
        QCOMPARE(hostArchitecture(), QStringLiteral("amd64"));
}

QTEST_GUILESS_MAIN(TestImageStore)
#include "tst_imagestore.moc"
