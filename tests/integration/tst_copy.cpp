// `cp` and `export` through the porthole binary on the real kernel: docker's
// cp rules in both directions on a running and on a stopped container, the
// tar streams of `-`, -a and -L; symlinks in the container aimed at /, at
// ../../.. and at a host directory (also swapped while we copy) and hostile
// tars on stdin never reach the host; export of a running container, and
// export | import | run round trips; no mount is ever left on the host.
// Needs root (containers).
#include "support/testsupport.h"
#include "support/ustarwriter.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <unistd.h>

using porthole::test::RunResult;

namespace {

// Files as "path=content", symlinks as "path->target", dirs as "path/".
QStringList tree(const QString &dir)
{
    QStringList out;
    QDirIterator it(dir, QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QFileInfo info(it.next());
        const QString rel = QDir(dir).relativeFilePath(info.filePath());
        if (info.isSymLink()) {
            char target[4096];
            const ssize_t n = ::readlink(QFile::encodeName(info.filePath()).constData(), target, sizeof target);
            out << rel + QStringLiteral("->") + QString::fromUtf8(target, int(qMax<ssize_t>(n, 0)));
        } else if (info.isDir())
            out << rel + u'/';
        else {
            QFile f(info.filePath());
            out << rel + u'=' + QString::fromUtf8(f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray("?"));
        }
    }
    out.sort();
    return out;
}

} // namespace

class TestCopy : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void copyOut_data();
    void copyOut();
    void copyIn_data();
    void copyIn();
    void containerLinksStayInside_data();
    void containerLinksStayInside();
    void tarStreams_data();
    void tarStreams();
    void owners_data();
    void owners();
    void swappedSymlinkNeverEscapes();
    void createdContainerStartsWithCopy();
    void devicesAndSetuidStayInside_data();
    void devicesAndSetuidStayInside();
    void tarToStdoutIsAsItIs();
    void helpSaysWhatIsLeftOut();
    void readOnlyContainer();
    void exportRoundTrip();
    void exportRunning();
    void exportErrorsLeaveNothing();
    void noMountLeftBehind();

private:
    RunResult ph(const QStringList &args, const QByteArray &input = {})
    {
        return porthole::test::runWithDemo(m_root.path(), args, input);
    }
    bool makeProbe();
    void addBothStates(const char *name, const QStringList &flags, const QString &a, const QString &b, const QStringList &expected);
    // The host marker must never change: same entries, same content.
    void checkMarker()
    {
        QCOMPARE(tree(m_marker.path()), (QStringList{QStringLiteral("secret=host-secret\n")}));
    }
    QTemporaryDir m_root;
    QTemporaryDir m_marker; // a host directory the container has its own copy of
    QTemporaryDir m_hostOnly; // one it has not
    QTemporaryDir m_work;
    int m_row = 0;
};

static const char kRunning[] = "cp-running";
static const char kExited[] = "cp-exited";

void TestCopy::initTestCase()
{
    if (const QString why = porthole::test::containerSkipReason(); !why.isEmpty())
        QSKIP(qPrintable(why));
    QVERIFY(m_root.isValid() && m_marker.isValid() && m_hostOnly.isValid() && m_work.isValid());
    QVERIFY2(porthole::test::demoImageReady(m_root.path()), "the demo image was not created");
    QVERIFY(porthole::test::writeFile(m_marker.filePath(QStringLiteral("secret")), "host-secret\n"));
    QVERIFY(porthole::test::writeFile(m_hostOnly.filePath(QStringLiteral("secret")), "host-secret\n"));
    const QString setup = QStringLiteral(
        "mkdir -p /data/sub /in '%1' && echo hello > /data/file && echo inner > /data/sub/inner && ln -s file /data/link"
        " && ln -s / /to-root && ln -s ../../.. /to-up && ln -s '%1' /to-host && echo container-secret > '%1/secret'"
        " && ln -s '%2' /to-host-only")
                              .arg(m_marker.path(), m_hostOnly.path());
    for (const char *name : {kRunning, kExited}) {
        QStringList args{QStringLiteral("run"), QStringLiteral("--name"), QLatin1String(name), QStringLiteral("--network"), QStringLiteral("none")};
        if (name == kRunning)
            args << QStringLiteral("-d");
        args << QStringLiteral("localhost/demo") << QStringLiteral("sh") << QStringLiteral("-c")
             << (name == kRunning ? setup + QStringLiteral(" && echo ready > /ready && exec sleep 600") : setup);
        const RunResult r = ph(args);
        QVERIFY2(r.exitCode == 0, r.err.constData());
    }
    QTRY_COMPARE_WITH_TIMEOUT(ph({QStringLiteral("exec"), QLatin1String(kRunning), QStringLiteral("cat"), QStringLiteral("/ready")}).out,
                              QByteArray("ready\n"), 10000);
}

void TestCopy::cleanupTestCase()
{
    if (porthole::test::containerSkipReason().isEmpty())
        porthole::test::removeAllContainers(m_root.path());
}

