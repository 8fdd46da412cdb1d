// Published ports (docker's -p): parsing the spec forms, choosing free host
// ports, and asking a running slirp4netns to forward them through its JSON API
// socket. Value types and blocking calls; no state, safe from any thread.
#pragma once

#include "core/result.h"

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

namespace porthole::runtime {

// One forwarded port. hostPort 0 means "any free port", chosen when the
// container's network starts (as docker does at start, not at create), so a
// port picked long before start cannot have been taken in between.
struct PortMapping {
    // IPv4 only: slirp4netns's add_hostfwd forwards IPv4. Like docker, all
    // interfaces unless the spec names an address.
    QString hostIp = QStringLiteral("0.0.0.0");
    quint16 hostPort = 0;
    quint16 containerPort = 0;
    QString proto = QStringLiteral("tcp"); // "tcp" or "udp"

    bool operator==(const PortMapping &) const = default;
};

// Parses docker -p forms, each spec giving one or more mappings:
//   "80"  "80/udp"  "8080:80"  "8080:80/udp"  "127.0.0.1:8080:80"
//   "127.0.0.1::80" (any host port on that address)  "8000-8001:80-81"
//   "80-81" (any host ports). Host ranges must be as long as the container
// range. Refuses IPv6 addresses, sctp, port 0 in a container port, and a host
// port published twice. Pure: no port is probed or reserved here.
Result<QList<PortMapping>> parsePortSpecs(const QStringList &specs);

// docker ps style: "0.0.0.0:8080->80/tcp".
QString formatPortMapping(const PortMapping &m);

// A host port that is free right now on hostIp for proto (the kernel's choice
// for a bind to port 0). Racy by nature: bind it soon.
Result<quint16> pickFreeHostPort(const QString &hostIp, const QString &proto);

// Fails with a message naming the mapping if hostIp:hostPort/proto cannot be
// bound now (in use, address not on this host), so the user learns why before
// slirp4netns answers only "slirp_add_hostfwd failed".
Status checkHostPortFree(const PortMapping &m);

// Replaces every hostPort 0 with a free port (pickFreeHostPort) and checks
// the explicit ones with checkHostPortFree.
Result<QList<PortMapping>> assignHostPorts(const QList<PortMapping> &ports);

// Sends one request to a slirp4netns API socket and returns the reply's
// "return" object (or the whole reply if it has none: 1.2.0 answers
// list_hostfwd with a bare {"entries": ...}). slirp4netns serves one request
// per connection, sees its end by our shutdown(SHUT_WR), and "stops the
// world" meanwhile: keep requests rare. A reply carrying "error" becomes an
// Error with slirp's description.
Result<QJsonObject> slirpApiRequest(const QString &apiSocketPath, const QJsonObject &request,
                                    int timeoutMs = 5000);

// add_hostfwd for one mapping (its hostPort must not be 0); returns the
// forward's id in slirp4netns.
Result<int> addSlirpPortForward(const QString &apiSocketPath, const PortMapping &m);

} // namespace porthole::runtime
