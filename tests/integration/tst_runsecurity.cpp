// What a container can see and touch of its host, checked from inside a real
// container of the demo image: masked and read-only /proc and /sys, docker's
// capability set, no_new_privs, no leaked host descriptors (also not as a
// working directory), mount flags, --read-only, bind mounts and volumes, and
// image symlinks that try to aim a -v destination at the host. Needs root.
#include "support/testsupport.h"

#include <QDir>
#include <QFile>
#include <QProcessEnvironment>
#include <QTemporaryDir>
#include <QTest>

#include <unistd.h>

using porthole::test::RunResult;

class TestRunSecurity : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void procAndSysHardening_data();
    void procAndSysHardening();
    void capabilities_data();
    void capabilities();
    void noHostDescriptors_data();
    void noHostDescriptors();
    void leakedDirectoryIsNoWorkingDir_data();
    void leakedDirectoryIsNoWorkingDir();
    void pid1ExeHiddenFromOtherUsers();
    void mountFlags_data();
    void mountFlags();
    void readOnlyRoot();
    void bindMounts();
    void namedVolumeOutlivesContainers();
    void imageSymlinksStayInside_data();
    void imageSymlinksStayInside();
    void bindOverTheRootRefused();

private:
    RunResult ph(const QStringList &args, const QByteArray &input = {}, int timeoutMs = 60000)
    {
        return porthole::test::runWithDemo(m_root.path(), args, input, timeoutMs);
    }
    // `run --rm --network none [extra] IMAGE sh -c script`.
    RunResult sh(const QString &script, const QStringList &extra = {}, const QString &image = QStringLiteral("localhost/demo"))
    {
        return ph(QStringList{QStringLiteral("run"), QStringLiteral("--rm"), QStringLiteral("--network"), QStringLiteral("none")}
                  + extra + QStringList{image, QStringLiteral("sh"), QStringLiteral("-c"), script});
    }
    // Runs porthole through /bin/sh with descriptors 7 (a file) and 8 (the
    // given directory) open and not close-on-exec, as a careless parent
    // would leave them. The first output line is the host's own fd list.
    RunResult withLeakedFds(const QString &dir, const QStringList &args)
    {
        QStringList quoted;
        for (const QString &a : args)
            quoted.append(u'\'' + QString(a).replace(u'\'', QStringLiteral("'\\''")) + u'\'');
        const QString script = QStringLiteral("exec 7</etc/passwd 8<'%1'; ls /proc/self/fd | tr '\\n' ' '; echo; exec '%2' --root '%3' %4")
                                   .arg(dir, porthole::test::portholeBinary(), m_root.path(), quoted.join(u' '));
        return porthole::test::runProgram(QStringLiteral("/bin/sh"), {QStringLiteral("-c"), script});
    }
    QString startSleeper(const QString &name)
    {
        const RunResult r = ph({QStringLiteral("run"), QStringLiteral("-d"), QStringLiteral("--name"), name, QStringLiteral("--network"),
                                QStringLiteral("none"), QStringLiteral("localhost/demo"), QStringLiteral("sleep"), QStringLiteral("300")});
        return r.exitCode == 0 ? name : QString();
    }
    void importEvilImage();
    QTemporaryDir m_root;
    QTemporaryDir m_work;
    QByteArray m_mountinfo;
    bool m_evilImported = false;
};

void TestRunSecurity::initTestCase()
{
    if (const QString why = porthole::test::containerSkipReason(); !why.isEmpty())
        QSKIP(qPrintable(why));
    QVERIFY(m_root.isValid() && m_work.isValid());
    QVERIFY2(porthole::test::demoImageReady(m_root.path()), "the demo image was not created");
}

void TestRunSecurity::cleanupTestCase()
{
    // Nothing may outlive the test: stop and remove every container.
    if (porthole::test::containerSkipReason().isEmpty())
        porthole::test::removeAllContainers(m_root.path());
}

