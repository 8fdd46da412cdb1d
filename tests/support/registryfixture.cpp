#include "support/registryfixture.h"

#include "support/testsupport.h"

#include <QDateTime>
#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QSemaphore>
#include <QSslSocket>
#include <QTcpServer>
#include <QTcpSocket>
#include <QUrlQuery>

#include <openssl/evp.h>
#include <openssl/pem.h>

#include <csignal>
#include <cstring>
#include <sys/prctl.h>

namespace porthole::test {

// --- token issuer -------------------------------------------------------------------------

static QByteArray base64Url(const QByteArray &bytes)
{
    return bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

static const char kService[] = "porthole-test-registry";
static const char kIssuer[] = "porthole-test-issuer";

// Docker's token protocol: the client asks GET /token?service=&scope=... with
// Basic credentials (or POSTs an OAuth refresh token); we answer with a JWT
// granting what was asked to a known user, and nothing to anyone else.
struct RegistryFixture::TokenIssuer {
    QString user;
    QString password;
    QString identityToken;
    EVP_PKEY *key = nullptr;
    QByteArray certificateDer;
    mutable QMutex mutex;
    int requests = 0;
    QStringList scopes;
    std::unique_ptr<TestHttpServer> server;

    ~TokenIssuer()
    {
        server.reset(); // stop answering before the key goes
        EVP_PKEY_free(key);
    }

    bool load(const QString &keyPath, const QString &certPath, QString *error)
    {
        QFile keyFile(keyPath);
        QFile certFile(certPath);
        if (!keyFile.open(QIODevice::ReadOnly) || !certFile.open(QIODevice::ReadOnly)) {
            *error = QStringLiteral("cannot read the token key or certificate");
            return false;
        }
        const QByteArray pem = keyFile.readAll();
        BIO *bio = BIO_new_mem_buf(pem.constData(), int(pem.size()));
        key = PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr);
        BIO_free(bio);
        const QList<QSslCertificate> certs = QSslCertificate::fromData(certFile.readAll(), QSsl::Pem);
        if (!key || certs.isEmpty()) {
            *error = QStringLiteral("cannot parse the token key or certificate");
            return false;
        }
        certificateDer = certs.first().toDer();
        server = std::make_unique<TestHttpServer>([this](const TestHttpRequest &req) { return handle(req); });
        return true;
    }

    QByteArray sign(const QByteArray &input) const
    {
        QByteArray signature;
        EVP_MD_CTX *ctx = EVP_MD_CTX_new();
        size_t length = 0;
        if (EVP_DigestSignInit(ctx, nullptr, EVP_sha256(), nullptr, key) == 1
            && EVP_DigestSignUpdate(ctx, input.constData(), size_t(input.size())) == 1
            && EVP_DigestSignFinal(ctx, nullptr, &length) == 1) {
            signature.resize(qsizetype(length));
            if (EVP_DigestSignFinal(ctx, reinterpret_cast<unsigned char *>(signature.data()), &length) == 1)
                signature.resize(qsizetype(length));
            else
                signature.clear();
        }
        EVP_MD_CTX_free(ctx);
        return signature;
    }

    QByteArray jwt(const QString &subject, const QStringList &grantedScopes) const
    {
        QJsonArray access;
        for (const QString &scope : grantedScopes) {
            // repository:<name>:<actions>; names hold no colons.
            const int first = scope.indexOf(QLatin1Char(':'));
            const int last = scope.lastIndexOf(QLatin1Char(':'));
            if (first < 0 || last <= first)
                continue;
            access.append(QJsonObject{{QStringLiteral("type"), scope.left(first)},
                                      {QStringLiteral("name"), scope.mid(first + 1, last - first - 1)},
                                      {QStringLiteral("actions"),
                                       QJsonArray::fromStringList(scope.mid(last + 1).split(QLatin1Char(',')))}});
        }
        const qint64 now = QDateTime::currentSecsSinceEpoch();
        const QJsonObject header{{QStringLiteral("typ"), QStringLiteral("JWT")},
                                 {QStringLiteral("alg"), QStringLiteral("RS256")},
                                 {QStringLiteral("x5c"), QJsonArray{QString::fromLatin1(certificateDer.toBase64())}}};
        const QJsonObject claims{{QStringLiteral("iss"), QLatin1String(kIssuer)},
                                 {QStringLiteral("sub"), subject},
                                 {QStringLiteral("aud"), QLatin1String(kService)},
                                 {QStringLiteral("exp"), now + 300},
                                 {QStringLiteral("nbf"), now - 10},
                                 {QStringLiteral("iat"), now},
                                 {QStringLiteral("jti"), QString::number(QRandomGenerator::global()->generate64())},
                                 {QStringLiteral("access"), access}};
        const QByteArray input = base64Url(QJsonDocument(header).toJson(QJsonDocument::Compact)) + '.'
            + base64Url(QJsonDocument(claims).toJson(QJsonDocument::Compact));
        return input + '.' + base64Url(sign(input));
    }

    TestHttpResponse handle(const TestHttpRequest &req)
    {
        QString subject;
        QStringList asked;
        bool refused = false;
        if (req.method == "POST") {
            const QUrlQuery form(QString::fromUtf8(req.body));
            asked = form.queryItemValue(QStringLiteral("scope"), QUrl::FullyDecoded).split(QLatin1Char(' '), Qt::SkipEmptyParts);
            const QString grant = form.queryItemValue(QStringLiteral("grant_type"));
            if (grant == QLatin1String("refresh_token")
                && form.queryItemValue(QStringLiteral("refresh_token"), QUrl::FullyDecoded) == identityToken)
                subject = user;
            else if (grant == QLatin1String("password") && form.queryItemValue(QStringLiteral("username")) == user
                     && form.queryItemValue(QStringLiteral("password"), QUrl::FullyDecoded) == password)
                subject = user;
            else
                refused = true;
        } else {
            const QUrlQuery query(QString::fromUtf8(req.query));
            for (const QString &scope : query.allQueryItemValues(QStringLiteral("scope"), QUrl::FullyDecoded))
                asked += scope.split(QLatin1Char(' '), Qt::SkipEmptyParts);
            const QByteArray authorization = req.header("Authorization");
            if (authorization.startsWith("Basic ")) {
                const QByteArray pair = QByteArray::fromBase64(authorization.mid(6));
                if (pair == (user + QLatin1Char(':') + password).toUtf8())
                    subject = user;
                else
                    refused = true;
            }
        }
        {
            QMutexLocker lock(&mutex);
            ++requests;
            scopes.append(asked.join(QLatin1Char(' ')));
        }
        if (refused)
            return TestHttpResponse::json(
                401, R"({"errors":[{"code":"UNAUTHORIZED","message":"invalid username or password"}]})");
        // Anonymous callers get a valid token that grants nothing.
        const QByteArray token = jwt(subject, subject.isEmpty() ? QStringList() : asked);
        const QJsonObject answer{{QStringLiteral("token"), QString::fromLatin1(token)},
                                 {QStringLiteral("access_token"), QString::fromLatin1(token)},
                                 {QStringLiteral("expires_in"), 300},
                                 {QStringLiteral("issued_at"),
                                  QDateTime::currentDateTimeUtc().toString(Qt::ISODate)}};
        return TestHttpResponse::json(200, QJsonDocument(answer).toJson(QJsonDocument::Compact));
    }
};

// --- docker-registry ----------------------------------------------------------------------

bool RegistryFixture::available()
{
    return QFile::exists(QStringLiteral("/usr/bin/docker-registry")) && haveProgram(QStringLiteral("openssl"))
        && haveProgram(QStringLiteral("htpasswd")) && haveProgram(QStringLiteral("skopeo"));
}

QString RegistryFixture::modeName(Mode mode)
{
    switch (mode) {
    case Mode::Plain: return QStringLiteral("plain");
    case Mode::Tls: return QStringLiteral("tls");
    case Mode::TlsWrongHost: return QStringLiteral("tls-wrong-host");
    case Mode::TlsClientCert: return QStringLiteral("tls-client-cert");
    case Mode::Basic: return QStringLiteral("basic");
    case Mode::Token: return QStringLiteral("token");
    }
    return {};
}

RegistryFixture::RegistryFixture(Mode mode) : m_mode(mode) {}

RegistryFixture::~RegistryFixture()
{
    if (m_process.state() != QProcess::NotRunning) {
        m_process.kill();
        m_process.waitForFinished(5000);
    }
    m_issuer.reset();
}

std::unique_ptr<RegistryFixture> RegistryFixture::start(Mode mode, QString *error)
{
    std::unique_ptr<RegistryFixture> fixture(new RegistryFixture(mode));
    if (!fixture->m_dir.isValid()) {
        *error = QStringLiteral("cannot make a temporary directory");
        return nullptr;
    }
    if (!fixture->prepare(error))
        return nullptr;
    // The free port is found by binding and releasing it; another process may
    // take it in between, so a registry that cannot bind is started again.
    for (int tries = 0; tries < 3; ++tries) {
        if (fixture->launch(error) && fixture->waitReady(error))
            return fixture;
        if (fixture->m_process.state() != QProcess::NotRunning) {
            fixture->m_process.kill();
            fixture->m_process.waitForFinished(5000);
        }
        if (!fixture->log().contains(QLatin1String("address already in use")))
            break;
    }
    *error += QStringLiteral("\nregistry log:\n") + fixture->log();
    return nullptr;
}

static bool runOk(const QString &program, const QStringList &args, QString *error, QByteArray *out = nullptr)
{
    const RunResult r = runProgram(program, args, {}, 60000);
    if (r.exitCode != 0) {
        *error = QStringLiteral("%1 %2 failed: %3").arg(program, args.join(QLatin1Char(' ')), QString::fromUtf8(r.err));
        return false;
    }
    if (out)
        *out = r.out;
    return true;
}

// Certificates and passwords; everything that does not depend on the port.
bool RegistryFixture::prepare(QString *error)
{
    const auto path = [&](const char *name) { return m_dir.filePath(QLatin1String(name)); };
    if (isTls()) {
        const QStringList ec{QStringLiteral("-newkey"), QStringLiteral("ec"), QStringLiteral("-pkeyopt"),
                             QStringLiteral("ec_paramgen_curve:prime256v1"), QStringLiteral("-nodes")};
        const bool wrong = m_mode == Mode::TlsWrongHost;
        const QString cn = wrong ? QStringLiteral("/CN=wrong.example") : QStringLiteral("/CN=127.0.0.1");
        if (!writeFile(path("ext.cnf"), wrong ? "subjectAltName=DNS:wrong.example\nbasicConstraints=CA:FALSE\n"
                                                 "extendedKeyUsage=serverAuth\n"
                                              : "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\n"
                                                "extendedKeyUsage=serverAuth\n"))
            return *error = QStringLiteral("cannot write ext.cnf"), false;
        if (!runOk(QStringLiteral("openssl"),
                   QStringList{QStringLiteral("req"), QStringLiteral("-x509")} + ec
                       + QStringList{QStringLiteral("-keyout"), path("ca.key"), QStringLiteral("-out"), caPath(),
                                     QStringLiteral("-days"), QStringLiteral("2"), QStringLiteral("-subj"),
                                     QStringLiteral("/CN=Porthole Test CA")},
                   error)
            || !runOk(QStringLiteral("openssl"),
                      QStringList{QStringLiteral("req")} + ec
                          + QStringList{QStringLiteral("-keyout"), path("server.key"), QStringLiteral("-out"),
                                        path("server.csr"), QStringLiteral("-subj"), cn},
                      error)
            || !runOk(QStringLiteral("openssl"),
                      {QStringLiteral("x509"), QStringLiteral("-req"), QStringLiteral("-in"), path("server.csr"),
                       QStringLiteral("-CA"), caPath(), QStringLiteral("-CAkey"), path("ca.key"),
                       QStringLiteral("-CAcreateserial"), QStringLiteral("-out"), path("server.crt"),
                       QStringLiteral("-days"), QStringLiteral("2"), QStringLiteral("-extfile"), path("ext.cnf")},
                      error))
            return false;
        if (m_mode == Mode::TlsClientCert
            && (!writeFile(path("client.cnf"), "basicConstraints=CA:FALSE\nextendedKeyUsage=clientAuth\n")
                || !runOk(QStringLiteral("openssl"),
                          QStringList{QStringLiteral("req")} + ec
                              + QStringList{QStringLiteral("-keyout"), path("client.key"), QStringLiteral("-out"),
                                            path("client.csr"), QStringLiteral("-subj"), QStringLiteral("/CN=porthole-client")},
                          error)
                || !runOk(QStringLiteral("openssl"),
                          {QStringLiteral("x509"), QStringLiteral("-req"), QStringLiteral("-in"), path("client.csr"),
                           QStringLiteral("-CA"), caPath(), QStringLiteral("-CAkey"), path("ca.key"),
                           QStringLiteral("-CAcreateserial"), QStringLiteral("-out"), path("client.cert"),
                           QStringLiteral("-days"), QStringLiteral("2"), QStringLiteral("-extfile"), path("client.cnf")},
                          error)))
            return false;
    }
    if (m_mode == Mode::Basic) {
        QByteArray line;
        if (!runOk(QStringLiteral("htpasswd"), {QStringLiteral("-Bbn"), username(), password()}, error, &line))
            return false;
        if (!writeFile(path("htpasswd"), line.trimmed() + '\n'))
            return *error = QStringLiteral("cannot write htpasswd"), false;
    }
    if (m_mode == Mode::Token) {
        if (!runOk(QStringLiteral("openssl"),
                   {QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"), QStringLiteral("rsa:2048"),
                    QStringLiteral("-nodes"), QStringLiteral("-keyout"), path("token.key"), QStringLiteral("-out"),
                    path("token.crt"), QStringLiteral("-days"), QStringLiteral("2"), QStringLiteral("-subj"),
                    QStringLiteral("/CN=porthole-token-issuer")},
                   error))
            return false;
        m_issuer = std::make_unique<TokenIssuer>();
        m_issuer->user = username();
        m_issuer->password = password();
        m_issuer->identityToken = identityToken();
        if (!m_issuer->load(path("token.key"), path("token.crt"), error))
            return false;
    }
    return true;
}

static quint16 freeLoopbackPort()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    return probe.serverPort();
}

