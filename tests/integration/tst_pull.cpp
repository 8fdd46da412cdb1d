// `porthole pull` against Debian's docker-registry on loopback: plain HTTP,
// TLS with a test CA, Basic and token auth; manifest lists and platforms,
// pulls by digest, layers shared and skipped, and failures that leave nothing.
#include "support/registryfixture.h"
#include "support/testsupport.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcessEnvironment>
#include <QTemporaryDir>
#include <QTest>

using namespace porthole;
using namespace porthole::test;

class TestPull : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void plainPullAndUpToDate();
    void manifestListPicksPlatform();
    void pullByDigest();
    void basicAuthUsesDockerConfig();
    void tokenAuth();
    void tlsWithCertsDir();
    void clientCertificateFromCertsDir();
    void missingTagLeavesNothing();
    void zstdLayerFromSkopeo();

private:
    // porthole with an empty store (no demo image) and the given extras.
    RunResult ph(const QString &root, const QStringList &args, const QProcessEnvironment &extra = {})
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("PORTHOLE_NO_DEMO"), QStringLiteral("1"));
        env.insert(QStringLiteral("DOCKER_CONFIG"), m_emptyDockerConfig.path());
        env.insert(QStringLiteral("REGISTRY_AUTH_FILE"), m_emptyDockerConfig.filePath(QStringLiteral("auth.json")));
        for (const QString &k : extra.keys())
            env.insert(k, extra.value(k));
        return runPorthole(root, args, {}, 120000, env);
    }
    std::unique_ptr<RegistryFixture> registry(RegistryFixture::Mode mode)
    {
        QString error;
        auto r = RegistryFixture::start(mode, &error);
        if (!r)
            qWarning("registry: %s", qPrintable(error));
        return r;
    }
    // Pushes a test image (layers of the given sizes) as repoTag.
    TestImage push(RegistryFixture &reg, const QString &repoTag, const QList<qint64> &sizes, quint32 seed)
    {
        QTemporaryDir layout;
        OciLayoutWriter writer(layout.path());
        auto image = writer.addImage(QStringLiteral("img"), sizes, QStringLiteral("amd64"), seed);
        if (!image)
            return {};
        if (auto err = reg.pushWithSkopeo(layout.path(), QStringLiteral("img"), repoTag)) {
            qWarning("skopeo: %s", qPrintable(*err));
            return {};
        }
        return *image;
    }
    // A docker config.json holding the registry's credentials, as `docker login` writes it.
    static bool writeDockerConfig(const QString &dir, const RegistryFixture &reg)
    {
        const QByteArray auth = (reg.username() + u':' + reg.password()).toUtf8().toBase64();
        const QJsonObject entry{{QStringLiteral("auth"), QString::fromLatin1(auth)}};
        return writeFile(dir + QStringLiteral("/config.json"),
                         QJsonDocument(QJsonObject{{QStringLiteral("auths"), QJsonObject{{reg.host(), entry}}}}).toJson());
    }
    QTemporaryDir m_emptyDockerConfig;
};

void TestPull::initTestCase()
{
    if (!RegistryFixture::available())
        QSKIP("docker-registry, openssl, htpasswd or skopeo is not installed (installer/install-deps.sh test)");
    QVERIFY(m_emptyDockerConfig.isValid());
}

void TestPull::plainPullAndUpToDate()
{
    auto reg = registry(RegistryFixture::Mode::Plain);
    QVERIFY(reg);
    const TestImage image = push(*reg, QStringLiteral("team/app:1"), {300000, 5000, 70000}, 1);
    QVERIFY(image.configDigest.isValid());
    QTemporaryDir root;
    const QString ref = reg->host() + QStringLiteral("/team/app:1");
    const RunResult r = ph(root.path(), {QStringLiteral("pull"), ref});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QVERIFY2(r.out.contains("1: Pulling from team/app\n"), r.out.constData());
    for (const Digest &d : image.layerDigests)
        QVERIFY2(r.out.contains((d.shortHex() + QStringLiteral(": Pull complete")).toUtf8()), r.out.constData());
    QVERIFY(r.out.contains(("Digest: " + image.manifestDigest.toString()).toUtf8()));
    QVERIFY(r.out.endsWith((ref + u'\n').toUtf8()));
    // The image ID is the config digest; RepoDigests keeps the manifest digest.
    const RunResult id = ph(root.path(), {QStringLiteral("inspect"), QStringLiteral("-f"), QStringLiteral("{{.Id}} {{json .RepoDigests}}"), ref});
    QCOMPARE(QString::fromUtf8(id.out.trimmed()),
             image.configDigest.toString() + QStringLiteral(" [\"%1/team/app@%2\"]").arg(reg->host(), image.manifestDigest.toString()));
    QCOMPARE(QDir(root.filePath(QStringLiteral("layers"))).entryList(QDir::Dirs | QDir::NoDotAndDotDot).size(), 3);

    const RunResult again = ph(root.path(), {QStringLiteral("pull"), ref});
    QCOMPARE(again.exitCode, 0);
    QCOMPARE(again.out.count(": Already exists"), 3);
    QVERIFY2(again.out.contains("Status: Image is up to date for " + ref.toUtf8()), again.out.constData());
    const RunResult quiet = ph(root.path(), {QStringLiteral("pull"), QStringLiteral("-q"), ref});
    QCOMPARE(quiet.out, (ref + u'\n').toUtf8());
}

