// `porthole save` read by the tools that matter: skopeo (docker-archive: and
// oci-archive:), oci-image-tool on the extracted layouts, and podman, which
// loads the archive into a store of its own and runs a file committed with
// `porthole commit`. Also: standard output to a pipe, the terminal refusal,
// an unknown image, and docker's every-tag rule for a bare name. Through the
// Engine API (as the GUI saves): the file replaced only when whole, and a
// damaged blob or a cancel leaving no file and no temp behind.
#include "service/engine.h"
#include "store/store.h"
#include "support/testsupport.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <sys/mount.h>
#include <sys/stat.h>

using porthole::test::haveProgram;
using porthole::test::RunResult;
using porthole::test::runProgram;

class TestSave : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void skopeoReadsBoth_data();
    void skopeoReadsBoth();
    void ociImageToolValidates_data();
    void ociImageToolValidates();
    void podmanRunsCommittedFile_data();
    void podmanRunsCommittedFile();
    void standardOutputToPipe();
    void refusesTerminal();
    void unknownImageWritesNothing();
    void bareNameSavesEveryTag();
    void fileReplacedWhole();
    void failureLeavesNothing_data();
    void failureLeavesNothing();

private:
    RunResult ph(const QStringList &args) { return porthole::test::runWithDemo(m_root.path(), args); }
    QString save(const QString &format, const QStringList &images);
    QByteArray member(const QString &archive, const QString &name);

    QTemporaryDir m_root;
    QTemporaryDir m_out;
    int m_saved = 0;
};

void TestSave::initTestCase()
{
    QVERIFY2(porthole::test::demoImageReady(m_root.path()), "the demo image was not created");
    QCOMPARE(ph({QStringLiteral("tag"), QStringLiteral("localhost/demo"), QStringLiteral("localhost/demo:second")}).exitCode, 0);
    // Unpacking the demo's layer recorded its tar's size: save needs no pass to measure it.
    const QStringList infos = QDir(m_root.filePath(QStringLiteral("layerinfo"))).entryList({QStringLiteral("*.json")});
    QVERIFY(!infos.isEmpty());
    for (const QString &name : infos) {
        QFile f(m_root.filePath(QStringLiteral("layerinfo/") + name));
        QVERIFY(f.open(QIODevice::ReadOnly));
        QVERIFY2(QJsonDocument::fromJson(f.readAll()).object().value("tarSize").toInteger() > 0, qPrintable(name));
    }
}

void TestSave::cleanupTestCase()
{
    if (porthole::test::containerSkipReason().isEmpty())
        porthole::test::removeAllContainers(m_root.path());
}

// Saves into a new file under m_out; empty on failure.
QString TestSave::save(const QString &format, const QStringList &images)
{
    const QString path = m_out.filePath(QStringLiteral("save-%1.tar").arg(++m_saved));
    const RunResult r = ph(QStringList{QStringLiteral("save"), QStringLiteral("--format"), format, QStringLiteral("-o"), path} + images);
    if (r.exitCode != 0) {
        qWarning("save failed: %s", r.err.constData());
        return {};
    }
    return path;
}

QByteArray TestSave::member(const QString &archive, const QString &name)
{
    return runProgram(QStringLiteral("tar"), {QStringLiteral("-xOf"), archive, name}).out;
}

void TestSave::skopeoReadsBoth_data()
{
    QTest::addColumn<QString>("format");
    QTest::newRow("docker-archive") << "docker-archive";
    QTest::newRow("oci-archive") << "oci-archive";
}

void TestSave::skopeoReadsBoth()
{
    QFETCH(QString, format);
    if (!haveProgram(QStringLiteral("skopeo")))
        QSKIP("skopeo is not installed (apt-get install skopeo)");
    const QString archive = save(format, {QStringLiteral("localhost/demo:latest")});
    QVERIFY(!archive.isEmpty());
    const RunResult inspect = runProgram(QStringLiteral("skopeo"), {QStringLiteral("inspect"), format + u':' + archive});
    QVERIFY2(inspect.exitCode == 0, inspect.err.constData());
    const QJsonArray layers = QJsonDocument::fromJson(inspect.out).object().value("Layers").toArray();
    // docker-archive: the uncompressed tars, named by diff_id; oci-archive:
    // the stored blobs, as the store's own OCI layout lists them.
    QJsonArray expected;
    if (format == QLatin1String("docker-archive")) {
        const RunResult r = ph({QStringLiteral("inspect"), QStringLiteral("-f"), QStringLiteral("{{json .RootFS.Layers}}"),
                                QStringLiteral("localhost/demo")});
        QCOMPARE(r.exitCode, 0);
        expected = QJsonDocument::fromJson(r.out).array();
    } else {
        const RunResult r = runProgram(QStringLiteral("skopeo"), {QStringLiteral("inspect"),
                                                                  QStringLiteral("oci:%1:localhost/demo:latest").arg(m_root.path())});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        expected = QJsonDocument::fromJson(r.out).object().value("Layers").toArray();
    }
    QVERIFY(!layers.isEmpty());
    QCOMPARE(layers, expected);
}

