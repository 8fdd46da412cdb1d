// WWW-Authenticate parsing, token scopes and token responses. Header rows are
// what registries send (Docker Hub, GHCR, distribution, Harbor) plus the
// RFC 7235 corners and broken input.
#include "registry/authchallenge.h"

#include <QTest>

using namespace porthole;
using namespace porthole::registry;

namespace {

// "scheme{k=v,k=v}|scheme{}": compact enough for a table column. QMap
// iterates in key order, so the text is deterministic.
QString describe(const QList<Challenge> &challenges)
{
    QStringList parts;
    for (const Challenge &c : challenges) {
        QStringList params;
        for (auto it = c.params.begin(); it != c.params.end(); ++it)
            params << it.key() + u'=' + it.value();
        parts << c.scheme + u'{' + params.join(u',') + u'}';
    }
    return parts.join(u'|');
}

} // namespace

class TestAuthChallenge : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void parse_data();
    void parse();
    void paramAccessor();
    void scope_data();
    void scope();
    void token_data();
    void token();
    void tokenExpiryFromReceipt();
};

void TestAuthChallenge::parse_data()
{
    QTest::addColumn<QByteArray>("header");
    QTest::addColumn<QString>("expected");

    auto row = [](const char *name, const QByteArray &header, const char *expected) {
        QTest::newRow(name) << header << QString::fromUtf8(expected);
    };
    row("docker hub",
        R"(Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/ubuntu:pull")",
        "bearer{realm=https://auth.docker.io/token,scope=repository:library/ubuntu:pull,service=registry.docker.io}");
    row("basic", R"(Basic realm="Registry Realm")", "basic{realm=Registry Realm}");
    row("scheme only", "Basic", "basic{}");
    row("case folded", R"(BEARER Realm="R", SERVICE="S")", "bearer{realm=R,service=S}");
    row("two challenges", R"(Basic realm="a", Bearer realm="b",service="c")",
        "basic{realm=a}|bearer{realm=b,service=c}");
    row("comma inside quotes", R"(Bearer realm="https://a/token",scope="repository:x:pull,push")",
        "bearer{realm=https://a/token,scope=repository:x:pull,push}");
    row("escaped quote and backslash", R"(Basic realm="say \"hi\" \\ now")", R"(basic{realm=say "hi" \ now})");
    row("escaped ordinary char", R"(Basic realm="a\bc")", "basic{realm=abc}");
    row("unquoted url values", "Bearer realm=https://auth.example.com/token,service=reg",
        "bearer{realm=https://auth.example.com/token,service=reg}");
    row("spaces around equals", R"(Bearer realm = "x" , service= "y")", "bearer{realm=x,service=y}");
    row("empty list elements", R"(, Basic realm="a",, ,Bearer realm="b",)", "basic{realm=a}|bearer{realm=b}");
    row("token68 skipped", R"(Negotiate YII+/abc==, Basic realm="x")", "negotiate{}|basic{realm=x}");
    row("token68 alone", "Negotiate abc=", "negotiate{}");
    row("joined with newline", "Basic realm=\"a\"\nBearer realm=\"b\"", "basic{realm=a}|bearer{realm=b}");
    row("missing comma tolerated", R"(Bearer realm="a" service="b")", "bearer{realm=a,service=b}");
    row("comma right after scheme", R"(Bearer,realm="x")", "bearer{realm=x}");
    row("empty quoted value", R"(Bearer realm="",service="x")", "bearer{realm=,service=x}");
    row("duplicate param last wins", R"(Bearer realm="a",realm="b")", "bearer{realm=b}");
    row("insufficient scope error",
        R"(Bearer realm="https://r/token",service="r",scope="repository:a:pull,push",error="insufficient_scope")",
        "bearer{error=insufficient_scope,realm=https://r/token,scope=repository:a:pull,push,service=r}");
    row("utf-8 in quotes", "Basic realm=\"caf\xc3\xa9\"", "basic{realm=café}");
    row("empty", "", "");
    row("only separators", " , ,\t", "");
    // Broken input: keep what was read before the fault.
    row("param without scheme", R"(realm="x")", "");
    row("unterminated quote", R"(Bearer service="x", realm="https://a)", "bearer{service=x}");
    row("garbage after scheme", R"(Bearer "x")", "bearer{}");
    row("no space after scheme", R"(Bearer"x")", "bearer{}");
    // "realm=" right after the scheme is a valid token68, so it is skipped.
    row("missing value first", R"(Bearer realm=, service="x")", "bearer{service=x}");
    row("missing value later", R"(Bearer service="x", realm=, scope="s")", "bearer{service=x}");
    row("control char in quotes", "Bearer service=\"s\", realm=\"a\rb\"", "bearer{service=s}");
    row("backslash at end", "Basic realm=\"a\\", "basic{}");
    row("leading equals", "=Bearer", "");
}

