// `run --stop-signal`: the signal `stop` sends first, recorded with the
// container and shown by inspect as docker's Config.StopSignal; a name
// that is no signal is refused before anything is made. Needs root.
#include "support/testsupport.h"

#include <QTemporaryDir>
#include <QThread>
#include <QTest>

using porthole::test::RunResult;

class TestStopSignal : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void stopSendsTheContainersSignal();
    void imageDefaultStaysSigterm();
    void unknownSignalIsRefused();

private:
    RunResult ph(const QStringList &args) { return porthole::test::runWithDemo(m_root.path(), args, {}, 60000); }
    QString field(const QString &format, const QString &name)
    {
        return QString::fromUtf8(ph({QStringLiteral("inspect"), QStringLiteral("-f"), format, name}).out.trimmed());
    }
    // A shell that exits 7 on SIGUSR1 and, as PID 1 without a handler,
    // ignores SIGTERM.
    static QStringList trappingShell()
    {
        return {QStringLiteral("sh"), QStringLiteral("-c"), QStringLiteral("trap 'exit 7' USR1; while :; do sleep 0.1; done")};
    }
    QTemporaryDir m_root;
};

void TestStopSignal::initTestCase()
{
    if (const QString why = porthole::test::containerSkipReason(); !why.isEmpty())
        QSKIP(qPrintable(why));
    QVERIFY(m_root.isValid());
    QVERIFY2(porthole::test::demoImageReady(m_root.path()), "the demo image was not created");
}

void TestStopSignal::cleanupTestCase() { porthole::test::removeAllContainers(m_root.path()); }

void TestStopSignal::stopSendsTheContainersSignal()
{
    const RunResult run = ph(QStringList{QStringLiteral("run"), QStringLiteral("-d"), QStringLiteral("--network"), QStringLiteral("none"),
                                         QStringLiteral("--name"), QStringLiteral("usr1"), QStringLiteral("--stop-signal"),
                                         QStringLiteral("SIGUSR1"), QStringLiteral("localhost/demo")}
                             + trappingShell());
    QVERIFY2(run.exitCode == 0, run.err.constData());
    QCOMPARE(field(QStringLiteral("{{.Config.StopSignal}}"), QStringLiteral("usr1")), QStringLiteral("SIGUSR1"));
    QThread::msleep(300); // the trap is set
    const RunResult stop = ph({QStringLiteral("stop"), QStringLiteral("-t"), QStringLiteral("20"), QStringLiteral("usr1")});
    QVERIFY2(stop.exitCode == 0, stop.err.constData());
    QCOMPARE(field(QStringLiteral("{{.State.ExitCode}}"), QStringLiteral("usr1")), QStringLiteral("7"));
}

void TestStopSignal::imageDefaultStaysSigterm()
{
    // The same shell without the flag gets SIGTERM, which PID 1 ignores:
    // stop waits out its time and kills it.
    const RunResult run = ph(QStringList{QStringLiteral("run"), QStringLiteral("-d"), QStringLiteral("--network"), QStringLiteral("none"),
                                         QStringLiteral("--name"), QStringLiteral("term"), QStringLiteral("localhost/demo")}
                             + trappingShell());
    QVERIFY2(run.exitCode == 0, run.err.constData());
    QThread::msleep(300);
    const RunResult stop = ph({QStringLiteral("stop"), QStringLiteral("-t"), QStringLiteral("1"), QStringLiteral("term")});
    QVERIFY2(stop.exitCode == 0, stop.err.constData());
    QCOMPARE(field(QStringLiteral("{{.State.ExitCode}}"), QStringLiteral("term")), QStringLiteral("137"));
}

void TestStopSignal::unknownSignalIsRefused()
{
    const RunResult run = ph({QStringLiteral("run"), QStringLiteral("--name"), QStringLiteral("bad"), QStringLiteral("--stop-signal"),
                              QStringLiteral("SIGNOPE"), QStringLiteral("localhost/demo"), QStringLiteral("true")});
    QCOMPARE(run.exitCode, 125);
    QVERIFY2(run.err.contains("invalid signal: SIGNOPE"), run.err.constData());
    const RunResult ps = ph({QStringLiteral("ps"), QStringLiteral("-a")});
    QVERIFY2(!ps.out.contains("bad"), ps.out.constData());
}

QTEST_GUILESS_MAIN(TestStopSignal)
#include "tst_stopsignal.moc"