void TestSave::ociImageToolValidates_data() { skopeoReadsBoth_data(); }

void TestSave::ociImageToolValidates()
{
    QFETCH(QString, format);
    if (!haveProgram(QStringLiteral("oci-image-tool")) || !haveProgram(QStringLiteral("tar")))
        QSKIP("oci-image-tool or tar is not installed (apt-get install oci-image-tool)");
    const QString archive = save(format, {QStringLiteral("localhost/demo:latest"), QStringLiteral("localhost/demo:second")});
    QVERIFY(!archive.isEmpty());
    const QString layout = archive + QStringLiteral(".d");
    QVERIFY(QDir().mkpath(layout));
    QCOMPARE(runProgram(QStringLiteral("tar"), {QStringLiteral("-xf"), archive, QStringLiteral("-C"), layout}).exitCode, 0);
    RunResult r = runProgram(QStringLiteral("oci-image-tool"), {QStringLiteral("validate"), QStringLiteral("--type"),
                                                                QStringLiteral("imageLayout"), layout});
    // 1.0.0-rc1 (Debian 12) calls a layout "image" and has no imageLayout.
    if (r.err.contains("unimplemented"))
        r = runProgram(QStringLiteral("oci-image-tool"), {QStringLiteral("validate"), QStringLiteral("--type"), QStringLiteral("image"), layout});
    QVERIFY2(r.exitCode == 0, (r.out + r.err).constData());
    QVERIFY2(r.out.contains("Validation succeeded"), r.out.constData());
}

void TestSave::podmanRunsCommittedFile_data() { skopeoReadsBoth_data(); }

void TestSave::podmanRunsCommittedFile()
{
    QFETCH(QString, format);
    if (const QString why = porthole::test::containerSkipReason(); !why.isEmpty())
        QSKIP(qPrintable(why));
    if (!haveProgram(QStringLiteral("podman")))
        QSKIP("podman is not installed (apt-get install podman)");
    const QString name = QStringLiteral("saved-") + format;
    const QString image = QStringLiteral("localhost/demo:") + format;
    QCOMPARE(ph({QStringLiteral("run"), QStringLiteral("--name"), name, QStringLiteral("--network"), QStringLiteral("none"),
                 QStringLiteral("localhost/demo"), QStringLiteral("sh"), QStringLiteral("-c"),
                 QStringLiteral("echo committed by porthole > /committed.txt")}).exitCode, 0);
    const RunResult commit = ph({QStringLiteral("commit"), name, image});
    QVERIFY2(commit.exitCode == 0, commit.err.constData());
    const QString archive = save(format, {image});
    QVERIFY(!archive.isEmpty());

    // podman in a store of its own, so the machine's images stay untouched.
    QTemporaryDir podmanDir;
    const QStringList podman{QStringLiteral("--root"), podmanDir.filePath(QStringLiteral("root")), QStringLiteral("--runroot"),
                             podmanDir.filePath(QStringLiteral("run")), QStringLiteral("--tmpdir"), podmanDir.filePath(QStringLiteral("tmp"))};
    const RunResult load = runProgram(QStringLiteral("podman"), podman + QStringList{QStringLiteral("load"), QStringLiteral("-i"), archive});
    QVERIFY2(load.exitCode == 0, load.err.constData());
    QVERIFY2(load.out.contains(("Loaded image: " + image).toUtf8()), load.out.constData());
    const RunResult run = runProgram(QStringLiteral("podman"), podman + QStringList{QStringLiteral("run"), QStringLiteral("--rm"),
                                     QStringLiteral("--network"), QStringLiteral("none"), image, QStringLiteral("cat"),
                                     QStringLiteral("/committed.txt")});
    runProgram(QStringLiteral("podman"), podman + QStringList{QStringLiteral("rmi"), QStringLiteral("-a"), QStringLiteral("-f")});
    // podman's overlay driver may leave its home mounted on itself.
    ::umount2(QFile::encodeName(podmanDir.filePath(QStringLiteral("root/overlay"))).constData(), MNT_DETACH);
    QVERIFY2(run.exitCode == 0, run.err.constData());
    QCOMPARE(run.out, QByteArray("committed by porthole\n"));
    ph({QStringLiteral("rm"), name});
}

