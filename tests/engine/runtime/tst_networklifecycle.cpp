// slirp4netns's lifetime against the real kernel: a busy host port is
// refused before the container starts, and no slirp4netns outlives a failed
// start, stop(), or its owner's death.
#include "support/networktestsupport.h"

using namespace porthole;
using namespace porthole::runtime;
using namespace porthole::test::network;

class TestNetworkLifecycle : public QObject, protected NetworkFixture {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void busyHostPortIsRefusedBeforeStart();
    void failedStartsLeaveNothing();
    void slirpDiesWithItsOwner();
};

void TestNetworkLifecycle::initTestCase()
{
    QVERIFY(m_dir.isValid());
    prepare();
}

void TestNetworkLifecycle::busyHostPortIsRefusedBeforeStart()
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

void TestNetworkLifecycle::failedStartsLeaveNothing()
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

void TestNetworkLifecycle::slirpDiesWithItsOwner()
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

QTEST_GUILESS_MAIN(TestNetworkLifecycle)
#include "tst_networklifecycle.moc"
