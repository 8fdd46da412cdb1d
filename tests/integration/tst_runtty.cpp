// `run -it`, `exec -it` and `attach` driven through pseudo-terminals the test
// owns (forkpty), as a user at a terminal would: typing, echo, window size
// changes, ctrl-p ctrl-q detach, exit codes; and `run -i` with a pipe.
// Needs root.
#include "support/testsupport.h"

#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QProcessEnvironment>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <poll.h>
#include <pty.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <vector>

using porthole::test::RunResult;

namespace {

// The porthole CLI on the slave side of a new pty; the test holds the master.
class PtyProcess {
public:
    PtyProcess() = default;
    PtyProcess(const PtyProcess &) = delete;
    PtyProcess &operator=(const PtyProcess &) = delete;
    ~PtyProcess()
    {
        if (m_pid > 0) {
            ::kill(m_pid, SIGKILL);
            ::waitpid(m_pid, nullptr, 0);
        }
        if (m_master >= 0)
            ::close(m_master);
    }

    bool start(const QString &root, const QStringList &args, unsigned short rows, unsigned short cols)
    {
        QList<QByteArray> store{porthole::test::portholeBinary().toLocal8Bit(), "--root", root.toLocal8Bit()};
        for (const QString &a : args)
            store.append(a.toUtf8());
        std::vector<char *> argv;
        for (QByteArray &a : store)
            argv.push_back(a.data());
        argv.push_back(nullptr);
        winsize ws{rows, cols, 0, 0};
        m_pid = ::forkpty(&m_master, nullptr, nullptr, &ws);
        if (m_pid == 0) {
            ::execv(argv[0], argv.data());
            ::_exit(127);
        }
        return m_pid > 0;
    }

    // Reads until `pattern` shows up after everything already matched.
    bool waitFor(const QRegularExpression &pattern, int timeoutMs = 10000)
    {
        QElapsedTimer timer;
        timer.start();
        for (;;) {
            const QRegularExpressionMatch m = pattern.match(QString::fromUtf8(m_seen), m_consumed);
            if (m.hasMatch()) {
                m_lastMatch = m;
                m_consumed = m.capturedEnd();
                return true;
            }
            const qint64 left = timeoutMs - timer.elapsed();
            pollfd p{m_master, POLLIN, 0};
            if (left <= 0 || ::poll(&p, 1, int(left)) <= 0)
                return false;
            char buf[4096];
            const ssize_t n = ::read(m_master, buf, sizeof buf);
            if (n <= 0)
                return false; // EIO: the slave side is gone
            m_seen.append(buf, n);
        }
    }
    bool waitFor(const char *literal, int timeoutMs = 10000)
    {
        return waitFor(QRegularExpression(QRegularExpression::escape(QString::fromLatin1(literal))), timeoutMs);
    }
    QString captured(int n) const { return m_lastMatch.captured(n); }

    void type(const QByteArray &keys) { QVERIFY(::write(m_master, keys.constData(), size_t(keys.size())) == keys.size()); }

    // The kernel sends SIGWINCH to the pty's foreground group: the CLI.
    void resize(unsigned short rows, unsigned short cols)
    {
        winsize ws{rows, cols, 0, 0};
        ::ioctl(m_master, TIOCSWINSZ, &ws);
    }

    // The exit code, or -1 if it has not ended within the time.
    int wait(int timeoutMs = 10000)
    {
        QElapsedTimer timer;
        timer.start();
        char buf[4096];
        while (timer.elapsed() < timeoutMs) {
            int status = 0;
            if (::waitpid(m_pid, &status, WNOHANG) == m_pid) {
                m_pid = -1;
                return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
            }
            pollfd p{m_master, POLLIN, 0};
            if (::poll(&p, 1, 20) > 0 && ::read(m_master, buf, sizeof buf) > 0)
                continue; // keep draining: a full pty would block the CLI
        }
        return -1;
    }

    QByteArray output() const { return m_seen; }

private:
    pid_t m_pid = -1;
    int m_master = -1;
    QByteArray m_seen;
    qsizetype m_consumed = 0;
    QRegularExpressionMatch m_lastMatch;
};

} // namespace

class TestRunTty : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void interactiveSessionDetachExecAttach();
    void stdinWithoutTty_data();
    void stdinWithoutTty();
    void largeStdinRoundTrip();

private:
    RunResult ph(const QStringList &args, const QByteArray &input = {}, int timeoutMs = 60000)
    {
        return porthole::test::runWithDemo(m_root.path(), args, input, timeoutMs);
    }
    static QProcessEnvironment env() { return porthole::test::demoEnvironment(); }
    QTemporaryDir m_root;
};

void TestRunTty::initTestCase()
{
    if (const QString why = porthole::test::containerSkipReason(); !why.isEmpty())
        QSKIP(qPrintable(why));
    QVERIFY(m_root.isValid());
    QVERIFY2(porthole::test::demoImageReady(m_root.path()), "the demo image was not created");
}

void TestRunTty::cleanupTestCase()
{
    // Nothing may outlive the test: stop and remove every container.
    if (porthole::test::containerSkipReason().isEmpty())
        porthole::test::removeAllContainers(m_root.path());
}

