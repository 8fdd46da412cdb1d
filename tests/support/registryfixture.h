// Real registries for tests: Debian's docker-registry on a free loopback port,
// in plain HTTP, TLS (a CA and server certificate made with the openssl CLI),
// htpasswd Basic auth, or token auth (a token server in this process that
// checks Basic credentials and signs RS256 JWTs with a key whose certificate
// is the registry's rootcertbundle, as Docker Hub's auth service does).
// Also: a scripted HTTP server for hostile or recording endpoints, and an OCI
// layout writer for test images that skopeo pushes into the registry.
//
// Everything here is owned by the test function that makes it; destructors
// stop servers and kill processes (the registry also dies with the test
// process through PR_SET_PDEATHSIG), so a failing QVERIFY leaks nothing.
// Objects are made and destroyed on the test's main thread; the servers run
// their own threads, so they answer while that thread blocks.
#pragma once

#include "core/digest.h"
#include "core/result.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QMutex>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>
#include <QThread>

#include <functional>
#include <memory>
#include <optional>

namespace porthole::test {

// --- a scripted HTTP/1.1 server ---------------------------------------------------------

struct TestHttpRequest {
    QByteArray method;
    QByteArray target; // as sent: "/v2/", or "http://host/v2/" through a proxy
    QByteArray path;   // target without scheme, host and query
    QByteArray query;
    QList<std::pair<QByteArray, QByteArray>> headers;
    QByteArray body;

    QByteArray header(QByteArrayView name) const; // case-insensitive, empty if absent
    bool hasHeader(QByteArrayView name) const;
};

struct TestHttpResponse {
    int status = 200;
    QList<std::pair<QByteArray, QByteArray>> headers;
    QByteArray body;
    // Send Content-Length for the whole body but only this many bytes of it,
    // then close: a connection cut midway. -1 sends everything.
    qint64 cutAfter = -1;
    // Declare this Content-Length instead of the body's size (-1: the body's).
    qint64 declaredLength = -1;
    // Send the body with Transfer-Encoding: chunked and no Content-Length, as
    // a server that does not say how long its body is.
    bool chunked = false;
    // Then (chunked) send `repeat` over and over, endlessBytes in all, or
    // until the client hangs up: a body that does not end. Sent as the
    // client reads it, a megabyte ahead at most.
    QByteArray repeat;
    qint64 endlessBytes = 0;

    static TestHttpResponse json(int status, const QByteArray &body);
};

// Answers every request with handler() on its own thread, one request per
// connection (Connection: close), and records it. Listens on 127.0.0.1 with
// plain HTTP only; a TLS ClientHello gets 400 and a close, as from a Go
// server, so a client probing https first falls back at once.
class TestHttpServer {
public:
    using Handler = std::function<TestHttpResponse(const TestHttpRequest &)>;

    explicit TestHttpServer(Handler handler);
    ~TestHttpServer();

    quint16 port() const { return m_port; }
    QString authority() const { return QStringLiteral("127.0.0.1:%1").arg(m_port); }
    QList<TestHttpRequest> requests() const;
    void clearRequests();

private:
    class Thread;
    std::unique_ptr<Thread> m_thread;
    quint16 m_port = 0;
};

// --- docker-registry ---------------------------------------------------------------------

class RegistryFixture {
public:
    // TlsClientCert: TLS that also asks for a client certificate signed by
    // the test CA (mutual TLS); certsDir() holds client.cert and client.key.
    enum class Mode { Plain, Tls, TlsWrongHost, TlsClientCert, Basic, Token };

    // True when docker-registry, openssl, htpasswd and skopeo are installed.
    static bool available();
    static QString modeName(Mode mode);

    // Starts a registry and waits until GET /v2/ answers (10 s at most).
    static std::unique_ptr<RegistryFixture> start(Mode mode, QString *error);
    ~RegistryFixture();

    Mode mode() const { return m_mode; }
    quint16 port() const { return m_port; }
    QString host() const { return QStringLiteral("127.0.0.1:%1").arg(m_port); }
    // TLS modes: the CA certificate, and a certs.d root holding
    // <host>/ca.crt and localhost:<port>/ca.crt (and client.cert, client.key
    // in TlsClientCert mode).
    QString caPath() const { return m_dir.filePath(QStringLiteral("ca.crt")); }
    QString certsDir() const { return m_dir.filePath(QStringLiteral("certs.d")); }
    // Basic and Token modes.
    QString username() const { return QStringLiteral("porthole"); }
    QString password() const { return QStringLiteral("s3cret-pass"); }
    // Token mode: an OAuth refresh token the token server accepts for username().
    QString identityToken() const { return QStringLiteral("porthole-identity-token"); }
    // Token mode: the token server's log.
    int tokenRequests() const;
    QStringList tokenScopes() const; // per request, its scopes joined by spaces
    void clearTokenLog();
    // The registry's own output, for failure messages.
    QString log() const;

    // skopeo copy --all oci:<layoutDir>:<ref> docker://<host>/<repoTag>, with
    // this registry's credentials. Returns skopeo's error output on failure.
    std::optional<QString> pushWithSkopeo(const QString &layoutDir, const QString &ref, const QString &repoTag) const;
    // skopeo inspect --raw: the manifest as an independent client reads it.
    Result<QByteArray> skopeoRawManifest(const QString &repoTag) const;

private:
    explicit RegistryFixture(Mode mode);
    bool prepare(QString *error);
    bool launch(QString *error);
    bool waitReady(QString *error);
    QStringList skopeoCredsArgs(const QString &prefix) const;
    bool isTls() const { return m_mode == Mode::Tls || m_mode == Mode::TlsWrongHost || m_mode == Mode::TlsClientCert; }

    struct TokenIssuer;
    Mode m_mode;
    QTemporaryDir m_dir;
    quint16 m_port = 0;
    QProcess m_process;
    std::unique_ptr<TokenIssuer> m_issuer;
};

// --- test images -------------------------------------------------------------------------

struct TestImage {
    QString ref;
    QByteArray manifest;
    Digest manifestDigest;
    Digest configDigest;
    QList<Digest> layerDigests;
    QList<qint64> layerSizes;
};

// Writes an OCI image layout (oci-layout, index.json, blobs/sha256/) that
// skopeo, umoci and Porthole can read.
class OciLayoutWriter {
public:
    explicit OciLayoutWriter(QString dir);

    QString dir() const { return m_dir; }
    Result<Digest> writeBlob(const QByteArray &bytes);

    // An image with one gzip'd tar layer per entry of fileSizes, each holding
    // one file of that many seeded pseudo-random (incompressible) bytes.
    // With ref empty the image is written but not listed in index.json (an
    // index's member).
    Result<TestImage> addImage(const QString &ref, const QList<qint64> &fileSizes, const QString &architecture,
                               quint32 seed);
    // An OCI index over the given images, one per platform, listed under ref.
    Result<TestImage> addIndex(const QString &ref, const QList<TestImage> &images,
                               const QStringList &architectures);

private:
    Status writeIndexJson();
    QString m_dir;
    QList<QJsonObject> m_entries; // index.json's manifests
};

} // namespace porthole::test