void TestRunSecurity::procAndSysHardening_data()
{
    QTest::addColumn<QString>("script");
    QTest::addColumn<QByteArray>("expected");
    // Masked files read as nothing; this kernel may lack some of them, and
    // timer_list and keys (which it has) prove the masking itself.
    QTest::newRow("kcore") << QStringLiteral("cat /proc/kcore 2>/dev/null | head -c 16 | wc -c") << QByteArray("0");
    QTest::newRow("timer_list") << QStringLiteral("cat /proc/timer_list | wc -c") << QByteArray("0");
    QTest::newRow("keys") << QStringLiteral("cat /proc/keys | wc -c") << QByteArray("0");
    QTest::newRow("sched_debug") << QStringLiteral("cat /proc/sched_debug 2>/dev/null | wc -c") << QByteArray("0");
    QTest::newRow("sys/firmware empty") << QStringLiteral("ls -A /sys/firmware | wc -l") << QByteArray("0");
    QTest::newRow("proc/sys read-only")
        << QStringLiteral("echo evil > /proc/sys/kernel/hostname 2>/dev/null && echo wrote; grep -c ' /proc/sys ro,' /proc/self/mountinfo; hostname")
        << QByteArray("1\nsafe");
    QTest::newRow("sysrq-trigger")
        << QStringLiteral("echo h > /proc/sysrq-trigger 2>/dev/null && echo wrote; "
                          "[ ! -e /proc/sysrq-trigger ] || grep -c ' /proc/sysrq-trigger ro,' /proc/self/mountinfo; echo done")
        << QByteArray(QFile::exists(QStringLiteral("/proc/sysrq-trigger")) ? "1\ndone" : "done");
    QTest::newRow("sys read-only") << QStringLiteral("echo 1 > /sys/kernel/uevent_helper 2>/dev/null && echo wrote; mkdir /sys/x 2>/dev/null || echo refused")
                                   << QByteArray("refused");
}

void TestRunSecurity::procAndSysHardening()
{
    QFETCH(QString, script);
    QFETCH(QByteArray, expected);
    if (QByteArray(QTest::currentDataTag()) == "timer_list") {
        QFile host(QStringLiteral("/proc/timer_list"));
        QVERIFY2(host.open(QIODevice::ReadOnly) && !host.read(16).isEmpty(), "the host's /proc/timer_list should have content");
    }
    const RunResult r = sh(script, {QStringLiteral("-h"), QStringLiteral("safe")});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QCOMPARE(r.out.trimmed(), expected);
}

void TestRunSecurity::capabilities_data()
{
    QTest::addColumn<QStringList>("flags");
    QTest::addColumn<QString>("pid");
    QTest::addColumn<QByteArray>("capEff");
    const QByteArray docker("00000000a80425fb");
    QTest::newRow("root") << QStringList() << QStringLiteral("self") << docker;
    QTest::newRow("nobody") << QStringList{QStringLiteral("-u"), QStringLiteral("nobody")} << QStringLiteral("self") << QByteArray("0000000000000000");
    // --init's PID 1 is our own code for the container's whole life.
    QTest::newRow("--init pid 1") << QStringList{QStringLiteral("--init")} << QStringLiteral("1") << docker;
}

void TestRunSecurity::capabilities()
{
    QFETCH(QStringList, flags);
    QFETCH(QString, pid);
    QFETCH(QByteArray, capEff);
    const RunResult r = sh(QStringLiteral("grep -E '^(CapEff|CapBnd|NoNewPrivs)' /proc/%1/status").arg(pid), flags);
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QCOMPARE(r.out, "CapEff:\t" + capEff + "\nCapBnd:\t00000000a80425fb\nNoNewPrivs:\t1\n");
}

void TestRunSecurity::noHostDescriptors_data()
{
    QTest::addColumn<bool>("viaExec");
    QTest::addColumn<QString>("network"); // private: the shim also holds slirp4netns' fds
    QTest::newRow("run") << false << QStringLiteral("none");
    QTest::newRow("run, private network") << false << QStringLiteral("private");
    QTest::newRow("exec") << true << QStringLiteral("none");
}

