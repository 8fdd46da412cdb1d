// Which cgroup file gets which value for a container's limits: the pure
// functions for both layouts (so pure v2 is checked on our hybrid hosts),
// runc's shares-to-weight conversion, the "missing file" sentences, and
// Cgroup::applyLimits on this machine's real cgroups. On a hybrid host the
// real part runs again in a mount namespace with cgroup2 at /sys/fs/cgroup,
// where no controller is available: the clear errors for explicit limits,
// and no error for the defaults.
#include "runtime/cgroup.h"
#include "runtime/cgrouplimits.h"
#include "support/testsupport.h"

#include <QFile>
#include <QRandomGenerator>
#include <QTest>

#include <unistd.h>

using namespace porthole;
using namespace porthole::runtime;

Q_DECLARE_METATYPE(porthole::ResourceLimits)
Q_DECLARE_METATYPE(QList<CgroupWrite>)

namespace {

constexpr qint64 MiB = 1024 * 1024;

CgroupWrite v1(const char *controller, const char *file, const QByteArray &value, const char *flag = "")
{
    return {QLatin1String(controller), QLatin1String(file), value, QLatin1String(flag)};
}

CgroupWrite v2(const char *file, const QByteArray &value, const char *flag = "")
{
    return {QString(), QLatin1String(file), value, QLatin1String(flag)};
}

ResourceLimits limits(qint64 memory, qint64 swap, qint64 nanoCpus, qint64 shares, qint64 pids)
{
    ResourceLimits l;
    l.memory = memory;
    l.memorySwap = swap;
    l.nanoCpus = nanoCpus;
    l.cpuShares = shares;
    l.pidsLimit = pids;
    return l;
}

QString describe(const QList<CgroupWrite> &writes)
{
    QStringList lines;
    for (const CgroupWrite &w : writes)
        lines.append(QStringLiteral("%1/%2=%3 [%4]").arg(w.controller, w.file, QString::fromLatin1(w.value), w.flag));
    return lines.join(u'\n');
}

QByteArray readTrimmed(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll().trimmed() : QByteArray("<missing>");
}

// The directory of `controller`'s hierarchy among a cgroup's directories.
QString dirOf(const Cgroup &cg, const QString &file)
{
    for (const QString &d : cg.directories()) {
        if (QFile::exists(d + u'/' + file))
            return d;
    }
    return {};
}

// Removes the cgroup whatever the test body did.
struct CgroupGuard {
    Cgroup cg;
    ~CgroupGuard()
    {
        if (cg.isValid())
            (void)cg.remove();
    }
};

} // namespace

class TestCgroupLimits : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void cleanupTestCase();
    void v1Writes_data();
    void v1Writes();
    void v2Writes_data();
    void v2Writes();
    void cpuWeight_data();
    void cpuWeight();
    void missingFileSentences();
    void applyOnThisHost();
    void v1UpdateOrderHoldsInTheKernel();
    void pureV2LayoutInMountNamespace();

private:
    QString uniqueName() const
    {
        return QStringLiteral("porthole-test/limits%1-%2").arg(::getpid()).arg(QRandomGenerator::global()->generate64(), 0, 16);
    }
    bool canCreate() const { return ::geteuid() == 0 && Cgroup::layoutName() != QLatin1String("none"); }
};

void TestCgroupLimits::cleanupTestCase()
{
    if (auto parent = Cgroup::open(QStringLiteral("porthole-test")))
        for (const QString &d : parent->directories())
            ::rmdir(QFile::encodeName(d).constData()); // fails harmlessly while another test uses it
}

