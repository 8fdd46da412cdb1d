// The tutorial on the real kernel: run a container, change it, `diff` it,
// `commit` it with an author, a message and a change, and run the new image.
#include "runtime/cgroup.h"
#include "support/testsupport.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFileInfo>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <sys/mount.h>
#include <sys/statvfs.h>

using porthole::test::RunResult;

class TestCommit : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void tutorial();
    void runningContainerIsThawed();
    void badChangeLeavesNothing();
    void withoutNameIsDangling();
    void commitWhileWriting();
    void diskFullLeavesNothing_data();
    void diskFullLeavesNothing();
    void stoppedWhileFrozen_data();
    void stoppedWhileFrozen();

private:
    RunResult ph(const QStringList &args, const QByteArray &input = {})
    {
        return porthole::test::runWithDemo(m_root.path(), args, input);
    }
    QTemporaryDir m_root;
};

void TestCommit::initTestCase()
{
    if (const QString why = porthole::test::containerSkipReason(); !why.isEmpty())
        QSKIP(qPrintable(why));
    QVERIFY2(porthole::test::demoImageReady(m_root.path()), "the demo image was not created");
}

void TestCommit::cleanupTestCase()
{
    if (porthole::test::containerSkipReason().isEmpty())
        porthole::test::removeAllContainers(m_root.path());
}

void TestCommit::tutorial()
{
    const RunResult run = ph({QStringLiteral("run"), QStringLiteral("--name"), QStringLiteral("git"), QStringLiteral("--network"),
                              QStringLiteral("none"), QStringLiteral("localhost/demo"), QStringLiteral("sh"), QStringLiteral("-c"),
                              QStringLiteral("mkdir /work && echo hello > /work/notes.txt && rm /etc/motd && echo more >> /etc/os-release")});
    QVERIFY2(run.exitCode == 0, run.err.constData());
    const RunResult diff = ph({QStringLiteral("diff"), QStringLiteral("git")});
    QCOMPARE(diff.out, QByteArray("C /etc\nD /etc/motd\nC /etc/os-release\nA /work\nA /work/notes.txt\n"));

    const RunResult commit = ph({QStringLiteral("commit"), QStringLiteral("-a"), QStringLiteral("teacher"), QStringLiteral("-m"),
                                 QStringLiteral("add tools"), QStringLiteral("-c"), QStringLiteral("CMD [\"sh\"]"),
                                 QStringLiteral("git"), QStringLiteral("localhost/demo:git")});
    QVERIFY2(commit.exitCode == 0, commit.err.constData());
    QVERIFY(commit.out.startsWith("sha256:") && commit.out.trimmed().size() == 71);

    const RunResult images = ph({QStringLiteral("images"), QStringLiteral("localhost/demo")});
    QVERIFY2(images.out.contains("git ") && images.out.contains("latest "), images.out.constData());

    const RunResult again = ph({QStringLiteral("run"), QStringLiteral("--rm"), QStringLiteral("--name"), QStringLiteral("git2"),
                                QStringLiteral("--network"), QStringLiteral("none"), QStringLiteral("localhost/demo:git"),
                                QStringLiteral("sh"), QStringLiteral("-c"),
                                QStringLiteral("cat /work/notes.txt; test -e /etc/motd || echo motd-gone; tail -1 /etc/os-release")});
    QVERIFY2(again.exitCode == 0, again.err.constData());
    QCOMPARE(again.out, QByteArray("hello\nmotd-gone\nmore\n"));

    const RunResult history = ph({QStringLiteral("history"), QStringLiteral("--no-trunc"), QStringLiteral("localhost/demo:git")});
    const QList<QByteArray> lines = history.out.split('\n');
    QVERIFY2(lines.size() >= 3 && lines[1].contains("add tools") && lines[1].contains("sh -c mkdir /work"), history.out.constData());
    const RunResult inspect = ph({QStringLiteral("inspect"), QStringLiteral("-f"), QStringLiteral("{{.Author}} {{json .Config.Cmd}} {{json .RootFS.Layers}}"),
                                  QStringLiteral("localhost/demo:git")});
    QVERIFY2(inspect.out.startsWith("teacher [\"sh\"] [\"sha256:"), inspect.out.constData());
    QCOMPARE(inspect.out.count("sha256:"), 2); // the demo's layer, shared, and the new one
    // The /etc files the container had mounted are not in the new layer: it
    // holds the changes and nothing else (its layer dir, by chain ID).
    const QList<QByteArray> diffIds = inspect.out.mid(inspect.out.indexOf("[\"sha256:", 10)).split('"');
    const QByteArray chain = QCryptographicHash::hash(diffIds.value(1) + ' ' + diffIds.value(3), QCryptographicHash::Sha256).toHex();
    const QString layer = m_root.filePath(QStringLiteral("layers/") + QString::fromLatin1(chain));
    QVERIFY2(QFileInfo::exists(layer + QStringLiteral("/work/notes.txt")), qPrintable(layer));
    for (const char *mounted : {"/etc/hosts", "/etc/hostname", "/etc/resolv.conf"})
        QVERIFY2(!QFileInfo::exists(layer + QLatin1String(mounted)), mounted);
}

