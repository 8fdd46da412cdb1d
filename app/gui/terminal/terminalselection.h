// The mouse over a terminal view: selecting text (drag, double-click for a
// word, triple-click for a line, dragging past an edge scrolls), the X11
// primary selection (set on release, pasted with the middle button), the
// wheel (history, zoom with Ctrl, arrows on the alternate screen), and mouse
// reports to applications that asked for them (Shift overrides, as in xterm).
//
// It holds no widget: the view passes its viewport's mouse events in and
// acts on the signals, so the selection rules are kept apart from painting.
// Positions are lines of the surface (see TerminalSurface::readLine), so a
// selection stays on its text while output scrolls it.
//
// Threading: UI thread only.
#pragma once

#include "gui/terminal/terminalsurface.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPoint>
#include <QSize>

class QMouseEvent;
class QWheelEvent;

namespace porthole::gui {

class TerminalSelection : public QObject {
    Q_OBJECT
public:
    // The surface must outlive this object.
    explicit TerminalSelection(TerminalSurface *surface, QObject *parent = nullptr);

    void setCellSize(QSize size) { m_cell = size; }

    // The viewport's events, in its coordinates.
    void press(QMouseEvent *e);
    void doubleClick(QMouseEvent *e);
    void move(QMouseEvent *e, int viewportHeight);
    void release(QMouseEvent *e);
    void wheel(QWheelEvent *e);

    bool hasSelection() const { return m_hasSelection; }
    bool contains(qint64 line, int col) const;
    QString text() const;
    void clear();

Q_SIGNALS:
    void changed();                         // repaint what is shown selected
    void scrollOffsetRequested(int lines);  // TerminalSurface::scrollOffset to show
    void zoomRequested(int steps);          // +1 in, -1 out

private:
    struct CellPos {
        qint64 line = 0;
        int col = 0;
        auto operator<=>(const CellPos &) const = default;
    };
    enum class Mode { Char, Word, Line };

    CellPos cellAt(const QPoint &pos) const;
    bool forward(QMouseEvent *e) const;
    void update();
    int wordEdge(qint64 line, int col, int step) const;

    TerminalSurface *m_surface;
    QSize m_cell{8, 16};
    bool m_hasSelection = false;
    bool m_selecting = false;
    Mode m_mode = Mode::Char;
    CellPos m_anchor;
    CellPos m_current;
    CellPos m_begin; // m_anchor..m_current widened to words, lines, wide chars
    CellPos m_end;   // inclusive
    QElapsedTimer m_sinceDoubleClick;
    int m_wheelAccum = 0;
};

} // namespace porthole::gui
