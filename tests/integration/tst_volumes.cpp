// Named volumes through the porthole binary: create, ls, inspect, rm and
// docker's name rule without containers; with the kernel (root), a
// container that writes into a volume makes its size and user show, and
// rm is refused until the container is gone. The engine is opened directly
// to check what the GUI shows (the containers that use a volume).
#include "service/engine.h"
#include "service/engineservice.h"
#include "support/jobtestsupport.h"
#include "support/testsupport.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <unistd.h>

using porthole::test::RunResult;
namespace service = porthole::service;

class TestVolumes : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void createLsInspectRm();
    void badNames_data();
    void badNames();
    void sizeSkipsSymlinksAndCountsHardLinksOnce();
    void usedByContainer();
    void serviceJob();
    void runAppliesTheVolumeNameRule();
    void diskUsageCountsContainersAndVolumes();
    void removeNeverRacesRun();

private:
    RunResult ph(const QStringList &args) { return porthole::test::runPorthole(m_root.path(), args); }
    QList<service::VolumeRow> engineVolumes();
    QTemporaryDir m_root;
};

void TestVolumes::initTestCase()
{
    QVERIFY(m_root.isValid());
    // The demo image is seeded only into a new store, so before any verb.
    if (porthole::test::containerSkipReason().isEmpty())
        QVERIFY2(porthole::test::demoImageReady(m_root.path()), "the demo image was not created");
}

void TestVolumes::cleanupTestCase()
{
    if (porthole::test::containerSkipReason().isEmpty())
        porthole::test::removeAllContainers(m_root.path());
}

QList<service::VolumeRow> TestVolumes::engineVolumes()
{
    auto engine = service::Engine::open({m_root.path(), false});
    if (!engine)
        return {};
    auto rows = (*engine)->listVolumes();
    return rows ? *rows : QList<service::VolumeRow>();
}

