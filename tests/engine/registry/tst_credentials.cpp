// Credential lookup, login and logout against docker's config.json and
// containers' auth.json. Credential helpers are shell scripts this test
// writes into a temporary directory put first on PATH; "fake" keeps its
// entries in files (keyed by a hash of the server URL) and logs each call.
#include "registry/credentials.h"

#include <QCryptographicHash>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <memory>
#include <sys/stat.h>
#include <unistd.h>

using namespace porthole;
using namespace porthole::registry;

namespace {

// Plain literals: moc mis-lexes a raw string holding shell quoting.
const char *kFakeHelper =
    "#!/bin/sh\n"
    "dir=$(dirname \"$0\")\n"
    "input=$(cat)\n"
    "printf '%s %s\\n' \"$1\" \"$input\" >> \"$dir/helper.log\"\n"
    "case \"$1\" in\n"
    "store)\n"
    "    url=$(printf %s \"$input\" | sed -n 's/.*\"ServerURL\":\"\\([^\"]*\\)\".*/\\1/p')\n"
    "    key=$(printf %s \"$url\" | sha256sum | cut -c1-16)\n"
    "    printf %s \"$input\" > \"$dir/db/$key\"\n"
    "    exit 0 ;;\n"
    "get|erase) key=$(printf %s \"$input\" | sha256sum | cut -c1-16) ;;\n"
    "*) exit 2 ;;\n"
    "esac\n"
    "if [ ! -f \"$dir/db/$key\" ]; then echo \"credentials not found in native keychain\"; exit 1; fi\n"
    "if [ \"$1\" = erase ]; then rm \"$dir/db/$key\"; exit 0; fi\n"
    "cat \"$dir/db/$key\"\n";

QByteArray b64(const QByteArray &s) { return s.toBase64(); }

// Fills %1.. in a JSON template (QString::arg, so '%' stays out of the JSON).
QByteArray fill(const char *tmpl, const QList<QByteArray> &args = {})
{
    QString s = QString::fromUtf8(tmpl);
    for (const QByteArray &a : args)
        s = s.arg(QString::fromUtf8(a));
    return s.toUtf8();
}

void writeFile(const QString &path, const QByteArray &data)
{
    QVERIFY(QDir().mkpath(QFileInfo(path).absolutePath()));
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    QCOMPARE(f.write(data), data.size());
}

QByteArray readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

QJsonObject readJson(const QString &path) { return QJsonDocument::fromJson(readFile(path)).object(); }

int modeOf(const QString &path)
{
    struct stat st {};
    return ::stat(QFile::encodeName(path).constData(), &st) == 0 ? int(st.st_mode & 07777) : -1;
}

QString describe(const std::optional<Credential> &c)
{
    if (!c)
        return QStringLiteral("none");
    return c->username + u'/' + c->secret + (c->isIdentityToken ? QStringLiteral(" (token)") : QString());
}

} // namespace

class TestCredentials : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void normalize_data();
    void normalize();
    void lookup_data();
    void lookup();
    void precedence_data();
    void precedence();
    void helperLookup_data();
    void helperLookup();
    void helperTimeout();
    void storeKeys_data();
    void storeKeys();
    void storeKeepsOtherFields();
    void storeIdentityToken();
    void storeCreatesFileAndDir();
    void storeTightensMode();
    void storeThroughSymlink();
    void storeRefusesBrokenFile();
    void storeRejectsBadInput_data();
    void storeRejectsBadInput();
    void storeWithHelper();
    void storeHelperFailureKeepsFile();
    void eraseRemovesVariants();
    void eraseNotLoggedIn();
    void eraseWithHelper();
    void fromEnvironment_data();
    void fromEnvironment();

private:
    QString dockerPath() const { return m_work->filePath(QStringLiteral("docker/config.json")); }
    QString authPath(int i) const { return m_work->filePath(QStringLiteral("auth%1/auth.json").arg(i)); }
    CredentialStore makeStore() const { return CredentialStore::fromFiles(dockerPath(), {authPath(1), authPath(2)}); }
    QString helperLog() const { return QString::fromUtf8(readFile(m_bin.filePath(QStringLiteral("helper.log")))); }
    void seedHelper(const QString &serverUrl, const QByteArray &json);
    void installScript(const QString &name, const QByteArray &body);

    QTemporaryDir m_bin;
    std::unique_ptr<QTemporaryDir> m_work;
};

