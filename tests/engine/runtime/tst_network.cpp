// Container networking against the real kernel and slirp4netns: a child in a
// fresh network namespace must see only lo, reach a server on the host's
// 127.0.0.1 through 10.0.2.2, and serve a port published on the host; and no
// slirp4netns may outlive stop(), a failed start, or its owner's death.
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

using namespace porthole;
using namespace porthole::runtime;

namespace {

// ---- raw helpers: the forked children may call nothing but system calls ----

void writeAllRaw(int fd, const char *data, size_t size)
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

void writeStrRaw(int fd, const char *s) { writeAllRaw(fd, s, std::strlen(s)); }

// Reads until EOF or the time runs out (the child always closes or exits).
QByteArray readUntilEof(int fd, int timeoutMs)
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
char readByte(int fd, int timeoutMs)
{
    pollfd p{fd, POLLIN, 0};
    char c = 0;
    if (::poll(&p, 1, timeoutMs) == 1 && ::read(fd, &c, 1) == 1)
        return c;
    return 0;
}

sockaddr_in inet(const char *ip, quint16 port)
{
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_port = htons(port);
    ::inet_pton(AF_INET, ip, &sa.sin_addr);
    return sa;
}

// Connects, sends `request`, returns everything the peer sends until it closes.
QByteArray tcpExchange(const char *ip, quint16 port, const char *request, int timeoutMs = 5000)
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
void reportInterfaces(int fd)
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
bool loopbackWorks()
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
QList<pid_t> processesMentioning(const QString &needle)
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
bool reapedWithin(pid_t pid, int timeoutMs)
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

PortMapping pm(const char *ip, quint16 host, quint16 container, const char *proto = "tcp")
{
    PortMapping m;
    m.hostIp = QString::fromLatin1(ip);
    m.hostPort = host;
    m.containerPort = container;
    m.proto = QString::fromLatin1(proto);
    return m;
}

} // namespace

class TestNetwork : public QObject {
    Q_OBJECT

private:
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

private Q_SLOTS:
    void initTestCase();
    void loopbackOnlyInNewNamespace();
    void reachesHostLoopback();
    void publishesPorts();
    void busyHostPortIsRefusedBeforeStart();
    void failedStartsLeaveNothing();
    void slirpDiesWithItsOwner();
};

void TestNetwork::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_root = ::geteuid() == 0;
    m_haveSlirp = !QStandardPaths::findExecutable(QStringLiteral("slirp4netns")).isEmpty();
    // Orphans (slirp4netns of a dead owner) come back to us to be reaped.
    ::prctl(PR_SET_CHILD_SUBREAPER, 1);
}

void TestNetwork::loopbackOnlyInNewNamespace()
{
    if (!m_root)
        QSKIP("unshare(CLONE_NEWNET) needs root");
    NetnsChild child;
    QVERIFY(child.start([](int, int report) {
        writeStrRaw(report, loopbackWorks() ? "before:works|" : "before:fails|");
        const int err = setupLoopbackRaw();
        writeStrRaw(report, err == 0 ? "setup:ok|" : "setup:failed|");
        writeStrRaw(report, loopbackWorks() ? "after:works|" : "after:fails|");
        reportInterfaces(report);
    }));
    const QString report = QString::fromLatin1(readUntilEof(child.reportFd(), 10000));
    QVERIFY2(report.startsWith(QStringLiteral("before:fails|setup:ok|after:works|")), qPrintable(report));
    const QStringList interfaces = report.section(u'|', 3).split(u' ', Qt::SkipEmptyParts);
    QVERIFY2(interfaces.contains(QStringLiteral("lo:up")), qPrintable(report));
    // A fresh namespace may hold tunnel devices (sit0, tunl0...), never up.
    QCOMPARE(interfaces.filter(QStringLiteral(":up")), QStringList{QStringLiteral("lo:up")});
    // And Status form works (here, in the host namespace, lo is up already).
    QVERIFY(setupLoopback().ok());
}