void TestCopy::addBothStates(const char *name, const QStringList &flags, const QString &a, const QString &b, const QStringList &expected)
{
    for (const char *c : {kRunning, kExited})
        QTest::addRow("%s, %s", c, name) << QString::fromLatin1(c) << flags << a << b << expected;
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

// The container's links name host paths, / and ../../..: followed inside
// the container, they find the container's own copy of the marker directory.
void TestCopy::containerLinksStayInside_data()
{
    QTest::addColumn<QString>("container");
    QTest::addColumn<QString>("via");
    for (const char *c : {kRunning, kExited}) {
        QTest::addRow("%s, link to the host path", c) << QString::fromLatin1(c) << QStringLiteral("/to-host");
        QTest::addRow("%s, link to ../../..", c) << QString::fromLatin1(c) << QStringLiteral("/to-up") + m_marker.path();
        QTest::addRow("%s, link to /", c) << QString::fromLatin1(c) << QStringLiteral("/to-root/to-root") + m_marker.path();
        QTest::addRow("%s, dotdots", c) << QString::fromLatin1(c) << QStringLiteral("/../../..") + m_marker.path();
    }
}

void TestCopy::containerLinksStayInside()
{
    QFETCH(QString, container);
    QFETCH(QString, via);
    const QString dir = m_work.filePath(QStringLiteral("links%1").arg(++m_row));
    QVERIFY(QDir().mkpath(dir));
    QVERIFY(porthole::test::writeFile(dir + QStringLiteral("/planted"), "planted\n"));

    RunResult r = ph({QStringLiteral("cp"), container + u':' + via + QStringLiteral("/secret"), dir + QStringLiteral("/got")});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QCOMPARE(tree(dir), (QStringList{QStringLiteral("got=container-secret\n"), QStringLiteral("planted=planted\n")}));
    const QString name = QStringLiteral("planted-%1").arg(m_row);
    r = ph({QStringLiteral("cp"), dir + QStringLiteral("/planted"), container + u':' + via + u'/' + name});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    checkMarker();
    // It is in the container, where the link led inside.
    r = ph({QStringLiteral("cp"), container + u':' + m_marker.path() + u'/' + name, QStringLiteral("-")});
    QVERIFY2(r.exitCode == 0 && r.out.contains("planted\n"), r.err.constData());
    // -L and a trailing slash follow a link as the source, inside as well.
    r = ph({QStringLiteral("cp"), QStringLiteral("-L"), container + QStringLiteral(":/to-host"), dir + QStringLiteral("/followed")});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QVERIFY(tree(dir).contains(QStringLiteral("followed/secret=container-secret\n")));
    // A link to a host directory the container has no copy of leads nowhere.
    r = ph({QStringLiteral("cp"), container + QStringLiteral(":/to-host-only/secret"), dir + QStringLiteral("/stolen")});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("Could not find the file /to-host-only/secret in container"), r.err.constData());
    r = ph({QStringLiteral("cp"), dir + QStringLiteral("/planted"), container + QStringLiteral(":/to-host-only/")});
    QCOMPARE(r.exitCode, 1);
    QCOMPARE(porthole::test::dirEntries(m_hostOnly.path()), QStringList{QStringLiteral("secret")});
    QVERIFY(!QFileInfo::exists(dir + QStringLiteral("/stolen")));
    checkMarker();
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

// The container swaps /race between a directory and a symlink to a host
// directory as fast as it can while we copy through it, both ways.
void TestCopy::swappedSymlinkNeverEscapes()
{
    const RunResult run = ph({QStringLiteral("run"), QStringLiteral("-d"), QStringLiteral("--name"), QStringLiteral("racer"), QStringLiteral("--network"),
                              QStringLiteral("none"), QStringLiteral("localhost/demo"), QStringLiteral("sh"), QStringLiteral("-c"),
                              QStringLiteral("spin() { i=0; while [ $i -lt 300 ]; do i=$((i+1)); done; }; while :; do rm -rf /race; mkdir /race;"
                                             " echo inside > /race/secret; spin; rm -rf /race; ln -s '%1' /race; spin; done")
                                  .arg(m_hostOnly.path())});
    QVERIFY2(run.exitCode == 0, run.err.constData());
    const QString dir = m_work.filePath(QStringLiteral("race"));
    QVERIFY(QDir().mkpath(dir));
    QVERIFY(porthole::test::writeFile(dir + QStringLiteral("/f"), "raced\n"));
    int copiedIn = 0, copiedOut = 0;
    for (int i = 0; i < 40; ++i) {
        copiedIn += ph({QStringLiteral("cp"), dir + QStringLiteral("/f"), QStringLiteral("racer:/race/")}).exitCode == 0;
        const RunResult out = ph({QStringLiteral("cp"), QStringLiteral("racer:/race/secret"), QStringLiteral("-")});
        QVERIFY(!out.out.contains("host-secret"));
        copiedOut += out.exitCode == 0;
    }
    qInfo("copied in %d and out %d times of 40 while /race was swapped", copiedIn, copiedOut);
    QCOMPARE(tree(m_hostOnly.path()), QStringList{QStringLiteral("secret=host-secret\n")});
    ph({QStringLiteral("rm"), QStringLiteral("-f"), QStringLiteral("racer")});
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

// docker: a read-only root takes no copies (a stopped one has no volumes
// mounted that could); reading from it is fine.
// A device node of this host's disk and a setuid program, made in the
// container by its root (once, for every row).
bool TestCopy::makeProbe()
{
    QByteArray disk = "7 0";
    QFile partitions(QStringLiteral("/proc/partitions"));
    if (partitions.open(QIODevice::ReadOnly)) {
        const QList<QByteArray> first = partitions.readAll().split('\n').value(2).simplified().split(' ');
        if (first.size() >= 2)
            disk = first[0] + ' ' + first[1];
    }
    const RunResult r = ph({QStringLiteral("exec"), QLatin1String(kRunning), QStringLiteral("sh"), QStringLiteral("-c"),
                            QStringLiteral("[ -e /probe/suid ] || { mkdir /probe && cd /probe && mknod blk b %1 && mknod chr c 1 3"
                                           " && ln blk blk-link && mkfifo fifo && cp /bin/busybox suid && chmod 4755 suid; }")
                                .arg(QString::fromLatin1(disk))});
    if (r.exitCode != 0)
        qWarning("make the probe: %s", r.err.constData());
    return r.exitCode == 0;
}

void TestCopy::devicesAndSetuidStayInside_data()
{
    QTest::addColumn<bool>("archive");
    QTest::newRow("cp") << false;
    QTest::newRow("cp -a") << true;
}

// A copy out never makes a device node on the host (the host's disk,
// readable by all), and keeps setuid bits only with -a.
void TestCopy::devicesAndSetuidStayInside()
{
    QFETCH(bool, archive);
    QVERIFY(makeProbe());
    const QString out = m_work.filePath(QStringLiteral("probe%1").arg(++m_row));
    QStringList cp{QStringLiteral("cp")};
    if (archive)
        cp << QStringLiteral("-a");
    RunResult r = ph(cp + QStringList{QLatin1String(kRunning) + QStringLiteral(":/probe"), out});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    // With QDir::System: FIFOs and devices are "system" files to Qt.
    QCOMPARE(QDir(out).entryList(QDir::AllEntries | QDir::System | QDir::Hidden | QDir::NoDotAndDotDot),
             (QStringList{QStringLiteral("fifo"), QStringLiteral("suid")}));
    for (const char *node : {"blk", "chr", "blk-link"})
        QVERIFY2(r.err.contains("WARNING: skipped the device node " + QFile::encodeName(out) + '/' + node + ':'), r.err.constData());
    PH_COMPARE_MODE(out + QStringLiteral("/suid"), archive ? 04755 : 0755);
    QVERIFY(QFileInfo(out + QStringLiteral("/fifo")).exists());

    // The device alone, under a new name: nothing lands, the warning names it.
    const QString single = out + QStringLiteral("-disk");
    r = ph(cp + QStringList{QLatin1String(kRunning) + QStringLiteral(":/probe/blk"), single});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QVERIFY(!QFileInfo::exists(single) && !QFileInfo(single).isSymLink());
    QVERIFY2(r.err.contains("WARNING: skipped the device node " + QFile::encodeName(single) + ':'), r.err.constData());
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

void TestCopy::exportRoundTrip()
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
void TestCopy::exportRunning()
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

void TestCopy::exportErrorsLeaveNothing()
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

// Our overlays live in mount namespaces of their own: the host's mount
// table never holds one, after success or error.
void TestCopy::noMountLeftBehind()
{
    const QString dir = m_work.filePath(QStringLiteral("mounts"));
    QVERIFY(QDir().mkpath(dir));
    for (const QStringList &args : {QStringList{QStringLiteral("cp"), QLatin1String(kExited) + QStringLiteral(":/data"), dir + QStringLiteral("/ok")},
                                    QStringList{QStringLiteral("cp"), QLatin1String(kExited) + QStringLiteral(":/nope"), dir},
                                    QStringList{QStringLiteral("cp"), dir, QLatin1String(kExited) + QStringLiteral(":/nope/x/y")},
                                    QStringList{QStringLiteral("cp"), QStringLiteral("-"), QLatin1String(kExited) + QStringLiteral(":/in")}})
        ph(args, "not a tar");
    QFile mountinfo(QStringLiteral("/proc/self/mountinfo"));
    QVERIFY(mountinfo.open(QIODevice::ReadOnly));
    const QByteArray table = mountinfo.readAll();
    QVERIFY2(!table.contains(QFile::encodeName(m_root.path())), table.constData());
    // The exited container is not held: it starts, and goes.
    QCOMPARE(ph({QStringLiteral("start"), QLatin1String(kExited)}).exitCode, 0);
    const RunResult removed = ph({QStringLiteral("rm"), QStringLiteral("-f"), QLatin1String(kExited)});
    QVERIFY2(removed.exitCode == 0, removed.err.constData());
    QVERIFY(!ph({QStringLiteral("ps"), QStringLiteral("-a")}).out.contains(kExited));
}

QTEST_GUILESS_MAIN(TestCopy)
#include "tst_copy.moc"
