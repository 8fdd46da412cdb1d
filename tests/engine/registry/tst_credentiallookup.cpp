// Credential lookup in docker's config.json and containers' auth.json: key
// normalization, which entry and which file wins, credential helpers
// (credHelpers, credsStore) and their failures, and where the files are
// found from the environment. The files and helper scripts come from
// support/credentialstestsupport.h; login and logout are tst_credentiallogin.
#include "registry/credentials.h"
#include "support/credentialstestsupport.h"

#include <QElapsedTimer>
#include <QTest>

#include <optional>
#include <unistd.h>

using namespace porthole;
using namespace porthole::registry;
using namespace porthole::test::credentials;

class TestCredentialLookup : public QObject, public CredentialFixture {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { installHelpers(); }
    void init() { freshWorkDir(); }
    void normalize_data();
    void normalize();
    void lookup_data();
    void lookup();
    void precedence_data();
    void precedence();
    void helperLookup_data();
    void helperLookup();
    void helperTimeout();
    void fromEnvironment_data();
    void fromEnvironment();
};

void TestCredentialLookup::normalize_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("expected");
    const QList<std::pair<const char *, const char *>> rows = {
        {"ghcr.io", "ghcr.io"},
        {"GHCR.io", "ghcr.io"},
        {"https://ghcr.io", "ghcr.io"},
        {"https://ghcr.io/v2/", "ghcr.io"},
        {"http://localhost:5000", "localhost:5000"},
        {"localhost:5000/v1/", "localhost:5000"},
        {"quay.io/team/app", "quay.io"},
        {"https://index.docker.io/v1/", "docker.io"},
        {"index.docker.io", "docker.io"},
        {"registry-1.docker.io", "docker.io"},
        {"docker.io", "docker.io"},
        {"[::1]:5000", "[::1]:5000"},
        {" ghcr.io ", "ghcr.io"},
        {"", ""},
    };
    for (const auto &[key, expected] : rows)
        QTest::newRow(key) << QString::fromUtf8(key) << QString::fromUtf8(expected);
}

void TestCredentialLookup::normalize()
{
    QFETCH(QString, key);
    QFETCH(QString, expected);
    QCOMPARE(normalizeRegistryKey(key), expected);
    QCOMPARE(dockerHubAuthKey(), QStringLiteral("https://index.docker.io/v1/"));
}

