// The seccomp profile model and compiler, rule by rule: docker's profile
// format (parsing and its errors), the includes/excludes resolution, and the
// compiled program run through a BPF interpreter for the calls docker's
// profile decides (allowed, EPERM, argument rules, the ENOSYS answers).
// The same rules are checked again inside real containers by
// tests/integration/tst_seccompprobe.cpp.
#include "runtime/capabilities.h"
#include "runtime/seccompfilter.h"
#include "runtime/seccompprofile.h"
#include "support/bpfinterpreter.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

#include <cerrno>
#include <csignal>
#include <linux/audit.h>
#include <linux/capability.h>
#include <linux/sched.h>
#include <seccomp.h>
#include <ctime>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <sys/syscall.h>

using namespace porthole;
using namespace porthole::runtime::seccomp;

namespace {

constexpr quint32 kAllow = SECCOMP_RET_ALLOW;
constexpr quint32 errnoAction(int e) { return SECCOMP_RET_ERRNO | quint32(e); }

Platform amd64()
{
    Platform p;
    p.goArch = QStringLiteral("amd64");
    p.seccompArch = QStringLiteral("x86_64");
    p.kernelMajor = 6;
    p.kernelMinor = 1;
    return p;
}

QByteArray compiledDefault(const QList<int> &caps = runtime::dockerDefaultCapabilities())
{
    auto resolved = resolveProfile(defaultProfile(), caps, hostPlatform());
    if (!resolved)
        return {};
    auto program = compileFilter(*resolved);
    return program ? *program : QByteArray();
}

int nativeNumber(const char *name) { return seccomp_syscall_resolve_name(name); }

} // namespace

class TestSeccomp : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void parsesDockersFormat();
    void refusesWhatItCannotHonour_data();
    void refusesWhatItCannotHonour();
    void resolvesIncludesAndExcludes();
    void defaultProfileRules_data();
    void defaultProfileRules();
    void capabilitiesReopenWhatTheyGate();
    void newerSyscallsAreEnosys();
    void otherArchitectures();
    void compileCost();
    void cacheServesTheSameProgram();
};

void TestSeccomp::initTestCase()
{
    if (hostPlatform().seccompArch != QLatin1String("x86_64"))
        QSKIP("the rule tables below use x86_64 system call numbers");
}