bool RegistryFixture::launch(QString *error)
{
    m_port = freeLoopbackPort();
    const auto path = [&](const char *name) { return m_dir.filePath(QLatin1String(name)); };
    QByteArray config = "version: 0.1\n"
                        "log:\n  level: warn\n  accesslog:\n    disabled: true\n"
                        "storage:\n  filesystem:\n    rootdirectory: "
        + path("storage").toUtf8() + "\n  delete:\n    enabled: true\n"
        + "http:\n  addr: 127.0.0.1:" + QByteArray::number(m_port) + "\n";
    if (isTls()) {
        config += "  tls:\n    certificate: " + path("server.crt").toUtf8() + "\n    key: " + path("server.key").toUtf8()
            + "\n";
        if (m_mode == Mode::TlsClientCert)
            config += "    clientcas:\n      - " + caPath().toUtf8() + "\n";
        QStringList files{QStringLiteral("ca.crt")};
        if (m_mode == Mode::TlsClientCert)
            files << QStringLiteral("client.cert") << QStringLiteral("client.key");
        for (const QString &name : {host(), QStringLiteral("localhost:%1").arg(m_port)}) {
            const QString hostDir = certsDir() + QLatin1Char('/') + name;
            QDir(hostDir).removeRecursively();
            QDir().mkpath(hostDir);
            for (const QString &file : files)
                QFile::copy(m_dir.filePath(file), hostDir + QLatin1Char('/') + file);
        }
    }
    if (m_mode == Mode::Basic)
        config += "auth:\n  htpasswd:\n    realm: porthole-test\n    path: " + path("htpasswd").toUtf8() + "\n";
    if (m_mode == Mode::Token)
        config += "auth:\n  token:\n    realm: http://" + m_issuer->server->authority().toUtf8()
            + "/token\n    service: " + kService + "\n    issuer: " + kIssuer
            + "\n    rootcertbundle: " + path("token.crt").toUtf8() + "\n";
    if (!writeFile(path("config.yml"), config)) {
        *error = QStringLiteral("cannot write the registry configuration");
        return false;
    }
    m_process.setProgram(QStringLiteral("/usr/bin/docker-registry"));
    m_process.setArguments({QStringLiteral("serve"), path("config.yml")});
    m_process.setProcessChannelMode(QProcess::MergedChannels);
    m_process.setStandardOutputFile(path("registry.log"), QIODevice::Append);
    // The registry dies with the test process even if no destructor runs.
    m_process.setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGKILL); });
    m_process.start();
    if (!m_process.waitForStarted(10000)) {
        *error = QStringLiteral("cannot start docker-registry: %1").arg(m_process.errorString());
        return false;
    }
    return true;
}

