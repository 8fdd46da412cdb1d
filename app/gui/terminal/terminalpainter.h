// Paints a TerminalSurface on a grid of cells: rows (colours, reverse video,
// the selection, runs of text, underline and strike) and the cursor or the
// input method's preedit text. It also owns the font metrics that fix the
// grid: one cell size and four styled fonts whose advances are snapped to it.
//
// Holds no widget. The surface and selection are not owned and must outlive
// the painter. Threading: UI thread only, as the view that owns it.
#pragma once

#include "gui/terminal/terminalsurface.h"

#include <QColor>
#include <QFont>
#include <QSize>

#include <vector>

class QPainter;
class QPalette;

namespace porthole::gui {

class TerminalSelection;

class TerminalPainter {
public:
    TerminalPainter(const TerminalSurface *surface, const TerminalSelection *selection);

    // Measures `base` (already zoomed) and derives the cell size and the
    // styled fonts from it.
    void setFont(const QFont &base);
    QSize cellSize() const { return {m_cellW, m_cellH}; }
    int cellWidth() const { return m_cellW; }
    int cellHeight() const { return m_cellH; }
    const QFont &fontFor(bool bold, bool italic) const;

    // One screen row, from the surface's line `lineNo`, at view row
    // `viewRow`; `ui` gives the selection's colours.
    void paintRow(QPainter &p, int viewRow, qint64 lineNo, const QPalette &ui);
    // The cursor, or `preedit` at its place while an input method composes;
    // an unfocused block cursor is drawn hollow. Returns the view row of the
    // cursor (may be past the last row when scrolled back).
    int paintCursor(QPainter &p, const QString &preedit, bool focused);

private:
    void drawRun(QPainter &p, int from, int to, int y);

    const TerminalSurface *m_surface;
    const TerminalSelection *m_selection;

    QFont m_fonts[4]; // regular, bold, italic, bold italic: advances snapped to the cell
    int m_cellW = 8;
    int m_cellH = 16;
    int m_ascent = 12;

    // Per-row paint scratch, kept to avoid allocating for every row.
    TerminalLine m_line;
    std::vector<QColor> m_fg;
    std::vector<QColor> m_bg; // invalid: the default background
};

} // namespace porthole::gui
