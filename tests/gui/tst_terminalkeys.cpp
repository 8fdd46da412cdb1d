// Keys to the bytes xterm sends, and the modes that change them as the
// surface reads them back from libvterm.
#include "gui/terminal/terminalkeys.h"
#include "gui/terminal/terminalsurface.h"

#include <QTest>

using namespace porthole::gui;

Q_DECLARE_METATYPE(porthole::gui::KeyAction)

namespace {
constexpr auto None = Qt::NoModifier;
constexpr auto Shift = Qt::ShiftModifier;
constexpr auto Ctrl = Qt::ControlModifier;
constexpr auto Alt = Qt::AltModifier;
} // namespace

class TestTerminalKeys : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void bytes_data();
    void bytes();
    void actions_data();
    void actions();
    void modesComeFromTheTerminal();
};

void TestTerminalKeys::bytes_data()
{
    QTest::addColumn<int>("key");
    QTest::addColumn<Qt::KeyboardModifiers>("mods");
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("appCursor");
    QTest::addColumn<QByteArray>("expected");

    auto row = [](const char *name, int key, Qt::KeyboardModifiers mods, const QString &text,
                  bool app, const QByteArray &bytes) {
        QTest::newRow(name) << key << mods << text << app << bytes;
    };
    row("a", Qt::Key_A, None, "a", false, "a");
    row("A", Qt::Key_A, Shift, "A", false, "A");
    row("hangul text", 0, None, QStringLiteral("한"), false, QStringLiteral("한").toUtf8());
    row("enter", Qt::Key_Return, None, "\r", false, "\r");
    row("keypad enter", Qt::Key_Enter, Qt::KeypadModifier, "\r", false, "\r");
    row("tab", Qt::Key_Tab, None, "\t", false, "\t");
    row("backtab", Qt::Key_Backtab, Shift, "", false, "\x1b[Z");
    row("backspace", Qt::Key_Backspace, None, "\x08", false, "\x7f");
    row("ctrl backspace", Qt::Key_Backspace, Ctrl, "", false, "\x08");
    row("alt backspace", Qt::Key_Backspace, Alt, "", false, "\x1b\x7f");
    row("escape", Qt::Key_Escape, None, "\x1b", false, "\x1b");

    row("up", Qt::Key_Up, None, "", false, "\x1b[A");
    row("down", Qt::Key_Down, None, "", false, "\x1b[B");
    row("right", Qt::Key_Right, None, "", false, "\x1b[C");
    row("left", Qt::Key_Left, None, "", false, "\x1b[D");
    row("up app", Qt::Key_Up, None, "", true, "\x1bOA");
    row("left app", Qt::Key_Left, None, "", true, "\x1bOD");
    row("home", Qt::Key_Home, None, "", false, "\x1b[H");
    row("end", Qt::Key_End, None, "", false, "\x1b[F");
    row("home app", Qt::Key_Home, None, "", true, "\x1bOH");
    row("end app", Qt::Key_End, None, "", true, "\x1bOF");
    row("ctrl right", Qt::Key_Right, Ctrl, "", false, "\x1b[1;5C");
    row("ctrl right app", Qt::Key_Right, Ctrl, "", true, "\x1b[1;5C");
    row("shift up", Qt::Key_Up, Shift, "", false, "\x1b[1;2A");
    row("alt left", Qt::Key_Left, Alt, "", false, "\x1b[1;3D");
    row("ctrl shift end", Qt::Key_End, Ctrl | Shift, "", false, "\x1b[1;6F");

    row("insert", Qt::Key_Insert, None, "", false, "\x1b[2~");
    row("delete", Qt::Key_Delete, None, "", false, "\x1b[3~");
    row("pgup", Qt::Key_PageUp, None, "", false, "\x1b[5~");
    row("pgdn", Qt::Key_PageDown, None, "", false, "\x1b[6~");
    row("ctrl delete", Qt::Key_Delete, Ctrl, "", false, "\x1b[3;5~");
    row("ctrl pgup", Qt::Key_PageUp, Ctrl, "", false, "\x1b[5;5~");

    row("f1", Qt::Key_F1, None, "", false, "\x1bOP");
    row("f2", Qt::Key_F2, None, "", false, "\x1bOQ");
    row("f3", Qt::Key_F3, None, "", false, "\x1bOR");
    row("f4", Qt::Key_F4, None, "", false, "\x1bOS");
    row("f5", Qt::Key_F5, None, "", false, "\x1b[15~");
    row("f6", Qt::Key_F6, None, "", false, "\x1b[17~");
    row("f7", Qt::Key_F7, None, "", false, "\x1b[18~");
    row("f8", Qt::Key_F8, None, "", false, "\x1b[19~");
    row("f9", Qt::Key_F9, None, "", false, "\x1b[20~");
    row("f10", Qt::Key_F10, None, "", false, "\x1b[21~");
    row("f11", Qt::Key_F11, None, "", false, "\x1b[23~");
    row("f12", Qt::Key_F12, None, "", false, "\x1b[24~");
    row("shift f1", Qt::Key_F1, Shift, "", false, "\x1b[1;2P");
    row("ctrl f4", Qt::Key_F4, Ctrl, "", false, "\x1b[1;5S");
    row("shift f5", Qt::Key_F5, Shift, "", false, "\x1b[15;2~");
    row("ctrl alt f12", Qt::Key_F12, Ctrl | Alt, "", false, "\x1b[24;7~");

    row("ctrl a", Qt::Key_A, Ctrl, "\x01", false, "\x01");
    row("ctrl c", Qt::Key_C, Ctrl, "\x03", false, "\x03");
    row("ctrl z no text", Qt::Key_Z, Ctrl, "", false, "\x1a");
    row("ctrl i is tab", Qt::Key_I, Ctrl, "\t", false, "\t");
    row("ctrl shift a", Qt::Key_A, Ctrl | Shift, "\x01", false, "\x01");
    row("ctrl space", Qt::Key_Space, Ctrl, "", false, QByteArray(1, '\0'));
    row("ctrl [", Qt::Key_BracketLeft, Ctrl, "", false, "\x1b");
    row("ctrl \\", Qt::Key_Backslash, Ctrl, "", false, "\x1c");
    row("ctrl ]", Qt::Key_BracketRight, Ctrl, "", false, "\x1d");
    row("ctrl _", Qt::Key_Underscore, Ctrl | Shift, "", false, "\x1f");
    row("ctrl /", Qt::Key_Slash, Ctrl, "", false, "\x1f");

    row("alt x", Qt::Key_X, Alt, "x", false, "\x1bx");
    row("alt shift x", Qt::Key_X, Alt | Shift, "X", false, "\x1bX");
    row("alt .", Qt::Key_Period, Alt, ".", false, "\x1b.");
    row("ctrl alt a", Qt::Key_A, Ctrl | Alt, "", false, "\x1b\x01");
    row("alt enter", Qt::Key_Return, Alt, "\r", false, "\x1b\r");
}