void TestSeccomp::parsesDockersFormat()
{
    const QByteArray json = R"({
        "defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 1,
        "archMap": [{"architecture": "SCMP_ARCH_X86_64", "subArchitectures": ["SCMP_ARCH_X86", "SCMP_ARCH_X32"]}],
        "syscalls": [
            {"names": ["read", "write"], "action": "SCMP_ACT_ALLOW"},
            {"name": "mkdir", "action": "SCMP_ACT_ERRNO", "errnoRet": 13},
            {"names": ["personality"], "action": "SCMP_ACT_ALLOW",
             "args": [{"index": 0, "value": 8, "valueTwo": 0, "op": "SCMP_CMP_EQ"}]},
            {"names": ["reboot"], "action": "SCMP_ACT_ALLOW", "includes": {"caps": ["CAP_SYS_BOOT"], "minKernel": "4.8"}},
            {"names": ["clone"], "action": "SCMP_ACT_ALLOW", "excludes": {"arches": ["s390x"]}}
        ]})";
    auto p = parseProfile(json);
    QVERIFY2(p, p ? "" : qPrintable(p.error().message));
    QCOMPARE(p->defaultAction, Action::Errno);
    QCOMPARE(p->defaultErrnoRet.value_or(0), 1u);
    QCOMPARE(p->archMap.size(), 1);
    QCOMPARE(p->syscalls.size(), 5);
    QCOMPARE(p->syscalls[1].names, QStringList{QStringLiteral("mkdir")});
    QCOMPARE(p->syscalls[1].errnoRet.value_or(0), 13u);
    QCOMPARE(p->syscalls[2].args.size(), 1);
    QCOMPARE(p->syscalls[2].args[0].value, quint64(8));
    QCOMPARE(p->syscalls[3].includes.caps, QStringList{QStringLiteral("CAP_SYS_BOOT")});
    QCOMPARE(p->syscalls[4].excludes.arches, QStringList{QStringLiteral("s390x")});

    // Resolved for a default container on amd64: reboot needs CAP_SYS_BOOT.
    auto r = resolveProfile(*p, runtime::dockerDefaultCapabilities(), amd64());
    QVERIFY(r);
    QCOMPARE(r->architectures, (QStringList{QStringLiteral("x86_64"), QStringLiteral("x86"), QStringLiteral("x32")}));
    QStringList names;
    for (const ResolvedRule &rule : r->rules)
        names.append(rule.name);
    QCOMPARE(names, (QStringList{QStringLiteral("read"), QStringLiteral("write"), QStringLiteral("mkdir"),
                                 QStringLiteral("personality"), QStringLiteral("clone")}));

    // And it compiles: mkdir answers EACCES, read is allowed, the rest EPERM.
    auto program = compileFilter(*r);
    QVERIFY2(program, program ? "" : qPrintable(program.error().message));
    QCOMPARE(test::runSeccomp(*program, SYS_mkdir, AUDIT_ARCH_X86_64), std::optional<quint32>(errnoAction(EACCES)));
    QCOMPARE(test::runSeccomp(*program, SYS_read, AUDIT_ARCH_X86_64), std::optional<quint32>(kAllow));
    QCOMPARE(test::runSeccomp(*program, SYS_getpid, AUDIT_ARCH_X86_64), std::optional<quint32>(errnoAction(EPERM)));

    // A profile that allows by default allows what is newer than it, too.
    auto denyList = parseProfile(R"({"defaultAction": "SCMP_ACT_ALLOW",
        "syscalls": [{"names": ["mkdir"], "action": "SCMP_ACT_ERRNO", "errnoRet": 13}]})");
    QVERIFY(denyList);
    auto resolvedDenyList = resolveProfile(*denyList, runtime::dockerDefaultCapabilities(), amd64());
    QVERIFY(resolvedDenyList);
    auto denyProgram = compileFilter(*resolvedDenyList);
    QVERIFY(denyProgram);
    QCOMPARE(test::runSeccomp(*denyProgram, SYS_mkdir, AUDIT_ARCH_X86_64), std::optional<quint32>(errnoAction(EACCES)));
    QCOMPARE(test::runSeccomp(*denyProgram, SYS_execveat, AUDIT_ARCH_X86_64), std::optional<quint32>(kAllow));
    QCOMPARE(test::runSeccomp(*denyProgram, 1000, AUDIT_ARCH_X86_64), std::optional<quint32>(kAllow));
}

void TestSeccomp::refusesWhatItCannotHonour_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("message");
    QTest::newRow("not json") << QByteArray("{") << QStringLiteral("not valid JSON");
    QTest::newRow("no default") << QByteArray(R"({"syscalls": []})") << QStringLiteral("defaultAction is missing");
    QTest::newRow("unknown action") << QByteArray(R"({"defaultAction": "SCMP_ACT_MAYBE"})") << QStringLiteral("unknown action \"SCMP_ACT_MAYBE\"");
    QTest::newRow("notify") << QByteArray(R"({"defaultAction": "SCMP_ACT_NOTIFY"})") << QStringLiteral("SCMP_ACT_NOTIFY");
    QTest::newRow("name and names")
        << QByteArray(R"({"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"name": "a", "names": ["b"], "action": "SCMP_ACT_ERRNO"}]})")
        << QStringLiteral("both \"name\" and \"names\"");
    QTest::newRow("arg index")
        << QByteArray(R"({"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["a"], "action": "SCMP_ACT_ERRNO", "args": [{"index": 6, "value": 1, "op": "SCMP_CMP_EQ"}]}]})")
        << QStringLiteral("index 6 is over 5");
    QTest::newRow("operator")
        << QByteArray(R"({"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["a"], "action": "SCMP_ACT_ERRNO", "args": [{"index": 0, "value": 1, "op": "SCMP_CMP_SOMETIMES"}]}]})")
        << QStringLiteral("unknown argument operator");
    QTest::newRow("both arch lists")
        << QByteArray(R"({"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_X86"], "archMap": [{"architecture": "SCMP_ARCH_X86_64"}]})")
        << QStringLiteral("both \"architectures\" and \"archMap\"");
}

