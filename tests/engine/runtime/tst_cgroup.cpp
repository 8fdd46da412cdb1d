// Cgroup is how Porthole pauses, measures and reliably kills a container, so
// these tests drive real processes through a real cgroup: what the kernel
// reports (/proc/<pid>/status, a counter that must stop) is the oracle.
//
// On a hybrid host the same tests run a second time in a private mount
// namespace where cgroup2 is mounted at /sys/fs/cgroup, so the pure-v2 code
// path (cgroup.freeze, cgroup.events, cpu.stat) is exercised too.
#include "runtime/cgroup.h"
#include "support/testsupport.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRandomGenerator>
#include <QTest>

#include <algorithm>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <linux/magic.h>
#include <poll.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace porthole;
using namespace porthole::runtime;

namespace {

struct Child {
    pid_t pid = -1;
    int counterFd = -1; // child writes an increasing counter here every 10 ms
    int goFd = -1;      // one byte starts the child's work
};

// The child waits for "go" before touching memory: v1 memcg charges a page
// to the cgroup that faults it in, so work done before the move would be
// invisible in stats().
Child spawnChild()
{
    int counter[2], go[2];
    if (::pipe2(counter, O_CLOEXEC) != 0 || ::pipe2(go, O_CLOEXEC) != 0)
        return {};
    const pid_t pid = ::fork();
    if (pid == 0) {
        ::prctl(PR_SET_PDEATHSIG, SIGKILL); // never outlive a crashed test
        // QtTest's crash handlers are inherited; a signalled child must just die.
        for (int sig = 1; sig < NSIG; ++sig)
            ::signal(sig, SIG_DFL);
        sigset_t none;
        sigemptyset(&none);
        ::sigprocmask(SIG_SETMASK, &none, nullptr);
        ::close(counter[0]);
        ::close(go[1]);
        if (::write(counter[1], "r", 1) != 1) // ready: handlers are reset
            ::_exit(1);
        char byte;
        if (::read(go[0], &byte, 1) != 1)
            ::_exit(1);
        const size_t len = 4u << 20;
        void *mem = ::mmap(nullptr, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (mem != MAP_FAILED)
            std::memset(mem, 1, len);
        for (quint32 i = 0;; ++i) {
            if (::write(counter[1], &i, sizeof i) != sizeof i)
                ::_exit(2);
            ::usleep(10000);
        }
    }
    ::close(counter[1]);
    ::close(go[0]);
    char ready;
    if (pid > 0 && ::read(counter[0], &ready, 1) != 1) // child died early
        ::waitpid(pid, nullptr, 0);
    ::fcntl(counter[0], F_SETFL, O_NONBLOCK);
    return {pid, counter[0], go[1]};
}

// Returns the number of bytes that were waiting.
int drain(int fd)
{
    int total = 0;
    char buf[4096];
    ssize_t n;
    while ((n = ::read(fd, buf, sizeof buf)) > 0)
        total += int(n);
    return total;
}

bool producesWithin(int fd, int timeoutMs)
{
    pollfd p{fd, POLLIN, 0};
    return ::poll(&p, 1, timeoutMs) == 1 && drain(fd) > 0;
}

QByteArray procState(pid_t pid)
{
    QFile f(QStringLiteral("/proc/%1/status").arg(pid));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    for (const QByteArray &line : f.readAll().split('\n')) {
        if (line.startsWith("State:"))
            return line.mid(6).trimmed();
    }
    return {};
}

// Waits up to timeoutMs for pid to end; returns its wait status or -1.
int reap(pid_t pid, int timeoutMs)
{
    for (int waited = 0; waited <= timeoutMs; waited += 10) {
        int status = 0;
        if (::waitpid(pid, &status, WNOHANG) == pid)
            return status;
        ::usleep(10000);
    }
    return -1;
}

bool isCgroup2(const char *path)
{
    struct statfs st;
    return ::statfs(path, &st) == 0 && st.f_type == CGROUP2_SUPER_MAGIC;
}

// Kills and reaps the children and removes the cgroup whatever happened in
// the test body, so a failed check never leaks processes or directories.
struct Fixture {
    Cgroup cg;
    QList<Child> children;

    ~Fixture()
    {
        if (cg.isValid())
            (void)cg.thaw(); // v1-frozen tasks would not die, and waitpid would hang
        for (const Child &c : children) {
            if (c.pid > 0) {
                ::kill(c.pid, SIGKILL);
                ::waitpid(c.pid, nullptr, 0);
            }
            ::close(c.counterFd);
            ::close(c.goFd);
        }
        if (cg.isValid())
            (void)cg.remove();
    }
};

} // namespace

class TestCgroup : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void layoutIsDetected();
    void invalidPaths_data();
    void invalidPaths();
    void lifecycle();
    void killWithOtherSignal();
    void removeTakesNestedCgroups();
    void pureV2LayoutInMountNamespace();

private:
    // Creates porthole-test/<random>[/suffix]; QSKIPs (via the caller) when
    // this machine cannot create cgroups at all.
    bool makeCgroup(Fixture &f, QString *skipReason);
    QString uniqueName();