void TestSave::standardOutputToPipe()
{
    const QString file = save(QStringLiteral("docker-archive"), {QStringLiteral("localhost/demo")});
    QVERIFY(!file.isEmpty());
    QFile f(file);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray expected = f.readAll();
    // The same images make the same bytes, so each way out must match the file.
    for (const QStringList &args : {QStringList{QStringLiteral("save"), QStringLiteral("localhost/demo")},
                                    QStringList{QStringLiteral("save"), QStringLiteral("-o"), QStringLiteral("-"), QStringLiteral("localhost/demo")}}) {
        const RunResult r = ph(args);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY(r.out == expected);
        QVERIFY(r.err.isEmpty());
    }
}

void TestSave::refusesTerminal()
{
    if (!haveProgram(QStringLiteral("script")))
        QSKIP("script (util-linux) is not installed: no terminal to test with");
    // script gives the command a pty as its standard output.
    const QString command = QStringLiteral("PORTHOLE_NO_DEMO=1 %1 --root %2 save localhost/demo")
                                .arg(porthole::test::portholeBinary(), m_root.path());
    const RunResult r = runProgram(QStringLiteral("script"), {QStringLiteral("-qec"), command, QStringLiteral("/dev/null")});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.out.contains("cowardly refusing to save to a terminal. Use the -o flag or redirect"), r.out.constData());
    QVERIFY(r.out.size() < 200); // and no archive on the terminal
}

