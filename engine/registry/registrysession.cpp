#include "registry/registrysession.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QThread>

namespace porthole::registry {

static constexpr int kMaxRedirects = 5;
static constexpr qint64 kErrorBodyLimit = 64 * 1024;
static constexpr int kMaxRetryAfterMs = 10000;

static bool sameOrigin(const QUrl &a, const QUrl &b)
{
    const auto port = [](const QUrl &u) { return u.port(u.scheme() == QLatin1String("https") ? 443 : 80); };
    return a.scheme() == b.scheme() && a.host().compare(b.host(), Qt::CaseInsensitive) == 0 && port(a) == port(b);
}

// insecureRegistries entries may be written "host:port", "host" (every port)
// or as a URL; they match the registry as the user named it.
static bool listedInsecure(const QStringList &list, const QString &registry)
{
    QUrl wanted;
    wanted.setAuthority(registry);
    for (QString entry : list) {
        entry = entry.trimmed();
        for (const char *prefix : {"http://", "https://"}) {
            if (entry.startsWith(QLatin1String(prefix)))
                entry = entry.mid(int(qstrlen(prefix)));
        }
        while (entry.endsWith(QLatin1Char('/')))
            entry.chop(1);
        QUrl candidate;
        candidate.setAuthority(entry);
        if (candidate.host().compare(wanted.host(), Qt::CaseInsensitive) != 0)
            continue;
        if (candidate.port() < 0 || candidate.port() == wanted.port())
            return true;
    }
    return false;
}

static bool isRedirect(int status)
{
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

static bool isRetryableStatus(int status)
{
    return status == 429 || status == 500 || status == 502 || status == 503 || status == 504;
}

static QByteArray readErrorBody(HttpBodyReader &reader)
{
    QByteArray body;
    char buf[16384];
    while (body.size() < kErrorBodyLimit) {
        const Result<qint64> n = reader.read(buf, sizeof buf);
        if (!n || *n == 0)
            break;
        body.append(buf, *n);
    }
    return body;
}

RegistrySession::RegistrySession(const Reference &repo, const CredentialStore *credentials,
                                 const RegistryOptions &options)
    : m_registry(repo.domain()),
      m_apiHost(repo.domain() == QLatin1String("docker.io") ? QStringLiteral("registry-1.docker.io") : repo.domain()),
      m_repository(repo.path()),
      m_credentialStore(credentials),
      m_options(options),
      m_http(HttpClientOptions{.certsDirs = options.certsDirs,
                               .proxy = options.proxy,
                               .transferTimeoutMs = options.transferTimeoutMs,
                               .userAgent = options.userAgent})
{
}

Result<QUrl> RegistrySession::url(const QString &rest)
{
    PH_CHECK(ensureEndpoint());
    QUrl url = m_base;
    url.setPath(QStringLiteral("/v2/") + m_repository + QLatin1Char('/') + rest);
    return url;
}

Result<HttpResponse> RegistrySession::send(const RegistryCall &call)
{
    return perform(call, nullptr);
}

Result<HttpResponse> RegistrySession::open(const RegistryCall &call, std::unique_ptr<HttpBodyReader> *body)
{
    return perform(call, body);
}

// The ping (GET /v2/) fixes the scheme and learns the auth challenge, so that
// later calls can authenticate up front instead of collecting a 401 each.
Status RegistrySession::ensureEndpoint()
{
    if (!m_base.isEmpty())
        return {};
    QUrl probe;
    probe.setAuthority(m_apiHost);
    if (probe.host().isEmpty())
        return Error(ErrorCode::InvalidArgument, QStringLiteral("\"%1\" is not a registry host name").arg(m_registry));
    QStringList schemes;
    if (listedInsecure(m_options.insecureRegistries, m_registry))
        schemes = {QStringLiteral("http")};
    else if (isLoopbackHost(probe.host()))
        schemes = {QStringLiteral("https"), QStringLiteral("http")};
    else
        schemes = {QStringLiteral("https")};

    for (int i = 0; i < schemes.size(); ++i) {
        QUrl base;
        base.setScheme(schemes[i]);
        base.setAuthority(m_apiHost);
        HttpRequest ping;
        ping.url = base;
        ping.url.setPath(QStringLiteral("/v2/"));
        RegistryCall call;
        const HttpResponse r = attempt(ping, call, nullptr);
        if (!r.answered()) {
            if (r.failure == TransportFailure::TlsProtocol && i + 1 < schemes.size())
                continue;
            return transportError(r, ping.url);
        }
        if (r.status != 200 && r.status != 401) {
            const Error e = statusError(r);
            return Error(e.code, QStringLiteral("%1 does not look like a registry: GET %2 answered %3")
                                     .arg(m_registry, ping.url.toString(), e.message));
        }
        m_base = base;
        if (r.status == 401)
            rememberChallenges(r);
        return {};
    }
    return Error(ErrorCode::Internal, QStringLiteral("no endpoint to try for %1").arg(m_registry));
}

Result<HttpResponse> RegistrySession::perform(const RegistryCall &call, std::unique_ptr<HttpBodyReader> *body)
{
    PH_CHECK(ensureEndpoint());
    QUrl url = call.url;
    bool reauthenticated = false;
    int redirects = 0;
    for (;;) {
        HttpRequest request;
        request.method = call.method;
        request.url = url;
        request.headers = call.headers;
        request.body = call.body;
        // Authorization goes to the registry's own origin only: blob storage a
        // redirect leads to gets the bare request (its URL carries the grant).
        const bool home = sameOrigin(url, m_base);
        if (home)
            PH_CHECK(authorize(request, call));
        const HttpResponse r = attempt(request, call, body);
        if (!r.answered())
            return transportError(r, url, call.maxBody);

        if (r.status == 401 && home) {
            if (reauthenticated)
                return authFailure(r);
            rememberChallenges(r);
            if (!m_challenge)
                return authFailure(r);
            if (m_challenge->scheme == QLatin1String("basic")) {
                // Asking again without a password to send would get the same 401.
                if (!credentialsAllowedFor(m_base))
                    return authFailure(r);
                const Result<std::optional<Credential>> credential = credentials();
                if (!credential || !*credential || (*credential)->isIdentityToken)
                    return authFailure(r);
            }
            m_tokens.remove(scopesFor(call).join(QLatin1Char(' ')));
            reauthenticated = true;
            continue;
        }
        if (call.followRedirects && isRedirect(r.status) && !r.header("Location").isEmpty()) {
            if (++redirects > kMaxRedirects)
                return Error(ErrorCode::Network, QStringLiteral("more than %1 redirects, the last to %2")
                                                     .arg(kMaxRedirects)
                                                     .arg(QString::fromUtf8(r.header("Location"))));
            const QUrl next = url.resolved(QUrl::fromEncoded(r.header("Location")));
            if (next.scheme() != QLatin1String("https") && next.scheme() != QLatin1String("http"))
                return Error(ErrorCode::Network, QStringLiteral("the registry redirected to %1, which is not HTTP")
                                                     .arg(next.toString()));
            if (url.scheme() == QLatin1String("https") && next.scheme() == QLatin1String("http")
                && !isLoopbackHost(next.host()))
                return Error(ErrorCode::PermissionDenied,
                             QStringLiteral("refusing the redirect from HTTPS to plain HTTP at %1")
                                 .arg(urlAuthority(next)));
            url = next;
            continue;
        }
        return r;
    }
}

HttpResponse RegistrySession::attempt(const HttpRequest &request, const RegistryCall &call,
                                      std::unique_ptr<HttpBodyReader> *body)
{
    for (int n = 0;; ++n) {
        HttpResponse r;
        if (body) {
            body->reset();
            r = m_http.open(request, m_options.cancel, body);
            if (r.answered() && (r.status < 200 || r.status > 299) && *body) {
                r.body = readErrorBody(**body);
                body->reset();
            }
        } else {
            r = m_http.send(request, call.maxBody, m_options.cancel);
        }
        const bool transient = r.answered() ? isRetryableStatus(r.status)
                                            : r.failure == TransportFailure::Reset || r.failure == TransportFailure::Timeout;
        if (!transient || !call.retry || n >= m_options.retryDelaysMs.size())
            return r;
        if (body)
            body->reset();
        if (!sleepBeforeRetry(n, r)) {
            HttpResponse cancelled;
            cancelled.failure = TransportFailure::Cancelled;
            cancelled.failureText = QStringLiteral("cancelled");
            return cancelled;
        }
    }
}

bool RegistrySession::sleepBeforeRetry(int attempt, const HttpResponse &response)
{
    int delayMs = m_options.retryDelaysMs.value(attempt);
    bool ok = false;
    const int retryAfter = response.header("Retry-After").trimmed().toInt(&ok);
    if (ok && retryAfter > 0)
        delayMs = qMax(delayMs, qMin(retryAfter * 1000, kMaxRetryAfterMs));
    for (int slept = 0; slept < delayMs; slept += 20) {
        if (m_options.cancel.isCancelled())
            return false;
        QThread::msleep(qMin(20, delayMs - slept));
    }
    return !m_options.cancel.isCancelled();
}


static QString formatBytes(qint64 n)
{
    if (n >= 1024 * 1024 && n % (1024 * 1024) == 0)
        return QStringLiteral("%1 MiB").arg(n / (1024 * 1024));
    if (n >= 1024 && n % 1024 == 0)
        return QStringLiteral("%1 KiB").arg(n / 1024);
    return QStringLiteral("%1 bytes").arg(n);
}

Error RegistrySession::transportError(const HttpResponse &response, const QUrl &url, qint64 limit) const
{
    const QString host = urlAuthority(url);
    const QString detail = response.failureText;
    switch (response.failure) {
    case TransportFailure::Cancelled:
        return Error(ErrorCode::Cancelled, QStringLiteral("cancelled"));
    case TransportFailure::Refused:
        return Error(ErrorCode::Network, QStringLiteral("cannot connect to %1: connection refused").arg(host));
    case TransportFailure::TlsCertificate:
        return Error(ErrorCode::Network,
                     QStringLiteral("the TLS certificate of %1 is not trusted (%2); if the registry uses its own CA, "
                                    "put the CA certificate in %3/%1/ca.crt")
                         .arg(host, detail, m_options.certsDirs.value(0, QStringLiteral("/etc/docker/certs.d"))));
    case TransportFailure::TlsClientRejected:
        return Error(ErrorCode::Network,
                     QStringLiteral("%1 refused the TLS connection (%2): it asks for a client certificate this machine "
                                    "does not present or it does not accept; put the certificate and its key in "
                                    "%3/%1/client.cert and client.key")
                         .arg(host, detail, m_options.certsDirs.value(0, QStringLiteral("/etc/docker/certs.d"))));
    case TransportFailure::TlsSetup:
        return Error(ErrorCode::InvalidArgument, QStringLiteral("cannot use the TLS settings for %1: %2").arg(host, detail));
    case TransportFailure::TlsProtocol:
        return Error(ErrorCode::Network, QStringLiteral("the TLS handshake with %1 failed (%2); if the registry serves "
                                                        "plain HTTP, mark it insecure (--tls-verify=false)")
                                             .arg(host, detail));
    case TransportFailure::Timeout:
        return Error(ErrorCode::Network, QStringLiteral("%1 did not answer in time: %2").arg(host, detail));
    case TransportFailure::Reset:
        return Error(ErrorCode::Network, QStringLiteral("the connection to %1 broke: %2").arg(host, detail));
    case TransportFailure::TooLarge:
        return Error(ErrorCode::InvalidArgument,
                     QStringLiteral("the answer from %1 is larger than the %2 limit").arg(host, formatBytes(limit)));
    case TransportFailure::Other:
    case TransportFailure::None:
        break;
    }
    return Error(ErrorCode::Network, QStringLiteral("request to %1 failed: %2").arg(host, detail));
}

Error RegistrySession::statusError(const HttpResponse &response)
{
    ErrorCode code = ErrorCode::Network;
    switch (response.status) {
    case 404:
        code = ErrorCode::NotFound;
        break;
    case 401:
    case 403:
        code = ErrorCode::PermissionDenied;
        break;
    case 400:
    case 413:
    case 416:
        code = ErrorCode::InvalidArgument;
        break;
    default:
        if (response.status == 429 || response.status >= 500)
            code = ErrorCode::Unavailable;
    }
    QStringList messages;
    const QJsonArray errors = QJsonDocument::fromJson(response.body).object().value(QLatin1String("errors")).toArray();
    for (const QJsonValue &value : errors) {
        const QJsonObject e = value.toObject();
        QString text = e.value(QLatin1String("message")).toString();
        if (text.isEmpty())
            text = e.value(QLatin1String("code")).toString().toLower().replace(QLatin1Char('_'), QLatin1Char(' '));
        const QString detail = e.value(QLatin1String("detail")).toString();
        if (!detail.isEmpty() && detail != text)
            text += QStringLiteral(": ") + detail;
        if (!text.isEmpty())
            messages.append(text);
    }
    const QString status = QStringLiteral("HTTP %1").arg(response.status);
    if (!messages.isEmpty())
        return Error(code, messages.join(QStringLiteral("; ")) + QStringLiteral(" (") + status + QLatin1Char(')'));
    QString text = status;
    if (!response.reason.isEmpty())
        text += QLatin1Char(' ') + QString::fromUtf8(response.reason);
    const QString body = QString::fromUtf8(response.body.left(200)).simplified();
    if (!body.isEmpty() && !body.contains(QChar::ReplacementCharacter))
        text += QStringLiteral(": ") + body;
    return Error(code, text);
}

} // namespace porthole::registry
