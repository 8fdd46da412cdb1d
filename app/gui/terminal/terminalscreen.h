// The cells behind a TerminalSurface: the primary and alternate screens and
// the scrollback, edited by the surface's libvterm state callbacks and read
// back as TerminalLines. No libvterm state and no signals here: the surface
// owns the VTerm, the pen and the cursor, and turns the damage collected here
// into signals.
//
// Both the screens and the scrollback are rings, so a full-screen scroll (all
// plain output) moves an index instead of every row, and a line that scrolls
// off swaps storage with the oldest history line instead of being copied.
//
// Threading: owned by one TerminalSurface, UI thread.
#pragma once

#include "gui/terminal/terminalsurface.h"

#include <QColor>

#include <vterm.h>

#include <array>
#include <climits>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace porthole::gui {

struct ScreenCell {
    enum Flag : uint8_t {
        Bold = 1, Italic = 2, Underline = 4, Blink = 8, Reverse = 16, Strike = 32, Protected = 64,
    };
    char32_t ch = 0; // 0: blank; see TerminalScreen for the special values
    VTermColor fg;
    VTermColor bg;
    uint8_t flags = 0;
    uint8_t width = 1;

    static ScreenCell defaultBlank(); // default colours, no attributes
    // Erased cells take the whole pen, not just its background, as in
    // libvterm's own screen: ESC[7m ESC[K draws a reverse bar.
    static ScreenCell blankFrom(const ScreenCell &pen);
};
using ScreenRow = std::vector<ScreenCell>;

// What cell colours resolve to: the palette's defaults, the 16 ANSI colours,
// xterm's 6x6x6 cube and grey ramp; true colour is taken as sent.
struct ColorTable {
    QColor foreground;
    QColor background;
    std::array<QColor, 256> indexed;

    void set(const TerminalPalette &palette);
    QColor resolve(const VTermColor &c, bool isForeground) const;
};

class TerminalScreen {
public:
    TerminalScreen(int rows, int cols);

    int rows() const { return m_rows; }
    int cols() const { return m_cols; }

    // Edits, in libvterm's callback terms. `pen` is the current pen; erased
    // cells are blankFrom(pen).
    void putGlyph(const VTermGlyphInfo &info, VTermPos pos, const ScreenCell &pen);
    void erase(VTermRect r, bool selective, const ScreenCell &pen);
    void moveRect(VTermRect dest, VTermRect src);
    // Scrolls of whole-width regions; false for the rest, which the caller
    // hands to vterm_scroll_rect (it calls moveRect and erase back).
    bool scrollRect(VTermRect r, int downward, const ScreenCell &pen);
    // No reflow: shrinking pushes the rows above the cursor into the
    // scrollback, growing pulls them back; `delta` moves the cursor as
    // libvterm's resize callback expects.
    void resize(int rows, int cols, int cursorRow, VTermPos *delta);

    bool alternate() const { return m_active == 1; }
    // Switches screens; the alternate one starts blank. False if unchanged.
    bool setAlternate(bool on);

    void setScrollbackLimit(int lines);
    int scrollbackLimit() const { return m_sbLimit; }
    int scrollbackSize() const { return m_sbCount; }
    qint64 firstLine() const { return m_dropped; }
    qint64 screenLine() const { return m_dropped + m_sbCount; }
    int scrollOffset() const { return m_scrollOffset; }
    void setScrollOffset(int lines);

    // A line by number (see TerminalSurface); lines out of range read blank.
    void readLine(qint64 line, TerminalLine &out, const ColorTable &colors) const;

    // Changes since the last take, for the surface's signals.
    void markDirty(int first, int last);
    bool takeDamage(int &first, int &last);
    bool takeHistoryChanged() { return std::exchange(m_historyDirty, false); }

private:
    // The rows of one screen as a ring: row r is rows[(top + r) % size].
    struct Ring {
        std::vector<ScreenRow> rows;
        int top = 0;

        ScreenRow &at(int r);
        const ScreenRow &at(int r) const { return const_cast<Ring *>(this)->at(r); }
        // Puts row 0 first in `rows`, for operations on a part of the screen.
        void linearize();
    };

    Ring &screen() { return m_screens[m_active]; }
    const Ring &screen() const { return m_screens[m_active]; }
    char32_t intern(const uint32_t *chars);
    void pushLine(ScreenRow &row);
    bool popLine(ScreenRow &row);
    const ScreenRow *lineRow(qint64 line) const;

    int m_rows;
    int m_cols;
    Ring m_screens[2]; // primary, alternate
    int m_active = 0;

    // Scrollback ring: m_sb[(m_sbHead + i) % size] is line i, oldest first.
    std::vector<ScreenRow> m_sb;
    int m_sbHead = 0;
    int m_sbCount = 0;
    int m_sbLimit = TerminalSurface::DefaultScrollback;
    qint64 m_dropped = 0;
    int m_scrollOffset = 0;

    // Cells with combining marks hold an index into m_graphemes.
    std::vector<std::u32string> m_graphemes;
    std::unordered_map<std::u32string, char32_t> m_graphemeIndex;

    int m_dirtyFirst = INT_MAX;
    int m_dirtyLast = -1;
    bool m_historyDirty = false;
};

} // namespace porthole::gui
