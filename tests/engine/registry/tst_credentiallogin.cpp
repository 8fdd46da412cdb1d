// Login and logout (CredentialStore::store and erase) against docker's
// config.json: the keys written, other fields and entries kept, file modes,
// symlinks, refused input, and credential helpers that store and erase. The
// files and helper scripts come from support/credentialstestsupport.h;
// lookup is tst_credentiallookup.
#include "registry/credentials.h"
#include "support/credentialstestsupport.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace porthole;
using namespace porthole::registry;
using namespace porthole::test::credentials;

class TestCredentialLogin : public QObject, public CredentialFixture {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { installHelpers(); }
    void init() { freshWorkDir(); }
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
};

void TestCredentialLogin::storeKeys_data()
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

void TestCredentialLogin::storeKeys()
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

void TestCredentialLogin::storeKeepsOtherFields()
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

void TestCredentialLogin::storeIdentityToken()
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

void TestCredentialLogin::storeCreatesFileAndDir()
{
    const QString path = m_work->filePath(QStringLiteral("new/sub/config.json"));
    CredentialStore store = CredentialStore::fromFiles(path, {});
    QVERIFY(store.store(QStringLiteral("ghcr.io"), {QStringLiteral("alice"), QStringLiteral("pw"), false}).ok());
    QCOMPARE(modeOf(path), 0600);
    QCOMPARE(modeOf(QFileInfo(path).absolutePath()), 0700);
    QCOMPARE(describe(*store.lookup(QStringLiteral("ghcr.io"))), QStringLiteral("alice/pw"));
}

void TestCredentialLogin::storeTightensMode()
{
    writeFile(dockerPath(), "{}");
    QVERIFY(QFile::setPermissions(dockerPath(),
        QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadGroup | QFileDevice::ReadOther));
    QCOMPARE(modeOf(dockerPath()), 0644);
    QVERIFY(makeStore().store(QStringLiteral("ghcr.io"), {QStringLiteral("alice"), QStringLiteral("pw"), false}).ok());
    QCOMPARE(modeOf(dockerPath()), 0600);
}

void TestCredentialLogin::storeThroughSymlink()
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

void TestCredentialLogin::storeRefusesBrokenFile()
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

void TestCredentialLogin::storeRejectsBadInput_data()
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

void TestCredentialLogin::storeRejectsBadInput()
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

void TestCredentialLogin::storeWithHelper()
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

void TestCredentialLogin::storeHelperFailureKeepsFile()
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

void TestCredentialLogin::eraseRemovesVariants()
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

void TestCredentialLogin::eraseNotLoggedIn()
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

void TestCredentialLogin::eraseWithHelper()
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

QTEST_GUILESS_MAIN(TestCredentialLogin)
#include "tst_credentiallogin.moc"
