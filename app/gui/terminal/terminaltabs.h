// Terminal sessions in tabs, each tab a TerminalView wired to one
// TerminalSession. Closing a tab detaches its session (an attach leaves the
// container running, a shell is hung up); an ended session keeps its tab,
// marked "(exited N)", until the user closes it. Copy, paste and zoom act on
// the current tab, from the views' context menu or from actions() for the
// window's menus.
//
// Threading: UI thread only.
#pragma once

#include <QFont>
#include <QHash>
#include <QTabWidget>

class QAction;

namespace porthole::gui {

class TerminalSession;
class TerminalView;

class TerminalTabs : public QTabWidget {
    Q_OBJECT
public:
    explicit TerminalTabs(QWidget *parent = nullptr);
    ~TerminalTabs() override;

    // Takes the session (it becomes a child of this), shows it in a new
    // current tab with a new view and starts it. Returns the tab's index.
    int addSession(const QString &title, TerminalSession *session);
    TerminalSession *sessionAt(int index) const;
    TerminalView *viewAt(int index) const;
    TerminalView *currentView() const;
    // What the close button does: detaches the session, removes the tab and
    // deletes both.
    void closeSession(int index);

    // For every view, present and future (the font from the settings).
    // Resets the views' zoom to terminalZoom().
    void setTerminalFont(const QFont &font);
    QFont terminalFont() const { return m_font; }
    // The zoom steps of every view, present and future; also follows the
    // last zoom the user made in any tab, so a new tab starts there.
    void setTerminalZoom(int steps);
    int terminalZoom() const { return m_zoom; }

    QAction *copyAction() const { return m_copy; }
    QAction *pasteAction() const { return m_paste; }
    QAction *zoomInAction() const { return m_zoomIn; }
    QAction *zoomOutAction() const { return m_zoomOut; }
    QAction *resetZoomAction() const { return m_resetZoom; }

    // The tab's text: the title, and how the session ended once it has.
    static QString sessionTabText(const QString &title, const TerminalSession &session);

Q_SIGNALS:
    void sessionEnded(int index);
    // The user zoomed a view (the steps it is at now); to be saved.
    void zoomChanged(int steps);

private:
    int indexOfSession(const TerminalSession *session) const;
    void showContextMenu(TerminalView *view, const QPoint &pos);
    void updateActions();

    struct Tab {
        TerminalSession *session = nullptr;
        QString title;
    };
    QHash<const QWidget *, Tab> m_tabs; // by view
    QFont m_font;
    bool m_hasFont = false;
    int m_zoom = 0;
    QAction *m_copy;
    QAction *m_paste;
    QAction *m_zoomIn;
    QAction *m_zoomOut;
    QAction *m_resetZoom;
};

} // namespace porthole::gui
