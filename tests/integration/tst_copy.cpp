// `cp` through the porthole binary on the real kernel: docker's cp rules in
// both directions on a running and on a stopped container, the tar streams
// of `-`, -a and -L (hostile tars on stdin never reach the host), owners,
// a created container and a read-only one.
// Containment: tst_copycontainment; export: tst_export. Needs root.
#include "support/copytestsupport.h"
#include "support/ustarwriter.h"

#include <QRegularExpression>

using porthole::test::RunResult;
using namespace porthole::test::copying;

class TestCopy : public QObject, protected CopyFixture {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void copyOut_data();
    void copyOut();
    void copyIn_data();
    void copyIn();
    void tarStreams_data();
    void tarStreams();
    void owners_data();
    void owners();
    void createdContainerStartsWithCopy();
    void tarToStdoutIsAsItIs();
    void helpSaysWhatIsLeftOut();
    void readOnlyContainer();
};

void TestCopy::initTestCase()
{
    if (const QString why = porthole::test::containerSkipReason(); !why.isEmpty())
        QSKIP(qPrintable(why));
    startContainers();
}

void TestCopy::cleanupTestCase()
{
    removeContainers();
}

// Host destinations are relative to a fresh directory holding existing-dir/
// and existing-file; expected lists entries there ("!text": an error).
void TestCopy::copyOut_data()
{
    QTest::addColumn<QString>("container");
    QTest::addColumn<QStringList>("flags");
    QTest::addColumn<QString>("source");
    QTest::addColumn<QString>("dest");
    QTest::addColumn<QStringList>("expected");
    const QStringList none;
    const QStringList data{QStringLiteral("file=hello\n"), QStringLiteral("link->file"), QStringLiteral("sub/"), QStringLiteral("sub/inner=inner\n")};
    const auto under = [](const QString &dir, const QStringList &items) {
        QStringList out{dir + u'/'};
        for (const QString &i : items)
            out << dir + u'/' + i;
        return out;
    };
    addBothStates("file to a new file", none, QStringLiteral("/data/file"), QStringLiteral("new"), {QStringLiteral("new=hello\n")});
    addBothStates("relative container path", none, QStringLiteral("data/file"), QStringLiteral("new"), {QStringLiteral("new=hello\n")});
    addBothStates("file into a dir", none, QStringLiteral("/data/file"), QStringLiteral("existing-dir"), {QStringLiteral("existing-dir/file=hello\n")});
    addBothStates("file over a file", none, QStringLiteral("/data/file"), QStringLiteral("existing-file"), {QStringLiteral("existing-file=hello\n")});
    addBothStates("file to a missing dir/", none, QStringLiteral("/data/file"), QStringLiteral("missing/"), {QStringLiteral("!no such directory")});
    addBothStates("parent missing", none, QStringLiteral("/data/file"), QStringLiteral("missing/x"), {QStringLiteral("!No such file or directory")});
    addBothStates("dir to a new dir", none, QStringLiteral("/data"), QStringLiteral("newdir"), under(QStringLiteral("newdir"), data));
    addBothStates("dir into a dir", none, QStringLiteral("/data"), QStringLiteral("existing-dir"), under(QStringLiteral("existing-dir/data"), data));
    addBothStates("dir/ into a dir", none, QStringLiteral("/data/"), QStringLiteral("existing-dir"), under(QStringLiteral("existing-dir/data"), data));
    addBothStates("dir/. into a dir", none, QStringLiteral("/data/."), QStringLiteral("existing-dir"), under(QStringLiteral("existing-dir"), data));
    addBothStates("dir/. to a new dir", none, QStringLiteral("/data/."), QStringLiteral("fresh"), under(QStringLiteral("fresh"), data));
    addBothStates("dir over a file", none, QStringLiteral("/data"), QStringLiteral("existing-file"), {QStringLiteral("!cannot copy directory")});
    addBothStates("missing source", none, QStringLiteral("/nope"), QStringLiteral("x"), {QStringLiteral("!Could not find the file /nope in container cp-")});
    addBothStates("file with a trailing slash", none, QStringLiteral("/data/file/"), QStringLiteral("x"), {QStringLiteral("!not a directory")});
    addBothStates("symlink as it is", none, QStringLiteral("/data/link"), QStringLiteral("l"), {QStringLiteral("l->file")});
    addBothStates("symlink followed (-L)", {QStringLiteral("-L")}, QStringLiteral("/data/link"), QStringLiteral("l"), {QStringLiteral("l=hello\n")});
}

