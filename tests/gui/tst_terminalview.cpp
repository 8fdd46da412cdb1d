// The terminal view offscreen: grid size, selection and copy, keyboard input,
// batched feeding, and what it paints.
#include "gui/terminal/terminalview.h"

#include <QApplication>
#include <QClipboard>
#include <QInputMethodEvent>
#include <QPaintEvent>
#include <QScrollBar>
#include <QSignalSpy>
#include <QStyleHints>
#include <QTest>

using namespace porthole::gui;

namespace {

// Records the rectangles the viewport is asked to paint.
class PaintSpy : public QObject {
public:
    QList<QRect> rects;
    bool eventFilter(QObject *, QEvent *e) override
    {
        if (e->type() == QEvent::Paint)
            rects << static_cast<QPaintEvent *>(e)->rect();
        return false;
    }
};

} // namespace

class TestTerminalView : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void resizeSetsRowsAndCols();
    void dragSelectsCells_data();
    void dragSelectsCells();
    void doubleAndTripleClick();
    void selectionInScrollback();
    void copyShortcutAndPaste();
    void typingReachesBytesToSend_data();
    void typingReachesBytesToSend();
    void inputMethodCommitIsSent();
    void feedIsBatched();
    void paintsOnlyDamagedRows();
    void paintsColoursAndCursor();
    void wheelAndScrollBarFollowHistory();

private:
    void feedAndSettle(const QByteArray &data);
    QPoint cellCenter(int row, int col) const;
    void mouse(QEvent::Type type, int row, int col, Qt::MouseButtons buttons = Qt::LeftButton);

    TerminalView *m_view = nullptr;
};

void TestTerminalView::init()
{
    m_view = new TerminalView;
    m_view->resize(640, 400);
    m_view->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_view));
    m_view->setFocus();
}

void TestTerminalView::cleanup()
{
    delete m_view;
    m_view = nullptr;
}

void TestTerminalView::feedAndSettle(const QByteArray &data)
{
    m_view->feed(data);
    QTRY_COMPARE(m_view->pendingBytes(), 0);
}

QPoint TestTerminalView::cellCenter(int row, int col) const
{
    const QSize cell = m_view->cellSize();
    return {col * cell.width() + cell.width() / 2, row * cell.height() + cell.height() / 2};
}

void TestTerminalView::mouse(QEvent::Type type, int row, int col, Qt::MouseButtons buttons)
{
    const QPointF pos = cellCenter(row, col);
    QMouseEvent e(type, pos, m_view->viewport()->mapToGlobal(pos), Qt::LeftButton,
                  type == QEvent::MouseButtonRelease ? Qt::NoButton : buttons, Qt::NoModifier);
    QApplication::sendEvent(m_view->viewport(), &e);
}

void TestTerminalView::resizeSetsRowsAndCols()
{
    TerminalSurface *s = m_view->surface();
    const QSize cell = m_view->cellSize();
    QVERIFY(cell.width() > 0 && cell.height() > 0);
    QCOMPARE(s->cols(), m_view->viewport()->width() / cell.width());
    QCOMPARE(s->rows(), m_view->viewport()->height() / cell.height());

    QSignalSpy resized(s, &TerminalSurface::resized);
    m_view->resize(m_view->width() + 10 * cell.width(), m_view->height() + 3 * cell.height());
    QTRY_COMPARE(resized.size(), 1);
    QCOMPARE(resized[0][0].toInt(), s->rows());
    QCOMPARE(resized[0][1].toInt(), s->cols());
    QCOMPARE(s->cols(), m_view->viewport()->width() / cell.width());
    QCOMPARE(s->rows(), m_view->viewport()->height() / cell.height());

    // A bigger font means fewer cells in the same widget.
    const int colsBefore = s->cols();
    m_view->zoomIn();
    m_view->zoomIn();
    QVERIFY(m_view->cellSize().width() > cell.width());
    QVERIFY(s->cols() < colsBefore);
    QCOMPARE(resized.last()[1].toInt(), s->cols());
    m_view->resetZoom();
    QCOMPARE(s->cols(), colsBefore);

    // The keys: the view zooms, and the shell is sent nothing.
    QSignalSpy zoomed(m_view, &TerminalView::zoomChanged);
    QSignalSpy sent(s, &TerminalSurface::bytesToSend);
    QTest::keyClick(m_view, Qt::Key_Equal, Qt::ControlModifier);
    QCOMPARE(zoomed.size(), 1);
    QCOMPARE(zoomed.last()[0].toInt(), 1);
    QVERIFY(s->cols() < colsBefore);
    QTest::keyClick(m_view, Qt::Key_Minus, Qt::ControlModifier);
    QTest::keyClick(m_view, Qt::Key_Minus, Qt::ControlModifier);
    QCOMPARE(zoomed.last()[0].toInt(), -1);
    QTest::keyClick(m_view, Qt::Key_0, Qt::ControlModifier);
    QCOMPARE(zoomed.last()[0].toInt(), 0);
    QCOMPARE(s->cols(), colsBefore);
    QVERIFY(sent.isEmpty());
}

