#include "registry/certsdir.h"

#include <QDir>
#include <QFile>

namespace porthole::registry {

namespace {

Error badFile(const QString &path, const QString &what)
{
    return Error(ErrorCode::InvalidArgument, QStringLiteral("%1: %2").arg(path, what));
}

// A PEM private key of any algorithm Qt knows (RSA, EC, DSA), unencrypted.
Result<QSslKey> readKey(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return badFile(path, QStringLiteral("cannot read the client key: %1").arg(f.errorString()));
    const QByteArray pem = f.read(1 << 20);
    for (QSsl::KeyAlgorithm algorithm : {QSsl::Rsa, QSsl::Ec, QSsl::Dsa}) {
        const QSslKey key(pem, algorithm, QSsl::Pem, QSsl::PrivateKey);
        if (!key.isNull())
            return key;
    }
    return badFile(path, QStringLiteral("not an unencrypted PEM private key"));
}

} // namespace

Result<HostCerts> readHostCerts(const QStringList &certsDirs, const QString &authority)
{
    HostCerts out;
    for (const QString &root : certsDirs) {
        const QDir dir(root + u'/' + authority);
        if (!dir.exists())
            continue;
        out.dir = dir.path();
        const QStringList files = dir.entryList(QDir::Files, QDir::Name);
        for (const QString &name : files) {
            const QString path = dir.filePath(name);
            if (name.endsWith(QLatin1String(".crt"))) {
                const QList<QSslCertificate> certs = QSslCertificate::fromPath(path, QSsl::Pem);
                if (certs.isEmpty())
                    return badFile(path, QStringLiteral("holds no PEM certificate"));
                out.caCertificates += certs;
            } else if (name.endsWith(QLatin1String(".cert"))) {
                const QString keyName = name.chopped(5) + QStringLiteral(".key");
                if (!files.contains(keyName))
                    return Error(ErrorCode::InvalidArgument,
                                 QStringLiteral("missing key %1 for client certificate %2. CA certificates must use the "
                                                "extension .crt (in %3)").arg(keyName, name, dir.path()));
                if (!out.clientChain.isEmpty())
                    continue; // Qt presents one certificate: the first pair
                out.clientChain = QSslCertificate::fromPath(path, QSsl::Pem);
                if (out.clientChain.isEmpty())
                    return badFile(path, QStringLiteral("holds no PEM certificate"));
                PH_TRY(out.clientKey, readKey(dir.filePath(keyName)));
            } else if (name.endsWith(QLatin1String(".key"))) {
                const QString certName = name.chopped(4) + QStringLiteral(".cert");
                if (!files.contains(certName))
                    return Error(ErrorCode::InvalidArgument, QStringLiteral("missing client certificate %1 for key %2 (in %3)")
                                                                 .arg(certName, name, dir.path()));
            }
        }
        break;
    }
    return out;
}

} // namespace porthole::registry
