// The seccomp filter inside real containers of the demo image: each rule of
// docker's default profile checked by a static probe making the raw system
// call, under the default profile and with seccomp=unconfined (so a refusal
// is shown to be the filter's, not the kernel's); the filter's presence in
// run and exec; custom profiles in docker's format; the options' errors;
// and what inspect says applies. Needs root.
#include "support/staticprobe.h"
#include "support/testsupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <sys/syscall.h>

using porthole::test::RunResult;

class TestSeccompProbe : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void rules_data();
    void rules();
    void filterInRunAndExec();
    void nestedUserNamespaceMountRefused();
    void customProfile();
    void badOptions_data();
    void badOptions();
    void inspectShowsWhatApplies();

private:
    RunResult ph(const QStringList &args, const QByteArray &input = {})
    {
        return porthole::test::runWithDemo(m_root.path(), args, input, 60000);
    }
    RunResult probe(const QStringList &probeArgs, const QStringList &extra = {})
    {
        return ph(QStringList{QStringLiteral("run"), QStringLiteral("--rm"), QStringLiteral("--network"), QStringLiteral("none"),
                              QStringLiteral("-v"), m_probeDir.path() + QStringLiteral(":/p:ro")}
                  + extra + QStringList{QStringLiteral("localhost/demo"), QStringLiteral("/p/probe")} + probeArgs);
    }
    RunResult sh(const QString &script, const QStringList &extra = {})
    {
        return ph(QStringList{QStringLiteral("run"), QStringLiteral("--rm"), QStringLiteral("--network"), QStringLiteral("none")}
                  + extra + QStringList{QStringLiteral("localhost/demo"), QStringLiteral("sh"), QStringLiteral("-c"), script});
    }
    QTemporaryDir m_root;
    QTemporaryDir m_probeDir;
};

void TestSeccompProbe::initTestCase()
{
    if (const QString why = porthole::test::containerSkipReason(); !why.isEmpty())
        QSKIP(qPrintable(why));
#ifndef __x86_64__
    QSKIP("the rows below use x86_64 system call numbers");
#endif
    QVERIFY(m_root.isValid() && m_probeDir.isValid());
    const QString built = porthole::test::buildStaticProbe(m_probeDir.path());
    QVERIFY2(built.isEmpty(), qPrintable(built));
    QVERIFY2(porthole::test::demoImageReady(m_root.path()), "the demo image was not created");
}

void TestSeccompProbe::cleanupTestCase()
{
    if (porthole::test::containerSkipReason().isEmpty())
        porthole::test::removeAllContainers(m_root.path());
}

void TestSeccompProbe::rules_data()
{
    // The probe's answer under docker's default profile, and without a
    // filter: an exact answer, "!" (anything but the default's answer: the
    // refusal was the filter's) or "*" (the kernel refuses too).
    QTest::addColumn<QStringList>("call");
    QTest::addColumn<QString>("confined");
    QTest::addColumn<QString>("unconfined");
    auto call = [](long nr, std::initializer_list<const char *> args = {}) {
        QStringList out{QStringLiteral("sys"), QString::number(nr)};
        for (const char *a : args)
            out.append(QString::fromLatin1(a));
        return out;
    };
    const QString ok = QStringLiteral("ok"), eperm = QStringLiteral("errno=1"), enosys = QStringLiteral("errno=38");
    const QString different = QStringLiteral("!"), any = QStringLiteral("*");
    QTest::newRow("getpid") << call(SYS_getpid) << ok << ok;
    QTest::newRow("keyctl: the keyring is not namespaced") << call(SYS_keyctl, {"0", "-3", "1"}) << eperm << different;
    QTest::newRow("unshare a user namespace") << call(SYS_unshare, {"0x10000000"}) << eperm << ok;
    QTest::newRow("clone a user namespace") << call(SYS_clone, {"0x10000011"}) << eperm << ok;
    QTest::newRow("clone a process") << call(SYS_clone, {"17"}) << ok << ok;
    QTest::newRow("clone3 says ENOSYS") << call(SYS_clone3, {"0", "0"}) << enosys << different;
    QTest::newRow("setns") << call(SYS_setns, {"-1", "0"}) << eperm << QStringLiteral("errno=9");
    QTest::newRow("personality query") << call(SYS_personality, {"0xffffffff"}) << ok << ok;
    QTest::newRow("personality other") << call(SYS_personality, {"0x0400000"}) << eperm << ok;
    QTest::newRow("socket AF_INET") << call(SYS_socket, {"2", "1", "0"}) << ok << ok;
    QTest::newRow("socket AF_VSOCK") << call(SYS_socket, {"40", "1", "0"}) << eperm << different;
    QTest::newRow("socket AF_ALG") << call(SYS_socket, {"38", "5", "0"}) << eperm << different;
    QTest::newRow("io_uring_setup") << call(SYS_io_uring_setup, {"1", "0"}) << eperm << different;
    QTest::newRow("perf_event_open") << call(SYS_perf_event_open, {"0", "0", "-1", "-1", "0"}) << eperm << different;
    QTest::newRow("a syscall newer than the profile") << call(1000) << enosys << enosys;
    QTest::newRow("mount") << call(SYS_mount, {"0", "0", "0", "0", "0"}) << eperm << any;
    QTest::newRow("bpf") << call(SYS_bpf, {"0", "0", "0"}) << eperm << any;
    QTest::newRow("userfaultfd") << call(SYS_userfaultfd, {"0"}) << eperm << any;
    QTest::newRow("kexec_load") << call(SYS_kexec_load, {"0", "0", "0", "0"}) << eperm << any;
    QTest::newRow("open_by_handle_at") << call(SYS_open_by_handle_at, {"-1", "0", "0"}) << eperm << any;
}

