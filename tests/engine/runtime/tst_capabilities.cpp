// Capabilities decide what root inside a container may do, so these tests
// check what the kernel reports afterwards (/proc/self/status of a forked
// child), not what our code believes it asked for.
#include "runtime/capabilities.h"

#include <QMap>
#include <QTest>

#include <fcntl.h>
#include <functional>
#include <grp.h>
#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace porthole;
using namespace porthole::runtime;

namespace {

// Docker's well-known CapBnd/CapEff for a default root container.
constexpr quint64 kDockerDefaultMask = 0xa80425fbULL;

void writeAll(int fd, const char *data, size_t len)
{
    while (len > 0) {
        const ssize_t n = ::write(fd, data, len);
        if (n <= 0)
            return;
        data += n;
        len -= size_t(n);
    }
}

// Raw I/O only: this runs in a forked child of a threaded Qt process.
void copyStatus(int out)
{
    const int fd = ::open("/proc/self/status", O_RDONLY | O_CLOEXEC);
    char buf[4096];
    ssize_t n;
    while (fd >= 0 && (n = ::read(fd, buf, sizeof buf)) > 0)
        writeAll(out, buf, size_t(n));
    if (fd >= 0)
        ::close(fd);
}

void reportError(int out, const Error &e)
{
    const QByteArray msg = "ERROR " + QByteArray::number(int(e.code)) + ' ' + e.message.toUtf8();
    writeAll(out, msg.constData(), size_t(msg.size()));
}

struct ChildResult {
    int exitCode = -1;
    QByteArray output;
};

// Forks; `body` gets the write end of a pipe and returns the exit code.
ChildResult runInChild(const std::function<int(int)> &body)
{
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0)
        return {};
    const pid_t pid = ::fork();
    if (pid == 0) {
        ::close(fds[0]);
        ::_exit(body(fds[1]));
    }
    ::close(fds[1]);
    ChildResult r;
    char buf[4096];
    ssize_t n;
    while ((n = ::read(fds[0], buf, sizeof buf)) > 0)
        r.output.append(buf, n);
    ::close(fds[0]);
    int status = 0;
    if (pid > 0 && ::waitpid(pid, &status, 0) == pid && WIFEXITED(status))
        r.exitCode = WEXITSTATUS(status);
    return r;
}

QMap<QByteArray, QByteArray> statusFields(const QByteArray &status)
{
    QMap<QByteArray, QByteArray> fields;
    for (const QByteArray &line : status.split('\n')) {
        const int colon = line.indexOf(':');
        if (colon > 0)
            fields.insert(line.left(colon), line.mid(colon + 1).trimmed());
    }
    return fields;
}

quint64 hexField(const QMap<QByteArray, QByteArray> &fields, const char *name)
{
    return fields.value(name).toULongLong(nullptr, 16);
}

// An ambient capability must be permitted and inheritable first.
bool raiseAmbient(int cap)
{
    __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
    __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3] = {};
    if (::syscall(SYS_capget, &header, data) != 0)
        return false;
    data[cap / 32].inheritable |= 1U << (cap % 32);
    if (::syscall(SYS_capset, &header, data) != 0)
        return false;
    return ::prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0) == 0;
}

bool canManageCaps()
{
    const auto own = statusFields(runInChild([](int out) { copyStatus(out); return 0; }).output);
    return ::geteuid() == 0 && (hexField(own, "CapEff") & (1ULL << CAP_SETPCAP));
}

} // namespace

class TestCapabilities : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void namesMatchKernelHeader_data();
    void namesMatchKernelHeader();
    void nameParsing_data();
    void nameParsing();
    void roundTrip();
    void dockerDefaults();
    void applyInChild_data();
    void applyInChild();
    void afterExec_data();
    void afterExec();
    void missingPermittedCapIsReported();
    void outOfRangeCapIsRejected();
    void noNewPrivileges();
};

void TestCapabilities::namesMatchKernelHeader_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<int>("number");
#define ROW(cap) QTest::newRow(#cap) << QStringLiteral(#cap) << int(cap)
    ROW(CAP_CHOWN); ROW(CAP_DAC_OVERRIDE); ROW(CAP_DAC_READ_SEARCH); ROW(CAP_FOWNER); ROW(CAP_FSETID);
    ROW(CAP_KILL); ROW(CAP_SETGID); ROW(CAP_SETUID); ROW(CAP_SETPCAP); ROW(CAP_LINUX_IMMUTABLE);
    ROW(CAP_NET_BIND_SERVICE); ROW(CAP_NET_BROADCAST); ROW(CAP_NET_ADMIN); ROW(CAP_NET_RAW);
    ROW(CAP_IPC_LOCK); ROW(CAP_IPC_OWNER); ROW(CAP_SYS_MODULE); ROW(CAP_SYS_RAWIO); ROW(CAP_SYS_CHROOT);
    ROW(CAP_SYS_PTRACE); ROW(CAP_SYS_PACCT); ROW(CAP_SYS_ADMIN); ROW(CAP_SYS_BOOT); ROW(CAP_SYS_NICE);
    ROW(CAP_SYS_RESOURCE); ROW(CAP_SYS_TIME); ROW(CAP_SYS_TTY_CONFIG); ROW(CAP_MKNOD); ROW(CAP_LEASE);
    ROW(CAP_AUDIT_WRITE); ROW(CAP_AUDIT_CONTROL); ROW(CAP_SETFCAP); ROW(CAP_MAC_OVERRIDE);
    ROW(CAP_MAC_ADMIN); ROW(CAP_SYSLOG); ROW(CAP_WAKE_ALARM); ROW(CAP_BLOCK_SUSPEND); ROW(CAP_AUDIT_READ);
    ROW(CAP_PERFMON); ROW(CAP_BPF); ROW(CAP_CHECKPOINT_RESTORE);
