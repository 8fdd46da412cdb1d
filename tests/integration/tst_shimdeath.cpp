// When a container's shim dies (kill -9), nothing of the container may run
// on untracked: its first process dies with the shim even after switching
// to another user (which clears PR_SET_PDEATHSIG), a process that escaped
// is killed through the cgroup when the container is next looked at, start
// refuses while processes remain, and rm kills them before it removes the
// files. Needs root.
#include "runtime/cgroup.h"
#include "support/testsupport.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QScopeGuard>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <csignal>
#include <cerrno>

using porthole::test::RunResult;
using porthole::runtime::Cgroup;

namespace {

// A process is gone when it is no more, or only a zombie waiting for a reaper.
bool processGone(qint64 pid)
{
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return true;
    const QByteArray text = stat.readAll();
    const qsizetype close = text.lastIndexOf(')');
    return close > 0 && text.mid(close + 2, 1) == "Z";
}

bool waitGone(qint64 pid, int ms)
{
    QDeadlineTimer deadline(ms);
    while (!processGone(pid)) {
        if (deadline.hasExpired())
            return false;
        QThread::msleep(20);
    }
    return true;
}

} // namespace

class TestShimDeath : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void nonRootContainerDiesWithItsShim();
    void escapedProcessKilledWhenLookedAt();
    void startRefusedWhileProcessesRemain();

private:
    RunResult ph(const QStringList &args) { return porthole::test::runWithDemo(m_root.path(), args, {}, 60000); }
    QString idOf(const QString &name)
    {
        return QString::fromLatin1(ph({QStringLiteral("inspect"), QStringLiteral("-f"), QStringLiteral("{{.Id}}"), name}).out.trimmed());
    }
    QJsonObject state(const QString &id)
    {
        QFile f(m_root.path() + QStringLiteral("/containers/") + id + QStringLiteral("/state.json"));
        return f.open(QIODevice::ReadOnly) ? QJsonDocument::fromJson(f.readAll()).object() : QJsonObject();
    }
    QTemporaryDir m_root;
};

void TestShimDeath::initTestCase()
{
    if (const QString why = porthole::test::containerSkipReason(); !why.isEmpty())
        QSKIP(qPrintable(why));
    QVERIFY(m_root.isValid());
    QVERIFY2(porthole::test::demoImageReady(m_root.path()), "the demo image was not created");
}

void TestShimDeath::cleanupTestCase()
{
    if (porthole::test::containerSkipReason().isEmpty())
        porthole::test::removeAllContainers(m_root.path());
}

void TestShimDeath::nonRootContainerDiesWithItsShim()
{
    RunResult r = ph({QStringLiteral("run"), QStringLiteral("-d"), QStringLiteral("--name"), QStringLiteral("nobodys"), QStringLiteral("-u"),
                      QStringLiteral("65534"), QStringLiteral("--network"), QStringLiteral("none"), QStringLiteral("localhost/demo"),
                      QStringLiteral("sleep"), QStringLiteral("300")});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const QString id = idOf(QStringLiteral("nobodys"));
    const QJsonObject s = state(id);
    const qint64 pid = qint64(s.value(QStringLiteral("Pid")).toDouble());
    const qint64 shim = qint64(s.value(QStringLiteral("ShimPid")).toDouble());
    QVERIFY(pid > 0 && shim > 0);
    QVERIFY(!processGone(pid));
    QCOMPARE(::kill(pid_t(shim), SIGKILL), 0);
    const bool gone = waitGone(pid, 5000);
    if (!gone)
        ::kill(pid_t(pid), SIGKILL); // leave the machine clean either way
    QVERIFY2(gone, "the container's process outlived its shim");

    r = ph({QStringLiteral("ps"), QStringLiteral("-a")});
    QVERIFY2(r.out.contains("Exited (255)"), r.out.constData());
    // It can run again, and be removed.
    r = ph({QStringLiteral("start"), QStringLiteral("nobodys")});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    r = ph({QStringLiteral("rm"), QStringLiteral("-f"), QStringLiteral("nobodys")});
    QVERIFY2(r.exitCode == 0, r.err.constData());
}

void TestShimDeath::escapedProcessKilledWhenLookedAt()
{
    RunResult r = ph({QStringLiteral("run"), QStringLiteral("-d"), QStringLiteral("--name"), QStringLiteral("leaky"), QStringLiteral("--network"),
                      QStringLiteral("none"), QStringLiteral("localhost/demo"), QStringLiteral("sleep"), QStringLiteral("300")});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const QString id = idOf(QStringLiteral("leaky"));
    // A process in the container's cgroup but not under its PID 1 (what a
    // process the container forked away looks like to the host).
    QProcess stray;
    stray.start(QStringLiteral("sleep"), {QStringLiteral("300")});
    QVERIFY(stray.waitForStarted());
    const auto cleanup = qScopeGuard([&] { stray.kill(); stray.waitForFinished(); });
    auto cg = Cgroup::open(porthole::runtime::containerCgroupPath(id));
    QVERIFY2(cg, cg ? "" : qPrintable(cg.error().message));
    QVERIFY(cg->addProcess(pid_t(stray.processId())));

    const qint64 shim = qint64(state(id).value(QStringLiteral("ShimPid")).toDouble());
    QCOMPARE(::kill(pid_t(shim), SIGKILL), 0);
    QVERIFY(waitGone(shim, 5000));
    QVERIFY2(stray.state() == QProcess::Running, "nothing should have touched the stray process yet");
    // The next look at the container settles it.
    r = ph({QStringLiteral("ps"), QStringLiteral("-a")});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QVERIFY2(stray.waitForFinished(5000), "the process left in the cgroup of a container whose shim died still runs");
    QVERIFY2(r.out.contains("Exited (255)"), r.out.constData());
    r = ph({QStringLiteral("rm"), QStringLiteral("leaky")});
    QVERIFY2(r.exitCode == 0, r.err.constData());
}

void TestShimDeath::startRefusedWhileProcessesRemain()
{
    RunResult r = ph({QStringLiteral("create"), QStringLiteral("--name"), QStringLiteral("busy"), QStringLiteral("--network"), QStringLiteral("none"),
                      QStringLiteral("localhost/demo"), QStringLiteral("true")});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const QString id = QString::fromLatin1(r.out.trimmed());
    QProcess stray;
    stray.start(QStringLiteral("sleep"), {QStringLiteral("300")});
    QVERIFY(stray.waitForStarted());
    const auto cleanup = qScopeGuard([&] { stray.kill(); stray.waitForFinished(); });
    auto cg = Cgroup::create(porthole::runtime::containerCgroupPath(id));
    QVERIFY2(cg, cg ? "" : qPrintable(cg.error().message));
    QVERIFY(cg->addProcess(pid_t(stray.processId())));

    r = ph({QStringLiteral("start"), QStringLiteral("busy")});
    QVERIFY(r.exitCode != 0);
    QVERIFY2(r.err.contains("still has processes from its last run"), r.err.constData());
    // rm kills what is in the cgroup before the files go.
    r = ph({QStringLiteral("rm"), QStringLiteral("busy")});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QVERIFY2(stray.waitForFinished(5000), "rm left a process of the container running");
    QVERIFY(!Cgroup::open(porthole::runtime::containerCgroupPath(id)));
}

QTEST_GUILESS_MAIN(TestShimDeath)
#include "tst_shimdeath.moc"