void TestCgroupLimits::v1Writes_data()
{
    QTest::addColumn<ResourceLimits>("limits");
    QTest::addColumn<qint64>("currentMemory");
    QTest::addColumn<QList<CgroupWrite>>("expected");
    QTest::newRow("defaults: every file reset, pids at podman's 2048")
        << ResourceLimits() << qint64(-1)
        << QList<CgroupWrite>{v1("memory", "memory.memsw.limit_in_bytes", "-1"), v1("memory", "memory.limit_in_bytes", "-1"),
                              v1("cpu", "cpu.cfs_period_us", "100000"), v1("cpu", "cpu.cfs_quota_us", "-1"),
                              v1("cpu", "cpu.shares", "1024"), v1("pids", "pids.max", "2048")};
    // -m alone: docker's memory+swap default of twice -m, skipped without swap accounting.
    QTest::newRow("-m 64m on a fresh cgroup: memory first")
        << limits(64 * MiB, 0, 0, 0, 0) << qint64(-1)
        << QList<CgroupWrite>{v1("memory", "memory.limit_in_bytes", "67108864", "--memory"),
                              v1("memory", "memory.memsw.limit_in_bytes", "134217728"), v1("cpu", "cpu.cfs_period_us", "100000"),
                              v1("cpu", "cpu.cfs_quota_us", "-1"), v1("cpu", "cpu.shares", "1024"), v1("pids", "pids.max", "max")};
    QTest::newRow("everything")
        << limits(64 * MiB, 96 * MiB, 1500000000, 512, 64) << qint64(-1)
        << QList<CgroupWrite>{v1("memory", "memory.limit_in_bytes", "67108864", "--memory"),
                              v1("memory", "memory.memsw.limit_in_bytes", "100663296", "--memory-swap"),
                              v1("cpu", "cpu.cfs_period_us", "100000", "--cpus"), v1("cpu", "cpu.cfs_quota_us", "150000", "--cpus"),
                              v1("cpu", "cpu.shares", "512", "--cpu-shares"), v1("pids", "pids.max", "64", "--pids-limit")};
    // Growing past the current memory limit: swap must grow first.
    QTest::newRow("update 64m -> 256m/512m: swap first")
        << limits(256 * MiB, 512 * MiB, 0, 0, kDefaultPidsLimit) << qint64(64 * MiB)
        << QList<CgroupWrite>{v1("memory", "memory.memsw.limit_in_bytes", "536870912", "--memory-swap"),
                              v1("memory", "memory.limit_in_bytes", "268435456", "--memory"),
                              v1("cpu", "cpu.cfs_period_us", "100000"), v1("cpu", "cpu.cfs_quota_us", "-1"),
                              v1("cpu", "cpu.shares", "1024"), v1("pids", "pids.max", "2048")};
    QTest::newRow("unlimited swap: swap first")
        << limits(64 * MiB, -1, 10000000, 2, kDefaultPidsLimit) << qint64(256 * MiB)
        << QList<CgroupWrite>{v1("memory", "memory.memsw.limit_in_bytes", "-1"), v1("memory", "memory.limit_in_bytes", "67108864", "--memory"),
                              v1("cpu", "cpu.cfs_period_us", "100000", "--cpus"), v1("cpu", "cpu.cfs_quota_us", "1000", "--cpus"),
                              v1("cpu", "cpu.shares", "2", "--cpu-shares"), v1("pids", "pids.max", "2048")};
}

void TestCgroupLimits::v1Writes()
{
    QFETCH(ResourceLimits, limits);
    QFETCH(qint64, currentMemory);
    QFETCH(QList<CgroupWrite>, expected);
    const QList<CgroupWrite> got = cgroupV1LimitWrites(limits, currentMemory);
    QVERIFY2(got == expected, qPrintable(describe(got)));
}

