// Resource limits on real containers of the demo image: a fork bomb stops at
// the pids limit, -m kills a 200 MB allocation with OOM (exit 137), the
// limits reach the cgroup files, /proc/self/limits and inspect, `update`
// changes a running container's cgroup, and bad values get docker's
// sentences. The cgroup files are read from the host. Needs root.
#include "support/testsupport.h"

#include "runtime/cgroup.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <csignal>
#include <sched.h>
#include <sys/resource.h>
#include <unistd.h>

using porthole::test::RunResult;

namespace {

constexpr qint64 MiB = 1024 * 1024;

QString describe(const RunResult &r)
{
    return QStringLiteral("exit %1\nstdout: %2\nstderr: %3").arg(r.exitCode).arg(QString::fromUtf8(r.out), QString::fromUtf8(r.err));
}

} // namespace

class TestRunLimits : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void cleanup();
    void defaultPidsLimit();
    void forkBombStopsAtPidsLimit();
    void memoryLimitKillsWithOom();
    void limitsReachCgroupProcessAndInspect();
    void updateChangesARunningContainer();
    void badValues_data();
    void badValues();

private:
    RunResult ph(const QStringList &args, int timeoutMs = 60000)
    {
        return porthole::test::runWithDemo(m_root.path(), args, {}, timeoutMs);
    }
    // `run -d --network none --name NAME [extra] demo ARGS...`; the id, or empty.
    QString startDetached(const QString &name, const QStringList &extra, const QStringList &command)
    {
        const RunResult r = ph(QStringList{QStringLiteral("run"), QStringLiteral("-d"), QStringLiteral("--network"), QStringLiteral("none"),
                                           QStringLiteral("--name"), name}
                               + extra + QStringList{QStringLiteral("localhost/demo")} + command);
        if (r.exitCode != 0)
            qWarning("run failed: %s", qPrintable(describe(r)));
        return r.exitCode == 0 ? QString::fromLatin1(r.out.trimmed()) : QString();
    }
    QJsonObject inspect(const QString &name)
    {
        const RunResult r = ph({QStringLiteral("inspect"), name});
        return QJsonDocument::fromJson(r.out).array().first().toObject();
    }
    // A control file of the container's cgroup, from the host ("" when missing).
    QByteArray cgroupFile(const QString &id, const QString &file)
    {
        auto cg = porthole::runtime::Cgroup::open(porthole::runtime::containerCgroupPath(id));
        if (!cg)
            return {};
        for (const QString &dir : cg->directories()) {
            QFile f(dir + u'/' + file);
            if (f.open(QIODevice::ReadOnly))
                return f.readAll().trimmed();
        }
        return {};
    }
    QTemporaryDir m_root;
};

void TestRunLimits::initTestCase()
{
    if (const QString why = porthole::test::containerSkipReason(); !why.isEmpty())
        QSKIP(qPrintable(why));
    QVERIFY(m_root.isValid());
    QVERIFY2(porthole::test::demoImageReady(m_root.path()), "the demo image was not created");
}

void TestRunLimits::cleanupTestCase()
{
    if (porthole::test::containerSkipReason().isEmpty())
        porthole::test::removeAllContainers(m_root.path());
}

void TestRunLimits::cleanup()
{
    // Each test starts with no container, whatever the last one left.
    if (porthole::test::containerSkipReason().isEmpty())
        porthole::test::removeAllContainers(m_root.path());
}

void TestRunLimits::defaultPidsLimit()
{
    const QString id = startDetached(QStringLiteral("plain"), {}, {QStringLiteral("sleep"), QStringLiteral("300")});
    QVERIFY(!id.isEmpty());
    QCOMPARE(cgroupFile(id, QStringLiteral("pids.max")), QByteArray("2048"));
    const QJsonObject hc = inspect(QStringLiteral("plain")).value(QStringLiteral("HostConfig")).toObject();
    QCOMPARE(hc.value(QStringLiteral("PidsLimit")).toInteger(), qint64(2048));
    QCOMPARE(hc.value(QStringLiteral("Memory")).toInteger(-1), qint64(0));
    QCOMPARE(hc.value(QStringLiteral("MemorySwap")).toInteger(-1), qint64(0));
    QCOMPARE(hc.value(QStringLiteral("NanoCpus")).toInteger(-1), qint64(0));
    QCOMPARE(hc.value(QStringLiteral("Ulimits")).toArray().size(), 0);
    // docker's -1: no limit at all, shown as null.
    const QString unlimited = startDetached(QStringLiteral("free"), {QStringLiteral("--pids-limit"), QStringLiteral("-1")},
                                            {QStringLiteral("sleep"), QStringLiteral("300")});
    QVERIFY(!unlimited.isEmpty());
    QCOMPARE(cgroupFile(unlimited, QStringLiteral("pids.max")), QByteArray("max"));
    QVERIFY(inspect(QStringLiteral("free")).value(QStringLiteral("HostConfig")).toObject().value(QStringLiteral("PidsLimit")).isNull());
}

