// Page: one view of the main window's stack (images, containers, volumes,
// jobs). A page owns its toolbar actions; MainWindow shows the current
// page's actions in its toolbar. The actions are also added to the page
// widget itself, so their shortcuts work only while the page is visible
// (Delete removes an image on the images page, a container on the
// containers page). Threading: UI thread.
#pragma once

#include <QWidget>

#include <functional>

class QAction;
class QKeySequence;
class QLineEdit;
class QTableView;

namespace porthole::service {
class Job;
}

namespace porthole::gui {

class Page : public QWidget {
    Q_OBJECT
public:
    using QWidget::QWidget;

    // In toolbar order; nullptr marks a separator.
    const QList<QAction *> &toolbarActions() const { return m_toolbar; }
    // The widget that takes the focus when the page is shown.
    virtual QWidget *primaryWidget() = 0;

Q_SIGNALS:
    // A job this page started (its handle: service/job.h). `owner` is a
    // dialog that shows the job's outcome itself while it is open; null when
    // nothing does, so the window tells the user of a failure in a
    // notification.
    void jobStarted(porthole::service::Job *job, QWidget *owner);
    // A short sentence for the status bar (a refused action, a hint).
    void message(const QString &text);

protected:
    QAction *addPageAction(const QString &text, const QString &iconName, const QKeySequence &key);
    void addToolbarSeparator() { m_toolbar.append(nullptr); }
    // Disables an action the engine service cannot do yet, and says why.
    static void markUnavailable(QAction *action, const QString &why);
    // Enables an action when `on`, unless it is marked unavailable.
    static void enableIf(QAction *action, bool on);
    // A table of whole rows, one selected at a time, sorted by its header.
    static void setUpTable(QTableView *view, const QString &accessibleName);
    // Calls `changed` whenever the table's current row, or what it holds,
    // may have changed: the current row or the selection moves (either can
    // change without the other), or the model's rows change, reset or go.
    // For a page's updateActions. The view's model must be set.
    void watchCurrentRow(QTableView *view, const std::function<void()> &changed);
    // A filter field with a clear button; Ctrl+F (Find) on the page focuses it.
    QLineEdit *makeFilterEdit(const QString &placeholder);

private:
    QList<QAction *> m_toolbar;
};

} // namespace porthole::gui
