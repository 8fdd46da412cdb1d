// The terminal surface fed escape sequences directly, no pty and no widget:
// what it keeps on the screen and in the scrollback. What it sends back and
// signals is in tst_terminalsurfaceio, the check against libvterm's own
// screen in tst_terminalreference.
#include "gui/terminal/terminalsurface.h"

#include <QSignalSpy>
#include <QTest>

using namespace porthole::gui;

Q_DECLARE_METATYPE(porthole::gui::CellAttributes)

namespace {

const TerminalPalette testPalette = [] {
    TerminalPalette p = TerminalPalette::standard(QColor(1, 2, 3), QColor(4, 5, 6));
    p.ansi[1] = QColor(11, 0, 0);
    p.ansi[2] = QColor(0, 22, 0);
    p.ansi[9] = QColor(99, 0, 0);
    return p;
}();

CellAttributes plain()
{
    CellAttributes a;
    a.foreground = testPalette.foreground;
    a.background = testPalette.background;
    return a;
}

CellAttributes with(auto change)
{
    CellAttributes a = plain();
    change(a);
    return a;
}

} // namespace

class TestTerminalSurface : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void textAndCursor_data();
    void textAndCursor();
    void attributes_data();
    void attributes();
    void damageIsCoalescedPerWrite();
    void editingWithinLines_data();
    void editingWithinLines();
    void scrollRegionKeepsOtherRows();
    void alternateScreenRestoresPrimary();
    void scrollbackKeepsTenThousandLines();
    void scrollOffsetStaysOnContent();
    void hangulTakesTwoCells();
    void overwritingHalfAWideCharBlanksIt();
    void combiningMarksStayInTheirCell();
    void resizeMovesRowsThroughScrollback();
};

void TestTerminalSurface::textAndCursor_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QStringList>("rows");
    QTest::addColumn<int>("cursorRow");
    QTest::addColumn<int>("cursorCol");

    QTest::newRow("crlf") << QByteArray("hello\r\nworld") << QStringList{"hello", "world"} << 1 << 5;
    QTest::newRow("bare lf keeps column") << QByteArray("ab\ncd") << QStringList{"ab", "  cd"} << 1 << 4;
    QTest::newRow("cup") << QByteArray("\x1b[3;5Hx") << QStringList{"", "", "    x"} << 2 << 5;
    QTest::newRow("cursor back and overwrite") << QByteArray("abcd\x1b[2DX") << QStringList{"abXd"} << 0 << 3;
    QTest::newRow("erase line") << QByteArray("abcdef\x1b[3D\x1b[K") << QStringList{"abc"} << 0 << 3;
    QTest::newRow("erase screen") << QByteArray("abc\r\ndef\x1b[2J") << QStringList{"", ""} << 1 << 3;
    QTest::newRow("autowrap") << QByteArray(12, 'x') << QStringList{"xxxxxxxxxx", "xx"} << 1 << 2;
    QTest::newRow("tab") << QByteArray("a\tb") << QStringList{"a       b"} << 0 << 9;
}

void TestTerminalSurface::textAndCursor()
{
    QFETCH(QByteArray, input);
    QFETCH(QStringList, rows);
    QFETCH(int, cursorRow);
    QFETCH(int, cursorCol);
    TerminalSurface s(5, 10);
    s.write(input);
    for (int r = 0; r < rows.size(); ++r)
        QCOMPARE(s.rowText(r), rows[r]);
    QCOMPARE(s.cursorRow(), cursorRow);
    QCOMPARE(s.cursorCol(), cursorCol);
}

