// `run` on the real kernel with the demo image: exit codes, PID 1, hostname,
// env, user, working directory, detached lifecycle. Needs root (namespaces,
// overlayfs, cgroups); skips with the reason otherwise.
#include "support/testsupport.h"

#include <QProcessEnvironment>
#include <QTemporaryDir>
#include <QTest>

#include <unistd.h>

using porthole::test::RunResult;

class TestRun : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void exitCodes_data();
    void exitCodes();
    void pid1IsTheCommand();
    void signalsStartAtDefaults();
    void hostnameEnvUserWorkdir();
    void detachedLifecycle();
    void removeWithRm();
    void networkNone();
    void execedShim();

private:
    RunResult ph(const QStringList &args, const QByteArray &input = {}, int timeoutMs = 60000)
    {
        return porthole::test::runWithDemo(m_root.path(), args, input, timeoutMs);
    }
    QTemporaryDir m_root;
};

void TestRun::initTestCase()
{
    if (const QString why = porthole::test::containerSkipReason(); !why.isEmpty())
        QSKIP(qPrintable(why));
    QVERIFY(m_root.isValid());
    QVERIFY2(porthole::test::demoImageReady(m_root.path()), "the demo image was not created");
}

void TestRun::cleanupTestCase()
{
    // Nothing may outlive the test: stop and remove every container.
    if (porthole::test::containerSkipReason().isEmpty())
        porthole::test::removeAllContainers(m_root.path());
}

void TestRun::exitCodes_data()
{
    QTest::addColumn<QStringList>("command");
    QTest::addColumn<int>("expected");
    QTest::newRow("true") << QStringList{QStringLiteral("true")} << 0;
    QTest::newRow("exit 7") << QStringList{QStringLiteral("sh"), QStringLiteral("-c"), QStringLiteral("exit 7")} << 7;
    QTest::newRow("not found") << QStringList{QStringLiteral("no-such-command")} << 127;
    QTest::newRow("not executable") << QStringList{QStringLiteral("/etc/passwd")} << 126;
    // PID 1 ignores signals from its own namespace (as under docker), so a
    // child kills itself and the shell passes on its 128+9.
    QTest::newRow("killed") << QStringList{QStringLiteral("sh"), QStringLiteral("-c"), QStringLiteral("sh -c 'kill -9 $$'; exit $?")} << 137;
}

void TestRun::exitCodes()
{
    QFETCH(QStringList, command);
    QFETCH(int, expected);
    const RunResult r = ph(QStringList{QStringLiteral("run"), QStringLiteral("--rm"), QStringLiteral("--network"),
                                       QStringLiteral("none"), QStringLiteral("localhost/demo")} + command);
    QVERIFY2(r.exitCode == expected, qPrintable(QStringLiteral("exit %1, stderr: %2").arg(r.exitCode).arg(QString::fromUtf8(r.err))));
    if (expected == 127)
        QVERIFY2(r.err.contains("executable file not found"), r.err.constData());
    // --rm: nothing is left.
    QCOMPARE(ph({QStringLiteral("ps"), QStringLiteral("-aq")}).out.trimmed(), QByteArray());
}

void TestRun::pid1IsTheCommand()
{
    const RunResult r = ph({QStringLiteral("run"), QStringLiteral("--rm"), QStringLiteral("--network"), QStringLiteral("none"),
                            QStringLiteral("localhost/demo"), QStringLiteral("sh"), QStringLiteral("-c"),
                            QStringLiteral("echo $$; cat /proc/1/cmdline | tr '\\0' ' '")});
    QCOMPARE(r.exitCode, 0);
    const QList<QByteArray> lines = r.out.split('\n');
    QCOMPARE(lines.value(0), QByteArray("1"));
    QVERIFY2(lines.value(1).startsWith("sh -c"), r.out.constData());
}