void TestCredentials::installScript(const QString &name, const QByteArray &body)
{
    const QString path = m_bin.filePath(name);
    writeFile(path, body);
    QVERIFY(QFile::setPermissions(path, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner));
}

void TestCredentials::seedHelper(const QString &serverUrl, const QByteArray &json)
{
    const QByteArray key = QCryptographicHash::hash(serverUrl.toUtf8(), QCryptographicHash::Sha256).toHex().left(16);
    writeFile(m_bin.filePath(QStringLiteral("db/") + QString::fromLatin1(key)), json);
}

void TestCredentials::initTestCase()
{
    QVERIFY(m_bin.isValid());
    installScript(QStringLiteral("docker-credential-fake"), kFakeHelper);
    installScript(
        QStringLiteral("docker-credential-broken"), "#!/bin/sh\ncat >/dev/null\necho 'keyring is locked'\nexit 3\n");
    installScript(QStringLiteral("docker-credential-garbage"), "#!/bin/sh\ncat >/dev/null\necho 'not json'\n");
    installScript(QStringLiteral("docker-credential-leaky"),
                  "#!/bin/sh\ncat >/dev/null\necho '{\"Username\":\"u\",\"Secret\":\"hunter2\"}'\nexit 1\n");
    installScript(QStringLiteral("docker-credential-slow"), "#!/bin/sh\nexec sleep 5\n");
    qputenv("PATH", QFile::encodeName(m_bin.path()) + ':' + qgetenv("PATH"));
}

void TestCredentials::init()
{
    m_work = std::make_unique<QTemporaryDir>();
    QVERIFY(m_work->isValid());
    QFile::remove(m_bin.filePath(QStringLiteral("helper.log")));
    QDir(m_bin.filePath(QStringLiteral("db"))).removeRecursively();
    QVERIFY(QDir().mkpath(m_bin.filePath(QStringLiteral("db"))));
}

void TestCredentials::normalize_data()
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

void TestCredentials::normalize()
{
    QFETCH(QString, key);
    QFETCH(QString, expected);
    QCOMPARE(normalizeRegistryKey(key), expected);
    QCOMPARE(dockerHubAuthKey(), QStringLiteral("https://index.docker.io/v1/"));
}

void TestCredentials::lookup_data()
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

void TestCredentials::lookup()
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

void TestCredentials::precedence_data()
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

void TestCredentials::precedence()
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

void TestCredentials::helperLookup_data()
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

void TestCredentials::helperLookup()
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

void TestCredentials::helperTimeout()
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

void TestCredentials::storeKeys_data()
{
    QTest::addColumn<QString>("host");
    QTest::addColumn<QString>("key");
    const QString hub = dockerHubAuthKey();
    QTest::newRow("docker.io") << "docker.io" << hub;
    QTest::newRow("index.docker.io") << "index.docker.io" << hub;
    QTest::newRow("registry-1.docker.io") << "registry-1.docker.io" << hub;
    QTest::newRow("hub url") << hub << hub;
    QTest::newRow("host with port") << "localhost:5000" << "localhost:5000";
    QTest::newRow("url with upper case") << "https://GHCR.io/" << "ghcr.io";
}

void TestCredentials::storeKeys()
{
    QFETCH(QString, host);
    QFETCH(QString, key);
    CredentialStore store = makeStore();
    const Status st = store.store(host, {QStringLiteral("alice"), QStringLiteral("p:w é"), false});
    QVERIFY2(st.ok(), st.ok() ? "" : qPrintable(st.error().message));
    const QJsonObject auths = readJson(dockerPath()).value(QStringLiteral("auths")).toObject();
    QCOMPARE(auths.keys(), QStringList{key});
    QCOMPARE(auths.value(key).toObject().value(QStringLiteral("auth")).toString(),
             QString::fromLatin1(QStringLiteral("alice:p:w é").toUtf8().toBase64()));
    const Result<std::optional<Credential>> back = store.lookup(host);
    QVERIFY(back.ok());
    QCOMPARE(describe(*back), QStringLiteral("alice/p:w é"));
    QCOMPARE(modeOf(dockerPath()), 0600);
}

