// The pure parts of registry authentication: reading WWW-Authenticate
// challenges, naming token scopes, and reading a token realm's answer.
// No I/O, no state; every function is safe from any thread.
//
// The parser follows RFC 7235 but is as lenient as docker's
// (distribution/registry/client/auth/challenge): registries in the wild send
// unquoted URLs, drop commas, and join several header lines into one value.
#pragma once

#include "core/result.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

namespace porthole::registry {

struct Challenge {
    // Lower-case: "bearer", "basic".
    QString scheme;
    // Parameter names lower-case ("realm", "service", "scope", "error");
    // values as sent, with quoted-string escapes resolved.
    QMap<QString, QString> params;

    QString param(const QString &name) const { return params.value(name); }
    bool operator==(const Challenge &) const = default;
};

// Parses one WWW-Authenticate header value, which may hold several
// challenges ("Basic realm=\"a\", Bearer realm=\"b\"") or several header
// lines joined with ", " or "\n" (as QNetworkReply joins them). token68
// credentials (Negotiate's) are skipped. On malformed input the challenges
// read so far are kept, including the one being read with the parameters
// before the fault, and the rest is dropped: a half-usable challenge gives
// a clearer error later ("no realm") than none.
QList<Challenge> parseChallenges(const QByteArray &headerValue);

// The token scope for a repository: "repository:library/ubuntu:pull",
// "repository:team/app:pull,push". Actions are sorted and deduplicated so
// that equal permissions give equal strings (scopes key the token cache).
QString scopeFor(const QString &repository, const QStringList &actions);

// Docker's floor on a token's lifetime (and the default when the realm does
// not say): a shorter one would mean a token request per blob.
inline constexpr qint64 kMinimumTokenLifetimeSeconds = 60;

// A token realm's JSON answer ({"token"} or OAuth's {"access_token"}).
struct TokenResponse {
    QString token;
    // Present when the realm was asked with an identity token (OAuth POST).
    QString refreshToken;
    qint64 expiresInSeconds = kMinimumTokenLifetimeSeconds;
    // The server's "issued_at" (UTC) if it sent a readable one, else receivedAt.
    QDateTime issuedAt;
    // receivedAt + expiresInSeconds. Counted from our own clock rather than
    // issued_at, so a client whose clock is behind the server's does not see
    // every token as already expired and ask for a new one per request.
    QDateTime expiresAt;

    // InvalidArgument for anything but a JSON object with a non-empty string
    // token usable in a header, or a non-numeric "expires_in".
    static Result<TokenResponse> parse(const QByteArray &json,
                                       const QDateTime &receivedAt = QDateTime::currentDateTimeUtc());
};

} // namespace porthole::registry
