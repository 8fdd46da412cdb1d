// The terminal emulation without a widget: owns a libvterm VTerm, keeps the
// screen cells and the scrollback, and turns libvterm's callbacks into
// signals. The view (TerminalView) paints what this holds; tests drive it
// with escape sequences and no pty.
//
// libvterm is used for parsing and terminal state only (VTermState); the
// screen buffer is ours. libvterm 0.1.4's screen layer moves every cell of
// the screen on each line feed and copies each line once more for the
// scrollback, which caps output at about 10 MB/s; rotating rows here keeps a
// scroll O(rows) pointer moves.
//
// Threading: a plain QObject for the UI thread. Not reentrant: a slot that
// calls write() while a write() is running gets its bytes queued behind it.
#pragma once

#include "gui/terminal/terminalkeys.h"

#include <QByteArray>
#include <QColor>
#include <QObject>
#include <QString>
#include <QStringView>

#include <array>
#include <memory>
#include <vector>

namespace porthole::gui {

enum class CursorShape { Block, Underline, Bar };

// Colours cells resolve through: the defaults (SGR 39/49) and the 16 ANSI
// colours; 16..255 are xterm's 6x6x6 cube and grey ramp, true colour is
// taken as sent.
struct TerminalPalette {
    QColor foreground;
    QColor background;
    std::array<QColor, 16> ansi;

    // The usual xterm-like ANSI colours around the given defaults.
    static TerminalPalette standard(const QColor &foreground, const QColor &background);
};

struct CellAttributes {
    QColor foreground;
    QColor background;
    bool bold = false;
    bool italic = false;
    bool underline = false;
    bool reverse = false; // not applied to the colours: the view swaps them
    bool strike = false;
    bool blink = false;
    bool defaultBackground = true; // the view need not fill such cells

    bool operator==(const CellAttributes &) const = default;
};

// One line as the view draws it: `text` holds every cell's grapheme in order
// (a blank cell is a space, the right half of a wide char contributes
// nothing), so a run of narrow cells is one substring.
struct TerminalLine {
    struct Cell {
        int pos = 0;   // into text
        int len = 0;   // UTF-16 units; 0 for the right half of a wide char
        int width = 1; // 2 for a wide char's left half, 0 for its right half
        CellAttributes attrs;
    };
    QString text;
    std::vector<Cell> cells;

    QStringView cellText(int col) const;
};

struct TerminalCell {
    QString text; // grapheme (base plus combining marks); " " when blank
    int width = 1;
    CellAttributes attrs;
};

class TerminalSurface : public QObject {
    Q_OBJECT
public:
    static constexpr int DefaultScrollback = 10000;

    explicit TerminalSurface(int rows = 24, int cols = 80, QObject *parent = nullptr);
    ~TerminalSurface() override;

    // Output of the process. Signals for the changes it caused are emitted
    // once, after all of `data` has been processed.
    void write(const QByteArray &data);

    // No reflow: libvterm 0.1.4 has none. Shrinking pushes the rows above the
    // cursor into the scrollback, growing pulls them back.
    void resize(int rows, int cols);
    int rows() const;
    int cols() const;

    void setPalette(const TerminalPalette &palette);
    const TerminalPalette &palette() const;

    // Scrollback. Lines are numbered from the first line that ever scrolled
    // off, so a number stays attached to its content while output scrolls;
    // it is gone once below firstLine().
    void setScrollbackLimit(int lines);
    int scrollbackLimit() const;
    int scrollbackSize() const;
    qint64 firstLine() const;
    qint64 screenLine() const; // the line number of screen row 0

    // How many lines the view is scrolled back (0: live screen). While
    // scrolled back, new output keeps the viewed lines in place.
    int scrollOffset() const;
    void setScrollOffset(int lines);
    qint64 viewTopLine() const { return screenLine() - scrollOffset(); }

    // Cells: by line number, or by row of the view (honouring the offset).
    void readLine(qint64 line, TerminalLine &out) const;
    TerminalCell cell(int viewRow, int col) const;
    QString rowText(int viewRow) const; // trailing blanks trimmed
    // Text from (fromLine, fromCol) up to, not including, (toLine, toCol);
    // lines joined by '\n' with their trailing blanks trimmed.
    QString text(qint64 fromLine, int fromCol, qint64 toLine, int toCol) const;

    int cursorRow() const;
    int cursorCol() const;
    bool cursorVisible() const;
    bool cursorBlinking() const;
    CursorShape cursorShape() const;
    bool alternateScreen() const;
    bool reverseVideo() const;
    bool mouseTracking() const;
    QString title() const;

    // Modes libvterm keeps but does not expose, read back by asking it what
    // it would send (so they follow resets and DECSTR exactly).
    KeyModes keyModes() const;
    bool bracketedPaste() const;

    // User input: emitted as bytesToSend, and the view snaps back to live.
    void sendInput(const QByteArray &bytes);
    void paste(const QString &text);
    // Drops ESC and every control character but \t \r \n, and turns line
    // ends into \r, so pasted text cannot act as commands or end a
    // bracketed paste early.
    static QString sanitizePaste(const QString &text);

    void setFocused(bool focused); // focus reports (DECSET 1004)
    // Mouse reports when the application enabled them; button 1..3, 4/5 wheel.
    void sendMouseMove(int row, int col, Qt::KeyboardModifiers mods);
    void sendMouseButton(int button, bool pressed, Qt::KeyboardModifiers mods);

Q_SIGNALS:
    void damaged(int firstRow, int lastRow); // screen rows, inclusive
    void scrollbackChanged(int lines);
    void cursorMoved(int row, int col);
    void cursorVisibilityChanged(bool visible);
    void cursorShapeChanged(porthole::gui::CursorShape shape, bool blinking);
    void titleChanged(const QString &title);
    void bell();
    void alternateScreenChanged(bool active);
    void bytesToSend(const QByteArray &bytes);
    void resized(int rows, int cols);

private:
    struct Impl;
    friend struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace porthole::gui