void TestVolumes::createLsInspectRm()
{
    RunResult r = ph({QStringLiteral("volume"), QStringLiteral("create"), QStringLiteral("zeta")});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.out, QByteArray("zeta\n"));
    QCOMPARE(ph({QStringLiteral("volume"), QStringLiteral("create"), QStringLiteral("alpha.1")}).exitCode, 0);
    // Creating an existing volume is no error (docker's create is idempotent).
    QCOMPARE(ph({QStringLiteral("volume"), QStringLiteral("create"), QStringLiteral("zeta")}).exitCode, 0);

    r = ph({QStringLiteral("volume"), QStringLiteral("ls")});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.out, QByteArray("DRIVER    VOLUME NAME\nlocal     alpha.1\nlocal     zeta\n"));
    r = ph({QStringLiteral("volume"), QStringLiteral("list"), QStringLiteral("-q")});
    QCOMPARE(r.out, QByteArray("alpha.1\nzeta\n"));

    r = ph({QStringLiteral("volume"), QStringLiteral("inspect"), QStringLiteral("zeta")});
    QCOMPARE(r.exitCode, 0);
    const QJsonArray arr = QJsonDocument::fromJson(r.out).array();
    QCOMPARE(arr.size(), 1);
    const QJsonObject v = arr.first().toObject();
    QCOMPARE(v.keys(), (QStringList{QStringLiteral("CreatedAt"), QStringLiteral("Driver"), QStringLiteral("Labels"),
                                    QStringLiteral("Mountpoint"), QStringLiteral("Name"), QStringLiteral("Options"),
                                    QStringLiteral("Scope")}));
    QCOMPARE(v.value(QStringLiteral("Name")).toString(), QStringLiteral("zeta"));
    QCOMPARE(v.value(QStringLiteral("Driver")).toString(), QStringLiteral("local"));
    QCOMPARE(v.value(QStringLiteral("Scope")).toString(), QStringLiteral("local"));
    QVERIFY(v.value(QStringLiteral("Labels")).isNull());
    const QString mountpoint = v.value(QStringLiteral("Mountpoint")).toString();
    QCOMPARE(mountpoint, m_root.path() + QStringLiteral("/volumes/zeta/_data"));
    QVERIFY(QFileInfo(mountpoint).isDir());
    const QDateTime created = QDateTime::fromString(v.value(QStringLiteral("CreatedAt")).toString(), Qt::ISODate);
    QVERIFY(created.isValid());
    QVERIFY(qAbs(created.secsTo(QDateTime::currentDateTimeUtc())) < 600);

    // A missing one: the found ones are printed, the error after, exit 1.
    r = ph({QStringLiteral("volume"), QStringLiteral("inspect"), QStringLiteral("zeta"), QStringLiteral("nope")});
    QCOMPARE(r.exitCode, 1);
    QCOMPARE(QJsonDocument::fromJson(r.out).array().size(), 1);
    QVERIFY2(r.err.contains("get nope: no such volume"), r.err.constData());
    r = ph({QStringLiteral("volume"), QStringLiteral("inspect"), QStringLiteral("-f"), QStringLiteral("{{.Name}}"),
            QStringLiteral("alpha.1")});
    QCOMPARE(r.out, QByteArray("alpha.1\n"));

    r = ph({QStringLiteral("volume"), QStringLiteral("rm"), QStringLiteral("zeta"), QStringLiteral("nope")});
    QCOMPARE(r.exitCode, 1);
    QCOMPARE(r.out, QByteArray("zeta\n"));
    QVERIFY2(r.err.contains("get nope: no such volume"), r.err.constData());
    QVERIFY(!QFileInfo::exists(m_root.path() + QStringLiteral("/volumes/zeta")));
    // -f: a missing volume is no error.
    QCOMPARE(ph({QStringLiteral("volume"), QStringLiteral("rm"), QStringLiteral("-f"), QStringLiteral("nope")}).exitCode, 0);
    QCOMPARE(ph({QStringLiteral("volume"), QStringLiteral("ls"), QStringLiteral("-q")}).out, QByteArray("alpha.1\n"));
    QCOMPARE(ph({QStringLiteral("volume"), QStringLiteral("rm"), QStringLiteral("alpha.1")}).exitCode, 0);
    QCOMPARE(ph({QStringLiteral("volume"), QStringLiteral("ls"), QStringLiteral("-q")}).out, QByteArray());
}

void TestVolumes::badNames_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QByteArray>("message");
    QTest::newRow("one character") << QStringLiteral("a") << QByteArray("volume name is too short");
    QTest::newRow("slash") << QStringLiteral("a/b") << QByteArray("includes invalid characters");
    QTest::newRow("dot dot") << QStringLiteral("..") << QByteArray("includes invalid characters");
    QTest::newRow("leading dash") << QStringLiteral("-ab") << QByteArray("includes invalid characters");
    QTest::newRow("leading dot") << QStringLiteral(".ab") << QByteArray("includes invalid characters");
    QTest::newRow("space") << QStringLiteral("a b") << QByteArray("includes invalid characters");
    QTest::newRow("hangul") << QStringLiteral("볼륨") << QByteArray("includes invalid characters");
}

void TestVolumes::badNames()
{
    QFETCH(QString, name);
    QFETCH(QByteArray, message);
    // "--" so a leading dash is a name, not a flag.
    const RunResult r = ph({QStringLiteral("volume"), QStringLiteral("create"), QStringLiteral("--"), name});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains(message), r.err.constData());
    QVERIFY2(r.err.contains(("create " + name).toUtf8()), r.err.constData());
    QCOMPARE(ph({QStringLiteral("volume"), QStringLiteral("ls"), QStringLiteral("-q")}).out, QByteArray());
}

