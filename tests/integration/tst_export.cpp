// `export` through the porthole binary: export | import | run round trips,
// export of a running container (its image and changes only), and errors
// that leave no file behind. Needs root (containers).
#include "support/copytestsupport.h"


using porthole::test::RunResult;
using namespace porthole::test::copying;

class TestExport : public QObject, protected CopyFixture {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void exportRoundTrip();
    void exportRunning();
    void exportErrorsLeaveNothing();
};

void TestExport::initTestCase()
{
    if (const QString why = porthole::test::containerSkipReason(); !why.isEmpty())
        QSKIP(qPrintable(why));
    startContainers();
}

void TestExport::cleanupTestCase()
{
    removeContainers();
}

void TestExport::exportRoundTrip()
{
    const QString script = QStringLiteral(
        "mkdir -p /rt/sub && echo one > /rt/file && chmod 640 /rt/file && chown 12:34 /rt/file && ln /rt/file /rt/sub/hard"
        " && ln -s ../file /rt/sub/link && mkfifo /rt/fifo && echo 한국어 > /rt/한국어 && chmod 1777 /rt/sub && rm /etc/motd");
    RunResult r = ph({QStringLiteral("run"), QStringLiteral("--name"), QStringLiteral("exp"), QStringLiteral("--network"), QStringLiteral("none"),
                      QStringLiteral("localhost/demo"), QStringLiteral("sh"), QStringLiteral("-c"), script});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const QString dir = m_work.filePath(QStringLiteral("export"));
    QVERIFY(QDir().mkpath(dir));
    r = ph({QStringLiteral("export"), QStringLiteral("-o"), dir + QStringLiteral("/exp.tar"), QStringLiteral("exp")});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QCOMPARE(porthole::test::dirEntries(dir), QStringList{QStringLiteral("exp.tar")}); // no temp file left
    const RunResult streamed = ph({QStringLiteral("export"), QStringLiteral("exp")});
    QFile written(dir + QStringLiteral("/exp.tar"));
    QVERIFY(written.open(QIODevice::ReadOnly));
    QCOMPARE(streamed.out, written.readAll()); // the same tree gives the same tar

    r = ph({QStringLiteral("import"), QStringLiteral("-"), QStringLiteral("localhost/exported:1")}, streamed.out);
    QVERIFY2(r.exitCode == 0, r.err.constData());
    r = ph({QStringLiteral("run"), QStringLiteral("--rm"), QStringLiteral("--network"), QStringLiteral("none"), QStringLiteral("localhost/exported:1"),
            QStringLiteral("sh"), QStringLiteral("-c"),
            QStringLiteral("cd /rt && stat -c '%n %a %u:%g %h %F' file sub sub/hard fifo && readlink sub/link && cat sub/link 한국어"
                           " && test ! -e /etc/motd && test -x /bin/busybox && echo ok")});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QCOMPARE(r.out, QByteArray("file 640 12:34 2 regular file\nsub 1777 0:0 2 directory\nsub/hard 640 12:34 2 regular file\n"
                               "fifo 644 0:0 1 fifo\n../file\none\n한국어\nok\n"));
    QCOMPARE(ph({QStringLiteral("rm"), QStringLiteral("exp")}).exitCode, 0);
}

// A running container's export is its image and changes only: not its
// /proc, /sys, /dev mounts, not its volumes.
void TestExport::exportRunning()
{
    const QString volume = m_work.filePath(QStringLiteral("volume"));
    QVERIFY(QDir().mkpath(volume));
    QVERIFY(porthole::test::writeFile(volume + QStringLiteral("/in-volume"), "volume\n"));
    RunResult r = ph({QStringLiteral("run"), QStringLiteral("-d"), QStringLiteral("--name"), QStringLiteral("live"), QStringLiteral("--network"),
                      QStringLiteral("none"), QStringLiteral("-v"), volume + QStringLiteral(":/vol"), QStringLiteral("localhost/demo"),
                      QStringLiteral("sh"), QStringLiteral("-c"), QStringLiteral("echo live > /live && exec sleep 600")});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QTRY_COMPARE_WITH_TIMEOUT(ph({QStringLiteral("exec"), QStringLiteral("live"), QStringLiteral("cat"), QStringLiteral("/live")}).out,
                              QByteArray("live\n"), 10000);
    r = ph({QStringLiteral("export"), QStringLiteral("live")});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const QByteArray names = porthole::test::runProgram(QStringLiteral("tar"), {QStringLiteral("-t")}, r.out).out;
    const QList<QByteArray> lines = names.split('\n');
    QVERIFY(lines.contains("live") && lines.contains("bin/busybox") && lines.contains("vol/"));
    for (const QByteArray &line : lines)
        QVERIFY2(!line.startsWith("proc/") || line == "proc/", line.constData());
    QVERIFY(!names.contains("in-volume") && !names.contains("dev/null") && !names.contains("sys/kernel"));
    QCOMPARE(ph({QStringLiteral("exec"), QStringLiteral("live"), QStringLiteral("echo"), QStringLiteral("alive")}).out, QByteArray("alive\n"));
    ph({QStringLiteral("rm"), QStringLiteral("-f"), QStringLiteral("live")});
}

void TestExport::exportErrorsLeaveNothing()
{
    const QString dir = m_work.filePath(QStringLiteral("export-errors"));
    QVERIFY(QDir().mkpath(dir));
    RunResult r = ph({QStringLiteral("export"), QStringLiteral("-o"), dir + QStringLiteral("/x.tar"), QStringLiteral("no-such-container")});
    QCOMPARE(r.exitCode, 1);
    QVERIFY(porthole::test::dirEntries(dir).isEmpty());
    r = ph({QStringLiteral("export"), QStringLiteral("-o"), dir + QStringLiteral("/missing/x.tar"), QLatin1String(kExited)});
    QCOMPARE(r.exitCode, 1);
    QVERIFY(porthole::test::dirEntries(dir).isEmpty());
    // Never a tar on a terminal.
    if (porthole::test::haveProgram(QStringLiteral("script"))) {
        const QString command = QStringLiteral("'%1' --root '%2' export %3").arg(porthole::test::portholeBinary(), m_root.path(), QLatin1String(kExited));
        r = porthole::test::runProgram(QStringLiteral("script"), {QStringLiteral("-qec"), command, QStringLiteral("/dev/null")});
        QVERIFY2(r.exitCode == 1 && r.out.contains("cowardly refusing to save to a terminal. Use the -o flag or redirect"), r.out.constData());
    }
}

QTEST_GUILESS_MAIN(TestExport)
#include "tst_export.moc"