void TestTerminalSurface::attributes_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<CellAttributes>("expected");

    QTest::newRow("plain") << QByteArray("X") << plain();
    QTest::newRow("bold") << QByteArray("\x1b[1mX") << with([](auto &a) { a.bold = true; });
    QTest::newRow("italic") << QByteArray("\x1b[3mX") << with([](auto &a) { a.italic = true; });
    QTest::newRow("underline") << QByteArray("\x1b[4mX") << with([](auto &a) { a.underline = true; });
    QTest::newRow("reverse") << QByteArray("\x1b[7mX") << with([](auto &a) { a.reverse = true; });
    QTest::newRow("strike") << QByteArray("\x1b[9mX") << with([](auto &a) { a.strike = true; });
    QTest::newRow("reset") << QByteArray("\x1b[1;3;4;31;42m\x1b[0mX") << plain();
    QTest::newRow("ansi fg") << QByteArray("\x1b[31mX")
                             << with([](auto &a) { a.foreground = QColor(11, 0, 0); });
    QTest::newRow("bright fg") << QByteArray("\x1b[91mX")
                               << with([](auto &a) { a.foreground = QColor(99, 0, 0); });
    QTest::newRow("ansi bg") << QByteArray("\x1b[42mX") << with([](auto &a) {
        a.background = QColor(0, 22, 0);
        a.defaultBackground = false;
    });
    QTest::newRow("256 cube") << QByteArray("\x1b[38;5;196mX")
                              << with([](auto &a) { a.foreground = QColor(255, 0, 0); });
    QTest::newRow("256 cube mix") << QByteArray("\x1b[38;5;110mX")
                                  << with([](auto &a) { a.foreground = QColor(135, 175, 215); });
    QTest::newRow("256 palette part") << QByteArray("\x1b[38;5;9mX")
                                      << with([](auto &a) { a.foreground = QColor(99, 0, 0); });
    QTest::newRow("256 grey bg") << QByteArray("\x1b[48;5;244mX") << with([](auto &a) {
        a.background = QColor(128, 128, 128);
        a.defaultBackground = false;
    });
    QTest::newRow("true colour") << QByteArray("\x1b[38;2;10;20;30;48;2;1;2;3mX") << with([](auto &a) {
        a.foreground = QColor(10, 20, 30);
        a.background = QColor(1, 2, 3);
        a.defaultBackground = false;
    });
    QTest::newRow("default fg after colour") << QByteArray("\x1b[31m\x1b[39mX") << plain();
}

void TestTerminalSurface::attributes()
{
    QFETCH(QByteArray, input);
    QFETCH(CellAttributes, expected);
    TerminalSurface s(3, 10);
    s.setPalette(testPalette);
    s.write(input);
    const TerminalCell c = s.cell(0, 0);
    QCOMPARE(c.text, QStringLiteral("X"));
    QCOMPARE(c.attrs.foreground, expected.foreground);
    QCOMPARE(c.attrs.background, expected.background);
    QCOMPARE(c.attrs.defaultBackground, expected.defaultBackground);
    QVERIFY(c.attrs == expected);
    // The pen does not leak into the next, untouched cell.
    QCOMPARE(s.cell(0, 1).attrs.bold, false);
}

void TestTerminalSurface::damageIsCoalescedPerWrite()
{
    TerminalSurface s(10, 20);
    QSignalSpy damage(&s, &TerminalSurface::damaged);
    QSignalSpy cursor(&s, &TerminalSurface::cursorMoved);
    s.write("\x1b[3;1Hab\x1b[5;1Hcd");
    QCOMPARE(damage.size(), 1);
    QCOMPARE(damage[0][0].toInt(), 2);
    QCOMPARE(damage[0][1].toInt(), 4);
    QCOMPARE(cursor.size(), 1);
    QCOMPARE(cursor[0][0].toInt(), 4);
    QCOMPARE(cursor[0][1].toInt(), 2);
}

void TestTerminalSurface::editingWithinLines_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QStringList>("rows");

    QTest::newRow("delete chars") << QByteArray("abcdef\r\x1b[2P") << QStringList{"cdef"};
    QTest::newRow("insert chars") << QByteArray("abc\r\x1b[2@") << QStringList{"  abc"};
    QTest::newRow("erase chars") << QByteArray("abcdef\r\x1b[2X") << QStringList{"  cdef"};
    QTest::newRow("selective erase keeps protected")
        << QByteArray("\x1b[1\"qAB\x1b[0\"qCD\r\x1b[?2K") << QStringList{"AB"};
    QTest::newRow("plain erase ignores protection")
        << QByteArray("\x1b[1\"qAB\x1b[0\"qCD\r\x1b[2K") << QStringList{""};
    QTest::newRow("delete line pulls up")
        << QByteArray("zero\r\none\r\ntwo\x1b[2;1H\x1b[M") << QStringList{"zero", "two", ""};
    QTest::newRow("insert line pushes down")
        << QByteArray("zero\r\none\x1b[2;1H\x1b[L") << QStringList{"zero", "", "one"};
}