void TestCommit::runningContainerIsThawed()
{
    const RunResult run = ph({QStringLiteral("run"), QStringLiteral("-d"), QStringLiteral("--name"), QStringLiteral("busy"),
                              QStringLiteral("--network"), QStringLiteral("none"), QStringLiteral("localhost/demo"), QStringLiteral("sh"),
                              QStringLiteral("-c"), QStringLiteral("echo data > /tmp/x; sleep 300")});
    QCOMPARE(run.exitCode, 0);
    QTRY_COMPARE_WITH_TIMEOUT(ph({QStringLiteral("exec"), QStringLiteral("busy"), QStringLiteral("cat"), QStringLiteral("/tmp/x")}).out,
                              QByteArray("data\n"), 5000);
    const RunResult commit = ph({QStringLiteral("commit"), QStringLiteral("busy"), QStringLiteral("localhost/demo:busy")});
    QVERIFY2(commit.exitCode == 0, commit.err.constData());
    // Frozen for the commit, running again after it.
    QVERIFY(!ph({QStringLiteral("ps")}).out.contains("Paused"));
    QCOMPARE(ph({QStringLiteral("exec"), QStringLiteral("busy"), QStringLiteral("echo"), QStringLiteral("alive")}).out, QByteArray("alive\n"));
    QCOMPARE(ph({QStringLiteral("run"), QStringLiteral("--rm"), QStringLiteral("--network"), QStringLiteral("none"),
                 QStringLiteral("localhost/demo:busy"), QStringLiteral("cat"), QStringLiteral("/tmp/x")}).out,
             QByteArray("data\n"));
    ph({QStringLiteral("rm"), QStringLiteral("-f"), QStringLiteral("busy")});
}

void TestCommit::badChangeLeavesNothing()
{
    QCOMPARE(ph({QStringLiteral("run"), QStringLiteral("--name"), QStringLiteral("bad"), QStringLiteral("--network"), QStringLiteral("none"),
                 QStringLiteral("localhost/demo"), QStringLiteral("touch"), QStringLiteral("/f")}).exitCode, 0);
    const QByteArray before = ph({QStringLiteral("images"), QStringLiteral("-q")}).out;
    const RunResult commit = ph({QStringLiteral("commit"), QStringLiteral("-c"), QStringLiteral("RUN make"), QStringLiteral("bad"),
                                 QStringLiteral("localhost/demo:bad")});
    QCOMPARE(commit.exitCode, 1);
    QVERIFY2(commit.err.contains("RUN"), commit.err.constData());
    QCOMPARE(ph({QStringLiteral("images"), QStringLiteral("-q")}).out, before);
    ph({QStringLiteral("rm"), QStringLiteral("bad")});
}

void TestCommit::withoutNameIsDangling()
{
    QCOMPARE(ph({QStringLiteral("run"), QStringLiteral("--name"), QStringLiteral("anon"), QStringLiteral("--network"), QStringLiteral("none"),
                 QStringLiteral("localhost/demo"), QStringLiteral("touch"), QStringLiteral("/g")}).exitCode, 0);
    const RunResult commit = ph({QStringLiteral("commit"), QStringLiteral("anon")});
    QVERIFY2(commit.exitCode == 0, commit.err.constData());
    const QString id = QString::fromLatin1(commit.out.trimmed()).mid(7, 12);
    const RunResult images = ph({QStringLiteral("images")});
    bool dangling = false;
    for (const QByteArray &line : images.out.split('\n'))
        dangling |= line.startsWith("<none>") && line.simplified().startsWith("<none> <none> " + id.toLatin1());
    QVERIFY2(dangling, images.out.constData());
    ph({QStringLiteral("rm"), QStringLiteral("anon")});
}

