// certs.d as docker reads it: CA certificates (*.crt), a client certificate
// (<name>.cert) that needs its key (<name>.key) and the reverse, the first
// root that has the host's directory wins, and a broken file is an error
// that names it rather than a TLS failure later.
#include "registry/certsdir.h"
#include "support/testsupport.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace porthole;
using namespace porthole::registry;
using porthole::test::runProgram;

class TestCertsDir : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void noDirectoryIsNothing();
    void caAndClientPair();
    void firstRootWins();
    void certificateWithoutKey();
    void keyWithoutCertificate();
    void notPem_data();
    void notPem();

private:
    // A host directory under a fresh root, holding the named files from m_pem.
    QString hostDir(QTemporaryDir &root, const QStringList &files);
    QTemporaryDir m_pem; // ca.crt, client.cert, client.key made by openssl
};

void TestCertsDir::initTestCase()
{
    if (!porthole::test::haveProgram(QStringLiteral("openssl")))
        QSKIP("openssl is not installed (installer/install-deps.sh test)");
    const auto run = [&](const QStringList &args) {
        const auto r = runProgram(QStringLiteral("openssl"), args);
        return r.exitCode == 0;
    };
    QVERIFY(run({QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"), QStringLiteral("ec"), QStringLiteral("-pkeyopt"),
                 QStringLiteral("ec_paramgen_curve:prime256v1"), QStringLiteral("-nodes"), QStringLiteral("-keyout"),
                 m_pem.filePath(QStringLiteral("ca.key")), QStringLiteral("-out"), m_pem.filePath(QStringLiteral("ca.crt")),
                 QStringLiteral("-days"), QStringLiteral("2"), QStringLiteral("-subj"), QStringLiteral("/CN=test CA")}));
    QVERIFY(run({QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"), QStringLiteral("rsa:2048"), QStringLiteral("-nodes"),
                 QStringLiteral("-keyout"), m_pem.filePath(QStringLiteral("client.key")), QStringLiteral("-out"),
                 m_pem.filePath(QStringLiteral("client.cert")), QStringLiteral("-days"), QStringLiteral("2"), QStringLiteral("-subj"),
                 QStringLiteral("/CN=client")}));
}

QString TestCertsDir::hostDir(QTemporaryDir &root, const QStringList &files)
{
    const QString dir = root.filePath(QStringLiteral("registry.example:5000"));
    QDir().mkpath(dir);
    for (const QString &f : files)
        QFile::copy(m_pem.filePath(f), dir + u'/' + f);
    return dir;
}

void TestCertsDir::noDirectoryIsNothing()
{
    QTemporaryDir root;
    const auto certs = readHostCerts({root.path(), root.filePath(QStringLiteral("missing"))}, QStringLiteral("registry.example:5000"));
    QVERIFY(certs.ok());
    QVERIFY(certs->dir.isEmpty());
    QVERIFY(certs->caCertificates.isEmpty() && certs->clientChain.isEmpty() && certs->clientKey.isNull());
}

void TestCertsDir::caAndClientPair()
{
    QTemporaryDir root;
    const QString dir = hostDir(root, {QStringLiteral("ca.crt"), QStringLiteral("client.cert"), QStringLiteral("client.key")});
    const auto certs = readHostCerts({root.path()}, QStringLiteral("registry.example:5000"));
    QVERIFY2(certs.ok(), qPrintable(certs ? QString() : certs.error().message));
    QCOMPARE(certs->dir, dir);
    QCOMPARE(certs->caCertificates.size(), 1);
    QCOMPARE(certs->caCertificates.first().subjectInfo(QSslCertificate::CommonName), QStringList{QStringLiteral("test CA")});
    QCOMPARE(certs->clientChain.size(), 1);
    QCOMPARE(certs->clientChain.first().subjectInfo(QSslCertificate::CommonName), QStringList{QStringLiteral("client")});
    QVERIFY(!certs->clientKey.isNull());
    QCOMPARE(certs->clientKey.algorithm(), QSsl::Rsa);
    QCOMPARE(certs->clientKey.type(), QSsl::PrivateKey);
}

void TestCertsDir::firstRootWins()
{
    QTemporaryDir first, second;
    hostDir(first, {QStringLiteral("ca.crt")});
    hostDir(second, {QStringLiteral("ca.crt"), QStringLiteral("client.cert"), QStringLiteral("client.key")});
    const auto certs = readHostCerts({first.path(), second.path()}, QStringLiteral("registry.example:5000"));
    QVERIFY(certs.ok());
    QCOMPARE(certs->caCertificates.size(), 1);
    QVERIFY(certs->clientChain.isEmpty()); // the second root is not merged in
}

void TestCertsDir::certificateWithoutKey()
{
    QTemporaryDir root;
    hostDir(root, {QStringLiteral("ca.crt"), QStringLiteral("client.cert")});
    const auto certs = readHostCerts({root.path()}, QStringLiteral("registry.example:5000"));
    QVERIFY(!certs.ok());
    QCOMPARE(certs.error().code, ErrorCode::InvalidArgument);
    QVERIFY2(certs.error().message.startsWith(QStringLiteral("missing key client.key for client certificate client.cert. "
                                                             "CA certificates must use the extension .crt")),
             qPrintable(certs.error().message));
}

void TestCertsDir::keyWithoutCertificate()
{
    QTemporaryDir root;
    hostDir(root, {QStringLiteral("client.key")});
    const auto certs = readHostCerts({root.path()}, QStringLiteral("registry.example:5000"));
    QVERIFY(!certs.ok());
    QVERIFY2(certs.error().message.startsWith(QStringLiteral("missing client certificate client.cert for key client.key")),
             qPrintable(certs.error().message));
}

void TestCertsDir::notPem_data()
{
    QTest::addColumn<QString>("file");
    QTest::newRow("CA certificate") << QStringLiteral("ca.crt");
    QTest::newRow("client certificate") << QStringLiteral("client.cert");
    QTest::newRow("client key") << QStringLiteral("client.key");
}

void TestCertsDir::notPem()
{
    QFETCH(QString, file);
    QTemporaryDir root;
    const QString dir = hostDir(root, {QStringLiteral("ca.crt"), QStringLiteral("client.cert"), QStringLiteral("client.key")});
    QFile::remove(dir + u'/' + file);
    QVERIFY(porthole::test::writeFile(dir + u'/' + file, "not a PEM file\n"));
    const auto certs = readHostCerts({root.path()}, QStringLiteral("registry.example:5000"));
    QVERIFY(!certs.ok());
    QVERIFY2(certs.error().message.startsWith(dir + u'/' + file + QStringLiteral(": ")), qPrintable(certs.error().message));
}

QTEST_GUILESS_MAIN(TestCertsDir)
#include "tst_certsdir.moc"