// The engine's own ignored and blocked signals must not reach the
// container: its processes start with default dispositions and no mask,
// detached or not, and so do exec'd ones.
void TestRun::signalsStartAtDefaults()
{
    // "; true" makes grep a child of sh (busybox sh ignores SIGQUIT when it
    // execs the last command itself).
    const QString show = QStringLiteral("grep -E '^Sig(Ign|Blk)' /proc/self/status; true");
    const QByteArray clean = "SigBlk:\t0000000000000000\nSigIgn:\t0000000000000000\n";
    const RunResult r = ph({QStringLiteral("run"), QStringLiteral("--rm"), QStringLiteral("--network"), QStringLiteral("none"),
                            QStringLiteral("localhost/demo"), QStringLiteral("sh"), QStringLiteral("-c"), show});
    QCOMPARE(r.out, clean);
    QCOMPARE(ph({QStringLiteral("run"), QStringLiteral("-d"), QStringLiteral("--name"), QStringLiteral("sigs"), QStringLiteral("--network"),
                 QStringLiteral("none"), QStringLiteral("localhost/demo"), QStringLiteral("sh"), QStringLiteral("-c"),
                 show + QStringLiteral("; sleep 300")}).exitCode, 0);
    QTRY_COMPARE_WITH_TIMEOUT(ph({QStringLiteral("logs"), QStringLiteral("sigs")}).out, clean, 5000);
    QCOMPARE(ph({QStringLiteral("exec"), QStringLiteral("sigs"), QStringLiteral("sh"), QStringLiteral("-c"), show}).out, clean);
    // `yes | head` ends: yes dies of SIGPIPE instead of spinning on EPIPE.
    QCOMPARE(ph({QStringLiteral("exec"), QStringLiteral("sigs"), QStringLiteral("sh"), QStringLiteral("-c"),
                 QStringLiteral("yes | head -n 2 | wc -l")}).out.trimmed(), QByteArray("2"));
    ph({QStringLiteral("rm"), QStringLiteral("-f"), QStringLiteral("sigs")});
}

void TestRun::hostnameEnvUserWorkdir()
{
    const RunResult r = ph({QStringLiteral("run"), QStringLiteral("--rm"), QStringLiteral("--network"), QStringLiteral("none"),
                            QStringLiteral("-h"), QStringLiteral("kiwi"), QStringLiteral("-e"), QStringLiteral("GREETING=안녕"),
                            QStringLiteral("-u"), QStringLiteral("nobody"), QStringLiteral("-w"), QStringLiteral("/tmp/work"),
                            QStringLiteral("localhost/demo"), QStringLiteral("sh"), QStringLiteral("-c"),
                            QStringLiteral("hostname; echo $GREETING; id -u; id -g; pwd")});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QCOMPARE(QString::fromUtf8(r.out), QStringLiteral("kiwi\n안녕\n65534\n65534\n/tmp/work\n"));
}

void TestRun::detachedLifecycle()
{
    const RunResult run = ph({QStringLiteral("run"), QStringLiteral("-d"), QStringLiteral("--name"), QStringLiteral("sleeper"),
                              QStringLiteral("--network"), QStringLiteral("none"), QStringLiteral("localhost/demo"),
                              QStringLiteral("sh"), QStringLiteral("-c"), QStringLiteral("echo hello; sleep 300")});
    QVERIFY2(run.exitCode == 0, run.err.constData());
    QCOMPARE(run.out.trimmed().size(), 64);
    // The process that started it is gone; the container is not.
    const RunResult ps = ph({QStringLiteral("ps")});
    QVERIFY2(ps.out.contains("sleeper") && ps.out.contains("Up "), ps.out.constData());
    QTRY_VERIFY_WITH_TIMEOUT(ph({QStringLiteral("logs"), QStringLiteral("sleeper")}).out == "hello\n", 5000);
    QCOMPARE(ph({QStringLiteral("pause"), QStringLiteral("sleeper")}).exitCode, 0);
    QVERIFY(ph({QStringLiteral("ps")}).out.contains("(Paused)"));
    QCOMPARE(ph({QStringLiteral("unpause"), QStringLiteral("sleeper")}).exitCode, 0);
    const RunResult stop = ph({QStringLiteral("stop"), QStringLiteral("-t"), QStringLiteral("1"), QStringLiteral("sleeper")});
    QVERIFY2(stop.exitCode == 0, stop.err.constData());
    const RunResult all = ph({QStringLiteral("ps"), QStringLiteral("-a")});
    QVERIFY2(all.out.contains("Exited (137)"), all.out.constData()); // sh ignores TERM as PID 1: killed
    QCOMPARE(ph({QStringLiteral("wait"), QStringLiteral("sleeper")}).out.trimmed(), QByteArray("137"));
    QCOMPARE(ph({QStringLiteral("rm"), QStringLiteral("sleeper")}).exitCode, 0);
    QCOMPARE(ph({QStringLiteral("ps"), QStringLiteral("-aq")}).out.trimmed(), QByteArray());
}