// A container that appends to a log and replaces a file as fast as it can:
// frozen for the commit, its layer holds whole writes only (consecutive
// complete lines, no cut or zero-padded file), and it runs on afterwards.
void TestCommit::commitWhileWriting()
{
    const QString loop = QStringLiteral("mkdir /data; i=0; while true; do i=$((i+1)); echo $i >> /data/log; "
                                        "yes $i 2>/dev/null | head -n 2000 > /data/cur.tmp && mv /data/cur.tmp /data/cur; done");
    QCOMPARE(ph({QStringLiteral("run"), QStringLiteral("-d"), QStringLiteral("--name"), QStringLiteral("writer"), QStringLiteral("--network"),
                 QStringLiteral("none"), QStringLiteral("localhost/demo"), QStringLiteral("sh"), QStringLiteral("-c"), loop}).exitCode, 0);
    const auto lines = [this](const QStringList &image) {
        return ph(QStringList{QStringLiteral("exec")} + image + QStringList{QStringLiteral("wc"), QStringLiteral("-l"), QStringLiteral("/data/log")})
            .out.simplified().split(' ').value(0).toLongLong();
    };
    QTRY_VERIFY_WITH_TIMEOUT(lines({QStringLiteral("writer")}) > 5, 10000);
    for (int round = 0; round < 3; ++round) {
        const QString tag = QStringLiteral("localhost/demo:writer%1").arg(round);
        const RunResult commit = ph({QStringLiteral("commit"), QStringLiteral("writer"), tag});
        QVERIFY2(commit.exitCode == 0, commit.err.constData());
        // The log's lines are 1..N with nothing cut, and the replaced file
        // is one whole version of itself.
        const QString check = QStringLiteral(
            "n=0; while read -r l; do n=$((n+1)); [ \"$l\" = \"$n\" ] || { echo bad line $n: $l; exit 1; }; done < /data/log; "
            "[ $n -gt 0 ] || exit 2; "
            "if [ -e /data/cur ]; then [ $(wc -l < /data/cur) -eq 2000 ] || exit 3; [ $(sort -u /data/cur | wc -l) -eq 1 ] || exit 4; fi; "
            "echo ok $n");
        const RunResult verify = ph({QStringLiteral("run"), QStringLiteral("--rm"), QStringLiteral("--network"), QStringLiteral("none"), tag,
                                     QStringLiteral("sh"), QStringLiteral("-c"), check});
        QVERIFY2(verify.exitCode == 0 && verify.out.startsWith("ok "), (verify.out + verify.err).constData());
    }
    // Still running, and still writing.
    const qint64 before = lines({QStringLiteral("writer")});
    QTRY_VERIFY_WITH_TIMEOUT(lines({QStringLiteral("writer")}) > before, 5000);
    QVERIFY(!ph({QStringLiteral("ps")}).out.contains("Paused"));
    ph({QStringLiteral("rm"), QStringLiteral("-f"), QStringLiteral("writer")});
}

// The layer is written and unpacked at the same time, on two threads: when
// the file system fills up under them, the commit fails with the reason,
// the container is thawed, and the store is as it was (no blob, no layer,
// no temporary file, not a byte or an inode more used), ready for the next
// commit.
void TestCommit::diskFullLeavesNothing_data()
{
    QTest::addColumn<QString>("write");
    QTest::addColumn<bool>("fewInodes");
    QTest::addColumn<QByteArray>("failedStep");
    // 20 MB of random bytes on a 48 MB file system: the blob and the
    // unpacked copy (each as big as the file) cannot both fit. Either thread
    // may be the one whose write fails.
    QTest::newRow("bytes") << QStringLiteral("head -c 20000000 /dev/urandom") << false << QByteArray();
    // 400 files, and inodes for 100 more: only the unpacker makes files
    // (the blob's was made before), so it is the one that fails.
    QTest::newRow("inodes") << QStringLiteral("mkdir /many && for i in $(seq 400); do echo $i > /many/f$i; done; echo done") << true
                            << QByteArray("commit full: unpack layer: entry many/f");
}

