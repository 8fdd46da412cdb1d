// Container networking: the three modes, the loopback of a fresh network
// namespace and the container's resolv.conf. Pure functions, any thread.
// slirp.h (the slirp4netns process) and portforward.h (published ports) come
// with this header, so it alone is the whole networking API.
#pragma once

#include "core/result.h"
#include "runtime/portforward.h"
#include "runtime/slirp.h"

#include <QByteArray>
#include <QString>

namespace porthole::runtime {

// Private: own namespace, reached through slirp4netns (10.0.2.100, gateway
// and host loopback 10.0.2.2, DNS 10.0.2.3). Host: the host's namespace.
// None: own namespace with only `lo`.
enum class NetworkMode { Private, Host, None };

// "private", "bridge", "slirp4netns", "default" -> Private; "host"; "none".
Result<NetworkMode> parseNetworkMode(const QString &name);
QString networkModeName(NetworkMode mode);

// Brings `lo` up in the calling thread's network namespace (the kernel then
// gives it 127.0.0.1/8 and ::1). Returns 0 or an errno. Only raw system calls
// and no allocation: safe between fork/clone and exec of a container's init.
int setupLoopbackRaw() noexcept;
// The same with a Result, for callers that may allocate.
Status setupLoopback();

// What the container's /etc/resolv.conf should hold. Private: slirp4netns's
// DNS forwarder (the host's nameservers may be loopback addresses the
// container cannot reach) plus the host's search/domain/options lines. Host:
// the host's file as it is. None: search/options only, no nameserver.
QByteArray resolvConfFor(NetworkMode mode, const QByteArray &hostResolvConf);

} // namespace porthole::runtime
