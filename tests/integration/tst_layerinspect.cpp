// The layer inspector on a real image: three layers made with the porthole
// binary (`run` + `commit`: add files, modify one and delete one, then
// replace a directory, which overlayfs records as an opaque dir), read back
// in-process by Engine::inspectImageLayers; and Engine::containerChanges on
// a running container while commands change it, its commit size estimate
// against the layer a real commit writes.
#include "support/testsupport.h"

#include "service/engine.h"
#include "store/store.h"

#include <QTemporaryDir>
#include <QTest>

using namespace porthole;
using porthole::test::RunResult;
using service::ImageLayers;

namespace {

#define VERIFY_OK(r) QVERIFY2((r), qPrintable((r) ? QString() : (r).error().message))

// "C /data opaque 0 L3 [1,2]" with layer numbers relative to the first
// layer the test made (1), so the demo image's layer count does not matter.
QStringList describe(const QList<service::LayerFileRow> &rows, int base)
{
    static const char *kinds[] = {"file", "dir", "symlink", "hardlink", "whiteout", "opaque", "device", "fifo", "socket"};
    QStringList out;
    for (const service::LayerFileRow &r : rows) {
        if (r.path != QLatin1String("/data") && !r.path.startsWith(QLatin1String("/data/")))
            continue;
        QStringList shadows;
        for (int s : r.shadows)
            shadows << QString::number(s - base + 1);
        out << QStringLiteral("%1 %2 %3 %4 L%5 [%6]")
                   .arg(QLatin1Char(r.change))
                   .arg(r.path, QLatin1String(kinds[int(r.kind)]))
                   .arg(r.size)
                   .arg(r.layer - base + 1)
                   .arg(shadows.join(u','));
    }
    return out;
}

} // namespace

class TestLayerInspect : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void perLayerChanges_data();
    void perLayerChanges();
    void mergedViewAndWaste();
    void historySteps();
    void containerChangesWhileRunning();

private:
    RunResult ph(const QStringList &args) { return porthole::test::runWithDemo(m_root.path(), args); }
    Result<ImageLayers> inspect(const QString &image);
    QTemporaryDir m_root;
    int m_base = 0; // index of the first layer the test made
};

void TestLayerInspect::initTestCase()
{
    if (const QString why = porthole::test::containerSkipReason(); !why.isEmpty())
        QSKIP(qPrintable(why));
    QVERIFY2(porthole::test::demoImageReady(m_root.path()), "the demo image was not created");
    const QList<QPair<QString, QString>> steps{
        {QStringLiteral("localhost/demo"),
         QStringLiteral("mkdir /data && echo one > /data/a && echo keep > /data/b && head -c 10000 /dev/zero > /data/big")},
        {QStringLiteral("localhost/demo:l1"), QStringLiteral("echo two > /data/a && rm /data/big && echo new > /data/c")},
        {QStringLiteral("localhost/demo:l2"), QStringLiteral("rm -rf /data && mkdir /data && echo fresh > /data/new")},
    };
    for (int i = 0; i < steps.size(); ++i) {
        const QString name = QStringLiteral("step%1").arg(i + 1);
        const RunResult run = ph({QStringLiteral("run"), QStringLiteral("--name"), name, QStringLiteral("--network"), QStringLiteral("none"),
                                  steps[i].first, QStringLiteral("sh"), QStringLiteral("-c"), steps[i].second});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        const RunResult commit = ph({QStringLiteral("commit"), QStringLiteral("-m"), QStringLiteral("step %1").arg(i + 1), name,
                                     QStringLiteral("localhost/demo:l%1").arg(i + 1)});
        QVERIFY2(commit.exitCode == 0, commit.err.constData());
        QCOMPARE(ph({QStringLiteral("rm"), name}).exitCode, 0);
    }
    auto demo = inspect(QStringLiteral("localhost/demo:latest"));
    VERIFY_OK(demo);
    m_base = int(demo->layers.size());
    QVERIFY(m_base >= 1);
}

void TestLayerInspect::cleanupTestCase()
{
    if (porthole::test::containerSkipReason().isEmpty())
        porthole::test::removeAllContainers(m_root.path());
}

Result<ImageLayers> TestLayerInspect::inspect(const QString &image)
{
    PH_TRY(auto engine, service::Engine::open({m_root.path(), false}));
    return engine->inspectImageLayers(image);
}