void TestCommit::diskFullLeavesNothing()
{
    QFETCH(QString, write);
    QFETCH(bool, fewInodes);
    QFETCH(QByteArray, failedStep);
    QTemporaryDir mountPoint;
    const QByteArray where = QFile::encodeName(mountPoint.path());
    QVERIFY2(::mount("tmpfs", where.constData(), "tmpfs", 0, "size=48m") == 0, strerror(errno));
    const auto unmount = qScopeGuard([&] {
        porthole::test::removeAllContainers(mountPoint.path());
        ::umount2(where.constData(), MNT_DETACH);
    });
    const QString root = mountPoint.path();
    const auto run = [&](const QStringList &args) { return porthole::test::runWithDemo(root, args); };
    QCOMPARE(run({QStringLiteral("run"), QStringLiteral("-d"), QStringLiteral("--name"), QStringLiteral("full"), QStringLiteral("--network"),
                  QStringLiteral("none"), QStringLiteral("localhost/demo"), QStringLiteral("sh"), QStringLiteral("-c"),
                  write + QStringLiteral(" > /big.tmp && mv /big.tmp /big; sleep 300")}).exitCode, 0);
    QTRY_COMPARE_WITH_TIMEOUT(run({QStringLiteral("exec"), QStringLiteral("full"), QStringLiteral("ls"), QStringLiteral("/big")}).exitCode, 0, 10000);

    const auto usage = [&] {
        struct statvfs st {};
        ::statvfs(where.constData(), &st);
        return std::pair<qint64, qint64>(qint64(st.f_blocks - st.f_bfree) * qint64(st.f_frsize), qint64(st.f_files - st.f_ffree));
    };
    if (fewInodes) {
        const QByteArray options = "size=48m,nr_inodes=" + QByteArray::number(usage().second + 100);
        QVERIFY2(::mount("tmpfs", where.constData(), "tmpfs", MS_REMOUNT, options.constData()) == 0, strerror(errno));
    }
    const auto names = [&](const QString &dir) { return QDir(root + u'/' + dir).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden); };
    const QByteArray imagesBefore = run({QStringLiteral("images"), QStringLiteral("-a"), QStringLiteral("-q")}).out;
    const QStringList layersBefore = names(QStringLiteral("layers"));
    const QStringList blobsBefore = names(QStringLiteral("blobs/sha256"));
    const auto usedBefore = usage();

    const RunResult commit = run({QStringLiteral("commit"), QStringLiteral("full"), QStringLiteral("localhost/demo:full")});
    QCOMPARE(commit.exitCode, 1);
    QVERIFY2(commit.err.contains("No space left on device") && commit.err.contains(failedStep), commit.err.constData());
    qInfo("%s", commit.err.trimmed().constData()); // which thread failed
    QVERIFY2(!commit.err.contains("commit stopped") && !commit.err.contains("unpacker stopped"), commit.err.constData());
    QCOMPARE(run({QStringLiteral("images"), QStringLiteral("-a"), QStringLiteral("-q")}).out, imagesBefore);
    QCOMPARE(names(QStringLiteral("layers")), layersBefore);
    QCOMPARE(names(QStringLiteral("blobs/sha256")), blobsBefore);
    QCOMPARE(names(QStringLiteral("ingest")), QStringList());
    const auto usedAfter = usage();
    QVERIFY2(usedAfter.first <= usedBefore.first && usedAfter.second <= usedBefore.second,
             qPrintable(QStringLiteral("bytes and inodes used: %1 and %2 before, %3 and %4 after")
                            .arg(usedBefore.first).arg(usedBefore.second).arg(usedAfter.first).arg(usedAfter.second)));
    QVERIFY(!run({QStringLiteral("ps")}).out.contains("Paused"));
    QCOMPARE(run({QStringLiteral("exec"), QStringLiteral("full"), QStringLiteral("echo"), QStringLiteral("alive")}).out, QByteArray("alive\n"));

    // With room for it, the same store commits.
    QCOMPARE(run({QStringLiteral("exec"), QStringLiteral("full"), QStringLiteral("sh"), QStringLiteral("-c"),
                  QStringLiteral("rm -rf /big /many; echo small > /small")}).exitCode, 0);
    const RunResult again = run({QStringLiteral("commit"), QStringLiteral("full"), QStringLiteral("localhost/demo:full")});
    QVERIFY2(again.exitCode == 0, again.err.constData());
    QCOMPARE(run({QStringLiteral("run"), QStringLiteral("--rm"), QStringLiteral("--network"), QStringLiteral("none"),
                  QStringLiteral("localhost/demo:full"), QStringLiteral("cat"), QStringLiteral("/small")}).out, QByteArray("small\n"));
}

