// load with the archives real tools write: podman save (docker-archive and
// oci-archive) and skopeo copy, from a file, a pipe and gzip'd; the loaded
// image keeps podman's ID and runs. A broken archive stores nothing.
#include "support/testsupport.h"
#include "support/ustarwriter.h"

#include "core/digest.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace porthole;
using porthole::test::RunResult;
using porthole::test::runProgram;

namespace {

const QByteArray kMarker = "loaded by porthole\n";

QProcessEnvironment noDemo()
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("PORTHOLE_NO_DEMO"), QStringLiteral("1"));
    return env;
}

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace

class TestLoad : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void loadAndRun_data();
    void loadAndRun();
    void truncatedArchiveStoresNothing();
    void layersOutOfOrder();

private:
    QString path(const QString &name) const { return m_dir.filePath(name); }
    RunResult podman(const QStringList &args) const
    {
        return runProgram(QStringLiteral("podman"), QStringList{QStringLiteral("--root"), path(QStringLiteral("podman-root")),
                                                                QStringLiteral("--runroot"), path(QStringLiteral("podman-run")),
                                                                QStringLiteral("--storage-driver"), QStringLiteral("vfs")} + args);
    }
    QString containersStorage() const
    {
        return QStringLiteral("containers-storage:[vfs@%1+%2]localhost/loadtest:latest")
            .arg(path(QStringLiteral("podman-root")), path(QStringLiteral("podman-run")));
    }

    QTemporaryDir m_dir;
    QString m_imageId; // as podman has it
    bool m_haveSkopeo = false;
};

void TestLoad::initTestCase()
{
    if (const QString why = test::containerSkipReason(); !why.isEmpty())
        QSKIP(qPrintable(why));
    if (!test::haveProgram(QStringLiteral("podman")))
        QSKIP("podman is not installed (apt-get install podman); load of its archives is untested");
    if (!QFileInfo(QStringLiteral("/bin/busybox")).isExecutable())
        QSKIP("no /bin/busybox (apt-get install busybox-static) for the test image");
    m_haveSkopeo = test::haveProgram(QStringLiteral("skopeo"));
    QVERIFY(m_dir.isValid());
    // A busybox rootfs with a marker file, imported by podman into its own store.
    const QString rootfs = path(QStringLiteral("rootfs"));
    QVERIFY(QDir().mkpath(rootfs + QStringLiteral("/bin")));
    QVERIFY(QFile::copy(QStringLiteral("/bin/busybox"), rootfs + QStringLiteral("/bin/busybox")));
    QVERIFY(QFile::setPermissions(rootfs + QStringLiteral("/bin/busybox"), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner
                                                                             | QFile::ReadOther | QFile::ExeOther));
    for (const char *tool : {"sh", "cat"})
        QVERIFY(QFile::link(QStringLiteral("busybox"), rootfs + QStringLiteral("/bin/") + QLatin1String(tool)));
    QVERIFY(test::writeFile(rootfs + QStringLiteral("/marker.txt"), kMarker));
    const RunResult tar = runProgram(QStringLiteral("tar"), {QStringLiteral("-C"), rootfs, QStringLiteral("-cf"),
                                                             path(QStringLiteral("rootfs.tar")), QStringLiteral(".")});
    QVERIFY2(tar.exitCode == 0, tar.err.constData());
    const RunResult imported = podman({QStringLiteral("import"), path(QStringLiteral("rootfs.tar")), QStringLiteral("localhost/loadtest:latest")});
    QVERIFY2(imported.exitCode == 0, imported.err.constData());
    m_imageId = QString::fromLatin1(imported.out.trimmed());
    if (!m_imageId.startsWith(QLatin1String("sha256:")))
        m_imageId.prepend(QStringLiteral("sha256:"));

    RunResult saved = podman({QStringLiteral("save"), QStringLiteral("-o"), path(QStringLiteral("podman-docker.tar")),
                              QStringLiteral("localhost/loadtest:latest")});
    QVERIFY2(saved.exitCode == 0, saved.err.constData());
    saved = podman({QStringLiteral("save"), QStringLiteral("--format"), QStringLiteral("oci-archive"), QStringLiteral("-o"),
                    path(QStringLiteral("podman-oci.tar")), QStringLiteral("localhost/loadtest:latest")});
    QVERIFY2(saved.exitCode == 0, saved.err.constData());
    if (m_haveSkopeo) {
        for (const char *format : {"docker-archive", "oci-archive"}) {
            const RunResult copied = runProgram(QStringLiteral("skopeo"),
                                                {QStringLiteral("copy"), QStringLiteral("--quiet"), containersStorage(),
                                                 QStringLiteral("%1:%2:localhost/loadtest:latest")
                                                     .arg(QLatin1String(format), path(QStringLiteral("skopeo-%1.tar").arg(QLatin1String(format))))});
            QVERIFY2(copied.exitCode == 0, copied.err.constData());
        }
    }
    const RunResult gz = runProgram(QStringLiteral("gzip"), {QStringLiteral("-c")}, readAll(path(QStringLiteral("podman-docker.tar"))));
    QVERIFY(gz.exitCode == 0);
    QVERIFY(test::writeFile(path(QStringLiteral("podman-docker.tar.gz")), gz.out));
}

