// `cp` never lets the container reach the host: symlinks in the container
// aimed at /, at ../../.. and at a host directory (also swapped while we
// copy), devices and setuid programs, and no mount is ever left on the
// host. Needs root (containers).
#include "support/copytestsupport.h"


using porthole::test::RunResult;
using namespace porthole::test::copying;

class TestCopyContainment : public QObject, protected CopyFixture {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void containerLinksStayInside_data();
    void containerLinksStayInside();
    void swappedSymlinkNeverEscapes();
    void devicesAndSetuidStayInside_data();
    void devicesAndSetuidStayInside();
    void noMountLeftBehind();
};

void TestCopyContainment::initTestCase()
{
    if (const QString why = porthole::test::containerSkipReason(); !why.isEmpty())
        QSKIP(qPrintable(why));
    startContainers();
}

void TestCopyContainment::cleanupTestCase()
{
    removeContainers();
}

// The container's links name host paths, / and ../../..: followed inside
// the container, they find the container's own copy of the marker directory.
void TestCopyContainment::containerLinksStayInside_data()
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

void TestCopyContainment::containerLinksStayInside()
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

// The container swaps /race between a directory and a symlink to a host
// directory as fast as it can while we copy through it, both ways.
void TestCopyContainment::swappedSymlinkNeverEscapes()
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

void TestCopyContainment::devicesAndSetuidStayInside_data()
{
    QTest::addColumn<bool>("archive");
    QTest::newRow("cp") << false;
    QTest::newRow("cp -a") << true;
}

// A copy out never makes a device node on the host (the host's disk,
// readable by all), and keeps setuid bits only with -a.
void TestCopyContainment::devicesAndSetuidStayInside()
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

// Our overlays live in mount namespaces of their own: the host's mount
// table never holds one, after success or error.
void TestCopyContainment::noMountLeftBehind()
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

QTEST_GUILESS_MAIN(TestCopyContainment)
#include "tst_copycontainment.moc"