void TestSeccomp::refusesWhatItCannotHonour()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, message);
    auto p = parseProfile(json);
    QVERIFY(!p);
    QCOMPARE(p.error().code, ErrorCode::InvalidArgument);
    QVERIFY2(p.error().message.contains(message), qPrintable(p.error().message));
}

void TestSeccomp::resolvesIncludesAndExcludes()
{
    Platform oldKernel = amd64();
    oldKernel.kernelMajor = 4;
    oldKernel.kernelMinor = 4;
    auto names = [](const ResolvedProfile &r) {
        QStringList out;
        for (const ResolvedRule &rule : r.rules)
            out.append(rule.name);
        return out;
    };
    const QList<int> caps = runtime::dockerDefaultCapabilities();
    auto current = resolveProfile(defaultProfile(), caps, amd64());
    auto old = resolveProfile(defaultProfile(), caps, oldKernel);
    QVERIFY(current && old);
    // ptrace only from 4.8, where a tracer can no longer skip the filter.
    QVERIFY(names(*current).contains(QStringLiteral("ptrace")));
    QVERIFY(!names(*old).contains(QStringLiteral("ptrace")));
    // arch_prctl on amd64 only; the arm calls never.
    QVERIFY(names(*current).contains(QStringLiteral("arch_prctl")));
    QVERIFY(!names(*current).contains(QStringLiteral("breakpoint")));
    // Without CAP_SYS_ADMIN: mount is not allowed, clone3 answers ENOSYS.
    QVERIFY(!names(*current).contains(QStringLiteral("mount")));
    bool clone3Enosys = false;
    for (const ResolvedRule &r : current->rules)
        clone3Enosys = clone3Enosys || (r.name == QLatin1String("clone3") && r.action == Action::Errno && r.errnoRet == ENOSYS);
    QVERIFY(clone3Enosys);
    auto admin = resolveProfile(defaultProfile(), caps + QList<int>{CAP_SYS_ADMIN}, amd64());
    QVERIFY(admin);
    QVERIFY(names(*admin).contains(QStringLiteral("mount")));
    QVERIFY(names(*admin).contains(QStringLiteral("unshare")));
}

