// RegistryClient against real docker-registry processes (plain, TLS, Basic,
// token auth; images put there by skopeo) and against scripted servers for
// what a real registry will not do: redirects, failures, lies, schema 1.
#include "core/mediatypes.h"
#include "registry/credentials.h"
#include "registry/registryclient.h"
#include "support/registryfixture.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QtTest>

using namespace porthole;
using namespace porthole::registry;
using namespace porthole::test;
using Mode = RegistryFixture::Mode;

Q_DECLARE_METATYPE(porthole::test::RegistryFixture::Mode)

namespace {

// QVERIFY2 evaluates its message even when the check passes.
template <typename T>
const char *why(const Result<T> &result)
{
    static QByteArray text;
    text = result ? QByteArray() : result.error().message.toLocal8Bit();
    return text.constData();
}

Reference repoRef(const QString &text)
{
    return Reference::parse(text).value();
}

QByteArray randomBytes(qint64 size, quint32 seed)
{
    QByteArray data(size, Qt::Uninitialized);
    QRandomGenerator random(seed);
    for (qint64 i = 0; i < size; ++i)
        data[i] = char(random.generate() & 0xff);
    return data;
}

// Reads a source to its end in odd-sized pieces; the error, if any, is kept.
QByteArray readAll(ByteSource &source, Error *error = nullptr, qint64 piece = 40000)
{
    QByteArray all;
    QByteArray buf(piece, Qt::Uninitialized);
    for (;;) {
        const Result<qint64> n = source.read(buf.data(), buf.size());
        if (!n) {
            if (error)
                *error = n.error();
            return all;
        }
        if (*n == 0)
            return all;
        all.append(buf.constData(), *n);
    }
}

QByteArray readBlobFile(const QString &layout, const Digest &digest)
{
    QFile f(layout + QStringLiteral("/blobs/sha256/") + digest.hex());
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

RegistryOptions fastOptions()
{
    RegistryOptions options;
    options.certsDirs = {};
    options.retryDelaysMs = {1, 1, 1};
    options.transferTimeoutMs = 10000;
    return options;
}

TestHttpResponse registryError(int status, const char *code, const char *message)
{
    return TestHttpResponse::json(status, QByteArray(R"({"errors":[{"code":")") + code + R"(","message":")" + message
                                              + R"("}]})");
}

const QByteArray kOciManifest =
    R"({"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a","size":2},"layers":[]})";

} // namespace

class TestRegistryClient : public QObject {
    Q_OBJECT

    QTemporaryDir m_tmp;
    std::unique_ptr<OciLayoutWriter> m_layout;
    TestImage m_image; // "app": a small and a 3 MiB layer
    TestImage m_index; // "multi": amd64 and arm64 under an OCI index
    QList<TestImage> m_members;

    // A credential store holding one credential (or none) for host.
    std::unique_ptr<CredentialStore> credentialsFor(const QString &host, std::optional<Credential> credential)
    {
        const QString dir = m_tmp.filePath(QStringLiteral("auth-%1").arg(QRandomGenerator::global()->generate()));
        QDir().mkpath(dir);
        auto store = std::make_unique<CredentialStore>(
            CredentialStore::fromFiles(dir + QStringLiteral("/config.json"), {}));
        if (credential)
            [&] { QVERIFY(store->store(host, *credential)); }();
        return store;
    }

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
    void manifestMediaType_data();
    void manifestMediaType();
    void pullFromEachRegistry_data();
    void pullFromEachRegistry();
    void multiPlatformIndex();
    void basicCredentials_data();
    void basicCredentials();
    void tokenFlow();
    void tlsVerification();
    void pushAndReadBack();
    void redirectDropsAuthorization();
    void plainHttpNeverCarriesCredentials();
    void retriesTransientFailures_data();
    void retriesTransientFailures();
    void hostileManifests_data();
    void hostileManifests();
    void resumeAfterCutConnection();
};

void TestRegistryClient::initTestCase()
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

