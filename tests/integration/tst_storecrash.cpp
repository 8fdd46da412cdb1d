// Crash safety of the store: `porthole import` killed with SIGKILL at a
// random moment must leave a store that the next process opens cleanly, with
// every index entry whole (manifest, config and layers present and hashing to
// their names), no partial file left in ingest/, and garbage that a later
// collection removes. The checks read the layout directly, not through the
// engine, so an engine bug cannot vouch for itself.
#include "support/testsupport.h"

#include <QCryptographicHash>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

using namespace porthole;

namespace {

constexpr int kIterations = 30;
constexpr qint64 kBudgetMs = 60000;

QProcessEnvironment noDemo()
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("PORTHOLE_NO_DEMO"), QStringLiteral("1"));
    return env;
}

QString fileSha256Hex(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return QString();
    QCryptographicHash h(QCryptographicHash::Sha256);
    h.addData(&f);
    return QString::fromLatin1(h.result().toHex());
}

QStringList filesUnder(const QString &dir, const QStringList &nameFilters = {})
{
    return QDir(dir).entryList(nameFilters, QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot);
}

// Checks the layout at root; returns what is wrong, or an empty string.
// `names` gets every tag in the index; `reachable` every blob the index reaches.
QString checkStore(const QString &root, QSet<QString> *names = nullptr, QSet<QString> *reachable = nullptr)
{
    QFile indexFile(root + QStringLiteral("/index.json"));
    if (!indexFile.open(QIODevice::ReadOnly))
        return QStringLiteral("index.json cannot be opened");
    QJsonParseError err{};
    const QJsonDocument index = QJsonDocument::fromJson(indexFile.readAll(), &err);
    if (err.error != QJsonParseError::NoError || !index.isObject())
        return QStringLiteral("index.json does not parse: ") + err.errorString();
    const QString blobDir = root + QStringLiteral("/blobs/sha256/");
    QSet<QString> verified, seenNames;
    // A blob exists and hashes to its name; returns its JSON when asked.
    auto blob = [&](const QString &digest, QJsonObject *json) -> QString {
        if (!digest.startsWith(QLatin1String("sha256:")) || digest.size() != 71)
            return QStringLiteral("bad digest \"%1\"").arg(digest);
        const QString hex = digest.mid(7);
        if (reachable)
            reachable->insert(hex);
        if (!QFileInfo::exists(blobDir + hex))
            return QStringLiteral("blob %1 is missing").arg(digest);
        if (!verified.contains(hex)) {
            if (fileSha256Hex(blobDir + hex) != hex)
                return QStringLiteral("blob %1 does not hash to its name").arg(digest);
            verified.insert(hex);
        }
        if (json) {
            QFile f(blobDir + hex);
            if (!f.open(QIODevice::ReadOnly))
                return QStringLiteral("blob %1 is unreadable").arg(digest);
            *json = QJsonDocument::fromJson(f.readAll()).object();
        }
        return QString();
    };
    for (const QJsonValue &v : index.object().value(QStringLiteral("manifests")).toArray()) {
        const QJsonObject entry = v.toObject();
        const QString name = entry.value(QStringLiteral("annotations")).toObject().value(QStringLiteral("org.opencontainers.image.ref.name")).toString();
        if (!name.isEmpty() && seenNames.contains(name))
            return QStringLiteral("name %1 is in the index twice").arg(name);
        seenNames.insert(name);
        QJsonObject manifest, config;
        QString problem = blob(entry.value(QStringLiteral("digest")).toString(), &manifest);
        if (problem.isEmpty())
            problem = blob(manifest.value(QStringLiteral("config")).toObject().value(QStringLiteral("digest")).toString(), &config);
        const QJsonArray layers = manifest.value(QStringLiteral("layers")).toArray();
        if (problem.isEmpty() && layers.isEmpty())
            problem = QStringLiteral("the manifest has no layers");
        for (const QJsonValue &l : layers) {
            if (problem.isEmpty())
                problem = blob(l.toObject().value(QStringLiteral("digest")).toString(), nullptr);
        }
        // Sizes shown by `images` come from layerinfo: written before the tag.
        for (const QJsonValue &d : config.value(QStringLiteral("rootfs")).toObject().value(QStringLiteral("diff_ids")).toArray()) {
            if (problem.isEmpty() && !QFileInfo::exists(root + QStringLiteral("/layerinfo/") + d.toString().mid(7) + QStringLiteral(".json")))
                problem = QStringLiteral("no layerinfo for %1").arg(d.toString());
        }
        if (!problem.isEmpty())
            return QStringLiteral("entry %1 (%2): %3").arg(entry.value(QStringLiteral("digest")).toString(), name, problem);
    }
    if (names)
        *names = seenNames;
    const QStringList ingest = filesUnder(root + QStringLiteral("/ingest"));
    if (!ingest.isEmpty())
        return QStringLiteral("ingest/ still holds %1").arg(ingest.join(u' '));
    for (const QString &dir : {root, root + QStringLiteral("/layerinfo"), root + QStringLiteral("/blobs/sha256")}) {
        const QStringList temps = filesUnder(dir, {QStringLiteral(".tmp-*")});
        if (!temps.isEmpty())
            return QStringLiteral("%1 still holds %2").arg(dir, temps.join(u' '));
    }
    return QString();
}

} // namespace

