// `porthole pull` against a scripted registry that misbehaves (a blob whose
// digest does not match, bodies shorter and longer than their descriptors,
// with or without a Content-Length, bodies that never end, a config over the
// document limit, manifests over it, a Content-Type that contradicts the
// manifest, redirects to another host, 500s, a connection cut halfway), and
// two pulls of one image racing into one store. Every pull ends in the right
// image or in a clear error that left nothing unverified behind.
#include "support/registryfixture.h"
#include "support/testsupport.h"
#include "support/ustarwriter.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <atomic>

using namespace porthole;
using namespace porthole::test;

namespace {

const QByteArray kRepo = "/v2/hostile/app/";
const QByteArray kOciManifest = "application/vnd.oci.image.manifest.v1+json";

enum class Trick { None, DigestMismatch, BodyShorter, BodyLonger, HugeManifest, MediaTypeMismatch, ServerErrors, CutOnce,
                   CutOnceNoRange, ChunkedOneByteLonger, EndlessLayer, LengthLies, RangeTotalLies, EndlessConfig,
                   ConfigOverLimit, EndlessManifest };

// An empty gzip member: what a body can go on with forever and still be gzip.
const QByteArray kEmptyGzipMember = QByteArray::fromHex("1f8b080000000000000303000000000000000000");

// What the scripted registry serves, shared with its thread (read-only there
// except for the attempt counter).
struct Served {
    TestImage image;
    QHash<QByteArray, QByteArray> blobs; // "sha256:<hex>" -> bytes, from the layout
    QByteArray badLayer;                 // the layer blob the trick applies to
    Trick trick = Trick::None;
    QByteArray requiredAuth;             // "Basic ...", or empty for anonymous
    QByteArray redirectBase;             // blob GETs answer 307 to <base><digest>
    std::atomic<int> badAttempts{0};
};

// Content as a registry serves it; the digest header is what it claims.
TestHttpResponse content(const QByteArray &bytes, const QByteArray &type = "application/octet-stream")
{
    TestHttpResponse r;
    r.headers = {{"Content-Type", type}, {"Docker-Content-Digest", Sha256::of(bytes).toString().toLatin1()}};
    r.body = bytes;
    return r;
}

QStringList listing(const QString &dir)
{
    return QDir(dir).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden);
}

// An OCI layout's blobs by "sha256:<hex>".
QHash<QByteArray, QByteArray> layoutBlobs(const QString &layout)
{
    QHash<QByteArray, QByteArray> blobs;
    for (const QString &name : listing(layout + QStringLiteral("/blobs/sha256"))) {
        QFile f(layout + QStringLiteral("/blobs/sha256/") + name);
        if (f.open(QIODevice::ReadOnly))
            blobs.insert("sha256:" + name.toLatin1(), f.readAll());
    }
    return blobs;
}

// The faulty answer for the bad layer's attempt-th GET.
TestHttpResponse badLayerResponse(Served &s, const TestHttpRequest &req, const QByteArray &bytes, int attempt)
{
    TestHttpResponse r = content(bytes); // the header keeps the true digest whatever the body is
    switch (s.trick) {
    case Trick::DigestMismatch:
        // The gzip header's MTIME is outside every checksum but the blob's
        // digest: the same tar (so the diff ID matches), other blob bytes.
        r.body[4] = char(r.body[4] ^ 0x5a);
        break;
    case Trick::BodyShorter:
        r.body.chop(1000);
        break;
    case Trick::BodyLonger:
        // An empty second gzip member: the tar and diff ID stay the same, so
        // only the size check can catch it.
        r.body += kEmptyGzipMember;
        break;
    case Trick::ChunkedOneByteLonger:
        // No length announced; one byte past the descriptor's size.
        r.chunked = true;
        r.body += kEmptyGzipMember.left(1);
        break;
    case Trick::EndlessLayer:
        // Empty gzip members after the blob, 8 GiB of them: decompressing
        // them yields nothing, so only a cap on what is read stops them.
        r.chunked = true;
        r.repeat = kEmptyGzipMember;
        r.endlessBytes = 8LL << 30;
        break;
    case Trick::LengthLies:
        r.body += kEmptyGzipMember.left(1);
        break;
    case Trick::RangeTotalLies:
        // The first GET is cut, the second is answered from the cut with a
        // Content-Range total one byte larger than the descriptor's.
        if (attempt == 0) {
            r.cutAfter = bytes.size() / 2;
        } else if (const QByteArray range = req.header("Range"); range.startsWith("bytes=")) {
            const qint64 from = range.mid(6).chopped(1).toLongLong();
            r.status = 206;
            r.body = bytes.mid(from) + kEmptyGzipMember.left(1);
            r.headers.emplaceBack("Content-Range",
                                  QStringLiteral("bytes %1-%2/%3").arg(from).arg(bytes.size()).arg(bytes.size() + 1).toLatin1());
        }
        break;
    case Trick::ServerErrors:
        if (attempt < 3)
            return TestHttpResponse::json(500, R"({"errors":[{"code":"UNKNOWN","message":"try again"}]})");
        break;
    case Trick::CutOnce:
    case Trick::CutOnceNoRange: {
        if (attempt == 0) {
            r.cutAfter = bytes.size() / 2;
            break;
        }
        const QByteArray range = req.header("Range");
        if (s.trick == Trick::CutOnce && range.startsWith("bytes=") && range.endsWith('-')) {
            const qint64 from = range.mid(6).chopped(1).toLongLong();
            r.status = 206;
            r.body = bytes.mid(from);
            r.headers.emplaceBack("Content-Range",
                                  QStringLiteral("bytes %1-%2/%3").arg(from).arg(bytes.size() - 1).arg(bytes.size()).toLatin1());
        }
        break;
    }
    default:
        break;
    }
    return r;
}