void TestSeccompProbe::rules()
{
    QFETCH(QStringList, call);
    QFETCH(QString, confined);
    QFETCH(QString, unconfined);
    const RunResult in = probe(call);
    QVERIFY2(in.exitCode == 0, in.err.constData());
    QCOMPARE(QString::fromLatin1(in.out.trimmed()), confined);
    const RunResult out = probe(call, {QStringLiteral("--security-opt"), QStringLiteral("seccomp=unconfined")});
    QVERIFY2(out.exitCode == 0, out.err.constData());
    const QString got = QString::fromLatin1(out.out.trimmed());
    if (unconfined == QLatin1String("!"))
        QVERIFY2(got != confined, qPrintable(QStringLiteral("unconfined also says %1: the refusal is not the filter's").arg(got)));
    else if (unconfined != QLatin1String("*"))
        QCOMPARE(got, unconfined);
}

void TestSeccompProbe::filterInRunAndExec()
{
    const QString status = QStringLiteral("grep Seccomp: /proc/self/status");
    RunResult r = sh(status);
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QCOMPARE(r.out, QByteArray("Seccomp:\t2\n"));
    r = sh(status, {QStringLiteral("--security-opt"), QStringLiteral("seccomp=unconfined")});
    QCOMPARE(r.out, QByteArray("Seccomp:\t0\n"));
    r = sh(status, {QStringLiteral("--privileged")});
    QCOMPARE(r.out, QByteArray("Seccomp:\t0\n"));
    // --init's PID 1 is filtered as docker's init is.
    r = sh(QStringLiteral("grep Seccomp: /proc/1/status"), {QStringLiteral("--init")});
    QCOMPARE(r.out, QByteArray("Seccomp:\t2\n"));

    r = ph({QStringLiteral("run"), QStringLiteral("-d"), QStringLiteral("--name"), QStringLiteral("filtered"), QStringLiteral("--network"),
            QStringLiteral("none"), QStringLiteral("localhost/demo"), QStringLiteral("sleep"), QStringLiteral("300")});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    r = ph({QStringLiteral("exec"), QStringLiteral("filtered"), QStringLiteral("sh"), QStringLiteral("-c"), status});
    ph({QStringLiteral("rm"), QStringLiteral("-f"), QStringLiteral("filtered")});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QCOMPARE(r.out, QByteArray("Seccomp:\t2\n"));
}

void TestSeccompProbe::nestedUserNamespaceMountRefused()
{
    // What the issue measured: busybox's unshare, if this busybox has it.
    const RunResult has = sh(QStringLiteral("busybox --list | grep -qx unshare && echo yes"));
    if (has.out.trimmed() != "yes")
        QSKIP("this busybox has no unshare applet (the probe rows cover the system calls)");
    const QString script = QStringLiteral("mkdir -p /tmp/m && unshare -Urm sh -c 'mount -t tmpfs x /tmp/m && echo mounted'");
    const RunResult r = sh(script);
    QVERIFY(r.exitCode != 0);
    QVERIFY(!r.out.contains("mounted"));
    const RunResult open = sh(script, {QStringLiteral("--security-opt"), QStringLiteral("seccomp=unconfined")});
    QVERIFY2(open.out.contains("mounted"), open.err.constData());
}