// A commit stopped while it holds the container frozen: Ctrl+C or SIGTERM
// cancel it (it thaws the container, removes what it wrote, exits 128+N);
// after SIGKILL, nothing of it runs, and the next porthole command thaws
// the container (the commit's lock is left without its holder).
void TestCommit::stoppedWhileFrozen_data()
{
    QTest::addColumn<int>("signal");
    QTest::newRow("SIGINT") << int(SIGINT);
    QTest::newRow("SIGTERM") << int(SIGTERM);
    QTest::newRow("SIGKILL") << int(SIGKILL);
}

void TestCommit::stoppedWhileFrozen()
{
    QFETCH(int, signal);
    QCOMPARE(ph({QStringLiteral("run"), QStringLiteral("-d"), QStringLiteral("--name"), QStringLiteral("frozen"), QStringLiteral("--network"),
                 QStringLiteral("none"), QStringLiteral("localhost/demo"), QStringLiteral("sh"), QStringLiteral("-c"),
                 QStringLiteral("head -c 300000000 /dev/urandom > /big.tmp && mv /big.tmp /big; sleep 300")}).exitCode, 0);
    const auto cleanup = qScopeGuard([&] { ph({QStringLiteral("rm"), QStringLiteral("-f"), QStringLiteral("frozen")}); });
    QTRY_COMPARE_WITH_TIMEOUT(ph({QStringLiteral("exec"), QStringLiteral("frozen"), QStringLiteral("ls"), QStringLiteral("/big")}).exitCode, 0, 30000);
    const QString id = QString::fromLatin1(ph({QStringLiteral("ps"), QStringLiteral("-q"), QStringLiteral("--no-trunc")}).out.trimmed());
    auto cgroup = porthole::runtime::Cgroup::open(porthole::runtime::containerCgroupPath(id));
    QVERIFY(cgroup);
    const QByteArray imagesBefore = ph({QStringLiteral("images"), QStringLiteral("-a"), QStringLiteral("-q")}).out;

    QProcess commit;
    commit.start(porthole::test::portholeBinary(),
                 {QStringLiteral("--root"), m_root.path(), QStringLiteral("commit"), QStringLiteral("frozen"), QStringLiteral("localhost/demo:frozen")});
    QVERIFY(commit.waitForStarted());
    // Stop it while the container is frozen, not before or after.
    QTRY_VERIFY_WITH_TIMEOUT(cgroup->isFrozen().valueOr(false), 10000);
    ::kill(pid_t(commit.processId()), signal);
    QVERIFY(commit.waitForFinished(30000));
    if (signal == SIGKILL) {
        QCOMPARE(commit.exitStatus(), QProcess::CrashExit);
        QVERIFY(cgroup->isFrozen().valueOr(false)); // nothing of it ran after the kill
        QCOMPARE(ph({QStringLiteral("ps")}).exitCode, 0);   // any command's start thaws it
    } else {
        QCOMPARE(commit.exitStatus(), QProcess::NormalExit);
        QCOMPARE(commit.exitCode(), 128 + signal);
        QVERIFY2(commit.readAllStandardError().contains("cancelled"), "the error says it was cancelled");
    }
    QVERIFY(!cgroup->isFrozen().valueOr(true));
    QCOMPARE(ph({QStringLiteral("exec"), QStringLiteral("frozen"), QStringLiteral("echo"), QStringLiteral("alive")}).out, QByteArray("alive\n"));
    QCOMPARE(ph({QStringLiteral("images"), QStringLiteral("-a"), QStringLiteral("-q")}).out, imagesBefore);
    QVERIFY(!QFileInfo::exists(m_root.filePath(QStringLiteral("containers/") + id + QStringLiteral("/commit-freeze.lock"))));
    if (signal != SIGKILL) // a killed writer's temp files go at a later open, once their flock is free
        QCOMPARE(QDir(m_root.filePath(QStringLiteral("ingest"))).entryList(QDir::Files | QDir::Hidden), QStringList());
}

QTEST_GUILESS_MAIN(TestCommit)
#include "tst_commit.moc"
