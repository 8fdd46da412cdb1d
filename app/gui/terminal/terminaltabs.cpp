#include "gui/terminal/terminaltabs.h"

#include "gui/terminal/terminalsession.h"
#include "gui/terminal/terminalview.h"

#include <QAction>
#include <QGuiApplication>
#include <QMenu>

namespace porthole::gui {

TerminalTabs::TerminalTabs(QWidget *parent) : QTabWidget(parent)
{
    setTabsClosable(true);
    setMovable(true);
    setDocumentMode(true);
    connect(this, &QTabWidget::tabCloseRequested, this, &TerminalTabs::closeSession);
    connect(this, &QTabWidget::currentChanged, this, &TerminalTabs::updateActions);

    auto makeAction = [this](const QString &text, const QKeySequence &keys, auto slot) {
        auto *action = new QAction(text, this);
        // The view takes these keys itself while it has focus (the shell
        // must not see them); the shortcut is shown in menus and works when
        // another widget of the window has focus.
        action->setShortcut(keys);
        action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        connect(action, &QAction::triggered, this, [this, slot] {
            if (TerminalView *view = currentView())
                (view->*slot)();
        });
        addAction(action);
        return action;
    };
    m_copy = makeAction(tr("&Copy"), QKeySequence(QStringLiteral("Ctrl+Shift+C")), &TerminalView::copy);
    m_paste = makeAction(tr("&Paste"), QKeySequence(QStringLiteral("Ctrl+Shift+V")), &TerminalView::pasteClipboard);
    m_zoomIn = makeAction(tr("Zoom &In"), QKeySequence(QStringLiteral("Ctrl+=")), &TerminalView::zoomIn);
    m_zoomOut = makeAction(tr("Zoom &Out"), QKeySequence(QStringLiteral("Ctrl+-")), &TerminalView::zoomOut);
    m_resetZoom = makeAction(tr("&Reset Zoom"), QKeySequence(QStringLiteral("Ctrl+0")), &TerminalView::resetZoom);
    updateActions();
}

TerminalTabs::~TerminalTabs()
{
    // Before the views go: a session must not outlive its view attached.
    for (const Tab &tab : std::as_const(m_tabs))
        tab.session->detach();
}

int TerminalTabs::addSession(const QString &title, TerminalSession *session)
{
    auto *view = new TerminalView(this);
    if (m_hasFont)
        view->setTerminalFont(m_font);
    view->setZoom(m_zoom);
    connect(view, &TerminalView::zoomChanged, this, [this](int steps) {
        m_zoom = steps;
        Q_EMIT zoomChanged(steps);
    });
    view->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(view, &QWidget::customContextMenuRequested, this,
            [this, view](const QPoint &pos) { showContextMenu(view, pos); });
    session->setParent(this);
    m_tabs.insert(view, Tab{session, title});
    connect(session, &TerminalSession::ended, this, [this, session] {
        const int index = indexOfSession(session);
        if (index < 0)
            return;
        setTabText(index, sessionTabText(m_tabs.value(widget(index)).title, *session));
        setTabToolTip(index, session->errorText());
        Q_EMIT sessionEnded(index);
    });
    const int index = addTab(view, title);
    setCurrentIndex(index);
    view->setFocus();
    session->start(view);
    updateActions();
    return index;
}

TerminalSession *TerminalTabs::sessionAt(int index) const
{
    return m_tabs.value(widget(index)).session;
}

TerminalView *TerminalTabs::viewAt(int index) const
{
    return qobject_cast<TerminalView *>(widget(index));
}

TerminalView *TerminalTabs::currentView() const
{
    return viewAt(currentIndex());
}

int TerminalTabs::indexOfSession(const TerminalSession *session) const
{
    for (int i = 0; i < count(); ++i) {
        if (m_tabs.value(widget(i)).session == session)
            return i;
    }
    return -1;
}

void TerminalTabs::closeSession(int index)
{
    QWidget *view = widget(index);
    if (!view)
        return;
    const Tab tab = m_tabs.take(view);
    removeTab(index);
    if (tab.session) {
        tab.session->detach();
        tab.session->deleteLater();
    }
    view->deleteLater();
    updateActions();
}

void TerminalTabs::setTerminalFont(const QFont &font)
{
    m_font = font;
    m_hasFont = true;
    for (int i = 0; i < count(); ++i) {
        if (TerminalView *view = viewAt(i)) {
            view->setTerminalFont(font);
            view->setZoom(m_zoom);
        }
    }
}

void TerminalTabs::setTerminalZoom(int steps)
{
    m_zoom = steps;
    for (int i = 0; i < count(); ++i) {
        if (TerminalView *view = viewAt(i))
            view->setZoom(steps);
    }
}

QString TerminalTabs::sessionTabText(const QString &title, const TerminalSession &session)
{
    if (session.state() != TerminalSession::State::Ended)
        return title;
    if (const std::optional<int> code = session.exitCode())
        return tr("%1 (exited %2)").arg(title).arg(*code);
    return tr("%1 (ended)").arg(title);
}

void TerminalTabs::showContextMenu(TerminalView *view, const QPoint &pos)
{
    // An application that reads the mouse gets the right button; Shift
    // brings the menu back, as in xterm.
    if (view->surface()->mouseTracking() && !(QGuiApplication::keyboardModifiers() & Qt::ShiftModifier))
        return;
    setCurrentWidget(view);
    updateActions();
    QMenu menu(view);
    menu.addAction(m_copy);
    menu.addAction(m_paste);
    menu.addSeparator();
    menu.addAction(m_zoomIn);
    menu.addAction(m_zoomOut);
    menu.addAction(m_resetZoom);
    menu.exec(view->viewport()->mapToGlobal(pos));
}

void TerminalTabs::updateActions()
{
    const TerminalView *view = currentView();
    for (QAction *action : {m_copy, m_paste, m_zoomIn, m_zoomOut, m_resetZoom})
        action->setEnabled(view != nullptr);
}

} // namespace porthole::gui