void TestVolumes::sizeSkipsSymlinksAndCountsHardLinksOnce()
{
    QCOMPARE(ph({QStringLiteral("volume"), QStringLiteral("create"), QStringLiteral("sized")}).exitCode, 0);
    const QString data = m_root.path() + QStringLiteral("/volumes/sized/_data");
    QVERIFY(QDir().mkpath(data + QStringLiteral("/sub/deeper")));
    QVERIFY(porthole::test::writeFile(data + QStringLiteral("/a"), QByteArray(1000, 'a')));
    QVERIFY(porthole::test::writeFile(data + QStringLiteral("/sub/deeper/b"), QByteArray(234, 'b')));
    QCOMPARE(::link(QFile::encodeName(data + QStringLiteral("/a")).constData(),
                    QFile::encodeName(data + QStringLiteral("/sub/a-again")).constData()), 0);
    // A symlink to a big tree (the store root itself) must not be walked.
    QCOMPARE(::symlink(QFile::encodeName(m_root.path()).constData(),
                       QFile::encodeName(data + QStringLiteral("/root")).constData()), 0);
    const RunResult r = ph({QStringLiteral("volume"), QStringLiteral("ls"), QStringLiteral("--format"),
                            QStringLiteral("{{.Name}} {{.Size}} {{.Links}}")});
    QCOMPARE(r.out, QByteArray("sized 1.23kB 0\n"));
    const QList<service::VolumeRow> rows = engineVolumes();
    QCOMPARE(rows.size(), 1);
    QCOMPARE(rows.first().size, 1234);
    QCOMPARE(rows.first().mountpoint, data);
    QCOMPARE(rows.first().driver, QStringLiteral("local"));
    QVERIFY(rows.first().containers.isEmpty());
    QCOMPARE(ph({QStringLiteral("volume"), QStringLiteral("rm"), QStringLiteral("sized")}).exitCode, 0);
}

void TestVolumes::usedByContainer()
{
    if (const QString why = porthole::test::containerSkipReason(); !why.isEmpty())
        QSKIP(qPrintable(why));
    // `run -v` makes the volume itself, as docker does.
    RunResult r = porthole::test::runWithDemo(
        m_root.path(), {QStringLiteral("run"), QStringLiteral("--name"), QStringLiteral("writer"), QStringLiteral("--network"),
                        QStringLiteral("none"), QStringLiteral("-v"), QStringLiteral("shared:/data"),
                        QStringLiteral("localhost/demo"), QStringLiteral("sh"), QStringLiteral("-c"),
                        QStringLiteral("head -c 5000 /dev/zero > /data/blob && echo hi > /data/small")});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const QByteArray id = ph({QStringLiteral("ps"), QStringLiteral("-aq"), QStringLiteral("--no-trunc")}).out.trimmed();

    r = ph({QStringLiteral("volume"), QStringLiteral("ls"), QStringLiteral("--format"),
            QStringLiteral("{{.Name}} {{.Size}} {{.Links}}")});
    QCOMPARE(r.out, QByteArray("shared 5kB 1\n"));
    const QList<service::VolumeRow> rows = engineVolumes();
    QCOMPARE(rows.size(), 1);
    QCOMPARE(rows.first().size, 5003);
    QCOMPARE(rows.first().containers, QStringList{QStringLiteral("writer")});

    // In use, even by a stopped container, and even with -f: refused.
    for (const QStringList &rm : {QStringList{QStringLiteral("shared")}, QStringList{QStringLiteral("-f"), QStringLiteral("shared")}}) {
        r = ph(QStringList{QStringLiteral("volume"), QStringLiteral("rm")} + rm);
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("remove shared: volume is in use - ["), r.err.constData());
        if (!id.isEmpty())
            QVERIFY2(r.err.contains(id), r.err.constData());
    }
    QVERIFY(QFileInfo::exists(m_root.path() + QStringLiteral("/volumes/shared/_data/blob")));

    QCOMPARE(ph({QStringLiteral("rm"), QStringLiteral("writer")}).exitCode, 0);
    QVERIFY(engineVolumes().value(0).containers.isEmpty());
    r = ph({QStringLiteral("volume"), QStringLiteral("rm"), QStringLiteral("shared")});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QCOMPARE(ph({QStringLiteral("volume"), QStringLiteral("ls"), QStringLiteral("-q")}).out, QByteArray());
    QVERIFY(porthole::test::dirEntries(m_root.path() + QStringLiteral("/volumes")).isEmpty());
}

