// `porthole pull` against a scripted registry that serves bad content (a
// blob whose digest does not match, bodies shorter and longer than their
// descriptors, with or without a Content-Length, bodies that never end, a
// config over the document limit, manifests over it, a Content-Type that
// contradicts the manifest). Every pull ends in a clear error that left
// nothing unverified behind. Recovery: tst_pullrecovery.
#include "support/hostileregistry.h"

#include <QElapsedTimer>

using namespace porthole;
using namespace porthole::test;
using namespace porthole::test::hostile;

class TestPullHostile : public QObject, protected PullFixture {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void failsCleanly_data();
    void failsCleanly();
    void bigConfigSurvivesGarbageCollection();
};

void TestPullHostile::initTestCase()
{
    prepareImage();
}

void TestPullHostile::failsCleanly_data()
{
    QTest::addColumn<Trick>("trick");
    // In the error; "%layer" and "%config" are the bad layer's and the
    // config's digests, "%layersize" and "%configsize" their sizes.
    QTest::addColumn<QStringList>("expected");
    const QString tooLong = QStringLiteral("the registry sent more than the %layersize bytes the manifest gives");
    QTest::newRow("blob digest mismatch") << Trick::DigestMismatch << QStringList{QStringLiteral("%layer")};
    QTest::newRow("body shorter than descriptor") << Trick::BodyShorter << QStringList{QStringLiteral("%layer")};
    QTest::newRow("body longer than descriptor") << Trick::BodyLonger << QStringList{QStringLiteral("%layer")};
    QTest::newRow("one byte longer, no length") << Trick::ChunkedOneByteLonger << QStringList{QStringLiteral("%layer"), tooLong};
    QTest::newRow("endless layer body") << Trick::EndlessLayer << QStringList{QStringLiteral("%layer"), tooLong};
    QTest::newRow("Content-Length disagrees")
        << Trick::LengthLies
        << QStringList{QStringLiteral("%layer"),
                       QStringLiteral("announces a blob of %layersize+1 bytes (Content-Length), but the manifest gives %layersize bytes")};
    QTest::newRow("Content-Range total disagrees")
        << Trick::RangeTotalLies
        << QStringList{QStringLiteral("%layer"), QStringLiteral("announces a blob of %layersize+1 bytes (Content-Range), but the manifest gives %layersize bytes")};
    QTest::newRow("endless config body")
        << Trick::EndlessConfig
        << QStringList{QStringLiteral("%config"), QStringLiteral("the registry sent more than the %configsize bytes the manifest gives")};
    QTest::newRow("config over the limit")
        << Trick::ConfigOverLimit
        << QStringList{QStringLiteral("the image config %config is 16777217 bytes, more than the limit of 16 MiB")};
    QTest::newRow("20 MiB manifest") << Trick::HugeManifest << QStringList{QStringLiteral("larger than the 16 MiB limit")};
    QTest::newRow("endless manifest") << Trick::EndlessManifest << QStringList{QStringLiteral("larger than the 16 MiB limit")};
    QTest::newRow("mediaType mismatch") << Trick::MediaTypeMismatch
                                        << QStringList{QStringLiteral("application/vnd.docker.distribution.manifest.v2+json")};
}

// Every refusal leaves ingest/ empty (a wrong body is not kept to resume
// from), adds neither the bad blob nor a layer without its verified blob,
// and names nothing.
void TestPullHostile::failsCleanly()
{
    QFETCH(Trick, trick);
    QFETCH(QStringList, expected);
    auto s = served(trick);
    TestHttpServer server([s](const TestHttpRequest &req) { return serveRegistry(*s, req); });
    QTemporaryDir root;
    QElapsedTimer timer;
    timer.start();
    const RunResult r = ph(root.path(), {QStringLiteral("pull"), server.authority() + QStringLiteral("/hostile/app:1")});
    QVERIFY2(r.exitCode == 1, r.out + r.err);
    // The endless bodies are 8 GiB: a pull that read them to their end would not be done yet.
    QVERIFY2(timer.elapsed() < 20000, qPrintable(QStringLiteral("the pull took %1 ms").arg(timer.elapsed())));
    const qint64 layerSize = s->blobs.value(s->badLayer).size();
    const QByteArray config = m_image.configDigest.toString().toLatin1();
    for (QString e : expected) {
        e.replace(QStringLiteral("%layersize+1"), QString::number(layerSize + 1))
            .replace(QStringLiteral("%layersize"), QString::number(layerSize))
            .replace(QStringLiteral("%layer"), QString::fromLatin1(s->badLayer))
            .replace(QStringLiteral("%configsize"), QString::number(s->blobs.value(config).size()))
            .replace(QStringLiteral("%config"), QString::fromLatin1(config));
        QVERIFY2(r.err.contains(e.toUtf8()), qPrintable(QStringLiteral("\"%1\" not in: %2").arg(e, QString::fromUtf8(r.err))));
    }
    const QString stray = strayState(root.path(), QString::fromLatin1(s->badLayer));
    QVERIFY2(stray.isEmpty(), qPrintable(stray));
    const QStringList ingest = listing(root.filePath(QStringLiteral("ingest")));
    QVERIFY2(ingest.isEmpty(), qPrintable(ingest.join(u' ')));
    if (trick == Trick::HugeManifest || trick == Trick::EndlessManifest || trick == Trick::MediaTypeMismatch
        || trick == Trick::EndlessConfig || trick == Trick::ConfigOverLimit) {
        // Refused before anything was stored: the config comes before the layers.
        QCOMPARE(QDir(root.filePath(QStringLiteral("blobs/sha256"))).entryList(QDir::Files).size(), 0);
        QCOMPARE(listing(root.filePath(QStringLiteral("layers"))).size(), 0);
    }
}