    QStringList m_parentDirs; // porthole-test/ in each hierarchy, for cleanup
};

void TestCgroup::initTestCase()
{
    if (Cgroup::layoutName() == QLatin1String("none"))
        QSKIP("no cgroup filesystem is mounted");
}

void TestCgroup::cleanupTestCase()
{
    // Only the shared parent; rmdir fails harmlessly if a parallel run uses it.
    for (const QString &dir : std::as_const(m_parentDirs))
        ::rmdir(QFile::encodeName(dir).constData());
}

QString TestCgroup::uniqueName()
{
    return QStringLiteral("porthole-test/t%1-%2")
        .arg(::getpid())
        .arg(QRandomGenerator::global()->generate64(), 0, 16);
}

bool TestCgroup::makeCgroup(Fixture &f, QString *skipReason)
{
    if (::geteuid() != 0) {
        *skipReason = QStringLiteral("creating cgroups needs root");
        return false;
    }
    auto cg = Cgroup::create(uniqueName());
    if (!cg) {
        *skipReason = QStringLiteral("cannot create a cgroup here: ") + cg.error().message;
        return false;
    }
    f.cg = *cg;
    for (const QString &dir : f.cg.directories()) {
        const QString parent = QFileInfo(dir).path();
        if (!m_parentDirs.contains(parent))
            m_parentDirs.append(parent);
    }
    return true;
}

void TestCgroup::layoutIsDetected()
{
    QString expected;
    if (isCgroup2("/sys/fs/cgroup"))
        expected = QStringLiteral("v2");
    else if (isCgroup2("/sys/fs/cgroup/unified"))
        expected = QStringLiteral("hybrid");
    else
        expected = QStringLiteral("v1");
    QCOMPARE(Cgroup::layoutName(), expected);
    const QByteArray forced = qgetenv("PORTHOLE_TEST_EXPECT_CGROUP_LAYOUT");
    if (!forced.isEmpty())
        QCOMPARE(Cgroup::layoutName(), QString::fromLatin1(forced));
}

void TestCgroup::invalidPaths_data()
{
    QTest::addColumn<QString>("path");
    QTest::newRow("empty") << "";
    QTest::newRow("absolute") << "/porthole/x";
    QTest::newRow("dotdot") << "porthole/../../etc";
    QTest::newRow("dot") << "porthole/./x";
    QTest::newRow("empty part") << "porthole//x";
    QTest::newRow("trailing slash") << "porthole/x/";
}

void TestCgroup::invalidPaths()
{
    QFETCH(QString, path);
    const auto created = Cgroup::create(path);
    QVERIFY(!created.ok());
    QCOMPARE(created.error().code, ErrorCode::InvalidArgument);
    const auto opened = Cgroup::open(path);
    QVERIFY(!opened.ok());
    QCOMPARE(opened.error().code, ErrorCode::InvalidArgument);
}