bool RegistryFixture::waitReady(QString *error)
{
    const bool tls = isTls();
    const QDeadlineTimer deadline(10000);
    while (!deadline.hasExpired()) {
        if (m_process.state() != QProcess::Running) {
            *error = QStringLiteral("docker-registry exited (status %1)").arg(m_process.exitCode());
            return false;
        }
        QSslSocket socket;
        socket.setPeerVerifyMode(QSslSocket::VerifyNone);
        if (m_mode == Mode::TlsClientCert) {
            socket.setLocalCertificate(m_dir.filePath(QStringLiteral("client.cert")));
            socket.setPrivateKey(m_dir.filePath(QStringLiteral("client.key")), QSsl::Ec);
        }
        if (tls)
            socket.connectToHostEncrypted(QStringLiteral("127.0.0.1"), m_port);
        else
            socket.connectToHost(QHostAddress::LocalHost, m_port);
        const bool connected = tls ? socket.waitForEncrypted(1000) : socket.waitForConnected(1000);
        if (connected) {
            socket.write("GET /v2/ HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n");
            if (socket.waitForReadyRead(2000) && socket.readAll().startsWith("HTTP/1."))
                return true;
        }
        QThread::msleep(50);
    }
    *error = QStringLiteral("docker-registry did not answer GET /v2/ within 10 s");
    return false;
}

