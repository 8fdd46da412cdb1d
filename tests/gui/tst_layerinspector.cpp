// The layer inspector offscreen: LayerTreeModel under QAbstractItemModelTester,
// its laziness, the path filter, the merged view's origins, drag out from a
// real layer dir (copied by an EngineService job, not on the UI thread); the
// LayerInspector widget's history and modes; ChangesView.
#include "gui/inspector/changesview.h"
#include "gui/inspector/layerinspector.h"
#include "gui/inspector/layertreemodel.h"
#include "service/engineservice.h"

#include <QAbstractItemModelTester>
#include <QDir>
#include <QFile>
#include <QLineEdit>
#include <QMimeData>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtTest>

#include <memory>
#include <unistd.h>

using namespace porthole;
using namespace porthole::gui;
using service::FileKind;
using service::LayerFileRow;

namespace {

LayerFileRow row(const QString &path, char change, FileKind kind, qint64 size, int layer, QList<int> shadows = {})
{
    LayerFileRow r;
    r.path = path;
    r.change = change;
    r.kind = kind;
    r.size = size;
    r.mode = kind == FileKind::Dir ? 040755 : 0100644;
    r.layer = layer;
    r.shadows = std::move(shadows);
    return r;
}

bool put(const QString &path, const QByteArray &data)
{
    QDir().mkpath(QFileInfo(path).path());
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(data) == data.size();
}

service::ImageLayerStep step(const QString &createdBy, int layer, qint64 size)
{
    service::ImageLayerStep s;
    s.history.createdBy = createdBy;
    s.history.created = QDateTime(QDate(2024, 5, 1), QTime(12, 0), Qt::UTC);
    s.history.emptyLayer = layer < 0;
    s.history.size = size;
    s.layer = layer;
    return s;
}

// Layer 1 adds /bin and /etc; a metadata-only step; layer 2 modifies
// /etc/passwd, deletes /etc/group and adds a tool whose parent directories
// its list lacks (as a filtered list would).
service::ImageLayers image(const QString &dir0, const QString &dir1)
{
    const auto F = FileKind::File, D = FileKind::Dir;
    service::ImageLayers img;
    img.layers.resize(2);
    img.layers[0].dir = dir0;
    img.layers[0].size = 1012;
    img.layers[0].wastedBytes = 12;
    img.layers[0].added = 6;
    img.layers[0].changes = {row("/bin", 'A', D, 0, 0), row("/bin/busybox", 'A', F, 1000, 0),
                             row("/bin/sh", 'A', FileKind::Symlink, 7, 0), row("/etc", 'A', D, 0, 0),
                             row("/etc/group", 'A', F, 7, 0), row("/etc/passwd", 'A', F, 5, 0)};
    img.layers[0].changes[2].linkTarget = QStringLiteral("busybox");
    img.layers[1].dir = dir1;
    img.layers[1].size = 306;
    img.layers[1].added = img.layers[1].modified = 1;
    img.layers[1].deleted = 1;
    img.layers[1].changes = {row("/etc", 'C', D, 0, 1), row("/etc/group", 'D', F, 7, 0),
                             row("/etc/passwd", 'C', F, 6, 1, {0}), row("/usr/local/bin/tool", 'A', F, 300, 1)};
    img.merged = {row("/bin", 'A', D, 0, 0),          row("/bin/busybox", 'A', F, 1000, 0),
                  row("/bin/sh", 'A', FileKind::Symlink, 7, 0), row("/etc", 'C', D, 0, 1),
                  row("/etc/passwd", 'C', F, 6, 1, {0}), row("/usr/local/bin/tool", 'A', F, 300, 1)};
    img.steps = {step(QStringLiteral("/bin/sh -c #(nop) ADD file:4a1b in / "), 0, 1012),
                 step(QStringLiteral("/bin/sh -c #(nop)  ENV PATH=/usr/local/bin:/usr/bin"), -1, 0),
                 step(QStringLiteral("/bin/sh -c apt-get install -y tool && rm /etc/group && echo root2 > /etc/passwd"), 1, 306)};
    img.merged[2].linkTarget = QStringLiteral("busybox");
    img.totalBytes = 1318;
    img.wastedBytes = 12;
    img.efficiency = 1.0 - 12.0 / 1318.0;
    return img;
}

// Names of the children of parent, fetching them first.
QStringList childNames(LayerTreeModel &m, const QModelIndex &parent)
{
    if (m.canFetchMore(parent))
        m.fetchMore(parent);
    QStringList names;
    for (int r = 0; r < m.rowCount(parent); ++r)
        names << m.index(r, LayerTreeModel::Name, parent).data().toString();
    return names;
}

void fetchAll(LayerTreeModel &m, const QModelIndex &parent)
{
    if (m.canFetchMore(parent))
        m.fetchMore(parent);
    for (int r = 0; r < m.rowCount(parent); ++r)
        fetchAll(m, m.index(r, 0, parent));
}

QVariant cell(LayerTreeModel &m, const QString &path, int column, int role = Qt::DisplayRole)
{
    const QModelIndex i = m.indexOfPath(path);
    return i.isValid() ? m.index(i.row(), column, i.parent()).data(role) : QVariant();
}

} // namespace