void TestTerminalView::dragSelectsCells_data()
{
    QTest::addColumn<QPoint>("from"); // (row, col)
    QTest::addColumn<QPoint>("to");
    QTest::addColumn<QString>("text");

    QTest::newRow("one word") << QPoint(0, 0) << QPoint(0, 4) << QStringLiteral("hello");
    QTest::newRow("backwards") << QPoint(0, 4) << QPoint(0, 0) << QStringLiteral("hello");
    QTest::newRow("two lines") << QPoint(0, 6) << QPoint(1, 5) << QStringLiteral("world\nsecond");
    QTest::newRow("past line end") << QPoint(0, 6) << QPoint(0, 30) << QStringLiteral("world");
    QTest::newRow("hangul by halves") << QPoint(2, 1) << QPoint(2, 2) << QStringLiteral("한글");
    QTest::newRow("from a tail") << QPoint(2, 3) << QPoint(2, 4) << QStringLiteral("글");
}

void TestTerminalView::dragSelectsCells()
{
    QFETCH(QPoint, from);
    QFETCH(QPoint, to);
    QFETCH(QString, text);
    feedAndSettle(QStringLiteral("hello world\r\nsecond line\r\n한글 wide").toUtf8());
    mouse(QEvent::MouseButtonPress, from.x(), from.y());
    mouse(QEvent::MouseMove, to.x(), to.y());
    mouse(QEvent::MouseButtonRelease, to.x(), to.y());
    QVERIFY(m_view->hasSelection());
    QCOMPARE(m_view->selectedText(), text);
    m_view->copy();
    QCOMPARE(QGuiApplication::clipboard()->text(), text);
    if (QGuiApplication::clipboard()->supportsSelection())
        QCOMPARE(QGuiApplication::clipboard()->text(QClipboard::Selection), text);
}

void TestTerminalView::doubleAndTripleClick()
{
    feedAndSettle("ls -l /usr/local/bin --color\r\nnext");
    mouse(QEvent::MouseButtonPress, 0, 10);
    mouse(QEvent::MouseButtonRelease, 0, 10);
    QVERIFY(!m_view->hasSelection()); // a click alone selects nothing
    mouse(QEvent::MouseButtonDblClick, 0, 10);
    mouse(QEvent::MouseButtonRelease, 0, 10);
    QCOMPARE(m_view->selectedText(), QStringLiteral("/usr/local/bin"));
    mouse(QEvent::MouseButtonPress, 0, 10);
    mouse(QEvent::MouseButtonRelease, 0, 10);
    QCOMPARE(m_view->selectedText(), QStringLiteral("ls -l /usr/local/bin --color"));
    // A later single click starts over.
    QTest::qWait(QGuiApplication::styleHints()->mouseDoubleClickInterval() + 50);
    mouse(QEvent::MouseButtonPress, 1, 0);
    mouse(QEvent::MouseButtonRelease, 1, 0);
    QVERIFY(!m_view->hasSelection());
}

void TestTerminalView::selectionInScrollback()
{
    QByteArray out;
    for (int i = 0; i < 200; ++i)
        out += "row " + QByteArray::number(i) + "\r\n";
    feedAndSettle(out);
    TerminalSurface *s = m_view->surface();
    QTRY_COMPARE(m_view->verticalScrollBar()->maximum(), s->scrollbackSize());
    m_view->verticalScrollBar()->setValue(0); // the top of the history
    QCOMPARE(s->scrollOffset(), s->scrollbackSize());
    mouse(QEvent::MouseButtonPress, 0, 0);
    mouse(QEvent::MouseMove, 1, 2);
    mouse(QEvent::MouseButtonRelease, 1, 2);
    QCOMPARE(m_view->selectedText(), QStringLiteral("row 0\nrow"));
    // Output while scrolled back leaves the selection on the same lines.
    feedAndSettle("more\r\n");
    QCOMPARE(m_view->selectedText(), QStringLiteral("row 0\nrow"));
}