void TestRunSecurity::noHostDescriptors()
{
    QFETCH(bool, viaExec);
    QFETCH(QString, network);
    if (network == QLatin1String("private") && !porthole::test::haveProgram(QStringLiteral("slirp4netns")))
        QSKIP("the private network needs slirp4netns");
    // ls itself is the process looked at (a shell keeps fds of its own);
    // its directory fd is 3.
    const QStringList ls{QStringLiteral("ls"), QStringLiteral("/proc/self/fd")};
    const QStringList run{QStringLiteral("run"), QStringLiteral("--network"), network};
    const QStringList image{QStringLiteral("localhost/demo")};
    RunResult r;
    if (viaExec) {
        const RunResult started = withLeakedFds(m_work.path(), run + QStringList{QStringLiteral("-d"), QStringLiteral("--name"), QStringLiteral("fds")}
                                                                   + image + QStringList{QStringLiteral("sleep"), QStringLiteral("300")});
        QVERIFY2(started.exitCode == 0, started.err.constData());
        r = withLeakedFds(m_work.path(), QStringList{QStringLiteral("exec"), QStringLiteral("fds")} + ls);
        const RunResult pid1 = ph({QStringLiteral("exec"), QStringLiteral("fds"), QStringLiteral("ls"), QStringLiteral("/proc/1/fd")});
        ph({QStringLiteral("rm"), QStringLiteral("-f"), QStringLiteral("fds")});
        QCOMPARE(pid1.out, QByteArray("0\n1\n2\n"));
    } else {
        r = withLeakedFds(m_work.path(), run + QStringList{QStringLiteral("--rm")} + image + ls);
    }
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const qsizetype eol = r.out.indexOf('\n');
    const QByteArray host = r.out.left(eol + 1);
    QVERIFY2(host.contains(" 7 ") && host.contains(" 8 "), "the test's own fds 7 and 8 were not open");
    QCOMPARE(r.out.mid(eol + 1), QByteArray("0\n1\n2\n3\n"));
}

void TestRunSecurity::leakedDirectoryIsNoWorkingDir_data()
{
    QTest::addColumn<bool>("viaExec");
    QTest::newRow("run") << false;
    QTest::newRow("exec") << true;
}

// CVE-2024-21626: a working directory of /proc/self/fd/N must not become a
// host directory that N happened to be open on.
void TestRunSecurity::leakedDirectoryIsNoWorkingDir()
{
    QFETCH(bool, viaExec);
    QVERIFY(QFile(m_work.filePath(QStringLiteral("host-only-marker"))).open(QIODevice::WriteOnly));
    const QString script = QStringLiteral("ls; cd ..; ls");
    QStringList args;
    if (viaExec) {
        QVERIFY(!startSleeper(QStringLiteral("cwd")).isEmpty());
        args = {QStringLiteral("exec"), QStringLiteral("-w"), QStringLiteral("/proc/self/fd/8"), QStringLiteral("cwd"),
                QStringLiteral("sh"), QStringLiteral("-c"), script};
    } else {
        args = {QStringLiteral("run"), QStringLiteral("--rm"), QStringLiteral("--network"), QStringLiteral("none"),
                QStringLiteral("-w"), QStringLiteral("/proc/self/fd/8"), QStringLiteral("localhost/demo"), QStringLiteral("sh"),
                QStringLiteral("-c"), script};
    }
    const RunResult r = withLeakedFds(m_work.path(), args);
    if (viaExec)
        ph({QStringLiteral("rm"), QStringLiteral("-f"), QStringLiteral("cwd")});
    QVERIFY2(!r.out.contains("host-only-marker"), r.out.constData());
    QVERIFY2(r.exitCode != 0, r.out.constData());
}

