// Shared by the networking tests (tst_network: what a container's network
// namespace sees and reaches; tst_networklifecycle: slirp4netns never
// outlives a stop, a failed start or its owner): raw helpers for forked
// children, a child in a new network namespace, a host server, and the
// fixture both test classes derive from.
#pragma once

#include "runtime/network.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <arpa/inet.h>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <functional>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace porthole::test::network {

using namespace porthole::runtime;

// ---- raw helpers: the forked children may call nothing but system calls ----

inline void writeAllRaw(int fd, const char *data, size_t size)
{
    while (size > 0) {
        const ssize_t n = ::write(fd, data, size);
        if (n <= 0 && errno != EINTR)
            return;
        if (n > 0) {
            data += n;
            size -= size_t(n);
        }
    }
}

inline void writeStrRaw(int fd, const char *s) { writeAllRaw(fd, s, std::strlen(s)); }

// Reads until EOF or the time runs out (the child always closes or exits).
inline QByteArray readUntilEof(int fd, int timeoutMs)
{
    QByteArray out;
    QElapsedTimer clock;
    clock.start();
    char buf[4096];
    while (clock.elapsed() < timeoutMs) {
        pollfd p{fd, POLLIN, 0};
        if (::poll(&p, 1, int(timeoutMs - clock.elapsed())) <= 0)
            break;
        const ssize_t n = ::read(fd, buf, sizeof buf);
        if (n == 0 || (n < 0 && errno != EINTR))
            break;
        if (n > 0)
            out.append(buf, n);
    }
    return out;
}

// Reads exactly one byte (a "ready" signal); '\0' on time-out or EOF.
inline char readByte(int fd, int timeoutMs)
{
    pollfd p{fd, POLLIN, 0};
    char c = 0;
    if (::poll(&p, 1, timeoutMs) == 1 && ::read(fd, &c, 1) == 1)
        return c;
    return 0;
}

inline sockaddr_in inet(const char *ip, quint16 port)
{
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_port = htons(port);
    ::inet_pton(AF_INET, ip, &sa.sin_addr);
    return sa;
}

