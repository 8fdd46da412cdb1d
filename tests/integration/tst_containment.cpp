// The holes a container could reach the host through, each tried from a
// real container of the demo image: a writable /sys with --network host,
// `:ro` binds whose submounts stayed writable, host devices made with mknod,
// `--device`, what `--privileged` lifts, and a "#!/proc/self/exe" command
// that would make the host's porthole binary run inside the container
// (CVE-2019-5736). Needs root.
#include "support/staticprobe.h"
#include "support/testsupport.h"

#include <QDir>
#include <QScopeGuard>
#include <QTemporaryDir>
#include <QTest>

#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

using porthole::test::RunResult;

class TestContainment : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void sysIsReadOnly_data();
    void sysIsReadOnly();
    void readOnlyBindCoversSubmounts();
    void hostDevicesCannotBeOpened();
    void deviceFlag();
    void deviceFlagErrors_data();
    void deviceFlagErrors();
    void privilegedLiftsConfinement();
    void procSelfExeIsNeverTheHostBinary();
    void umaskIsDockers();

private:
    RunResult ph(const QStringList &args, const QByteArray &input = {})
    {
        return porthole::test::runWithDemo(m_root.path(), args, input, 60000);
    }
    RunResult sh(const QString &script, const QStringList &extra = {})
    {
        return ph(QStringList{QStringLiteral("run"), QStringLiteral("--rm")} + extra
                  + QStringList{QStringLiteral("-v"), m_probeDir.path() + QStringLiteral(":/p:ro"), QStringLiteral("localhost/demo"),
                                QStringLiteral("sh"), QStringLiteral("-c"), script});
    }
    QTemporaryDir m_root;
    QTemporaryDir m_probeDir;
    QTemporaryDir m_work;
    QString m_hostDisk; // "b MAJ MIN" of the disk under /
};

void TestContainment::initTestCase()
{
    if (const QString why = porthole::test::containerSkipReason(); !why.isEmpty())
        QSKIP(qPrintable(why));
    QVERIFY(m_root.isValid() && m_probeDir.isValid() && m_work.isValid());
    const QString built = porthole::test::buildStaticProbe(m_probeDir.path());
    QVERIFY2(built.isEmpty(), qPrintable(built));
    QVERIFY2(porthole::test::demoImageReady(m_root.path()), "the demo image was not created");
    struct stat st {};
    QVERIFY(::stat("/", &st) == 0);
    m_hostDisk = QStringLiteral("%1 %2").arg(::major(st.st_dev)).arg(::minor(st.st_dev));
}

void TestContainment::cleanupTestCase()
{
    if (porthole::test::containerSkipReason().isEmpty())
        porthole::test::removeAllContainers(m_root.path());
}

void TestContainment::sysIsReadOnly_data()
{
    QTest::addColumn<QString>("network");
    QTest::newRow("private") << QStringLiteral("private");
    QTest::newRow("none") << QStringLiteral("none");
    QTest::newRow("host") << QStringLiteral("host");
}

void TestContainment::sysIsReadOnly()
{
    QFETCH(QString, network);
    const QString probe = QStringLiteral("/sys/fs/cgroup/pids/porthole-containment-probe");
    const auto cleanup = qScopeGuard([&] { ::rmdir(QFile::encodeName(probe).constData()); });
    // What the issue measured: with the host's network the host's cgroups
    // were one mkdir away. Nothing under /sys may be writable.
    const RunResult r = sh(QStringLiteral("mkdir %1 2>/dev/null && echo made; echo 1 > /sys/kernel/uevent_helper 2>/dev/null && echo wrote; "
                                          "awk '$5 == \"/sys\" { print $6 }' /proc/self/mountinfo | cut -d, -f1; "
                                          "awk 'index($5, \"/sys/\") == 1 { print $5, $6 }' /proc/self/mountinfo | grep -v ' ro'; echo end")
                               .arg(probe),
                           {QStringLiteral("--network"), network});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QVERIFY2(!QFileInfo::exists(probe), "a container made a cgroup on the host");
    // Only a read-only /sys and, below it, only read-only mounts (masks).
    QCOMPARE(r.out, QByteArray("ro\nend\n"));
}