void TestRegistryClient::manifestMediaType_data()
{
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("type");  // expected type, or empty for a refusal
    QTest::addColumn<QString>("reason"); // part of the refusal

    const QByteArray index = R"({"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[]})";
    const QByteArray untypedIndex = R"({"schemaVersion":2,"manifests":[]})";
    const QByteArray schema1 = R"({"schemaVersion":1,"name":"x/y","tag":"1","fsLayers":[]})";
    QTest::newRow("oci manifest") << QByteArray("application/vnd.oci.image.manifest.v1+json") << kOciManifest
                                  << QString(mediatype::OciManifest) << QString();
    QTest::newRow("generic content type") << QByteArray("application/json; charset=utf-8") << kOciManifest
                                          << QString(mediatype::OciManifest) << QString();
    QTest::newRow("untyped index by header") << QByteArray("application/vnd.docker.distribution.manifest.list.v2+json")
                                             << untypedIndex << QString(mediatype::DockerManifestList) << QString();
    QTest::newRow("untyped index guessed") << QByteArray() << untypedIndex << QString(mediatype::OciIndex) << QString();
    QTest::newRow("schema1 by header") << QByteArray("application/vnd.docker.distribution.manifest.v1+prettyjws")
                                       << schema1 << QString() << QStringLiteral("deprecated schema 1 format");
    QTest::newRow("schema1 by body") << QByteArray("application/json") << schema1 << QString()
                                     << QStringLiteral("deprecated schema 1 format");
    QTest::newRow("header disagrees") << QByteArray("application/vnd.docker.distribution.manifest.v2+json")
                                      << kOciManifest << QString() << QStringLiteral("served the manifest as");
    QTest::newRow("index with layers")
        << QByteArray("application/vnd.oci.image.index.v1+json")
        << QByteArray(R"({"schemaVersion":2,"manifests":[],"layers":[]})") << QString()
        << QStringLiteral("is not an index");
    QTest::newRow("manifest without config")
        << QByteArray("application/vnd.oci.image.manifest.v1+json") << QByteArray(R"({"schemaVersion":2,"layers":[]})")
        << QString() << QStringLiteral("is not an image manifest");
    QTest::newRow("unknown type") << QByteArray("text/plain") << QByteArray(R"({"schemaVersion":2})") << QString()
                                  << QStringLiteral("media type is unknown");
    QTest::newRow("not json") << QByteArray("application/vnd.oci.image.manifest.v1+json") << QByteArray("<html>")
                              << QString() << QStringLiteral("not a JSON object");
    QTest::newRow("config type") << QByteArray() << QByteArray(R"({"mediaType":"application/vnd.oci.image.config.v1+json"})")
                                 << QString() << QStringLiteral("unsupported media type");
    Q_UNUSED(index);
}

void TestRegistryClient::manifestMediaType()
{
    QFETCH(QByteArray, contentType);
    QFETCH(QByteArray, body);
    QFETCH(QString, type);
    QFETCH(QString, reason);
    const Result<QString> resolved = resolveManifestMediaType(body, contentType);
    if (type.isEmpty()) {
        QVERIFY(!resolved);
        QVERIFY2(resolved.error().message.contains(reason), why(resolved));
    } else {
        QVERIFY2(resolved, why(resolved));
        QCOMPARE(*resolved, type);
    }
}

void TestRegistryClient::pullFromEachRegistry_data()
{
    QTest::addColumn<Mode>("mode");
    for (Mode mode : {Mode::Plain, Mode::Tls, Mode::Basic, Mode::Token})
        QTest::newRow(qPrintable(RegistryFixture::modeName(mode))) << mode;
}

void TestRegistryClient::pullFromEachRegistry()
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

void TestRegistryClient::multiPlatformIndex()
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

void TestRegistryClient::basicCredentials_data()
{
    QTest::addColumn<QString>("password"); // empty: no credential stored
    QTest::addColumn<bool>("succeeds");
    QTest::addColumn<QString>("reason");
    QTest::newRow("good") << QStringLiteral("s3cret-pass") << true << QString();
    QTest::newRow("bad") << QStringLiteral("wrong") << false << QStringLiteral("authentication as porthole failed");
    QTest::newRow("none") << QString() << false << QStringLiteral("no credentials are stored");
}

