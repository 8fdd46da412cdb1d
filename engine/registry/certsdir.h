// docker's and containers' certs.d convention for one registry host:
// <certsDir>/<host[:port]>/ holds CA certificates (*.crt), added to the
// system roots, and a client certificate <name>.cert with its key
// <name>.key, presented to a registry that asks for one (mutual TLS).
#pragma once

#include "core/result.h"

#include <QList>
#include <QSslCertificate>
#include <QSslKey>
#include <QString>
#include <QStringList>

namespace porthole::registry {

struct HostCerts {
    QString dir;                          // the directory read; empty when no root had one
    QList<QSslCertificate> caCertificates;
    QList<QSslCertificate> clientChain;   // leaf first; empty without a client certificate
    QSslKey clientKey;
};

// Reads the first of certsDirs that has a directory for authority, as docker
// does. No directory: an empty HostCerts. Errors (InvalidArgument, naming
// the file): a .cert without its .key or the reverse (docker's sentences),
// a file that holds no PEM certificate or key. With several client pairs
// the first by name is used (Qt presents one).
Result<HostCerts> readHostCerts(const QStringList &certsDirs, const QString &authority);

} // namespace porthole::registry
