// The three network modes on the real kernel: private (slirp4netns) reaches
// an HTTP server the test runs on the host's loopback and publishes a port
// into a server in the container; none has only lo; host shares the host's
// interfaces. Traffic stays on loopback and inside the container. Needs root.
#include "support/testsupport.h"

#include <QDir>
#include <QElapsedTimer>
#include <QHostAddress>
#include <QNetworkInterface>
#include <QProcessEnvironment>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <arpa/inet.h>
#include <atomic>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

using porthole::test::RunResult;

namespace {

// A one-page HTTP/1.0 server on one of the host's IPv4 addresses (127.0.0.1
// unless told) in its own thread: the test's main thread is blocked in
// QProcess while the container fetches.
class LoopbackHttpServer {
public:
    explicit LoopbackHttpServer(QByteArray body, quint32 address = INADDR_LOOPBACK) : m_body(std::move(body))
    {
        m_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(address);
        socklen_t len = sizeof addr;
        if (m_fd < 0 || ::bind(m_fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) != 0 || ::listen(m_fd, 8) != 0
            || ::getsockname(m_fd, reinterpret_cast<sockaddr *>(&addr), &len) != 0)
            return;
        m_port = ntohs(addr.sin_port);
        m_thread = std::thread([this] { serve(); });
    }
    ~LoopbackHttpServer()
    {
        m_stop = true;
        if (m_thread.joinable())
            m_thread.join();
        if (m_fd >= 0)
            ::close(m_fd);
    }
    quint16 port() const { return m_port; }
    int requests() const { return m_requests; }

private:
    void serve()
    {
        while (!m_stop) {
            pollfd p{m_fd, POLLIN, 0};
            if (::poll(&p, 1, 50) <= 0)
                continue;
            const int client = ::accept4(m_fd, nullptr, nullptr, SOCK_CLOEXEC);
            if (client < 0)
                continue;
            char buf[4096];
            QByteArray request;
            while (!request.contains("\r\n\r\n")) {
                pollfd c{client, POLLIN, 0};
                if (::poll(&c, 1, 2000) <= 0)
                    break;
                const ssize_t n = ::read(client, buf, sizeof buf);
                if (n <= 0)
                    break;
                request.append(buf, n);
            }
            const QByteArray reply = "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + QByteArray::number(m_body.size())
                + "\r\nConnection: close\r\n\r\n" + m_body;
            (void)::write(client, reply.constData(), size_t(reply.size()));
            ::close(client);
            ++m_requests;
        }
    }
    QByteArray m_body;
    int m_fd = -1;
    quint16 m_port = 0;
    std::atomic<bool> m_stop{false};
    std::atomic<int> m_requests{0};
    std::thread m_thread;
};

// A TCP port nobody listens on right now (on any address, as -p binds).
quint16 freePort()
{
    QTcpServer probe;
    return probe.listen(QHostAddress::Any, 0) ? probe.serverPort() : 0;
}

QStringList hostInterfaces()
{
    return QDir(QStringLiteral("/sys/class/net")).entryList(QDir::AllEntries | QDir::NoDotAndDotDot, QDir::Name);
}

} // namespace

class TestRunNetwork : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void privateReachesTheHost();
    void privateCannotReachHostLoopback();
    void publishedPort();
    void interfaces_data();
    void interfaces();

private:
    RunResult ph(const QStringList &args, const QByteArray &input = {}, int timeoutMs = 60000)
    {
        return porthole::test::runWithDemo(m_root.path(), args, input, timeoutMs);
    }
    QTemporaryDir m_root;
    bool m_haveSlirp = false;
};

void TestRunNetwork::initTestCase()
{
    if (const QString why = porthole::test::containerSkipReason(); !why.isEmpty())
        QSKIP(qPrintable(why));
    QVERIFY(m_root.isValid());
    m_haveSlirp = porthole::test::haveProgram(QStringLiteral("slirp4netns"));
    QVERIFY2(porthole::test::demoImageReady(m_root.path()), "the demo image was not created");
}

void TestRunNetwork::cleanupTestCase()
{
    // Nothing may outlive the test: stop and remove every container.
    if (porthole::test::containerSkipReason().isEmpty())
        porthole::test::removeAllContainers(m_root.path());
}

void TestRunNetwork::privateReachesTheHost()
{
    if (!m_haveSlirp)
        QSKIP("the private network needs slirp4netns (Debian package slirp4netns)");
    QHostAddress host;
    for (const QHostAddress &a : QNetworkInterface::allAddresses()) {
        if (a.protocol() == QAbstractSocket::IPv4Protocol && !a.isLoopback())
            host = a;
    }
    if (host.isNull())
        QSKIP("this host has no IPv4 address but loopback");
    const QByteArray body = "hello from the host " + QByteArray::number(::getpid());
    LoopbackHttpServer server(body, host.toIPv4Address());
    QVERIFY(server.port() != 0);
    // The default network reaches what the host reaches.
    const RunResult r = ph({QStringLiteral("run"), QStringLiteral("--rm"), QStringLiteral("localhost/demo"), QStringLiteral("wget"),
                            QStringLiteral("-q"), QStringLiteral("-O-"), QStringLiteral("http://%1:%2/").arg(host.toString()).arg(server.port())});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QCOMPARE(r.out, body);
    QCOMPARE(server.requests(), 1);
}

