// The prunes through the porthole binary, on a store where some things are
// used and some are not: a running container (demo image, a volume), an
// exited one (its own image), an unused tagged image, a dangling one, an
// unused volume. Each prune takes what nothing uses, keeps the rest, says
// what went in docker's words, and counts the bytes it freed.
#include "support/testsupport.h"
#include "support/ustarwriter.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using porthole::test::RunResult;

class TestPrune : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void answerNoKeepsEverything();
    void imagesDanglingThenUnused();
    void containersThenVolumes();
    void systemPruneTakesTheRest();

private:
    RunResult ph(const QStringList &args, const QByteArray &input = {})
    {
        return porthole::test::runWithDemo(m_root.path(), args, input);
    }
    // A one-file image of `size` bytes; returns its ID ("sha256:…").
    QByteArray importImage(const QString &ref, int size, char fill)
    {
        porthole::test::UstarWriter w;
        w.file(QStringLiteral("payload"), QByteArray(size, fill));
        QStringList args{QStringLiteral("import"), QStringLiteral("-")};
        if (!ref.isEmpty())
            args << ref;
        return ph(args, w.finish()).out.trimmed();
    }
    QByteArray imageIds() { return ph({QStringLiteral("images"), QStringLiteral("-a"), QStringLiteral("-q"), QStringLiteral("--no-trunc")}).out; }

    QTemporaryDir m_root;
    QByteArray m_used, m_unused, m_dangling; // image IDs
};

void TestPrune::initTestCase()
{
    if (const QString why = porthole::test::containerSkipReason(); !why.isEmpty())
        QSKIP(qPrintable(why));
    QVERIFY(porthole::test::demoImageReady(m_root.path()));
    m_used = importImage(QStringLiteral("localhost/used:1"), 3000, 'u');
    m_unused = importImage(QStringLiteral("localhost/unused:1"), 5000, 'n');
    m_dangling = importImage(QString(), 7000, 'd');
    QVERIFY(m_used.startsWith("sha256:") && m_unused.startsWith("sha256:") && m_dangling.startsWith("sha256:"));
    // A created container (never started: its image holds no program)
    // uses that image as much as a running one.
    QCOMPARE(ph({QStringLiteral("create"), QStringLiteral("--name"), QStringLiteral("exited"), QStringLiteral("--network"),
                 QStringLiteral("none"), QStringLiteral("localhost/used:1"), QStringLiteral("/payload")}).exitCode, 0);
    QCOMPARE(ph({QStringLiteral("run"), QStringLiteral("--name"), QStringLiteral("wrote"), QStringLiteral("--network"), QStringLiteral("none"),
                 QStringLiteral("localhost/demo"), QStringLiteral("sh"), QStringLiteral("-c"), QStringLiteral("head -c 2000 /dev/zero > /f")}).exitCode, 0);
    QCOMPARE(ph({QStringLiteral("run"), QStringLiteral("-d"), QStringLiteral("--name"), QStringLiteral("busy"), QStringLiteral("--network"),
                 QStringLiteral("none"), QStringLiteral("-v"), QStringLiteral("busyvol:/data"), QStringLiteral("localhost/demo"),
                 QStringLiteral("sleep"), QStringLiteral("300")}).exitCode, 0);
    QCOMPARE(ph({QStringLiteral("volume"), QStringLiteral("create"), QStringLiteral("idle")}).exitCode, 0);
    QVERIFY(porthole::test::writeFile(m_root.filePath(QStringLiteral("volumes/idle/_data/f")), QByteArray(1000, 'i')));
}

void TestPrune::cleanupTestCase()
{
    if (porthole::test::containerSkipReason().isEmpty())
        porthole::test::removeAllContainers(m_root.path());
}