void TestSeccompProbe::customProfile()
{
    // Docker's format: allow everything, but mkdir says EACCES.
    const QString file = m_probeDir.path() + QStringLiteral("/nomkdir.json");
    QVERIFY(porthole::test::writeFile(file, R"({"defaultAction": "SCMP_ACT_ALLOW",
        "syscalls": [{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO", "errnoRet": 13}]})"));
    const RunResult r = sh(QStringLiteral("mkdir /made 2>&1; grep Seccomp: /proc/self/status"),
                           {QStringLiteral("--security-opt"), QStringLiteral("seccomp=") + file});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QVERIFY2(r.out.contains("Permission denied"), r.out.constData());
    QVERIFY(r.out.contains("Seccomp:\t2"));
}

void TestSeccompProbe::badOptions_data()
{
    QTest::addColumn<QString>("option");
    QTest::addColumn<QString>("message");
    const QString invalid = m_probeDir.path() + QStringLiteral("/invalid.json");
    porthole::test::writeFile(invalid, "{\"defaultAction\": \"SCMP_ACT_PERHAPS\"}");
    QTest::newRow("missing file") << QStringLiteral("seccomp=/nonexistent/profile.json")
                                  << QStringLiteral("opening seccomp profile (/nonexistent/profile.json) failed");
    QTest::newRow("bad profile") << QStringLiteral("seccomp=") + invalid << QStringLiteral("unknown action \"SCMP_ACT_PERHAPS\"");
    QTest::newRow("apparmor profile") << QStringLiteral("apparmor=docker-default") << QStringLiteral("is not supported");
    QTest::newRow("unknown") << QStringLiteral("bogus=1") << QStringLiteral("invalid --security-opt: bogus=1");
    QTest::newRow("no-new-privileges=false") << QStringLiteral("no-new-privileges=false") << QStringLiteral("always set");
}

void TestSeccompProbe::badOptions()
{
    QFETCH(QString, option);
    QFETCH(QString, message);
    const RunResult r = ph({QStringLiteral("run"), QStringLiteral("--rm"), QStringLiteral("--security-opt"), option,
                            QStringLiteral("localhost/demo"), QStringLiteral("true")});
    QCOMPARE(r.exitCode, 125);
    QVERIFY2(QString::fromUtf8(r.err).contains(message), r.err.constData());
}

void TestSeccompProbe::inspectShowsWhatApplies()
{
    auto hostConfig = [&](const QStringList &flags) {
        const RunResult c = ph(QStringList{QStringLiteral("create")} + flags + QStringList{QStringLiteral("localhost/demo"), QStringLiteral("true")});
        const QString id = QString::fromLatin1(c.out.trimmed());
        const RunResult i = ph({QStringLiteral("inspect"), id});
        ph({QStringLiteral("rm"), id});
        return QJsonDocument::fromJson(i.out).array().first().toObject().value(QStringLiteral("HostConfig")).toObject();
    };
    QJsonObject h = hostConfig({});
    QCOMPARE(h.value(QStringLiteral("Seccomp")).toString(), QStringLiteral("default"));
    QCOMPARE(h.value(QStringLiteral("Privileged")).toBool(), false);
    QVERIFY(h.value(QStringLiteral("MaskedPaths")).toArray().contains(QStringLiteral("/proc/kcore")));
    QVERIFY(h.value(QStringLiteral("SecurityOpt")).isNull());
    h = hostConfig({QStringLiteral("--security-opt"), QStringLiteral("seccomp=unconfined")});
    QCOMPARE(h.value(QStringLiteral("Seccomp")).toString(), QStringLiteral("unconfined"));
    QCOMPARE(h.value(QStringLiteral("SecurityOpt")).toArray(), QJsonArray{QStringLiteral("seccomp=unconfined")});
    h = hostConfig({QStringLiteral("--privileged")});
    QCOMPARE(h.value(QStringLiteral("Privileged")).toBool(), true);
    QCOMPARE(h.value(QStringLiteral("Seccomp")).toString(), QStringLiteral("unconfined"));
    QVERIFY(h.value(QStringLiteral("MaskedPaths")).toArray().isEmpty());
    QVERIFY(h.value(QStringLiteral("Capabilities")).toArray().contains(QStringLiteral("CAP_SYS_ADMIN")));
}

QTEST_GUILESS_MAIN(TestSeccompProbe)
#include "tst_seccompprobe.moc"
