// RegistryClient against real docker-registry processes (plain, TLS, Basic,
// token auth; images put there by skopeo): pulls, multi-platform indexes,
// credentials and tokens, certificate checks, pushes read back by skopeo.
// What a real registry will not do is tst_registryclientscripted.
#include "core/mediatypes.h"
#include "registry/credentials.h"
#include "registry/registryclient.h"
#include "support/registryfixture.h"
#include "support/registrytestsupport.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

using namespace porthole;
using namespace porthole::registry;
using namespace porthole::test;
using Mode = RegistryFixture::Mode;

Q_DECLARE_METATYPE(porthole::test::RegistryFixture::Mode)

namespace {

QByteArray readBlobFile(const QString &layout, const Digest &digest)
{
    QFile f(layout + QStringLiteral("/blobs/sha256/") + digest.hex());
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace

class TestRegistryClientLive : public QObject, public RegistryClientTestBase {
    Q_OBJECT

    std::unique_ptr<OciLayoutWriter> m_layout;
    TestImage m_image; // "app": a small and a 3 MiB layer
    TestImage m_index; // "multi": amd64 and arm64 under an OCI index
    QList<TestImage> m_members;

    std::unique_ptr<RegistryFixture> startRegistry(Mode mode)
    {
        QString error;
        auto fixture = RegistryFixture::start(mode, &error);
        if (!fixture)
            qWarning("%s", qPrintable(error));
        return fixture;
    }

private Q_SLOTS:
    void initTestCase();
    void pullFromEachRegistry_data();
    void pullFromEachRegistry();
    void multiPlatformIndex();
    void basicCredentials_data();
    void basicCredentials();
    void tokenFlow();
    void tlsVerification();
    void pushAndReadBack();
};

void TestRegistryClientLive::initTestCase()
{
    if (!RegistryFixture::available())
        QSKIP("docker-registry, openssl, htpasswd or skopeo is not installed");
    QVERIFY(m_tmp.isValid());
    m_layout = std::make_unique<OciLayoutWriter>(m_tmp.filePath(QStringLiteral("layout")));
    auto image = m_layout->addImage(QStringLiteral("app"), {40000, 3 * 1024 * 1024}, QStringLiteral("amd64"), 7);
    QVERIFY2(image, why(image));
    m_image = *image;
    for (const auto &[arch, seed] : {std::pair{QStringLiteral("amd64"), 11u}, std::pair{QStringLiteral("arm64"), 13u}}) {
        auto member = m_layout->addImage(QString(), {1000}, arch, seed);
        QVERIFY(member);
        m_members.append(*member);
    }
    auto index = m_layout->addIndex(QStringLiteral("multi"), m_members, {QStringLiteral("amd64"), QStringLiteral("arm64")});
    QVERIFY(index);
    m_index = *index;
}

void TestRegistryClientLive::pullFromEachRegistry_data()
{
    QTest::addColumn<Mode>("mode");
    for (Mode mode : {Mode::Plain, Mode::Tls, Mode::Basic, Mode::Token})
        QTest::newRow(qPrintable(RegistryFixture::modeName(mode))) << mode;
}

void TestRegistryClientLive::pullFromEachRegistry()
{
    QFETCH(Mode, mode);
    auto registry = startRegistry(mode);
    QVERIFY(registry);
    const std::optional<QString> pushError = registry->pushWithSkopeo(m_layout->dir(), QStringLiteral("app"),
                                                                      QStringLiteral("x/y:1"));
    QVERIFY2(!pushError, qPrintable(pushError.value_or(QString())));

    const bool authenticated = mode == Mode::Basic || mode == Mode::Token;
    auto credentials = credentialsFor(registry->host(), authenticated ? std::optional(Credential{registry->username(),
                                                                                                registry->password()})
                                                                      : std::nullopt);
    RegistryOptions options = fastOptions();
    if (mode == Mode::Tls)
        options.certsDirs = {registry->certsDir()};
    RegistryClient client(repoRef(registry->host() + QStringLiteral("/x/y")), credentials.get(), options);

    const auto byTag = client.fetchManifest(QStringLiteral("1"));
    QVERIFY2(byTag, why(byTag));
    QCOMPARE(client.scheme(), mode == Mode::Tls ? QStringLiteral("https") : QStringLiteral("http"));
    QCOMPARE(byTag->bytes, m_image.manifest);
    QCOMPARE(byTag->digest, m_image.manifestDigest);
    QCOMPARE(byTag->mediaType, QString(mediatype::OciManifest));

    const auto byDigest = client.fetchManifest(m_image.manifestDigest.toString());
    QVERIFY2(byDigest, why(byDigest));
    QCOMPARE(byDigest->bytes, m_image.manifest);

    const auto missing = client.fetchManifest(QStringLiteral("nope"));
    QVERIFY(!missing);
    QCOMPARE(missing.error().code, ErrorCode::NotFound);
    const QString prefix = QStringLiteral("pull %1/x/y:nope: manifest unknown").arg(registry->host());
    QVERIFY2(missing.error().message.startsWith(prefix), why(missing));

    // The big layer streams through, hashes to its digest, and resumes from its middle.
    const Digest layer = m_image.layerDigests.last();
    const QByteArray expected = readBlobFile(m_layout->dir(), layer);
    auto whole = client.openBlob(layer);
    QVERIFY2(whole, why(whole));
    QCOMPARE((*whole)->offset(), 0);
    QCOMPARE((*whole)->blobSize(), expected.size());
    DigestingSource hashing(**whole);
    Error readError;
    QCOMPARE(readAll(hashing, &readError).size(), expected.size());
    QCOMPARE(hashing.finish(), layer);

    const qint64 middle = expected.size() / 2 + 123;
    auto rest = client.openBlob(layer, middle);
    QVERIFY2(rest, why(rest));
    QVERIFY((*rest)->resumed());
    QCOMPARE((*rest)->offset(), middle);
    QCOMPARE((*rest)->blobSize(), expected.size());
    QVERIFY(readAll(**rest) == expected.mid(middle));

    QCOMPARE(client.blobExists(layer).valueOr(false), true);
    const auto absent = client.blobExists(Sha256::of("not stored"));
    QVERIFY2(absent, why(absent));
    QCOMPARE(*absent, false);
    const auto unknownBlob = client.openBlob(Sha256::of("not stored"));
    QVERIFY(!unknownBlob);
    QCOMPARE(unknownBlob.error().code, ErrorCode::NotFound);
    QVERIFY2(unknownBlob.error().message.contains(QStringLiteral("pull %1/x/y@sha256:").arg(registry->host())),
             why(unknownBlob));
}

void TestRegistryClientLive::multiPlatformIndex()
{
    auto registry = startRegistry(Mode::Plain);
    QVERIFY(registry);
    const auto pushError = registry->pushWithSkopeo(m_layout->dir(), QStringLiteral("multi"), QStringLiteral("x/multi:1"));
    QVERIFY2(!pushError, qPrintable(pushError.value_or(QString())));
    RegistryClient client(repoRef(registry->host() + QStringLiteral("/x/multi")), nullptr, fastOptions());
    const auto index = client.fetchManifest(QStringLiteral("1"));
    QVERIFY2(index, why(index));
    QCOMPARE(index->mediaType, QString(mediatype::OciIndex));
    QCOMPARE(index->digest, m_index.manifestDigest);
    for (const TestImage &member : m_members) {
        const auto child = client.fetchManifest(member.manifestDigest.toString());
        QVERIFY2(child, why(child));
        QCOMPARE(child->mediaType, QString(mediatype::OciManifest));
        QCOMPARE(child->bytes, member.manifest);
    }
}

void TestRegistryClientLive::basicCredentials_data()
{
    QTest::addColumn<QString>("password"); // empty: no credential stored
    QTest::addColumn<bool>("succeeds");
    QTest::addColumn<QString>("reason");
    QTest::newRow("good") << QStringLiteral("s3cret-pass") << true << QString();
    QTest::newRow("bad") << QStringLiteral("wrong") << false << QStringLiteral("authentication as porthole failed");
    QTest::newRow("none") << QString() << false << QStringLiteral("no credentials are stored");
}

void TestRegistryClientLive::basicCredentials()
{
    QFETCH(QString, password);
    QFETCH(bool, succeeds);
    QFETCH(QString, reason);
    auto registry = startRegistry(Mode::Basic);
    QVERIFY(registry);
    QVERIFY(!registry->pushWithSkopeo(m_layout->dir(), QStringLiteral("app"), QStringLiteral("x/y:1")));
    auto credentials = credentialsFor(registry->host(), password.isEmpty() ? std::nullopt
                                                                           : std::optional(Credential{registry->username(), password}));
    RegistryClient client(repoRef(registry->host() + QStringLiteral("/x/y")), credentials.get(), fastOptions());
    const auto manifest = client.fetchManifest(QStringLiteral("1"));
    QCOMPARE(bool(manifest), succeeds);
    if (!succeeds) {
        QCOMPARE(manifest.error().code, ErrorCode::PermissionDenied);
        QVERIFY2(manifest.error().message.startsWith(QStringLiteral("pull %1/x/y:1: ").arg(registry->host())),
                 why(manifest));
        QVERIFY2(manifest.error().message.contains(reason), why(manifest));
    }
}

void TestRegistryClientLive::tokenFlow()
{
    auto registry = startRegistry(Mode::Token);
    QVERIFY(registry);
    QVERIFY(!registry->pushWithSkopeo(m_layout->dir(), QStringLiteral("app"), QStringLiteral("x/y:1")));
    const Reference repo = repoRef(registry->host() + QStringLiteral("/x/y"));

    registry->clearTokenLog();
    auto good = credentialsFor(registry->host(), Credential{registry->username(), registry->password()});
    RegistryClient client(repo, good.get(), fastOptions());
    QVERIFY(client.fetchManifest(QStringLiteral("1")));
    QVERIFY(client.fetchManifest(m_image.manifestDigest.toString()));
    QVERIFY(client.blobExists(m_image.layerDigests.first()).valueOr(false));
    auto blob = client.openBlob(m_image.layerDigests.first());
    QVERIFY(blob);
    QCOMPARE(Sha256::of(readAll(**blob)), m_image.layerDigests.first());
    QCOMPARE(registry->tokenRequests(), 1);
    QCOMPARE(registry->tokenScopes(), QStringList{QStringLiteral("repository:x/y:pull")});

    // Pushing needs another scope, hence one more token, then cached again.
    const QByteArray data = randomBytes(1000, 3);
    MemorySource source(data);
    const Status uploaded = client.uploadBlob(source, Sha256::of(data), data.size());
    QVERIFY2(uploaded, why(uploaded));
    QVERIFY(client.fetchManifest(QStringLiteral("1")));
    QCOMPARE(registry->tokenRequests(), 2);
    QCOMPARE(registry->tokenScopes().last(), QStringLiteral("repository:x/y:pull,push"));

    // An identity token is exchanged by the OAuth POST.
    auto identity = credentialsFor(registry->host(), Credential{registry->username(), registry->identityToken(), true});
    RegistryClient oauth(repo, identity.get(), fastOptions());
    const auto viaOAuth = oauth.fetchManifest(QStringLiteral("1"));
    QVERIFY2(viaOAuth, why(viaOAuth));

    auto anonymous = RegistryClient(repo, nullptr, fastOptions()).fetchManifest(QStringLiteral("1"));
    QVERIFY(!anonymous);
    QCOMPARE(anonymous.error().code, ErrorCode::PermissionDenied);
    QVERIFY2(anonymous.error().message.contains(QStringLiteral("no credentials are stored")),
             why(anonymous));

    auto bad = credentialsFor(registry->host(), Credential{registry->username(), QStringLiteral("wrong")});
    const auto refused = RegistryClient(repo, bad.get(), fastOptions()).fetchManifest(QStringLiteral("1"));
    QVERIFY(!refused);
    QCOMPARE(refused.error().code, ErrorCode::PermissionDenied);
    QVERIFY2(refused.error().message.contains(QStringLiteral("refused the credentials of porthole")),
             why(refused));
}

void TestRegistryClientLive::tlsVerification()
{
    auto registry = startRegistry(Mode::Tls);
    QVERIFY(registry);
    QVERIFY(!registry->pushWithSkopeo(m_layout->dir(), QStringLiteral("app"), QStringLiteral("x/y:1")));

    // Without the CA: a certificate error, and no retreat to plain HTTP.
    RegistryClient untrusted(repoRef(registry->host() + QStringLiteral("/x/y")), nullptr, fastOptions());
    const auto refused = untrusted.fetchManifest(QStringLiteral("1"));
    QVERIFY(!refused);
    QCOMPARE(refused.error().code, ErrorCode::Network);
    QVERIFY2(refused.error().message.contains(QStringLiteral("is not trusted")), why(refused));
    QCOMPARE(untrusted.scheme(), QString());

    // With certs.d/<host:port>/ca.crt, by IP and by name.
    RegistryOptions options = fastOptions();
    options.certsDirs = {m_tmp.filePath(QStringLiteral("no-such-dir")), registry->certsDir()};
    for (const QString &host : {registry->host(), QStringLiteral("localhost:%1").arg(registry->port())}) {
        RegistryClient trusted(repoRef(host + QStringLiteral("/x/y")), nullptr, options);
        const auto manifest = trusted.fetchManifest(QStringLiteral("1"));
        QVERIFY2(manifest, why(manifest));
        QCOMPARE(trusted.scheme(), QStringLiteral("https"));
    }

    // A certificate from the right CA for another host name is refused.
    auto wrongHost = startRegistry(Mode::TlsWrongHost);
    QVERIFY(wrongHost);
    options.certsDirs = {wrongHost->certsDir()};
    RegistryClient mismatched(repoRef(wrongHost->host() + QStringLiteral("/x/y")), nullptr, options);
    const auto wrong = mismatched.fetchManifest(QStringLiteral("1"));
    QVERIFY(!wrong);
    QVERIFY2(wrong.error().message.contains(QStringLiteral("host name")), why(wrong));
}

void TestRegistryClientLive::pushAndReadBack()
{
    auto registry = startRegistry(Mode::Token);
    QVERIFY(registry);
    QVERIFY(!registry->pushWithSkopeo(m_layout->dir(), QStringLiteral("app"), QStringLiteral("x/y:1")));
    auto credentials = credentialsFor(registry->host(), Credential{registry->username(), registry->password()});
    RegistryOptions options = fastOptions();
    options.uploadChunkBytes = 64 * 1024;
    RegistryClient client(repoRef(registry->host() + QStringLiteral("/x/z")), credentials.get(), options);

    // Monolithic (config) and chunked (a 300 KiB layer) uploads.
    const QByteArray config = R"({"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}})";
    const QByteArray layer = randomBytes(300 * 1024 + 17, 5);
    for (const QByteArray &blob : {config, layer}) {
        MemorySource source(blob);
        const Status ok = client.uploadBlob(source, Sha256::of(blob), blob.size());
        QVERIFY2(ok, why(ok));
        QCOMPARE(client.blobExists(Sha256::of(blob)).valueOr(false), true);
    }
    auto back = client.openBlob(Sha256::of(layer));
    QVERIFY(back);
    QVERIFY(readAll(**back) == layer);

    // Bytes that do not match the promise leave nothing behind.
    const QByteArray other = randomBytes(100 * 1024, 6);
    for (const auto &[digest, size] : {std::pair{Sha256::of("something else"), other.size()},
                                       std::pair{Sha256::of(other), other.size() + 1}}) {
        MemorySource source(other);
        const Status bad = client.uploadBlob(source, digest, size);
        QVERIFY(!bad);
        QCOMPARE(bad.error().code, ErrorCode::InvalidArgument);
        QCOMPARE(client.blobExists(Sha256::of(other)).valueOr(true), false);
    }

    // Cross-repository mount from x/y; a source that lacks the blob declines.
    const auto mounted = client.mountBlob(m_image.layerDigests.first(), QStringLiteral("x/y"));
    QVERIFY2(mounted, why(mounted));
    QCOMPARE(*mounted, true);
    QVERIFY(registry->tokenScopes().contains(QStringLiteral("repository:x/z:pull,push repository:x/y:pull")));
    const auto declined = client.mountBlob(Sha256::of("nowhere"), QStringLiteral("x/y"));
    QVERIFY2(declined, why(declined));
    QCOMPARE(*declined, false);

    const QJsonObject manifest{
        {QStringLiteral("schemaVersion"), 2},
        {QStringLiteral("mediaType"), QString(mediatype::OciManifest)},
        {QStringLiteral("config"), QJsonObject{{QStringLiteral("mediaType"), QString(mediatype::OciConfig)},
                                               {QStringLiteral("digest"), Sha256::of(config).toString()},
                                               {QStringLiteral("size"), config.size()}}},
        {QStringLiteral("layers"),
         QJsonArray{QJsonObject{{QStringLiteral("mediaType"), QString(mediatype::OciLayerGzip)},
                                {QStringLiteral("digest"), m_image.layerDigests.first().toString()},
                                {QStringLiteral("size"), m_image.layerSizes.first()}}}}};
    const QByteArray bytes = QJsonDocument(manifest).toJson(QJsonDocument::Compact);
    const Status put = client.putManifest(QStringLiteral("pushed"), bytes, mediatype::OciManifest);
    QVERIFY2(put, why(put));
    const auto readBySkopeo = registry->skopeoRawManifest(QStringLiteral("x/z:pushed"));
    QVERIFY2(readBySkopeo, why(readBySkopeo));
    QCOMPARE(*readBySkopeo, bytes);
    const Status wrongDigest = client.putManifest(Sha256::of("x").toString(), bytes, mediatype::OciManifest);
    QVERIFY(!wrongDigest);
}

QTEST_GUILESS_MAIN(TestRegistryClientLive)
#include "tst_registryclientlive.moc"