void TestRunSecurity::pid1ExeHiddenFromOtherUsers()
{
    QVERIFY(!startSleeper(QStringLiteral("exe")).isEmpty());
    const RunResult r = ph({QStringLiteral("exec"), QStringLiteral("-u"), QStringLiteral("nobody"), QStringLiteral("exe"), QStringLiteral("sh"),
                            QStringLiteral("-c"),
                            QStringLiteral("id -u; cat /proc/1/exe >/dev/null 2>&1 || echo no-exe; "
                                           "ls /proc/1/root/ >/dev/null 2>&1 || echo no-root; cat /proc/1/environ >/dev/null 2>&1 || echo no-env")});
    ph({QStringLiteral("rm"), QStringLiteral("-f"), QStringLiteral("exe")});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QCOMPARE(r.out, QByteArray("65534\nno-exe\nno-root\nno-env\n"));
}

void TestRunSecurity::mountFlags_data()
{
    QTest::addColumn<QString>("mountPoint");
    QTest::addColumn<QString>("fsType");
    QTest::addColumn<QStringList>("options"); // per-mount options, then super options
    const auto list = [](const char *s) { return QString::fromLatin1(s).split(u','); };
    QTest::newRow("/proc") << QStringLiteral("/proc") << QStringLiteral("proc") << list("rw,nosuid,nodev,noexec");
    QTest::newRow("/dev") << QStringLiteral("/dev") << QStringLiteral("tmpfs") << list("rw,nosuid,mode=755");
    QTest::newRow("/dev/pts") << QStringLiteral("/dev/pts") << QStringLiteral("devpts") << list("rw,nosuid,noexec,gid=5,mode=620,ptmxmode=666");
    QTest::newRow("/dev/shm") << QStringLiteral("/dev/shm") << QStringLiteral("tmpfs") << list("rw,nosuid,nodev,noexec,size=65536k");
    QTest::newRow("/dev/mqueue") << QStringLiteral("/dev/mqueue") << QStringLiteral("mqueue") << list("rw,nosuid,nodev,noexec");
    QTest::newRow("/sys") << QStringLiteral("/sys") << QStringLiteral("sysfs") << list("ro,nosuid,nodev,noexec");
    QTest::newRow("/sys/firmware") << QStringLiteral("/sys/firmware") << QStringLiteral("tmpfs") << list("ro");
    QTest::newRow("/proc/sys") << QStringLiteral("/proc/sys") << QStringLiteral("proc") << list("ro,nosuid,nodev,noexec");
    // The /etc files are binds of files (root field is not "/").
    for (const char *f : {"/etc/hostname", "/etc/hosts", "/etc/resolv.conf"})
        QTest::newRow(f) << QString::fromLatin1(f) << QString() << list("rw");
}

void TestRunSecurity::mountFlags()
{
    QFETCH(QString, mountPoint);
    QFETCH(QString, fsType);
    QFETCH(QStringList, options);
    if (m_mountinfo.isEmpty()) {
        const RunResult r = sh(QStringLiteral("cat /proc/self/mountinfo"));
        QVERIFY2(r.exitCode == 0, r.err.constData());
        m_mountinfo = r.out;
    }
    // mountinfo: id parent dev root mountpoint opts [tags] - fstype source superopts
    QStringList found;
    for (const QByteArray &line : m_mountinfo.split('\n')) {
        const QStringList f = QString::fromUtf8(line).split(u' ');
        const qsizetype dash = f.indexOf(QStringLiteral("-"));
        if (dash < 6 || f.size() < dash + 4 || f[4] != mountPoint)
            continue;
        found = f[5].split(u',') + f[dash + 3].split(u',');
        if (!fsType.isEmpty())
            QCOMPARE(f[dash + 1], fsType);
        else
            QVERIFY2(f[3] != QLatin1String("/"), qPrintable(QString::fromUtf8(line)));
    }
    QVERIFY2(!found.isEmpty(), qPrintable(mountPoint + QStringLiteral(" is not mounted:\n") + QString::fromUtf8(m_mountinfo)));
    for (const QString &o : options)
        QVERIFY2(found.contains(o), qPrintable(QStringLiteral("%1 lacks %2: %3").arg(mountPoint, o, found.join(u','))));
}

