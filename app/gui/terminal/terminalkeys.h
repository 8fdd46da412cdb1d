// Keys to the bytes xterm sends for them (default resources: no
// modifyOtherKeys, so Ctrl+I is a Tab, not a CSI u sequence; libvterm's own
// vterm_keyboard_* would send CSI u, which shells do not read). A pure
// function, so the table is tested without a terminal; the modes it depends
// on come from TerminalSurface::keyModes().
#pragma once

#include <QByteArray>
#include <QString>
#include <Qt>

namespace porthole::gui {

struct KeyModes {
    bool applicationCursor = false; // DECCKM: arrows, Home/End as SS3
    bool applicationKeypad = false; // DECKPAM: keypad keys as SS3
    bool newLine = false;           // LNM: Enter sends CR LF
    bool alternateScreen = false;   // Shift+PgUp/PgDn go to the application
};

enum class KeyAction {
    None,           // nothing to send (a bare modifier, an unknown key)
    Send,           // send `bytes`
    Copy,           // Ctrl+Shift+C
    Paste,          // Ctrl+Shift+V
    PasteSelection, // Shift+Insert: the X11 primary selection
    ScrollPageUp,   // Shift+PgUp on the normal screen
    ScrollPageDown,
    ZoomIn,         // Ctrl+= or Ctrl++ (keypad too): for a projector, as other terminals
    ZoomOut,        // Ctrl+- (keypad too); Ctrl+_ stays the shell's (undo)
    ZoomReset,      // Ctrl+0
};

struct KeyResult {
    KeyAction action = KeyAction::None;
    QByteArray bytes;
};

// `key` is a Qt::Key, `text` the event's text (used for printable keys).
KeyResult translateKey(int key, Qt::KeyboardModifiers mods, const QString &text,
                       const KeyModes &modes);

} // namespace porthole::gui