// Connects, sends `request`, returns everything the peer sends until it closes.
inline QByteArray tcpExchange(const char *ip, quint16 port, const char *request, int timeoutMs = 5000)
{
    const int s = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    timeval tv{timeoutMs / 1000, (timeoutMs % 1000) * 1000};
    ::setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ::setsockopt(s, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    sockaddr_in sa = inet(ip, port);
    QByteArray out;
    if (::connect(s, reinterpret_cast<sockaddr *>(&sa), sizeof sa) == 0) {
        writeStrRaw(s, request);
        out = readUntilEof(s, timeoutMs);
    }
    ::close(s);
    return out;
}

// A process in a new network namespace running `body(commandFd, reportFd)`.
// The body uses only system calls (fork in a threaded process). The
// destructor kills and reaps it, so a failing test leaves nothing behind.
class NetnsChild {
public:
    using Body = std::function<void(int commandFd, int reportFd)>;

    bool start(const Body &body)
    {
        int cmd[2], rep[2];
        if (::pipe2(cmd, O_CLOEXEC) != 0 || ::pipe2(rep, O_CLOEXEC) != 0)
            return false;
        m_pid = ::fork();
        if (m_pid == 0) {
            ::prctl(PR_SET_PDEATHSIG, SIGKILL); // the test dying must not leave us
            ::close(cmd[1]);
            ::close(rep[0]);
            if (::unshare(CLONE_NEWNET) != 0) {
                writeStrRaw(rep[1], "unshare failed");
                ::_exit(1);
            }
            writeStrRaw(rep[1], "N"); // in the new namespace now
            body(cmd[0], rep[1]);
            ::_exit(0);
        }
        ::close(cmd[0]);
        ::close(rep[1]);
        m_command = cmd[1];
        m_report = rep[0];
        return m_pid > 0 && readByte(m_report, 5000) == 'N';
    }

    ~NetnsChild()
    {
        if (m_pid > 0) {
            ::kill(m_pid, SIGKILL);
            ::waitpid(m_pid, nullptr, 0);
        }
        ::close(m_command);
        ::close(m_report);
    }

    pid_t pid() const { return m_pid; }
    void go() { writeStrRaw(m_command, "g"); }
    int reportFd() const { return m_report; }

private:
    pid_t m_pid = -1;
    int m_command = -1;
    int m_report = -1;
};

// "lo:up eth0:down ..." for the calling process's namespace.
inline void reportInterfaces(int fd)
{
    const int s = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    struct if_nameindex *list = ::if_nameindex();
    for (struct if_nameindex *i = list; i && i->if_name; ++i) {
        ifreq req{};
        std::strncpy(req.ifr_name, i->if_name, IFNAMSIZ - 1);
        ::ioctl(s, SIOCGIFFLAGS, &req);
        writeStrRaw(fd, i->if_name);
        writeStrRaw(fd, (req.ifr_flags & IFF_UP) ? ":up " : ":down ");
    }
    ::if_freenameindex(list);
    ::close(s);
}

// Whether a TCP connection over 127.0.0.1 works in the calling namespace.
inline bool loopbackWorks()
{
    const int l = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in sa = inet("127.0.0.1", 0);
    bool ok = ::bind(l, reinterpret_cast<sockaddr *>(&sa), sizeof sa) == 0 && ::listen(l, 1) == 0;
    socklen_t len = sizeof sa;
    ok = ok && ::getsockname(l, reinterpret_cast<sockaddr *>(&sa), &len) == 0;
    const int c = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    ok = ok && ::connect(c, reinterpret_cast<sockaddr *>(&sa), sizeof sa) == 0;
    ::close(c);
    ::close(l);
    return ok;
}

// A one-shot TCP server on the host's 127.0.0.1 in a thread: answers the
// first connection with "hello-from-host:" and the request line.
class HostServer {
public:
    bool start()
    {
        m_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in sa = inet("127.0.0.1", 0);
        socklen_t len = sizeof sa;
        if (::bind(m_fd, reinterpret_cast<sockaddr *>(&sa), sizeof sa) != 0 || ::listen(m_fd, 4) != 0
            || ::getsockname(m_fd, reinterpret_cast<sockaddr *>(&sa), &len) != 0)
            return false;
        m_port = ntohs(sa.sin_port);
        m_thread = std::thread([this] {
            pollfd p{m_fd, POLLIN, 0};
            if (::poll(&p, 1, 15000) != 1)
                return;
            const int c = ::accept4(m_fd, nullptr, nullptr, SOCK_CLOEXEC);
            char buf[256] = {};
            const ssize_t n = ::recv(c, buf, sizeof buf - 1, 0);
            const QByteArray reply = "hello-from-host:" + QByteArray(buf, qMax<ssize_t>(n, 0)).split('\r').first();
            // Before the reply: the test checks served() once the reply is in.
            m_served = true;
            writeAllRaw(c, reply.constData(), size_t(reply.size()));
            ::close(c);
        });
        return true;
    }
    ~HostServer()
    {
        ::shutdown(m_fd, SHUT_RDWR); // wakes a poll that is still waiting
        if (m_thread.joinable())
            m_thread.join();
        ::close(m_fd);
    }
    quint16 port() const { return m_port; }
    bool served() const { return m_served; }

private:
    int m_fd = -1;
    quint16 m_port = 0;
    std::thread m_thread;
    std::atomic<bool> m_served{false};
};

// Every live process whose command line mentions `needle`.
inline QList<pid_t> processesMentioning(const QString &needle)
{
    QList<pid_t> out;
    for (const QString &entry : QDir(QStringLiteral("/proc")).entryList(QDir::Dirs)) {
        bool isPid = false;
        const pid_t pid = entry.toInt(&isPid);
        if (!isPid)
            continue;
        QFile f(QStringLiteral("/proc/%1/cmdline").arg(entry));
        if (f.open(QIODevice::ReadOnly) && f.readAll().replace('\0', ' ').contains(needle.toLocal8Bit()))
            out.append(pid);
    }
    return out;
}

// Waits until our child (or an orphan reparented to us, the subreaper) pid
// is gone and reaped.
inline bool reapedWithin(pid_t pid, int timeoutMs)
{
    QElapsedTimer clock;
    clock.start();
    while (clock.elapsed() < timeoutMs) {
        const pid_t r = ::waitpid(pid, nullptr, WNOHANG);
        if (r == pid || (r < 0 && errno == ECHILD && ::kill(pid, 0) != 0))
            return true;
        QTest::qWait(20);
    }
    return false;
}

inline PortMapping pm(const char *ip, quint16 host, quint16 container, const char *proto = "tcp")
{
    PortMapping m;
    m.hostIp = QString::fromLatin1(ip);
    m.hostPort = host;
    m.containerPort = container;
    m.proto = QString::fromLatin1(proto);
    return m;
}

// A temporary directory for sockets and fake slirp4netns scripts, and what
// the machine can do. prepare() is called from initTestCase.
class NetworkFixture {
protected:
    void prepare()
    {
        m_root = ::geteuid() == 0;
        m_haveSlirp = !QStandardPaths::findExecutable(QStringLiteral("slirp4netns")).isEmpty();
        // Orphans (slirp4netns of a dead owner) come back to us to be reaped.
        ::prctl(PR_SET_CHILD_SUBREAPER, 1);
    }

    bool m_root = false;
    bool m_haveSlirp = false;
    QTemporaryDir m_dir{QStringLiteral("/tmp/ph-net-XXXXXX")}; // short: sun_path holds 107 bytes

    QString socketPath(const char *name) const { return m_dir.filePath(QString::fromLatin1(name)); }
    QString script(const char *name, const QByteArray &text)
    {
        const QString path = m_dir.filePath(QString::fromLatin1(name));
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly) || f.write(text) != text.size())
            return {};
        f.close();
        ::chmod(QFile::encodeName(path).constData(), 0755);
        return path;
    }
    // A stand-in that passes the --help feature check, then runs body.
    QString fakeSlirp(const char *name, const QByteArray &body)
    {
        return script(name, "#!/bin/sh\ncase \"$1\" in --help) echo '--api-socket --netns-type'; exit 0;; esac\n" + body);
    }
};

} // namespace porthole::test::network
