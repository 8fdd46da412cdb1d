// Shared by the hostile-registry pull tests (tst_pullhostile: a registry
// that serves bad content; tst_pullrecovery: errors, redirects, cut
// connections and racing pulls that end in the right image): a scripted
// registry with tricks, and a fixture that builds its image and checks what
// a pull left in a store.
#pragma once

#include "support/registryfixture.h"
#include "support/testsupport.h"
#include "support/ustarwriter.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcessEnvironment>
#include <QTemporaryDir>
#include <QTest>

#include <atomic>
#include <memory>

namespace porthole::test::hostile {

inline const QByteArray kRepo = "/v2/hostile/app/";
inline const QByteArray kOciManifest = "application/vnd.oci.image.manifest.v1+json";

enum class Trick { None, DigestMismatch, BodyShorter, BodyLonger, HugeManifest, MediaTypeMismatch, ServerErrors, CutOnce,
                   CutOnceNoRange, ChunkedOneByteLonger, EndlessLayer, LengthLies, RangeTotalLies, EndlessConfig,
                   ConfigOverLimit, EndlessManifest };

// An empty gzip member: what a body can go on with forever and still be gzip.
inline const QByteArray kEmptyGzipMember = QByteArray::fromHex("1f8b080000000000000303000000000000000000");

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
inline TestHttpResponse content(const QByteArray &bytes, const QByteArray &type = "application/octet-stream")
{
    TestHttpResponse r;
    r.headers = {{"Content-Type", type}, {"Docker-Content-Digest", Sha256::of(bytes).toString().toLatin1()}};
    r.body = bytes;
    return r;
}

inline QStringList listing(const QString &dir)
{
    return QDir(dir).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden);
}

// An OCI layout's blobs by "sha256:<hex>".
inline QHash<QByteArray, QByteArray> layoutBlobs(const QString &layout)
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
inline TestHttpResponse badLayerResponse(Served &s, const TestHttpRequest &req, const QByteArray &bytes, int attempt)
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

inline TestHttpResponse serveRegistry(Served &s, const TestHttpRequest &req)
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

class PullFixture {
protected:
    // Called by initTestCase: the image the registry serves.
    void prepareImage()
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
    // Empty when root holds exactly this image, named, each blob once and each
    // layer once (a dir and its marker), with nothing left over.
    QString verifyPulled(const QString &root, const TestImage &image, const QHash<QByteArray, QByteArray> &blobs)
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
    QString strayState(const QString &root, const QString &badBlob)
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

    QTemporaryDir m_emptyDockerConfig;
    QTemporaryDir m_layout;
    TestImage m_image;
    QHash<QByteArray, QByteArray> m_blobs;
    QHash<QString, QString> m_layerOfDiffId; // diff ID -> its blob's digest
};

} // namespace porthole::test::hostile