void TestRunNetwork::privateCannotReachHostLoopback()
{
    if (!m_haveSlirp)
        QSKIP("the private network needs slirp4netns (Debian package slirp4netns)");
    // A service the host keeps to itself (bound to 127.0.0.1) stays the
    // host's: 10.0.2.2, slirp4netns' way to the host's loopback, is closed,
    // as docker's bridge and podman's default have it.
    LoopbackHttpServer server("private");
    QVERIFY(server.port() != 0);
    const RunResult r = ph({QStringLiteral("run"), QStringLiteral("--rm"), QStringLiteral("localhost/demo"), QStringLiteral("wget"),
                            QStringLiteral("-q"), QStringLiteral("-T"), QStringLiteral("5"), QStringLiteral("-O-"),
                            QStringLiteral("http://10.0.2.2:%1/").arg(server.port())});
    QVERIFY(r.exitCode != 0);
    QVERIFY(!r.out.contains("private"));
    QCOMPARE(server.requests(), 0);
}

void TestRunNetwork::publishedPort()
{
    if (!m_haveSlirp)
        QSKIP("the private network needs slirp4netns (Debian package slirp4netns)");
    const quint16 port = freePort();
    QVERIFY(port != 0);
    const RunResult run = ph({QStringLiteral("run"), QStringLiteral("-d"), QStringLiteral("--name"), QStringLiteral("web"), QStringLiteral("-p"),
                              QStringLiteral("%1:8080").arg(port), QStringLiteral("localhost/demo"), QStringLiteral("sh"), QStringLiteral("-c"),
                              QStringLiteral("echo hello | nc -l -p 8080")});
    QVERIFY2(run.exitCode == 0, run.err.constData());

    const RunResult ps = ph({QStringLiteral("ps")});
    const QString mapping = QStringLiteral("0.0.0.0:%1->8080/tcp").arg(port);
    QVERIFY2(QRegularExpression(QRegularExpression::escape(mapping) + QStringLiteral("\\s+web\n")).match(QString::fromUtf8(ps.out)).hasMatch(),
             ps.out.constData());
    QCOMPARE(ph({QStringLiteral("port"), QStringLiteral("web")}).out, QStringLiteral("8080/tcp -> 0.0.0.0:%1\n").arg(port).toUtf8());

    // nc may not listen yet: the forwarder then accepts and closes at once.
    QByteArray got;
    QTcpSocket socket;
    QElapsedTimer timer;
    timer.start();
    while (got.isEmpty() && timer.elapsed() < 10000) {
        socket.abort();
        socket.connectToHost(QHostAddress::LocalHost, port);
        if (socket.waitForConnected(2000)) {
            while (!got.contains('\n') && socket.waitForReadyRead(2000))
                got += socket.readAll();
        }
        if (got.isEmpty())
            QTest::qWait(100);
    }
    QCOMPARE(got, QByteArray("hello\n"));
    // The host port is held while the container lives and free once it is gone.
    const auto portFree = [port] {
        QTcpServer again;
        return again.listen(QHostAddress::Any, port);
    };
    QVERIFY(!portFree());
    socket.close(); // nc ends with the connection, and the container with nc
    QCOMPARE(ph({QStringLiteral("wait"), QStringLiteral("web")}).out, QByteArray("0\n"));
    QCOMPARE(ph({QStringLiteral("rm"), QStringLiteral("web")}).exitCode, 0);
    QTRY_VERIFY_WITH_TIMEOUT(portFree(), 5000);
}

void TestRunNetwork::interfaces_data()
{
    QTest::addColumn<QString>("network");
    QTest::addColumn<QStringList>("expected"); // empty: the container has its own, unlike the host's
    QTest::newRow("none") << QStringLiteral("none") << QStringList{QStringLiteral("lo")};
    QTest::newRow("host") << QStringLiteral("host") << hostInterfaces();
    QTest::newRow("private") << QStringLiteral("private") << QStringList();
}

void TestRunNetwork::interfaces()
{
    QFETCH(QString, network);
    QFETCH(QStringList, expected);
    if (network == QLatin1String("private") && !m_haveSlirp)
        QSKIP("the private network needs slirp4netns (Debian package slirp4netns)");
    const RunResult r = ph({QStringLiteral("run"), QStringLiteral("--rm"), QStringLiteral("--network"), network, QStringLiteral("localhost/demo"),
                            QStringLiteral("sh"), QStringLiteral("-c"),
                            QStringLiteral("ls /sys/class/net; cat /sys/class/net/lo/operstate /sys/class/net/lo/flags")});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QStringList lines = QString::fromUtf8(r.out).split(u'\n', Qt::SkipEmptyParts);
    QVERIFY(lines.size() >= 3);
    // lo is up in every mode (flags has IFF_UP, bit 0).
    QVERIFY2(lines.takeLast().toUInt(nullptr, 16) & 1, r.out.constData());
    lines.removeLast(); // operstate is "unknown" for lo
    if (!expected.isEmpty()) {
        QCOMPARE(lines, expected);
    } else {
        // lo and slirp4netns' tap, none of the host's other devices.
        QVERIFY2(lines.size() == 2 && lines.contains(QStringLiteral("lo")), r.out.constData());
        QVERIFY2(lines != hostInterfaces(), r.out.constData());
    }
}

QTEST_GUILESS_MAIN(TestRunNetwork)
#include "tst_runnetwork.moc"
