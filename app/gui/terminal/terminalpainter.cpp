#include "gui/terminal/terminalpainter.h"

#include "gui/terminal/terminalselection.h"

#include <QFontMetricsF>
#include <QPainter>
#include <QPalette>

#include <algorithm>
#include <cmath>

namespace porthole::gui {
namespace {

// Characters a monospace font draws at exactly one cell; everything else
// (wide chars, symbols from fallback fonts) is placed cell by cell.
bool fitsRun(const TerminalLine &line, int col)
{
    const TerminalLine::Cell &c = line.cells[col];
    return c.width == 1 && c.len == 1 && line.text.at(c.pos).unicode() < 0x250;
}

} // namespace

TerminalPainter::TerminalPainter(const TerminalSurface *surface, const TerminalSelection *selection)
    : m_surface(surface), m_selection(selection)
{
}

void TerminalPainter::setFont(const QFont &font)
{
    QFont base = font;
    base.setKerning(false);
    const QFontMetricsF metrics(base);
    m_cellW = std::max(1, int(std::lround(metrics.horizontalAdvance(QLatin1Char('M')))));
    m_cellH = std::max(1, int(std::ceil(metrics.height())));
    m_ascent = int(std::lround(metrics.ascent()));
    for (int i = 0; i < 4; ++i) {
        QFont f = base;
        f.setBold(i & 1);
        f.setItalic(i & 2);
        // Every glyph advance becomes exactly one cell, so a run of cells is
        // one drawText and still lines up with the grid.
        const double advance = QFontMetricsF(f).horizontalAdvance(QLatin1Char('M'));
        f.setLetterSpacing(QFont::AbsoluteSpacing, m_cellW - advance);
        m_fonts[i] = f;
    }
}

const QFont &TerminalPainter::fontFor(bool bold, bool italic) const
{
    return m_fonts[(bold ? 1 : 0) | (italic ? 2 : 0)];
}

void TerminalPainter::paintRow(QPainter &p, int viewRow, qint64 lineNo, const QPalette &ui)
{
    m_surface->readLine(lineNo, m_line);
    const int cols = int(m_line.cells.size());
    const int y = viewRow * m_cellH;
    const bool screenReverse = m_surface->reverseVideo();
    const TerminalPalette &pal = m_surface->palette();
    m_fg.resize(cols);
    m_bg.resize(cols);
    for (int col = 0; col < cols; ++col) {
        const CellAttributes &a = m_line.cells[col].attrs;
        QColor fg = a.foreground;
        QColor bg = a.defaultBackground ? QColor() : a.background;
        if (screenReverse) {
            fg = fg == pal.foreground ? pal.background : fg;
            bg = bg.isValid() ? bg : pal.foreground;
        }
        if (a.reverse) {
            const QColor shownBg = bg.isValid() ? bg : pal.background;
            bg = fg;
            fg = shownBg;
        }
        if (m_selection->contains(lineNo, col)) {
            fg = ui.color(QPalette::HighlightedText);
            bg = ui.color(QPalette::Highlight);
        }
        m_fg[col] = fg;
        m_bg[col] = bg;
    }
    for (int col = 0; col < cols;) {
        int end = col + 1;
        while (end < cols && m_bg[end] == m_bg[col])
            ++end;
        if (m_bg[col].isValid())
            p.fillRect(col * m_cellW, y, (end - col) * m_cellW, m_cellH, m_bg[col]);
        col = end;
    }
    auto sameStyle = [this](int a, int b) {
        const CellAttributes &x = m_line.cells[a].attrs;
        const CellAttributes &y = m_line.cells[b].attrs;
        return m_fg[a] == m_fg[b] && x.bold == y.bold && x.italic == y.italic
            && x.underline == y.underline && x.strike == y.strike;
    };
    for (int col = 0; col < cols;) {
        if (m_line.cells[col].width == 0) {
            ++col;
            continue;
        }
        int end = col + 1;
        if (fitsRun(m_line, col)) {
            while (end < cols && fitsRun(m_line, end) && sameStyle(col, end))
                ++end;
        } else if (m_line.cells[col].width == 2) {
            end = std::min(cols, col + 2);
        }
        drawRun(p, col, end, y);
        col = end;
    }
}

void TerminalPainter::drawRun(QPainter &p, int from, int to, int y)
{
    const TerminalLine::Cell &first = m_line.cells[from];
    const TerminalLine::Cell &last = m_line.cells[to - 1];
    const QStringView text = QStringView(m_line.text).mid(first.pos, last.pos + last.len - first.pos);
    const int x = from * m_cellW;
    const QColor &fg = m_fg[from];
    if (!text.trimmed().isEmpty()) {
        p.setFont(fontFor(first.attrs.bold, first.attrs.italic));
        p.setPen(fg);
        p.drawText(QPointF(x, y + m_ascent), text.toString());
    }
    const int thickness = std::max(1, m_cellH / 16);
    if (first.attrs.underline)
        p.fillRect(x, y + m_ascent + thickness, (to - from) * m_cellW, thickness, fg);
    if (first.attrs.strike)
        p.fillRect(x, y + m_cellH / 2, (to - from) * m_cellW, thickness, fg);
}

int TerminalPainter::paintCursor(QPainter &p, const QString &preedit, bool focused)
{
    const int viewRow = m_surface->cursorRow() + m_surface->scrollOffset();
    if (viewRow >= m_surface->rows())
        return viewRow;
    const int col = m_surface->cursorCol();
    const QRect cell(col * m_cellW, viewRow * m_cellH, m_cellW, m_cellH);
    const QColor color = m_surface->palette().foreground;
    if (!preedit.isEmpty()) {
        const QFont &font = fontFor(false, false);
        const int width = int(std::ceil(QFontMetricsF(font).horizontalAdvance(preedit)));
        const QRect box(cell.topLeft(), QSize(std::max(width, m_cellW), m_cellH));
        p.fillRect(box, m_surface->palette().background);
        p.setFont(font);
        p.setPen(color);
        p.drawText(QPointF(box.left(), box.top() + m_ascent), preedit);
        p.fillRect(box.left(), box.bottom() - 1, box.width(), 2, color);
        return viewRow;
    }
    if (!m_surface->cursorVisible())
        return viewRow;
    const TerminalCell under = m_surface->cell(viewRow, col);
    const QRect box(cell.topLeft(), QSize(m_cellW * std::max(1, under.width), m_cellH));
    switch (m_surface->cursorShape()) {
    case CursorShape::Underline:
        p.fillRect(box.left(), box.bottom() - 1, box.width(), 2, color);
        break;
    case CursorShape::Bar:
        p.fillRect(box.left(), box.top(), 2, box.height(), color);
        break;
    case CursorShape::Block:
        if (!focused) {
            p.setPen(color);
            p.setBrush(Qt::NoBrush);
            p.drawRect(box.adjusted(0, 0, -1, -1));
            break;
        }
        p.fillRect(box, color);
        if (!under.text.trimmed().isEmpty()) {
            p.setFont(fontFor(under.attrs.bold, under.attrs.italic));
            p.setPen(m_surface->palette().background);
            p.drawText(QPointF(box.left(), box.top() + m_ascent), under.text);
        }
        break;
    }
    return viewRow;
}

} // namespace porthole::gui