void TestAuthChallenge::parse()
{
    QFETCH(QByteArray, header);
    QFETCH(QString, expected);
    QCOMPARE(describe(parseChallenges(header)), expected);
}

void TestAuthChallenge::paramAccessor()
{
    const QList<Challenge> list = parseChallenges(R"(Bearer Realm="https://r/token")");
    QCOMPARE(list.size(), 1);
    QCOMPARE(list[0].param(QStringLiteral("realm")), QStringLiteral("https://r/token"));
    QVERIFY(list[0].param(QStringLiteral("service")).isEmpty());
}

void TestAuthChallenge::scope_data()
{
    QTest::addColumn<QString>("repository");
    QTest::addColumn<QStringList>("actions");
    QTest::addColumn<QString>("expected");

    const QString ubuntu = QStringLiteral("library/ubuntu");
    QTest::newRow("pull") << ubuntu << QStringList{"pull"} << "repository:library/ubuntu:pull";
    QTest::newRow("pull,push") << ubuntu << QStringList{"pull", "push"} << "repository:library/ubuntu:pull,push";
    QTest::newRow("push,pull sorted") << ubuntu << QStringList{"push", "pull"} << "repository:library/ubuntu:pull,push";
    QTest::newRow("duplicates") << ubuntu << QStringList{"pull", "pull", ""} << "repository:library/ubuntu:pull";
    QTest::newRow("wildcard") << QStringLiteral("team/app") << QStringList{"*"} << "repository:team/app:*";
    QTest::newRow("delete") << QStringLiteral("a/b/c") << QStringList{"pull", "delete"}
                            << "repository:a/b/c:delete,pull";
}

void TestAuthChallenge::scope()
{
    QFETCH(QString, repository);
    QFETCH(QStringList, actions);
    QFETCH(QString, expected);
    QCOMPARE(scopeFor(repository, actions), expected);
}

void TestAuthChallenge::token_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<QString>("token");
    QTest::addColumn<QString>("refresh");
    QTest::addColumn<qint64>("expiresIn");
    QTest::addColumn<QString>("issuedAt"); // ISO with ms, UTC; empty = receivedAt
    QTest::addColumn<QString>("errorPart");

    auto good = [](const char *name, const QByteArray &json, const char *token, const char *refresh, qint64 expires,
                   const char *issued) {
        QTest::newRow(name) << json << true << QString::fromUtf8(token) << QString::fromUtf8(refresh) << expires
                            << QString::fromUtf8(issued) << QString();
    };
    auto bad = [](const char *name, const QByteArray &json, const char *errorPart) {
        QTest::newRow(name) << json << false << QString() << QString() << qint64(0) << QString()
                            << QString::fromUtf8(errorPart);
    };
    good("token", R"({"token":"abc"})", "abc", "", 60, "");
    good("access_token", R"({"access_token":"abc"})", "abc", "", 60, "");
    good("access_token wins", R"({"token":"old","access_token":"new"})", "new", "", 60, "");
    good("empty access_token falls back", R"({"token":"t","access_token":""})", "t", "", 60, "");
    good("expires_in", R"({"token":"t","expires_in":300})", "t", "", 300, "");
    good("expires_in below minimum", R"({"token":"t","expires_in":10})", "t", "", 60, "");
    good("expires_in zero", R"({"token":"t","expires_in":0})", "t", "", 60, "");
    good("expires_in negative", R"({"token":"t","expires_in":-5})", "t", "", 60, "");
    good("expires_in fraction", R"({"token":"t","expires_in":300.9})", "t", "", 300, "");
    good("expires_in capped", R"({"token":"t","expires_in":1e15})", "t", "", 86400, "");
    good("expires_in null", R"({"token":"t","expires_in":null})", "t", "", 60, "");
    good("issued_at utc", R"({"token":"t","issued_at":"2024-01-02T03:04:05Z"})", "t", "", 60,
         "2024-01-02T03:04:05.000Z");
    good("issued_at nanoseconds and offset", R"({"token":"t","issued_at":"2024-01-02T03:04:05.123456789+02:00"})",
         "t", "", 60, "2024-01-02T01:04:05.123Z");
    good("issued_at negative offset", R"({"token":"t","issued_at":"2024-01-02T23:30:00.5-01:30"})", "t", "", 60,
         "2024-01-03T01:00:00.500Z");
    good("issued_at unreadable", R"({"token":"t","issued_at":"yesterday"})", "t", "", 60, "");
    good("issued_at impossible date", R"({"token":"t","issued_at":"2024-02-30T00:00:00Z"})", "t", "", 60, "");
    good("refresh token", R"({"access_token":"a","refresh_token":"r","expires_in":900})", "a", "r", 900, "");
    good("unknown fields", R"({"token":"t","scope":"repository:a:pull","x":[1]})", "t", "", 60, "");
    bad("not json", "<html>502</html>", "not valid JSON");
    bad("array", "[]", "expected a JSON object");
    bad("empty body", "", "not valid JSON");
    bad("no token", R"({"expires_in":60})", "no \"token\"");
    bad("empty token", R"({"token":""})", "no \"token\"");
    bad("token not string", R"({"token":123})", "\"token\" is not a string");
    bad("access_token not string", R"({"access_token":{}})", "\"access_token\" is not a string");
    bad("token with newline", R"({"token":"abc\r\nX-Evil: 1"})", "Authorization header");
    bad("token with space", R"({"token":"a b"})", "Authorization header");
    bad("non-ascii token", R"({"token":"caf\u00e9"})", "Authorization header");
    bad("expires_in string", R"({"token":"t","expires_in":"300"})", "\"expires_in\" is not a number");
}