void TestNetwork::reachesHostLoopback()
{
    if (!m_root || !m_haveSlirp)
        QSKIP("needs root and slirp4netns (apt-get install slirp4netns)");
    HostServer server;
    QVERIFY(server.start());
    const quint16 port = server.port();
    NetnsChild child;
    QVERIFY(child.start([port](int command, int report) {
        char c;
        if (::read(command, &c, 1) != 1) // wait until slirp4netns is up
            return;
        const QByteArray reply = tcpExchange("10.0.2.2", port, "GET /from-container HTTP/1.0\r\n\r\n");
        writeAllRaw(report, reply.constData(), size_t(reply.size()));
    }));
    SlirpOptions withLoopback;
    withLoopback.allowHostLoopback = true; // containers never get it (tst_runnetwork)
    auto net = SlirpNetwork::start(child.pid(), {}, socketPath("out.sock"), withLoopback);
    QVERIFY2(net.ok(), qPrintable(net.ok() ? QString() : net.error().message));
    QVERIFY(net->pid() > 0);
    QVERIFY(QFileInfo(socketPath("out.sock")).exists());
    child.go();
    const QByteArray reply = readUntilEof(child.reportFd(), 15000);
    QCOMPARE(reply, QByteArray("hello-from-host:GET /from-container HTTP/1.0"));
    QVERIFY(server.served());
    QVERIFY(net->arguments().contains(QStringLiteral("--mtu=65520")));
    qInfo("slirp4netns %s", qPrintable(net->arguments().join(u' ')));

    const pid_t slirpPid = net->pid();
    QVERIFY(net->stop().ok());
    QVERIFY(!net->running());
    QCOMPARE(::kill(slirpPid, 0), -1); // reaped, not a zombie
    QVERIFY(processesMentioning(socketPath("out.sock")).isEmpty());
    QVERIFY(!QFileInfo::exists(socketPath("out.sock")));
    QVERIFY(net->stop().ok()); // idempotent
}

void TestNetwork::publishesPorts()
{
    if (!m_root || !m_haveSlirp)
        QSKIP("needs root and slirp4netns (apt-get install slirp4netns)");
    NetnsChild child;
    QVERIFY(child.start([](int, int report) {
        // Listening before slirp4netns starts: tap0 does not exist yet, which
        // does not matter to a 0.0.0.0 listener.
        const int l = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        const int u = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        sockaddr_in tcp = inet("0.0.0.0", 80), udp = inet("0.0.0.0", 53);
        if (::bind(l, reinterpret_cast<sockaddr *>(&tcp), sizeof tcp) != 0 || ::listen(l, 4) != 0
            || ::bind(u, reinterpret_cast<sockaddr *>(&udp), sizeof udp) != 0)
            return;
        writeStrRaw(report, "L");
        // One datagram echoed, then one TCP connection answered.
        pollfd pu{u, POLLIN, 0};
        if (::poll(&pu, 1, 15000) == 1) {
            char buf[64];
            sockaddr_in from{};
            socklen_t len = sizeof from;
            const ssize_t n = ::recvfrom(u, buf, sizeof buf, 0, reinterpret_cast<sockaddr *>(&from), &len);
            if (n > 0)
                ::sendto(u, buf, size_t(n), 0, reinterpret_cast<sockaddr *>(&from), len);
        }
        pollfd pt{l, POLLIN, 0};
        if (::poll(&pt, 1, 15000) != 1)
            return;
        const int c = ::accept4(l, nullptr, nullptr, SOCK_CLOEXEC);
        char buf[128] = {};
        const ssize_t n = ::recv(c, buf, sizeof buf - 1, 0);
        writeStrRaw(c, "pong:");
        writeAllRaw(c, buf, size_t(qMax<ssize_t>(n, 0)));
        ::close(c);
        writeStrRaw(report, "S");
    }));
    QCOMPARE(readByte(child.reportFd(), 5000), 'L');

    auto specs = parsePortSpecs({QStringLiteral("127.0.0.1::80"), QStringLiteral("127.0.0.1::53/udp")});
    QVERIFY(specs.ok());
    auto net = SlirpNetwork::start(child.pid(), *specs, socketPath("pub.sock"));
    QVERIFY2(net.ok(), qPrintable(net.ok() ? QString() : net.error().message));
    const QList<PortMapping> ports = net->ports();
    QCOMPARE(ports.size(), 2);
    QVERIFY(ports[0].hostPort != 0 && ports[1].hostPort != 0);
    QCOMPARE(ports[0].containerPort, quint16(80));

    // slirp4netns now listens on the chosen host ports.
    QVERIFY(!checkHostPortFree(ports[0]).ok());
    QCOMPARE(checkHostPortFree(ports[0]).error().code, ErrorCode::AlreadyExists);

    const int u = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_in to = inet("127.0.0.1", ports[1].hostPort);
    ::sendto(u, "ping-udp", 8, 0, reinterpret_cast<sockaddr *>(&to), sizeof to);
    pollfd p{u, POLLIN, 0};
    char dgram[64] = {};
    QCOMPARE(::poll(&p, 1, 10000), 1);
    QCOMPARE(::recv(u, dgram, sizeof dgram, 0), ssize_t(8));
    ::close(u);
    QCOMPARE(QByteArray(dgram), QByteArray("ping-udp"));

    QCOMPARE(tcpExchange("127.0.0.1", ports[0].hostPort, "hello-container"), QByteArray("pong:hello-container"));
    QCOMPARE(readByte(child.reportFd(), 5000), 'S');

    // A port added while running goes through the same API; the list shows it.
    auto extra = net->publish(pm("127.0.0.1", 0, 8080));
    QVERIFY2(extra.ok(), qPrintable(extra.ok() ? QString() : extra.error().message));
    auto list = slirpApiRequest(socketPath("pub.sock"), QJsonObject{{"execute", "list_hostfwd"}});
    QVERIFY2(list.ok(), qPrintable(list.ok() ? QString() : list.error().message));
    const QJsonArray entries = list->value(QStringLiteral("entries")).toArray();
    QCOMPARE(entries.size(), 3);
    QCOMPARE(entries[2].toObject().value(QStringLiteral("host_port")).toInt(), int(extra->hostPort));
    QCOMPARE(net->ports().size(), 3);

    const pid_t slirpPid = net->pid();
    QVERIFY(net->stop().ok());
    QCOMPARE(::kill(slirpPid, 0), -1);
    QVERIFY(checkHostPortFree(ports[0]).ok()); // the host port is released
}