void TestPull::manifestListPicksPlatform()
{
    auto reg = registry(RegistryFixture::Mode::Plain);
    QVERIFY(reg);
    QTemporaryDir layout;
    OciLayoutWriter writer(layout.path());
    auto amd = writer.addImage(QString(), {20000}, QStringLiteral("amd64"), 7);
    auto arm = writer.addImage(QString(), {30000}, QStringLiteral("arm64"), 8);
    QVERIFY(amd && arm);
    auto index = writer.addIndex(QStringLiteral("multi"), {*amd, *arm}, {QStringLiteral("amd64"), QStringLiteral("arm64")});
    QVERIFY(index);
    QVERIFY(!reg->pushWithSkopeo(layout.path(), QStringLiteral("multi"), QStringLiteral("multi/arch:1")));
    const QString ref = reg->host() + QStringLiteral("/multi/arch:1");

    QTemporaryDir root;
    QVERIFY(ph(root.path(), {QStringLiteral("pull"), ref}).exitCode == 0);
    QCOMPARE(ph(root.path(), {QStringLiteral("images"), QStringLiteral("-q"), QStringLiteral("--no-trunc")}).out.trimmed(),
             amd->configDigest.toString().toUtf8());
    QTemporaryDir other;
    const RunResult r = ph(other.path(), {QStringLiteral("pull"), QStringLiteral("--platform"), QStringLiteral("linux/arm64"), ref});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QCOMPARE(ph(other.path(), {QStringLiteral("images"), QStringLiteral("-q"), QStringLiteral("--no-trunc")}).out.trimmed(),
             arm->configDigest.toString().toUtf8());
    // The index's digest is what the image was pulled as.
    QVERIFY(r.out.contains(("Digest: " + index->manifestDigest.toString()).toUtf8()));
    const RunResult none = ph(other.path(), {QStringLiteral("pull"), QStringLiteral("--platform"), QStringLiteral("linux/s390x"), ref});
    QCOMPARE(none.exitCode, 1);
    QVERIFY2(none.err.contains("no matching manifest for linux/s390x"), none.err.constData());
}

void TestPull::pullByDigest()
{
    auto reg = registry(RegistryFixture::Mode::Plain);
    QVERIFY(reg);
    const TestImage image = push(*reg, QStringLiteral("by/digest:v"), {4000}, 3);
    QVERIFY(image.configDigest.isValid());
    QTemporaryDir root;
    const QString ref = reg->host() + QStringLiteral("/by/digest@") + image.manifestDigest.toString();
    const RunResult r = ph(root.path(), {QStringLiteral("pull"), ref});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const RunResult images = ph(root.path(), {QStringLiteral("images"), QStringLiteral("--digests")});
    QVERIFY2(images.out.contains("<none>") && images.out.contains(image.manifestDigest.toString().toUtf8()), images.out.constData());
    // A wrong digest is refused: the bytes must hash to what was asked for.
    const QString wrong = reg->host() + QStringLiteral("/by/digest@sha256:") + QString(64, u'0');
    QCOMPARE(ph(root.path(), {QStringLiteral("pull"), wrong}).exitCode, 1);
}