void TestContainment::readOnlyBindCoversSubmounts()
{
    const QString outer = m_work.path() + QStringLiteral("/outer");
    const QString inner = outer + QStringLiteral("/inner");
    QVERIFY(QDir().mkpath(inner));
    QVERIFY2(::mount("porthole-test", QFile::encodeName(inner).constData(), "tmpfs", 0, "size=1m") == 0, strerror(errno));
    const auto cleanup = qScopeGuard([&] { ::umount2(QFile::encodeName(inner).constData(), MNT_DETACH); });
    const RunResult r = sh(QStringLiteral("touch /d/top 2>/dev/null && echo top-written; touch /d/inner/sub 2>/dev/null && echo sub-written; "
                                          "ls /d; echo end"),
                           {QStringLiteral("--network"), QStringLiteral("none"), QStringLiteral("-v"), outer + QStringLiteral(":/d:ro")});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QCOMPARE(r.out, QByteArray("inner\nend\n"));
    QVERIFY(!QFileInfo::exists(inner + QStringLiteral("/sub")));
}

void TestContainment::hostDevicesCannotBeOpened()
{
    // mknod is allowed (docker's "c *:* m", "b *:* m"); opening is not.
    const RunResult r = sh(QStringLiteral("/p/probe mknod /disk b %1; /p/probe open /disk; /p/probe mknod /mem c 1 1; /p/probe open /mem; "
                                          "/p/probe open /dev/null w; /p/probe open /dev/urandom")
                               .arg(m_hostDisk),
                           {QStringLiteral("--network"), QStringLiteral("none")});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QCOMPARE(r.out, QByteArray("ok\nerrno=1\nok\nerrno=1\nok\nok\n"));
}

void TestContainment::deviceFlag()
{
    // /dev/net/tun (10:200, not among docker's defaults) as /dev/mytun,
    // read-only: it may be opened for reading, not for writing; without
    // the flag it may not be opened at all.
    const RunResult r = sh(QStringLiteral("ls -l /dev/mytun | cut -c1; /p/probe open /dev/mytun; /p/probe open /dev/mytun w; "
                                          "/p/probe mknod /tun c 10 200; /p/probe open /tun"),
                           {QStringLiteral("--network"), QStringLiteral("none"), QStringLiteral("--device"), QStringLiteral("/dev/net/tun:/dev/mytun:r")});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QCOMPARE(r.out.simplified(), QByteArray("c ok errno=1 ok ok"));
    const RunResult without = sh(QStringLiteral("/p/probe mknod /tun c 10 200; /p/probe open /tun"), {QStringLiteral("--network"), QStringLiteral("none")});
    QCOMPARE(without.out.simplified(), QByteArray("ok errno=1"));
    const RunResult i = ph({QStringLiteral("create"), QStringLiteral("--device"), QStringLiteral("/dev/zero:/dev/myzero:r"),
                            QStringLiteral("localhost/demo"), QStringLiteral("true")});
    QVERIFY2(i.exitCode == 0, i.err.constData());
    const RunResult inspect = ph({QStringLiteral("inspect"), QStringLiteral("-f"), QStringLiteral("{{json .HostConfig.Devices}}"),
                                  QString::fromLatin1(i.out.trimmed())});
    QCOMPARE(inspect.out.trimmed(), QByteArray(R"([{"CgroupPermissions":"r","PathInContainer":"/dev/myzero","PathOnHost":"/dev/zero"}])"));
}

void TestContainment::deviceFlagErrors_data()
{
    QTest::addColumn<QString>("spec");
    QTest::addColumn<QString>("message");
    QTest::newRow("missing") << QStringLiteral("/dev/porthole-no-such-device")
                             << QStringLiteral("error gathering device information while adding custom device \"/dev/porthole-no-such-device\"");
    QTest::newRow("not a device") << QStringLiteral("/etc/passwd:/dev/passwd") << QStringLiteral("not a device node");
    QTest::newRow("outside /dev") << QStringLiteral("/dev/null:/etc/null") << QStringLiteral("must be under /dev");
    QTest::newRow("bad permissions") << QStringLiteral("/dev/null:/dev/n:x") << QStringLiteral("invalid device specification");
}

void TestContainment::deviceFlagErrors()
{
    QFETCH(QString, spec);
    QFETCH(QString, message);
    const RunResult r = ph({QStringLiteral("run"), QStringLiteral("--rm"), QStringLiteral("--device"), spec, QStringLiteral("localhost/demo"),
                            QStringLiteral("true")});
    QCOMPARE(r.exitCode, 125);
    QVERIFY2(QString::fromUtf8(r.err).contains(message), r.err.constData());
}

