// Several porthole processes on one root at once: index edits must not be
// lost (read-modify-write under the index lock), and garbage collection run
// by an rmi must not delete blobs an import in another process is about to
// reference (the use lock).
#include "store/imagestore.h"
#include "store/store.h"
#include "support/testsupport.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <memory>

using namespace porthole;

namespace {

QProcessEnvironment noDemo()
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("PORTHOLE_NO_DEMO"), QStringLiteral("1"));
    return env;
}

// Every image in the index loads, and each of its blobs is present and
// hashes to its name. Returns what is wrong, or an empty string.
QString checkImages(const QString &root)
{
    auto store = store::Store::open(root);
    if (!store)
        return store.error().message;
    auto index = (*store)->readIndex();
    if (!index)
        return index.error().message;
    const store::ImageStore images(**store);
    for (const store::IndexEntry &entry : index->entries()) {
        auto descriptor = Descriptor::fromJson(entry.descriptor);
        if (!descriptor)
            return descriptor.error().message;
        auto image = images.load(*descriptor);
        if (!image)
            return QStringLiteral("%1: %2").arg(entry.refName(), image.error().message);
        for (const Descriptor &layer : image->manifest.layers) {
            if (auto data = (*store)->content().read(layer.digest, 64 << 20); !data)
                return QStringLiteral("%1: %2").arg(entry.refName(), data.error().message);
        }
    }
    return QString();
}

// A shell loop running `porthole` `count` times; %1 in argsTemplate is the
// iteration. Exits non-zero at the first failure.
std::unique_ptr<QProcess> startLoop(const QString &root, const QString &argsTemplate, int count)
{
    auto p = std::make_unique<QProcess>();
    p->setProcessEnvironment(noDemo());
    const QString script = QStringLiteral("i=0; while [ $i -lt %1 ]; do \"$0\" --root \"$1\" %2 >/dev/null || exit 1; i=$((i+1)); done")
                               .arg(count)
                               .arg(QString(argsTemplate).replace(QStringLiteral("%1"), QStringLiteral("$i")));
    p->start(QStringLiteral("sh"), {QStringLiteral("-c"), script, test::portholeBinary(), root});
    return p;
}

} // namespace

class TestStoreConcurrency : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void concurrentTagsAndImportsAllLand_data();
    void concurrentTagsAndImportsAllLand();
    void rmiDuringImportKeepsImportedBlobs();

private:
    test::RunResult porthole(const QString &root, const QStringList &args) const
    {
        return test::runPorthole(root, args, {}, 60000, noDemo());
    }

    QTemporaryDir m_dir;
    QString m_smallTar, m_bigTar;
};