void TestSave::unknownImageWritesNothing()
{
    const QString existing = m_out.filePath(QStringLiteral("existing.tar"));
    QVERIFY(porthole::test::writeFile(existing, "old content"));
    const QStringList before = porthole::test::dirEntries(m_out.path());
    for (const QString &path : {existing, m_out.filePath(QStringLiteral("never.tar"))}) {
        // The known image first: nothing may be written before every name resolves.
        const RunResult r = ph({QStringLiteral("save"), QStringLiteral("-o"), path, QStringLiteral("localhost/demo"),
                                QStringLiteral("nosuchimage")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("No such image: nosuchimage"), r.err.constData());
    }
    QCOMPARE(porthole::test::dirEntries(m_out.path()), before);
    QFile f(existing);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QCOMPARE(f.readAll(), QByteArray("old content"));
    const RunResult piped = ph({QStringLiteral("save"), QStringLiteral("nosuchimage")});
    QCOMPARE(piped.exitCode, 1);
    QVERIFY(piped.out.isEmpty());
}

void TestSave::bareNameSavesEveryTag()
{
    if (!haveProgram(QStringLiteral("tar")))
        QSKIP("tar is not installed");
    const QString archive = save(QStringLiteral("docker-archive"), {QStringLiteral("localhost/demo")});
    QVERIFY(!archive.isEmpty());
    const QJsonArray manifest = QJsonDocument::fromJson(member(archive, QStringLiteral("manifest.json"))).array();
    QStringList tags;
    for (const QJsonValue &item : manifest)
        for (const QJsonValue &tag : item.toObject().value("RepoTags").toArray())
            tags.append(tag.toString());
    tags.sort();
    QVERIFY2(tags.contains(QStringLiteral("localhost/demo:latest")) && tags.contains(QStringLiteral("localhost/demo:second")),
             qPrintable(tags.join(u' ')));
    // Just the named tag, when one is named.
    const QString one = save(QStringLiteral("docker-archive"), {QStringLiteral("localhost/demo:second")});
    QCOMPARE(QJsonDocument::fromJson(member(one, QStringLiteral("manifest.json"))).array()[0].toObject().value("RepoTags").toArray(),
             QJsonArray{QStringLiteral("localhost/demo:second")});
    const QJsonObject repositories = QJsonDocument::fromJson(member(one, QStringLiteral("repositories"))).object();
    QVERIFY(repositories.value("localhost/demo").toObject().contains("second"));
}

void TestSave::fileReplacedWhole()
{
    auto engine = porthole::service::Engine::open({m_root.path(), false});
    QVERIFY(engine);
    QTemporaryDir out;
    const QString path = out.filePath(QStringLiteral("demo.tar"));
    QVERIFY(porthole::test::writeFile(path, "old content"));
    porthole::service::SaveRequest request;
    request.images = {QStringLiteral("localhost/demo:latest")};
    request.outputPath = path;
    QList<porthole::ProgressEvent> events;
    auto saved = (*engine)->saveImages(request, porthole::CancelToken::none(),
                                       [&](const porthole::ProgressEvent &e) { events.append(e); });
    QVERIFY2(saved, qPrintable(saved.ok() ? QString() : saved.error().message));
    QCOMPARE(porthole::test::dirEntries(out.path()), QStringList{QStringLiteral("demo.tar")});
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray archive = f.readAll();
    QCOMPARE(qint64(archive.size()), saved->bytes);
    QCOMPARE(archive, ph({QStringLiteral("save"), QStringLiteral("localhost/demo:latest")}).out);
    struct stat st {};
    QCOMPARE(::stat(QFile::encodeName(path).constData(), &st), 0);
    QVERIFY2((st.st_mode & 0444) == 0444, "created as a file is, with the umask");
    // Progress for a progress bar: bytes of the archive, ending at its size.
    QVERIFY(!events.isEmpty());
    QCOMPARE(events.last().phase, QStringLiteral("Done"));
    QCOMPARE(events.last().done, saved->bytes);
    for (const porthole::ProgressEvent &e : events)
        QVERIFY(e.done <= e.total && e.id == path);
}

void TestSave::failureLeavesNothing_data()
{
    QTest::addColumn<QString>("failure");
    QTest::addColumn<QString>("format");
    QTest::newRow("damaged layer, docker-archive") << "damaged" << "docker-archive";
    QTest::newRow("damaged layer, oci-archive") << "damaged" << "oci-archive";
    QTest::newRow("cancelled midway") << "cancel" << "docker-archive";
}

void TestSave::failureLeavesNothing()
{
    QFETCH(QString, failure);
    QFETCH(QString, format);
    QTemporaryDir root; // a store of its own: the damage is done to it
    QVERIFY(porthole::test::demoImageReady(root.path()));
    auto engine = porthole::service::Engine::open({root.path(), false});
    QVERIFY(engine);
    porthole::CancelToken cancel;
    if (failure == QLatin1String("damaged")) {
        const auto image = (*engine)->resolveImage(QStringLiteral("localhost/demo"));
        QVERIFY(image);
        const QString manifest = (*engine)->store().content().blobPath(image->manifestDigest);
        QFile m(manifest);
        QVERIFY(m.open(QIODevice::ReadOnly));
        const QString layer = QJsonDocument::fromJson(m.readAll()).object().value("layers").toArray()[0].toObject().value("digest").toString();
        const QString blob = (*engine)->store().content().blobPath(*porthole::Digest::parse(layer));
        QFile b(blob);
        QVERIFY(b.open(QIODevice::ReadWrite));
        QVERIFY(b.seek(b.size() / 2));
        const char byte = b.read(1)[0];
        QVERIFY(b.seek(b.size() / 2));
        QVERIFY(b.write(QByteArray(1, char(~byte))) == 1); // a flipped byte mid-blob
    }
    QTemporaryDir out;
    const QString existing = out.filePath(QStringLiteral("existing.tar"));
    QVERIFY(porthole::test::writeFile(existing, "old content"));
    for (const QString &path : {existing, out.filePath(QStringLiteral("new.tar"))}) {
        porthole::service::SaveRequest request;
        request.images = {QStringLiteral("localhost/demo")};
        request.format = format;
        request.outputPath = path;
        auto saved = (*engine)->saveImages(request, cancel, [&](const porthole::ProgressEvent &e) {
            if (failure == QLatin1String("cancel") && e.phase == QLatin1String("Saving"))
                cancel.cancel(); // once bytes of the file are written
        });
        QVERIFY(!saved);
        if (failure == QLatin1String("cancel"))
            QCOMPARE(saved.error().code, porthole::ErrorCode::Cancelled);
        else
            QVERIFY2(saved.error().message.contains(QLatin1String("damaged")) || saved.error().message.contains(QLatin1String("gzip")),
                     qPrintable(saved.error().message));
        cancel = porthole::CancelToken();
    }
    QCOMPARE(porthole::test::dirEntries(out.path()), QStringList{QStringLiteral("existing.tar")}); // no new file, no temp
    QFile f(existing);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QCOMPARE(f.readAll(), QByteArray("old content"));
}

QTEST_GUILESS_MAIN(TestSave)
#include "tst_save.moc"
