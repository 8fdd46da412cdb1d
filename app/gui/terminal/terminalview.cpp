#include "gui/terminal/terminalview.h"

#include <QApplication>
#include <QClipboard>
#include <QFontDatabase>
#include <QKeyEvent>
#include <QPainter>
#include <QScrollBar>

#include <algorithm>
#include <cmath>

namespace porthole::gui {
namespace {

constexpr qsizetype WriteChunk = 64 * 1024; // libvterm slice between budget checks
constexpr int FrameMs = 16;
constexpr double MinPointSize = 4.0;

} // namespace

TerminalView::TerminalView(QWidget *parent)
    : QAbstractScrollArea(parent), m_surface(new TerminalSurface(24, 80, this)),
      m_selection(new TerminalSelection(m_surface, this)), m_painter(m_surface, m_selection)
{
    setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOn); // no width feedback into cols
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setFocusPolicy(Qt::StrongFocus);
    setAttribute(Qt::WA_InputMethodEnabled);
    viewport()->setAttribute(Qt::WA_OpaquePaintEvent);
    viewport()->setCursor(Qt::IBeamCursor);

    m_feedTimer.setInterval(0);
    connect(&m_feedTimer, &QTimer::timeout, this, &TerminalView::processFeed);
    m_frameTimer.setSingleShot(true);
    m_frameTimer.setInterval(FrameMs);
    connect(&m_frameTimer, &QTimer::timeout, this, &TerminalView::onFrame);

    connect(m_surface, &TerminalSurface::damaged, this, &TerminalView::onDamaged);
    connect(m_surface, &TerminalSurface::scrollbackChanged, this, &TerminalView::scheduleFrame);
    connect(m_surface, &TerminalSurface::cursorMoved, this, [this](int row, int) {
        markRowsDirty(m_cursorViewRow, m_cursorViewRow);
        markRowsDirty(row + m_surface->scrollOffset(), row + m_surface->scrollOffset());
    });
    auto repaintCursor = [this] {
        const int row = m_surface->cursorRow() + m_surface->scrollOffset();
        markRowsDirty(row, row);
    };
    connect(m_surface, &TerminalSurface::cursorVisibilityChanged, this, repaintCursor);
    connect(m_surface, &TerminalSurface::cursorShapeChanged, this, repaintCursor);
    connect(m_surface, &TerminalSurface::alternateScreenChanged, this, [this] {
        clearSelection();
        markRowsDirty(0, m_surface->rows() - 1);
    });
    connect(m_selection, &TerminalSelection::changed, viewport(), qOverload<>(&QWidget::update));
    connect(m_selection, &TerminalSelection::scrollOffsetRequested, this, &TerminalView::setScrollOffset);
    connect(m_selection, &TerminalSelection::zoomRequested, this,
            [this](int steps) { steps > 0 ? zoomIn() : zoomOut(); });
    connect(verticalScrollBar(), &QScrollBar::valueChanged, this, [this](int value) {
        if (!m_syncingScrollBar)
            setScrollOffset(verticalScrollBar()->maximum() - value);
    });

    setTerminalFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    applyColors();
}

TerminalView::~TerminalView() = default;

void TerminalView::feed(const QByteArray &data)
{
    if (data.isEmpty())
        return;
    m_feedQueue.append(data);
    m_pendingBytes += data.size();
    if (!m_feedTimer.isActive())
        m_feedTimer.start();
}

void TerminalView::processFeed()
{
    QElapsedTimer clock;
    clock.start();
    while (!m_feedQueue.isEmpty() && clock.elapsed() < m_budgetMs) {
        const QByteArray &front = m_feedQueue.first();
        const qsizetype n = std::min(WriteChunk, front.size() - m_feedOffset);
        m_surface->write(QByteArray::fromRawData(front.constData() + m_feedOffset, n));
        m_feedOffset += n;
        m_pendingBytes -= n;
        if (m_feedOffset == front.size()) {
            m_feedQueue.removeFirst();
            m_feedOffset = 0;
        }
    }
    if (m_feedQueue.isEmpty()) {
        m_feedTimer.stop();
        Q_EMIT feedDrained();
    }
}

void TerminalView::onDamaged(int firstRow, int lastRow)
{
    const int offset = m_surface->scrollOffset();
    markRowsDirty(firstRow + offset, lastRow + offset);
}

void TerminalView::markRowsDirty(int firstViewRow, int lastViewRow)
{
    firstViewRow = std::max(firstViewRow, 0);
    lastViewRow = std::min(lastViewRow, m_surface->rows() - 1);
    if (firstViewRow > lastViewRow)
        return;
    m_dirtyFirst = m_dirtyFirst < 0 ? firstViewRow : std::min(m_dirtyFirst, firstViewRow);
    m_dirtyLast = std::max(m_dirtyLast, lastViewRow);
    scheduleFrame();
}