void TestRunLimits::forkBombStopsAtPidsLimit()
{
    // The inner shell forks sleepers until fork fails (ash then gives up);
    // PID 1 says so and stays, without forking again.
    const QString id = startDetached(
        QStringLiteral("bomb"), {QStringLiteral("--pids-limit"), QStringLiteral("64")},
        {QStringLiteral("sh"), QStringLiteral("-c"),
         QStringLiteral("(while :; do sleep 1000 & done) 2>/dev/null; echo stopped; exec sleep 1000")});
    QVERIFY(!id.isEmpty());
    QByteArray log;
    for (int i = 0; i < 300 && !log.contains("stopped"); ++i) {
        QThread::msleep(100);
        log = ph({QStringLiteral("logs"), QStringLiteral("bomb")}).out;
    }
    QVERIFY2(log.contains("stopped"), log.constData());
    QCOMPARE(cgroupFile(id, QStringLiteral("pids.max")), QByteArray("64"));
    const qint64 current = cgroupFile(id, QStringLiteral("pids.current")).toLongLong();
    QVERIFY2(current >= 60 && current <= 64, qPrintable(QString::number(current)));
    // The kernel refused forks at the limit.
    QVERIFY2(cgroupFile(id, QStringLiteral("pids.events")).startsWith("max ") && !cgroupFile(id, QStringLiteral("pids.events")).endsWith(" 0"),
             cgroupFile(id, QStringLiteral("pids.events")).constData());
    // The host still forks.
    QCOMPARE(porthole::test::runProgram(QStringLiteral("/bin/sh"), {QStringLiteral("-c"), QStringLiteral("exit 3")}).exitCode, 3);
    // stats counts them as the cgroup does.
    const RunResult stats = ph({QStringLiteral("stats"), QStringLiteral("--no-stream"), QStringLiteral("bomb")});
    QCOMPARE(stats.exitCode, 0);
    const QByteArray row = stats.out.trimmed().split('\n').last().simplified();
    QVERIFY2(row.endsWith(' ' + QByteArray::number(current)), stats.out.constData());

    const QList<QByteArray> pids = cgroupFile(id, QStringLiteral("cgroup.procs")).split('\n');
    QVERIFY(pids.size() >= 60);
    const RunResult rm = ph({QStringLiteral("rm"), QStringLiteral("-f"), QStringLiteral("bomb")});
    QVERIFY2(rm.exitCode == 0, qPrintable(describe(rm)));
    QVERIFY(!porthole::runtime::Cgroup::open(porthole::runtime::containerCgroupPath(id)));
    for (const QByteArray &pid : pids)
        QVERIFY2(::kill(pid.toInt(), 0) != 0, pid.constData());
    QCOMPARE(ph({QStringLiteral("ps"), QStringLiteral("-aq")}).out.trimmed(), QByteArray());
}

void TestRunLimits::memoryLimitKillsWithOom()
{
    // ash keeps a command substitution's output in its own memory: 200 MB
    // of it in a 64 MiB cgroup (no swap here either way).
    const QString script = QStringLiteral("x=$(head -c 200000000 /dev/zero | tr '\\000' a); echo survived ${#x}");
    const RunResult r = ph({QStringLiteral("run"), QStringLiteral("--name"), QStringLiteral("oom"), QStringLiteral("--network"),
                            QStringLiteral("none"), QStringLiteral("-m"), QStringLiteral("64m"), QStringLiteral("localhost/demo"),
                            QStringLiteral("sh"), QStringLiteral("-c"), script},
                           120000);
    QVERIFY2(r.exitCode == 137, qPrintable(describe(r)));
    QVERIFY(!r.out.contains("survived"));
    const QJsonObject state = inspect(QStringLiteral("oom")).value(QStringLiteral("State")).toObject();
    QCOMPARE(state.value(QStringLiteral("OOMKilled")).toBool(), true);
    QCOMPARE(state.value(QStringLiteral("ExitCode")).toInt(), 137);

    // The same allocation without a limit survives: the limit is what killed it.
    const RunResult free = ph({QStringLiteral("run"), QStringLiteral("--rm"), QStringLiteral("--network"), QStringLiteral("none"),
                               QStringLiteral("localhost/demo"), QStringLiteral("sh"), QStringLiteral("-c"), script},
                              120000);
    QVERIFY2(free.exitCode == 0 && free.out.contains("survived 200000000"), qPrintable(describe(free)));
}