void TestPrune::answerNoKeepsEverything()
{
    const QByteArray before = imageIds();
    for (const QStringList &verb : {QStringList{QStringLiteral("image"), QStringLiteral("prune"), QStringLiteral("-a")},
                                    QStringList{QStringLiteral("container"), QStringLiteral("prune")},
                                    QStringList{QStringLiteral("volume"), QStringLiteral("prune")},
                                    QStringList{QStringLiteral("system"), QStringLiteral("prune"), QStringLiteral("--volumes")}}) {
        const RunResult r = ph(verb, "n\n");
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.startsWith("WARNING! This will remove") && r.out.endsWith("Are you sure you want to continue? [y/N] "),
                 r.out.constData());
    }
    QCOMPARE(imageIds(), before);
    QCOMPARE(ph({QStringLiteral("ps"), QStringLiteral("-aq")}).out.count('\n'), 3);
    QCOMPARE(ph({QStringLiteral("volume"), QStringLiteral("ls"), QStringLiteral("-q")}).out, QByteArray("busyvol\nidle\n"));
}

void TestPrune::imagesDanglingThenUnused()
{
    // Without -a: the dangling one only.
    RunResult r = ph({QStringLiteral("image"), QStringLiteral("prune"), QStringLiteral("-f")});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.out, "Deleted Images:\ndeleted: " + m_dangling + "\n\nTotal reclaimed space: 7kB\n");
    QVERIFY(!imageIds().contains(m_dangling));
    // -a: the unused tagged one too; the demo (a running container) and
    // the one an exited container was made from stay.
    r = ph({QStringLiteral("image"), QStringLiteral("prune"), QStringLiteral("-a"), QStringLiteral("--force")});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.out, "Deleted Images:\nuntagged: localhost/unused:1\ndeleted: " + m_unused + "\n\nTotal reclaimed space: 5kB\n");
    const QByteArray left = imageIds();
    QVERIFY(left.contains(m_used));
    QCOMPARE(left.count('\n'), 2); // and the demo
    // Nothing more to take.
    QCOMPARE(ph({QStringLiteral("image"), QStringLiteral("prune"), QStringLiteral("-af")}).out, QByteArray("Total reclaimed space: 0B\n"));
}

void TestPrune::containersThenVolumes()
{
    RunResult r = ph({QStringLiteral("container"), QStringLiteral("prune"), QStringLiteral("-f")});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.startsWith("Deleted Containers:\n") && r.out.endsWith("\n\nTotal reclaimed space: 2kB\n"), r.out.constData());
    QCOMPARE(r.out.count('\n'), 5); // two IDs (the created one and the exited one)
    QCOMPARE(ph({QStringLiteral("ps"), QStringLiteral("-aq")}).out.count('\n'), 1); // busy runs on

    r = ph({QStringLiteral("volume"), QStringLiteral("prune"), QStringLiteral("-f")});
    QCOMPARE(r.out, QByteArray("Deleted Volumes:\nidle\n\nTotal reclaimed space: 1kB\n"));
    QCOMPARE(ph({QStringLiteral("volume"), QStringLiteral("ls"), QStringLiteral("-q")}).out, QByteArray("busyvol\n"));
}

void TestPrune::systemPruneTakesTheRest()
{
    QCOMPARE(ph({QStringLiteral("rm"), QStringLiteral("-f"), QStringLiteral("busy")}).exitCode, 0);
    const RunResult r = ph({QStringLiteral("system"), QStringLiteral("prune"), QStringLiteral("-a"), QStringLiteral("--volumes")}, "y\n");
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.contains("  - all volumes not used by at least one container\n") && r.out.contains("Deleted Volumes:\nbusyvol\n")
                 && r.out.contains("untagged: localhost/demo:latest\n") && r.out.contains("untagged: localhost/used:1\n"),
             r.out.constData());
    QVERIFY2(r.out.contains("\nTotal reclaimed space: "), r.out.constData());
    QCOMPARE(imageIds(), QByteArray());
    QCOMPARE(ph({QStringLiteral("volume"), QStringLiteral("ls"), QStringLiteral("-q")}).out, QByteArray());
    // The store holds no image blob and no layer any more.
    QCOMPARE(porthole::test::dirEntries(m_root.filePath(QStringLiteral("layers"))), QStringList());
}

QTEST_GUILESS_MAIN(TestPrune)
#include "tst_prune.moc"