QString RegistryFixture::log() const
{
    QFile f(m_dir.filePath(QStringLiteral("registry.log")));
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll().right(4000)) : QString();
}

int RegistryFixture::tokenRequests() const
{
    if (!m_issuer)
        return 0;
    QMutexLocker lock(&m_issuer->mutex);
    return m_issuer->requests;
}

QStringList RegistryFixture::tokenScopes() const
{
    if (!m_issuer)
        return {};
    QMutexLocker lock(&m_issuer->mutex);
    return m_issuer->scopes;
}

void RegistryFixture::clearTokenLog()
{
    if (!m_issuer)
        return;
    QMutexLocker lock(&m_issuer->mutex);
    m_issuer->requests = 0;
    m_issuer->scopes.clear();
}

QStringList RegistryFixture::skopeoCredsArgs(const QString &prefix) const
{
    QStringList args{QStringLiteral("--%1tls-verify=false").arg(prefix)};
    if (m_mode == Mode::TlsClientCert)
        args << QStringLiteral("--%1cert-dir").arg(prefix) << certsDir() + QLatin1Char('/') + host();
    if (m_mode == Mode::Basic || m_mode == Mode::Token)
        args << QStringLiteral("--%1creds").arg(prefix) << username() + QLatin1Char(':') + password();
    return args;
}