void TestLoad::loadAndRun_data()
{
    QTest::addColumn<QString>("archive");
    QTest::addColumn<bool>("viaStdin");
    QTest::addColumn<bool>("needsSkopeo");
    QTest::newRow("podman save, docker-archive") << QStringLiteral("podman-docker.tar") << false << false;
    QTest::newRow("podman save, oci-archive") << QStringLiteral("podman-oci.tar") << false << false;
    QTest::newRow("skopeo copy, docker-archive") << QStringLiteral("skopeo-docker-archive.tar") << false << true;
    QTest::newRow("skopeo copy, oci-archive") << QStringLiteral("skopeo-oci-archive.tar") << false << true;
    QTest::newRow("through a pipe") << QStringLiteral("podman-docker.tar") << true << false;
    QTest::newRow("gzip'd through a pipe") << QStringLiteral("podman-docker.tar.gz") << true << false;
    QTest::newRow("gzip'd file") << QStringLiteral("podman-docker.tar.gz") << false << false;
}

void TestLoad::loadAndRun()
{
    QFETCH(QString, archive);
    QFETCH(bool, viaStdin);
    QFETCH(bool, needsSkopeo);
    if (needsSkopeo && !m_haveSkopeo)
        QSKIP("skopeo is not installed (apt-get install skopeo)");
    QTemporaryDir root;
    const RunResult loaded = viaStdin
        ? test::runPorthole(root.path(), {QStringLiteral("load")}, readAll(path(archive)), 120000, noDemo())
        : test::runPorthole(root.path(), {QStringLiteral("load"), QStringLiteral("-i"), path(archive)}, {}, 120000, noDemo());
    QVERIFY2(loaded.exitCode == 0, loaded.err.constData());
    QCOMPARE(loaded.out, QByteArray("Loaded image: localhost/loadtest:latest\n"));
    const RunResult id = test::runPorthole(root.path(), {QStringLiteral("inspect"), QStringLiteral("-f"), QStringLiteral("{{.Id}}"),
                                                         QStringLiteral("localhost/loadtest")}, {}, 60000, noDemo());
    QCOMPARE(QString::fromLatin1(id.out.trimmed()), m_imageId); // the config is kept byte for byte
    const RunResult run = test::runPorthole(root.path(), {QStringLiteral("run"), QStringLiteral("--rm"), QStringLiteral("--network"),
                                                          QStringLiteral("none"), QStringLiteral("localhost/loadtest"),
                                                          QStringLiteral("cat"), QStringLiteral("/marker.txt")}, {}, 60000, noDemo());
    QVERIFY2(run.exitCode == 0, run.err.constData());
    QCOMPARE(run.out, kMarker);
    // A second load of the same archive changes nothing and says the same.
    const RunResult again = test::runPorthole(root.path(), {QStringLiteral("load"), QStringLiteral("-q"), QStringLiteral("-i"), path(archive)},
                                              {}, 120000, noDemo());
    QCOMPARE(again.out, loaded.out);
    QCOMPARE(test::runPorthole(root.path(), {QStringLiteral("images"), QStringLiteral("-q")}, {}, 60000, noDemo()).out.count('\n'), 1);
    // One layer: its directory and its marker, nothing unpacked on a wrong guess.
    QCOMPARE(test::dirEntries(root.filePath(QStringLiteral("layers"))).size(), 2);
}