class TestLayerInspector : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void modelPassesTester();
    void childrenAreBuiltLazily();
    void filterKeepsMatchesAndAncestors_data();
    void filterKeepsMatchesAndAncestors();
    void mergedViewShowsOrigins();
    void layerViewShowsChanges();
    void dragOutExtractsRegularFiles();
    void inspectorShowsHistoryAndModes();
    void changesViewRefreshes();

private:
    QTemporaryDir m_tmp;
    service::ImageLayers m_image;
};

void TestLayerInspector::initTestCase()
{
    const QString l0 = m_tmp.filePath(QStringLiteral("l0")), l1 = m_tmp.filePath(QStringLiteral("l1"));
    QVERIFY(put(l0 + "/etc/passwd", "root\n") && put(l0 + "/etc/group", "wheel:\n") && put(l1 + "/etc/passwd", "root2\n"));
    QVERIFY(QDir().mkpath(l0 + "/bin"));
    QVERIFY(::symlink("busybox", QFile::encodeName(l0 + "/bin/sh").constData()) == 0);
    m_image = image(l0, l1);
}

void TestLayerInspector::modelPassesTester()
{
    LayerTreeModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    // Qt 6.4's tester runs its checks on modelReset before it clears its
    // reset-in-flight state, so its own fetchMore there reads as rows
    // inserted during a reset. The test fetches instead; the tester checks
    // the model after every insert.
    tester.setUseFetchMore(false);
    model.setImageLayers(m_image);
    fetchAll(model, {});
    model.showLayer(1);
    fetchAll(model, {});
    model.setFilter(QStringLiteral("tool"));
    fetchAll(model, {});
    model.setFilter({});
    model.showLayer(0);
    fetchAll(model, {});
    model.showLayer(-1);
    QCOMPARE(model.rowCount(), 0);
    model.showMerged();
    fetchAll(model, {});
    model.setImageLayers({});
    QCOMPARE(model.rowCount(), 0);
}

void TestLayerInspector::childrenAreBuiltLazily()
{
    service::ImageLayers big;
    big.layers.resize(1);
    big.merged.append(row(QStringLiteral("/big"), 'A', FileKind::Dir, 0, 0));
    for (int d = 0; d < 100; ++d) {
        const QString dir = QStringLiteral("/big/d%1").arg(d, 3, 10, QLatin1Char('0'));
        big.merged.append(row(dir, 'A', FileKind::Dir, 0, 0));
        for (int f = 0; f < 500; ++f)
            big.merged.append(row(dir + QStringLiteral("/f%1").arg(f, 3, 10, QLatin1Char('0')), 'A', FileKind::File, 2, 0));
    }
    LayerTreeModel model;
    model.setImageLayers(big);
    QCOMPARE(model.totalRows(), 50101);
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.builtNodes(), 2); // the root and /big: nothing below is built yet
    const QModelIndex top = model.index(0, 0);
    QVERIFY(model.hasChildren(top));
    QCOMPARE(model.rowCount(top), 0);
    QVERIFY(model.canFetchMore(top));
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    model.fetchMore(top);
    QCOMPARE(inserted.count(), 1);
    QCOMPARE(model.rowCount(top), 100);
    QCOMPARE(model.builtNodes(), 102);
    QVERIFY(!model.canFetchMore(top));
    const QModelIndex d7 = model.index(7, 0, top);
    QCOMPARE(d7.data().toString(), QStringLiteral("d007"));
    QCOMPARE(model.rowCount(d7), 0);
    QCOMPARE(d7.data(LayerTreeModel::BytesRole).toLongLong(), 1000); // summed without building its children
    model.fetchMore(d7);
    QCOMPARE(model.rowCount(d7), 500);
    QCOMPARE(model.builtNodes(), 602);
    QCOMPARE(model.index(499, 0, d7).data(LayerTreeModel::PathRole).toString(), QStringLiteral("/big/d007/f499"));
    QVERIFY(!model.hasChildren(model.index(0, 0, d7)));
}

