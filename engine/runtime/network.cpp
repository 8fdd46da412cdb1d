#include "runtime/network.h"

#include <cerrno>
#include <cstring>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

namespace porthole::runtime {

Result<NetworkMode> parseNetworkMode(const QString &name)
{
    if (name == u"private" || name == u"bridge" || name == u"slirp4netns" || name == u"default")
        return NetworkMode::Private;
    if (name == u"host")
        return NetworkMode::Host;
    if (name == u"none")
        return NetworkMode::None;
    return Error(ErrorCode::InvalidArgument,
                 QStringLiteral("network mode \"%1\" is not supported: use private (also bridge, slirp4netns, "
                                "default), host or none").arg(name));
}

QString networkModeName(NetworkMode mode)
{
    switch (mode) {
    case NetworkMode::Private: return QStringLiteral("private");
    case NetworkMode::Host: return QStringLiteral("host");
    case NetworkMode::None: return QStringLiteral("none");
    }
    return QStringLiteral("private");
}

int setupLoopbackRaw() noexcept
{
    // An ioctl on any socket of the namespace reaches its devices; no netlink
    // and no `ip` binary, which a container image need not have.
    const int s = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (s < 0)
        return errno;
    ifreq req;
    std::memset(&req, 0, sizeof req);
    req.ifr_name[0] = 'l';
    req.ifr_name[1] = 'o';
    int err = 0;
    if (::ioctl(s, SIOCGIFFLAGS, &req) != 0) {
        err = errno;
    } else if (!(req.ifr_flags & IFF_UP)) {
        req.ifr_flags = short(req.ifr_flags | IFF_UP | IFF_RUNNING);
        if (::ioctl(s, SIOCSIFFLAGS, &req) != 0)
            err = errno;
    }
    ::close(s);
    return err;
}

Status setupLoopback()
{
    if (const int err = setupLoopbackRaw())
        return Error::fromErrno(QStringLiteral("bring up the loopback interface lo"), err);
    return {};
}

QByteArray resolvConfFor(NetworkMode mode, const QByteArray &hostResolvConf)
{
    if (mode == NetworkMode::Host) {
        QByteArray out = hostResolvConf;
        if (!out.isEmpty() && !out.endsWith('\n'))
            out.append('\n');
        return out;
    }
    QByteArray out;
    if (mode == NetworkMode::Private)
        out = "nameserver 10.0.2.3\n";
    for (const QByteArray &raw : hostResolvConf.split('\n')) {
        const QByteArray line = raw.trimmed();
        const QByteArray keyword = line.simplified().split(' ').first();
        if (keyword == "search" || keyword == "domain" || keyword == "options")
            out += line + '\n';
    }
    return out;
}

} // namespace porthole::runtime