void TerminalView::scheduleFrame()
{
    if (!m_frameTimer.isActive())
        m_frameTimer.start();
}

void TerminalView::onFrame()
{
    syncScrollBar();
    if (m_surface->viewTopLine() != m_paintedTop) {
        viewport()->update(); // scrolled: every row shows another line
    } else if (m_dirtyFirst >= 0) {
        const int cellH = m_painter.cellHeight();
        viewport()->update(QRect(0, m_dirtyFirst * cellH, viewport()->width(), (m_dirtyLast - m_dirtyFirst + 1) * cellH));
    }
    m_dirtyFirst = m_dirtyLast = -1;
}

void TerminalView::syncScrollBar()
{
    QScrollBar *bar = verticalScrollBar();
    const int history = m_surface->scrollbackSize();
    m_syncingScrollBar = true;
    bar->setRange(0, history);
    bar->setPageStep(m_surface->rows());
    bar->setValue(history - m_surface->scrollOffset());
    m_syncingScrollBar = false;
}

void TerminalView::setScrollOffset(int lines)
{
    m_surface->setScrollOffset(lines);
    syncScrollBar();
    viewport()->update();
}

void TerminalView::scrollContentsBy(int, int)
{
    // Scrolling is repainting from the surface; valueChanged already did it.
}

void TerminalView::setTerminalFont(const QFont &font)
{
    m_font = font;
    m_font.setStyleHint(QFont::TypeWriter);
    m_zoom = 0;
    applyFont();
}

void TerminalView::setZoom(int steps)
{
    // Steps below the smallest size would change nothing on screen, yet
    // take as many Ctrl+= to come back (and be saved in the settings).
    steps = std::max(steps, static_cast<int>(std::ceil(MinPointSize - basePointSize())));
    if (steps == m_zoom)
        return;
    m_zoom = steps;
    applyFont();
}

void TerminalView::zoomBy(int steps)
{
    const int before = m_zoom;
    setZoom(steps == 0 ? 0 : m_zoom + steps);
    if (m_zoom != before)
        Q_EMIT zoomChanged(m_zoom);
}

void TerminalView::zoomIn() { zoomBy(1); }
void TerminalView::zoomOut() { zoomBy(-1); }
void TerminalView::resetZoom() { zoomBy(0); }

double TerminalView::basePointSize() const
{
    return m_font.pointSizeF() > 0 ? m_font.pointSizeF() : 10.0;
}

void TerminalView::applyFont()
{
    QFont base = m_font;
    base.setPointSizeF(std::max(MinPointSize, basePointSize() + m_zoom));
    m_painter.setFont(base);
    m_selection->setCellSize(m_painter.cellSize());
    updateGridSize();
    viewport()->update();
}

void TerminalView::applyColors()
{
    // The defaults follow the widget palette, so a dark desktop theme gives a
    // dark terminal.
    TerminalPalette p = m_surface->palette();
    p.foreground = palette().color(QPalette::Text);
    p.background = palette().color(QPalette::Base);
    m_surface->setPalette(p);
    viewport()->update();
}

void TerminalView::updateGridSize()
{
    const QSize area = viewport()->size();
    const int cols = std::max(1, area.width() / m_painter.cellWidth());
    const int rows = std::max(1, area.height() / m_painter.cellHeight());
    if (rows != m_surface->rows() || cols != m_surface->cols()) {
        clearSelection();
        m_surface->resize(rows, cols);
        syncScrollBar();
        viewport()->update();
    }
}

void TerminalView::resizeEvent(QResizeEvent *e)
{
    QAbstractScrollArea::resizeEvent(e);
    updateGridSize();
}

void TerminalView::changeEvent(QEvent *e)
{
    QAbstractScrollArea::changeEvent(e);
    if (e->type() == QEvent::PaletteChange || e->type() == QEvent::StyleChange)
        applyColors();
}

void TerminalView::paintEvent(QPaintEvent *e)
{
    QPainter p(viewport());
    const QColor background = m_surface->reverseVideo() ? m_surface->palette().foreground
                                                        : m_surface->palette().background;
    p.fillRect(e->rect(), background);
    const int cellH = m_painter.cellHeight();
    const int first = std::max(0, e->rect().top() / cellH);
    const int last = std::min(m_surface->rows() - 1, e->rect().bottom() / cellH);
    const qint64 top = m_surface->viewTopLine();
    for (int row = first; row <= last; ++row)
        m_painter.paintRow(p, row, top + row, palette());
    if (e->rect().contains(viewport()->rect()))
        m_paintedTop = top; // a partial paint leaves other rows showing an older top

    m_cursorViewRow = m_painter.paintCursor(p, m_preedit, hasFocus());
}