void TestCopy::copyOut()
{
    QFETCH(QString, container);
    QFETCH(QStringList, flags);
    QFETCH(QString, source);
    QFETCH(QString, dest);
    QFETCH(QStringList, expected);
    const QString dir = m_work.filePath(QStringLiteral("out%1").arg(++m_row));
    QVERIFY(QDir().mkpath(dir + QStringLiteral("/existing-dir")));
    QVERIFY(porthole::test::writeFile(dir + QStringLiteral("/existing-file"), "old\n"));
    const RunResult r = ph(QStringList{QStringLiteral("cp")} + flags + QStringList{container + u':' + source, dir + u'/' + dest});
    if (expected.value(0).startsWith(u'!')) {
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(expected[0].mid(1).toUtf8()), r.err.constData());
        return;
    }
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const QStringList got = tree(dir);
    for (const QString &e : expected)
        QVERIFY2(got.contains(e), qPrintable(e + QStringLiteral(" not in ") + got.join(u' ')));
}

// Each row copies into its own /in/<n> (made with existing-dir/ and
// existing-file) and checks it by copying it out again.
void TestCopy::copyIn_data()
{
    QTest::addColumn<QString>("container");
    QTest::addColumn<QStringList>("flags");
    QTest::addColumn<QString>("source");
    QTest::addColumn<QString>("dest");
    QTest::addColumn<QStringList>("expected");
    const QStringList none;
    addBothStates("file to a new file", none, QStringLiteral("src/file"), QStringLiteral("new"), {QStringLiteral("new=host-file\n")});
    addBothStates("file into a dir", none, QStringLiteral("src/file"), QStringLiteral("existing-dir"), {QStringLiteral("existing-dir/file=host-file\n")});
    addBothStates("file over a file", none, QStringLiteral("src/file"), QStringLiteral("existing-file"), {QStringLiteral("existing-file=host-file\n")});
    addBothStates("file to a missing dir/", none, QStringLiteral("src/file"), QStringLiteral("missing/"), {QStringLiteral("!no such directory")});
    addBothStates("parent missing", none, QStringLiteral("src/file"), QStringLiteral("missing/x"),
                  {QStringLiteral("!Could not find the file /in/")});
    addBothStates("dir to a new dir", none, QStringLiteral("src/dir"), QStringLiteral("newdir"),
                  {QStringLiteral("newdir/a=alpha\n"), QStringLiteral("newdir/sub/b=beta\n")});
    addBothStates("dir into a dir", none, QStringLiteral("src/dir"), QStringLiteral("existing-dir"),
                  {QStringLiteral("existing-dir/dir/a=alpha\n"), QStringLiteral("existing-dir/dir/sub/b=beta\n")});
    addBothStates("dir/. into a dir", none, QStringLiteral("src/dir/."), QStringLiteral("existing-dir"),
                  {QStringLiteral("existing-dir/a=alpha\n"), QStringLiteral("existing-dir/sub/b=beta\n")});
    addBothStates("dir over a file", none, QStringLiteral("src/dir"), QStringLiteral("existing-file"), {QStringLiteral("!cannot copy directory")});
    addBothStates("symlink as it is", none, QStringLiteral("src/link"), QStringLiteral("l"), {QStringLiteral("l->file")});
    addBothStates("symlink followed (-L)", {QStringLiteral("-L")}, QStringLiteral("src/link"), QStringLiteral("l"), {QStringLiteral("l=host-file\n")});
    addBothStates("missing source", none, QStringLiteral("src/nope"), QStringLiteral("x"), {QStringLiteral("!lstat")});
}

