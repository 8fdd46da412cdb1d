// `porthole push`, `login`, `logout` against Debian's docker-registry, read
// back by skopeo (an independent client) and by Porthole's own pull.
#include "support/registryfixture.h"
#include "support/testsupport.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcessEnvironment>
#include <QTemporaryDir>
#include <QTest>

using namespace porthole;
using namespace porthole::test;

class TestPush : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void pushCompressesAndRoundTrips_data();
    void pushCompressesAndRoundTrips();
    void loginStoresAndLogoutRemoves();
    void wrongPasswordSavesNothing();

private:
    RunResult ph(const QString &root, const QStringList &args, const QByteArray &input = {})
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("PORTHOLE_NO_DEMO"), QStringLiteral("1"));
        env.insert(QStringLiteral("DOCKER_CONFIG"), m_dockerConfig.path());
        env.insert(QStringLiteral("REGISTRY_AUTH_FILE"), m_dockerConfig.filePath(QStringLiteral("auth.json")));
        return runPorthole(root, args, input, 120000, env);
    }
    // A rootfs tar with a few files, imported uncompressed (so push compresses it).
    bool importPlain(const QString &root, const QString &name)
    {
        QTemporaryDir src;
        QFile f(src.filePath(QStringLiteral("hello.txt")));
        if (!f.open(QIODevice::WriteOnly))
            return false;
        f.write(QByteArray(200000, 'p'));
        f.close();
        const QString tar = src.filePath(QStringLiteral("rootfs.tar"));
        if (runProgram(QStringLiteral("tar"), {QStringLiteral("-cf"), tar, QStringLiteral("-C"), src.path(), QStringLiteral("hello.txt")}).exitCode != 0)
            return false;
        return ph(root, {QStringLiteral("import"), tar, name}).exitCode == 0;
    }
    QJsonObject skopeoRaw(const RegistryFixture &reg, const QString &repoTag)
    {
        auto raw = reg.skopeoRawManifest(repoTag);
        return raw ? QJsonDocument::fromJson(*raw).object() : QJsonObject();
    }
    QTemporaryDir m_dockerConfig;
};

void TestPush::initTestCase()
{
    if (!RegistryFixture::available())
        QSKIP("docker-registry, openssl, htpasswd or skopeo is not installed (installer/install-deps.sh test)");
    QVERIFY(m_dockerConfig.isValid());
}

void TestPush::pushCompressesAndRoundTrips_data()
{
    QTest::addColumn<QString>("format");
    QTest::addColumn<QString>("mediaType");
    QTest::newRow("gzip") << QString() << QStringLiteral("application/vnd.oci.image.layer.v1.tar+gzip");
    QTest::newRow("zstd") << QStringLiteral("zstd") << QStringLiteral("application/vnd.oci.image.layer.v1.tar+zstd");
}