void TestAuthChallenge::token()
{
    QFETCH(QByteArray, json);
    QFETCH(bool, ok);
    QFETCH(QString, token);
    QFETCH(QString, refresh);
    QFETCH(qint64, expiresIn);
    QFETCH(QString, issuedAt);
    QFETCH(QString, errorPart);

    const QDateTime received(QDate(2025, 6, 1), QTime(12, 0), Qt::UTC);
    const Result<TokenResponse> r = TokenResponse::parse(json, received);
    QCOMPARE(r.ok(), ok);
    if (!ok) {
        QCOMPARE(r.error().code, ErrorCode::InvalidArgument);
        QVERIFY2(r.error().message.contains(errorPart), qPrintable(r.error().message));
        QVERIFY(r.error().message.startsWith(QStringLiteral("read token response: ")));
        return;
    }
    QCOMPARE(r->token, token);
    QCOMPARE(r->refreshToken, refresh);
    QCOMPARE(r->expiresInSeconds, expiresIn);
    QCOMPARE(r->expiresAt, received.addSecs(expiresIn));
    if (issuedAt.isEmpty())
        QCOMPARE(r->issuedAt, received);
    else
        QCOMPARE(r->issuedAt.toUTC().toString(Qt::ISODateWithMs), issuedAt);
}

// The expiry counts from our clock even when the server's issued_at is far
// in the past (a skewed clock must not make every token look expired).
void TestAuthChallenge::tokenExpiryFromReceipt()
{
    const QDateTime received(QDate(2025, 6, 1), QTime(12, 0), Qt::UTC);
    const Result<TokenResponse> r =
        TokenResponse::parse(R"({"token":"t","expires_in":300,"issued_at":"2025-06-01T10:00:00Z"})", received);
    QVERIFY(r.ok());
    QCOMPARE(r->issuedAt, QDateTime(QDate(2025, 6, 1), QTime(10, 0), Qt::UTC));
    QCOMPARE(r->expiresAt, QDateTime(QDate(2025, 6, 1), QTime(12, 5), Qt::UTC));
    QVERIFY(r->expiresAt > received);
}

QTEST_GUILESS_MAIN(TestAuthChallenge)
#include "tst_authchallenge.moc"