void TestTerminalKeys::bytes()
{
    QFETCH(int, key);
    QFETCH(Qt::KeyboardModifiers, mods);
    QFETCH(QString, text);
    QFETCH(bool, appCursor);
    QFETCH(QByteArray, expected);
    KeyModes modes;
    modes.applicationCursor = appCursor;
    const KeyResult r = translateKey(key, mods, text, modes);
    QCOMPARE(r.action, KeyAction::Send);
    QCOMPARE(r.bytes, expected);
}

void TestTerminalKeys::actions_data()
{
    QTest::addColumn<int>("key");
    QTest::addColumn<Qt::KeyboardModifiers>("mods");
    QTest::addColumn<bool>("alternateScreen");
    QTest::addColumn<KeyAction>("action");
    QTest::addColumn<QByteArray>("bytes");

    QTest::newRow("copy") << int(Qt::Key_C) << Qt::KeyboardModifiers(Ctrl | Shift) << false
                          << KeyAction::Copy << QByteArray();
    QTest::newRow("paste") << int(Qt::Key_V) << Qt::KeyboardModifiers(Ctrl | Shift) << false
                           << KeyAction::Paste << QByteArray();
    QTest::newRow("paste selection") << int(Qt::Key_Insert) << Qt::KeyboardModifiers(Shift) << false
                                     << KeyAction::PasteSelection << QByteArray();
    QTest::newRow("scroll up") << int(Qt::Key_PageUp) << Qt::KeyboardModifiers(Shift) << false
                               << KeyAction::ScrollPageUp << QByteArray();
    QTest::newRow("scroll down") << int(Qt::Key_PageDown) << Qt::KeyboardModifiers(Shift) << false
                                 << KeyAction::ScrollPageDown << QByteArray();
    QTest::newRow("zoom in") << int(Qt::Key_Equal) << Qt::KeyboardModifiers(Ctrl) << false
                             << KeyAction::ZoomIn << QByteArray();
    QTest::newRow("zoom in, ctrl +") << int(Qt::Key_Plus) << Qt::KeyboardModifiers(Ctrl | Shift) << false
                                     << KeyAction::ZoomIn << QByteArray();
    QTest::newRow("zoom in, keypad") << int(Qt::Key_Plus) << Qt::KeyboardModifiers(Ctrl | Qt::KeypadModifier) << false
                                     << KeyAction::ZoomIn << QByteArray();
    QTest::newRow("zoom out") << int(Qt::Key_Minus) << Qt::KeyboardModifiers(Ctrl) << false
                              << KeyAction::ZoomOut << QByteArray();
    QTest::newRow("zoom out, keypad") << int(Qt::Key_Minus) << Qt::KeyboardModifiers(Ctrl | Qt::KeypadModifier) << false
                                      << KeyAction::ZoomOut << QByteArray();
    QTest::newRow("zoom reset") << int(Qt::Key_0) << Qt::KeyboardModifiers(Ctrl) << false
                                << KeyAction::ZoomReset << QByteArray();
    // Ctrl+_ (Shift and the "-" key) stays the shell's: readline's undo.
    QTest::newRow("ctrl _ goes to the shell") << int(Qt::Key_Underscore) << Qt::KeyboardModifiers(Ctrl | Shift) << false
                                              << KeyAction::Send << QByteArray("\x1f");
    QTest::newRow("shift pgup in vi") << int(Qt::Key_PageUp) << Qt::KeyboardModifiers(Shift) << true
                                      << KeyAction::Send << QByteArray("\x1b[5;2~");
    QTest::newRow("bare shift") << int(Qt::Key_Shift) << Qt::KeyboardModifiers(Shift) << false
                                << KeyAction::None << QByteArray();
}