void TestTerminalView::copyShortcutAndPaste()
{
    QSignalSpy sent(m_view->surface(), &TerminalSurface::bytesToSend);
    feedAndSettle("copy me");
    mouse(QEvent::MouseButtonPress, 0, 0);
    mouse(QEvent::MouseMove, 0, 3);
    mouse(QEvent::MouseButtonRelease, 0, 3);
    QGuiApplication::clipboard()->clear();
    QTest::keyClick(m_view, Qt::Key_C, Qt::ControlModifier | Qt::ShiftModifier);
    QCOMPARE(QGuiApplication::clipboard()->text(), QStringLiteral("copy"));
    QVERIFY(sent.isEmpty()); // the shortcut is not sent as Ctrl+C

    feedAndSettle("\x1b[?2004h");
    QGuiApplication::clipboard()->setText(QStringLiteral("echo 1\necho 2\x1b[201~"));
    QTest::keyClick(m_view, Qt::Key_V, Qt::ControlModifier | Qt::ShiftModifier);
    QCOMPARE(sent.size(), 1);
    QCOMPARE(sent[0][0].toByteArray(), QByteArray("\x1b[200~echo 1\recho 2[201~\x1b[201~"));
}

void TestTerminalView::typingReachesBytesToSend_data()
{
    QTest::addColumn<QByteArray>("setup");
    QTest::addColumn<int>("key");
    QTest::addColumn<Qt::KeyboardModifiers>("mods");
    QTest::addColumn<QString>("text");
    QTest::addColumn<QByteArray>("sent");

    const Qt::KeyboardModifiers none;
    QTest::newRow("letter") << QByteArray() << int(Qt::Key_L) << none << "l" << QByteArray("l");
    QTest::newRow("enter") << QByteArray() << int(Qt::Key_Return) << none << "\r" << QByteArray("\r");
    QTest::newRow("tab stays") << QByteArray() << int(Qt::Key_Tab) << none << "\t" << QByteArray("\t");
    QTest::newRow("ctrl c") << QByteArray() << int(Qt::Key_C) << Qt::KeyboardModifiers(Qt::ControlModifier)
                            << "\x03" << QByteArray("\x03");
    QTest::newRow("up") << QByteArray() << int(Qt::Key_Up) << none << "" << QByteArray("\x1b[A");
    QTest::newRow("up in vi") << QByteArray("\x1b[?1h") << int(Qt::Key_Up) << none << ""
                              << QByteArray("\x1bOA");
    QTest::newRow("f5") << QByteArray() << int(Qt::Key_F5) << none << "" << QByteArray("\x1b[15~");
}

void TestTerminalView::typingReachesBytesToSend()
{
    QFETCH(QByteArray, setup);
    QFETCH(int, key);
    QFETCH(Qt::KeyboardModifiers, mods);
    QFETCH(QString, text);
    QFETCH(QByteArray, sent);
    if (!setup.isEmpty())
        feedAndSettle(setup);
    QSignalSpy spy(m_view->surface(), &TerminalSurface::bytesToSend);
    QKeyEvent press(QEvent::KeyPress, key, mods, text);
    QApplication::sendEvent(m_view, &press);
    QCOMPARE(spy.size(), 1);
    QCOMPARE(spy[0][0].toByteArray(), sent);
}

void TestTerminalView::inputMethodCommitIsSent()
{
    QSignalSpy spy(m_view->surface(), &TerminalSurface::bytesToSend);
    QInputMethodEvent composing(QStringLiteral("하"), {});
    QApplication::sendEvent(m_view, &composing);
    QVERIFY(spy.isEmpty()); // still composing
    QInputMethodEvent commit;
    commit.setCommitString(QStringLiteral("한"));
    QApplication::sendEvent(m_view, &commit);
    QCOMPARE(spy.size(), 1);
    QCOMPARE(spy[0][0].toByteArray(), QStringLiteral("한").toUtf8());
}