void TestRegistryClient::basicCredentials()
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

void TestRegistryClient::tokenFlow()
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

void TestRegistryClient::tlsVerification()
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

void TestRegistryClient::pushAndReadBack()
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

void TestRegistryClient::redirectDropsAuthorization()
{
    const QByteArray blob = randomBytes(200 * 1024, 9);
    const Digest digest = Sha256::of(blob);
    TestHttpServer storage([&](const TestHttpRequest &) {
        TestHttpResponse r;
        r.body = blob;
        return r;
    });
    const QByteArray good = "Basic " + QByteArray("porthole:pw").toBase64();
    TestHttpServer registry([&](const TestHttpRequest &req) {
        if (req.header("Authorization") != good) {
            TestHttpResponse r = registryError(401, "UNAUTHORIZED", "authentication required");
            r.headers.emplaceBack("WWW-Authenticate", R"(Basic realm="test")");
            return r;
        }
        if (req.path.startsWith("/v2/x/y/blobs/")) {
            TestHttpResponse r;
            r.status = 307;
            r.headers = {{"Location", "http://localhost:" + QByteArray::number(storage.port()) + "/blob?sig=abc"}};
            return r;
        }
        return TestHttpResponse::json(200, "{}");
    });
    auto credentials = credentialsFor(registry.authority(), Credential{QStringLiteral("porthole"), QStringLiteral("pw")});
    RegistryClient client(repoRef(registry.authority() + QStringLiteral("/x/y")), credentials.get(), fastOptions());
    auto reader = client.openBlob(digest);
    QVERIFY2(reader, why(reader));
    QCOMPARE(Sha256::of(readAll(**reader)), digest);

    bool registrySawAuth = false;
    for (const TestHttpRequest &req : registry.requests())
        registrySawAuth |= req.path.startsWith("/v2/x/y/blobs/") && req.header("Authorization") == good;
    QVERIFY(registrySawAuth);
    const QList<TestHttpRequest> fetched = storage.requests();
    QCOMPARE(fetched.size(), 1);
    QCOMPARE(fetched.first().path, QByteArray("/blob"));
    QCOMPARE(fetched.first().query, QByteArray("sig=abc"));
    QVERIFY(!fetched.first().hasHeader("Authorization"));
}

// A non-loopback registry is reached through a recording HTTP proxy: without
// --tls-verify=false only a TLS tunnel is ever asked for; with it, plain HTTP
// is used but the stored password never goes out.
void TestRegistryClient::plainHttpNeverCarriesCredentials()
{
    TestHttpServer proxy([](const TestHttpRequest &req) {
        if (req.method == "CONNECT")
            return TestHttpResponse::json(403, "{}");
        TestHttpResponse r = registryError(401, "UNAUTHORIZED", "authentication required");
        r.headers.emplaceBack("WWW-Authenticate", R"(Basic realm="test")");
        return r;
    });
    const QString host = QStringLiteral("registry.example:5000");
    auto credentials = credentialsFor(host, Credential{QStringLiteral("porthole"), QStringLiteral("pw")});
    RegistryOptions options = fastOptions();
    options.proxy = QNetworkProxy(QNetworkProxy::HttpProxy, QStringLiteral("127.0.0.1"), proxy.port());

    const auto secure = RegistryClient(repoRef(host + QStringLiteral("/x/y")), credentials.get(), options)
                            .fetchManifest(QStringLiteral("1"));
    QVERIFY(!secure);
    QVERIFY(!proxy.requests().isEmpty());
    for (const TestHttpRequest &req : proxy.requests())
        QCOMPARE(req.method, QByteArray("CONNECT"));

    proxy.clearRequests();
    options.insecureRegistries = {QStringLiteral("registry.example")};
    RegistryClient insecure(repoRef(host + QStringLiteral("/x/y")), credentials.get(), options);
    const auto refused = insecure.fetchManifest(QStringLiteral("1"));
    QVERIFY(!refused);
    QCOMPARE(insecure.scheme(), QStringLiteral("http"));
    QCOMPARE(refused.error().code, ErrorCode::PermissionDenied);
    QVERIFY2(refused.error().message.contains(QStringLiteral("never sent over plain HTTP")),
             why(refused));
    QVERIFY(!proxy.requests().isEmpty());
    for (const TestHttpRequest &req : proxy.requests()) {
        QVERIFY(req.target.startsWith("http://registry.example:5000/"));
        QVERIFY(!req.hasHeader("Authorization"));
    }
}