void TestCgroup::lifecycle()
{
    Fixture f;
    QString reason;
    if (!makeCgroup(f, &reason))
        QSKIP(qPrintable(reason));
    const Cgroup &cg = f.cg;
    QVERIFY(Cgroup::open(cg.relativePath()).ok());
    QVERIFY(Cgroup::create(cg.relativePath()).ok()); // reuse after a crash

    constexpr int kChildren = 3;
    QList<pid_t> pids;
    for (int i = 0; i < kChildren; ++i) {
        f.children.append(spawnChild());
        QVERIFY(f.children.last().pid > 0);
        pids.append(f.children.last().pid);
        const Status added = cg.addProcess(pids.last());
        QVERIFY2(added.ok(), added.ok() ? "" : qPrintable(added.error().message));
    }
    auto listed = cg.processes();
    QVERIFY(listed.ok());
    std::sort(listed->begin(), listed->end());
    QCOMPARE(*listed, pids);
    for (const QString &dir : cg.directories()) { // really in every hierarchy
        QFile procs(dir + QStringLiteral("/cgroup.procs"));
        QVERIFY2(procs.open(QIODevice::ReadOnly), qPrintable(dir));
        QList<pid_t> inDir;
        for (const QByteArray &line : procs.readAll().split('\n')) {
            if (!line.isEmpty())
                inDir.append(pid_t(line.toInt()));
        }
        std::sort(inDir.begin(), inDir.end());
        QCOMPARE(inDir, pids);
    }

    for (const Child &c : std::as_const(f.children)) {
        QCOMPARE(::write(c.goFd, "g", 1), ssize_t(1));
        QVERIFY(producesWithin(c.counterFd, 2000));
    }

    const auto stats = cg.stats();
    QVERIFY2(stats.ok(), stats.ok() ? "" : qPrintable(stats.error().message));
    QCOMPARE(stats->pids, qint64(kChildren));
    if (stats->memoryBytes == -1)
        qWarning("no memory accounting in this layout; memory not checked");
    else
        QVERIFY2(stats->memoryBytes >= 4 << 20, qPrintable(QString::number(stats->memoryBytes)));
    QCOMPARE(stats->memoryLimit, qint64(-1));
    QVERIFY(stats->cpuNanos > 0);

    auto frozen = cg.isFrozen();
    QVERIFY(frozen.ok() && !*frozen);
    const Status froze = cg.freeze();
    QVERIFY2(froze.ok(), froze.ok() ? "" : qPrintable(froze.error().message));
    frozen = cg.isFrozen();
    QVERIFY(frozen.ok() && *frozen);
    bool v1Freezer = false;
    for (const QString &dir : cg.directories())
        v1Freezer = v1Freezer || QFileInfo::exists(dir + QStringLiteral("/freezer.state"));
    for (const Child &c : std::as_const(f.children)) {
        // The v1 freezer parks tasks in an uninterruptible sleep; the v2
        // freezer stops them like a signal stop, shown as sleeping.
        QCOMPARE(procState(c.pid).left(1), QByteArray(v1Freezer ? "D" : "S"));
        drain(c.counterFd);
    }
    ::usleep(300000); // 30 ticks of the children's loops
    for (const Child &c : std::as_const(f.children))
        QCOMPARE(drain(c.counterFd), 0);

    const Status thawed = cg.thaw();
    QVERIFY2(thawed.ok(), thawed.ok() ? "" : qPrintable(thawed.error().message));
    frozen = cg.isFrozen();
    QVERIFY(frozen.ok() && !*frozen);
    for (const Child &c : std::as_const(f.children))
        QVERIFY(producesWithin(c.counterFd, 2000));

    const Status killed = cg.killAll(SIGKILL);
    QVERIFY2(killed.ok(), killed.ok() ? "" : qPrintable(killed.error().message));
    listed = cg.processes();
    QVERIFY(listed.ok() && listed->isEmpty()); // killAll(SIGKILL) waits for it
    for (Child &c : f.children) {
        const int status = reap(c.pid, 5000);
        QVERIFY(status != -1);
        c.pid = -1;
        QVERIFY(WIFSIGNALED(status));
        QCOMPARE(WTERMSIG(status), SIGKILL);
    }

    const QStringList dirs = cg.directories();
    const Status removed = cg.remove();
    QVERIFY2(removed.ok(), removed.ok() ? "" : qPrintable(removed.error().message));
    for (const QString &dir : dirs)
        QVERIFY2(!QFileInfo::exists(dir), qPrintable(dir));
    QCOMPARE(Cgroup::open(cg.relativePath()).error().code, ErrorCode::NotFound);
    QVERIFY(cg.remove().ok()); // already gone is fine
}

void TestCgroup::killWithOtherSignal()
{
    Fixture f;
    QString reason;
    if (!makeCgroup(f, &reason))
        QSKIP(qPrintable(reason));
    QVERIFY(f.cg.killAll(SIGTERM).ok()); // empty cgroup: nothing to do
    for (int i = 0; i < 2; ++i) {
        f.children.append(spawnChild());
        QVERIFY(f.cg.addProcess(f.children.last().pid).ok());
    }
    QVERIFY(f.cg.killAll(SIGTERM).ok());
    for (Child &c : f.children) {
        const int status = reap(c.pid, 5000);
        QVERIFY(status != -1);
        c.pid = -1;
        QVERIFY(WIFSIGNALED(status));
        QCOMPARE(WTERMSIG(status), SIGTERM);
    }
}

void TestCgroup::removeTakesNestedCgroups()
{
    Fixture f;
    QString reason;
    if (!makeCgroup(f, &reason))
        QSKIP(qPrintable(reason));
    // A container may create its own sub-cgroups (systemd inside, cgroupns).
    const auto inner = Cgroup::create(f.cg.relativePath() + QStringLiteral("/inner/deeper"));
    QVERIFY(inner.ok());
    QVERIFY(f.cg.remove().ok());
    for (const QString &dir : inner->directories())
        QVERIFY(!QFileInfo::exists(dir));
    for (const QString &dir : f.cg.directories())
        QVERIFY(!QFileInfo::exists(dir));
}

void TestCgroup::pureV2LayoutInMountNamespace()
{
    if (const QString why = porthole::test::pureCgroupV2SkipReason(Cgroup::layoutName()); !why.isEmpty())
        QSKIP(qPrintable(why));
    // Hide the v1 mounts and put cgroup2 where a pure-v2 desktop has it.
    const porthole::test::RunResult r = porthole::test::rerunUnderPureCgroupV2(
        {QStringLiteral("layoutIsDetected"), QStringLiteral("lifecycle"), QStringLiteral("killWithOtherSignal"),
         QStringLiteral("removeTakesNestedCgroups")});
    const QByteArray out = r.out + r.err;
    QVERIFY2(r.exitCode == 0, out.constData());
    QVERIFY2(out.contains(", 0 failed, 0 skipped"), out.constData());
    QVERIFY2(out.contains("PASS   : TestCgroup::lifecycle()"), out.constData());
}

QTEST_GUILESS_MAIN(TestCgroup)
#include "tst_cgroup.moc"
