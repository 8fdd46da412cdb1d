// A blocking HTTP/1.1 client over Qt Network for the registry code: one request
// at a time, each waited for in a local QEventLoop, so the engine's synchronous
// API can sit on top of it. It only reports what happened on the wire; it never
// retries, follows redirects or authenticates (RegistryClient decides those).
//
// Threading: an HttpClient and every HttpBodyReader it opens belong to the thread
// that created the client (Qt's QNetworkAccessManager rule). A body reader keeps
// the network manager alive, so it may outlive its HttpClient on that thread.
//
// TLS: peer and host-name verification are always on. CA certificates for a
// host come from the system store plus every *.crt in <certsDir>/<host[:port]>/,
// and a client certificate (<name>.cert and <name>.key) from there is
// presented to registries that ask for one (docker's and containers' certs.d
// convention, registry/certsdir.h).
#pragma once

#include "core/bytestream.h"
#include "core/cancel.h"
#include "core/result.h"

#include <QByteArray>
#include <QList>
#include <QNetworkProxy>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <memory>
#include <optional>
#include <utility>

class QNetworkReply;

namespace porthole::registry {

using HeaderList = QList<std::pair<QByteArray, QByteArray>>;

struct HttpRequest {
    QByteArray method = "GET"; // GET, HEAD, PUT, POST, PATCH, DELETE
    QUrl url;
    HeaderList headers;
    QByteArray body;

    // Replaces any header of that name (names compare case-insensitively).
    void setHeader(const QByteArray &name, const QByteArray &value);
    void removeHeader(const QByteArray &name);
    QByteArray header(QByteArrayView name) const;
};

// Why a request got no HTTP answer. The registry session retries Reset and Timeout,
// falls back to plain HTTP on TlsProtocol for loopback hosts, and turns the
// rest into errors.
enum class TransportFailure {
    None,
    Refused,        // nothing listens on the port
    Reset,          // the connection closed or reset before the answer was complete
    Timeout,        // no byte moved for the transfer timeout
    TlsProtocol,    // the TLS handshake failed (e.g. the server speaks plain HTTP)
    TlsCertificate, // the server's certificate was not trusted for this host
    TlsSetup,       // the host's certs.d directory is unusable; nothing was sent
    TlsClientRejected, // the server wanted a client certificate, or not ours
    TooLarge,       // the body was longer than the caller's limit
    Cancelled,
    Other,          // host not found, proxy errors, malformed answers
};

struct HttpResponse {
    TransportFailure failure = TransportFailure::None;
    QString failureText; // Qt's description, and the certificate errors if any
    int status = 0;
    QByteArray reason;
    HeaderList headers;
    QByteArray body;
    QUrl url; // the URL this answer came from

    bool answered() const { return failure == TransportFailure::None; }
    // First header of that name, case-insensitively; empty if absent.
    QByteArray header(QByteArrayView name) const;
    // All headers of that name (WWW-Authenticate may come several times).
    QList<QByteArray> headerValues(QByteArrayView name) const;
    // Content-Length, or -1 when absent or unreadable.
    qint64 contentLength() const;
};

struct HttpClientOptions {
    // Searched in order; the first directory that has <host[:port]>/ wins.
    QStringList certsDirs;
    // Used for every host that is not loopback. Unset: the environment's
    // http_proxy/https_proxy/no_proxy, as docker does. Loopback never uses a proxy.
    std::optional<QNetworkProxy> proxy;
    // A request fails with Timeout when no byte moves for this long.
    int transferTimeoutMs = 60000;
    QByteArray userAgent = "porthole";
};

// Streams a response body. read() blocks in a local event loop until bytes
// arrive, the body ends (returns 0) or the transfer fails (Network error, or
// Cancelled when the token given to open() is cancelled). At most about
// kReadBuffer bytes are held in memory, whatever the body's size.
class HttpBodyReader final : public ByteSource {
public:
    static constexpr qint64 kReadBuffer = 1 << 20;

    ~HttpBodyReader() override;
    HttpBodyReader(const HttpBodyReader &) = delete;
    HttpBodyReader &operator=(const HttpBodyReader &) = delete;

    Result<qint64> read(char *buf, qint64 max) override;
    qint64 bytesRead() const { return m_read; }

private:
    friend class HttpClient;
    struct Impl;
    explicit HttpBodyReader(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
    qint64 m_read = 0;
};

class HttpClient {
public:
    explicit HttpClient(HttpClientOptions options);
    ~HttpClient();
    HttpClient(const HttpClient &) = delete;
    HttpClient &operator=(const HttpClient &) = delete;

    // Sends the request and reads the whole body, failing with TooLarge (and
    // closing the connection) as soon as it is known to exceed maxBody bytes.
    HttpResponse send(const HttpRequest &request, qint64 maxBody, const CancelToken &cancel);

    // Sends the request and waits for the status line and headers only. When
    // the request was answered, *body streams the body.
    HttpResponse open(const HttpRequest &request, const CancelToken &cancel, std::unique_ptr<HttpBodyReader> *body);

    // Why requests to this https URL's host cannot be sent (its certs.d
    // directory is unusable: a client certificate without its key...);
    // empty when they can. send() and open() answer TlsSetup then.
    QString tlsProblem(const QUrl &url);

private:
    struct Shared;
    QNetworkReply *start(const HttpRequest &request);
    std::shared_ptr<Shared> m_shared;
};

// True for "localhost", 127.0.0.0/8 and ::1: hosts whose traffic never leaves
// this machine, so plain HTTP to them exposes nothing.
bool isLoopbackHost(const QString &host);

// "host:port" when the URL names a port, else "host": the key of certs.d
// directories and the name errors use for a server.
QString urlAuthority(const QUrl &url);

} // namespace porthole::registry