void TestCredentials::storeKeepsOtherFields()
{
    const QByteArray before = fill(R"({
        "auths": {
            "https://ghcr.io": {"auth": "%1"},
            "http://ghcr.io/v2/": {"auth": "%1"},
            "ghcr.io": {"auth": "%1", "email": "a@example.com"},
            "ghcr.io/team": {"auth": "%2"},
            "quay.io": {"auth": "%3"}
        },
        "psFormat": "table {{.ID}}",
        "HttpHeaders": {"X-Meta": "1"},
        "credHelpers": {"gcr.io": "gcloud"},
        "plugins": {"x": {"k": "v"}},
        "currentContext": "default",
        "big": 12345678901
    })", {b64("old:old"), b64("team:t"), b64("q:q")});
    writeFile(dockerPath(), before);
    QVERIFY(
        QFile::setPermissions(dockerPath(), QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadOther));
    CredentialStore store = makeStore();
    QVERIFY(store.store(QStringLiteral("ghcr.io"), {QStringLiteral("alice"), QStringLiteral("pw"), false}).ok());

    QJsonObject was = QJsonDocument::fromJson(before).object();
    QJsonObject now = readJson(dockerPath());
    const QJsonObject auths = now.take(QStringLiteral("auths")).toObject();
    was.remove(QStringLiteral("auths"));
    QCOMPARE(now, was);
    QCOMPARE(auths.keys(), (QStringList{"ghcr.io", "ghcr.io/team", "quay.io"}));
    QCOMPARE(auths.value(QStringLiteral("ghcr.io")).toObject(),
             (QJsonObject{{"auth", QString::fromLatin1(b64("alice:pw"))}, {"email", "a@example.com"}}));
    QCOMPARE(auths.value(QStringLiteral("quay.io")).toObject().value(QStringLiteral("auth")).toString(),
             QString::fromLatin1(b64("q:q")));
    QCOMPARE(modeOf(dockerPath()), 0600);
    // The temp file was renamed, not left behind.
    QCOMPARE(
        QDir(QFileInfo(dockerPath()).absolutePath()).entryList(QDir::Files | QDir::Hidden), QStringList{"config.json"});
}

void TestCredentials::storeIdentityToken()
{
    CredentialStore store = makeStore();
    QVERIFY(store.store(QStringLiteral("docker.io"), {QStringLiteral("alice"), QStringLiteral("tok"), true}).ok());
    QVERIFY(store.store(QStringLiteral("ghcr.io"), {QString(), QStringLiteral("tok2"), true}).ok());
    const QJsonObject auths = readJson(dockerPath()).value(QStringLiteral("auths")).toObject();
    QCOMPARE(auths.value(dockerHubAuthKey()).toObject(),
             (QJsonObject{{"auth", QString::fromLatin1(b64("alice:"))}, {"identitytoken", "tok"}}));
    QCOMPARE(auths.value(QStringLiteral("ghcr.io")).toObject(), (QJsonObject{{"identitytoken", "tok2"}}));
    QCOMPARE(describe(*store.lookup(QStringLiteral("docker.io"))), QStringLiteral("alice/tok (token)"));
    QCOMPARE(describe(*store.lookup(QStringLiteral("ghcr.io"))), QStringLiteral("/tok2 (token)"));
}

void TestCredentials::storeCreatesFileAndDir()
{
    const QString path = m_work->filePath(QStringLiteral("new/sub/config.json"));
    CredentialStore store = CredentialStore::fromFiles(path, {});
    QVERIFY(store.store(QStringLiteral("ghcr.io"), {QStringLiteral("alice"), QStringLiteral("pw"), false}).ok());
    QCOMPARE(modeOf(path), 0600);
    QCOMPARE(modeOf(QFileInfo(path).absolutePath()), 0700);
    QCOMPARE(describe(*store.lookup(QStringLiteral("ghcr.io"))), QStringLiteral("alice/pw"));
}

void TestCredentials::storeTightensMode()
{
    writeFile(dockerPath(), "{}");
    QVERIFY(QFile::setPermissions(dockerPath(),
        QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadGroup | QFileDevice::ReadOther));
    QCOMPARE(modeOf(dockerPath()), 0644);
    QVERIFY(makeStore().store(QStringLiteral("ghcr.io"), {QStringLiteral("alice"), QStringLiteral("pw"), false}).ok());
    QCOMPARE(modeOf(dockerPath()), 0600);
}