void TestTerminalKeys::actions()
{
    QFETCH(int, key);
    QFETCH(Qt::KeyboardModifiers, mods);
    QFETCH(bool, alternateScreen);
    QFETCH(KeyAction, action);
    QFETCH(QByteArray, bytes);
    KeyModes modes;
    modes.alternateScreen = alternateScreen;
    const KeyResult r = translateKey(key, mods, QString(), modes);
    QCOMPARE(r.action, action);
    QCOMPARE(r.bytes, bytes);
}

void TestTerminalKeys::modesComeFromTheTerminal()
{
    TerminalSurface s(5, 20);
    QVERIFY(!s.keyModes().applicationCursor);
    s.write("\x1b[?1h"); // DECCKM, as vi and less set it
    QVERIFY(s.keyModes().applicationCursor);
    QCOMPARE(translateKey(Qt::Key_Up, None, {}, s.keyModes()).bytes, QByteArray("\x1bOA"));
    s.write("\x1b[?1l");
    QCOMPARE(translateKey(Qt::Key_Up, None, {}, s.keyModes()).bytes, QByteArray("\x1b[A"));

    s.write("\x1b="); // DECKPAM
    QVERIFY(s.keyModes().applicationKeypad);
    QCOMPARE(translateKey(Qt::Key_5, Qt::KeypadModifier, "5", s.keyModes()).bytes,
             QByteArray("\x1bOu"));
    s.write("\x1b>");
    QCOMPARE(translateKey(Qt::Key_5, Qt::KeypadModifier, "5", s.keyModes()).bytes, QByteArray("5"));

    s.write("\x1b[20h"); // LNM
    QCOMPARE(translateKey(Qt::Key_Return, None, "\r", s.keyModes()).bytes, QByteArray("\r\n"));
    s.write("\x1b[20l");

    s.write("\x1b[?1h\x1b" "c"); // a full reset also resets the cursor keys
    QVERIFY(!s.keyModes().applicationCursor);
    s.write("\x1b[?1049h");
    QVERIFY(s.keyModes().alternateScreen);
}

QTEST_GUILESS_MAIN(TestTerminalKeys)
#include "tst_terminalkeys.moc"
