#include "registry/httpclient.h"

#include "registry/certsdir.h"

#include <QDir>
#include <QEventLoop>
#include <QHash>
#include <QNetworkAccessManager>
#include <QNetworkProxyFactory>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QSslConfiguration>
#include <QSslError>
#include <QTimer>

#include <functional>

namespace porthole::registry {

// --- the shared network manager ----------------------------------------------------------

namespace {

// Loopback never goes through a proxy (Go's ProxyFromEnvironment rule): a
// proxy would see registry credentials meant for this machine only.
class ProxyFactory final : public QNetworkProxyFactory {
public:
    explicit ProxyFactory(std::optional<QNetworkProxy> proxy) : m_proxy(std::move(proxy)) {}

    QList<QNetworkProxy> queryProxy(const QNetworkProxyQuery &query) override
    {
        if (isLoopbackHost(query.peerHostName()))
            return {QNetworkProxy(QNetworkProxy::NoProxy)};
        if (m_proxy)
            return {*m_proxy};
        return systemProxyForQuery(query);
    }

private:
    std::optional<QNetworkProxy> m_proxy;
};

} // namespace

struct HttpClient::Shared {
    HttpClientOptions options;
    QNetworkAccessManager manager;
    // Per host: its TLS configuration, or why its certs.d directory is unusable.
    struct HostTls {
        QSslConfiguration config;
        QString problem;
    };
    QHash<QString, HostTls> tlsByAuthority;

    const HostTls &tlsFor(const QUrl &url);
};

const HttpClient::Shared::HostTls &HttpClient::Shared::tlsFor(const QUrl &url)
{
    const QString authority = urlAuthority(url);
    auto it = tlsByAuthority.find(authority);
    if (it == tlsByAuthority.end()) {
        HostTls host;
        host.config = QSslConfiguration::defaultConfiguration();
        if (auto certs = readHostCerts(options.certsDirs, authority); !certs) {
            host.problem = certs.error().message;
        } else {
            // Added to the system roots, not instead of them, as docker does.
            if (!certs->caCertificates.isEmpty())
                host.config.setCaCertificates(QSslConfiguration::systemCaCertificates() + certs->caCertificates);
            if (!certs->clientChain.isEmpty()) {
                host.config.setLocalCertificateChain(certs->clientChain);
                host.config.setPrivateKey(certs->clientKey);
            }
        }
        host.config.setPeerVerifyMode(QSslSocket::VerifyPeer);
        host.config.setAllowedNextProtocols({QByteArrayLiteral("http/1.1")});
        it = tlsByAuthority.insert(authority, host);
    }
    return *it;
}

// A request that cannot be sent as configured (an unusable certs.d
// directory) gets this answer without touching the network.
static std::optional<HttpResponse> refuseUnsendable(const QString &tlsProblem, const QUrl &url)
{
    if (tlsProblem.isEmpty())
        return std::nullopt;
    HttpResponse r;
    r.failure = TransportFailure::TlsSetup;
    r.failureText = tlsProblem;
    r.url = url;
    return r;
}

// OpenSSL's names for the alerts a server sends when it wants a client
// certificate it did not get, or does not accept the one it got.
static bool isClientCertificateAlert(const QString &text)
{
    for (const char *alert : {"alert certificate required", "alert bad certificate", "alert unknown ca",
                              "alert certificate unknown", "alert certificate expired", "alert certificate revoked"}) {
        if (text.contains(QLatin1String(alert)))
            return true;
    }
    return false;
}

// --- one request in flight -------------------------------------------------------------

namespace {

// Owns a reply and runs the local event loop for it. The loop also wakes up
// every 100 ms so that a cancelled token is noticed while nothing arrives.
class Exchange {
public:
    explicit Exchange(QNetworkReply *reply) : m_reply(reply)
    {
        QObject::connect(reply, &QNetworkReply::readyRead, &m_loop, &QEventLoop::quit);
        QObject::connect(reply, &QNetworkReply::finished, &m_loop, &QEventLoop::quit);
        QObject::connect(reply, &QNetworkReply::metaDataChanged, &m_loop, &QEventLoop::quit);
        QObject::connect(reply, &QNetworkReply::sslErrors, &m_loop, [this](const QList<QSslError> &errors) {
            for (const QSslError &e : errors)
                m_sslErrors.append(e.errorString());
        });
        m_poll.setInterval(100);
        QObject::connect(&m_poll, &QTimer::timeout, &m_loop, &QEventLoop::quit);
    }

