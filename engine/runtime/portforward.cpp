#include "runtime/portforward.h"

#include <QByteArray>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>

#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

namespace porthole::runtime {

namespace {

Error specError(const QString &spec, const QString &why)
{
    return Error(ErrorCode::InvalidArgument, QStringLiteral("port spec \"%1\": %2").arg(spec, why));
}

struct PortRange {
    quint16 first = 0;
    quint16 last = 0;
    int count() const { return last - first + 1; }
};

// Digits only: QString::toUInt would also take "+80" and " 80".
bool parsePortNumber(QStringView text, quint16 *out)
{
    if (text.isEmpty() || text.size() > 5)
        return false;
    uint value = 0;
    for (QChar c : text) {
        if (c < u'0' || c > u'9')
            return false;
        value = value * 10 + (c.unicode() - u'0');
    }
    if (value < 1 || value > 65535)
        return false;
    *out = quint16(value);
    return true;
}

// "N" or "N-M"; `what` names the field for the message.
Result<PortRange> parseRange(const QString &text, const QString &what)
{
    PortRange r;
    const qsizetype dash = text.indexOf(u'-');
    const QStringView first = dash < 0 ? QStringView(text) : QStringView(text).left(dash);
    const QStringView last = dash < 0 ? QStringView(text) : QStringView(text).mid(dash + 1);
    if (!parsePortNumber(first, &r.first) || !parsePortNumber(last, &r.last))
        return Error(ErrorCode::InvalidArgument,
                     QStringLiteral("%1 \"%2\" is not a port from 1 to 65535 or a range like 8000-8010")
                         .arg(what, text));
    if (r.last < r.first)
        return Error(ErrorCode::InvalidArgument,
                     QStringLiteral("%1 range \"%2\" ends before it starts").arg(what, text));
    return r;
}

bool isIpv4(const QString &ip)
{
    in_addr addr{};
    return inet_pton(AF_INET, ip.toLatin1().constData(), &addr) == 1;
}

Result<QList<PortMapping>> parseOneSpec(const QString &spec)
{
    QString rest = spec;
    QString proto = QStringLiteral("tcp");
    if (const qsizetype slash = rest.lastIndexOf(u'/'); slash >= 0) {
        proto = rest.mid(slash + 1).toLower();
        rest.truncate(slash);
        if (proto == u"sctp")
            return specError(spec, QStringLiteral("protocol sctp is not supported by slirp4netns (use tcp or udp)"));
        if (proto != u"tcp" && proto != u"udp")
            return specError(spec, QStringLiteral("unknown protocol \"%1\" (use tcp or udp)").arg(proto));
    }
    if (rest.startsWith(u'['))
        return specError(spec, QStringLiteral("IPv6 host addresses are not supported: slirp4netns forwards IPv4 only"));

    const QStringList parts = rest.split(u':');
    if (parts.size() > 3)
        return specError(spec, QStringLiteral("expected [[IP:]HOST_PORT:]CONTAINER_PORT[/PROTO]; "
                                              "IPv6 host addresses are not supported"));
    const QString containerText = parts.last();
    const QString hostText = parts.size() >= 2 ? parts[parts.size() - 2] : QString();
    QString hostIp = parts.size() == 3 ? parts[0] : QString();
    if (hostIp.isEmpty())
        hostIp = QStringLiteral("0.0.0.0");
    else if (!isIpv4(hostIp))
        return specError(spec, QStringLiteral("host address \"%1\" is not an IPv4 address").arg(hostIp));
    if (containerText.isEmpty())
        return specError(spec, QStringLiteral("the container port is missing"));

    auto container = parseRange(containerText, QStringLiteral("container port"));
    if (!container)
        return specError(spec, container.error().message);

    // Docker reads "0" as "any host port"; so do we.
    PortRange host;
    if (!hostText.isEmpty() && hostText != u"0") {
        auto parsed = parseRange(hostText, QStringLiteral("host port"));
        if (!parsed)
            return specError(spec, parsed.error().message);
        host = *parsed;
        if (host.count() != container->count())
            return specError(spec, QStringLiteral("host range %1 has %2 ports but container range %3 has %4")
                                       .arg(hostText)
                                       .arg(host.count())
                                       .arg(containerText)
                                       .arg(container->count()));
    }

    QList<PortMapping> out;
    for (int i = 0; i < container->count(); ++i) {
        PortMapping m;
        m.hostIp = hostIp;
        m.hostPort = host.first == 0 ? 0 : quint16(host.first + i);
        m.containerPort = quint16(container->first + i);
        m.proto = proto;
        out.append(m);
    }
    return out;
}

bool sameHostPort(const PortMapping &a, const PortMapping &b)
{
    if (a.hostPort == 0 || a.hostPort != b.hostPort || a.proto != b.proto)
        return false;
    const QString any = QStringLiteral("0.0.0.0");
    return a.hostIp == b.hostIp || a.hostIp == any || b.hostIp == any;
}

Result<sockaddr_in> ipv4Address(const QString &ip, quint16 port)
{
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_port = htons(port);
    if (inet_pton(AF_INET, ip.toLatin1().constData(), &sa.sin_addr) != 1)
        return Error(ErrorCode::InvalidArgument, QStringLiteral("\"%1\" is not an IPv4 address").arg(ip));
    return sa;
}

// A bind failure in words a user can act on.
Error bindError(const PortMapping &m, int err)
{
    const QString what = QStringLiteral("publish %1").arg(formatPortMapping(m));
    switch (err) {
    case EADDRINUSE:
        return Error(ErrorCode::AlreadyExists,
                     QStringLiteral("%1: host port %2/%3 is already in use on %4")
                         .arg(what).arg(m.hostPort).arg(m.proto, m.hostIp),
                     err);
    case EADDRNOTAVAIL:
        return Error(ErrorCode::InvalidArgument,
                     QStringLiteral("%1: %2 is not an address of this host").arg(what, m.hostIp), err);
    case EACCES:
        return Error(ErrorCode::PermissionDenied,
                     QStringLiteral("%1: host ports below 1024 need root or a lower "
                                    "net.ipv4.ip_unprivileged_port_start").arg(what),
                     err);
    default:
        return Error::fromErrno(what, err);
    }
}

class Fd {
public:
    explicit Fd(int fd) : m_fd(fd) {}
    ~Fd() { if (m_fd >= 0) ::close(m_fd); }
    Fd(const Fd &) = delete;
    Fd &operator=(const Fd &) = delete;
    int get() const { return m_fd; }

private:
    int m_fd;
};

// Binds (and for tcp listens on) m's host address; port 0 lets the kernel
// choose. Returns the bound port.
Result<quint16> bindProbe(const PortMapping &m)
{
    PH_TRY(sockaddr_in sa, ipv4Address(m.hostIp, m.hostPort));
    const bool tcp = m.proto == u"tcp";
    Fd s(::socket(AF_INET, (tcp ? SOCK_STREAM : SOCK_DGRAM) | SOCK_CLOEXEC, 0));
    if (s.get() < 0)
        return Error::fromErrno(QStringLiteral("publish %1: socket").arg(formatPortMapping(m)), errno);
    // slirp's own listener uses SO_REUSEADDR, so a TIME_WAIT left on the port
    // must not fail our probe either.
    const int one = 1;
    if (tcp)
        ::setsockopt(s.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (::bind(s.get(), reinterpret_cast<sockaddr *>(&sa), sizeof sa) != 0 || (tcp && ::listen(s.get(), 1) != 0))
        return bindError(m, errno);
    socklen_t len = sizeof sa;
    if (::getsockname(s.get(), reinterpret_cast<sockaddr *>(&sa), &len) != 0)
        return Error::fromErrno(QStringLiteral("publish %1: getsockname").arg(formatPortMapping(m)), errno);
    return quint16(ntohs(sa.sin_port));
}

} // namespace

Result<QList<PortMapping>> parsePortSpecs(const QStringList &specs)
{
    QList<PortMapping> all;
    QStringList origin; // the spec each entry of `all` came from, for messages
    for (const QString &spec : specs) {
        PH_TRY(QList<PortMapping> mappings, parseOneSpec(spec.trimmed()));
        for (const PortMapping &m : mappings) {
            for (qsizetype i = 0; i < all.size(); ++i) {
                if (sameHostPort(all[i], m))
                    return specError(spec, QStringLiteral("host port %1/%2 is already published by \"%3\"")
                                               .arg(m.hostPort).arg(m.proto, origin[i]));
            }
            all.append(m);
            origin.append(spec);
        }
    }
    return all;
}

QString formatPortMapping(const PortMapping &m)
{
    return QStringLiteral("%1:%2->%3/%4").arg(m.hostIp).arg(m.hostPort).arg(m.containerPort).arg(m.proto);
}

Result<quint16> pickFreeHostPort(const QString &hostIp, const QString &proto)
{
    PortMapping m;
    m.hostIp = hostIp;
    m.proto = proto;
    return bindProbe(m);
}

Status checkHostPortFree(const PortMapping &m)
{
    if (m.hostPort == 0)
        return Error(ErrorCode::InvalidArgument,
                     QStringLiteral("publish %1: no host port chosen yet").arg(formatPortMapping(m)));
    PH_TRY(quint16 port, bindProbe(m));
    Q_UNUSED(port);
    return {};
}

Result<QList<PortMapping>> assignHostPorts(const QList<PortMapping> &ports)
{
    QList<PortMapping> out = ports;
    for (PortMapping &m : out) {
        if (m.hostPort == 0) {
            PH_TRY(m.hostPort, pickFreeHostPort(m.hostIp, m.proto));
        } else {
            PH_CHECK(checkHostPortFree(m));
        }
    }
    return out;
}

Result<QJsonObject> slirpApiRequest(const QString &apiSocketPath, const QJsonObject &request, int timeoutMs)
{
    const QString step = QStringLiteral("slirp4netns API %1 at %2")
                             .arg(request.value(QStringLiteral("execute")).toString(), apiSocketPath);
    const QByteArray body = QJsonDocument(request).toJson(QJsonDocument::Compact);
    if (body.size() >= 4096) // slirp4netns reads one 4 KiB buffer per request
        return Error(ErrorCode::InvalidArgument, step + QStringLiteral(": request is longer than 4095 bytes"));

    sockaddr_un sa{};
    sa.sun_family = AF_UNIX;
    const QByteArray path = QFile::encodeName(apiSocketPath);
    if (path.isEmpty() || size_t(path.size()) >= sizeof sa.sun_path)
        return Error(ErrorCode::InvalidArgument,
                     step + QStringLiteral(": socket path is empty or longer than %1 bytes").arg(sizeof sa.sun_path - 1));
    std::memcpy(sa.sun_path, path.constData(), size_t(path.size()));

    Fd s(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (s.get() < 0 || ::connect(s.get(), reinterpret_cast<sockaddr *>(&sa), sizeof sa) != 0)
        return Error::fromErrno(step + QStringLiteral(": connect"), errno);

    QElapsedTimer clock;
    clock.start();
    auto waitFor = [&](short events) -> Status {
        for (;;) {
            pollfd p{s.get(), events, 0};
            const int left = int(qMax<qint64>(0, timeoutMs - clock.elapsed()));
            const int n = ::poll(&p, 1, left);
            if (n > 0)
                return {};
            if (n == 0)
                return Error(ErrorCode::Unavailable, step + QStringLiteral(": no answer within %1 ms").arg(timeoutMs));
            if (errno != EINTR)
                return Error::fromErrno(step + QStringLiteral(": poll"), errno);
        }
    };

    for (qsizetype sent = 0; sent < body.size();) {
        PH_CHECK(waitFor(POLLOUT));
        const ssize_t n = ::send(s.get(), body.constData() + sent, size_t(body.size() - sent), MSG_NOSIGNAL);
        if (n < 0 && errno != EINTR && errno != EAGAIN)
            return Error::fromErrno(step + QStringLiteral(": send"), errno);
        sent += qMax<ssize_t>(n, 0);
    }
    // The end of our write side is how slirp4netns knows the request is whole.
    ::shutdown(s.get(), SHUT_WR);

    QByteArray reply;
    char buf[4096];
    for (;;) {
        PH_CHECK(waitFor(POLLIN));
        const ssize_t n = ::recv(s.get(), buf, sizeof buf, 0);
        if (n == 0)
            break;
        if (n < 0) {
            if (errno == EINTR || errno == EAGAIN)
                continue;
            return Error::fromErrno(step + QStringLiteral(": receive"), errno);
        }
        reply.append(buf, n);
        if (reply.size() > (1 << 20))
            return Error(ErrorCode::Internal, step + QStringLiteral(": reply larger than 1 MiB"));
    }

    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(reply, &parseError);
    if (!doc.isObject())
        return Error(ErrorCode::Internal, step + QStringLiteral(": reply is not a JSON object: \"%1\"")
                                                    .arg(QString::fromUtf8(reply.left(200))));
    const QJsonObject obj = doc.object();
    if (obj.contains(QStringLiteral("error"))) {
        const QString desc = obj.value(QStringLiteral("error")).toObject().value(QStringLiteral("desc")).toString();
        return Error(ErrorCode::Unavailable, step + QStringLiteral(": slirp4netns answered: ") + desc);
    }
    if (obj.contains(QStringLiteral("return")))
        return obj.value(QStringLiteral("return")).toObject();
    return obj;
}

Result<int> addSlirpPortForward(const QString &apiSocketPath, const PortMapping &m)
{
    if (m.hostPort == 0 || m.containerPort == 0)
        return Error(ErrorCode::InvalidArgument,
                     QStringLiteral("publish %1: host and container port must be chosen").arg(formatPortMapping(m)));
    QJsonObject args{
        {QStringLiteral("proto"), m.proto},
        {QStringLiteral("host_addr"), m.hostIp},
        {QStringLiteral("host_port"), int(m.hostPort)},
        {QStringLiteral("guest_port"), int(m.containerPort)},
    };
    QJsonObject request{{QStringLiteral("execute"), QStringLiteral("add_hostfwd")},
                        {QStringLiteral("arguments"), args}};
    auto reply = slirpApiRequest(apiSocketPath, request);
    if (!reply)
        return reply.error().context(QStringLiteral("publish %1").arg(formatPortMapping(m)));
    const QJsonValue id = reply->value(QStringLiteral("id"));
    if (!id.isDouble())
        return Error(ErrorCode::Internal,
                     QStringLiteral("publish %1: slirp4netns's reply has no forward id").arg(formatPortMapping(m)));
    return id.toInt();
}

} // namespace porthole::runtime