void TestRunLimits::limitsReachCgroupProcessAndInspect()
{
    const QString id = startDetached(QStringLiteral("lim"),
                                     {QStringLiteral("-m"), QStringLiteral("64m"), QStringLiteral("--memory-swap"), QStringLiteral("96m"),
                                      QStringLiteral("--cpus"), QStringLiteral("0.5"), QStringLiteral("--cpu-shares"), QStringLiteral("512"),
                                      QStringLiteral("--ulimit"), QStringLiteral("nofile=1024:2048"), QStringLiteral("--ulimit"),
                                      QStringLiteral("core=0")},
                                     {QStringLiteral("sleep"), QStringLiteral("300")});
    QVERIFY(!id.isEmpty());
    const bool v1 = !cgroupFile(id, QStringLiteral("memory.limit_in_bytes")).isEmpty();
    if (v1) {
        QCOMPARE(cgroupFile(id, QStringLiteral("memory.limit_in_bytes")), QByteArray::number(64 * MiB));
        QCOMPARE(cgroupFile(id, QStringLiteral("memory.memsw.limit_in_bytes")), QByteArray::number(96 * MiB));
        QCOMPARE(cgroupFile(id, QStringLiteral("cpu.cfs_quota_us")), QByteArray("50000"));
        QCOMPARE(cgroupFile(id, QStringLiteral("cpu.cfs_period_us")), QByteArray("100000"));
        QCOMPARE(cgroupFile(id, QStringLiteral("cpu.shares")), QByteArray("512"));
    } else {
        QCOMPARE(cgroupFile(id, QStringLiteral("memory.max")), QByteArray::number(64 * MiB));
        QCOMPARE(cgroupFile(id, QStringLiteral("memory.swap.max")), QByteArray::number(32 * MiB));
        QCOMPARE(cgroupFile(id, QStringLiteral("cpu.max")), QByteArray("50000 100000"));
        QCOMPARE(cgroupFile(id, QStringLiteral("cpu.weight")), QByteArray("59"));
    }
    // PID 1 and an exec'd process both run with the ulimits.
    for (const QString &pid : {QStringLiteral("1"), QStringLiteral("self")}) {
        const RunResult limits = ph({QStringLiteral("exec"), QStringLiteral("lim"), QStringLiteral("cat"), QStringLiteral("/proc/%1/limits").arg(pid)});
        QVERIFY2(limits.exitCode == 0, qPrintable(describe(limits)));
        QByteArrayList lines;
        for (const QByteArray &line : limits.out.split('\n'))
            lines.append(line.simplified());
        QVERIFY2(lines.contains("Max open files 1024 2048 files"), limits.out.constData());
        QVERIFY2(lines.contains("Max core file size 0 0 bytes"), limits.out.constData());
    }
    const QJsonObject hc = inspect(QStringLiteral("lim")).value(QStringLiteral("HostConfig")).toObject();
    QCOMPARE(hc.value(QStringLiteral("Memory")).toInteger(), 64 * MiB);
    QCOMPARE(hc.value(QStringLiteral("MemorySwap")).toInteger(), 96 * MiB);
    QCOMPARE(hc.value(QStringLiteral("NanoCpus")).toInteger(), qint64(500000000));
    QCOMPARE(hc.value(QStringLiteral("CpuShares")).toInteger(), qint64(512));
    QCOMPARE(hc.value(QStringLiteral("PidsLimit")).toInteger(), qint64(2048));
    const QJsonArray ulimits = hc.value(QStringLiteral("Ulimits")).toArray();
    QCOMPARE(ulimits.size(), 2);
    QCOMPARE(ulimits[0].toObject(), (QJsonObject{{QStringLiteral("Name"), QStringLiteral("nofile")},
                                                 {QStringLiteral("Soft"), 1024},
                                                 {QStringLiteral("Hard"), 2048}}));
    QCOMPARE(inspect(QStringLiteral("lim")).value(QStringLiteral("State")).toObject().value(QStringLiteral("OOMKilled")).toBool(), false);
    // stats shows the limit, not the machine's memory.
    const RunResult stats = ph({QStringLiteral("stats"), QStringLiteral("--no-stream"), QStringLiteral("lim")});
    QVERIFY2(stats.exitCode == 0 && stats.out.contains(" / 64MiB"), qPrintable(describe(stats)));

    // -m alone: docker records twice the memory as memory+swap.
    const QString twice = startDetached(QStringLiteral("twice"), {QStringLiteral("-m"), QStringLiteral("32m")},
                                        {QStringLiteral("sleep"), QStringLiteral("300")});
    QVERIFY(!twice.isEmpty());
    QCOMPARE(inspect(QStringLiteral("twice")).value(QStringLiteral("HostConfig")).toObject().value(QStringLiteral("MemorySwap")).toInteger(),
             64 * MiB);
}