void TestContainment::privilegedLiftsConfinement()
{
    // docker's --privileged: every capability, no filter, no masks, a
    // writable /sys, the host's devices. (Nothing is written to the host.)
    const RunResult r = sh(QStringLiteral("grep -E '^(CapEff|Seccomp|NoNewPrivs):' /proc/self/status | cut -f2; "
                                          "awk '$5 == \"/sys\" { print $6 }' /proc/self/mountinfo | cut -d, -f1; "
                                          "cat /proc/timer_list | head -c 1 | wc -c; /p/probe open /dev/null"),
                           {QStringLiteral("--network"), QStringLiteral("none"), QStringLiteral("--privileged")});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const QList<QByteArray> lines = r.out.split('\n');
    QVERIFY2(lines.size() >= 6, r.out.constData());
    QVERIFY2(lines[0] != "00000000a80425fb" && lines[0].toULongLong(nullptr, 16) > 0xa80425fbULL, lines[0].constData());
    QCOMPARE(lines[1], QByteArray("0"));  // NoNewPrivs comes first in status
    QCOMPARE(lines[2], QByteArray("0"));  // Seccomp
    QCOMPARE(lines[3], QByteArray("rw"));
    QCOMPARE(lines[4], QByteArray("1"));
    QCOMPARE(lines[5], QByteArray("ok"));
    // The host's disk is there (and opening it would work): only check it exists.
    const RunResult dev = sh(QStringLiteral("find /dev -type b | head -n 1 | grep -c ."),
                             {QStringLiteral("--network"), QStringLiteral("none"), QStringLiteral("--privileged")});
    QCOMPARE(dev.out.trimmed(), QByteArray("1"));
}

void TestContainment::procSelfExeIsNeverTheHostBinary()
{
    // A command whose interpreter is /proc/self/exe: the kernel resolves it
    // to whatever binary the process that execs it runs. Porthole's binary
    // must never be that (it would run inside the container, reachable by
    // container root through /proc/<pid>/exe); its exec trampoline is.
    const QString script = m_work.path() + QStringLiteral("/selfexe");
    QVERIFY(porthole::test::writeFile(script, "#!/proc/self/exe\n"));
    QVERIFY(QFile::setPermissions(script, QFileDevice::ReadOwner | QFileDevice::ExeOwner | QFileDevice::ExeOther | QFileDevice::ReadOther));
    const QByteArray trampoline = "porthole-exec: this is Porthole's exec trampoline";

    RunResult r = ph({QStringLiteral("create"), QStringLiteral("--name"), QStringLiteral("selfexe"), QStringLiteral("--network"),
                      QStringLiteral("none"), QStringLiteral("localhost/demo"), QStringLiteral("/selfexe")});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    r = ph({QStringLiteral("cp"), script, QStringLiteral("selfexe:/selfexe")});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    r = ph({QStringLiteral("start"), QStringLiteral("-a"), QStringLiteral("selfexe")});
    QVERIFY2(r.out.contains(trampoline) || r.err.contains(trampoline), (r.out + r.err).constData());
    QCOMPARE(r.exitCode, 126);

    // exec, through a copy of the binary (an upgrade while the container
    // runs: the shim's ETXTBSY does not protect the new file).
    const QString upgraded = m_work.path() + QStringLiteral("/porthole-upgraded");
    QVERIFY(QFile::copy(porthole::test::portholeBinary(), upgraded));
    QVERIFY(QFile::setPermissions(upgraded, QFileDevice::ReadOwner | QFileDevice::ExeOwner));
    r = ph({QStringLiteral("run"), QStringLiteral("-d"), QStringLiteral("--name"), QStringLiteral("execself"), QStringLiteral("--network"),
            QStringLiteral("none"), QStringLiteral("localhost/demo"), QStringLiteral("sleep"), QStringLiteral("300")});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    r = ph({QStringLiteral("cp"), script, QStringLiteral("execself:/selfexe")});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    r = porthole::test::runProgram(upgraded, {QStringLiteral("--root"), m_root.path(), QStringLiteral("exec"), QStringLiteral("execself"),
                                              QStringLiteral("/selfexe")});
    ph({QStringLiteral("rm"), QStringLiteral("-f"), QStringLiteral("execself"), QStringLiteral("selfexe")});
    QVERIFY2(r.out.contains(trampoline) || r.err.contains(trampoline), (r.out + r.err).constData());
    QCOMPARE(r.exitCode, 126);
}

void TestContainment::umaskIsDockers()
{
    // Whatever umask started Porthole, the command gets docker's 0022 (it
    // inherited the caller's: 0077 made every file it wrote private).
    const QString script = QStringLiteral("umask 077; exec '%1' --root '%2' run --rm --network none localhost/demo sh -c umask")
                               .arg(porthole::test::portholeBinary(), m_root.path());
    const RunResult r = porthole::test::runProgram(QStringLiteral("/bin/sh"), {QStringLiteral("-c"), script});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QCOMPARE(r.out.trimmed(), QByteArray("0022"));
}

QTEST_GUILESS_MAIN(TestContainment)
#include "tst_containment.moc"