TestHttpResponse serveRegistry(Served &s, const TestHttpRequest &req)
{
    if (!s.requiredAuth.isEmpty() && req.header("Authorization") != s.requiredAuth) {
        TestHttpResponse r = TestHttpResponse::json(401, R"({"errors":[{"code":"UNAUTHORIZED"}]})");
        r.headers.emplaceBack("WWW-Authenticate", R"(Basic realm="hostile")");
        return r;
    }
    if (req.path == "/v2/")
        return TestHttpResponse::json(200, "{}");
    const QByteArray manifestDigest = s.image.manifestDigest.toString().toLatin1();
    if (req.path.startsWith(kRepo + "manifests/")) {
        const QByteArray ref = req.path.mid(kRepo.size() + 10);
        if (ref != "1" && ref != manifestDigest)
            return TestHttpResponse::json(404, R"({"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown"}]})");
        if (s.trick == Trick::HugeManifest) {
            QJsonObject doc = QJsonDocument::fromJson(s.image.manifest).object();
            doc[QStringLiteral("annotations")] = QJsonObject{{QStringLiteral("pad"), QString(20 << 20, u'x')}};
            return content(QJsonDocument(doc).toJson(QJsonDocument::Compact), kOciManifest);
        }
        if (s.trick == Trick::EndlessManifest) {
            // JSON may end in any amount of white space.
            TestHttpResponse r = content(s.image.manifest, kOciManifest);
            r.chunked = true;
            r.repeat = " ";
            r.endlessBytes = 8LL << 30;
            return r;
        }
        if (s.trick == Trick::ConfigOverLimit) {
            QJsonObject doc = QJsonDocument::fromJson(s.image.manifest).object();
            QJsonObject config = doc[QStringLiteral("config")].toObject();
            config[QStringLiteral("size")] = double((16 << 20) + 1);
            doc[QStringLiteral("config")] = config;
            return content(QJsonDocument(doc).toJson(QJsonDocument::Compact), kOciManifest);
        }
        if (s.trick == Trick::MediaTypeMismatch)
            return content(s.image.manifest, "application/vnd.docker.distribution.manifest.v2+json");
        return content(s.image.manifest, kOciManifest);
    }
    if (req.path.startsWith(kRepo + "blobs/")) {
        const QByteArray digest = req.path.mid(kRepo.size() + 6);
        if (!s.blobs.contains(digest))
            return TestHttpResponse::json(404, R"({"errors":[{"code":"BLOB_UNKNOWN","message":"blob unknown"}]})");
        if (!s.redirectBase.isEmpty()) {
            TestHttpResponse r;
            r.status = 307;
            r.headers = {{"Location", s.redirectBase + digest + "?signature=abc"}};
            return r;
        }
        if (digest == s.badLayer && req.method == "GET")
            return badLayerResponse(s, req, s.blobs.value(digest), s.badAttempts++);
        if (s.trick == Trick::EndlessConfig && digest == s.image.configDigest.toString().toLatin1()) {
            TestHttpResponse r = content(s.blobs.value(digest));
            r.chunked = true;
            r.repeat = " ";
            r.endlessBytes = 8LL << 30;
            return r;
        }
        return content(s.blobs.value(digest));
    }
    return TestHttpResponse::json(404, "{}");
}

} // namespace