void TestLayerInspector::filterKeepsMatchesAndAncestors_data()
{
    QTest::addColumn<int>("layer"); // -1: merged
    QTest::addColumn<QString>("filter");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QStringList>("ancestorsMadeUp");
    QTest::addColumn<int>("matches");
    QTest::newRow("parents missing from the list") << 1 << "TOOL" << "/usr/local/bin/tool"
                                                   << QStringList{"/usr", "/usr/local", "/usr/local/bin"} << 1;
    QTest::newRow("parent filtered out") << 1 << "passwd" << "/etc/passwd" << QStringList{"/etc"} << 1;
    QTest::newRow("parent matches too") << 0 << "etc" << "/etc/group" << QStringList{} << 3;
    QTest::newRow("merged") << -1 << "/sh" << "/bin/sh" << QStringList{"/bin"} << 1;
}

void TestLayerInspector::filterKeepsMatchesAndAncestors()
{
    QFETCH(int, layer);
    QFETCH(QString, filter);
    QFETCH(QString, path);
    QFETCH(QStringList, ancestorsMadeUp);
    QFETCH(int, matches);
    LayerTreeModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    tester.setUseFetchMore(false); // see modelPassesTester
    model.setImageLayers(m_image);
    if (layer >= 0)
        model.showLayer(layer);
    model.setFilter(filter);
    QCOMPARE(model.matchingRows(), matches);
    const QModelIndex found = model.indexOfPath(path);
    QVERIFY(found.isValid());
    QVERIFY(model.fileRow(found));
    QCOMPARE(found.data(LayerTreeModel::MadeUpRole).toBool(), false);
    for (QModelIndex up = found.parent(); up.isValid(); up = up.parent()) {
        const QString p = up.data(LayerTreeModel::PathRole).toString();
        QCOMPARE(up.data(LayerTreeModel::MadeUpRole).toBool(), ancestorsMadeUp.contains(p));
    }
    // Only the way to the matches is there.
    fetchAll(model, {});
    QCOMPARE(model.rowCount(), 1);
    model.setFilter(QStringLiteral("no such path"));
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(model.matchingRows(), 0);
}

void TestLayerInspector::mergedViewShowsOrigins()
{
    LayerTreeModel model;
    model.setImageLayers(m_image);
    QCOMPARE(model.mode(), LayerTreeModel::Mode::Merged);
    QCOMPARE(childNames(model, {}), (QStringList{"bin", "etc", "usr"}));
    QCOMPARE(childNames(model, model.indexOfPath("/etc")), QStringList{"passwd"});
    QCOMPARE(cell(model, "/etc/passwd", 0, LayerTreeModel::LayerRole).toInt(), 1);
    QCOMPARE(cell(model, "/etc/passwd", 0, LayerTreeModel::ShadowsRole).toList(), QVariantList{0});
    QCOMPARE(cell(model, "/etc/passwd", LayerTreeModel::Layer).toString(), QStringLiteral("2")); // numbered from 1 on screen
    QCOMPARE(cell(model, "/etc/passwd", LayerTreeModel::Shadows).toString(), QStringLiteral("1"));
    QCOMPARE(cell(model, "/bin/sh", 0, LayerTreeModel::LayerRole).toInt(), 0);
    QCOMPARE(cell(model, "/bin/sh", 0, LayerTreeModel::KindRole).toInt(), int(FileKind::Symlink));
    QVERIFY(cell(model, "/bin/sh", 0, Qt::ToolTipRole).toString().contains("busybox"));
    QVERIFY(cell(model, "/bin/sh", LayerTreeModel::Shadows).toString().isEmpty());
    QCOMPARE(cell(model, "/bin", 0, LayerTreeModel::BytesRole).toLongLong(), 1000); // the symlink holds no file bytes
    QCOMPARE(cell(model, "/etc", 0, LayerTreeModel::BytesRole).toLongLong(), 6);
    QCOMPARE(cell(model, "/usr/local", 0, LayerTreeModel::MadeUpRole).toBool(), true);
    QVERIFY(!model.indexOfPath("/etc/group").isValid());
}

