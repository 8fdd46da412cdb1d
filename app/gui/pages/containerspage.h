// ContainersPage: every container like `ps -a`, with the live state the
// store watcher reports, filtered by ID, name, image or status. Actions on
// the selected container go through EngineService: Start, Stop, Kill,
// Restart, Pause, Unpause, Remove, Commit (CommitDialog), Export (to a tar
// file); each is enabled only in the states where it makes sense. Logs
// (LogsWindow, following the log) and Diff (ChangesWindow, the live diff
// while the container runs) open windows of their own; Attach and Open shell
// add a tab to the terminal window. Threading: UI thread.
#pragma once

#include "gui/pages/page.h"
#include "service/engineservice.h"

#include <optional>

class QAction;
class QLineEdit;
class QTableView;

namespace porthole::gui {

class ChangesWindow;
class ContainerListModel;
class FilterProxy;
class LogsWindow;
class TerminalSession;
class TerminalTabs;

class ContainersPage : public Page {
    Q_OBJECT
public:
    explicit ContainersPage(service::EngineService *service, QWidget *parent = nullptr);

    QWidget *primaryWidget() override;
    ContainerListModel *model() const { return m_model; }
    QTableView *view() const { return m_view; }
    QLineEdit *filterEdit() const { return m_filter; }
    std::optional<service::ContainerRow> currentContainer() const;

    QAction *startAction() const { return m_start; }
    QAction *stopAction() const { return m_stop; }
    QAction *killAction() const { return m_kill; }
    QAction *restartAction() const { return m_restart; }
    QAction *pauseAction() const { return m_pause; }
    QAction *unpauseAction() const { return m_unpause; }
    QAction *removeAction() const { return m_remove; }
    QAction *commitAction() const { return m_commit; }
    QAction *logsAction() const { return m_logs; }
    QAction *exportAction() const { return m_export; }
    QAction *diffAction() const { return m_diff; }
    QAction *attachAction() const { return m_attach; }
    QAction *shellAction() const { return m_shell; }
    // The terminal window (made on first use; shown and raised), in the
    // settings' terminal font and zoom; it follows a save of the settings
    // and saves the zoom the user sets.
    TerminalTabs *terminals();

public Q_SLOTS:
    void removeSelected();
    void commitSelected();
    // Asks for a file, then exports the selected container to it.
    void exportSelected();
    quint64 exportContainer(const QString &container, const QString &path);
    LogsWindow *showLogs();
    ChangesWindow *showChanges();
    // Terminal sessions in the terminal window: the container's main
    // process through its shim (attach), or a new shell in it (exec).
    TerminalSession *attachSelected();
    TerminalSession *openShellSelected();

private:
    void act(service::EngineService::ContainerAction action);
    void updateActions();

    service::EngineService *m_service = nullptr;
    ContainerListModel *m_model = nullptr;
    FilterProxy *m_proxy = nullptr;
    QTableView *m_view = nullptr;
    QLineEdit *m_filter = nullptr;
    QAction *m_start = nullptr;
    QAction *m_stop = nullptr;
    QAction *m_kill = nullptr;
    QAction *m_restart = nullptr;
    QAction *m_pause = nullptr;
    QAction *m_unpause = nullptr;
    QAction *m_remove = nullptr;
    QAction *m_commit = nullptr;
    QAction *m_logs = nullptr;
    QAction *m_export = nullptr;
    QAction *m_diff = nullptr;
    QAction *m_attach = nullptr;
    QAction *m_shell = nullptr;
    TerminalTabs *m_terminals = nullptr;
};

} // namespace porthole::gui