void TestLayerInspect::perLayerChanges_data()
{
    QTest::addColumn<int>("layer"); // 1: the first the test made
    QTest::addColumn<QStringList>("expected");
    QTest::newRow("1: add") << 1
                            << QStringList{"A /data dir 0 L1 []", "A /data/a file 4 L1 []", "A /data/b file 5 L1 []",
                                           "A /data/big file 10000 L1 []"};
    QTest::newRow("2: modify, delete, add")
        << 2
        << QStringList{"C /data dir 0 L2 []", "C /data/a file 4 L2 [1]", "D /data/big file 10000 L1 []", "A /data/c file 4 L2 []"};
    // rm -rf and mkdir: overlayfs makes the new /data opaque; what it hid
    // is listed with the layer each deleted version came from.
    QTest::newRow("3: replace the directory")
        << 3
        << QStringList{"C /data opaque 0 L3 [1,2]", "D /data/a file 4 L2 []", "D /data/b file 5 L1 []", "D /data/c file 4 L2 []",
                       "A /data/new file 6 L3 []"};
}

void TestLayerInspect::perLayerChanges()
{
    QFETCH(int, layer);
    QFETCH(QStringList, expected);
    auto image = inspect(QStringLiteral("localhost/demo:l3"));
    VERIFY_OK(image);
    QCOMPARE(image->layers.size(), m_base + 3);
    const service::ImageLayer &l = image->layers[m_base + layer - 1];
    QCOMPARE(describe(l.changes, m_base), expected);
    // The layer's size is what the unpacker counted from its tar.
    auto store = store::Store::open(m_root.path());
    VERIFY_OK(store);
    auto info = (*store)->layerInfo(l.diffId);
    VERIFY_OK(info);
    QCOMPARE(l.size, info->size);
    QList<Digest> chain;
    for (int i = 0; i < m_base + layer; ++i)
        chain << image->layers[i].diffId;
    QCOMPARE(l.dir, (*store)->layerDir(store::chainId(chain)));
}

void TestLayerInspect::mergedViewAndWaste()
{
    auto image = inspect(QStringLiteral("localhost/demo:l3"));
    VERIFY_OK(image);
    QCOMPARE(describe(image->merged, m_base), (QStringList{"C /data opaque 0 L3 [1,2]", "A /data/new file 6 L3 []"}));
    // Layer 1: a v1 (4), b (5), big (10000); layer 2: a v2 (4), c (4).
    QCOMPARE(image->layers[m_base].wastedBytes, 10009);
    QCOMPARE(image->layers[m_base + 1].wastedBytes, 8);
    QCOMPARE(image->layers[m_base + 2].wastedBytes, 0);
    qint64 total = 0, wasted = 0;
    for (const service::ImageLayer &l : image->layers) {
        total += l.size;
        wasted += l.wastedBytes;
    }
    // Every layer's size, the demo's busybox (hard links and all) too, is
    // what the unpacker counted from its tar.
    auto store = store::Store::open(m_root.path());
    VERIFY_OK(store);
    for (const service::ImageLayer &l : image->layers) {
        auto info = (*store)->layerInfo(l.diffId);
        VERIFY_OK(info);
        QCOMPARE(l.size, info->size);
    }
    QCOMPARE(image->totalBytes, total);
    QCOMPARE(image->wastedBytes, wasted);
    QVERIFY(wasted >= 10017);
    QCOMPARE(image->efficiency, 1.0 - double(wasted) / double(total));
    // The demo image alone wastes nothing.
    auto demo = inspect(QStringLiteral("localhost/demo:latest"));
    VERIFY_OK(demo);
    QCOMPARE(demo->wastedBytes, 0);
    QCOMPARE(demo->efficiency, 1.0);
    QCOMPARE(demo->merged.size(), demo->layers.first().changes.size());
}