void TestCopy::copyIn()
{
    QFETCH(QString, container);
    QFETCH(QStringList, flags);
    QFETCH(QString, source);
    QFETCH(QString, dest);
    QFETCH(QStringList, expected);
    const QString dir = m_work.filePath(QStringLiteral("in%1").arg(++m_row));
    QVERIFY(QDir().mkpath(dir + QStringLiteral("/stage/existing-dir")) && QDir().mkpath(dir + QStringLiteral("/src/dir/sub")));
    QVERIFY(porthole::test::writeFile(dir + QStringLiteral("/stage/existing-file"), "old\n"));
    QVERIFY(porthole::test::writeFile(dir + QStringLiteral("/src/file"), "host-file\n"));
    QVERIFY(porthole::test::writeFile(dir + QStringLiteral("/src/dir/a"), "alpha\n"));
    QVERIFY(porthole::test::writeFile(dir + QStringLiteral("/src/dir/sub/b"), "beta\n"));
    QVERIFY(QFile::link(QStringLiteral("file"), dir + QStringLiteral("/src/link")));
    const QString in = QStringLiteral("/in/%1").arg(m_row);
    RunResult r = ph({QStringLiteral("cp"), dir + QStringLiteral("/stage"), container + u':' + in});
    QVERIFY2(r.exitCode == 0, r.err.constData());

    r = ph(QStringList{QStringLiteral("cp")} + flags + QStringList{dir + u'/' + source, container + u':' + in + u'/' + dest});
    if (expected.value(0).startsWith(u'!')) {
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(expected[0].mid(1).toUtf8()), r.err.constData());
        return;
    }
    QVERIFY2(r.exitCode == 0, r.err.constData());
    r = ph({QStringLiteral("cp"), container + u':' + in + QStringLiteral("/."), dir + QStringLiteral("/check")});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const QStringList got = tree(dir + QStringLiteral("/check"));
    for (const QString &e : expected)
        QVERIFY2(got.contains(e), qPrintable(e + QStringLiteral(" not in ") + got.join(u' ')));
}

// `-` both ways; hostile tars on stdin stay in the directory they are
// extracted into.
void TestCopy::tarStreams_data()
{
    QTest::addColumn<QString>("container");
    QTest::addColumn<QByteArray>("tar");
    QTest::addColumn<QString>("error");  // empty: success
    QTest::addColumn<QString>("landed"); // what /in/tar<n> then holds (names, sorted)
    const QString marker = m_marker.path();
    for (const char *c : {kRunning, kExited}) {
        porthole::test::UstarWriter plain;
        plain.dir(QStringLiteral("d"));
        plain.file(QStringLiteral("d/f"), "tarred\n");
        QTest::addRow("%s, plain", c) << QString::fromLatin1(c) << plain.finish() << QString() << QStringLiteral("d d/f");
        porthole::test::UstarWriter up;
        up.file(QStringLiteral("../../../") + marker.mid(1) + QStringLiteral("/pwned"), "x");
        QTest::addRow("%s, dotdot name", c) << QString::fromLatin1(c) << up.finish() << QStringLiteral("escapes") << QString();
        porthole::test::UstarWriter root;
        root.symlink(QStringLiteral("evil"), QStringLiteral("/"));
        root.file(QStringLiteral("evil") + marker + QStringLiteral("/pwned"), "x");
        QTest::addRow("%s, symlink to /", c) << QString::fromLatin1(c) << root.finish() << QString()
                                             << QStringLiteral("evil ") + marker.mid(1) + QStringLiteral("/pwned");
        porthole::test::UstarWriter host;
        host.symlink(QStringLiteral("evil"), marker);
        host.file(QStringLiteral("evil/pwned"), "x");
        QTest::addRow("%s, symlink to the host dir", c) << QString::fromLatin1(c) << host.finish() << QStringLiteral("symbolic link")
                                                        << QString();
    }
}