    ~Exchange()
    {
        m_reply->disconnect();
        if (!m_reply->isFinished())
            m_reply->abort();
        delete m_reply;
    }

    QNetworkReply *reply() const { return m_reply; }

    // False when the token was cancelled first (the reply is then aborted).
    bool waitUntil(const std::function<bool()> &done, const CancelToken &cancel)
    {
        while (!done()) {
            if (cancel.isCancelled()) {
                stop(TransportFailure::Cancelled);
                return false;
            }
            m_poll.start();
            m_loop.exec();
            m_poll.stop();
        }
        return true;
    }

    void stop(TransportFailure why)
    {
        m_stoppedFor = why;
        if (!m_reply->isFinished())
            m_reply->abort();
    }

    bool hasStatus() const { return m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).isValid(); }

    // Reads body bytes, counting them for the truncation check in failure().
    qint64 read(char *buf, qint64 max)
    {
        const qint64 n = m_reply->read(buf, max);
        if (n > 0)
            m_delivered += n;
        return n;
    }

    // The body length the server promised, -1 when it did not (chunked, HEAD).
    qint64 promisedLength() const
    {
        const int status = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (m_reply->operation() == QNetworkAccessManager::HeadOperation || status == 204 || status == 304)
            return -1;
        bool ok = false;
        const qint64 n = m_reply->rawHeader("Content-Length").trimmed().toLongLong(&ok);
        return ok ? n : -1;
    }

    // Status, headers and the transport verdict; no body.
    HttpResponse head() const
    {
        HttpResponse r;
        r.url = m_reply->url();
        if (hasStatus()) {
            r.status = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            r.reason = m_reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toByteArray();
            for (const auto &pair : m_reply->rawHeaderPairs())
                r.headers.append({pair.first, pair.second});
        }
        r.failure = failure();
        if (r.failure != TransportFailure::None)
            r.failureText = failureText();
        return r;
    }

    TransportFailure failure() const
    {
        if (m_stoppedFor != TransportFailure::None)
            return m_stoppedFor;
        const QNetworkReply::NetworkError e = m_reply->error();
        if (e == QNetworkReply::NoError)
            return truncated() ? TransportFailure::Reset : TransportFailure::None;
        // Content, protocol and server "errors" (codes >= 200) are HTTP answers
        // the caller reads from the status; only the network layer fails here.
        if (int(e) >= 200 && hasStatus())
            return TransportFailure::None;
        // The server's TLS alert about our certificate (none, or one it
        // does not accept) arrives as a read error after the handshake.
        if (m_reply->url().scheme() == QLatin1String("https") && isClientCertificateAlert(m_reply->errorString()))
            return TransportFailure::TlsClientRejected;
        switch (e) {
        case QNetworkReply::ConnectionRefusedError:
            return TransportFailure::Refused;
        case QNetworkReply::RemoteHostClosedError:
        case QNetworkReply::TemporaryNetworkFailureError:
        case QNetworkReply::NetworkSessionFailedError:
        case QNetworkReply::UnknownNetworkError:
            return TransportFailure::Reset;
        case QNetworkReply::TimeoutError:
        case QNetworkReply::OperationCanceledError: // what the transfer timeout reports
            return TransportFailure::Timeout;
        case QNetworkReply::SslHandshakeFailedError:
            return m_sslErrors.isEmpty() ? TransportFailure::TlsProtocol : TransportFailure::TlsCertificate;
        default:
            return TransportFailure::Other;
        }
    }