void TestRegistryClient::retriesTransientFailures_data()
{
    QTest::addColumn<int>("failures");
    QTest::addColumn<int>("status"); // 0: the connection is cut
    QTest::addColumn<int>("requests");
    QTest::addColumn<bool>("succeeds");
    QTest::newRow("three 500s") << 3 << 500 << 4 << true;
    QTest::newRow("429 then ok") << 1 << 429 << 2 << true;
    QTest::newRow("cut twice") << 2 << 0 << 3 << true;
    QTest::newRow("four 503s") << 4 << 503 << 4 << false;
    QTest::newRow("404 not retried") << 1 << 404 << 1 << false;
}

void TestRegistryClient::retriesTransientFailures()
{
    QFETCH(int, failures);
    QFETCH(int, status);
    QFETCH(int, requests);
    QFETCH(bool, succeeds);
    std::atomic_int count = 0;
    TestHttpServer registry([&](const TestHttpRequest &req) {
        if (req.path == "/v2/")
            return TestHttpResponse::json(200, "{}");
        if (++count <= failures) {
            TestHttpResponse r = registryError(status ? status : 500, "UNAVAILABLE", "try later");
            if (status == 0)
                r.cutAfter = 3;
            return r;
        }
        TestHttpResponse r = TestHttpResponse::json(200, kOciManifest);
        r.headers = {{"Content-Type", "application/vnd.oci.image.manifest.v1+json"}};
        return r;
    });
    RegistryClient client(repoRef(registry.authority() + QStringLiteral("/x/y")), nullptr, fastOptions());
    const auto manifest = client.fetchManifest(QStringLiteral("1"));
    QCOMPARE(bool(manifest), succeeds);
    QCOMPARE(count.load(), requests);
    if (!succeeds)
        QVERIFY2(manifest.error().message.contains(QStringLiteral("(HTTP %1)").arg(status)),
                 why(manifest));
}

void TestRegistryClient::hostileManifests_data()
{
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QByteArray>("claimedDigest");
    QTest::addColumn<QString>("ref");
    QTest::addColumn<QString>("reason");
    const QByteArray schema1 = R"({"schemaVersion":1,"name":"x/y","tag":"1","fsLayers":[],"signatures":[]})";
    const QString okDigest = Sha256::of(kOciManifest).toString();
    QTest::newRow("schema 1") << QByteArray("application/vnd.docker.distribution.manifest.v1+prettyjws") << schema1
                              << QByteArray() << QStringLiteral("1") << QStringLiteral("deprecated schema 1 format");
    QTest::newRow("type mismatch") << QByteArray("application/vnd.oci.image.index.v1+json") << kOciManifest
                                   << QByteArray() << QStringLiteral("1") << QStringLiteral("served the manifest as");
    QTest::newRow("over 4 MiB") << QByteArray("application/vnd.oci.image.manifest.v1+json")
                                << QByteArray(5 * 1024 * 1024, ' ') << QByteArray() << QStringLiteral("1")
                                << QStringLiteral("larger than the 4 MiB limit");
    QTest::newRow("wrong bytes by digest") << QByteArray("application/vnd.oci.image.manifest.v1+json") << kOciManifest
                                           << QByteArray() << Sha256::of("other").toString()
                                           << QStringLiteral("whose digest is ") + okDigest;
    QTest::newRow("lying digest header") << QByteArray("application/vnd.oci.image.manifest.v1+json") << kOciManifest
                                         << Sha256::of("other").toString().toLatin1() << QStringLiteral("1")
                                         << QStringLiteral("but its bytes hash to");
}

