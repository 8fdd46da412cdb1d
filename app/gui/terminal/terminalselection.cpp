#include "gui/terminal/terminalselection.h"

#include <QClipboard>
#include <QGuiApplication>
#include <QMouseEvent>
#include <QStyleHints>
#include <QWheelEvent>

#include <algorithm>

namespace porthole::gui {
namespace {

bool isWordChar(QStringView text)
{
    if (text.isEmpty())
        return true; // the right half of a wide char belongs to it
    const QChar c = text.front();
    return c.isLetterOrNumber() || QStringView(u"-_./~:@+%#?&=,").contains(c);
}

} // namespace

TerminalSelection::TerminalSelection(TerminalSurface *surface, QObject *parent)
    : QObject(parent), m_surface(surface)
{
}

TerminalSelection::CellPos TerminalSelection::cellAt(const QPoint &pos) const
{
    const int row = std::clamp(pos.y() / m_cell.height(), 0, m_surface->rows() - 1);
    const int col = std::clamp(pos.x() / m_cell.width(), 0, m_surface->cols() - 1);
    return {m_surface->viewTopLine() + row, col};
}

bool TerminalSelection::forward(QMouseEvent *e) const
{
    // Shift bypasses an application's mouse mode, as in xterm.
    if (!m_surface->mouseTracking() || (e->modifiers() & Qt::ShiftModifier))
        return false;
    const CellPos cell = cellAt(e->position().toPoint());
    m_surface->sendMouseMove(int(cell.line - m_surface->viewTopLine()), cell.col, e->modifiers());
    const int button = e->button() == Qt::LeftButton ? 1 : e->button() == Qt::MiddleButton ? 2
                     : e->button() == Qt::RightButton ? 3 : 0;
    if (button && e->type() != QEvent::MouseMove)
        m_surface->sendMouseButton(button, e->type() != QEvent::MouseButtonRelease, e->modifiers());
    return true;
}

void TerminalSelection::press(QMouseEvent *e)
{
    if (forward(e))
        return;
    if (e->button() == Qt::MiddleButton) {
        m_surface->paste(QGuiApplication::clipboard()->text(QClipboard::Selection));
        return;
    }
    if (e->button() != Qt::LeftButton)
        return;
    const CellPos cell = cellAt(e->position().toPoint());
    const bool triple = m_sinceDoubleClick.isValid()
                     && m_sinceDoubleClick.elapsed() < QGuiApplication::styleHints()->mouseDoubleClickInterval();
    m_sinceDoubleClick.invalidate();
    m_mode = triple ? Mode::Line : Mode::Char;
    m_anchor = m_current = cell;
    m_hasSelection = triple;
    m_selecting = true;
    update();
}

void TerminalSelection::doubleClick(QMouseEvent *e)
{
    if (forward(e) || e->button() != Qt::LeftButton)
        return;
    m_mode = Mode::Word;
    m_anchor = m_current = cellAt(e->position().toPoint());
    m_hasSelection = m_selecting = true;
    m_sinceDoubleClick.start();
    update();
}

void TerminalSelection::move(QMouseEvent *e, int viewportHeight)
{
    if (forward(e) || !m_selecting)
        return;
    const QPoint pos = e->position().toPoint();
    if (pos.y() < 0)
        Q_EMIT scrollOffsetRequested(m_surface->scrollOffset() + 1);
    else if (pos.y() >= viewportHeight)
        Q_EMIT scrollOffsetRequested(m_surface->scrollOffset() - 1);
    const CellPos cell = cellAt(pos);
    if (cell != m_current || m_mode != Mode::Char) {
        m_current = cell;
        m_hasSelection = true;
        update();
    }
}

void TerminalSelection::release(QMouseEvent *e)
{
    if (forward(e) || e->button() != Qt::LeftButton)
        return;
    m_selecting = false;
    QClipboard *clipboard = QGuiApplication::clipboard();
    if (m_hasSelection && clipboard->supportsSelection())
        clipboard->setText(text(), QClipboard::Selection);
}

void TerminalSelection::wheel(QWheelEvent *e)
{
    // Touchpads and smooth wheels send fractions of a notch.
    m_wheelAccum += e->angleDelta().y();
    const int notches = m_wheelAccum / 120;
    m_wheelAccum -= notches * 120;
    e->accept();
    if (notches == 0)
        return;
    if (e->modifiers() & Qt::ControlModifier) {
        Q_EMIT zoomRequested(notches > 0 ? 1 : -1);
    } else if (m_surface->mouseTracking() && !(e->modifiers() & Qt::ShiftModifier)) {
        for (int i = 0; i < std::abs(notches); ++i)
            m_surface->sendMouseButton(notches > 0 ? 4 : 5, true, e->modifiers());
    } else if (m_surface->alternateScreen()) {
        // less, vi and man scroll with the arrows; they keep no history here.
        const int key = notches > 0 ? Qt::Key_Up : Qt::Key_Down;
        const QByteArray arrow = translateKey(key, Qt::NoModifier, {}, m_surface->keyModes()).bytes;
        m_surface->sendInput(arrow.repeated(3 * std::abs(notches)));
    } else {
        Q_EMIT scrollOffsetRequested(m_surface->scrollOffset() + 3 * notches);
    }
}

void TerminalSelection::update()
{
    CellPos begin = std::min(m_anchor, m_current);
    CellPos end = std::max(m_anchor, m_current);
    switch (m_mode) {
    case Mode::Char:
        break;
    case Mode::Word:
        begin.col = wordEdge(begin.line, begin.col, -1);
        end.col = wordEdge(end.line, end.col, +1);
        break;
    case Mode::Line:
        begin.col = 0;
        end.col = m_surface->cols() - 1;
        break;
    }
    // A wide char selected by either half is selected whole.
    TerminalLine line;
    m_surface->readLine(begin.line, line);
    if (begin.col > 0 && begin.col < int(line.cells.size()) && line.cells[begin.col].width == 0)
        --begin.col;
    m_surface->readLine(end.line, line);
    if (end.col + 1 < int(line.cells.size()) && line.cells[end.col].width == 2)
        ++end.col;
    m_begin = begin;
    m_end = end;
    Q_EMIT changed();
}

int TerminalSelection::wordEdge(qint64 lineNo, int col, int step) const
{
    TerminalLine line;
    m_surface->readLine(lineNo, line);
    const int cols = int(line.cells.size());
    if (!isWordChar(line.cellText(col)) || line.cellText(col) == u" ")
        return col;
    while (col + step >= 0 && col + step < cols && isWordChar(line.cellText(col + step))
           && line.cellText(col + step) != u" ")
        col += step;
    return col;
}

bool TerminalSelection::contains(qint64 line, int col) const
{
    const CellPos here{line, col};
    return m_hasSelection && m_begin <= here && here <= m_end;
}

QString TerminalSelection::text() const
{
    if (!m_hasSelection)
        return {};
    return m_surface->text(m_begin.line, m_begin.col, m_end.line, m_end.col + 1);
}

void TerminalSelection::clear()
{
    if (!m_hasSelection)
        return;
    m_hasSelection = m_selecting = false;
    Q_EMIT changed();
}

} // namespace porthole::gui
