#include "gui/terminal/terminalkeys.h"

namespace porthole::gui {
namespace {

KeyResult send(QByteArray bytes)
{
    return KeyResult{KeyAction::Send, std::move(bytes)};
}

// Keys xterm sends as CSI/SS3 plus a final letter.
char cursorFinal(int key)
{
    switch (key) {
    case Qt::Key_Up: return 'A';
    case Qt::Key_Down: return 'B';
    case Qt::Key_Right: return 'C';
    case Qt::Key_Left: return 'D';
    case Qt::Key_Home: return 'H';
    case Qt::Key_End: return 'F';
    default: return 0;
    }
}

// Keys xterm sends as CSI number ~.
int tildeNumber(int key)
{
    switch (key) {
    case Qt::Key_Insert: return 2;
    case Qt::Key_Delete: return 3;
    case Qt::Key_PageUp: return 5;
    case Qt::Key_PageDown: return 6;
    case Qt::Key_F5: return 15;
    case Qt::Key_F6: return 17;
    case Qt::Key_F7: return 18;
    case Qt::Key_F8: return 19;
    case Qt::Key_F9: return 20;
    case Qt::Key_F10: return 21;
    case Qt::Key_F11: return 23;
    case Qt::Key_F12: return 24;
    default: return 0;
    }
}

// DECKPAM's SS3 finals, or 0 for keys the keypad does not have.
char keypadFinal(int key)
{
    if (key >= Qt::Key_0 && key <= Qt::Key_9)
        return char('p' + (key - Qt::Key_0));
    switch (key) {
    case Qt::Key_Asterisk: return 'j';
    case Qt::Key_Plus: return 'k';
    case Qt::Key_Comma: return 'l';
    case Qt::Key_Minus: return 'm';
    case Qt::Key_Period: return 'n';
    case Qt::Key_Slash: return 'o';
    case Qt::Key_Enter: return 'M';
    case Qt::Key_Equal: return 'X';
    default: return 0;
    }
}

// The C0 byte Ctrl+key gives on a VT220 keyboard, which xterm follows; the
// digits are the VT220's alternatives for the punctuation.
int controlByte(int key)
{
    if (key >= Qt::Key_A && key <= Qt::Key_Z)
        return key - Qt::Key_A + 1;
    switch (key) {
    case Qt::Key_At: case Qt::Key_Space: case Qt::Key_2: return 0x00;
    case Qt::Key_BracketLeft: case Qt::Key_3: return 0x1b;
    case Qt::Key_Backslash: case Qt::Key_4: return 0x1c;
    case Qt::Key_BracketRight: case Qt::Key_5: return 0x1d;
    case Qt::Key_AsciiCircum: case Qt::Key_AsciiTilde: case Qt::Key_6: return 0x1e;
    case Qt::Key_Underscore: case Qt::Key_Slash: case Qt::Key_7: return 0x1f;
    case Qt::Key_Question: case Qt::Key_8: return 0x7f;
    default: return -1;
    }
}

} // namespace

KeyResult translateKey(int key, Qt::KeyboardModifiers mods, const QString &text,
                       const KeyModes &modes)
{
    const bool shift = mods & Qt::ShiftModifier;
    const bool ctrl = mods & Qt::ControlModifier;
    const bool alt = mods & Qt::AltModifier;
    // xterm's modifier parameter: 1 + Shift 1 + Alt 2 + Ctrl 4.
    const int param = 1 + (shift ? 1 : 0) + (alt ? 2 : 0) + (ctrl ? 4 : 0);
    const QByteArray modArg = QByteArray::number(param);

    if (ctrl && shift && !alt) {
        if (key == Qt::Key_C)
            return {KeyAction::Copy, {}};
        if (key == Qt::Key_V)
            return {KeyAction::Paste, {}};
    }
    // Zoom as gnome-terminal and Konsole: these give no control byte, while
    // Ctrl+_ (Shift and the same key as "-") is readline's undo and stays.
    if (ctrl && !alt) {
        if (key == Qt::Key_Equal || key == Qt::Key_Plus)
            return {KeyAction::ZoomIn, {}};
        if (key == Qt::Key_Minus && !shift)
            return {KeyAction::ZoomOut, {}};
        if (key == Qt::Key_0 && !shift)
            return {KeyAction::ZoomReset, {}};
    }
    if (shift && !ctrl && !alt) {
        if (key == Qt::Key_Insert)
            return {KeyAction::PasteSelection, {}};
        if (!modes.alternateScreen && key == Qt::Key_PageUp)
            return {KeyAction::ScrollPageUp, {}};
        if (!modes.alternateScreen && key == Qt::Key_PageDown)
            return {KeyAction::ScrollPageDown, {}};
    }

    if (const char final = cursorFinal(key)) {
        if (param > 1)
            return send("\x1b[1;" + modArg + final);
        return send(QByteArray(modes.applicationCursor ? "\x1bO" : "\x1b[") + final);
    }
    if (const int number = tildeNumber(key)) {
        const QByteArray n = QByteArray::number(number);
        return send(param > 1 ? "\x1b[" + n + ';' + modArg + '~' : "\x1b[" + n + '~');
    }
    if (key >= Qt::Key_F1 && key <= Qt::Key_F4) {
        const char final = char('P' + (key - Qt::Key_F1));
        return send(param > 1 ? "\x1b[1;" + modArg + final : QByteArray("\x1bO") + final);
    }
    if ((mods & Qt::KeypadModifier) && modes.applicationKeypad) {
        if (const char final = keypadFinal(key))
            return send(QByteArray("\x1bO") + final);
    }

    // From here on Alt is an ESC prefix (xterm's metaSendsEscape).
    const QByteArray prefix = alt ? "\x1b" : "";
    switch (key) {
    case Qt::Key_Return:
    case Qt::Key_Enter:
        return send(prefix + (modes.newLine ? "\r\n" : "\r"));
    case Qt::Key_Tab:
        return send(shift ? QByteArray("\x1b[Z") : prefix + '\t');
    case Qt::Key_Backtab:
        return send("\x1b[Z");
    case Qt::Key_Backspace:
        return send(prefix + (ctrl ? '\x08' : '\x7f'));
    case Qt::Key_Escape:
        return send(prefix + '\x1b');
    default:
        break;
    }
    if (ctrl) {
        const int byte = controlByte(key);
        if (byte >= 0)
            return send(prefix + char(byte));
    }
    if (text.isEmpty())
        return {};
    return send(prefix + text.toUtf8());
}

} // namespace porthole::gui