void TestCredentialLookup::lookup_data()
{
    QTest::addColumn<QByteArray>("config"); // null: no file
    QTest::addColumn<QString>("host");
    QTest::addColumn<QString>("expected"); // describe() form, or empty for an error
    QTest::addColumn<QString>("errorPart");

    const QByteArray alice = b64("alice:pw");
    auto row = [](const char *name, const QByteArray &config, const char *host, const char *expected,
                  const char *errorPart = "") {
        QTest::newRow(name) << config << QString::fromUtf8(host) << QString::fromUtf8(expected)
                            << QString::fromUtf8(errorPart);
    };
    row("plain host key", fill(R"({"auths":{"ghcr.io":{"auth":"%1"}}})", {alice}), "ghcr.io", "alice/pw");
    row("https url key", fill(R"({"auths":{"https://ghcr.io/v2/":{"auth":"%1"}}})", {alice}), "ghcr.io", "alice/pw");
    row("http url key with port", fill(R"({"auths":{"http://localhost:5000":{"auth":"%1"}}})", {alice}),
        "localhost:5000", "alice/pw");
    row("port must match", fill(R"({"auths":{"localhost:5000":{"auth":"%1"}}})", {alice}), "localhost", "none");
    row("host given as url", fill(R"({"auths":{"ghcr.io":{"auth":"%1"}}})", {alice}), "https://ghcr.io/", "alice/pw");
    row("hub index key", fill(R"({"auths":{"https://index.docker.io/v1/":{"auth":"%1"}}})", {alice}), "docker.io",
        "alice/pw");
    row("hub key from index host", fill(R"({"auths":{"https://index.docker.io/v1/":{"auth":"%1"}}})", {alice}),
        "index.docker.io", "alice/pw");
    row("hub registry-1 key", fill(R"({"auths":{"registry-1.docker.io":{"auth":"%1"}}})", {alice}), "docker.io",
        "alice/pw");
    row("hub docker.io key (podman)", fill(R"({"auths":{"docker.io":{"auth":"%1"}}})", {alice}),
        "registry-1.docker.io", "alice/pw");
    row("exact key beats url variant",
        fill(R"({"auths":{"https://ghcr.io":{"auth":"%1"},"ghcr.io":{"auth":"%2"}}})", {b64("bob:b"), alice}),
        "ghcr.io", "alice/pw");
    row("host key beats namespace key",
        fill(R"({"auths":{"ghcr.io/aaa":{"auth":"%1"},"https://ghcr.io":{"auth":"%2"}}})", {b64("bob:b"), alice}),
        "ghcr.io", "alice/pw");
    row("namespace key as last resort", fill(R"({"auths":{"quay.io/team/app":{"auth":"%1"}}})", {alice}), "quay.io",
        "alice/pw");
    row("key case-insensitive", fill(R"({"auths":{"GHCR.IO":{"auth":"%1"}}})", {alice}), "ghcr.io", "alice/pw");
    row("password with colon", fill(R"({"auths":{"ghcr.io":{"auth":"%1"}}})", {b64("alice:pa:ss")}), "ghcr.io",
        "alice/pa:ss");
    row("password NUL padding", fill(R"({"auths":{"ghcr.io":{"auth":"%1"}}})", {b64(QByteArray("alice:pw\0\0", 10))}),
        "ghcr.io", "alice/pw");
    row("identity token with user",
        fill(R"({"auths":{"ghcr.io":{"auth":"%1","identitytoken":"tok"}}})", {b64("alice:")}), "ghcr.io",
        "alice/tok (token)");
    row("identity token alone", R"({"auths":{"ghcr.io":{"identitytoken":"tok"}}})", "ghcr.io", "/tok (token)");
    row("username and password fields", R"({"auths":{"ghcr.io":{"username":"alice","password":"pw"}}})", "ghcr.io",
        "alice/pw");
    row("empty entry (docker desktop)", R"({"auths":{"https://index.docker.io/v1/":{}}})", "docker.io", "none");
    row("empty entry skipped for variant",
        fill(R"({"auths":{"ghcr.io":{},"https://ghcr.io":{"auth":"%1"}}})", {alice}), "ghcr.io", "alice/pw");
    row("other registry", fill(R"({"auths":{"quay.io":{"auth":"%1"}}})", {alice}), "ghcr.io", "none");
    row("prefix is not a match", fill(R"({"auths":{"ghcr.io.evil.com":{"auth":"%1"}}})", {alice}), "ghcr.io", "none");
    row("broken entry of another host ignored",
        fill(R"({"auths":{"bad.io":{"auth":"!!!"},"ghcr.io":{"auth":"%1"}}})", {alice}), "ghcr.io", "alice/pw");
    row("no file", QByteArray(), "ghcr.io", "none");
    row("empty file", "", "ghcr.io", "none");
    row("no auths", R"({"psFormat":"x"})", "ghcr.io", "none");
    row("invalid base64", R"({"auths":{"ghcr.io":{"auth":"!!not base64!!"}}})", "ghcr.io", "",
        R"(auths["ghcr.io"].auth is not valid base64)");
    row("no colon", fill(R"({"auths":{"ghcr.io":{"auth":"%1"}}})", {b64("alicepw")}), "ghcr.io", "",
        "does not hold \"user:password\"");
    row("empty user", fill(R"({"auths":{"ghcr.io":{"auth":"%1"}}})", {b64(":pw")}), "ghcr.io", "",
        "does not hold \"user:password\"");
    row("auth not a string", R"({"auths":{"ghcr.io":{"auth":5}}})", "ghcr.io", "",
        R"(auths["ghcr.io"].auth is not a string)");
    row("entry not an object", R"({"auths":{"ghcr.io":"x"}})", "ghcr.io", "", "is not an object");
    row("password without user", R"({"auths":{"ghcr.io":{"password":"pw"}}})", "ghcr.io", "", "no user name");
    row("invalid json", "{\"auths\":", "ghcr.io", "", "not valid JSON");
    row("json array", "[]", "ghcr.io", "", "expected a JSON object");
    row("auths not object", R"({"auths":[]})", "ghcr.io", "", "\"auths\" is not an object");
    row("empty host", "{}", "", "", "the registry name is empty");
}

void TestCredentialLookup::lookup()
{
    QFETCH(QByteArray, config);
    QFETCH(QString, host);
    QFETCH(QString, expected);
    QFETCH(QString, errorPart);
    if (!config.isNull())
        writeFile(dockerPath(), config);
    const Result<std::optional<Credential>> r = makeStore().lookup(host);
    if (errorPart.isEmpty()) {
        QVERIFY2(r.ok(), r.ok() ? "" : qPrintable(r.error().message));
        QCOMPARE(describe(*r), expected);
    } else {
        QVERIFY(!r.ok());
        QVERIFY2(r.error().message.contains(errorPart), qPrintable(r.error().message));
        QVERIFY2(
            r.error().message.startsWith(QStringLiteral("look up credentials for ")), qPrintable(r.error().message));
        if (!host.isEmpty())
            QVERIFY2(r.error().message.contains(dockerPath()), qPrintable(r.error().message));
    }
}

void TestCredentialLookup::precedence_data()
{
    QTest::addColumn<QByteArray>("docker");
    QTest::addColumn<QByteArray>("auth1");
    QTest::addColumn<QByteArray>("auth2");
    QTest::addColumn<QString>("expected");
    QTest::addColumn<QString>("errorPart");

    const auto entry = [](const char *user) {
        return fill(R"({"auths":{"ghcr.io":{"auth":"%1"}}})", {b64(QByteArray(user) + ":pw")});
    };
    const QByteArray none;
    const QByteArray other = fill(R"({"auths":{"quay.io":{"auth":"%1"}}})", {b64("q:q")});
    QTest::newRow("docker first") << entry("docker") << entry("one") << entry("two") << "docker/pw" << "";
    QTest::newRow("then first auth.json") << other << entry("one") << entry("two") << "one/pw" << "";
    QTest::newRow("then second auth.json") << none << other << entry("two") << "two/pw" << "";
    QTest::newRow("nothing anywhere") << other << none << other << "none" << "";
    QTest::newRow("broken docker config, auth.json has it") << QByteArray("{oops") << entry("one") << none << "one/pw"
                                                            << "";
    QTest::newRow("broken docker config, nothing else") << QByteArray("{oops") << other << none << ""
                                                        << "not valid JSON";
    QTest::newRow("first error reported") << QByteArray("[]") << QByteArray("{oops") << none << ""
                                          << "expected a JSON object";
    QTest::newRow("missing helper, auth.json has it")
        << QByteArray(R"({"credsStore":"nonexistent"})") << entry("one") << none << "one/pw" << "";
    // containers/image knows no credsStore: a broken one in auth.json is never run.
    QTest::newRow("credsStore ignored in auth.json")
        << none << fill(R"({"credsStore":"broken","auths":{"ghcr.io":{"auth":"%1"}}})", {b64("one:pw")}) << none
        << "one/pw" << "";
    QTest::newRow("credHelpers honoured in auth.json")
        << none << QByteArray(R"({"credHelpers":{"ghcr.io":"broken"}})") << none << "" << "keyring is locked";
}

void TestCredentialLookup::precedence()
{
    QFETCH(QByteArray, docker);
    QFETCH(QByteArray, auth1);
    QFETCH(QByteArray, auth2);
    QFETCH(QString, expected);
    QFETCH(QString, errorPart);
    const QList<std::pair<QString, QByteArray>> files
        = {{dockerPath(), docker}, {authPath(1), auth1}, {authPath(2), auth2}};
    for (const auto &[path, content] : files) {
        if (!content.isNull())
            writeFile(path, content);
    }
    const Result<std::optional<Credential>> r = makeStore().lookup(QStringLiteral("ghcr.io"));
    if (errorPart.isEmpty()) {
        QVERIFY2(r.ok(), r.ok() ? "" : qPrintable(r.error().message));
        QCOMPARE(describe(*r), expected);
    } else {
        QVERIFY(!r.ok());
        QVERIFY2(r.error().message.contains(errorPart), qPrintable(r.error().message));
    }
}

void TestCredentialLookup::helperLookup_data()
{
    QTest::addColumn<QByteArray>("config");
    QTest::addColumn<QString>("seedUrl");
    QTest::addColumn<QByteArray>("seed");
    QTest::addColumn<QString>("host");
    QTest::addColumn<QString>("expected");
    QTest::addColumn<QString>("log");
    QTest::addColumn<QString>("errorPart");

    const QByteArray alice = R"({"ServerURL":"x","Username":"alice","Secret":"pw"})";
    const QString hub = dockerHubAuthKey();
    auto row = [](const char *name, const QByteArray &config, const QString &seedUrl, const QByteArray &seed,
                  const char *host, const char *expected, const QString &log, const char *errorPart = "") {
        QTest::newRow(name) << config << seedUrl << seed << QString::fromUtf8(host) << QString::fromUtf8(expected)
                            << log << QString::fromUtf8(errorPart);
    };
    row("credHelpers", R"({"credHelpers":{"ghcr.io":"fake"}})", "ghcr.io", alice, "ghcr.io", "alice/pw",
        "get ghcr.io\n");
    row("credHelpers url key", R"({"credHelpers":{"https://ghcr.io":"fake"}})", "ghcr.io", alice, "ghcr.io",
        "alice/pw", "get ghcr.io\n");
    row("credsStore for hub", R"({"credsStore":"fake"})", hub, alice, "docker.io", "alice/pw", "get " + hub + "\n");
    row("identity token", R"({"credsStore":"fake"})", "ghcr.io", R"({"Username":"<token>","Secret":"tok"})",
        "ghcr.io", "/tok (token)", "get ghcr.io\n");
    row("helper has nothing", R"({"credsStore":"fake"})", "", "", "ghcr.io", "none", "get ghcr.io\n");
    row("empty answer", R"({"credsStore":"fake"})", "ghcr.io", R"({"Username":"","Secret":""})", "ghcr.io", "none",
        "get ghcr.io\n");
    row("helper has nothing, auths has",
        fill(R"({"credsStore":"fake","auths":{"ghcr.io":{"auth":"%1"}}})", {b64("file:pw")}), "", "", "ghcr.io",
        "file/pw", "get ghcr.io\n");
    row("credHelpers beats credsStore", R"({"credsStore":"nonexistent","credHelpers":{"ghcr.io":"fake"}})", "ghcr.io",
        alice, "ghcr.io", "alice/pw", "get ghcr.io\n");
    row("credHelpers of another host", fill(R"({"credHelpers":{"quay.io":"broken"},"auths":{"ghcr.io":{"auth":"%1"}}})",
                                            {b64("file:pw")}),
        "", "", "ghcr.io", "file/pw", "");
    row("missing helper, auths has", fill(R"({"credsStore":"nonexistent","auths":{"ghcr.io":{"auth":"%1"}}})",
                                          {b64("file:pw")}),
        "", "", "ghcr.io", "file/pw", "");
    row("failing helper, auths has", fill(R"({"credsStore":"broken","auths":{"ghcr.io":{"auth":"%1"}}})",
                                          {b64("file:pw")}),
        "", "", "ghcr.io", "file/pw", "");
    row("missing helper", R"({"credsStore":"nonexistent"})", "", "", "ghcr.io", "", "",
        "docker-credential-nonexistent (set by credsStore in ");
    row("failing helper", R"({"credHelpers":{"ghcr.io":"broken"}})", "", "", "ghcr.io", "", "",
        "docker-credential-broken get: exited with status 3: keyring is locked");
    row("garbage answer", R"({"credsStore":"garbage"})", "", "", "ghcr.io", "", "", "is not a JSON object");
    row("failure output with a secret", R"({"credsStore":"leaky"})", "", "", "ghcr.io", "", "",
        "docker-credential-leaky get: exited with status 1");
    row("path in helper name", R"({"credsStore":"../evil"})", "", "", "ghcr.io", "", "", "must not contain '/'");
}

void TestCredentialLookup::helperLookup()
{
    QFETCH(QByteArray, config);
    QFETCH(QString, seedUrl);
    QFETCH(QByteArray, seed);
    QFETCH(QString, host);
    QFETCH(QString, expected);
    QFETCH(QString, log);
    QFETCH(QString, errorPart);
    writeFile(dockerPath(), config);
    if (!seedUrl.isEmpty())
        seedHelper(seedUrl, seed);
    const Result<std::optional<Credential>> r = makeStore().lookup(host);
    if (errorPart.isEmpty()) {
        QVERIFY2(r.ok(), r.ok() ? "" : qPrintable(r.error().message));
        QCOMPARE(describe(*r), expected);
        QCOMPARE(helperLog(), log);
    } else {
        QVERIFY(!r.ok());
        QVERIFY2(r.error().message.contains(errorPart), qPrintable(r.error().message));
        QVERIFY2(!r.error().message.contains(QStringLiteral("hunter2")), qPrintable(r.error().message));
    }
}

void TestCredentialLookup::helperTimeout()
{
    writeFile(dockerPath(), R"({"credsStore":"slow"})");
    CredentialStore store = makeStore();
    store.setHelperTimeoutMs(300);
    QElapsedTimer timer;
    timer.start();
    const Result<std::optional<Credential>> r = store.lookup(QStringLiteral("ghcr.io"));
    QVERIFY(!r.ok());
    QCOMPARE(r.error().code, ErrorCode::Unavailable);
    QVERIFY2(r.error().message.contains(QStringLiteral("no answer within 300 ms")), qPrintable(r.error().message));
    QVERIFY2(timer.elapsed() < 3000, qPrintable(QString::number(timer.elapsed())));
}

void TestCredentialLookup::fromEnvironment_data()
{
    QTest::addColumn<QStringList>("env"); // NAME=value; NAME= unsets
    QTest::addColumn<QString>("docker");
    QTest::addColumn<QStringList>("auth");
    const QString uid = QString::number(::getuid());
    QTest::newRow("all set") << QStringList{"HOME=/h", "DOCKER_CONFIG=/d", "REGISTRY_AUTH_FILE=/r/a.json",
                                            "XDG_RUNTIME_DIR=/run/user/7", "XDG_CONFIG_HOME=/c"}
                             << "/d/config.json" << QStringList{"/r/a.json", "/c/containers/auth.json"};
    QTest::newRow("defaults") << QStringList{"HOME=/h", "DOCKER_CONFIG=", "REGISTRY_AUTH_FILE=",
                                             "XDG_RUNTIME_DIR=/run/user/7", "XDG_CONFIG_HOME="}
                              << "/h/.docker/config.json"
                              << QStringList{"/run/user/7/containers/auth.json", "/h/.config/containers/auth.json"};
    QTest::newRow("no runtime dir") << QStringList{"HOME=/h",
        "DOCKER_CONFIG=", "REGISTRY_AUTH_FILE=", "XDG_RUNTIME_DIR=", "XDG_CONFIG_HOME="}
                                    << "/h/.docker/config.json"
                                    << QStringList{
                                           "/run/containers/" + uid + "/auth.json", "/h/.config/containers/auth.json"};
}

void TestCredentialLookup::fromEnvironment()
{
    QFETCH(QStringList, env);
    QFETCH(QString, docker);
    QFETCH(QStringList, auth);
    QList<std::pair<QByteArray, std::optional<QByteArray>>> saved;
    for (const QString &e : env) {
        const QByteArray name = e.section(u'=', 0, 0).toUtf8();
        const QByteArray value = e.section(u'=', 1).toUtf8();
        saved.append({name,
            qEnvironmentVariableIsSet(name.constData()) ? std::optional(qgetenv(name.constData())) : std::nullopt});
        if (value.isEmpty())
            qunsetenv(name.constData());
        else
            qputenv(name.constData(), value);
    }
    const CredentialStore store = CredentialStore::fromEnvironment();
    for (const auto &[name, value] : saved) {
        if (value)
            qputenv(name.constData(), *value);
        else
            qunsetenv(name.constData());
    }
    QCOMPARE(store.dockerConfigPath(), docker);
    QCOMPARE(store.authJsonPaths(), auth);
}

QTEST_GUILESS_MAIN(TestCredentialLookup)
#include "tst_credentiallookup.moc"
