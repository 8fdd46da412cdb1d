// The terminal surface fed escape sequences directly, no pty and no widget.
#include "gui/terminal/terminalsurface.h"

#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTest>

#include <vterm.h>

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
    void sanitizePaste_data();
    void sanitizePaste();
    void bracketedPasteFollowsTheApplication();
    void repliesGoToBytesToSend();
    void resizeMovesRowsThroughScrollback();
    void titleBellAndCursorProps();
    void matchesLibvtermScreen_data();
    void matchesLibvtermScreen();
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

void TestTerminalSurface::sanitizePaste_data()
{
    QTest::addColumn<QString>("pasted");
    QTest::addColumn<QString>("sent");

    QTest::newRow("plain") << QStringLiteral("echo hi") << QStringLiteral("echo hi");
    QTest::newRow("lf to cr") << QStringLiteral("a\nb\n") << QStringLiteral("a\rb\r");
    QTest::newRow("crlf to cr") << QStringLiteral("a\r\nb") << QStringLiteral("a\rb");
    QTest::newRow("tab kept") << QStringLiteral("a\tb") << QStringLiteral("a\tb");
    QTest::newRow("escape stripped") << QStringLiteral("a\x1b[201~rm -rf /\n")
                                     << QStringLiteral("a[201~rm -rf /\r");
    QTest::newRow("c0 stripped") << QStringLiteral("a\x03\x04\x08\x7f" "b") << QStringLiteral("ab");
    QTest::newRow("c1 stripped") << QStringLiteral("a\u009b2Jb") << QStringLiteral("a2Jb");
    QTest::newRow("hangul kept") << QStringLiteral("한글 ok") << QStringLiteral("한글 ok");
}

void TestTerminalSurface::sanitizePaste()
{
    QFETCH(QString, pasted);
    QFETCH(QString, sent);
    QCOMPARE(TerminalSurface::sanitizePaste(pasted), sent);
}

void TestTerminalSurface::bracketedPasteFollowsTheApplication()
{
    TerminalSurface s(3, 20);
    QSignalSpy sent(&s, &TerminalSurface::bytesToSend);
    QVERIFY(!s.bracketedPaste());
    s.paste(QStringLiteral("ls\n"));
    QCOMPARE(sent.takeFirst()[0].toByteArray(), QByteArray("ls\r"));

    s.write("\x1b[?2004h");
    QVERIFY(s.bracketedPaste());
    s.paste(QStringLiteral("a\x1b[201~b"));
    QCOMPARE(sent.takeFirst()[0].toByteArray(), QByteArray("\x1b[200~a[201~b\x1b[201~"));

    s.write("\x1b[?2004l");
    QVERIFY(!s.bracketedPaste());
    s.paste(QStringLiteral("x"));
    QCOMPARE(sent.takeFirst()[0].toByteArray(), QByteArray("x"));
    QVERIFY(sent.isEmpty()); // probing the mode sends nothing
}

