// `porthole pull` against a scripted registry that misbehaves and recovers
// (500s, redirects to another host, a connection cut halfway), and two
// pulls of one image racing into one store: every pull ends in the right
// image, each blob and layer stored once.
#include "support/hostileregistry.h"

using namespace porthole;
using namespace porthole::test;
using namespace porthole::test::hostile;

class TestPullRecovery : public QObject, protected PullFixture {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void threeServerErrorsThenSuccess();
    void redirectToAnotherHostWithoutAuthorization();
    void cutConnectionResumes_data();
    void cutConnectionResumes();
    void twoProcessesPullOneImage();
};

void TestPullRecovery::initTestCase()
{
    prepareImage();
}

void TestPullRecovery::threeServerErrorsThenSuccess()
{
    auto s = served(Trick::ServerErrors);
    TestHttpServer server([s](const TestHttpRequest &req) { return serveRegistry(*s, req); });
    QTemporaryDir root;
    const RunResult r = ph(root.path(), {QStringLiteral("pull"), server.authority() + QStringLiteral("/hostile/app:1")});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QCOMPARE(s->badAttempts.load(), 4);
    const QString problem = verifyPulled(root.path(), m_image, m_blobs);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
}

void TestPullRecovery::redirectToAnotherHostWithoutAuthorization()
{
    const QByteArray auth = "Basic " + QByteArray("porthole:s3cret").toBase64();
    auto s = served(Trick::None);
    s->requiredAuth = auth;
    TestHttpServer storage([s](const TestHttpRequest &req) {
        const QByteArray digest = req.path.mid(QByteArrayLiteral("/storage/").size());
        return s->blobs.contains(digest) ? content(s->blobs.value(digest)) : TestHttpResponse::json(404, "{}");
    });
    // Another host name (the same machine), so nothing about it looks like the registry's origin.
    s->redirectBase = QStringLiteral("http://localhost:%1/storage/").arg(storage.port()).toLatin1();
    TestHttpServer registry([s](const TestHttpRequest &req) { return serveRegistry(*s, req); });

    QTemporaryDir dockerConfig;
    QFile config(dockerConfig.filePath(QStringLiteral("config.json")));
    QVERIFY(config.open(QIODevice::WriteOnly));
    config.write(QJsonDocument(QJsonObject{{QStringLiteral("auths"), QJsonObject{{registry.authority(), QJsonObject{
        {QStringLiteral("auth"), QString::fromLatin1(QByteArray("porthole:s3cret").toBase64())}}}}}}).toJson());
    config.close();
    QTemporaryDir root;
    const QString ref = registry.authority() + QStringLiteral("/hostile/app@") + m_image.manifestDigest.toString();
    const RunResult r = ph(root.path(), {QStringLiteral("pull"), ref}, dockerConfig.path());
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const QString problem = verifyPulled(root.path(), m_image, m_blobs);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));

    int authorized = 0;
    for (const TestHttpRequest &req : registry.requests())
        authorized += req.header("Authorization") == auth ? 1 : 0;
    QVERIFY2(authorized >= 1, "the registry never got the credentials, so the redirect test proves nothing");
    const QList<TestHttpRequest> fetched = storage.requests();
    QCOMPARE(fetched.size(), 1 + m_image.layerDigests.size()); // config and layers
    for (const TestHttpRequest &req : fetched) {
        QVERIFY2(!req.hasHeader("Authorization"), req.target.constData());
        QCOMPARE(req.query, QByteArray("signature=abc"));
    }
}

void TestPullRecovery::cutConnectionResumes_data()
{
    QTest::addColumn<Trick>("trick");
    QTest::newRow("registry honours Range") << Trick::CutOnce;
    QTest::newRow("registry ignores Range") << Trick::CutOnceNoRange;
}

// A layer cut off midway is asked for again from where the puller's stream
// stopped: the cut, or before it if Qt dropped buffered bytes, never 0. If
// the registry ignores Range, the layer starts over. The layer outgrows the
// 1 MiB read buffer, so the cut lands while the body is read, not in open().
void TestPullRecovery::cutConnectionResumes()
{
    QFETCH(Trick, trick);
    auto s = served(trick);
    TestHttpServer server([s](const TestHttpRequest &req) { return serveRegistry(*s, req); });
    QTemporaryDir root;
    const RunResult r = ph(root.path(), {QStringLiteral("pull"), server.authority() + QStringLiteral("/hostile/app:1")});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const QString problem = verifyPulled(root.path(), m_image, m_blobs);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));

    QList<QByteArray> ranges; // the bad layer's GETs, by their Range header
    for (const TestHttpRequest &req : server.requests()) {
        if (req.method == "GET" && req.path == kRepo + "blobs/" + s->badLayer)
            ranges.append(req.header("Range"));
    }
    QVERIFY2(ranges.size() >= 2, "the cut layer was not fetched again");
    QCOMPARE(ranges.first(), QByteArray()); // a fresh store starts at byte 0
    const qint64 cut = s->blobs.value(s->badLayer).size() / 2;
    const qint64 from = ranges[1].startsWith("bytes=") ? ranges[1].mid(6).chopped(1).toLongLong() : 0;
    QVERIFY2(from > 0 && from <= cut && ranges[1].endsWith('-'),
             qPrintable(QStringLiteral("cut at %1, then asked for \"%2\"").arg(cut).arg(QString::fromLatin1(ranges[1]))));
    QCOMPARE(ranges.size(), 2);
}

void TestPullRecovery::twoProcessesPullOneImage()
{
    if (!RegistryFixture::available())
        QSKIP("docker-registry, skopeo or openssl is not installed (installer/install-deps.sh test)");
    QString error;
    auto reg = RegistryFixture::start(RegistryFixture::Mode::Plain, &error);
    QVERIFY2(reg, qPrintable(error));
    QTemporaryDir layout;
    OciLayoutWriter writer(layout.path());
    auto image = writer.addImage(QStringLiteral("race"), {2000000, 1500000, 1000000}, QStringLiteral("amd64"), 21);
    QVERIFY(image);
    const auto pushed = reg->pushWithSkopeo(layout.path(), QStringLiteral("race"), QStringLiteral("race/app:1"));
    QVERIFY2(!pushed, qPrintable(pushed.value_or(QString())));

    QTemporaryDir root;
    // Destroying a QProcess kills it, so a failed check leaves no puller behind.
    QProcess pullers[2];
    for (QProcess &p : pullers) {
        p.setProcessEnvironment(env());
        p.start(portholeBinary(), {QStringLiteral("--root"), root.path(), QStringLiteral("pull"), reg->host() + QStringLiteral("/race/app:1")});
    }
    for (QProcess &p : pullers) {
        QVERIFY(p.waitForFinished(30000));
        QVERIFY2(p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0,
                 (p.readAllStandardOutput() + p.readAllStandardError()).constData());
    }
    // One image; manifest, config and three layer blobs once each; three layer dirs.
    const QString problem = verifyPulled(root.path(), *image, layoutBlobs(layout.path()));
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
}

QTEST_GUILESS_MAIN(TestPullRecovery)
#include "tst_pullrecovery.moc"