class TestStoreCrash : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void killedImportsLeaveAConsistentStore();
    void killedRemovalsLeaveAConsistentStore();

private:
    test::RunResult porthole(const QStringList &args, const QString &root = {}) const
    {
        return test::runPorthole(root.isEmpty() ? m_root : root, args, {}, 60000, noDemo());
    }

    QTemporaryDir m_dir;
    QString m_root;
    QString m_tar;
};

void TestStoreCrash::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_root = m_dir.filePath(QStringLiteral("root"));
    const QString rootfs = m_dir.filePath(QStringLiteral("rootfs"));
    QVERIFY(QDir().mkpath(rootfs + QStringLiteral("/etc")));
    QFile data(rootfs + QStringLiteral("/data.bin"));
    QVERIFY(data.open(QIODevice::WriteOnly));
    QRandomGenerator gen(20240501);
    QByteArray chunk(1 << 20, Qt::Uninitialized);
    for (int mb = 0; mb < 20; ++mb) {
        gen.fillRange(reinterpret_cast<quint32 *>(chunk.data()), chunk.size() / 4);
        QCOMPARE(data.write(chunk), chunk.size());
    }
    data.close();
    QFile host(rootfs + QStringLiteral("/etc/hostname"));
    QVERIFY(host.open(QIODevice::WriteOnly));
    host.write("crash\n");
    host.close();
    m_tar = m_dir.filePath(QStringLiteral("rootfs.tar"));
    const auto tar = test::runProgram(QStringLiteral("tar"), {QStringLiteral("-cf"), m_tar, QStringLiteral("-C"), rootfs, QStringLiteral(".")});
    QVERIFY2(tar.exitCode == 0, tar.err.constData());
    QVERIFY(QFileInfo(m_tar).size() > 20 << 20);
}

void TestStoreCrash::killedImportsLeaveAConsistentStore()
{
    // How long a whole import takes here: kills are spread over that span
    // (within 0-300 ms), so they land in every phase, not after the end.
    QElapsedTimer clock;
    clock.start();
    const auto first = porthole({QStringLiteral("import"), m_tar, QStringLiteral("localhost/crash:base")});
    QVERIFY2(first.exitCode == 0, first.err.constData());
    const int spanMs = int(qBound(qint64(20), clock.elapsed() * 3 / 2, qint64(300)));

    QSet<QString> completed{QStringLiteral("localhost/crash:base")};
    int killed = 0, iterations = 0;
    QElapsedTimer budget;
    budget.start();
    QRandomGenerator *rng = QRandomGenerator::global();
    for (int i = 0; i < kIterations && budget.elapsed() < kBudgetMs; ++i, ++iterations) {
        const QString name = QStringLiteral("localhost/crash:%1").arg(i);
        const int delayMs = rng->bounded(spanMs + 1);
        QProcess import;
        import.setProcessEnvironment(noDemo());
        import.start(test::portholeBinary(), {QStringLiteral("--root"), m_root, QStringLiteral("import"), m_tar, name});
        QVERIFY(import.waitForStarted());
        if (!import.waitForFinished(delayMs)) {
            import.kill(); // SIGKILL: no destructor, no cleanup runs
            QVERIFY(import.waitForFinished(10000));
            ++killed;
        } else if (import.exitStatus() == QProcess::NormalExit && import.exitCode() == 0) {
            completed.insert(name);
        } else {
            QFAIL(qPrintable(QStringLiteral("import %1 failed on its own: %2").arg(name, QString::fromUtf8(import.readAllStandardError()))));
        }

        // The next process opens the store: it must work and tidy up.
        const auto images = porthole({QStringLiteral("images")});
        QVERIFY2(images.exitCode == 0, qPrintable(QStringLiteral("iteration %1 (killed after %2 ms): %3")
                                                      .arg(i).arg(delayMs).arg(QString::fromUtf8(images.err))));
        QSet<QString> names;
        const QString problem = checkStore(m_root, &names);
        QVERIFY2(problem.isEmpty(), qPrintable(QStringLiteral("iteration %1 (killed after %2 ms): %3").arg(i).arg(delayMs).arg(problem)));
        for (const QString &done : completed)
            QVERIFY2(names.contains(done), qPrintable(done + QStringLiteral(" finished but is not in the index")));
    }
    qInfo("%d imports, %d killed before they finished, kill window %d ms", iterations, killed, spanMs);
    QVERIFY2(killed > 0, "no import was killed while running: the test proved nothing");

    // After all that, the store still takes a clean import and shows it.
    const auto clean = porthole({QStringLiteral("import"), m_tar, QStringLiteral("localhost/clean:1")});
    QVERIFY2(clean.exitCode == 0, clean.err.constData());
    const auto inspect = porthole({QStringLiteral("inspect"), QStringLiteral("localhost/clean:1")});
    QVERIFY2(inspect.exitCode == 0, inspect.err.constData());
    const auto images = porthole({QStringLiteral("images")});
    QVERIFY(images.out.contains("localhost/crash"));
    QVERIFY(images.out.contains("localhost/clean"));

    // What the killed imports committed but never tagged is garbage: the
    // next removal (nobody else using the store) collects all of it.
    const auto rmi = porthole({QStringLiteral("rmi"), QStringLiteral("localhost/crash:base")});
    QVERIFY2(rmi.exitCode == 0, rmi.err.constData());
    QSet<QString> reachable;
    const QString problem = checkStore(m_root, nullptr, &reachable);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    const QStringList blobs = filesUnder(m_root + QStringLiteral("/blobs/sha256"));
    QCOMPARE(QSet<QString>(blobs.begin(), blobs.end()), reachable);
}