// The GUI's way in: a quiet job whose result is the list, and whose
// command line is the CLI equivalent.
void TestVolumes::serviceJob()
{
    QCOMPARE(ph({QStringLiteral("volume"), QStringLiteral("create"), QStringLiteral("viaservice")}).exitCode, 0);
    service::EngineService svc({m_root.path(), false});
    svc.start();
    porthole::test::JobResult<QList<service::VolumeRow>> job(svc.volumes(true));
    QVERIFY(job.wait());
    QCOMPARE(job.status().state, service::JobStatus::Succeeded);
    QVERIFY(job.status().quiet);
    QCOMPARE(job.status().command, QStringLiteral("porthole volume ls"));
    const QList<service::VolumeRow> &rows = *job.result();
    QCOMPARE(rows.size(), 1);
    QCOMPARE(rows.first().name, QStringLiteral("viaservice"));
    QCOMPARE(ph({QStringLiteral("volume"), QStringLiteral("rm"), QStringLiteral("viaservice")}).exitCode, 0);
}

// `run -v NAME:/path` makes the volume, so it follows `volume create`'s
// rule and sentence; nothing is made when the name is refused.
void TestVolumes::runAppliesTheVolumeNameRule()
{
    if (const QString why = porthole::test::containerSkipReason(); !why.isEmpty())
        QSKIP(qPrintable(why));
    const RunResult r = porthole::test::runWithDemo(
        m_root.path(), {QStringLiteral("run"), QStringLiteral("--network"), QStringLiteral("none"), QStringLiteral("-v"),
                        QStringLiteral("a:/data"), QStringLiteral("localhost/demo"), QStringLiteral("true")});
    QCOMPARE(r.exitCode, 125);
    QVERIFY2(r.err.contains("create a: volume name is too short"), r.err.constData());
    QCOMPARE(ph({QStringLiteral("ps"), QStringLiteral("-aq")}).out, QByteArray());
    QCOMPARE(ph({QStringLiteral("volume"), QStringLiteral("ls"), QStringLiteral("-q")}).out, QByteArray());
}