void TestSeccomp::defaultProfileRules_data()
{
    QTest::addColumn<int>("nr");
    QTest::addColumn<quint64>("arg0");
    QTest::addColumn<quint32>("action");
    const quint64 any = 0;
    QTest::newRow("getpid") << int(SYS_getpid) << any << kAllow;
    QTest::newRow("read") << int(SYS_read) << any << kAllow;
    QTest::newRow("keyctl") << int(SYS_keyctl) << any << errnoAction(EPERM);
    QTest::newRow("add_key") << int(SYS_add_key) << any << errnoAction(EPERM);
    QTest::newRow("request_key") << int(SYS_request_key) << any << errnoAction(EPERM);
    QTest::newRow("unshare") << int(SYS_unshare) << quint64(CLONE_NEWUSER) << errnoAction(EPERM);
    QTest::newRow("setns") << int(SYS_setns) << any << errnoAction(EPERM);
    QTest::newRow("mount") << int(SYS_mount) << any << errnoAction(EPERM);
    QTest::newRow("umount2") << int(SYS_umount2) << any << errnoAction(EPERM);
    QTest::newRow("pivot_root") << int(SYS_pivot_root) << any << errnoAction(EPERM);
    QTest::newRow("bpf") << int(SYS_bpf) << any << errnoAction(EPERM);
    QTest::newRow("perf_event_open") << int(SYS_perf_event_open) << any << errnoAction(EPERM);
    QTest::newRow("open_by_handle_at") << int(SYS_open_by_handle_at) << any << errnoAction(EPERM);
    QTest::newRow("kexec_load") << int(SYS_kexec_load) << any << errnoAction(EPERM);
    QTest::newRow("init_module") << int(SYS_init_module) << any << errnoAction(EPERM);
    QTest::newRow("reboot") << int(SYS_reboot) << any << errnoAction(EPERM);
    QTest::newRow("settimeofday") << int(SYS_settimeofday) << any << errnoAction(EPERM);
    QTest::newRow("swapon") << int(SYS_swapon) << any << errnoAction(EPERM);
    QTest::newRow("userfaultfd") << int(SYS_userfaultfd) << any << errnoAction(EPERM);
    QTest::newRow("io_uring_setup") << int(SYS_io_uring_setup) << any << errnoAction(EPERM);
    QTest::newRow("clone without namespaces") << int(SYS_clone) << quint64(SIGCHLD) << kAllow;
    QTest::newRow("clone thread") << int(SYS_clone) << quint64(CLONE_VM | CLONE_THREAD | CLONE_SIGHAND) << kAllow;
    QTest::newRow("clone NEWUSER") << int(SYS_clone) << quint64(CLONE_NEWUSER | SIGCHLD) << errnoAction(EPERM);
    QTest::newRow("clone NEWNS") << int(SYS_clone) << quint64(CLONE_NEWNS) << errnoAction(EPERM);
    QTest::newRow("clone NEWCGROUP") << int(SYS_clone) << quint64(CLONE_NEWCGROUP) << errnoAction(EPERM);
    QTest::newRow("clone3") << int(SYS_clone3) << any << errnoAction(ENOSYS);
    QTest::newRow("personality linux") << int(SYS_personality) << quint64(0) << kAllow;
    QTest::newRow("personality query") << int(SYS_personality) << quint64(0xffffffff) << kAllow;
    QTest::newRow("personality UNAME26") << int(SYS_personality) << quint64(0x20000) << kAllow;
    QTest::newRow("personality other") << int(SYS_personality) << quint64(0x0400000) << errnoAction(EPERM);
    QTest::newRow("socket inet") << int(SYS_socket) << quint64(AF_INET) << kAllow;
    QTest::newRow("socket netlink") << int(SYS_socket) << quint64(AF_NETLINK) << kAllow;
    QTest::newRow("socket 39") << int(SYS_socket) << quint64(39) << kAllow;
    QTest::newRow("socket alg") << int(SYS_socket) << quint64(AF_ALG) << errnoAction(EPERM);
    QTest::newRow("socket vsock") << int(SYS_socket) << quint64(AF_VSOCK) << errnoAction(EPERM);
    QTest::newRow("socket 41") << int(SYS_socket) << quint64(41) << kAllow;
}

void TestSeccomp::defaultProfileRules()
{
    QFETCH(int, nr);
    QFETCH(quint64, arg0);
    QFETCH(quint32, action);
    const QByteArray program = compiledDefault();
    QVERIFY(!program.isEmpty());
    const quint64 args[6] = {arg0, 0, 0, 0, 0, 0};
    const auto got = test::runSeccomp(program, nr, AUDIT_ARCH_X86_64, args);
    QVERIFY2(got.has_value(), "the interpreter met an instruction it does not know");
    QCOMPARE(QString::number(*got, 16), QString::number(action, 16));
}