void TestCredentials::storeThroughSymlink()
{
    const QString real = m_work->filePath(QStringLiteral("dotfiles/docker-config.json"));
    writeFile(real, R"({"psFormat":"x"})");
    QVERIFY(QDir().mkpath(QFileInfo(dockerPath()).absolutePath()));
    QVERIFY(QFile::link(QStringLiteral("../dotfiles/docker-config.json"), dockerPath()));
    QVERIFY(makeStore().store(QStringLiteral("ghcr.io"), {QStringLiteral("alice"), QStringLiteral("pw"), false}).ok());
    QVERIFY(QFileInfo(dockerPath()).isSymLink());
    QCOMPARE(readJson(real).value(QStringLiteral("psFormat")).toString(), QStringLiteral("x"));
    QVERIFY(readJson(real).value(QStringLiteral("auths")).toObject().contains(QStringLiteral("ghcr.io")));
    QCOMPARE(modeOf(real), 0600);
}

void TestCredentials::storeRefusesBrokenFile()
{
    writeFile(dockerPath(), "{\"auths\": {oops");
    const Status st
        = makeStore().store(QStringLiteral("ghcr.io"), {QStringLiteral("alice"), QStringLiteral("pw"), false});
    QVERIFY(!st.ok());
    QCOMPARE(st.error().code, ErrorCode::InvalidArgument);
    QVERIFY2(st.error().message.startsWith(QStringLiteral("log in to ghcr.io: ") + dockerPath()),
        qPrintable(st.error().message));
    QCOMPARE(readFile(dockerPath()), QByteArray("{\"auths\": {oops"));
}

void TestCredentials::storeRejectsBadInput_data()
{
    QTest::addColumn<QString>("host");
    QTest::addColumn<QString>("user");
    QTest::addColumn<QString>("secret");
    QTest::addColumn<bool>("token");
    QTest::addColumn<QString>("errorPart");
    QTest::newRow("empty host") << "" << "alice" << "pw" << false << "the registry name is empty";
    QTest::newRow("empty password") << "ghcr.io" << "alice" << "" << false << "the password is empty";
    QTest::newRow("empty token") << "ghcr.io" << "" << "" << true << "the identity token is empty";
    QTest::newRow("empty user") << "ghcr.io" << "" << "pw" << false << "the user name is empty";
    QTest::newRow("colon in user") << "ghcr.io" << "al:ice" << "pw" << false << "contains ':'";
}

void TestCredentials::storeRejectsBadInput()
{
    QFETCH(QString, host);
    QFETCH(QString, user);
    QFETCH(QString, secret);
    QFETCH(bool, token);
    QFETCH(QString, errorPart);
    const Status st = makeStore().store(host, {user, secret, token});
    QVERIFY(!st.ok());
    QCOMPARE(st.error().code, ErrorCode::InvalidArgument);
    QVERIFY2(st.error().message.contains(errorPart), qPrintable(st.error().message));
    QVERIFY(!QFileInfo::exists(dockerPath()));
}

void TestCredentials::storeWithHelper()
{
    writeFile(dockerPath(), fill(R"({"credsStore":"fake","auths":{"ghcr.io":{"auth":"%1"}}})", {b64("old:old")}));
    CredentialStore store = makeStore();
    QVERIFY(store.store(QStringLiteral("ghcr.io"), {QStringLiteral("alice"), QStringLiteral("pw"), false}).ok());
    QVERIFY(store.store(QStringLiteral("docker.io"), {QString(), QStringLiteral("tok"), true}).ok());
    QCOMPARE(helperLog(),
        QStringLiteral(
            "store {\"Secret\":\"pw\",\"ServerURL\":\"ghcr.io\",\"Username\":\"alice\"}\n"
            "store {\"Secret\":\"tok\",\"ServerURL\":\"https://index.docker.io/v1/\",\"Username\":\"<token>\"}\n"));
    // No secret in the file: only docker's empty marker entries.
    const QJsonObject auths = readJson(dockerPath()).value(QStringLiteral("auths")).toObject();
    QCOMPARE(auths, (QJsonObject{{"ghcr.io", QJsonObject()}, {dockerHubAuthKey(), QJsonObject()}}));
    QCOMPARE(readJson(dockerPath()).value(QStringLiteral("credsStore")).toString(), QStringLiteral("fake"));
    QCOMPARE(describe(*store.lookup(QStringLiteral("ghcr.io"))), QStringLiteral("alice/pw"));
    QCOMPARE(describe(*store.lookup(QStringLiteral("docker.io"))), QStringLiteral("/tok (token)"));
}