// `system df` and `info` count containers and volumes as docker does: a
// running container is active, a stopped one reclaimable; a volume is
// active while any container uses it; an image while any container does.
void TestVolumes::diskUsageCountsContainersAndVolumes()
{
    if (const QString why = porthole::test::containerSkipReason(); !why.isEmpty())
        QSKIP(qPrintable(why));
    const auto run = [&](const QStringList &args) {
        const RunResult r = porthole::test::runWithDemo(m_root.path(), args);
        QVERIFY2(r.exitCode == 0, r.err.constData());
    };
    run({QStringLiteral("run"), QStringLiteral("-d"), QStringLiteral("--name"), QStringLiteral("busy"), QStringLiteral("--network"),
         QStringLiteral("none"), QStringLiteral("-v"), QStringLiteral("busyvol:/data"), QStringLiteral("localhost/demo"), QStringLiteral("sh"),
         QStringLiteral("-c"), QStringLiteral("head -c 3000 /dev/zero > /data/f; sleep 300")});
    run({QStringLiteral("run"), QStringLiteral("--name"), QStringLiteral("done"), QStringLiteral("--network"), QStringLiteral("none"),
         QStringLiteral("localhost/demo"), QStringLiteral("sh"), QStringLiteral("-c"), QStringLiteral("head -c 2000 /dev/zero > /f")});
    QCOMPARE(ph({QStringLiteral("volume"), QStringLiteral("create"), QStringLiteral("idle")}).exitCode, 0);
    QVERIFY(porthole::test::writeFile(m_root.path() + QStringLiteral("/volumes/idle/_data/f"), QByteArray(1000, 'i')));
    QTRY_VERIFY_WITH_TIMEOUT(QFileInfo(m_root.path() + QStringLiteral("/volumes/busyvol/_data/f")).size() == 3000, 10000);

    const RunResult df = ph({QStringLiteral("system"), QStringLiteral("df")});
    QCOMPARE(df.exitCode, 0);
    const QString text = QString::fromUtf8(df.out);
    const auto row = [&](const QString &pattern) { return QRegularExpression(pattern).match(text).hasMatch(); };
    QVERIFY2(row(QStringLiteral("\nImages +1 +1 ")), df.out.constData());
    // busy's layer holds its (empty) mount points at most; done's 2000 bytes.
    QVERIFY2(row(QStringLiteral(R"(\nContainers +2 +1 +2kB +2kB \(100%\)\n)")), df.out.constData());
    QVERIFY2(row(QStringLiteral(R"(\nLocal Volumes +2 +1 +4kB +1kB \(25%\)\n)")), df.out.constData());

    const RunResult info = ph({QStringLiteral("info")});
    QVERIFY2(info.out.contains("\n Containers: 2\n  Running: 1\n  Paused: 0\n  Stopped: 1\n"), info.out.constData());

    QCOMPARE(ph({QStringLiteral("rm"), QStringLiteral("-f"), QStringLiteral("busy"), QStringLiteral("done")}).exitCode, 0);
    QCOMPARE(ph({QStringLiteral("volume"), QStringLiteral("rm"), QStringLiteral("busyvol"), QStringLiteral("idle")}).exitCode, 0);
}

// `volume rm` and a `run -v` of the same volume at the same moment: the
// run either gets a fresh volume (rm went first) or keeps it (rm is then
// refused); a container is never left with its volume removed under it.
void TestVolumes::removeNeverRacesRun()
{
    if (const QString why = porthole::test::containerSkipReason(); !why.isEmpty())
        QSKIP(qPrintable(why));
    QVERIFY(porthole::test::demoImageReady(m_root.path()));
    const QString data = m_root.path() + QStringLiteral("/volumes/racevol/_data");
    for (int round = 0; round < 12; ++round) {
        QCOMPARE(ph({QStringLiteral("volume"), QStringLiteral("create"), QStringLiteral("racevol")}).exitCode, 0);
        QProcess runner, remover;
        const QStringList root{QStringLiteral("--root"), m_root.path()};
        runner.start(porthole::test::portholeBinary(),
                     root + QStringList{QStringLiteral("run"), QStringLiteral("--name"), QStringLiteral("racer"), QStringLiteral("--network"),
                                        QStringLiteral("none"), QStringLiteral("-v"), QStringLiteral("racevol:/d"),
                                        QStringLiteral("localhost/demo"), QStringLiteral("touch"), QStringLiteral("/d/mark")});
        remover.start(porthole::test::portholeBinary(), root + QStringList{QStringLiteral("volume"), QStringLiteral("rm"), QStringLiteral("racevol")});
        QVERIFY(runner.waitForFinished(30000) && remover.waitForFinished(30000));
        QVERIFY2(runner.exitCode() == 0, runner.readAllStandardError().constData());
        if (remover.exitCode() != 0)
            QVERIFY2(remover.readAllStandardError().contains("volume is in use"), "volume rm failed otherwise");
        // The container exists, so its volume does, with what it wrote.
        QVERIFY2(QFileInfo::exists(data + QStringLiteral("/mark")), qPrintable(QStringLiteral("round %1").arg(round)));
        QCOMPARE(ph({QStringLiteral("rm"), QStringLiteral("racer")}).exitCode, 0);
        QCOMPARE(ph({QStringLiteral("volume"), QStringLiteral("rm"), QStringLiteral("racevol")}).exitCode, 0);
    }
}

QTEST_GUILESS_MAIN(TestVolumes)
#include "tst_volumes.moc"