bool TerminalView::event(QEvent *e)
{
    // Ctrl+letter and friends belong to the shell, not to window shortcuts;
    // Ctrl+Shift combinations other than copy/paste are left to the window.
    if (e->type() == QEvent::ShortcutOverride) {
        auto *ke = static_cast<QKeyEvent *>(e);
        const Qt::KeyboardModifiers mods = ke->modifiers();
        const bool windowChord = (mods & Qt::ControlModifier) && (mods & Qt::ShiftModifier);
        const KeyResult r = translateKey(ke->key(), mods, ke->text(), m_surface->keyModes());
        if (r.action != KeyAction::None && (!windowChord || r.action != KeyAction::Send)) {
            ke->accept();
            return true;
        }
    }
    return QAbstractScrollArea::event(e);
}

void TerminalView::keyPressEvent(QKeyEvent *e)
{
    const KeyResult r = translateKey(e->key(), e->modifiers(), e->text(), m_surface->keyModes());
    const bool wasScrolledBack = m_surface->scrollOffset() > 0;
    const int page = std::max(1, m_surface->rows() - 1);
    switch (r.action) {
    case KeyAction::None: QAbstractScrollArea::keyPressEvent(e); return;
    case KeyAction::Send: m_surface->sendInput(r.bytes); break;
    case KeyAction::Copy: copy(); break;
    case KeyAction::Paste: pasteClipboard(); break;
    case KeyAction::PasteSelection:
        m_surface->paste(QGuiApplication::clipboard()->text(QClipboard::Selection));
        break;
    case KeyAction::ScrollPageUp: setScrollOffset(m_surface->scrollOffset() + page); break;
    case KeyAction::ScrollPageDown: setScrollOffset(m_surface->scrollOffset() - page); break;
    case KeyAction::ZoomIn: zoomIn(); break;
    case KeyAction::ZoomOut: zoomOut(); break;
    case KeyAction::ZoomReset: resetZoom(); break;
    }
    e->accept();
    if (r.action == KeyAction::Send && wasScrolledBack) {
        syncScrollBar();
        viewport()->update();
    }
}

void TerminalView::inputMethodEvent(QInputMethodEvent *e)
{
    if (!e->commitString().isEmpty())
        m_surface->sendInput(e->commitString().toUtf8());
    m_preedit = e->preeditString();
    markRowsDirty(m_cursorViewRow, m_cursorViewRow);
    e->accept();
}

QVariant TerminalView::inputMethodQuery(Qt::InputMethodQuery query) const
{
    const QSize cell = m_painter.cellSize();
    const QRect cursor(QPoint(m_surface->cursorCol() * cell.width(),
                              (m_surface->cursorRow() + m_surface->scrollOffset()) * cell.height()),
                       cell);
    switch (query) {
    case Qt::ImEnabled: return true;
    case Qt::ImCursorRectangle: return cursor;
    case Qt::ImFont: return m_painter.fontFor(false, false);
    default: return QAbstractScrollArea::inputMethodQuery(query);
    }
}

void TerminalView::focusInEvent(QFocusEvent *e)
{
    QAbstractScrollArea::focusInEvent(e);
    m_surface->setFocused(true);
    markRowsDirty(m_cursorViewRow, m_cursorViewRow);
}

void TerminalView::focusOutEvent(QFocusEvent *e)
{
    QAbstractScrollArea::focusOutEvent(e);
    m_surface->setFocused(false);
    markRowsDirty(m_cursorViewRow, m_cursorViewRow);
}

bool TerminalView::focusNextPrevChild(bool)
{
    return false; // Tab and Shift+Tab go to the shell
}

void TerminalView::mousePressEvent(QMouseEvent *e) { m_selection->press(e); }
void TerminalView::mouseDoubleClickEvent(QMouseEvent *e) { m_selection->doubleClick(e); }
void TerminalView::mouseMoveEvent(QMouseEvent *e) { m_selection->move(e, viewport()->height()); }
void TerminalView::mouseReleaseEvent(QMouseEvent *e) { m_selection->release(e); }
void TerminalView::wheelEvent(QWheelEvent *e) { m_selection->wheel(e); }

void TerminalView::copy()
{
    if (hasSelection())
        QGuiApplication::clipboard()->setText(selectedText());
}

void TerminalView::pasteClipboard()
{
    m_surface->paste(QGuiApplication::clipboard()->text());
}

} // namespace porthole::gui