void TestCopy::tarStreams()
{
    QFETCH(QString, container);
    QFETCH(QByteArray, tar);
    QFETCH(QString, error);
    QFETCH(QString, landed);
    const QString in = QStringLiteral("/in/tar%1").arg(++m_row);
    const QString dir = m_work.filePath(QStringLiteral("tar%1").arg(m_row));
    QVERIFY(QDir().mkpath(dir));
    RunResult r = ph({QStringLiteral("cp"), dir, container + u':' + in});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    r = ph({QStringLiteral("cp"), QStringLiteral("-"), container + u':' + in}, tar);
    checkMarker();
    if (!error.isEmpty()) {
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(error.toUtf8()), r.err.constData());
        return;
    }
    QVERIFY2(r.exitCode == 0, r.err.constData());
    r = ph({QStringLiteral("cp"), container + u':' + in + QStringLiteral("/."), QStringLiteral("-")});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const RunResult listed = porthole::test::runProgram(QStringLiteral("tar"), {QStringLiteral("-t")}, r.out);
    QStringList names;
    for (const QByteArray &line : listed.out.split('\n'))
        names << QString::fromUtf8(line).remove(QRegularExpression(QStringLiteral("^\\./|/$")));
    for (const QString &want : landed.split(u' '))
        QVERIFY2(names.contains(want), qPrintable(want + QStringLiteral(" not in ") + names.join(u' ')));
    // "-" needs a directory to extract into.
    r = ph({QStringLiteral("cp"), QStringLiteral("-"), container + QStringLiteral(":/data/file")}, tar);
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("must be a directory"), r.err.constData());
}

// Copied-in files belong to root, unless -a keeps what they had.
void TestCopy::owners_data()
{
    QTest::addColumn<QString>("container");
    QTest::addColumn<bool>("archive");
    QTest::addColumn<bool>("fromStdin");
    for (const char *c : {kRunning, kExited})
        for (bool archive : {false, true})
            for (bool stdinTar : {false, true})
                QTest::addRow("%s%s%s", c, archive ? ", -a" : "", stdinTar ? ", tar on stdin" : "") << QString::fromLatin1(c) << archive << stdinTar;
}

void TestCopy::owners()
{
    QFETCH(QString, container);
    QFETCH(bool, archive);
    QFETCH(bool, fromStdin);
    const QString dir = m_work.filePath(QStringLiteral("own%1").arg(++m_row));
    QVERIFY(QDir().mkpath(dir + QStringLiteral("/d")));
    QVERIFY(porthole::test::writeFile(dir + QStringLiteral("/d/f"), "owned\n"));
    for (const char *p : {"/d", "/d/f"})
        QCOMPARE(::chown(QFile::encodeName(dir + QLatin1String(p)).constData(), 1234, 5678), 0);
    const QString in = QStringLiteral("/in/own%1").arg(m_row);
    QCOMPARE(ph({QStringLiteral("cp"), dir + QStringLiteral("/d"), container + u':' + in}).exitCode, 0); // /in/ownN, root-owned
    QStringList cp{QStringLiteral("cp")};
    if (archive)
        cp << QStringLiteral("-a");
    QByteArray input;
    if (fromStdin) {
        input = porthole::test::runProgram(QStringLiteral("tar"), {QStringLiteral("-C"), dir, QStringLiteral("-c"), QStringLiteral("d")}).out;
        QVERIFY(!input.isEmpty());
        cp << QStringLiteral("-");
    } else {
        cp << dir + QStringLiteral("/d");
    }
    RunResult r = ph(cp + QStringList{container + u':' + in}, input);
    QVERIFY2(r.exitCode == 0, r.err.constData());
    r = ph({QStringLiteral("cp"), container + u':' + in + QStringLiteral("/d"), QStringLiteral("-")});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const QByteArray listing = porthole::test::runProgram(QStringLiteral("tar"), {QStringLiteral("-tv"), QStringLiteral("--numeric-owner")}, r.out).out;
    const QByteArray owner = archive ? "1234/5678" : "0/0";
    QCOMPARE(listing.count(owner), 2);
    QVERIFY2(listing.contains("d/f"), listing.constData());
}