void TestNetwork::busyHostPortIsRefusedBeforeStart()
{
    if (!m_root)
        QSKIP("needs root for a network namespace");
    const int busy = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in sa = inet("127.0.0.1", 0);
    socklen_t len = sizeof sa;
    QVERIFY(::bind(busy, reinterpret_cast<sockaddr *>(&sa), sizeof sa) == 0 && ::listen(busy, 1) == 0);
    QVERIFY(::getsockname(busy, reinterpret_cast<sockaddr *>(&sa), &len) == 0);
    const quint16 port = ntohs(sa.sin_port);

    NetnsChild child;
    QVERIFY(child.start([](int command, int) {
        char c;
        (void)::read(command, &c, 1);
    }));
    SlirpOptions options;
    options.binary = fakeSlirp("never-run", "exit 1\n"); // must not be reached
    auto net = SlirpNetwork::start(child.pid(), {pm("127.0.0.1", port, 80)}, socketPath("busy.sock"), options);
    ::close(busy);
    QVERIFY(!net.ok());
    QCOMPARE(net.error().code, ErrorCode::AlreadyExists);
    QVERIFY2(net.error().message.contains(QStringLiteral("127.0.0.1:%1->80/tcp: host port %1/tcp is already in use")
                                              .arg(port)),
             qPrintable(net.error().message));

    auto noProcess = SlirpNetwork::start(999999, {}, socketPath("x.sock"));
    QVERIFY(!noProcess.ok());
    QCOMPARE(noProcess.error().code, ErrorCode::NotFound);
    auto longPath = SlirpNetwork::start(child.pid(), {}, QStringLiteral("/tmp/") + QString(120, u'x'));
    QVERIFY(!longPath.ok());
    QVERIFY2(longPath.error().message.contains(QStringLiteral("longer than 107 bytes")),
             qPrintable(longPath.error().message));
}