void TestCgroupLimits::v2Writes_data()
{
    QTest::addColumn<ResourceLimits>("limits");
    QTest::addColumn<QList<CgroupWrite>>("expected");
    QTest::newRow("defaults")
        << ResourceLimits()
        << QList<CgroupWrite>{v2("memory.max", "max"), v2("memory.swap.max", "max"), v2("cpu.max", "max 100000"),
                              v2("cpu.weight", "100"), v2("pids.max", "2048")};
    // v2's swap file holds swap alone: memory+swap minus memory.
    QTest::newRow("-m 64m: swap as much again")
        << limits(64 * MiB, 0, 0, 0, 0)
        << QList<CgroupWrite>{v2("memory.max", "67108864", "--memory"), v2("memory.swap.max", "67108864"),
                              v2("cpu.max", "max 100000"), v2("cpu.weight", "100"), v2("pids.max", "max")};
    QTest::newRow("everything")
        << limits(64 * MiB, 96 * MiB, 500000000, 1024, 64)
        << QList<CgroupWrite>{v2("memory.max", "67108864", "--memory"), v2("memory.swap.max", "33554432", "--memory-swap"),
                              v2("cpu.max", "50000 100000", "--cpus"), v2("cpu.weight", "100", "--cpu-shares"),
                              v2("pids.max", "64", "--pids-limit")};
    QTest::newRow("no swap (memory-swap = memory), unlimited swap elsewhere")
        << limits(128 * MiB, 128 * MiB, 2000000000, 262144, 0)
        << QList<CgroupWrite>{v2("memory.max", "134217728", "--memory"), v2("memory.swap.max", "0", "--memory-swap"),
                              v2("cpu.max", "200000 100000", "--cpus"), v2("cpu.weight", "10000", "--cpu-shares"),
                              v2("pids.max", "max")};
    QTest::newRow("-1 swap")
        << limits(128 * MiB, -1, 0, 0, kDefaultPidsLimit)
        << QList<CgroupWrite>{v2("memory.max", "134217728", "--memory"), v2("memory.swap.max", "max"),
                              v2("cpu.max", "max 100000"), v2("cpu.weight", "100"), v2("pids.max", "2048")};
}

void TestCgroupLimits::v2Writes()
{
    QFETCH(ResourceLimits, limits);
    QFETCH(QList<CgroupWrite>, expected);
    const QList<CgroupWrite> got = cgroupV2LimitWrites(limits);
    QVERIFY2(got == expected, qPrintable(describe(got)));
}

void TestCgroupLimits::cpuWeight_data()
{
    QTest::addColumn<quint64>("shares");
    QTest::addColumn<quint64>("weight");
    // runc#4785's table: the v1 and v2 minimum, default and maximum meet.
    QTest::newRow("unset") << quint64(0) << quint64(0);
    QTest::newRow("below min") << quint64(1) << quint64(1);
    QTest::newRow("min") << quint64(2) << quint64(1);
    QTest::newRow("512") << quint64(512) << quint64(59);
    QTest::newRow("default") << quint64(1024) << quint64(100);
    QTest::newRow("2048") << quint64(2048) << quint64(174);
    QTest::newRow("max") << quint64(262144) << quint64(10000);
    QTest::newRow("above max") << quint64(1000000) << quint64(10000);
}

void TestCgroupLimits::cpuWeight()
{
    QFETCH(quint64, shares);
    QFETCH(quint64, weight);
    QCOMPARE(cpuWeightFromShares(shares), weight);
}

void TestCgroupLimits::missingFileSentences()
{
    QCOMPARE(missingLimitFileMessage(v1("memory", "memory.memsw.limit_in_bytes", "1", "--memory-swap"), true),
             QStringLiteral("--memory-swap: this host's kernel has no swap accounting (memory.memsw.limit_in_bytes is missing)"));
    QCOMPARE(missingLimitFileMessage(v2("memory.swap.max", "1", "--memory-swap"), true),
             QStringLiteral("--memory-swap: this host's kernel has no swap accounting (memory.swap.max is missing)"));
    QCOMPARE(missingLimitFileMessage(v1("pids", "pids.max", "64", "--pids-limit"), false),
             QStringLiteral("--pids-limit: this host has no pids controller for containers (pids.max is missing)"));
    QCOMPARE(missingLimitFileMessage(v2("cpu.max", "1000 100000", "--cpus"), false),
             QStringLiteral("--cpus: this host has no cpu controller for containers (cpu.max is missing)"));
    QCOMPARE(missingLimitFileMessage(v1("cpu", "cpu.cfs_quota_us", "1000", "--cpus"), true),
             QStringLiteral("--cpus: this host's cpu controller has no cpu.cfs_quota_us"));
}