void TestTerminalView::feedIsBatched()
{
    TerminalSurface *s = m_view->surface();
    QSignalSpy drained(m_view, &TerminalView::feedDrained);
    QByteArray big;
    for (int i = 0; big.size() < 8 * 1024 * 1024; ++i)
        big += "output line " + QByteArray::number(i) + " with some text to make it longer\r\n";
    m_view->feed(big);
    QCOMPARE(m_view->pendingBytes(), big.size()); // feed() itself does no work
    QCoreApplication::processEvents();
    QVERIFY(m_view->pendingBytes() < big.size());
    QVERIFY(m_view->pendingBytes() > 0); // one turn of the event loop did not take it all
    QTRY_COMPARE_WITH_TIMEOUT(m_view->pendingBytes(), 0, 60000);
    QCOMPARE(drained.size(), 1);
    QVERIFY(s->rowText(s->rows() - 2).startsWith(QLatin1String("output line ")));

    // UTF-8 and escape sequences split between reads come out whole.
    const QByteArray hangul = QStringLiteral("\x1b[31m한글").toUtf8();
    for (char byte : hangul)
        m_view->feed(QByteArray(1, byte));
    QTRY_COMPARE(m_view->pendingBytes(), 0);
    QCOMPARE(s->cell(s->cursorRow(), 0).text, QStringLiteral("한"));
    QCOMPARE(s->cell(s->cursorRow(), 2).attrs.foreground, s->palette().ansi[1]);
}

void TestTerminalView::paintsOnlyDamagedRows()
{
    feedAndSettle("prompt$ ");
    QTest::qWait(50); // let the first frames go by
    PaintSpy spy;
    m_view->viewport()->installEventFilter(&spy);
    feedAndSettle("\x1b[5;1Hx\x1b[5;3Hy");
    QTRY_VERIFY(!spy.rects.isEmpty());
    const int cellH = m_view->cellSize().height();
    QRect painted;
    for (const QRect &r : spy.rects)
        painted |= r;
    // Row 4 (the text) and row 0 (where the cursor was) at most.
    QVERIFY2(painted.top() >= 0 && painted.bottom() < 5 * cellH,
             qPrintable(QStringLiteral("painted %1..%2").arg(painted.top()).arg(painted.bottom())));
    for (const QRect &r : spy.rects)
        QVERIFY(r.height() <= 5 * cellH);
    m_view->viewport()->removeEventFilter(&spy);
}

void TestTerminalView::paintsColoursAndCursor()
{
    TerminalPalette palette = m_view->surface()->palette();
    feedAndSettle("\x1b[41m  \x1b[0m\x1b[38;2;0;0;255;48;2;0;255;0m  \x1b[0m\r\n한\x1b[?25h");
    const QImage image = m_view->viewport()->grab().toImage();
    auto pixel = [&](int row, int col) { return QColor(image.pixel(cellCenter(row, col) * image.devicePixelRatio())); };
    QCOMPARE(pixel(0, 0), palette.ansi[1]);
    QCOMPARE(pixel(0, 2), QColor(0, 255, 0));
    QCOMPARE(pixel(0, 10), palette.background);
    // The wide char draws ink somewhere in its two cells.
    const QSize cell = m_view->cellSize();
    bool ink = false;
    for (int x = 0; x < 2 * cell.width() && !ink; ++x) {
        for (int y = cell.height(); y < 2 * cell.height() && !ink; ++y)
            ink = QColor(image.pixel(QPoint(x, y) * image.devicePixelRatio())) != palette.background;
    }
    QVERIFY(ink);
    // A focused block cursor fills its cell with the foreground colour.
    QVERIFY(m_view->hasFocus());
    QCOMPARE(m_view->surface()->cursorCol(), 2);
    QCOMPARE(pixel(1, 2), palette.foreground);
}

void TestTerminalView::wheelAndScrollBarFollowHistory()
{
    QByteArray out;
    for (int i = 0; i < 100; ++i)
        out += QByteArray::number(i) + "\r\n";
    feedAndSettle(out);
    TerminalSurface *s = m_view->surface();
    QScrollBar *bar = m_view->verticalScrollBar();
    QTRY_COMPARE(bar->maximum(), s->scrollbackSize());
    QCOMPARE(bar->value(), bar->maximum());
    const QPointF at = cellCenter(1, 1);
    QWheelEvent up(at, m_view->viewport()->mapToGlobal(at), {}, QPoint(0, 120), Qt::NoButton,
                   Qt::NoModifier, Qt::NoScrollPhase, false);
    QApplication::sendEvent(m_view->viewport(), &up);
    QCOMPARE(s->scrollOffset(), 3);
    QCOMPARE(bar->value(), bar->maximum() - 3);
    QTest::keyClick(m_view, Qt::Key_PageUp, Qt::ShiftModifier);
    QCOMPARE(s->scrollOffset(), 3 + s->rows() - 1);
    QTest::keyClick(m_view, Qt::Key_A); // typing returns to the live screen
    QCOMPARE(s->scrollOffset(), 0);
    QCOMPARE(bar->value(), bar->maximum());
}

QTEST_MAIN(TestTerminalView)
#include "tst_terminalview.moc"