void TestLayerInspector::layerViewShowsChanges()
{
    LayerTreeModel model;
    model.setImageLayers(m_image);
    model.showLayer(1);
    QCOMPARE(model.layer(), 1);
    QCOMPARE(childNames(model, model.indexOfPath("/etc")), (QStringList{"group", "passwd"}));
    QCOMPARE(cell(model, "/etc/group", LayerTreeModel::Change).toString(), LayerTreeModel::tr("Deleted"));
    QCOMPARE(cell(model, "/etc/passwd", LayerTreeModel::Change).toString(), LayerTreeModel::tr("Modified"));
    QCOMPARE(cell(model, "/usr/local/bin/tool", LayerTreeModel::Change).toString(), LayerTreeModel::tr("Added"));
    QVERIFY(cell(model, "/etc/group", 0, Qt::FontRole).value<QFont>().strikeOut());
    QVERIFY(!cell(model, "/etc/passwd", 0, Qt::FontRole).value<QFont>().strikeOut());
    const QPalette pal = QApplication::palette();
    QCOMPARE(cell(model, "/etc/group", 0, Qt::ForegroundRole).value<QColor>(), pal.color(QPalette::PlaceholderText));
    QCOMPARE(cell(model, "/usr/local/bin/tool", 0, Qt::ForegroundRole).value<QColor>(), pal.color(QPalette::Link));
    QCOMPARE(cell(model, "/etc/passwd", 0, Qt::ForegroundRole).value<QColor>(), pal.color(QPalette::LinkVisited));
    QVERIFY(!cell(model, "/etc/group", 0, Qt::DecorationRole).value<QIcon>().isNull());
    // A deleted file shows the bytes it hid; a directory's size leaves them out.
    QCOMPARE(cell(model, "/etc/group", 0, LayerTreeModel::BytesRole).toLongLong(), 7);
    QCOMPARE(cell(model, "/etc", 0, LayerTreeModel::BytesRole).toLongLong(), 6);
    QCOMPARE(cell(model, "/", 0).isValid(), false);
    QCOMPARE(model.rowCount(), 2); // etc, usr
}

void TestLayerInspector::dragOutExtractsRegularFiles()
{
    service::EngineService service({m_tmp.filePath(QStringLiteral("root")), false});
    QList<service::JobStatus> jobs;
    connect(&service, &service::EngineService::jobChanged, this, [&](const service::JobStatus &s) { jobs << s; });
    LayerTreeModel model;
    model.setService(&service);
    model.setImageLayers(m_image);
    const QModelIndex passwd = model.indexOfPath("/etc/passwd");
    QVERIFY(model.flags(passwd) & Qt::ItemIsDragEnabled);
    QCOMPARE(model.mimeTypes(), QStringList{"text/uri-list"});
    std::unique_ptr<QMimeData> mime(model.mimeData({passwd, model.index(passwd.row(), LayerTreeModel::Size, passwd.parent())}));
    QVERIFY(mime);
    QVERIFY(mime->hasUrls());
    const QList<QUrl> urls = mime->urls();
    QCOMPARE(urls.size(), 1);
    QVERIFY(urls.first().isLocalFile());
    QCOMPARE(QFileInfo(urls.first().toLocalFile()).fileName(), QStringLiteral("passwd"));
    QFile f(urls.first().toLocalFile());
    QVERIFY(f.open(QIODevice::ReadOnly));
    QCOMPARE(f.readAll(), QByteArray("root2\n")); // layer 2's version, from layer 2's dir
    QVERIFY(mime->data(QStringLiteral("text/uri-list")).startsWith("file:///"));
    // The copy was a job of the service's (a worker's), quiet: not listed.
    QVERIFY(!jobs.isEmpty());
    QVERIFY(jobs.last().finished() && jobs.last().state == service::JobStatus::Succeeded);
    QVERIFY(jobs.last().quiet);
    QCOMPARE(jobs.size(), 2); // started, finished: asked for twice, copied once

    // A symlink and a directory are not dragged; nor a deleted file.
    const QModelIndex sh = model.indexOfPath("/bin/sh");
    QVERIFY(!(model.flags(sh) & Qt::ItemIsDragEnabled));
    QVERIFY(!model.mimeData({sh, model.indexOfPath("/etc")}));
    model.showLayer(1);
    QVERIFY(!(model.flags(model.indexOfPath("/etc/group")) & Qt::ItemIsDragEnabled));
}