void TestPull::basicAuthUsesDockerConfig()
{
    auto reg = registry(RegistryFixture::Mode::Basic);
    QVERIFY(reg);
    const TestImage image = push(*reg, QStringLiteral("private/app:1"), {9000}, 4);
    QVERIFY(image.configDigest.isValid());
    const QString ref = reg->host() + QStringLiteral("/private/app:1");
    QTemporaryDir root;
    const RunResult anonymous = ph(root.path(), {QStringLiteral("pull"), ref});
    QCOMPARE(anonymous.exitCode, 1);
    QVERIFY2(anonymous.err.contains(reg->host().toUtf8()), anonymous.err.constData());
    QCOMPARE(ph(root.path(), {QStringLiteral("images"), QStringLiteral("-q")}).out, QByteArray());

    QTemporaryDir dockerConfig;
    QVERIFY(writeDockerConfig(dockerConfig.path(), *reg));
    QProcessEnvironment env;
    env.insert(QStringLiteral("DOCKER_CONFIG"), dockerConfig.path());
    const RunResult r = ph(root.path(), {QStringLiteral("pull"), ref}, env);
    QVERIFY2(r.exitCode == 0, r.err.constData());
}

void TestPull::tokenAuth()
{
    auto reg = registry(RegistryFixture::Mode::Token);
    QVERIFY(reg);
    const TestImage image = push(*reg, QStringLiteral("tok/app:1"), {8000, 8000}, 5);
    QVERIFY(image.configDigest.isValid());
    reg->clearTokenLog();
    QTemporaryDir dockerConfig;
    QVERIFY(writeDockerConfig(dockerConfig.path(), *reg));
    QProcessEnvironment env;
    env.insert(QStringLiteral("DOCKER_CONFIG"), dockerConfig.path());
    QTemporaryDir root;
    const RunResult r = ph(root.path(), {QStringLiteral("pull"), reg->host() + QStringLiteral("/tok/app:1")}, env);
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QVERIFY(reg->tokenRequests() >= 1);
    for (const QString &scope : reg->tokenScopes())
        QVERIFY2(scope.contains(QStringLiteral("repository:tok/app:pull")), qPrintable(scope));
}

void TestPull::tlsWithCertsDir()
{
    auto reg = registry(RegistryFixture::Mode::Tls);
    QVERIFY(reg);
    const TestImage image = push(*reg, QStringLiteral("secure/app:1"), {6000}, 6);
    QVERIFY(image.configDigest.isValid());
    const QString ref = reg->host() + QStringLiteral("/secure/app:1");
    QTemporaryDir root;
    // Without the CA the certificate is not trusted, and TLS is never dropped for it.
    const RunResult untrusted = ph(root.path(), {QStringLiteral("pull"), ref});
    QCOMPARE(untrusted.exitCode, 1);
    QProcessEnvironment env;
    env.insert(QStringLiteral("PORTHOLE_CERTS_DIRS"), reg->certsDir());
    const RunResult r = ph(root.path(), {QStringLiteral("pull"), ref}, env);
    QVERIFY2(r.exitCode == 0, r.err.constData());
}

// A registry that asks for a client certificate (mutual TLS): the pair in
// certs.d/<host>/ (client.cert, client.key) is presented; without it the
// pull fails and stores nothing; a certificate without its key is refused
// with docker's sentence before anything is sent.
void TestPull::clientCertificateFromCertsDir()
{
    auto reg = registry(RegistryFixture::Mode::TlsClientCert);
    QVERIFY(reg);
    const TestImage image = push(*reg, QStringLiteral("mtls/app:1"), {7000}, 7);
    QVERIFY(image.configDigest.isValid());
    const QString ref = reg->host() + QStringLiteral("/mtls/app:1");
    const auto withCerts = [](const QString &dir) {
        QProcessEnvironment env;
        env.insert(QStringLiteral("PORTHOLE_CERTS_DIRS"), dir);
        return env;
    };

    QTemporaryDir root;
    const RunResult r = ph(root.path(), {QStringLiteral("pull"), ref}, withCerts(reg->certsDir()));
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QCOMPARE(ph(root.path(), {QStringLiteral("images"), QStringLiteral("-q"), QStringLiteral("--no-trunc")}).out.trimmed(),
             image.configDigest.toString().toLatin1());

    // The CA only: the registry refuses the connection.
    QTemporaryDir caOnly;
    const QString hostDir = caOnly.filePath(reg->host());
    QVERIFY(QDir().mkpath(hostDir));
    QVERIFY(QFile::copy(reg->caPath(), hostDir + QStringLiteral("/ca.crt")));
    QTemporaryDir empty;
    const RunResult refused = ph(empty.path(), {QStringLiteral("pull"), ref}, withCerts(caOnly.path()));
    QCOMPARE(refused.exitCode, 1);
    QVERIFY2(refused.err.contains("asks for a client certificate") && refused.err.contains(reg->host().toUtf8()),
             refused.err.constData());
    QCOMPARE(ph(empty.path(), {QStringLiteral("images"), QStringLiteral("-q")}).out, QByteArray());

    // A certificate without its key.
    QVERIFY(QFile::copy(reg->certsDir() + u'/' + reg->host() + QStringLiteral("/client.cert"), hostDir + QStringLiteral("/client.cert")));
    const RunResult noKey = ph(empty.path(), {QStringLiteral("pull"), ref}, withCerts(caOnly.path()));
    QCOMPARE(noKey.exitCode, 1);
    QVERIFY2(noKey.err.contains("missing key client.key for client certificate client.cert"), noKey.err.constData());
}