void TestRunLimits::updateChangesARunningContainer()
{
    const QString id = startDetached(QStringLiteral("up"), {QStringLiteral("-m"), QStringLiteral("64m")},
                                     {QStringLiteral("sleep"), QStringLiteral("300")});
    QVERIFY(!id.isEmpty());
    const bool v1 = !cgroupFile(id, QStringLiteral("memory.limit_in_bytes")).isEmpty();
    const QString memoryFile = v1 ? QStringLiteral("memory.limit_in_bytes") : QStringLiteral("memory.max");

    RunResult r = ph({QStringLiteral("update"), QStringLiteral("-m"), QStringLiteral("256m"), QStringLiteral("up")});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("Cannot update container " + id.toLatin1() + ": Memory limit should be smaller than already set "
                            "memoryswap limit, update the memoryswap at the same time"),
             r.err.constData());
    QCOMPARE(cgroupFile(id, memoryFile), QByteArray::number(64 * MiB));

    r = ph({QStringLiteral("update"), QStringLiteral("-m"), QStringLiteral("256m"), QStringLiteral("--memory-swap"), QStringLiteral("512m"),
            QStringLiteral("--cpus"), QStringLiteral("1"), QStringLiteral("--cpu-shares"), QStringLiteral("256"), QStringLiteral("--pids-limit"),
            QStringLiteral("100"), QStringLiteral("up")});
    QVERIFY2(r.exitCode == 0 && r.out == "up\n", qPrintable(describe(r)));
    QCOMPARE(cgroupFile(id, memoryFile), QByteArray::number(256 * MiB));
    QCOMPARE(cgroupFile(id, QStringLiteral("pids.max")), QByteArray("100"));
    if (v1) {
        QCOMPARE(cgroupFile(id, QStringLiteral("memory.memsw.limit_in_bytes")), QByteArray::number(512 * MiB));
        QCOMPARE(cgroupFile(id, QStringLiteral("cpu.cfs_quota_us")), QByteArray("100000"));
        QCOMPARE(cgroupFile(id, QStringLiteral("cpu.shares")), QByteArray("256"));
    } else {
        QCOMPARE(cgroupFile(id, QStringLiteral("cpu.max")), QByteArray("100000 100000"));
    }
    QJsonObject hc = inspect(QStringLiteral("up")).value(QStringLiteral("HostConfig")).toObject();
    QCOMPARE(hc.value(QStringLiteral("Memory")).toInteger(), 256 * MiB);
    QCOMPARE(hc.value(QStringLiteral("NanoCpus")).toInteger(), qint64(1000000000));
    QCOMPARE(hc.value(QStringLiteral("PidsLimit")).toInteger(), qint64(100));

    // Stopped: the record only; the next start applies it.
    QCOMPARE(ph({QStringLiteral("kill"), QStringLiteral("up")}).exitCode, 0);
    QCOMPARE(ph({QStringLiteral("wait"), QStringLiteral("up")}).exitCode, 0);
    r = ph({QStringLiteral("update"), QStringLiteral("--pids-limit"), QStringLiteral("50"), QStringLiteral("up")});
    QVERIFY2(r.exitCode == 0, qPrintable(describe(r)));
    QVERIFY(!porthole::runtime::Cgroup::open(porthole::runtime::containerCgroupPath(id)));
    QCOMPARE(inspect(QStringLiteral("up")).value(QStringLiteral("HostConfig")).toObject().value(QStringLiteral("PidsLimit")).toInteger(),
             qint64(50));
    QCOMPARE(ph({QStringLiteral("start"), QStringLiteral("up")}).exitCode, 0);
    QCOMPARE(cgroupFile(id, QStringLiteral("pids.max")), QByteArray("50"));
    QCOMPARE(cgroupFile(id, memoryFile), QByteArray::number(256 * MiB));

    r = ph({QStringLiteral("update"), QStringLiteral("up")});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("you must provide one or more flags when using this command"), r.err.constData());
}