void TestCredentials::storeHelperFailureKeepsFile()
{
    const QByteArray before
        = fill(R"({"credHelpers":{"ghcr.io":"broken"},"auths":{"ghcr.io":{"auth":"%1"}}})", {b64("old:old")});
    writeFile(dockerPath(), before);
    const Status st
        = makeStore().store(QStringLiteral("ghcr.io"), {QStringLiteral("alice"), QStringLiteral("pw"), false});
    QVERIFY(!st.ok());
    QVERIFY2(st.error().message.contains(QStringLiteral("keyring is locked")), qPrintable(st.error().message));
    QCOMPARE(readFile(dockerPath()), before);
}

void TestCredentials::eraseRemovesVariants()
{
    writeFile(dockerPath(), fill(R"({
        "auths": {"ghcr.io": {"auth": "%1"}, "https://ghcr.io": {"auth": "%1"}, "http://GHCR.io/v1/": {"auth": "%1"},
                  "ghcr.io/team": {"auth": "%2"}, "quay.io": {"auth": "%1"}},
        "psFormat": "x"})", {b64("a:a"), b64("team:t")}));
    CredentialStore store = makeStore();
    const Status st = store.erase(QStringLiteral("ghcr.io"));
    QVERIFY2(st.ok(), st.ok() ? "" : qPrintable(st.error().message));
    const QJsonObject root = readJson(dockerPath());
    QCOMPARE(root.value(QStringLiteral("auths")).toObject().keys(), (QStringList{"ghcr.io/team", "quay.io"}));
    QCOMPARE(root.value(QStringLiteral("psFormat")).toString(), QStringLiteral("x"));
    QCOMPARE(modeOf(dockerPath()), 0600);
    // A repository-scoped entry stays (podman's keys), and lookup still falls back to it as podman does.
    QCOMPARE(describe(*store.lookup(QStringLiteral("ghcr.io"))), QStringLiteral("team/t"));
    QCOMPARE(describe(*store.lookup(QStringLiteral("quay.io"))), QStringLiteral("a/a"));
}

void TestCredentials::eraseNotLoggedIn()
{
    CredentialStore store = makeStore();
    Status st = store.erase(QStringLiteral("ghcr.io"));
    QVERIFY(!st.ok());
    QCOMPARE(st.error().code, ErrorCode::NotFound);
    QVERIFY(!QFileInfo::exists(dockerPath()));

    const QByteArray before = fill(R"({"auths":{"quay.io":{"auth":"%1"}}})", {b64("q:q")});
    writeFile(dockerPath(), before);
    st = store.erase(QStringLiteral("ghcr.io"));
    QVERIFY(!st.ok());
    QCOMPARE(st.error().code, ErrorCode::NotFound);
    QVERIFY2(st.error().message.contains(QStringLiteral("log out of ghcr.io: not logged in")),
        qPrintable(st.error().message));
    QCOMPARE(readFile(dockerPath()), before);
}

void TestCredentials::eraseWithHelper()
{
    writeFile(dockerPath(), R"({"credsStore":"fake","auths":{"ghcr.io":{}}})");
    seedHelper(QStringLiteral("ghcr.io"), R"({"Username":"alice","Secret":"pw"})");
    CredentialStore store = makeStore();
    QCOMPARE(describe(*store.lookup(QStringLiteral("ghcr.io"))), QStringLiteral("alice/pw"));
    QVERIFY(store.erase(QStringLiteral("ghcr.io")).ok());
    QCOMPARE(helperLog(), QStringLiteral("get ghcr.io\nerase ghcr.io\n"));
    QVERIFY(readJson(dockerPath()).value(QStringLiteral("auths")).toObject().isEmpty());
    QCOMPARE(describe(*store.lookup(QStringLiteral("ghcr.io"))), QStringLiteral("none"));
    const Status again = store.erase(QStringLiteral("ghcr.io"));
    QVERIFY(!again.ok());
    QCOMPARE(again.error().code, ErrorCode::NotFound);
}

void TestCredentials::fromEnvironment_data()
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

void TestCredentials::fromEnvironment()
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

QTEST_GUILESS_MAIN(TestCredentials)
#include "tst_credentials.moc"
