// The main window: a sidebar of pages (Images, Containers, Volumes, Jobs)
// in a stack, a toolbar and an Actions menu with the current page's
// actions, the CLI command equivalent to the last action in a line the user
// can copy, and a status bar with the running jobs' overall progress and
// the store. Tarballs dropped onto it are loaded or imported (ArchiveDrop).
// It reaches the engine only through the EngineService it is given, which
// must outlive it; it owns nothing of the engine.
// Lives on the UI thread.
#pragma once

#include <QHash>
#include <QMainWindow>
#include <QPointer>

class QLabel;
class QListWidget;
class QMenu;
class QProgressBar;
class QStackedWidget;
class QToolBar;

namespace porthole::service {
class EngineService;
class Job;
struct JobStatus;
}

namespace porthole::gui {

class CleanupDialog;

class ArchiveDrop;
class CommandPreview;
class ContainersPage;
class ImagesPage;
class JobListModel;
class JobsPage;
class Page;
class VolumesPage;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    enum PageIndex { ImagesIndex, ContainersIndex, VolumesIndex, JobsIndex, PageCount };

    explicit MainWindow(service::EngineService *service, QWidget *parent = nullptr);

    int currentPage() const;
    void showPage(int index);
    Page *page(int index) const;
    ImagesPage *imagesPage() const { return m_images; }
    ContainersPage *containersPage() const { return m_containers; }
    VolumesPage *volumesPage() const { return m_volumes; }
    JobsPage *jobsPage() const { return m_jobsPage; }
    JobListModel *jobs() const { return m_jobs; }
    QListWidget *sidebar() const { return m_sidebar; }
    QToolBar *pageToolBar() const { return m_toolbar; }
    CommandPreview *commandLine() const { return m_command; }
    QProgressBar *jobProgress() const { return m_progress; }
    QString storeText() const;
    ArchiveDrop *archiveDrop() const { return m_drop; }

public Q_SLOTS:
    void openSettings();
    // File > Clean up: shown window-modal, not waited for; deletes itself on close.
    CleanupDialog *openCleanup();
    // What a drop does: each archive is probed, then loaded or imported.
    void openArchives(const QStringList &paths);

protected:
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dragMoveEvent(QDragMoveEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    void addPage(Page *page, const QString &title, const QString &iconName);
    void onJobChanged(const service::JobStatus &status);
    void onJobStarted(service::Job *job, QWidget *owner);
    void notifyFailure(const service::JobStatus &status);
    void updateProgress();
    void updatePageActions();
    void createMenus();

    service::EngineService *m_service = nullptr;
    JobListModel *m_jobs = nullptr;
    QListWidget *m_sidebar = nullptr;
    QStackedWidget *m_stack = nullptr;
    QToolBar *m_toolbar = nullptr;
    QMenu *m_actionsMenu = nullptr;
    CommandPreview *m_command = nullptr;
    QProgressBar *m_progress = nullptr;
    QLabel *m_store = nullptr;
    ImagesPage *m_images = nullptr;
    ContainersPage *m_containers = nullptr;
    VolumesPage *m_volumes = nullptr;
    JobsPage *m_jobsPage = nullptr;
    ArchiveDrop *m_drop = nullptr;
    // Jobs started from a dialog: a failure is notified unless the owner
    // (a dialog still open) shows it itself.
};

} // namespace porthole::gui