void TestTerminalSurface::editingWithinLines()
{
    QFETCH(QByteArray, input);
    QFETCH(QStringList, rows);
    TerminalSurface s(4, 10);
    s.write(input);
    for (int r = 0; r < rows.size(); ++r)
        QCOMPARE(s.rowText(r), rows[r]);
    QCOMPARE(s.scrollbackSize(), 0);
}

void TestTerminalSurface::scrollRegionKeepsOtherRows()
{
    TerminalSurface s(5, 10);
    s.write("top\x1b[5;1Hbottom\x1b[2;4r\x1b[4;1H");
    s.write("a\r\nb\r\nc\r\nd");
    QCOMPARE(s.rowText(0), QStringLiteral("top"));
    QCOMPARE(s.rowText(1), QStringLiteral("b"));
    QCOMPARE(s.rowText(2), QStringLiteral("c"));
    QCOMPARE(s.rowText(3), QStringLiteral("d"));
    QCOMPARE(s.rowText(4), QStringLiteral("bottom"));
    // A region not starting at the top is not history.
    QCOMPARE(s.scrollbackSize(), 0);
    // Reverse index at the region's top scrolls it down.
    s.write("\x1b[2;1H\x1bM");
    QCOMPARE(s.rowText(1), QString());
    QCOMPARE(s.rowText(2), QStringLiteral("b"));
    QCOMPARE(s.rowText(3), QStringLiteral("c"));
    QCOMPARE(s.rowText(4), QStringLiteral("bottom"));
}

void TestTerminalSurface::alternateScreenRestoresPrimary()
{
    TerminalSurface s(5, 20);
    QSignalSpy alt(&s, &TerminalSurface::alternateScreenChanged);
    s.write("$ less file\r\nprompt");
    s.write("\x1b[?1049h");
    QVERIFY(s.alternateScreen());
    QCOMPARE(s.rowText(0), QString());
    for (int i = 0; i < 20; ++i)
        s.write("full screen app\r\n");
    QCOMPARE(s.scrollbackSize(), 0); // the alternate screen has no history
    s.write("\x1b[?1049l");
    QVERIFY(!s.alternateScreen());
    QCOMPARE(s.rowText(0), QStringLiteral("$ less file"));
    QCOMPARE(s.rowText(1), QStringLiteral("prompt"));
    QCOMPARE(s.cursorRow(), 1);
    QCOMPARE(s.cursorCol(), 6);
    QCOMPARE(alt.size(), 2);
    QCOMPARE(alt[0][0].toBool(), true);
    QCOMPARE(alt[1][0].toBool(), false);
    // Entering again starts from a clear alternate screen.
    s.write("\x1b[?1049h");
    QCOMPARE(s.rowText(3), QString());
}

void TestTerminalSurface::scrollbackKeepsTenThousandLines()
{
    TerminalSurface s(24, 80);
    QSignalSpy history(&s, &TerminalSurface::scrollbackChanged);
    QByteArray out;
    for (int i = 0; i < 20000; ++i)
        out += "line " + QByteArray::number(i) + "\r\n";
    s.write(out);
    QVERIFY(s.scrollbackSize() >= 10000);
    QCOMPARE(history.size(), 1);
    // Rows 0..22 hold lines 19977..19999; the cursor sits on the empty row 23.
    QCOMPARE(s.rowText(0), QStringLiteral("line 19977"));
    QCOMPARE(s.rowText(22), QStringLiteral("line 19999"));
    const qint64 newest = s.screenLine() - 1;
    QCOMPARE(s.text(newest, 0, newest, 80), QStringLiteral("line 19976"));
    const qint64 oldest = s.firstLine();
    QCOMPARE(s.text(oldest, 0, oldest, 80),
             QStringLiteral("line %1").arg(19976 - s.scrollbackSize() + 1));
    QCOMPARE(s.firstLine() + s.scrollbackSize() + 23, 20000);
    // Scrolled all the way back, the view's first row is the oldest line.
    s.setScrollOffset(1 << 30);
    QCOMPARE(s.scrollOffset(), s.scrollbackSize());
    QCOMPARE(s.rowText(0), QStringLiteral("line %1").arg(s.firstLine()));
}