void TestRegistryClient::hostileManifests()
{
    QFETCH(QByteArray, contentType);
    QFETCH(QByteArray, body);
    QFETCH(QByteArray, claimedDigest);
    QFETCH(QString, ref);
    QFETCH(QString, reason);
    TestHttpServer registry([&](const TestHttpRequest &req) {
        if (req.path == "/v2/")
            return TestHttpResponse::json(200, "{}");
        TestHttpResponse r;
        r.headers = {{"Content-Type", contentType}};
        if (!claimedDigest.isEmpty())
            r.headers.emplaceBack("Docker-Content-Digest", claimedDigest);
        r.body = body;
        return r;
    });
    RegistryClient client(repoRef(registry.authority() + QStringLiteral("/x/y")), nullptr, fastOptions());
    const auto manifest = client.fetchManifest(ref);
    QVERIFY(!manifest);
    const QString prefix = QStringLiteral("pull %1/x/y%2%3: ")
                               .arg(registry.authority(), ref.startsWith(QLatin1String("sha256:")) ? "@" : ":", ref);
    QVERIFY2(manifest.error().message.startsWith(prefix), why(manifest));
    QVERIFY2(manifest.error().message.contains(reason), why(manifest));
}

// A blob cut off midway reports an error after the bytes that arrived; a new
// request from that offset gets the rest (206), or the whole blob when the
// server ignores Range (200, offset 0).
void TestRegistryClient::resumeAfterCutConnection()
{
    const QByteArray blob = randomBytes(3 * 1024 * 1024, 21);
    const Digest digest = Sha256::of(blob);
    std::atomic_bool honourRange = true;
    TestHttpServer registry([&](const TestHttpRequest &req) {
        if (req.path == "/v2/")
            return TestHttpResponse::json(200, "{}");
        TestHttpResponse r;
        const QByteArray range = req.header("Range");
        if (range.startsWith("bytes=") && honourRange) {
            const qint64 from = range.mid(6, range.indexOf('-') - 6).toLongLong();
            r.status = 206;
            r.headers = {{"Content-Range", QStringLiteral("bytes %1-%2/%3").arg(from).arg(blob.size() - 1).arg(blob.size()).toLatin1()}};
            r.body = blob.mid(from);
        } else {
            r.body = blob;
            r.cutAfter = range.isEmpty() ? blob.size() / 3 : -1;
        }
        return r;
    });
    RegistryClient client(repoRef(registry.authority() + QStringLiteral("/x/y")), nullptr, fastOptions());
    auto first = client.openBlob(digest);
    QVERIFY2(first, why(first));
    Error cut;
    const QByteArray head = readAll(**first, &cut, 65536);
    QCOMPARE(cut.code, ErrorCode::Network);
    QVERIFY2(cut.message.startsWith(QStringLiteral("pull %1/x/y@%2: ").arg(registry.authority(), digest.toString())),
             qPrintable(cut.message));
    QVERIFY(head.size() > 0 && head.size() <= blob.size() / 3);

    auto rest = client.openBlob(digest, head.size());
    QVERIFY2(rest, why(rest));
    QCOMPARE((*rest)->offset(), head.size());
    QCOMPARE(Sha256::of(head + readAll(**rest)), digest);

    // Cancelling the client's token stops a read in progress.
    RegistryOptions cancellable = fastOptions();
    RegistryClient stoppable(repoRef(registry.authority() + QStringLiteral("/x/y")), nullptr, cancellable);
    auto reading = stoppable.openBlob(digest, 1);
    QVERIFY2(reading, why(reading));
    char buf[1000];
    QVERIFY((*reading)->read(buf, sizeof buf));
    cancellable.cancel.cancel();
    const auto stopped = (*reading)->read(buf, sizeof buf);
    QVERIFY(!stopped);
    QCOMPARE(stopped.error().code, ErrorCode::Cancelled);

    honourRange = false;
    auto restart = client.openBlob(digest, head.size());
    QVERIFY2(restart, why(restart));
    QCOMPARE((*restart)->offset(), 0);
    QVERIFY(!(*restart)->resumed());
    QCOMPARE(Sha256::of(readAll(**restart)), digest);
}

QTEST_GUILESS_MAIN(TestRegistryClient)
#include "tst_registryclient.moc"