void TestPull::missingTagLeavesNothing()
{
    auto reg = registry(RegistryFixture::Mode::Plain);
    QVERIFY(reg);
    QTemporaryDir root;
    const RunResult r = ph(root.path(), {QStringLiteral("pull"), reg->host() + QStringLiteral("/no/such:tag")});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("no/such"), r.err.constData());
    QCOMPARE(QDir(root.filePath(QStringLiteral("blobs/sha256"))).entryList(QDir::Files).size(), 0);
    QCOMPARE(ph(root.path(), {QStringLiteral("images"), QStringLiteral("-q")}).out, QByteArray());
}

// A zstd layer, put into the registry by skopeo (an independent client)
// straight from a Porthole store: import keeps a zstd tarball as it came.
void TestPull::zstdLayerFromSkopeo()
{
    if (!haveProgram(QStringLiteral("zstd")))
        QSKIP("zstd is not installed");
    auto reg = registry(RegistryFixture::Mode::Plain);
    QVERIFY(reg);
    QTemporaryDir src;
    QVERIFY(writeFile(src.filePath(QStringLiteral("greeting.txt")), QByteArray(50000, 'z')));
    const QString tar = src.filePath(QStringLiteral("rootfs.tar"));
    QCOMPARE(runProgram(QStringLiteral("tar"), {QStringLiteral("-cf"), tar, QStringLiteral("-C"), src.path(), QStringLiteral("greeting.txt")}).exitCode, 0);
    QCOMPARE(runProgram(QStringLiteral("zstd"), {QStringLiteral("-q"), tar}).exitCode, 0);
    QTemporaryDir origin;
    QVERIFY(ph(origin.path(), {QStringLiteral("import"), tar + QStringLiteral(".zst"), QStringLiteral("localhost/zstd:1")}).exitCode == 0);
    QVERIFY(!reg->pushWithSkopeo(origin.path(), QStringLiteral("localhost/zstd:1"), QStringLiteral("zstd/app:1")));
    const QJsonObject manifest = QJsonDocument::fromJson(*reg->skopeoRawManifest(QStringLiteral("zstd/app:1"))).object();
    QCOMPARE(manifest.value(QStringLiteral("layers")).toArray().first().toObject().value(QStringLiteral("mediaType")).toString(),
             QStringLiteral("application/vnd.oci.image.layer.v1.tar+zstd"));

    QTemporaryDir root;
    const QString ref = reg->host() + QStringLiteral("/zstd/app:1");
    const RunResult r = ph(root.path(), {QStringLiteral("pull"), ref});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const RunResult id = ph(root.path(), {QStringLiteral("images"), QStringLiteral("-q"), QStringLiteral("--no-trunc")});
    const RunResult originId = ph(origin.path(), {QStringLiteral("images"), QStringLiteral("-q"), QStringLiteral("--no-trunc")});
    QCOMPARE(id.out, originId.out);
    const QStringList layers = QDir(root.filePath(QStringLiteral("layers"))).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    QCOMPARE(layers.size(), 1);
    QFile unpacked(root.filePath(QStringLiteral("layers/") + layers.first() + QStringLiteral("/greeting.txt")));
    QVERIFY(unpacked.open(QIODevice::ReadOnly));
    QCOMPARE(unpacked.readAll(), QByteArray(50000, 'z'));
}

QTEST_GUILESS_MAIN(TestPull)
#include "tst_pull.moc"