#undef ROW
}

void TestCapabilities::namesMatchKernelHeader()
{
    QFETCH(QString, name);
    QFETCH(int, number);
    QCOMPARE(capabilityName(number), name);
    const auto parsed = capabilityFromName(name);
    QVERIFY(parsed.ok());
    QCOMPARE(*parsed, number);
}

void TestCapabilities::nameParsing_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("expected"); // -1: must be rejected
    QTest::newRow("full") << "CAP_NET_ADMIN" << 12;
    QTest::newRow("short") << "NET_ADMIN" << 12;
    QTest::newRow("lower") << "net_admin" << 12;
    QTest::newRow("mixed prefix") << "Cap_Sys_Admin" << 21;
    QTest::newRow("zero") << "chown" << 0;
    QTest::newRow("last") << "checkpoint_restore" << 40;
    QTest::newRow("spaces") << " CAP_KILL " << 5;
    QTest::newRow("empty") << "" << -1;
    QTest::newRow("bare prefix") << "CAP_" << -1;
    QTest::newRow("double prefix") << "CAP_CAP_CHOWN" << -1;
    QTest::newRow("suffix") << "NET_ADMINX" << -1;
    QTest::newRow("number") << "12" << -1;
    QTest::newRow("ALL is a CLI word, not a cap") << "ALL" << -1;
}

void TestCapabilities::nameParsing()
{
    QFETCH(QString, text);
    QFETCH(int, expected);
    const auto r = capabilityFromName(text);
    if (expected < 0) {
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, ErrorCode::InvalidArgument);
        QVERIFY(r.error().message.contains(QStringLiteral("unknown capability")));
        return;
    }
    QVERIFY(r.ok());
    QCOMPARE(*r, expected);
}

void TestCapabilities::roundTrip()
{
    const QList<int> all = knownCapabilities();
    QCOMPARE(all.size(), CAP_LAST_CAP + 1);
    for (int cap : all) {
        const QString name = capabilityName(cap);
        QVERIFY(name.startsWith(QLatin1String("CAP_")));
        QCOMPARE(capabilityFromName(name).valueOr(-1), cap);
        QCOMPARE(capabilityFromName(name.mid(4).toLower()).valueOr(-1), cap);
    }
    QCOMPARE(capabilityName(-1), QString());
    QCOMPARE(capabilityName(CAP_LAST_CAP + 1), QString());
}

void TestCapabilities::dockerDefaults()
{
    const QList<int> caps = dockerDefaultCapabilities();
    QCOMPARE(caps.size(), 14);
    QCOMPARE(caps.first(), int(CAP_CHOWN));
    QCOMPARE(caps.last(), int(CAP_AUDIT_WRITE));
    QCOMPARE(capabilityMask(caps), kDockerDefaultMask);
    QVERIFY(!caps.contains(CAP_SYS_ADMIN));
    QVERIFY(!caps.contains(CAP_NET_ADMIN));
}

void TestCapabilities::applyInChild_data()
{
    QTest::addColumn<QList<int>>("keep");
    QTest::addColumn<quint64>("mask");
    QTest::newRow("docker default") << dockerDefaultCapabilities() << kDockerDefaultMask;
    QTest::newRow("nothing") << QList<int>() << quint64(0);
    QTest::newRow("net admin only") << QList<int>{CAP_NET_ADMIN} << (quint64(1) << CAP_NET_ADMIN);
    QTest::newRow("above 31") << QList<int>{CAP_SETFCAP, CAP_SYSLOG, CAP_KILL}
                              << ((quint64(1) << CAP_SETFCAP) | (quint64(1) << CAP_SYSLOG) | (quint64(1) << CAP_KILL));
}

