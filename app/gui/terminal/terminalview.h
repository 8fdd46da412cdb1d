// The terminal widget: paints a TerminalSurface (which it owns) and turns
// keys, mouse and clipboard into input for it. The session wiring (pty or
// shim socket) lives elsewhere: it calls feed() with output and sends what
// surface()->bytesToSend carries, and tells the process about
// surface()->resized.
//
// Output is not painted as it arrives: feed() queues it, a zero timer runs
// libvterm over the queue for at most feedBudgetMs() per event-loop turn, and
// damaged rows are repainted on a ~16 ms frame timer, so a flood of output
// never starves input or painting.
//
// Threading: UI thread only.
#pragma once

#include "gui/terminal/terminalpainter.h"
#include "gui/terminal/terminalselection.h"
#include "gui/terminal/terminalsurface.h"

#include <QAbstractScrollArea>
#include <QElapsedTimer>
#include <QFont>
#include <QList>
#include <QTimer>

namespace porthole::gui {

class TerminalView : public QAbstractScrollArea {
    Q_OBJECT
public:
    explicit TerminalView(QWidget *parent = nullptr);
    ~TerminalView() override;

    TerminalSurface *surface() const { return m_surface; }

    // Output of the process; `data` is kept (implicitly shared), not copied.
    void feed(const QByteArray &data);
    // Bytes fed but not yet processed. A reader may stop reading while this
    // is large and resume on feedDrained(), so a flood cannot grow memory.
    qsizetype pendingBytes() const { return m_pendingBytes; }
    void setFeedBudgetMs(int ms) { m_budgetMs = ms; }
    int feedBudgetMs() const { return m_budgetMs; }

    void setTerminalFont(const QFont &font); // resets the zoom
    QFont terminalFont() const { return m_font; }
    QSize cellSize() const { return m_painter.cellSize(); }
    // Points added to the font's size; kept at or above the smallest size.
    int zoom() const { return m_zoom; }
    void setZoom(int steps);

    bool hasSelection() const { return m_selection->hasSelection(); }
    QString selectedText() const { return m_selection->text(); }
    void clearSelection() { m_selection->clear(); }

public Q_SLOTS:
    void zoomIn();
    void zoomOut();
    void resetZoom();
    void copy();           // the selection to the clipboard
    void pasteClipboard(); // the clipboard to the process

Q_SIGNALS:
    void feedDrained();
    // The user zoomed (zoomIn, zoomOut, resetZoom, Ctrl+wheel); setZoom and
    // setTerminalFont do not emit it, so whoever saves the zoom never hears
    // its own write back.
    void zoomChanged(int steps);

protected:
    bool event(QEvent *e) override;
    void paintEvent(QPaintEvent *e) override;
    void resizeEvent(QResizeEvent *e) override;
    void changeEvent(QEvent *e) override;
    void keyPressEvent(QKeyEvent *e) override;
    void inputMethodEvent(QInputMethodEvent *e) override;
    QVariant inputMethodQuery(Qt::InputMethodQuery query) const override;
    void focusInEvent(QFocusEvent *e) override;
    void focusOutEvent(QFocusEvent *e) override;
    bool focusNextPrevChild(bool next) override;
    void mousePressEvent(QMouseEvent *e) override;
    void mouseMoveEvent(QMouseEvent *e) override;
    void mouseReleaseEvent(QMouseEvent *e) override;
    void mouseDoubleClickEvent(QMouseEvent *e) override;
    void wheelEvent(QWheelEvent *e) override;
    void scrollContentsBy(int dx, int dy) override;

private:
    void processFeed();
    void onDamaged(int firstRow, int lastRow);
    void markRowsDirty(int firstViewRow, int lastViewRow);
    void onFrame();
    void scheduleFrame();
    void syncScrollBar();
    void zoomBy(int steps); // 0: back to the font's size
    double basePointSize() const;
    void applyFont();
    void applyColors();
    void updateGridSize();
    void setScrollOffset(int lines);

    TerminalSurface *m_surface;
    TerminalSelection *m_selection;
    TerminalPainter m_painter; // after the surface and selection it reads

    QList<QByteArray> m_feedQueue;
    qsizetype m_feedOffset = 0; // into m_feedQueue.first()
    qsizetype m_pendingBytes = 0;
    int m_budgetMs = 8;
    QTimer m_feedTimer;

    QTimer m_frameTimer;
    int m_dirtyFirst = -1; // view rows
    int m_dirtyLast = -1;
    qint64 m_paintedTop = -1;

    QFont m_font;
    int m_zoom = 0;

    int m_cursorViewRow = -1;
    QString m_preedit;
    bool m_syncingScrollBar = false;
};

} // namespace porthole::gui
