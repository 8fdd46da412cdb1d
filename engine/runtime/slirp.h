// The slirp4netns process that gives a private network namespace outbound
// access (NAT through the host's sockets) and published ports, without
// privileges, veth pairs or iptables.
#pragma once

#include "core/result.h"
#include "runtime/portforward.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

#include <sys/types.h>

namespace porthole::runtime {

struct SlirpOptions {
    QString binary = QStringLiteral("slirp4netns"); // looked up on PATH without a '/'
    int readyTimeoutMs = 10000;
    int mtu = 65520; // slirp's maximum minus one, as rootlesskit and podman use
    bool sandbox = true; // --enable-sandbox/--enable-seccomp where supported
    // Whether the container may reach the host's 127.0.0.1 through the
    // gateway 10.0.2.2. Off for containers: docker's bridge does not offer
    // the host's loopback-only services either (podman's default too).
    // Publishing a UDP port turns it on: slirp4netns answers UDP through it.
    bool allowHostLoopback = false;
};

// A running slirp4netns serving one network namespace.
//
// Ownership: the object owns the process. It holds the write end of the
// --exit-fd pipe, so slirp4netns exits when the object is stopped or
// destroyed, and also when the owning process dies for any reason. Move-only;
// use it from one thread at a time. The process is our child: stop() (or the
// destructor) reaps it; nothing else in the process may wait for it.
class SlirpNetwork {
public:
    // Starts slirp4netns for the network namespace of containerPid (any
    // process in it), with --configure (tap0 at 10.0.2.100, lo up),
    // --mtu, --ready-fd, --exit-fd and --api-socket=apiSocketPath (at most
    // 107 bytes; a stale socket there is replaced). Waits for readiness at
    // most options.readyTimeoutMs, then publishes `ports`, choosing free host
    // ports for those with hostPort 0. Host loopback stays reachable through
    // 10.0.2.2 on purpose (no --disable-host-loopback). On any failure the
    // process is stopped and the error carries the tail of its output.
    static Result<SlirpNetwork> start(pid_t containerPid, const QList<PortMapping> &ports,
                                      const QString &apiSocketPath, const SlirpOptions &options = {});

    SlirpNetwork(SlirpNetwork &&other) noexcept;
    SlirpNetwork &operator=(SlirpNetwork &&other) noexcept;
    SlirpNetwork(const SlirpNetwork &) = delete;
    SlirpNetwork &operator=(const SlirpNetwork &) = delete;
    ~SlirpNetwork(); // stop()s

    pid_t pid() const { return m_pid; }
    bool running() const { return m_pid > 0; }
    QString apiSocketPath() const { return m_apiSocketPath; }
    // The published ports with their host ports chosen.
    QList<PortMapping> ports() const { return m_ports; }
    // The options slirp4netns was started with (sandboxing depends on support).
    QStringList arguments() const { return m_arguments; }
    // What slirp4netns wrote to stdout and stderr, at most the last maxBytes.
    QByteArray output(qsizetype maxBytes = 16384) const;

    // Publishes one more port while running; returns it with its host port.
    Result<PortMapping> publish(const PortMapping &port);

    // Closes the exit fd (slirp4netns exits by itself), waits up to graceMs,
    // then SIGKILLs; reaps the process and removes the API socket. Idempotent.
    Status stop(int graceMs = 2000);

private:
    SlirpNetwork() = default;
    void release() noexcept;
    // Ends and reaps the process (exit fd first, SIGKILL after graceMs);
    // returns its wait status.
    int reap(int graceMs);

    pid_t m_pid = -1;
    int m_pidFd = -1;
    int m_exitFd = -1; // write end of --exit-fd
    int m_logFd = -1;  // memfd holding slirp's stdout and stderr
    QString m_apiSocketPath;
    QList<PortMapping> m_ports;
    QStringList m_arguments;
};

} // namespace porthole::runtime
