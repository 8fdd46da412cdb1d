// Container networking against the real kernel and slirp4netns: a child in a
// fresh network namespace must see only lo, reach a server on the host's
// 127.0.0.1 through 10.0.2.2, and serve a port published on the host.
// slirp4netns's lifetime: tst_networklifecycle.
#include "support/networktestsupport.h"

using namespace porthole;
using namespace porthole::runtime;
using namespace porthole::test::network;

class TestNetwork : public QObject, protected NetworkFixture {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void loopbackOnlyInNewNamespace();
    void reachesHostLoopback();
    void publishesPorts();
};

void TestNetwork::initTestCase()
{
    QVERIFY(m_dir.isValid());
    prepare();
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

QTEST_GUILESS_MAIN(TestNetwork)
#include "tst_network.moc"