void TestTerminalSurface::scrollOffsetStaysOnContent()
{
    TerminalSurface s(4, 20);
    for (int i = 0; i < 30; ++i)
        s.write("l" + QByteArray::number(i) + "\r\n");
    s.setScrollOffset(5);
    const QString before = s.rowText(0);
    s.write("more\r\nand more\r\n");
    QCOMPARE(s.scrollOffset(), 7);
    QCOMPARE(s.rowText(0), before);
    s.sendInput("x"); // typing goes back to the live screen
    QCOMPARE(s.scrollOffset(), 0);
    QCOMPARE(s.rowText(2), QStringLiteral("and more"));
}

void TestTerminalSurface::hangulTakesTwoCells()
{
    TerminalSurface s(3, 10);
    s.write(QStringLiteral("한글!").toUtf8());
    QCOMPARE(s.cursorCol(), 5);
    QCOMPARE(s.cell(0, 0).text, QStringLiteral("한"));
    QCOMPARE(s.cell(0, 0).width, 2);
    QCOMPARE(s.cell(0, 1).width, 0);
    QCOMPARE(s.cell(0, 1).text, QString());
    QCOMPARE(s.cell(0, 2).text, QStringLiteral("글"));
    QCOMPARE(s.cell(0, 2).width, 2);
    QCOMPARE(s.cell(0, 4).text, QStringLiteral("!"));
    QCOMPARE(s.rowText(0), QStringLiteral("한글!"));
    // A wide char that does not fit in the last column wraps whole.
    s.write(QStringLiteral("\r\n123456789한").toUtf8());
    QCOMPARE(s.rowText(1), QStringLiteral("123456789"));
    QCOMPARE(s.rowText(2), QStringLiteral("한"));
}

void TestTerminalSurface::overwritingHalfAWideCharBlanksIt()
{
    TerminalSurface s(3, 10);
    s.write(QStringLiteral("한글").toUtf8());
    s.write("\x1b[1;2Hx"); // the right half of 한
    QCOMPARE(s.cell(0, 0).text, QStringLiteral(" "));
    QCOMPARE(s.cell(0, 0).width, 1);
    QCOMPARE(s.rowText(0), QStringLiteral(" x글"));
    s.write("\x1b[1;3Hy"); // the left half of 글
    QCOMPARE(s.rowText(0), QStringLiteral(" xy"));
}

void TestTerminalSurface::combiningMarksStayInTheirCell()
{
    TerminalSurface s(3, 10);
    s.write(QStringLiteral("e\u0301x").toUtf8());
    QCOMPARE(s.cell(0, 0).text, QStringLiteral("e\u0301"));
    QCOMPARE(s.cell(0, 1).text, QStringLiteral("x"));
    QCOMPARE(s.cursorCol(), 2);
}

void TestTerminalSurface::resizeMovesRowsThroughScrollback()
{
    TerminalSurface s(6, 10);
    QSignalSpy resized(&s, &TerminalSurface::resized);
    s.write("r0\r\nr1\r\nr2\r\nr3\r\nr4\r\n$ ");
    s.resize(3, 12);
    QCOMPARE(resized.size(), 1);
    QCOMPARE(resized[0][0].toInt(), 3);
    QCOMPARE(resized[0][1].toInt(), 12);
    QCOMPARE(s.rows(), 3);
    QCOMPARE(s.cols(), 12);
    // The cursor's row stays visible; what no longer fits went to history.
    QCOMPARE(s.rowText(0), QStringLiteral("r3"));
    QCOMPARE(s.rowText(2), QStringLiteral("$"));
    QCOMPARE(s.cursorRow(), 2);
    QCOMPARE(s.scrollbackSize(), 3);
    s.resize(6, 12);
    QCOMPARE(s.rowText(0), QStringLiteral("r0"));
    QCOMPARE(s.cursorRow(), 5);
    QCOMPARE(s.scrollbackSize(), 0);
    s.resize(6, 12); // no change, no signal
    QCOMPARE(resized.size(), 2);
    s.write("\x1b[6;1H0123456789AB"); // the new columns are usable
    QCOMPARE(s.rowText(5), QStringLiteral("0123456789AB"));
}

QTEST_GUILESS_MAIN(TestTerminalSurface)
#include "tst_terminalsurface.moc"