    QString failureText() const
    {
        switch (m_stoppedFor) {
        case TransportFailure::Cancelled:
            return QStringLiteral("cancelled");
        case TransportFailure::TooLarge:
            return QStringLiteral("the response is larger than allowed");
        default:
            break;
        }
        if (failure() == TransportFailure::Timeout)
            return QStringLiteral("no data moved for too long (%1)").arg(m_reply->errorString());
        if (!m_sslErrors.isEmpty())
            return m_sslErrors.join(QStringLiteral("; "));
        if (m_reply->error() == QNetworkReply::NoError && truncated())
            return QStringLiteral("the connection closed after %1 of the %2 bytes announced")
                .arg(m_delivered)
                .arg(promisedLength());
        return m_reply->errorString();
    }

private:
    // Qt ends a body cut short by the server as if it were complete; only
    // Content-Length tells, once everything that arrived has been read.
    bool truncated() const
    {
        if (!m_reply->isFinished() || m_reply->bytesAvailable() > 0 || !hasStatus())
            return false;
        const qint64 promised = promisedLength();
        return promised >= 0 && m_delivered < promised;
    }

    QNetworkReply *m_reply;
    QEventLoop m_loop;
    QTimer m_poll;
    QStringList m_sslErrors;
    TransportFailure m_stoppedFor = TransportFailure::None;
    qint64 m_delivered = 0;
};

} // namespace

// --- HttpClient ------------------------------------------------------------------------

HttpClient::HttpClient(HttpClientOptions options) : m_shared(std::make_shared<Shared>())
{
    m_shared->options = std::move(options);
    m_shared->manager.setProxyFactory(new ProxyFactory(m_shared->options.proxy));
    // Redirects, authentication and cookies are decided per request by the caller.
    m_shared->manager.setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
    m_shared->manager.setCookieJar(nullptr);
}

HttpClient::~HttpClient() = default;

QNetworkReply *HttpClient::start(const HttpRequest &request)
{
    QNetworkRequest req(request.url);
    req.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    req.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    req.setAttribute(QNetworkRequest::CookieLoadControlAttribute, QNetworkRequest::Manual);
    req.setAttribute(QNetworkRequest::CookieSaveControlAttribute, QNetworkRequest::Manual);
    req.setAttribute(QNetworkRequest::AuthenticationReuseAttribute, QNetworkRequest::Manual);
    req.setAttribute(QNetworkRequest::CacheLoadControlAttribute, QNetworkRequest::AlwaysNetwork);
    req.setAttribute(QNetworkRequest::CacheSaveControlAttribute, false);
    req.setTransferTimeout(m_shared->options.transferTimeoutMs);
    if (request.url.scheme() == QLatin1String("https"))
        req.setSslConfiguration(m_shared->tlsFor(request.url).config);
    req.setRawHeader("User-Agent", m_shared->options.userAgent);
    // Blobs must arrive exactly as stored: their digest covers the encoded bytes,
    // and Qt would otherwise ask for gzip and inflate it behind our back.
    req.setRawHeader("Accept-Encoding", "identity");
    for (const auto &[name, value] : request.headers)
        req.setRawHeader(name, value);

    const QByteArray &m = request.method;
    const bool hasBody = m == "PUT" || m == "POST" || m == "PATCH";
    if (hasBody) {
        req.setHeader(QNetworkRequest::ContentLengthHeader, request.body.size());
        if (request.header("Content-Type").isEmpty())
            req.setRawHeader("Content-Type", "application/octet-stream");
    }
    QNetworkAccessManager &nam = m_shared->manager;
    if (m == "GET")
        return nam.get(req);
    if (m == "HEAD")
        return nam.head(req);
    if (m == "PUT")
        return nam.put(req, request.body);
    if (m == "POST")
        return nam.post(req, request.body);
    if (m == "DELETE")
        return nam.deleteResource(req);
    return nam.sendCustomRequest(req, m, request.body);
}

QString HttpClient::tlsProblem(const QUrl &url)
{
    return url.scheme() == QLatin1String("https") ? m_shared->tlsFor(url).problem : QString();
}