void TestSeccomp::capabilitiesReopenWhatTheyGate()
{
    const QByteArray admin = compiledDefault(runtime::dockerDefaultCapabilities() + QList<int>{CAP_SYS_ADMIN});
    const quint64 newUser[6] = {quint64(CLONE_NEWUSER | SIGCHLD), 0, 0, 0, 0, 0};
    QCOMPARE(test::runSeccomp(admin, SYS_clone, AUDIT_ARCH_X86_64, newUser), std::optional<quint32>(kAllow));
    QCOMPARE(test::runSeccomp(admin, SYS_clone3, AUDIT_ARCH_X86_64), std::optional<quint32>(kAllow));
    QCOMPARE(test::runSeccomp(admin, SYS_mount, AUDIT_ARCH_X86_64), std::optional<quint32>(kAllow));
    // ...but not what another capability gates.
    QCOMPARE(test::runSeccomp(admin, SYS_reboot, AUDIT_ARCH_X86_64), std::optional<quint32>(errnoAction(EPERM)));
    const QByteArray boot = compiledDefault(runtime::dockerDefaultCapabilities() + QList<int>{CAP_SYS_BOOT});
    QCOMPARE(test::runSeccomp(boot, SYS_reboot, AUDIT_ARCH_X86_64), std::optional<quint32>(kAllow));
}

void TestSeccomp::newerSyscallsAreEnosys()
{
    const QByteArray program = compiledDefault();
    // Above every number the profile names: unimplemented, not forbidden.
    QCOMPARE(test::runSeccomp(program, 1000, AUDIT_ARCH_X86_64), std::optional<quint32>(errnoAction(ENOSYS)));
    QCOMPARE(test::runSeccomp(program, 0x3ff, AUDIT_ARCH_X86_64), std::optional<quint32>(errnoAction(ENOSYS)));
    // Below it, a syscall the profile leaves out is EPERM, as docker's.
    QVERIFY(nativeNumber("futex_waitv") > SYS_kexec_file_load);
    QCOMPARE(test::runSeccomp(program, SYS_kexec_file_load, AUDIT_ARCH_X86_64), std::optional<quint32>(errnoAction(EPERM)));
}

void TestSeccomp::otherArchitectures()
{
    const QByteArray program = compiledDefault();
    // x32: x86_64's audit arch with the x32 bit in the number.
    constexpr int x32Bit = 0x40000000;
    QCOMPARE(test::runSeccomp(program, x32Bit | SYS_getpid, AUDIT_ARCH_X86_64), std::optional<quint32>(kAllow));
    QCOMPARE(test::runSeccomp(program, x32Bit | 2000, AUDIT_ARCH_X86_64), std::optional<quint32>(errnoAction(ENOSYS)));
    // i386: its own numbers (20 is getpid, 288 keyctl).
    QCOMPARE(test::runSeccomp(program, 20, AUDIT_ARCH_I386), std::optional<quint32>(kAllow));
    QCOMPARE(test::runSeccomp(program, 288, AUDIT_ARCH_I386), std::optional<quint32>(errnoAction(EPERM)));
    // An architecture the profile does not name: ENOSYS, never allowed.
    QCOMPARE(test::runSeccomp(program, SYS_getpid, AUDIT_ARCH_AARCH64), std::optional<quint32>(errnoAction(ENOSYS)));
}