void TestLayerInspector::inspectorShowsHistoryAndModes()
{
    LayerInspector w;
    w.resize(900, 700);
    w.show();
    w.setImageLayers(m_image);
    QTableWidget *h = w.historyTable();
    QCOMPARE(h->rowCount(), 3);
    QCOMPARE(h->item(2, LayerInspector::CreatedBy)->text(), m_image.steps[2].history.createdBy); // in full
    QCOMPARE(h->item(1, LayerInspector::Size)->text(), LayerInspector::tr("metadata only"));
    QVERIFY(h->item(1, LayerInspector::Size)->font().italic());
    QCOMPARE(h->item(0, LayerInspector::Size)->text(), QLocale().formattedDataSize(1012));
    QVERIFY(!h->item(0, LayerInspector::Created)->text().isEmpty());
    QVERIFY2(w.summaryText().contains(QLocale().toString(99.1, 'f', 1)), qPrintable(w.summaryText()));

    // The newest step with a layer is selected and shown.
    QCOMPARE(w.selectedStep(), 2);
    QCOMPARE(w.treeModel()->mode(), LayerTreeModel::Mode::Layer);
    QCOMPARE(w.treeModel()->layer(), 1);
    w.selectStep(1);
    QCOMPARE(w.treeModel()->layer(), -1);
    QCOMPARE(w.treeModel()->rowCount(), 0);
    QVERIFY2(w.detailText().contains(QStringLiteral("metadata only")), qPrintable(w.detailText()));
    w.selectStep(0);
    QCOMPARE(w.treeModel()->layer(), 0);
    QVERIFY2(w.detailText().contains(QStringLiteral("6 added")), qPrintable(w.detailText()));

    w.setMerged(true);
    QVERIFY(w.isMerged());
    QCOMPARE(w.treeModel()->mode(), LayerTreeModel::Mode::Merged);
    w.selectStep(2); // the merged view does not depend on the step
    QCOMPARE(w.treeModel()->mode(), LayerTreeModel::Mode::Merged);
    w.filterEdit()->setText(QStringLiteral("passwd"));
    QCOMPARE(w.treeModel()->filter(), QStringLiteral("passwd"));
    QCOMPARE(w.treeModel()->matchingRows(), 1);
    QVERIFY2(w.detailText().contains(QStringLiteral("1 of 6")), qPrintable(w.detailText()));
    w.setMerged(false);
    QCOMPARE(w.treeModel()->layer(), 1);
    QCOMPARE(w.treeModel()->filter(), QStringLiteral("passwd")); // kept across modes
    w.clear();
    QCOMPARE(h->rowCount(), 0);
    QCOMPARE(w.treeModel()->rowCount(), 0);
}

void TestLayerInspector::changesViewRefreshes()
{
    ChangesView v;
    v.show();
    service::ContainerChanges c;
    c.id = QStringLiteral("abc");
    c.changes = {{'C', QStringLiteral("/etc"), FileKind::Dir, 0},
                 {'D', QStringLiteral("/etc/motd"), FileKind::Whiteout, 0},
                 {'A', QStringLiteral("/work"), FileKind::Dir, 0},
                 {'A', QStringLiteral("/work/notes.txt"), FileKind::File, 2048}};
    c.contentBytes = 2048;
    c.commitTarSize = 6144;
    v.setContainerChanges(c);
    QAbstractItemModel *m = v.table()->model();
    QCOMPARE(m->rowCount(), 4);
    QCOMPARE(m->index(3, ChangesView::Path).data().toString(), QStringLiteral("/work/notes.txt"));
    QCOMPARE(m->index(3, ChangesView::Change).data().toString(), QStringLiteral("A"));
    QCOMPARE(m->index(3, ChangesView::Size).data().toString(), QLocale().formattedDataSize(2048));
    QCOMPARE(m->index(1, ChangesView::Change).data().toString(), QStringLiteral("D"));
    QVERIFY(m->index(0, ChangesView::Size).data().toString().isEmpty());
    QVERIFY2(v.summaryText().contains(QLocale().formattedDataSize(6144)), qPrintable(v.summaryText()));

    // A refresh with one more change keeps the selected path selected.
    v.table()->selectRow(3);
    c.changes.insert(0, {'A', QStringLiteral("/bin/new"), FileKind::File, 10});
    v.setContainerChanges(c);
    QCOMPARE(m->rowCount(), 5);
    const QModelIndexList sel = v.table()->selectionModel()->selectedRows(ChangesView::Path);
    QCOMPARE(sel.size(), 1);
    QCOMPARE(sel.first().data().toString(), QStringLiteral("/work/notes.txt"));
}

QTEST_MAIN(TestLayerInspector)
#include "tst_layerinspector.moc"