void TestRun::removeWithRm()
{
    const RunResult running = ph({QStringLiteral("run"), QStringLiteral("-d"), QStringLiteral("--network"), QStringLiteral("none"),
                                  QStringLiteral("localhost/demo"), QStringLiteral("sleep"), QStringLiteral("300")});
    QCOMPARE(running.exitCode, 0);
    const QString id = QString::fromLatin1(running.out.trimmed());
    const RunResult refused = ph({QStringLiteral("rm"), id});
    QCOMPARE(refused.exitCode, 1);
    QVERIFY2(refused.err.contains("stop the container before removing or force remove"), refused.err.constData());
    const RunResult removed = ph({QStringLiteral("rm"), QStringLiteral("-f"), id});
    QVERIFY2(removed.exitCode == 0, removed.err.constData());
    QCOMPARE(ph({QStringLiteral("ps"), QStringLiteral("-aq")}).out.trimmed(), QByteArray());

    // rm -f of a container that ends by itself while rm looks at it (a
    // command that exits at once): nothing is left to kill, and it goes.
    for (int round = 0; round < 15; ++round) {
        const QString name = QStringLiteral("quick%1").arg(round);
        QCOMPARE(ph({QStringLiteral("create"), QStringLiteral("--name"), name, QStringLiteral("--network"), QStringLiteral("none"),
                     QStringLiteral("localhost/demo"), QStringLiteral("true")}).exitCode, 0);
        QCOMPARE(ph({QStringLiteral("start"), name}).exitCode, 0);
        const RunResult gone = ph({QStringLiteral("rm"), QStringLiteral("-f"), name});
        QVERIFY2(gone.exitCode == 0, gone.err.constData());
    }
    QCOMPARE(ph({QStringLiteral("ps"), QStringLiteral("-aq")}).out.trimmed(), QByteArray());
}

void TestRun::networkNone()
{
    const RunResult r = ph({QStringLiteral("run"), QStringLiteral("--rm"), QStringLiteral("--network"), QStringLiteral("none"),
                            QStringLiteral("localhost/demo"), QStringLiteral("sh"), QStringLiteral("-c"),
                            QStringLiteral("ls /sys/class/net")});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QCOMPARE(r.out.trimmed(), QByteArray("lo"));
}

// The GUI, being threaded, starts shims by exec (`porthole __shim`), not by
// fork alone as the CLI does: the same container, through that path.
void TestRun::execedShim()
{
    QProcessEnvironment env = porthole::test::demoEnvironment();
    env.insert(QStringLiteral("PORTHOLE_SHIM_EXEC"), QStringLiteral("1"));
    const RunResult r = porthole::test::runPorthole(
        m_root.path(),
        {QStringLiteral("run"), QStringLiteral("--rm"), QStringLiteral("--network"), QStringLiteral("none"),
         QStringLiteral("localhost/demo"), QStringLiteral("sh"), QStringLiteral("-c"), QStringLiteral("cat /proc/1/cmdline; exit 3")},
        {}, 60000, env);
    QCOMPARE(r.exitCode, 3);
    QCOMPARE(r.out, QByteArray("sh\0-c\0cat /proc/1/cmdline; exit 3\0", 34));
}

QTEST_GUILESS_MAIN(TestRun)
#include "tst_run.moc"