void TestStoreConcurrency::initTestCase()
{
    QVERIFY(m_dir.isValid());
    for (const auto &[name, bytes] : {std::pair{QStringLiteral("small"), 4096}, std::pair{QStringLiteral("big"), 8 << 20}}) {
        const QString rootfs = m_dir.filePath(name);
        QVERIFY(QDir().mkpath(rootfs + QStringLiteral("/etc")));
        QFile f(rootfs + QStringLiteral("/etc/data"));
        QVERIFY(f.open(QIODevice::WriteOnly));
        QByteArray data(bytes, Qt::Uninitialized);
        QRandomGenerator(bytes).fillRange(reinterpret_cast<quint32 *>(data.data()), data.size() / 4);
        f.write(data);
        f.close();
        const QString tar = m_dir.filePath(name + QStringLiteral(".tar"));
        const auto r = test::runProgram(QStringLiteral("tar"), {QStringLiteral("-cf"), tar, QStringLiteral("-C"), rootfs, QStringLiteral(".")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        (name == QLatin1String("small") ? m_smallTar : m_bigTar) = tar;
    }
}

void TestStoreConcurrency::concurrentTagsAndImportsAllLand_data()
{
    QTest::addColumn<int>("taggers");
    QTest::addColumn<int>("importers");
    QTest::newRow("2 taggers, 1 importer") << 2 << 1;
    QTest::newRow("4 taggers, 2 importers") << 4 << 2;
}

void TestStoreConcurrency::concurrentTagsAndImportsAllLand()
{
    QFETCH(int, taggers);
    QFETCH(int, importers);
    constexpr int kTags = 20, kImports = 3;
    const QString root = m_dir.filePath(QStringLiteral("tags-%1-%2").arg(taggers).arg(importers));
    const auto base = porthole(root, {QStringLiteral("import"), m_smallTar, QStringLiteral("localhost/base:1")});
    QVERIFY2(base.exitCode == 0, base.err.constData());

    std::vector<std::unique_ptr<QProcess>> workers;
    for (int w = 0; w < taggers; ++w)
        workers.push_back(startLoop(root, QStringLiteral("tag localhost/base:1 localhost/t%1:%2").arg(w).arg(QStringLiteral("%1")), kTags));
    for (int w = 0; w < importers; ++w)
        workers.push_back(startLoop(root, QStringLiteral("import %1 localhost/i%2:%3").arg(m_smallTar).arg(w).arg(QStringLiteral("%1")), kImports));
    for (auto &p : workers) {
        QVERIFY(p->waitForFinished(120000));
        QVERIFY2(p->exitStatus() == QProcess::NormalExit && p->exitCode() == 0, p->readAllStandardError().constData());
    }

    auto store = store::Store::open(root);
    QVERIFY(store);
    const auto index = (*store)->readIndex(); // parses, or this fails
    QVERIFY2(index, qPrintable(index ? QString() : index.error().message));
    const Digest baseManifest = index->findTag(QStringLiteral("localhost/base:1"))->digest();
    for (int w = 0; w < taggers; ++w) {
        for (int i = 0; i < kTags; ++i) {
            const QString name = QStringLiteral("localhost/t%1:%2").arg(w).arg(i);
            const auto entry = index->findTag(name);
            QVERIFY2(entry, qPrintable(name + QStringLiteral(" was lost")));
            QCOMPARE(entry->digest(), baseManifest);
        }
    }
    for (int w = 0; w < importers; ++w) {
        for (int i = 0; i < kImports; ++i)
            QVERIFY2(index->findTag(QStringLiteral("localhost/i%1:%2").arg(w).arg(i)), "an imported name was lost");
    }
    QCOMPARE(index->entries().size(), 1 + taggers * kTags + importers * kImports);
    const QString problem = checkImages(root);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    const auto images = porthole(root, {QStringLiteral("images")});
    QVERIFY2(images.exitCode == 0, images.err.constData());
    QCOMPARE(images.out.count('\n'), 1 + 1 + taggers * kTags + importers * kImports); // header + rows
}

void TestStoreConcurrency::rmiDuringImportKeepsImportedBlobs()
{
    // Both images come from one tar, so they share the layer blob: the rmi of
    // the old one would free it if it could not see the import in flight.
    const QString root = m_dir.filePath(QStringLiteral("rmi"));
    QElapsedTimer clock;
    clock.start();
    const auto seed = porthole(root, {QStringLiteral("import"), m_bigTar, QStringLiteral("localhost/img:0")});
    QVERIFY2(seed.exitCode == 0, seed.err.constData());
    const int spanMs = int(qBound(qint64(10), clock.elapsed(), qint64(500)));

    QElapsedTimer budget;
    budget.start();
    int rounds = 0, removedDuringImport = 0;
    for (int i = 1; i <= 12 && budget.elapsed() < 30000; ++i, ++rounds) {
        const QString oldName = QStringLiteral("localhost/img:%1").arg(i - 1);
        const QString newName = QStringLiteral("localhost/img:%1").arg(i);
        QProcess import, rmi;
        import.setProcessEnvironment(noDemo());
        rmi.setProcessEnvironment(noDemo());
        import.start(test::portholeBinary(), {QStringLiteral("--root"), root, QStringLiteral("import"), m_bigTar, newName});
        QThread::msleep(QRandomGenerator::global()->bounded(spanMs));
        rmi.start(test::portholeBinary(), {QStringLiteral("--root"), root, QStringLiteral("rmi"), oldName});
        QVERIFY(rmi.waitForFinished(60000));
        if (import.state() != QProcess::NotRunning)
            ++removedDuringImport;
        QVERIFY(import.waitForFinished(60000));
        QVERIFY2(import.exitCode() == 0, import.readAllStandardError().constData());
        QVERIFY2(rmi.exitCode() == 0, rmi.readAllStandardError().constData());

        const QString problem = checkImages(root);
        QVERIFY2(problem.isEmpty(), qPrintable(QStringLiteral("round %1: %2").arg(i).arg(problem)));
        auto store = *store::Store::open(root);
        QVERIFY(!store->readIndex()->findTag(oldName));
        QVERIFY(store->readIndex()->findTag(newName));
    }
    qInfo("%d rounds, %d removals finished while the import was still running", rounds, removedDuringImport);

    // Once nobody is importing, a removal collects everything.
    const auto last = porthole(root, {QStringLiteral("rmi"), QStringLiteral("localhost/img:%1").arg(rounds)});
    QVERIFY2(last.exitCode == 0, last.err.constData());
    QCOMPARE(QDir(root + QStringLiteral("/blobs/sha256")).entryList(QDir::Files), QStringList());
}

QTEST_GUILESS_MAIN(TestStoreConcurrency)
#include "tst_storeconcurrency.moc"