void TestRunSecurity::readOnlyRoot()
{
    const QString data = m_work.filePath(QStringLiteral("ro-data"));
    const QString script = QStringLiteral("for f in /x /etc/x /tmp/x /data/x /dev/shm/x; do touch $f 2>/dev/null && echo $f; done; "
                                          "grep ' / / ' /proc/self/mountinfo | cut -d' ' -f6 | cut -d, -f1");
    const QStringList volume{QStringLiteral("-v"), data + QStringLiteral(":/data")};
    const RunResult ro = sh(script, QStringList{QStringLiteral("--read-only")} + volume);
    QVERIFY2(ro.exitCode == 0, ro.err.constData());
    QCOMPARE(ro.out, QByteArray("/data/x\n/dev/shm/x\nro\n")); // as docker: /tmp is not special
    const RunResult rw = sh(script, volume);
    QCOMPARE(rw.out, QByteArray("/x\n/etc/x\n/tmp/x\n/data/x\n/dev/shm/x\nrw\n"));
}

void TestRunSecurity::bindMounts()
{
    const QString dir = m_work.filePath(QStringLiteral("bind"));
    QVERIFY(QDir().mkpath(dir));
    QFile in(dir + QStringLiteral("/in"));
    QVERIFY(in.open(QIODevice::WriteOnly) && in.write("from-host\n") > 0);
    in.close();
    const QString script = QStringLiteral("cat /data/in; echo from-container > /data/out 2>/dev/null || echo refused");
    const RunResult rw = sh(script, {QStringLiteral("-v"), dir + QStringLiteral(":/data")});
    QVERIFY2(rw.exitCode == 0, rw.err.constData());
    QCOMPARE(rw.out, QByteArray("from-host\n"));
    QFile out(dir + QStringLiteral("/out"));
    QVERIFY(out.open(QIODevice::ReadOnly));
    QCOMPARE(out.readAll(), QByteArray("from-container\n"));
    out.close();
    QVERIFY(out.remove());

    const RunResult ro = sh(script, {QStringLiteral("-v"), dir + QStringLiteral(":/data:ro")});
    QVERIFY2(ro.exitCode == 0, ro.err.constData());
    QCOMPARE(ro.out, QByteArray("from-host\nrefused\n"));
    QVERIFY(!out.exists());
}

void TestRunSecurity::namedVolumeOutlivesContainers()
{
    const QStringList volume{QStringLiteral("-v"), QStringLiteral("keep:/v")};
    QCOMPARE(sh(QStringLiteral("echo kept > /v/f"), volume).exitCode, 0);
    const RunResult second = sh(QStringLiteral("cat /v/f"), volume);
    QVERIFY2(second.exitCode == 0, second.err.constData());
    QCOMPARE(second.out, QByteArray("kept\n"));
    // The data lives beside the containers, not in a layer of either.
    QVERIFY(QFile::exists(m_root.filePath(QStringLiteral("volumes/keep/_data/f"))));
}

// busybox and links that aim elsewhere, as one layer: localhost/evil:1.
void TestRunSecurity::importEvilImage()
{
    if (m_evilImported)
        return;
    const QString tree = m_work.filePath(QStringLiteral("evil-tree"));
    const QString rel = QStringLiteral("../../../../../../../../../../../..");
    const QString lastTarget = QStringLiteral("/etc/ph-sec-marker-%1").arg(::getpid()) + u'4';
    const QString setup = QStringLiteral("set -e; rm -rf '%1'; mkdir -p '%1/bin' '%1/tmp' '%1/etc' '%1/sub/dir'; cd '%1'; cp /usr/bin/busybox bin/; "
                                         "for a in sh cat ls; do ln -s busybox bin/$a; done; ln -s / evil; ln -s %2 sub/dir/up; "
                                         "ln -s /tmp sub/dir/abs; ln -s %3 sub/lastlink; tar -cf ../evil.tar .")
                              .arg(tree, rel, lastTarget);
    const RunResult made = porthole::test::runProgram(QStringLiteral("/bin/sh"), {QStringLiteral("-c"), setup});
    QVERIFY2(made.exitCode == 0, made.err.constData());
    const RunResult imported = ph({QStringLiteral("import"), m_work.filePath(QStringLiteral("evil.tar")), QStringLiteral("localhost/evil:1")});
    QVERIFY2(imported.exitCode == 0, imported.err.constData());
    m_evilImported = true;
}