void TestTerminalSurface::repliesGoToBytesToSend()
{
    TerminalSurface s(10, 20);
    QSignalSpy sent(&s, &TerminalSurface::bytesToSend);
    s.write("\x1b[4;6H\x1b[6n");
    QCOMPARE(sent.size(), 1);
    QCOMPARE(sent[0][0].toByteArray(), QByteArray("\x1b[4;6R"));
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

void TestTerminalSurface::titleBellAndCursorProps()
{
    TerminalSurface s(3, 10);
    QSignalSpy title(&s, &TerminalSurface::titleChanged);
    QSignalSpy bell(&s, &TerminalSurface::bell);
    QSignalSpy visible(&s, &TerminalSurface::cursorVisibilityChanged);
    s.write("\x1b]0;컨테이너 shell\x07\x07");
    QCOMPARE(title.size(), 1);
    QCOMPARE(title[0][0].toString(), QStringLiteral("컨테이너 shell"));
    QCOMPARE(bell.size(), 1);
    s.write("\x1b[?25l");
    QVERIFY(!s.cursorVisible());
    QCOMPARE(visible.last()[0].toBool(), false);
    QCOMPARE(s.cursorShape(), CursorShape::Block);
    s.write("\x1b[4 q");
    QCOMPARE(s.cursorShape(), CursorShape::Underline);
    QVERIFY(!s.cursorBlinking());
    s.write("\x1b[5 q");
    QCOMPARE(s.cursorShape(), CursorShape::Bar);
    QVERIFY(s.cursorBlinking());
}

// The surface keeps its own screen instead of libvterm's (for speed), so
// libvterm's screen layer is the reference: the same stream of editing
// sequences must leave the same characters, widths and colours, and push the
// same lines into the scrollback.
namespace {

struct RefCell {
    QString text;
    int width = 1;
    bool repaired = false;
    bool reverse = false;
    bool defaultBackground = true;
};

struct Reference {
    VTerm *vt;
    VTermScreen *screen;
    QStringList history;

    Reference(int rows, int cols) : vt(vterm_new(rows, cols))
    {
        vterm_set_utf8(vt, 1);
        screen = vterm_obtain_screen(vt);
        static const VTermScreenCallbacks callbacks = {
            nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, &Reference::push, nullptr};
        vterm_screen_set_callbacks(screen, &callbacks, this);
        vterm_screen_enable_altscreen(screen, 1);
        vterm_screen_reset(screen, 1);
    }
    ~Reference() { vterm_free(vt); }

    static QString cellText(const VTermScreenCell &c)
    {
        if (c.chars[0] == 0)
            return QStringLiteral(" ");
        QString s;
        for (int i = 0; i < VTERM_MAX_CHARS_PER_CELL && c.chars[i]; ++i)
            s += QString::fromUcs4(reinterpret_cast<const char32_t *>(&c.chars[i]), 1);
        return s;
    }

    // libvterm's screen leaves the other half of a half-overwritten wide
    // char in place; the surface blanks it, as xterm does. Read the
    // reference that way (the only wide chars in the stream are Hangul).
    static std::vector<RefCell> normalize(const VTermScreenCell *cells, int cols)
    {
        auto isTail = [&](int i) { return cells[i].chars[0] == uint32_t(-1); };
        auto isWide = [&](int i) { return cells[i].chars[0] >= 0xac00 && cells[i].chars[0] <= 0xd7a3; };
        std::vector<RefCell> out(cols);
        for (int i = 0; i < cols; ++i) {
            RefCell &o = out[i];
            o.reverse = cells[i].attrs.reverse;
            o.defaultBackground = VTERM_COLOR_IS_DEFAULT_BG(&cells[i].bg);
            const bool head = isWide(i) && i + 1 < cols && isTail(i + 1);
            if (isTail(i) && i > 0 && isWide(i - 1)) {
                o.width = 0;
            } else if (isTail(i) || (isWide(i) && !head)) {
                o.text = QStringLiteral(" ");
                o.repaired = true;
            } else {
                o.text = cellText(cells[i]);
                o.width = head ? 2 : 1;
            }
        }
        return out;
    }

    std::vector<RefCell> row(int r, int cols) const
    {
        std::vector<VTermScreenCell> cells(cols);
        for (int c = 0; c < cols; ++c)
            vterm_screen_get_cell(screen, VTermPos{r, c}, &cells[c]);
        return normalize(cells.data(), cols);
    }

    static int push(int cols, const VTermScreenCell *cells, void *user)
    {
        QString line;
        for (const RefCell &c : normalize(cells, cols))
            line += c.text;
        while (line.endsWith(QLatin1Char(' ')))
            line.chop(1);
        static_cast<Reference *>(user)->history << line;
        return 1;
    }
};

QByteArray randomStream(quint32 seed, int pieces)
{
    static const char *fragments[] = {
        "hello ", "wide 한글 ", "\r\n", "\n", "\r", "\t", "\x08", "\x1b[K", "\x1b[1K", "\x1b[2K",
        "\x1b[J", "\x1b[1J", "\x1b[2J", "\x1b[3@", "\x1b[2P", "\x1b[4X", "\x1b[2L", "\x1b[M",
        "\x1b[3;7r", "\x1b[r", "\x1b[2S", "\x1b[T", "\x1bM", "\x1b" "D", "\x1b[5;3H", "\x1b[H",
        "\x1b[10G", "\x1b[31m", "\x1b[42m", "\x1b[0m", "\x1b[38;5;200m", "\x1b[48;2;1;2;3m",
        "\x1b[7m", "\x1b[?1049h", "\x1b[?1049l", "\x1b#8", "\x1b[?6h", "\x1b[?6l",
        "0123456789012345678901234567890", "e\xcc\x81", "\x1b[?7l", "\x1b[?7h", "\x1b[5A",
        "\x1b[3C", "\x1b" "7", "\x1b" "8", "\x1b[1\"q", "\x1b[0\"q", "\x1b[?J", "\x1b[?2K",
    };
    QRandomGenerator rng(seed);
    QByteArray out;
    for (int i = 0; i < pieces; ++i)
        out += fragments[rng.bounded(int(std::size(fragments)))];
    return out;
}

} // namespace

void TestTerminalSurface::matchesLibvtermScreen_data()
{
    QTest::addColumn<quint32>("seed");
    for (quint32 seed = 1; seed <= 12; ++seed)
        QTest::newRow(qPrintable(QStringLiteral("seed %1").arg(seed))) << seed;
}

void TestTerminalSurface::matchesLibvtermScreen()
{
    QFETCH(quint32, seed);
    const int rows = 8, cols = 24;
    const QByteArray stream = randomStream(seed, 600);
    TerminalSurface s(rows, cols);
    s.setScrollbackLimit(100000);
    Reference ref(rows, cols);
    for (qsizetype at = 0; at < stream.size(); at += 97) {
        const QByteArray piece = stream.mid(at, 97); // splits sequences and UTF-8 on purpose
        s.write(piece);
        vterm_input_write(ref.vt, piece.constData(), size_t(piece.size()));
    }
    VTermPos cursor;
    vterm_state_get_cursorpos(vterm_obtain_state(ref.vt), &cursor);
    QCOMPARE(s.cursorRow(), cursor.row);
    QCOMPARE(s.cursorCol(), cursor.col);
    for (int row = 0; row < rows; ++row) {
        const std::vector<RefCell> expected = ref.row(row, cols);
        for (int col = 0; col < cols; ++col) {
            const RefCell &want = expected[col];
            const TerminalCell got = s.cell(row, col);
            const auto where = qPrintable(QStringLiteral("row %1 col %2").arg(row).arg(col));
            QVERIFY2(got.text == want.text, where);
            QVERIFY2(got.width == want.width, where);
            if (want.repaired || want.width == 0)
                continue; // blanked with the pen of the moment; libvterm kept older cells
            QVERIFY2(got.attrs.reverse == want.reverse, where);
            QVERIFY2(got.attrs.defaultBackground == want.defaultBackground, where);
        }
    }
    QCOMPARE(s.scrollbackSize(), ref.history.size());
    for (int i = 0; i < ref.history.size(); ++i)
        QCOMPARE(s.text(s.firstLine() + i, 0, s.firstLine() + i, cols), ref.history[i]);
}

QTEST_GUILESS_MAIN(TestTerminalSurface)
#include "tst_terminalsurface.moc"