void TestSeccomp::compileCost()
{
    // Reported, not asserted (timings drift on shared machines): the bench
    // script compares whole runs against runc.
    QElapsedTimer t;
    t.start();
    const int rounds = 20;
    int instructions = 0;
    for (int i = 0; i < rounds; ++i)
        instructions = runtime::seccomp::instructionCount(compiledDefault());
    qInfo("docker's default profile: %d BPF instructions, compiled in %.2f ms", instructions,
          double(t.nsecsElapsed()) / 1e6 / rounds);
    QVERIFY(instructions > 100 && instructions < BPF_MAXINSNS);

    // What a start pays: the cached program looked up, and the kernel taking
    // it (it checks it, translates it and runs it once per syscall number to
    // build its allow cache), measured in a forked child that loads it for
    // real. (The child's first lookup only pays for copying the pages a fork
    // shares: the end-to-end cost is tests/bench/run.sh's.)
    QTemporaryDir dir;
    const QString cache = dir.path() + QStringLiteral("/cache");
    QVERIFY(defaultFilterCached(runtime::dockerDefaultCapabilities(), cache));
    int pipeFds[2];
    QVERIFY(::pipe(pipeFds) == 0);
    const pid_t child = ::fork();
    if (child == 0) {
        (void)defaultFilterCached(runtime::dockerDefaultCapabilities(), cache);
        timespec a{}, b{}, c{};
        ::clock_gettime(CLOCK_MONOTONIC, &a);
        auto program = defaultFilterCached(runtime::dockerDefaultCapabilities(), cache);
        ::clock_gettime(CLOCK_MONOTONIC, &b);
        ::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
        const int err = program ? installFilter(*program) : -1;
        ::clock_gettime(CLOCK_MONOTONIC, &c);
        const qint64 ns[3] = {(b.tv_sec - a.tv_sec) * 1000000000LL + (b.tv_nsec - a.tv_nsec),
                              (c.tv_sec - b.tv_sec) * 1000000000LL + (c.tv_nsec - b.tv_nsec), err};
        (void)::write(pipeFds[1], ns, sizeof ns);
        ::_exit(0);
    }
    ::close(pipeFds[1]);
    qint64 ns[3] = {};
    QCOMPARE(::read(pipeFds[0], ns, sizeof ns), ssize_t(sizeof ns));
    ::close(pipeFds[0]);
    ::waitpid(child, nullptr, 0);
    QCOMPARE(ns[2], qint64(0));
    qInfo("a start: the cached program looked up in %.3f ms, loaded by the kernel in %.3f ms", double(ns[0]) / 1e6,
          double(ns[1]) / 1e6);
}

void TestSeccomp::cacheServesTheSameProgram()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString cache = dir.path() + QStringLiteral("/cache");
    auto resolved = resolveProfile(defaultProfile(), runtime::dockerDefaultCapabilities(), hostPlatform());
    QVERIFY(resolved);
    QElapsedTimer t;
    t.start();
    auto fresh = compileFilterCached(*resolved, cache);
    const qint64 freshNs = t.nsecsElapsed();
    QVERIFY2(fresh, fresh ? "" : qPrintable(fresh.error().message));
    const QStringList entries = QDir(cache).entryList(QDir::Files);
    QCOMPARE(entries.size(), 1);
    QCOMPARE(QFileInfo(cache + u'/' + entries.first()).permissions() & (QFileDevice::ReadOther | QFileDevice::ReadGroup), QFileDevice::Permissions());
    t.restart();
    auto cached = compileFilterCached(*resolved, cache);
    const qint64 cachedNs = t.nsecsElapsed();
    QVERIFY(cached);
    QCOMPARE(*cached, *fresh);
    QCOMPARE(*cached, *compileFilter(*resolved));
    qInfo("compiled %.2f ms, from the cache %.3f ms", double(freshNs) / 1e6, double(cachedNs) / 1e6);
    // Another profile is another entry; a damaged entry is compiled anew.
    auto admin = resolveProfile(defaultProfile(), runtime::dockerDefaultCapabilities() + QList<int>{CAP_SYS_ADMIN}, hostPlatform());
    QVERIFY(admin && compileFilterCached(*admin, cache));
    QCOMPARE(QDir(cache).entryList(QDir::Files).size(), 2);
    QFile damaged(cache + u'/' + entries.first());
    QVERIFY(damaged.open(QIODevice::WriteOnly | QIODevice::Truncate) && damaged.write("12345") == 5);
    damaged.close();
    auto again = compileFilterCached(*resolved, cache);
    QVERIFY(again);
    QCOMPARE(*again, *fresh);
}

QTEST_GUILESS_MAIN(TestSeccomp)
#include "tst_seccomp.moc"