class TestPullHostile : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void failsCleanly_data();
    void failsCleanly();
    void bigConfigSurvivesGarbageCollection();
    void threeServerErrorsThenSuccess();
    void redirectToAnotherHostWithoutAuthorization();
    void cutConnectionResumes_data();
    void cutConnectionResumes();
    void twoProcessesPullOneImage();

private:
    // No demo image, and no credentials but those of dockerConfig.
    QProcessEnvironment env(const QString &dockerConfig = {})
    {
        QProcessEnvironment e = QProcessEnvironment::systemEnvironment();
        e.insert(QStringLiteral("PORTHOLE_NO_DEMO"), QStringLiteral("1"));
        const QString config = dockerConfig.isEmpty() ? m_emptyDockerConfig.path() : dockerConfig;
        e.insert(QStringLiteral("DOCKER_CONFIG"), config);
        e.insert(QStringLiteral("REGISTRY_AUTH_FILE"), config + QStringLiteral("/auth.json"));
        return e;
    }
    RunResult ph(const QString &root, const QStringList &args, const QString &dockerConfig = {})
    {
        return runPorthole(root, args, {}, 30000, env(dockerConfig));
    }
    std::shared_ptr<Served> served(Trick trick)
    {
        auto s = std::make_shared<Served>();
        s->image = m_image;
        s->blobs = m_blobs;
        s->badLayer = m_image.layerDigests.last().toString().toLatin1();
        s->trick = trick;
        return s;
    }
    QString verifyPulled(const QString &root, const TestImage &image, const QHash<QByteArray, QByteArray> &blobs);
    QString strayState(const QString &root, const QString &badBlob);

    QTemporaryDir m_emptyDockerConfig;
    QTemporaryDir m_layout;
    TestImage m_image;
    QHash<QByteArray, QByteArray> m_blobs;
    QHash<QString, QString> m_layerOfDiffId; // diff ID -> its blob's digest
};

void TestPullHostile::initTestCase()
{
    QVERIFY(m_emptyDockerConfig.isValid() && m_layout.isValid());
    OciLayoutWriter writer(m_layout.path());
    auto image = writer.addImage(QStringLiteral("app"), {150000, 6000000}, QStringLiteral("amd64"), 11);
    QVERIFY2(image, qPrintable(image ? QString() : image.error().message));
    m_image = *image;
    m_blobs = layoutBlobs(m_layout.path());
    const QJsonArray diffIds = QJsonDocument::fromJson(m_blobs.value(m_image.configDigest.toString().toLatin1()))
                                   .object()[QStringLiteral("rootfs")][QStringLiteral("diff_ids")].toArray();
    QCOMPARE(diffIds.size(), m_image.layerDigests.size());
    for (int i = 0; i < diffIds.size(); ++i)
        m_layerOfDiffId.insert(diffIds[i].toString(), m_image.layerDigests[i].toString());
}

// Empty when root holds exactly this image, named, each blob once and each
// layer once (a dir and its marker), with nothing left over.
QString TestPullHostile::verifyPulled(const QString &root, const TestImage &image, const QHash<QByteArray, QByteArray> &blobs)
{
    const RunResult images = ph(root, {QStringLiteral("images"), QStringLiteral("-q"), QStringLiteral("--no-trunc")});
    if (images.out.trimmed() != image.configDigest.toString().toLatin1())
        return QStringLiteral("images -q: \"%1\"").arg(QString::fromUtf8(images.out + images.err));
    for (const Digest &d : QList<Digest>{image.manifestDigest, image.configDigest} + image.layerDigests) {
        QFile f(root + QStringLiteral("/blobs/sha256/") + d.hex());
        if (!f.open(QIODevice::ReadOnly) || f.readAll() != blobs.value(d.toString().toLatin1()))
            return QStringLiteral("blob %1 is missing or wrong").arg(d.toString());
    }
    const QStringList stored = listing(root + QStringLiteral("/blobs/sha256"));
    if (stored.size() != 2 + image.layerDigests.size())
        return QStringLiteral("blobs/sha256 has %1").arg(stored.join(u' '));
    const QStringList layers = listing(root + QStringLiteral("/layers"));
    if (layers.size() != 2 * image.layerDigests.size() || layers.filter(QStringLiteral(".complete")).size() != image.layerDigests.size())
        return QStringLiteral("layers/ has %1").arg(layers.join(u' '));
    const QStringList ingest = listing(root + QStringLiteral("/ingest"));
    return ingest.isEmpty() ? QString() : QStringLiteral("ingest/ still has %1").arg(ingest.join(u' '));
}