HttpResponse HttpClient::send(const HttpRequest &request, qint64 maxBody, const CancelToken &cancel)
{
    if (auto refused = refuseUnsendable(tlsProblem(request.url), request.url))
        return *refused;
    Exchange ex(start(request));
    QNetworkReply *reply = ex.reply();
    // Without a read buffer limit Qt reads the socket as fast as the server
    // sends, whatever maxBody says: a body without a length that never ends
    // would fill memory (gigabytes a second) before the check below runs.
    reply->setReadBufferSize(HttpBodyReader::kReadBuffer);
    const bool isHead = request.method == "HEAD";
    QByteArray body;
    const auto pump = [&] {
        // A declared length over the limit is refused before reading any of it.
        if (!isHead && ex.hasStatus()) {
            const QVariant length = reply->header(QNetworkRequest::ContentLengthHeader);
            if (length.isValid() && length.toLongLong() > maxBody) {
                ex.stop(TransportFailure::TooLarge);
                return true;
            }
        }
        if (reply->bytesAvailable() > 0) {
            const qint64 had = body.size();
            body.resize(qMin(had + reply->bytesAvailable(), maxBody + 1));
            body.resize(had + qMax<qint64>(0, ex.read(body.data() + had, body.size() - had)));
            if (body.size() > maxBody) {
                ex.stop(TransportFailure::TooLarge);
                return true;
            }
        }
        return reply->isFinished() && reply->bytesAvailable() == 0;
    };
    ex.waitUntil(pump, cancel);
    HttpResponse response = ex.head();
    if (response.answered())
        response.body = std::move(body);
    return response;
}

struct HttpBodyReader::Impl {
    std::shared_ptr<void> keepManagerAlive; // destroyed after the exchange below
    std::unique_ptr<Exchange> exchange;
    CancelToken cancel;
};

HttpBodyReader::HttpBodyReader(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}

HttpBodyReader::~HttpBodyReader() = default;

Result<qint64> HttpBodyReader::read(char *buf, qint64 max)
{
    Exchange &ex = *m_impl->exchange;
    QNetworkReply *reply = ex.reply();
    // Checked on every read, not only while waiting: a fast connection may
    // always have bytes ready, and a cancelled pull must still stop.
    if (m_impl->cancel.isCancelled()) {
        ex.stop(TransportFailure::Cancelled);
        return Error(ErrorCode::Cancelled, QStringLiteral("cancelled"));
    }
    for (;;) {
        if (reply->bytesAvailable() > 0) {
            const qint64 n = ex.read(buf, max);
            if (n < 0)
                return Error(ErrorCode::Network, reply->errorString());
            m_read += n;
            return n;
        }
        if (reply->isFinished()) {
            const TransportFailure failure = ex.failure();
            if (failure == TransportFailure::None)
                return qint64(0);
            return Error(failure == TransportFailure::Cancelled ? ErrorCode::Cancelled : ErrorCode::Network,
                         QStringLiteral("the connection failed after %1 bytes of the body: %2")
                             .arg(m_read)
                             .arg(ex.failureText()));
        }
        if (!ex.waitUntil([&] { return reply->bytesAvailable() > 0 || reply->isFinished(); }, m_impl->cancel))
            return Error(ErrorCode::Cancelled, QStringLiteral("cancelled"));
    }
}

HttpResponse HttpClient::open(const HttpRequest &request, const CancelToken &cancel,
                              std::unique_ptr<HttpBodyReader> *body)
{
    if (auto refused = refuseUnsendable(tlsProblem(request.url), request.url))
        return *refused;
    auto exchange = std::make_unique<Exchange>(start(request));
    Exchange &ex = *exchange;
    // Bounds memory: Qt stops reading the socket while this much is unread.
    ex.reply()->setReadBufferSize(HttpBodyReader::kReadBuffer);
    ex.waitUntil([&] { return ex.hasStatus() || ex.reply()->isFinished(); }, cancel);
    HttpResponse response = ex.head();
    if (response.answered() && body) {
        auto impl = std::make_unique<HttpBodyReader::Impl>();
        impl->keepManagerAlive = m_shared;
        impl->exchange = std::move(exchange);
        impl->cancel = cancel;
        body->reset(new HttpBodyReader(std::move(impl)));
    }
    return response;
}

} // namespace porthole::registry