void TestRunLimits::badValues_data()
{
    QTest::addColumn<QStringList>("flags");
    QTest::addColumn<QString>("error");
    cpu_set_t set;
    CPU_ZERO(&set);
    QVERIFY(::sched_getaffinity(0, sizeof set, &set) == 0);
    const int cpus = CPU_COUNT(&set);
    QTest::newRow("parse") << QStringList{"-m", "lots"}
                           << "invalid argument \"lots\" for \"-m, --memory\" flag: invalid size: 'lots'\nSee 'porthole create --help'.";
    QTest::newRow("min memory") << QStringList{"-m", "5m"} << "Minimum memory limit allowed is 6MB";
    QTest::newRow("swap below memory") << QStringList{"-m", "64m", "--memory-swap", "32m"}
                                       << "Minimum memoryswap limit should be larger than memory limit, see usage";
    QTest::newRow("swap alone") << QStringList{"--memory-swap", "64m"}
                                << "You should always set the Memory limit when using Memoryswap limit, see usage";
    QTest::newRow("cpus") << QStringList{"--cpus", QString::number(cpus + 1)}
                          << QStringLiteral("Range of CPUs is from 0.01 to %1.00, as there are only %1 CPUs available").arg(cpus);
    QTest::newRow("ulimit") << QStringList{"--ulimit", "nofile=1:bad"}
                            << "invalid argument \"nofile=1:bad\" for \"--ulimit\" flag: strconv.ParseInt: parsing \"bad\": invalid syntax";
    rlimit nofile{};
    ::getrlimit(RLIMIT_NOFILE, &nofile);
    // Only where this process cannot raise its hard limit (CI: no CAP_SYS_RESOURCE, 20000).
    const qint64 above = qint64(nofile.rlim_max) + 1000;
    QTest::newRow("ulimit above the hard limit")
        << QStringList{"--ulimit", QStringLiteral("nofile=%1").arg(above)}
        << QStringLiteral("--ulimit nofile=%1: the hard limit %1 is above this host's %2, and raising a hard limit needs "
                          "CAP_SYS_RESOURCE, which porthole does not have here")
               .arg(above)
               .arg(nofile.rlim_max);
}

void TestRunLimits::badValues()
{
    QFETCH(QStringList, flags);
    QFETCH(QString, error);
    if (QByteArray(QTest::currentDataTag()) == "ulimit above the hard limit") {
        QFile status(QStringLiteral("/proc/self/status"));
        QVERIFY(status.open(QIODevice::ReadOnly));
        const QByteArray text = status.readAll();
        const qsizetype at = text.indexOf("CapEff:");
        const quint64 eff = text.mid(at + 7, text.indexOf('\n', at) - at - 7).trimmed().toULongLong(nullptr, 16);
        if (eff & (quint64(1) << 24))
            QSKIP("this host gives CAP_SYS_RESOURCE: any hard limit can be set");
    }
    const RunResult r = ph(QStringList{QStringLiteral("create")} + flags + QStringList{QStringLiteral("localhost/demo"), QStringLiteral("true")});
    QVERIFY2(r.exitCode == 125, qPrintable(describe(r)));
    QVERIFY2(QString::fromUtf8(r.err).contains(error), qPrintable(describe(r)));
    QCOMPARE(ph({QStringLiteral("ps"), QStringLiteral("-aq")}).out.trimmed(), QByteArray()); // nothing was created
}

QTEST_GUILESS_MAIN(TestRunLimits)
#include "tst_runlimits.moc"