void TestNetwork::failedStartsLeaveNothing()
{
    if (!m_root)
        QSKIP("needs root for a network namespace");
    NetnsChild child;
    QVERIFY(child.start([](int command, int) {
        char c;
        (void)::read(command, &c, 1);
    }));

    SlirpOptions missing;
    missing.binary = m_dir.filePath(QStringLiteral("no-such-slirp4netns"));
    auto r = SlirpNetwork::start(child.pid(), {}, socketPath("a.sock"), missing);
    QVERIFY(!r.ok());
    QCOMPARE(r.error().code, ErrorCode::NotFound);
    QVERIFY2(r.error().message.contains(QStringLiteral("install the Debian package slirp4netns")),
             qPrintable(r.error().message));

    SlirpOptions old;
    old.binary = script("old-slirp", "#!/bin/sh\necho 'usage: slirp4netns PID TAPNAME'\n");
    r = SlirpNetwork::start(child.pid(), {}, socketPath("b.sock"), old);
    QVERIFY(!r.ok());
    QCOMPARE(r.error().code, ErrorCode::FailedPrecondition);
    QVERIFY2(r.error().message.contains(QStringLiteral("0.4.0 or newer")), qPrintable(r.error().message));

    // Exits at once with a message: the error carries status and message.
    SlirpOptions crashing;
    crashing.binary = fakeSlirp("crashing-slirp", "echo \"cannot open tap: $*\" >&2\nexit 3\n");
    r = SlirpNetwork::start(child.pid(), {}, socketPath("c.sock"), crashing);
    QVERIFY(!r.ok());
    QVERIFY2(r.error().message.contains(QStringLiteral("ended before it was ready (it exited with status 3)")),
             qPrintable(r.error().message));
    QVERIFY2(r.error().message.contains(QStringLiteral("cannot open tap: --configure --mtu=65520 --ready-fd=3 "
                                                       "--exit-fd=4 --api-socket=")),
             qPrintable(r.error().message));

    // Never ready: killed after the time-out, and nothing stays behind.
    SlirpOptions hanging;
    hanging.binary = fakeSlirp("hanging-slirp", "exec sleep 60.123\n");
    hanging.readyTimeoutMs = 300;
    QElapsedTimer clock;
    clock.start();
    r = SlirpNetwork::start(child.pid(), {}, socketPath("d.sock"), hanging);
    QVERIFY(!r.ok());
    QCOMPARE(r.error().code, ErrorCode::Unavailable);
    QVERIFY2(r.error().message.contains(QStringLiteral("not ready within 300 ms")), qPrintable(r.error().message));
    QVERIFY(clock.elapsed() < 5000);
    QVERIFY(processesMentioning(QStringLiteral("sleep 60.123")).isEmpty());
    QVERIFY(processesMentioning(socketPath("d.sock")).isEmpty());
}

void TestNetwork::slirpDiesWithItsOwner()
{
    if (!m_root || !m_haveSlirp)
        QSKIP("needs root and slirp4netns (apt-get install slirp4netns)");
    NetnsChild child;
    QVERIFY(child.start([](int command, int) {
        char c;
        (void)::read(command, &c, 1);
    }));
    // An owner process starts slirp4netns and dies without stop(): the exit
    // fd's write end closes with it, and slirp4netns must follow.
    int pipeFd[2];
    QVERIFY(::pipe2(pipeFd, O_CLOEXEC) == 0);
    const pid_t target = child.pid();
    const QString path = socketPath("owner.sock");
    const pid_t owner = ::fork();
    if (owner == 0) {
        auto net = SlirpNetwork::start(target, {}, path);
        const pid_t slirp = net.ok() ? net->pid() : -1;
        writeAllRaw(pipeFd[1], reinterpret_cast<const char *>(&slirp), sizeof slirp);
        ::_exit(0); // no destructors, no stop()
    }
    ::close(pipeFd[1]);
    pid_t slirp = -1;
    const QByteArray got = readUntilEof(pipeFd[0], 15000);
    ::close(pipeFd[0]);
    ::waitpid(owner, nullptr, 0);
    QCOMPARE(got.size(), qsizetype(sizeof slirp));
    std::memcpy(&slirp, got.constData(), sizeof slirp);
    QVERIFY(slirp > 0);
    const bool gone = reapedWithin(slirp, 5000);
    if (!gone) {
        ::kill(slirp, SIGKILL);
        ::waitpid(slirp, nullptr, 0);
    }
    QFile::remove(path);
    QVERIFY2(gone, "slirp4netns outlived the process that started it");
}

QTEST_GUILESS_MAIN(TestNetwork)
#include "tst_network.moc"
