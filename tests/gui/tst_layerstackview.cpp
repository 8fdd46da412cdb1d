// LayerStackView draws the container's read-write layer over its image's
// read-only layers, top first, numbered as the stack counts them; steps that
// made no layer are left out; a tall stack ends in a row for the rest.
#include "gui/inspector/layerstackview.h"

#include <QTest>

using namespace porthole;
using porthole::gui::LayerStackView;

namespace {

// `history` order: newest first. Every third step is metadata only.
QList<service::HistoryRow> history(int layers)
{
    QList<service::HistoryRow> rows;
    for (int i = layers; i >= 1; --i) {
        service::HistoryRow r;
        r.createdBy = QStringLiteral("step %1").arg(i);
        r.size = i * 1000;
        rows.append(r);
        if (i % 3 == 0) {
            service::HistoryRow meta;
            meta.createdBy = QStringLiteral("ENV X=%1").arg(i);
            meta.emptyLayer = true;
            rows.append(meta);
        }
    }
    return rows;
}

} // namespace

class TestLayerStackView : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void writableOnTopOfNumberedLayers();
    void tallStackEndsInASummary();
};

void TestLayerStackView::writableOnTopOfNumberedLayers()
{
    LayerStackView view;
    QCOMPARE(view.rowTexts().size(), 2); // the writable layer, and "reading"
    view.setWritableLayer(2, 2048);
    view.setImageHistory(history(3));
    const QStringList rows = view.rowTexts();
    QCOMPARE(rows.size(), 4);
    QVERIFY2(rows[0].startsWith(QStringLiteral("Container layer (read-write): 2 change")), qPrintable(rows[0]));
    QVERIFY2(rows[1].startsWith(QStringLiteral("Image layer 3 of 3 (read-only): ")) && rows[1].endsWith(QStringLiteral("step 3")),
             qPrintable(rows[1]));
    QVERIFY2(rows[3].startsWith(QStringLiteral("Image layer 1 of 3 (read-only): ")) && rows[3].endsWith(QStringLiteral("step 1")),
             qPrintable(rows[3]));
    QVERIFY(!rows.join(u'|').contains(QStringLiteral("ENV")));
}

void TestLayerStackView::tallStackEndsInASummary()
{
    LayerStackView view;
    view.setImageHistory(history(30));
    const QStringList rows = view.rowTexts();
    QCOMPARE(rows.size(), 1 + LayerStackView::kMaxImageRows);
    QVERIFY2(rows[1].startsWith(QStringLiteral("Image layer 30 of 30")), qPrintable(rows[1]));
    QVERIFY2(rows[LayerStackView::kMaxImageRows - 1].startsWith(QStringLiteral("Image layer 24 of 30")),
             qPrintable(rows[LayerStackView::kMaxImageRows - 1]));
    // Layers 1..23 in the last row: 23 of them, 276,000 bytes.
    const QString last = rows.last();
    QVERIFY2(last.startsWith(QStringLiteral("23 more read-only layer")), qPrintable(last));
    QVERIFY2(last.contains(QLocale().formattedDataSize(276000)), qPrintable(last));
}

QTEST_MAIN(TestLayerStackView)
#include "tst_layerstackview.moc"