// One container through its life at a terminal: run -it, type, resize,
// detach; exec -it into it; attach again and end it with a status.
void TestRunTty::interactiveSessionDetachExecAttach()
{
    const QString root = m_root.path();
    {
        PtyProcess run;
        QVERIFY(run.start(root, {QStringLiteral("run"), QStringLiteral("-it"), QStringLiteral("--name"), QStringLiteral("t"),
                                 QStringLiteral("--network"), QStringLiteral("none"), QStringLiteral("localhost/demo"), QStringLiteral("sh")},
                          24, 80));
        QVERIFY2(run.waitFor("# "), run.output().constData());
        // The shell echoes what we type and the arithmetic proves it ran.
        run.type("echo hi-$((1+1))\r");
        QVERIFY2(run.waitFor("hi-2\r\n"), run.output().constData());
        // The size the terminal had when the CLI started...
        run.type("stty size\r");
        QVERIFY2(run.waitFor("\r\n24 80\r\n"), run.output().constData());
        // ...and a later resize.
        run.resize(33, 101);
        run.type("stty size\r");
        QVERIFY2(run.waitFor("\r\n33 101\r\n"), run.output().constData());
        run.type("tty\r");
        QVERIFY2(run.waitFor(QRegularExpression(QStringLiteral("/dev/pts/\\d+\r\n"))), run.output().constData());
        // ctrl-p ctrl-q: the CLI leaves with 0, the container stays.
        run.type("\x10\x11");
        QCOMPARE(run.wait(), 0);
    }
    const RunResult ps = ph({QStringLiteral("ps")});
    QVERIFY2(QRegularExpression(QStringLiteral("Up .* t\n")).match(QString::fromUtf8(ps.out)).hasMatch(), ps.out.constData());

    {
        PtyProcess exec;
        QVERIFY(exec.start(root, {QStringLiteral("exec"), QStringLiteral("-it"), QStringLiteral("t"), QStringLiteral("sh")}, 40, 120));
        QVERIFY2(exec.waitFor("# "), exec.output().constData());
        exec.type("tty; stty size\r");
        QVERIFY2(exec.waitFor(QRegularExpression(QStringLiteral("\r\n(/dev/pts/\\d+)\r\n40 120\r\n"))), exec.output().constData());
        exec.type("echo $$\r"); // its own process, not PID 1
        QVERIFY2(exec.waitFor(QRegularExpression(QStringLiteral("\r\n(\\d+)\r\n"))), exec.output().constData());
        QVERIFY(exec.captured(1) != QLatin1String("1"));
        exec.type("exit 3\r");
        QCOMPARE(exec.wait(), 3);
    }
    QVERIFY(ph({QStringLiteral("ps")}).out.contains(" t\n")); // exec's end leaves the container

    {
        PtyProcess attach;
        QVERIFY(attach.start(root, {QStringLiteral("attach"), QStringLiteral("t")}, 24, 80));
        attach.type("echo back-$((2+2))\r");
        QVERIFY2(attach.waitFor("back-4\r\n"), attach.output().constData());
        attach.type("exit 4\r");
        QCOMPARE(attach.wait(), 4);
    }
    const RunResult all = ph({QStringLiteral("ps"), QStringLiteral("-a")});
    QVERIFY2(all.out.contains("Exited (4)"), all.out.constData());
    QCOMPARE(ph({QStringLiteral("rm"), QStringLiteral("-f"), QStringLiteral("t")}).exitCode, 0);
}

void TestRunTty::stdinWithoutTty_data()
{
    QTest::addColumn<QStringList>("flags");
    QTest::addColumn<QString>("script");
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QByteArray>("expected");
    QTest::addColumn<int>("exitCode");
    QTest::newRow("-i cat") << QStringList{QStringLiteral("-i")} << QStringLiteral("cat") << QByteArray("abc\n") << QByteArray("abc\n") << 0;
    QTest::newRow("-i lines and status") << QStringList{QStringLiteral("-i")} << QStringLiteral("wc -l; exit 4") << QByteArray("x\ny\nz\n")
                                         << QByteArray("3\n") << 4;
    QByteArray big;
    for (int i = 0; i < 20000; ++i)
        big += QByteArray::number(i) + '\n';
    QTest::newRow("-i 100K through") << QStringList{QStringLiteral("-i")} << QStringLiteral("md5sum") << big
                                     << QCryptographicHash::hash(big, QCryptographicHash::Md5).toHex() + "  -\n" << 0;
    // Without -i the container's stdin is not ours: it reads end of file.
    QTest::newRow("no -i") << QStringList() << QStringLiteral("cat; echo done") << QByteArray("abc\n") << QByteArray("done\n") << 0;
}

void TestRunTty::stdinWithoutTty()
{
    QFETCH(QStringList, flags);
    QFETCH(QString, script);
    QFETCH(QByteArray, input);
    QFETCH(QByteArray, expected);
    QFETCH(int, exitCode);
    const RunResult r = ph(QStringList{QStringLiteral("run"), QStringLiteral("--rm"), QStringLiteral("--network"), QStringLiteral("none")} + flags
                               + QStringList{QStringLiteral("localhost/demo"), QStringLiteral("sh"), QStringLiteral("-c"), script},
                           input);
    QVERIFY2(r.exitCode == exitCode, r.err.constData());
    QCOMPARE(r.out, expected);
}

// More than every buffer between us and `cat` holds, in and back out at
// once: neither the CLI nor the shim may wait on a write while the other
// side waits on theirs.
void TestRunTty::largeStdinRoundTrip()
{
    QByteArray data(24 << 20, Qt::Uninitialized);
    for (qsizetype i = 0; i < data.size(); ++i)
        data[i] = char((i * 7919) >> 3);
    const RunResult r = ph({QStringLiteral("run"), QStringLiteral("-i"), QStringLiteral("--rm"), QStringLiteral("--network"),
                            QStringLiteral("none"), QStringLiteral("localhost/demo"), QStringLiteral("cat")},
                           data, 30000);
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QCOMPARE(r.out.size(), data.size());
    QVERIFY(r.out == data);
}

QTEST_GUILESS_MAIN(TestRunTty)
#include "tst_runtty.moc"