void TestStoreCrash::killedRemovalsLeaveAConsistentStore()
{
    // rmi edits the index, then collects garbage: a kill in either step must
    // leave the images that remain whole (own root, so this stands alone).
    const QString root = m_dir.filePath(QStringLiteral("rmi-root"));
    constexpr int kImages = 8;
    for (int i = 0; i < kImages; ++i) {
        const auto r = porthole({QStringLiteral("import"), QStringLiteral("-m"), QString::number(i), m_tar,
                                 QStringLiteral("localhost/r:%1").arg(i)}, root);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const auto t = porthole({QStringLiteral("tag"), QStringLiteral("localhost/r:%1").arg(i), QStringLiteral("localhost/r:extra%1").arg(i)}, root);
        QVERIFY2(t.exitCode == 0, t.err.constData());
    }
    QElapsedTimer clock;
    clock.start();
    QVERIFY(porthole({QStringLiteral("images")}, root).exitCode == 0);
    const int spanMs = int(qBound(qint64(5), clock.elapsed() * 2, qint64(300)));

    int killed = 0;
    for (int i = 0; i < kImages; ++i) {
        QProcess rmi;
        rmi.setProcessEnvironment(noDemo());
        // By ID with -f: both names go and the blobs are collected.
        const auto id = porthole({QStringLiteral("images"), QStringLiteral("-q"), QStringLiteral("localhost/r:%1").arg(i)}, root);
        const QString shortId = QString::fromUtf8(id.out.split('\n').value(0).trimmed());
        QVERIFY2(shortId.size() == 12, id.out.constData());
        rmi.start(test::portholeBinary(), {QStringLiteral("--root"), root, QStringLiteral("rmi"), QStringLiteral("-f"), shortId});
        QVERIFY(rmi.waitForStarted());
        if (!rmi.waitForFinished(QRandomGenerator::global()->bounded(spanMs + 1))) {
            rmi.kill();
            QVERIFY(rmi.waitForFinished(10000));
            ++killed;
        }
        const auto images = porthole({QStringLiteral("images")}, root);
        QVERIFY2(images.exitCode == 0, images.err.constData());
        const QString problem = checkStore(root);
        QVERIFY2(problem.isEmpty(), qPrintable(QStringLiteral("removal %1: %2").arg(i).arg(problem)));
    }
    qInfo("%d removals, %d killed before they finished", kImages, killed);
    // Whatever the kills left behind is collected by the next removal.
    const auto rmi = porthole({QStringLiteral("rmi"), QStringLiteral("-f"), QStringLiteral("localhost/r:%1").arg(kImages - 1)}, root);
    Q_UNUSED(rmi); // it may be gone already
    const auto tidy = porthole({QStringLiteral("import"), m_tar, QStringLiteral("localhost/tidy:1")}, root);
    QVERIFY2(tidy.exitCode == 0, tidy.err.constData());
    const auto removal = porthole({QStringLiteral("rmi"), QStringLiteral("localhost/tidy:1")}, root);
    QVERIFY2(removal.exitCode == 0, removal.err.constData());
    QSet<QString> reachable;
    QVERIFY(checkStore(root, nullptr, &reachable).isEmpty());
    const QStringList blobs = filesUnder(root + QStringLiteral("/blobs/sha256"));
    QCOMPARE(QSet<QString>(blobs.begin(), blobs.end()), reachable);
}

QTEST_GUILESS_MAIN(TestStoreCrash)
#include "tst_storecrash.moc"