// A 5 MiB config (a large label) is within the document limit: pull takes
// it, and a garbage collection (run by rmi of another image) keeps the
// image's blobs and unpacked layers, and inspect still reads it.
void TestPullHostile::bigConfigSurvivesGarbageCollection()
{
    auto s = served(Trick::None);
    QJsonObject config = QJsonDocument::fromJson(m_blobs.value(m_image.configDigest.toString().toLatin1())).object();
    QJsonObject runConfig = config[QStringLiteral("config")].toObject();
    runConfig[QStringLiteral("Labels")] = QJsonObject{{QStringLiteral("pad"), QString(5 << 20, u'p')}};
    config[QStringLiteral("config")] = runConfig;
    const QByteArray configBytes = QJsonDocument(config).toJson(QJsonDocument::Compact);
    QVERIFY(configBytes.size() > (5 << 20));
    QJsonObject manifest = QJsonDocument::fromJson(m_image.manifest).object();
    QJsonObject configDescriptor = manifest[QStringLiteral("config")].toObject();
    configDescriptor[QStringLiteral("digest")] = Sha256::of(configBytes).toString();
    configDescriptor[QStringLiteral("size")] = double(configBytes.size());
    manifest[QStringLiteral("config")] = configDescriptor;
    s->image.manifest = QJsonDocument(manifest).toJson(QJsonDocument::Compact);
    s->image.manifestDigest = Sha256::of(s->image.manifest);
    s->image.configDigest = Sha256::of(configBytes);
    s->blobs.remove(m_image.configDigest.toString().toLatin1());
    s->blobs.insert(s->image.configDigest.toString().toLatin1(), configBytes);
    s->blobs.remove(m_image.manifestDigest.toString().toLatin1());
    s->blobs.insert(s->image.manifestDigest.toString().toLatin1(), s->image.manifest);
    TestHttpServer server([s](const TestHttpRequest &req) { return serveRegistry(*s, req); });
    QTemporaryDir root;
    const RunResult pulled = ph(root.path(), {QStringLiteral("pull"), server.authority() + QStringLiteral("/hostile/app:1")});
    QVERIFY2(pulled.exitCode == 0, pulled.err.constData());

    // Something for the collection to take: an imported image, removed.
    UstarWriter tar;
    tar.file(QStringLiteral("f"), "other");
    const RunResult imported = runPorthole(root.path(), {QStringLiteral("import"), QStringLiteral("-")}, tar.finish(), 30000, env());
    QVERIFY2(imported.exitCode == 0, imported.err.constData());
    const QString otherId = QString::fromLatin1(imported.out.trimmed());
    const RunResult removed = ph(root.path(), {QStringLiteral("rmi"), otherId});
    QVERIFY2(removed.exitCode == 0, removed.err.constData());
    QVERIFY2(!QFileInfo::exists(root.filePath(QStringLiteral("blobs/sha256/") + otherId.section(u':', 1))),
             "the collection did not run: the removed image's config is still there");

    const QString problem = verifyPulled(root.path(), s->image, s->blobs);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    const RunResult inspected = ph(root.path(), {QStringLiteral("inspect"), QStringLiteral("--format"),
                                                 QStringLiteral("{{.Id}}"), server.authority() + QStringLiteral("/hostile/app:1")});
    QVERIFY2(inspected.exitCode == 0, inspected.err.constData());
    QCOMPARE(inspected.out.trimmed(), s->image.configDigest.toString().toLatin1());
}

QTEST_GUILESS_MAIN(TestPullHostile)
#include "tst_pullhostile.moc"