void TestCapabilities::applyInChild()
{
    if (!canManageCaps())
        QSKIP("needs root with CAP_SETPCAP to change capability sets");
    QFETCH(QList<int>, keep);
    QFETCH(quint64, mask);
    const ChildResult r = runInChild([&](int out) {
        // Something ambient to clear, so the CapAmb check means something.
        if (!raiseAmbient(CAP_CHOWN))
            return 4;
        const Status st = applyCapabilities(keep);
        if (!st) {
            reportError(out, st.error());
            return 1;
        }
        copyStatus(out);
        return 0;
    });
    QVERIFY2(r.exitCode == 0, r.output.constData());
    const auto f = statusFields(r.output);
    QCOMPARE(hexField(f, "CapEff"), mask);
    QCOMPARE(hexField(f, "CapPrm"), mask);
    QCOMPARE(hexField(f, "CapInh"), quint64(0)); // docker 23+: inheritable empty
    QCOMPARE(hexField(f, "CapBnd"), mask);
    QCOMPARE(hexField(f, "CapAmb"), quint64(0));
}

void TestCapabilities::afterExec_data()
{
    QTest::addColumn<uint>("uid");
    QTest::addColumn<quint64>("effective");
    QTest::newRow("root keeps the set") << 0u << kDockerDefaultMask;
    QTest::newRow("nobody has nothing effective") << 65534u << quint64(0);
}

// The documented order (KEEPCAPS, switch user, apply, exec) gives docker's
// result for both kinds of user.
void TestCapabilities::afterExec()
{
    if (!canManageCaps())
        QSKIP("needs root with CAP_SETPCAP to change capability sets");
    if (::access("/bin/cat", X_OK) != 0)
        QSKIP("needs /bin/cat to exec");
    QFETCH(uint, uid);
    QFETCH(quint64, effective);
    const ChildResult r = runInChild([&](int out) {
        if (::prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) != 0 || ::setgroups(0, nullptr) != 0 || ::setgid(uid) != 0
            || ::setuid(uid) != 0)
            return 2;
        const Status st = applyCapabilities(dockerDefaultCapabilities());
        if (!st) {
            reportError(out, st.error());
            return 1;
        }
        ::dup2(out, STDOUT_FILENO);
        ::execl("/bin/cat", "cat", "/proc/self/status", static_cast<char *>(nullptr));
        return 3;
    });
    QVERIFY2(r.exitCode == 0, r.output.constData());
    const auto f = statusFields(r.output);
    QVERIFY(f.value("Uid").startsWith(QByteArray::number(uid) + '\t'));
    QCOMPARE(hexField(f, "CapEff"), effective);
    QCOMPARE(hexField(f, "CapPrm"), effective);
    QCOMPARE(hexField(f, "CapBnd"), kDockerDefaultMask);
    QCOMPARE(hexField(f, "CapInh"), quint64(0));
    QCOMPARE(hexField(f, "CapAmb"), quint64(0));
}

void TestCapabilities::missingPermittedCapIsReported()
{
    if (!canManageCaps())
        QSKIP("needs root with CAP_SETPCAP to change capability sets");
    const auto own = statusFields(runInChild([](int out) { copyStatus(out); return 0; }).output);
    const quint64 permitted = hexField(own, "CapPrm");
    int absent = -1;
    for (int cap = 0; cap <= CAP_LAST_CAP && absent < 0; ++cap) {
        if (!(permitted & (quint64(1) << cap)))
            absent = cap;
    }
    if (absent < 0)
        QSKIP("this process has every capability; nothing to be missing");
    const ChildResult r = runInChild([&](int out) {
        const Status st = applyCapabilities({CAP_CHOWN, absent});
        if (!st) {
            reportError(out, st.error());
            return 1;
        }
        return 0;
    });
    QCOMPARE(r.exitCode, 1);
    const QByteArray expected = "ERROR " + QByteArray::number(int(ErrorCode::FailedPrecondition));
    QVERIFY2(r.output.startsWith(expected), r.output.constData());
    QVERIFY2(r.output.contains(capabilityName(absent).toUtf8()), r.output.constData());
}

void TestCapabilities::outOfRangeCapIsRejected()
{
    // Rejected before any system call, so it is safe in the test process.
    for (int cap : {-1, 64, 99}) {
        const Status st = applyCapabilities({CAP_CHOWN, cap});
        QVERIFY(!st.ok());
        QCOMPARE(st.error().code, ErrorCode::InvalidArgument);
    }
}

void TestCapabilities::noNewPrivileges()
{
    const auto plain = statusFields(runInChild([](int out) { copyStatus(out); return 0; }).output);
    if (plain.value("NoNewPrivs") != "0")
        QSKIP("this test process already runs with no_new_privs");
    const ChildResult r = runInChild([](int out) {
        const Status st = setNoNewPrivileges();
        if (!st) {
            reportError(out, st.error());
            return 1;
        }
        copyStatus(out);
        return 0;
    });
    QVERIFY2(r.exitCode == 0, r.output.constData());
    QCOMPARE(statusFields(r.output).value("NoNewPrivs"), QByteArray("1"));
}

QTEST_GUILESS_MAIN(TestCapabilities)
#include "tst_capabilities.moc"