void TestRunSecurity::imageSymlinksStayInside_data()
{
    QTest::addColumn<QString>("destination"); // the -v destination, through the image's links
    QTest::addColumn<QString>("inside");      // where the container sees the mount
    QTest::addColumn<QString>("hostPath");    // where a host-side resolution would have put it
    const QString m = QStringLiteral("ph-sec-marker-%1").arg(::getpid());
    QTest::newRow("evil -> /") << QStringLiteral("/evil/tmp/") + m + u'1' << QStringLiteral("/tmp/") + m + u'1' << QStringLiteral("/tmp/") + m + u'1';
    QTest::newRow("up -> ../../..") << QStringLiteral("/sub/dir/up/tmp/") + m + u'2' << QStringLiteral("/tmp/") + m + u'2'
                                    << QStringLiteral("/tmp/") + m + u'2';
    QTest::newRow("abs -> /tmp in a subdir") << QStringLiteral("/sub/dir/abs/") + m + u'3' << QStringLiteral("/tmp/") + m + u'3'
                                             << QStringLiteral("/tmp/") + m + u'3';
    QTest::newRow("last component -> /etc/x") << QStringLiteral("/sub/lastlink") << QStringLiteral("/etc/") + m + u'4'
                                              << QStringLiteral("/etc/") + m + u'4';
}

void TestRunSecurity::imageSymlinksStayInside()
{
    QFETCH(QString, destination);
    QFETCH(QString, inside);
    QFETCH(QString, hostPath);
    importEvilImage();
    if (QTest::currentTestFailed())
        return;
    QVERIFY2(!QFile::exists(hostPath), qPrintable(hostPath + QStringLiteral(" exists before the test")));
    const QString source = m_work.filePath(QStringLiteral("secret"));
    QFile secret(source);
    QVERIFY(secret.open(QIODevice::WriteOnly) && secret.write("secret\n") > 0);
    secret.close();
    const RunResult r = sh(QStringLiteral("cat %1").arg(inside), {QStringLiteral("-v"), source + u':' + destination},
                           QStringLiteral("localhost/evil:1"));
    const bool leaked = QFile::exists(hostPath);
    if (leaked)
        QFile::remove(hostPath); // leave the host as it was, then fail
    QVERIFY2(!leaked, qPrintable(hostPath + QStringLiteral(" was created on the host")));
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QCOMPARE(r.out, QByteArray("secret\n"));
}

// `evil -> /` as a destination would stack the bind over the container's
// root and then build /proc, /dev and /etc inside the host directory.
void TestRunSecurity::bindOverTheRootRefused()
{
    importEvilImage();
    if (QTest::currentTestFailed())
        return;
    const QString dir = m_work.filePath(QStringLiteral("not-a-root"));
    QVERIFY(QDir().mkpath(dir));
    const RunResult r = sh(QStringLiteral("true"), {QStringLiteral("-v"), dir + QStringLiteral(":/evil")}, QStringLiteral("localhost/evil:1"));
    QCOMPARE(r.exitCode, 125);
    QVERIFY2(r.err.contains("resolves to the container's root"), r.err.constData());
    QCOMPARE(QDir(dir).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden), QStringList());
}

QTEST_GUILESS_MAIN(TestRunSecurity)
#include "tst_runsecurity.moc"