void TestLayerInspect::historySteps()
{
    auto image = inspect(QStringLiteral("localhost/demo:l3"));
    VERIFY_OK(image);
    QVERIFY(image->steps.size() >= 3);
    const QList<service::ImageLayerStep> last = image->steps.mid(image->steps.size() - 3);
    for (int i = 0; i < 3; ++i) {
        QCOMPARE(last[i].layer, m_base + i);
        QCOMPARE(last[i].history.comment, QStringLiteral("step %1").arg(i + 1));
        QVERIFY(!last[i].history.emptyLayer);
        QVERIFY(last[i].history.created.isValid());
        QCOMPARE(last[i].history.size, image->layers[m_base + i].size);
    }
    // created_by in full, as the container ran it.
    QVERIFY2(last[2].history.createdBy.contains(QStringLiteral("rm -rf /data && mkdir /data && echo fresh > /data/new")),
             qPrintable(last[2].history.createdBy));
    // Every layer belongs to exactly one step.
    QList<int> layers;
    for (const service::ImageLayerStep &s : image->steps)
        if (s.layer >= 0)
            layers << s.layer;
    QCOMPARE(layers.size(), image->layers.size());
    for (int i = 0; i < layers.size(); ++i)
        QCOMPARE(layers[i], i);
    QCOMPARE(image->steps.last().history.imageId, image->id.toString());
}

void TestLayerInspect::containerChangesWhileRunning()
{
    const RunResult run = ph({QStringLiteral("run"), QStringLiteral("-d"), QStringLiteral("--name"), QStringLiteral("live"), QStringLiteral("--network"),
                              QStringLiteral("none"), QStringLiteral("localhost/demo:l3"), QStringLiteral("sh"), QStringLiteral("-c"),
                              QStringLiteral("echo hi > /data/live; rm /data/new; touch /data/ready; sleep 300")});
    QVERIFY2(run.exitCode == 0, run.err.constData());
    QTRY_COMPARE_WITH_TIMEOUT(ph({QStringLiteral("exec"), QStringLiteral("live"), QStringLiteral("ls"), QStringLiteral("/data")}).out,
                              QByteArray("live\nready\n"), 10000);
    auto engine = service::Engine::open({m_root.path(), false});
    VERIFY_OK(engine);
    const auto rows = [](const service::ContainerChanges &c) {
        QStringList out;
        for (const service::ContainerChangeRow &r : c.changes)
            if (r.path.startsWith(QLatin1String("/data")))
                out << QStringLiteral("%1 %2 %3").arg(QLatin1Char(r.kind)).arg(r.path).arg(r.bytes);
        return out;
    };
    auto changes = (*engine)->containerChanges(QStringLiteral("live"));
    VERIFY_OK(changes);
    QCOMPARE(changes->name, QStringLiteral("live"));
    QCOMPARE(rows(*changes), (QStringList{"C /data 0", "A /data/live 3", "D /data/new 0", "A /data/ready 0"}));
    // As `diff` lists it.
    QStringList diff;
    for (const service::ContainerChangeRow &r : changes->changes)
        diff << QStringLiteral("%1 %2").arg(QLatin1Char(r.kind)).arg(r.path);
    QCOMPARE(QString::fromUtf8(ph({QStringLiteral("diff"), QStringLiteral("live")}).out).split(u'\n', Qt::SkipEmptyParts), diff);

    // More work in the container shows at the next call.
    QCOMPARE(ph({QStringLiteral("exec"), QStringLiteral("live"), QStringLiteral("sh"), QStringLiteral("-c"),
                 QStringLiteral("head -c 5000 /dev/zero > /data/more")}).exitCode, 0);
    auto again = (*engine)->containerChanges(QStringLiteral("live"));
    VERIFY_OK(again);
    QVERIFY(rows(*again).contains(QStringLiteral("A /data/more 5000")));
    QCOMPARE(again->contentBytes, changes->contentBytes + 5000);
    QVERIFY(again->commitTarSize >= changes->commitTarSize + 5120);

    // The estimate against the layer a commit really writes.
    const RunResult commit = ph({QStringLiteral("commit"), QStringLiteral("live"), QStringLiteral("localhost/demo:live")});
    QVERIFY2(commit.exitCode == 0, commit.err.constData());
    auto image = (*engine)->inspectImageLayers(QStringLiteral("localhost/demo:live"));
    VERIFY_OK(image);
    auto info = (*engine)->store().layerInfo(image->layers.last().diffId);
    VERIFY_OK(info);
    QCOMPARE(again->contentBytes, info->size);
    qInfo("next-commit estimate %lld bytes, the commit's tar %lld bytes", again->commitTarSize, info->tarSize);
    QVERIFY(info->tarSize > 0);
    QCOMPARE(again->commitTarSize, info->tarSize);
    ph({QStringLiteral("rm"), QStringLiteral("-f"), QStringLiteral("live")});
}

QTEST_GUILESS_MAIN(TestLayerInspect)
#include "tst_layerinspect.moc"
