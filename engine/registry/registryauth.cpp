// RegistrySession's authentication: which challenge to answer, Basic
// credentials, Bearer tokens from the realm (cached per scope set), and the
// sentences for a registry that still says 401.
#include "registry/registrysession.h"

#include <QUrlQuery>

namespace porthole::registry {

static constexpr qint64 kTokenBodyLimit = 1024 * 1024;
// A token this close to its expiry is renewed rather than sent.
static constexpr int kTokenMarginSeconds = 10;

static QByteArray basicAuthorization(const Credential &credential)
{
    return "Basic " + (credential.username + QLatin1Char(':') + credential.secret).toUtf8().toBase64();
}

QStringList RegistrySession::scopesFor(const RegistryCall &call) const
{
    return QStringList{scopeFor(m_repository, call.actions)} + call.extraScopes;
}

void RegistrySession::rememberChallenges(const HttpResponse &response)
{
    QList<Challenge> all;
    for (const QByteArray &value : response.headerValues("WWW-Authenticate"))
        all += parseChallenges(value);
    std::optional<Challenge> basic;
    for (const Challenge &c : all) {
        if (c.scheme == QLatin1String("bearer")) {
            m_challenge = c;
            return;
        }
        if (c.scheme == QLatin1String("basic") && !basic)
            basic = c;
    }
    m_challenge = basic;
}

bool RegistrySession::credentialsAllowedFor(const QUrl &url) const
{
    return url.scheme() == QLatin1String("https") || isLoopbackHost(url.host());
}

Result<std::optional<Credential>> RegistrySession::credentials()
{
    if (!m_credentials)
        m_credentials = m_credentialStore ? m_credentialStore->lookup(m_registry)
                                          : Result<std::optional<Credential>>(std::optional<Credential>());
    if (!*m_credentials)
        return m_credentials->error().context(QStringLiteral("read the credentials for %1").arg(m_registry));
    return **m_credentials;
}

Status RegistrySession::authorize(HttpRequest &request, const RegistryCall &call)
{
    if (!m_challenge)
        return {};
    if (m_challenge->scheme == QLatin1String("bearer")) {
        PH_TRY(const QByteArray token, bearerToken(*m_challenge, scopesFor(call)));
        request.setHeader("Authorization", "Bearer " + token);
        return {};
    }
    if (m_challenge->scheme != QLatin1String("basic") || !credentialsAllowedFor(m_base))
        return {};
    PH_TRY(const std::optional<Credential> credential, credentials());
    // An identity token is only good at a token realm, never as a password.
    if (credential && !credential->isIdentityToken)
        request.setHeader("Authorization", basicAuthorization(*credential));
    return {};
}

Result<QByteArray> RegistrySession::bearerToken(const Challenge &challenge, const QStringList &scopes)
{
    const QString key = scopes.join(QLatin1Char(' '));
    const auto cached = m_tokens.constFind(key);
    if (cached != m_tokens.cend()
        && cached->expiresAt > QDateTime::currentDateTimeUtc().addSecs(kTokenMarginSeconds))
        return cached->token;

    QUrl realm(challenge.param(QStringLiteral("realm")));
    const QString where = QStringLiteral("get a token for %1 from %2").arg(m_registry, urlAuthority(realm));
    if (!realm.isValid() || (realm.scheme() != QLatin1String("https") && realm.scheme() != QLatin1String("http")))
        return Error(ErrorCode::Network, QStringLiteral("the Bearer challenge of %1 has no usable realm (\"%2\")")
                                             .arg(m_registry, challenge.param(QStringLiteral("realm"))));
    std::optional<Credential> credential;
    if (credentialsAllowedFor(m_base) && credentialsAllowedFor(realm)) {
        PH_TRY(credential, credentials());
    }
    const QString service = challenge.param(QStringLiteral("service"));
    HttpRequest request;
    request.url = realm;
    if (credential && credential->isIdentityToken) {
        // OAuth2 refresh-token grant, as docker sends an identity token.
        QUrlQuery form;
        form.addQueryItem(QStringLiteral("grant_type"), QStringLiteral("refresh_token"));
        form.addQueryItem(QStringLiteral("refresh_token"), credential->secret);
        form.addQueryItem(QStringLiteral("service"), service);
        form.addQueryItem(QStringLiteral("scope"), key);
        form.addQueryItem(QStringLiteral("client_id"), QStringLiteral("porthole"));
        request.method = "POST";
        request.setHeader("Content-Type", "application/x-www-form-urlencoded");
        request.body = form.query(QUrl::FullyEncoded).toUtf8();
    } else {
        QUrlQuery query(realm);
        if (!service.isEmpty())
            query.addQueryItem(QStringLiteral("service"), service);
        for (const QString &scope : scopes)
            query.addQueryItem(QStringLiteral("scope"), scope);
        if (credential) {
            query.addQueryItem(QStringLiteral("account"), credential->username);
            request.setHeader("Authorization", basicAuthorization(*credential));
        }
        request.url.setQuery(query);
    }
    RegistryCall call;
    call.maxBody = kTokenBodyLimit;
    const HttpResponse r = attempt(request, call, nullptr);
    if (!r.answered())
        return transportError(r, realm).context(where);
    if (r.status != 200) {
        const Error e = statusError(r);
        if (r.status != 401 && r.status != 403)
            return e.context(where);
        if (!credential)
            return Error(ErrorCode::PermissionDenied,
                         QStringLiteral("%1: the token service requires credentials and none are stored for %2 "
                                        "(porthole login %2): %3")
                             .arg(where, m_registry, e.message));
        return Error(ErrorCode::PermissionDenied, QStringLiteral("%1: the token service refused the credentials of %2: %3")
                                                      .arg(where, credential->username, e.message));
    }
    auto parsed = TokenResponse::parse(r.body);
    if (!parsed)
        return parsed.error().context(where);
    const QByteArray token = parsed->token.toUtf8();
    m_tokens.insert(key, CachedToken{token, parsed->expiresAt});
    return token;
}

Error RegistrySession::authFailure(const HttpResponse &response)
{
    const QString said = statusError(response).message;
    if (!credentialsAllowedFor(m_base))
        return Error(ErrorCode::PermissionDenied,
                     QStringLiteral("%1 requires authentication, and credentials are never sent over plain HTTP to "
                                    "a host other than this machine; serve the registry over HTTPS: %2")
                         .arg(m_registry, said));
    const Result<std::optional<Credential>> credential = credentials();
    if (!credential)
        return Error(ErrorCode::PermissionDenied, QStringLiteral("%1 requires authentication (%2), and %3")
                                                      .arg(m_registry, said, credential.error().message));
    if (!*credential)
        return Error(ErrorCode::PermissionDenied,
                     QStringLiteral("%1 requires authentication and no credentials are stored for it "
                                    "(porthole login %1): %2")
                         .arg(m_registry, said));
    return Error(ErrorCode::PermissionDenied, QStringLiteral("authentication as %1 failed: %2")
                                                  .arg((*credential)->username, said));
}

} // namespace porthole::registry