// The files the kernel holds after applyLimits, for whatever layout this is;
// on the emulated pure v2 (no controllers) the sentences instead.
void TestCgroupLimits::applyOnThisHost()
{
    if (!canCreate())
        QSKIP("needs root and a cgroup filesystem");
    CgroupGuard g;
    auto cg = Cgroup::create(uniqueName());
    QVERIFY2(cg, qPrintable(cg ? QString() : cg.error().message));
    g.cg = *cg;

    // The defaults always apply: a missing file is only "nothing to reset".
    const Status defaults = g.cg.applyLimits(ResourceLimits());
    QVERIFY2(defaults, qPrintable(defaults ? QString() : defaults.error().message));

    const ResourceLimits l = limits(64 * MiB, 96 * MiB, 500000000, 512, 64);
    const Status st = g.cg.applyLimits(l);
    const bool v1 = !dirOf(g.cg, QStringLiteral("memory.limit_in_bytes")).isEmpty();
    const QList<CgroupWrite> writes = v1 ? cgroupV1LimitWrites(l, -1) : cgroupV2LimitWrites(l);
    for (const CgroupWrite &w : writes) {
        const QString dir = dirOf(g.cg, w.file);
        if (dir.isEmpty()) {
            // The first missing file with a flag is the error, in its words.
            QVERIFY2(!st, qPrintable(w.file + QStringLiteral(" is missing but applyLimits succeeded")));
            QVERIFY2(st.error().message.startsWith(w.flag + QStringLiteral(": this host")), qPrintable(st.error().message));
            QVERIFY2(st.error().message.contains(w.file), qPrintable(st.error().message));
            QCOMPARE(st.error().code, ErrorCode::FailedPrecondition);
            // The emulated pure v2 of a hybrid host has no controller at all.
            if (qgetenv("PORTHOLE_TEST_EXPECT_CGROUP_LAYOUT") == "v2")
                QCOMPARE(st.error().message,
                         QStringLiteral("--memory: this host has no memory controller for containers (memory.max is missing)"));
            return;
        }
        QVERIFY2(st, qPrintable(st ? QString() : st.error().message));
        QCOMPARE(readTrimmed(dir + u'/' + w.file), w.value);
    }
    if (v1)
        QCOMPARE(g.cg.oomKills(), qint64(0));
}

// runc's order in a real v1 kernel: memory <= memsw must hold after every
// write, growing and shrinking.
void TestCgroupLimits::v1UpdateOrderHoldsInTheKernel()
{
    if (!canCreate())
        QSKIP("needs root and a cgroup filesystem");
    CgroupGuard g;
    auto cg = Cgroup::create(uniqueName());
    QVERIFY(cg);
    g.cg = *cg;
    const QString memoryDir = dirOf(g.cg, QStringLiteral("memory.memsw.limit_in_bytes"));
    if (memoryDir.isEmpty())
        QSKIP("no v1 memory controller with swap accounting here");
    const QList<std::pair<qint64, qint64>> steps = {{64 * MiB, 128 * MiB}, {256 * MiB, 512 * MiB}, {32 * MiB, 48 * MiB},
                                                    {300 * MiB, -1}, {16 * MiB, 16 * MiB}, {0, 0}};
    for (const auto &[memory, swap] : steps) {
        const Status st = g.cg.applyLimits(limits(memory, swap, 0, 0, kDefaultPidsLimit));
        QVERIFY2(st, qPrintable(QStringLiteral("%1/%2: %3").arg(memory).arg(swap).arg(st ? QString() : st.error().message)));
        const qint64 unlimited = readTrimmed(memoryDir + QStringLiteral("/memory.limit_in_bytes")).toLongLong();
        if (memory > 0)
            QCOMPARE(unlimited, memory);
        else
            QVERIFY(unlimited > (qint64(1) << 60));
    }
}

void TestCgroupLimits::pureV2LayoutInMountNamespace()
{
    if (const QString why = porthole::test::pureCgroupV2SkipReason(Cgroup::layoutName()); !why.isEmpty())
        QSKIP(qPrintable(why));
    const porthole::test::RunResult r = porthole::test::rerunUnderPureCgroupV2({QStringLiteral("applyOnThisHost")});
    const QByteArray out = r.out + r.err;
    QVERIFY2(r.exitCode == 0, out.constData());
    QVERIFY2(out.contains("PASS   : TestCgroupLimits::applyOnThisHost()"), out.constData());
}

QTEST_GUILESS_MAIN(TestCgroupLimits)
#include "tst_cgrouplimits.moc"