void TestLoad::truncatedArchiveStoresNothing()
{
    QTemporaryDir root;
    const QByteArray whole = readAll(path(QStringLiteral("podman-docker.tar")));
    const RunResult loaded = test::runPorthole(root.path(), {QStringLiteral("load")}, whole.left(whole.size() * 3 / 4), 120000, noDemo());
    QCOMPARE(loaded.exitCode, 1);
    QVERIFY2(loaded.err.startsWith("Error: load: "), loaded.err.constData());
    QVERIFY(loaded.out.isEmpty());
    QCOMPARE(test::runPorthole(root.path(), {QStringLiteral("images"), QStringLiteral("-q")}, {}, 60000, noDemo()).out, QByteArray());
    // The blobs of the pass were collected when the load failed.
    QCOMPARE(test::dirEntries(root.filePath(QStringLiteral("blobs/sha256"))), QStringList());
    QCOMPARE(test::dirEntries(root.filePath(QStringLiteral("layers"))), QStringList());
}

// A docker-archive whose <diff ID>.tar layers come top first: load's early
// unpacking (which bets on bottom-up order, as podman writes them) guesses
// wrong, and the result must still be exactly the image's two layers.
void TestLoad::layersOutOfOrder()
{
    const QByteArray base = readAll(path(QStringLiteral("rootfs.tar")));
    test::UstarWriter top;
    top.file(QStringLiteral("marker2.txt"), "second layer\n");
    const QByteArray upper = top.finish();
    const QString d0 = Sha256::of(base).hex();
    const QString d1 = Sha256::of(upper).hex();
    const QByteArray config = QJsonDocument(QJsonObject{
        {QStringLiteral("architecture"), QStringLiteral("amd64")}, {QStringLiteral("os"), QStringLiteral("linux")},
        {QStringLiteral("config"), QJsonObject{}},
        {QStringLiteral("rootfs"), QJsonObject{{QStringLiteral("type"), QStringLiteral("layers")},
                                               {QStringLiteral("diff_ids"), QJsonArray{QStringLiteral("sha256:") + d0,
                                                                                       QStringLiteral("sha256:") + d1}}}}}).toJson(QJsonDocument::Compact);
    const QString configName = Sha256::of(config).hex() + QStringLiteral(".json");
    const QByteArray manifest = QJsonDocument(QJsonArray{QJsonObject{
        {QStringLiteral("Config"), configName}, {QStringLiteral("RepoTags"), QJsonArray{QStringLiteral("localhost/ordered:latest")}},
        {QStringLiteral("Layers"), QJsonArray{d0 + QStringLiteral(".tar"), d1 + QStringLiteral(".tar")}}}}).toJson(QJsonDocument::Compact);
    test::UstarWriter archive;
    archive.file(d1 + QStringLiteral(".tar"), upper);
    archive.file(d0 + QStringLiteral(".tar"), base);
    archive.file(configName, config);
    archive.file(QStringLiteral("manifest.json"), manifest);

    QTemporaryDir root;
    const RunResult loaded = test::runPorthole(root.path(), {QStringLiteral("load")}, archive.finish(), 120000, noDemo());
    QVERIFY2(loaded.exitCode == 0, loaded.err.constData());
    QCOMPARE(loaded.out, QByteArray("Loaded image: localhost/ordered:latest\n"));
    QCOMPARE(test::dirEntries(root.filePath(QStringLiteral("layers"))).size(), 4); // two dirs, two markers
    const RunResult run = test::runPorthole(root.path(), {QStringLiteral("run"), QStringLiteral("--rm"), QStringLiteral("--network"),
                                                          QStringLiteral("none"), QStringLiteral("localhost/ordered"), QStringLiteral("cat"),
                                                          QStringLiteral("/marker.txt"), QStringLiteral("/marker2.txt")}, {}, 60000, noDemo());
    QVERIFY2(run.exitCode == 0, run.err.constData());
    QCOMPARE(run.out, kMarker + "second layer\n");
}

QTEST_GUILESS_MAIN(TestLoad)
#include "tst_load.moc"
