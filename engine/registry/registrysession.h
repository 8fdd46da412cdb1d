// The transport under RegistryClient: one registry, one repository. Chooses the
// endpoint (https, or http by the rules in registryclient.h), authenticates
// (anonymous, Basic, Bearer tokens cached per scope), retries 5xx/429/resets
// with backoff and follows redirects, dropping Authorization across origins.
// It returns whatever HTTP status the registry finally gave; judging it is the
// caller's job, with statusError() for the registry's own words.
//
// Internal to engine/registry. Same threading as RegistryClient (one thread).
#pragma once

#include "registry/authchallenge.h"
#include "registry/credentials.h"
#include "registry/httpclient.h"
#include "registry/registryclient.h"

#include <QDateTime>
#include <QHash>

namespace porthole::registry {

struct RegistryCall {
    QByteArray method = "GET";
    QUrl url;
    HeaderList headers;
    QByteArray body;
    // What the call needs on this repository ("pull", "push"), and scopes on
    // other repositories (a mount's source).
    QStringList actions = {QStringLiteral("pull")};
    QStringList extraScopes;
    qint64 maxBody = 64 * 1024; // send() only
    bool followRedirects = false;
    bool retry = true;
};

class RegistrySession {
public:
    RegistrySession(const Reference &repo, const CredentialStore *credentials, const RegistryOptions &options);

    QString registry() const { return m_registry; }
    QString repository() const { return m_repository; }
    QString scheme() const { return m_base.scheme(); }

    // https://host/v2/<repository>/<rest>; contacts the registry the first time.
    Result<QUrl> url(const QString &rest);

    // The call with its whole body read (up to call.maxBody).
    Result<HttpResponse> send(const RegistryCall &call);
    // The call with the final answer's body left in *body when the status is
    // 2xx; any other answer comes with (up to 64 KiB of) its body read.
    Result<HttpResponse> open(const RegistryCall &call, std::unique_ptr<HttpBodyReader> *body);

    // A sentence for an unexpected answer: the registry's errors[].message
    // (or the HTTP status), with an ErrorCode from the status.
    static Error statusError(const HttpResponse &response);

private:
    struct CachedToken {
        QByteArray token;
        QDateTime expiresAt;
    };

    Status ensureEndpoint();
    Result<HttpResponse> perform(const RegistryCall &call, std::unique_ptr<HttpBodyReader> *body);
    HttpResponse attempt(const HttpRequest &request, const RegistryCall &call, std::unique_ptr<HttpBodyReader> *body);
    Status authorize(HttpRequest &request, const RegistryCall &call);
    Result<QByteArray> bearerToken(const Challenge &challenge, const QStringList &scopes);
    Result<std::optional<Credential>> credentials();
    bool credentialsAllowedFor(const QUrl &url) const;
    Error authFailure(const HttpResponse &response);
    Error transportError(const HttpResponse &response, const QUrl &url, qint64 limit = 0) const;
    QStringList scopesFor(const RegistryCall &call) const;
    void rememberChallenges(const HttpResponse &response);
    bool sleepBeforeRetry(int attempt, const HttpResponse &response);

    QString m_registry;   // the reference's domain: "127.0.0.1:5000", "docker.io"
    QString m_apiHost;    // the host to talk to: docker.io is registry-1.docker.io
    QString m_repository; // "x/y", "library/ubuntu"
    const CredentialStore *m_credentialStore;
    RegistryOptions m_options;
    HttpClient m_http;

    QUrl m_base; // scheme://host[:port], empty until the first contact
    std::optional<Challenge> m_challenge;
    std::optional<Result<std::optional<Credential>>> m_credentials;
    QHash<QString, CachedToken> m_tokens; // by space-joined scopes
};

} // namespace porthole::registry