void TestPush::pushCompressesAndRoundTrips()
{
    QFETCH(QString, format);
    QFETCH(QString, mediaType);
    QString error;
    auto reg = RegistryFixture::start(RegistryFixture::Mode::Basic, &error);
    QVERIFY2(reg, qPrintable(error));
    QTemporaryDir root;
    const QString ref = reg->host() + QStringLiteral("/pushed/app:1");
    QVERIFY(importPlain(root.path(), ref));
    const RunResult login = ph(root.path(), {QStringLiteral("login"), QStringLiteral("-u"), reg->username(),
                                             QStringLiteral("--password-stdin"), reg->host()},
                               reg->password().toUtf8() + '\n');
    QVERIFY2(login.exitCode == 0, login.err.constData());
    QStringList args{QStringLiteral("push")};
    if (!format.isEmpty())
        args << QStringLiteral("--compression-format") << format;
    args << ref;
    const RunResult push = ph(root.path(), args);
    QVERIFY2(push.exitCode == 0, push.err.constData());
    QVERIFY2(push.out.startsWith("The push refers to repository [" + (reg->host() + QStringLiteral("/pushed/app")).toUtf8() + "]\n"),
             push.out.constData());
    QVERIFY2(push.out.contains(": Pushed\n") && push.out.contains("1: digest: sha256:"), push.out.constData());

    // skopeo reads what we pushed: the layer compressed as asked.
    const QJsonObject manifest = skopeoRaw(*reg, QStringLiteral("pushed/app:1"));
    QCOMPARE(manifest.value(QStringLiteral("layers")).toArray().first().toObject().value(QStringLiteral("mediaType")).toString(), mediaType);

    // A second push uploads nothing (the same compression gives the same blob).
    const RunResult again = ph(root.path(), args);
    QVERIFY2(again.out.contains("Layer already exists"), again.out.constData());

    // Pulled into another store it is the same image (same ID, same files).
    QTemporaryDir other;
    QVERIFY(ph(other.path(), {QStringLiteral("pull"), ref}).exitCode == 0);
    const RunResult idHere = ph(root.path(), {QStringLiteral("images"), QStringLiteral("-q"), QStringLiteral("--no-trunc"), ref});
    const RunResult idThere = ph(other.path(), {QStringLiteral("images"), QStringLiteral("-q"), QStringLiteral("--no-trunc"), ref});
    QVERIFY(!idHere.out.isEmpty());
    QCOMPARE(idThere.out, idHere.out);
    ph(root.path(), {QStringLiteral("logout"), reg->host()});
}

void TestPush::loginStoresAndLogoutRemoves()
{
    QString error;
    auto reg = RegistryFixture::start(RegistryFixture::Mode::Token, &error);
    QVERIFY2(reg, qPrintable(error));
    QTemporaryDir root;
    const RunResult login = ph(root.path(), {QStringLiteral("login"), QStringLiteral("-u"), reg->username(),
                                             QStringLiteral("--password-stdin"), reg->host()},
                               reg->password().toUtf8());
    QVERIFY2(login.exitCode == 0, login.err.constData());
    QCOMPARE(login.out, QByteArray("Login Succeeded\n"));
    QFile config(m_dockerConfig.filePath(QStringLiteral("config.json")));
    QVERIFY(config.open(QIODevice::ReadOnly));
    const QJsonObject auths = QJsonDocument::fromJson(config.readAll()).object().value(QStringLiteral("auths")).toObject();
    config.close();
    QVERIFY2(auths.contains(reg->host()), qPrintable(QString::fromUtf8(QJsonDocument(auths).toJson())));
    QCOMPARE(QFile::permissions(config.fileName()) & (QFile::ReadGroup | QFile::ReadOther), QFile::Permissions());

    const RunResult logout = ph(root.path(), {QStringLiteral("logout"), reg->host()});
    QCOMPARE(logout.exitCode, 0);
    QVERIFY(config.open(QIODevice::ReadOnly));
    QVERIFY(!QJsonDocument::fromJson(config.readAll()).object().value(QStringLiteral("auths")).toObject().contains(reg->host()));
}

void TestPush::wrongPasswordSavesNothing()
{
    QString error;
    auto reg = RegistryFixture::start(RegistryFixture::Mode::Basic, &error);
    QVERIFY2(reg, qPrintable(error));
    QTemporaryDir root;
    QFile::remove(m_dockerConfig.filePath(QStringLiteral("config.json")));
    const RunResult login = ph(root.path(), {QStringLiteral("login"), QStringLiteral("-u"), reg->username(),
                                             QStringLiteral("--password-stdin"), reg->host()},
                               "not-the-password");
    QCOMPARE(login.exitCode, 1);
    QVERIFY2(login.err.contains(reg->host().toUtf8()), login.err.constData());
    QVERIFY(!QFile::exists(m_dockerConfig.filePath(QStringLiteral("config.json"))));
}

QTEST_GUILESS_MAIN(TestPush)
#include "tst_push.moc"