std::optional<QString> RegistryFixture::pushWithSkopeo(const QString &layoutDir, const QString &ref,
                                                       const QString &repoTag) const
{
    const QStringList args = QStringList{QStringLiteral("copy"), QStringLiteral("--all"), QStringLiteral("--insecure-policy")}
        + skopeoCredsArgs(QStringLiteral("dest-"))
        + QStringList{QStringLiteral("oci:%1:%2").arg(layoutDir, ref), QStringLiteral("docker://%1/%2").arg(host(), repoTag)};
    const RunResult r = runProgram(QStringLiteral("skopeo"), args, {}, 120000);
    if (r.exitCode == 0)
        return std::nullopt;
    return QStringLiteral("skopeo %1: %2").arg(args.join(QLatin1Char(' ')), QString::fromUtf8(r.err));
}

Result<QByteArray> RegistryFixture::skopeoRawManifest(const QString &repoTag) const
{
    const QStringList args = QStringList{QStringLiteral("inspect"), QStringLiteral("--raw")} + skopeoCredsArgs(QString())
        + QStringList{QStringLiteral("docker://%1/%2").arg(host(), repoTag)};
    const RunResult r = runProgram(QStringLiteral("skopeo"), args, {}, 60000);
    if (r.exitCode != 0)
        return Error(ErrorCode::Internal, QStringLiteral("skopeo inspect: %1").arg(QString::fromUtf8(r.err)));
    return r.out;
}

} // namespace porthole::test