// A container never started has only its overlay: cp writes into its upper
// dir, and the container sees the file when it starts.
void TestCopy::createdContainerStartsWithCopy()
{
    const RunResult created = ph({QStringLiteral("create"), QStringLiteral("--name"), QStringLiteral("fresh"), QStringLiteral("--network"),
                                  QStringLiteral("none"), QStringLiteral("localhost/demo"), QStringLiteral("cat"), QStringLiteral("/etc/copied")});
    QVERIFY2(created.exitCode == 0, created.err.constData());
    const QString file = m_work.filePath(QStringLiteral("copied"));
    QVERIFY(porthole::test::writeFile(file, "into a created container\n"));
    RunResult r = ph({QStringLiteral("cp"), file, QStringLiteral("fresh:/etc/")});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    r = ph({QStringLiteral("start"), QStringLiteral("-a"), QStringLiteral("fresh")});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QCOMPARE(r.out, QByteArray("into a created container\n"));
    QCOMPARE(ph({QStringLiteral("rm"), QStringLiteral("fresh")}).exitCode, 0);
}

// `-` is the user's own tar: devices and setuid bits are in it as they are.
void TestCopy::tarToStdoutIsAsItIs()
{
    QVERIFY(makeProbe());
    const RunResult r = ph({QStringLiteral("cp"), QLatin1String(kRunning) + QStringLiteral(":/probe"), QStringLiteral("-")});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QVERIFY2(r.err.isEmpty(), r.err.constData());
    const QByteArray listing = porthole::test::runProgram(QStringLiteral("tar"), {QStringLiteral("-tv")}, r.out).out;
    QVERIFY2(listing.contains("brw") && listing.contains("probe/blk"), listing.constData());
    QVERIFY2(listing.contains("crw") && listing.contains("probe/chr"), listing.constData());
    QVERIFY2(listing.contains("-rwsr-xr-x") && listing.contains("probe/suid"), listing.constData());
}

void TestCopy::helpSaysWhatIsLeftOut()
{
    const RunResult r = ph({QStringLiteral("cp"), QStringLiteral("--help")});
    QCOMPARE(r.exitCode, 0);
    for (const char *text : {"Copy files/folders between a container and the local filesystem\n\nUse '-' as the source",
                             "container source to stdout, as it is", "device nodes are never", "dropped unless -a",
                             "out of a container, keep setuid/setgid bits"})
        QVERIFY2(r.out.contains(text), r.out.constData());
}

// docker: a read-only root takes no copies (a stopped one has no volumes
// mounted that could); reading from it is fine.
void TestCopy::readOnlyContainer()
{
    QCOMPARE(ph({QStringLiteral("create"), QStringLiteral("--read-only"), QStringLiteral("--name"), QStringLiteral("ro"), QStringLiteral("--network"),
                 QStringLiteral("none"), QStringLiteral("localhost/demo"), QStringLiteral("true")}).exitCode, 0);
    const QString file = m_work.filePath(QStringLiteral("ro-file"));
    QVERIFY(porthole::test::writeFile(file, "x\n"));
    RunResult r = ph({QStringLiteral("cp"), file, QStringLiteral("ro:/tmp/")});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("container rootfs is marked read-only"), r.err.constData());
    r = ph({QStringLiteral("cp"), QStringLiteral("ro:/etc/passwd"), QStringLiteral("-")});
    QVERIFY2(r.exitCode == 0 && r.out.contains("root:x:0:0"), r.err.constData());
    QCOMPARE(ph({QStringLiteral("rm"), QStringLiteral("ro")}).exitCode, 0);
}

QTEST_GUILESS_MAIN(TestCopy)
#include "tst_copy.moc"