// What a failed pull left that it must not have; empty when nothing. Verified
// blobs (config, a good layer) may stay: content-addressed, what a retry would
// fetch again. Never: a tag, the manifest (written last), the bad blob, a layer
// dir without a marker or whose blob is not verified, a temp file, or a partial
// download that is not a prefix of its blob (resume must not build on it).
QString TestPullHostile::strayState(const QString &root, const QString &badBlob)
{
    const RunResult images = ph(root, {QStringLiteral("images"), QStringLiteral("-q")});
    if (images.exitCode != 0 || !images.out.isEmpty())
        return QStringLiteral("images -q: \"%1\"").arg(QString::fromUtf8(images.out + images.err));
    QFile index(root + QStringLiteral("/index.json"));
    if (index.open(QIODevice::ReadOnly) && !QJsonDocument::fromJson(index.readAll())[QStringLiteral("manifests")].toArray().isEmpty())
        return QStringLiteral("index.json names something");
    const QDir blobs(root + QStringLiteral("/blobs/sha256"));
    for (const QString &name : blobs.entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden)) {
        QFile f(blobs.filePath(name));
        const bool ok = f.open(QIODevice::ReadOnly) && Sha256::of(f.readAll()).hex() == name;
        if (!ok || name == m_image.manifestDigest.hex() || QStringLiteral("sha256:") + name == badBlob)
            return QStringLiteral("blobs/sha256/%1 should not be there").arg(name);
    }
    const QDir layers(root + QStringLiteral("/layers"));
    for (const QString &name : layers.entryList(QDir::Dirs | QDir::NoDotAndDotDot | QDir::Hidden)) {
        QFile marker(layers.filePath(name + QStringLiteral(".complete")));
        const QString diffId = marker.open(QIODevice::ReadOnly) ? QString::fromLatin1(marker.readAll().trimmed()) : QString();
        const QString blob = m_layerOfDiffId.value(diffId);
        if (blob.isEmpty() || blob == badBlob || !blobs.exists(blob.mid(7)))
            return QStringLiteral("layers/%1 (diff ID \"%2\") is there without its verified blob").arg(name, diffId);
    }
    const QDir ingest(root + QStringLiteral("/ingest"));
    for (const QString &name : ingest.entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden)) {
        QFile f(ingest.filePath(name));
        const QByteArray whole = m_blobs.value("sha256:" + name.section(u'.', 0, 0).toLatin1());
        const QByteArray part = f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
        if (!name.endsWith(QStringLiteral(".partial")) || whole.isEmpty() || part.size() > whole.size() || !whole.startsWith(part))
            return QStringLiteral("ingest/%1 is a leftover (%2 bytes)").arg(name).arg(part.size());
    }
    return {};
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

void TestPullHostile::threeServerErrorsThenSuccess()
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

void TestPullHostile::redirectToAnotherHostWithoutAuthorization()
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

void TestPullHostile::cutConnectionResumes_data()
{
    QTest::addColumn<Trick>("trick");
    QTest::newRow("registry honours Range") << Trick::CutOnce;
    QTest::newRow("registry ignores Range") << Trick::CutOnceNoRange;
}

// A layer cut off midway is asked for again from where the puller's stream
// stopped: the cut, or before it if Qt dropped buffered bytes, never 0. If
// the registry ignores Range, the layer starts over. The layer outgrows the
// 1 MiB read buffer, so the cut lands while the body is read, not in open().
void TestPullHostile::cutConnectionResumes()
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

void TestPullHostile::twoProcessesPullOneImage()
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

QTEST_GUILESS_MAIN(TestPullHostile)
#include "tst_pullhostile.moc"
