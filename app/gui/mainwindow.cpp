#include "gui/mainwindow.h"

#include "gui/dialogs/appsettings.h"
#include "gui/dialogs/cleanupdialog.h"
#include "gui/dialogs/commandpreview.h"
#include "gui/dialogs/logindialog.h"
#include "gui/dialogs/settingsdialog.h"
#include "gui/dnd/archivedrop.h"
#include "gui/models/joblistmodel.h"
#include "gui/pages/containerspage.h"
#include "gui/pages/imagespage.h"
#include "gui/pages/jobspage.h"
#include "gui/pages/volumespage.h"
#include "service/engineservice.h"

#include <QAction>
#include <QApplication>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileInfo>
#include <QIcon>
#include <QLabel>
#include <QListWidget>
#include <QMenuBar>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QHBoxLayout>
#include <QStackedWidget>
#include <QStatusBar>
#include <QStyle>
#include <QToolBar>
#include <QVBoxLayout>

namespace porthole::gui {

MainWindow::MainWindow(service::EngineService *service, QWidget *parent) : QMainWindow(parent), m_service(service)
{
    setWindowTitle(tr("Porthole"));
    m_jobs = new JobListModel(this);

    m_sidebar = new QListWidget(this);
    m_sidebar->setAccessibleName(tr("Sections"));
    m_sidebar->setIconSize(QSize(style()->pixelMetric(QStyle::PM_SmallIconSize), style()->pixelMetric(QStyle::PM_SmallIconSize)));
    m_stack = new QStackedWidget(this);
    m_images = new ImagesPage(m_service, this);
    m_containers = new ContainersPage(m_service, this);
    m_volumes = new VolumesPage(m_service, this);
    m_jobsPage = new JobsPage(m_service, m_jobs, this);
    addPage(m_images, tr("Images"), QStringLiteral("image-x-generic"));
    addPage(m_containers, tr("Containers"), QStringLiteral("package-x-generic"));
    addPage(m_volumes, tr("Volumes"), QStringLiteral("drive-harddisk"));
    addPage(m_jobsPage, tr("Jobs"), QStringLiteral("view-list-details"));
    // Wide enough for the longest section name in this language.
    int widest = 0;
    for (int i = 0; i < m_sidebar->count(); ++i)
        widest = std::max(widest, m_sidebar->fontMetrics().horizontalAdvance(m_sidebar->item(i)->text()));
    m_sidebar->setFixedWidth(widest + m_sidebar->iconSize().width() + 6 * m_sidebar->fontMetrics().averageCharWidth());

    auto *pages = new QHBoxLayout;
    pages->addWidget(m_sidebar);
    pages->addWidget(m_stack, 1);
    m_command = new CommandPreview(this);
    m_command->setToolTip(tr("The porthole command that does what your last action did"));
    auto *central = new QWidget(this);
    auto *layout = new QVBoxLayout(central);
    layout->addLayout(pages, 1);
    layout->addWidget(m_command);
    setCentralWidget(central);

    m_toolbar = addToolBar(tr("Actions"));
    m_toolbar->setObjectName(QStringLiteral("pageActions"));
    m_toolbar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_toolbar->setMovable(false);

    m_progress = new QProgressBar(this);
    m_progress->setAccessibleName(tr("Progress of the running jobs"));
    m_progress->hide();
    m_store = new QLabel(tr("Store: %1").arg(m_service->root()), this);
    m_store->setTextInteractionFlags(Qt::TextSelectableByMouse);
    statusBar()->addPermanentWidget(m_progress);
    statusBar()->addPermanentWidget(m_store);

    createMenus();

    connect(m_sidebar, &QListWidget::currentRowChanged, this, [this](int row) {
        m_stack->setCurrentIndex(row);
        updatePageActions();
    });
    connect(m_service, &service::EngineService::jobChanged, this, &MainWindow::onJobChanged);
    connect(m_service, &service::EngineService::storeError, this,
            [this](const QString &message) { statusBar()->showMessage(tr("Could not read the store: %1").arg(message)); });
    connect(m_service, &service::EngineService::imagesChanged, this, [this](const QList<service::ImageRow> &rows) {
        m_store->setText(tr("%n image(s) in %1", nullptr, int(rows.size())).arg(m_service->root()));
    });
    for (int i = 0; i < PageCount; ++i) {
        connect(page(i), &Page::jobStarted, this, &MainWindow::onJobStarted);
        connect(page(i), &Page::message, this, [this](const QString &text) { statusBar()->showMessage(text, 8000); });
    }
    m_sidebar->setCurrentRow(ImagesIndex);

    m_drop = new ArchiveDrop(m_service, this);
    setAcceptDrops(true);
    connect(m_drop, &ArchiveDrop::jobStarted, this, [this](service::Job *job) { onJobStarted(job, nullptr); });
    connect(m_drop, &ArchiveDrop::routed, this, [this](const QString &path, ArchiveKind kind) {
        const QString file = QFileInfo(path).fileName();
        QString text = tr("%1 is a filesystem tarball: importing it as an image.").arg(file);
        if (kind == ArchiveKind::ImageArchive)
            text = tr("%1 is an image archive: loading it.").arg(file);
        else if (isImageArchive(kind)) // the format's own name: docker-archive, oci-archive
            text = tr("%1 is an image archive (%2): loading it.").arg(file, archiveKindName(kind));
        statusBar()->showMessage(text, 8000);
    });

    const QFontMetrics fm(font());
    resize(fm.averageCharWidth() * 130, fm.lineSpacing() * 36);
}

void MainWindow::addPage(Page *page, const QString &title, const QString &iconName)
{
    m_stack->addWidget(page);
    auto *item = new QListWidgetItem(QIcon::fromTheme(iconName), title, m_sidebar);
    item->setToolTip(title);
}

Page *MainWindow::page(int index) const { return qobject_cast<Page *>(m_stack->widget(index)); }

int MainWindow::currentPage() const { return m_stack->currentIndex(); }

void MainWindow::showPage(int index)
{
    m_sidebar->setCurrentRow(index);
    if (QWidget *w = page(index)->primaryWidget())
        w->setFocus(Qt::OtherFocusReason);
}

QString MainWindow::storeText() const { return m_store->text(); }

void MainWindow::createMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    QAction *settings = file->addAction(QIcon::fromTheme(QStringLiteral("configure")), tr("&Settings…"), this, &MainWindow::openSettings);
    settings->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Comma));
    QAction *refresh = file->addAction(QIcon::fromTheme(QStringLiteral("view-refresh")), tr("&Refresh"), m_service,
                                       &service::EngineService::refresh);
    refresh->setShortcut(QKeySequence::Refresh);
    QAction *copy = file->addAction(QIcon::fromTheme(QStringLiteral("edit-copy")), tr("&Copy command"), m_command,
                                    &CommandPreview::copyToClipboard);
    copy->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C));
    file->addAction(QIcon::fromTheme(QStringLiteral("edit-clear")), tr("C&lean up…"), this, &MainWindow::openCleanup);
    file->addSeparator();
    QAction *quit = file->addAction(QIcon::fromTheme(QStringLiteral("application-exit")), tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);

    QMenu *view = menuBar()->addMenu(tr("&View"));
    for (int i = 0; i < PageCount; ++i) {
        QAction *go = view->addAction(m_sidebar->item(i)->text(), this, [this, i] { showPage(i); });
        go->setShortcut(QKeySequence(Qt::CTRL | Qt::Key(Qt::Key_1 + i)));
    }
    // The current page's actions again, for keyboard users and screen readers.
    m_actionsMenu = menuBar()->addMenu(tr("&Actions"));
}

void MainWindow::updatePageActions()
{
    m_toolbar->clear();
    m_actionsMenu->clear();
    Page *current = page(currentPage());
    if (!current)
        return;
    for (QAction *action : current->toolbarActions()) {
        if (action) {
            m_toolbar->addAction(action);
            m_actionsMenu->addAction(action);
        } else {
            m_toolbar->addSeparator();
            m_actionsMenu->addSeparator();
        }
    }
    m_actionsMenu->setEnabled(!current->toolbarActions().isEmpty());
    m_toolbar->setVisible(!current->toolbarActions().isEmpty());
}

void MainWindow::onJobStarted(service::Job *job, QWidget *owner)
{
    if (!job)
        return;
    // A failure is told here unless the dialog that started the job is
    // still open to show it.
    connect(job, &service::Job::finished, this, [this, job, owner = QPointer<QWidget>(owner)] {
        if (job->status().state == service::JobStatus::Failed && !(owner && owner->isVisible()))
            notifyFailure(job->status());
    });
}

void MainWindow::onJobChanged(const service::JobStatus &status)
{
    // A view's own refresh is neither a job of the user's nor an action.
    if (status.quiet)
        return;
    // A job seen for the first time is the user's latest action (a probe
    // of a dropped file has no command: the load or import it starts has).
    if (!m_jobs->job(status.id) && !status.command.isEmpty())
        m_command->setCommand(status.command);
    m_jobs->update(status);
    if (status.finished()) {
        switch (status.state) {
        case service::JobStatus::Failed:
            statusBar()->showMessage(tr("%1 failed: %2").arg(status.title, status.error));
            break;
        case service::JobStatus::Cancelled: statusBar()->showMessage(tr("%1: cancelled").arg(status.title), 8000); break;
        default: statusBar()->showMessage(tr("%1: done").arg(status.title), 5000); break;
        }
    }
    updateProgress();
}

void MainWindow::notifyFailure(const service::JobStatus &status)
{
    // Non-modal: the user reads it while the window stays usable.
    auto *box = new QMessageBox(QMessageBox::Warning, tr("%1 failed").arg(status.title), status.error, QMessageBox::NoButton, this);
    box->setObjectName(QStringLiteral("jobFailure"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setModal(false);
    box->setWindowModality(Qt::NonModal);
    box->setInformativeText(tr("Command: %1").arg(status.command));
    QPushButton *show = box->addButton(tr("Show in Jobs"), QMessageBox::ActionRole);
    box->addButton(tr("Close"), QMessageBox::RejectRole);
    const quint64 id = status.id;
    connect(show, &QPushButton::clicked, this, [this, id] {
        showPage(JobsIndex);
        m_jobsPage->selectJob(id);
    });
    box->show();
}

void MainWindow::updateProgress()
{
    const int running = m_jobs->running();
    m_progress->setVisible(running > 0);
    if (running == 0)
        return;
    const int percent = m_jobs->runningPercent();
    if (percent < 0) {
        m_progress->setRange(0, 0); // unknown: a busy indicator
    } else {
        m_progress->setRange(0, 100);
        m_progress->setValue(percent);
    }
    const QString text = tr("%n job(s) running", nullptr, running);
    m_progress->setFormat(percent < 0 ? text : text + QStringLiteral(" · %p%"));
    m_progress->setMinimumWidth(m_progress->fontMetrics().horizontalAdvance(text + QStringLiteral(" · 100%"))
                                + 4 * m_progress->fontMetrics().averageCharWidth());
    m_progress->setToolTip(text);
}

CleanupDialog *MainWindow::openCleanup()
{
    auto *dialog = new CleanupDialog(m_service, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
    return dialog;
}

void MainWindow::openSettings()
{
    const AppSettings before = AppSettings::load();
    SettingsDialog dialog(before, m_service->root(), this);
    connect(&dialog, &SettingsDialog::loginRequested, &dialog, [this, &dialog] {
        LoginDialog login(m_service, dialog.settings().insecureRegistries, &dialog);
        if (login.exec() == QDialog::Accepted)
            statusBar()->showMessage(tr("Logged in to %1.").arg(login.registry().isEmpty() ? QStringLiteral("docker.io") : login.registry()), 8000);
    });
    if (dialog.exec() != QDialog::Accepted)
        return;
    const AppSettings after = dialog.settings();
    after.save();
    if (after.root != before.root || after.language != before.language)
        statusBar()->showMessage(tr("Saved. Restart Porthole to use the new store root or language."));
    else
        statusBar()->showMessage(tr("Settings saved."), 5000);
}

void MainWindow::openArchives(const QStringList &paths)
{
    for (const QString &path : paths)
        m_drop->open(path);
}

void MainWindow::dragEnterEvent(QDragEnterEvent *event)
{
    if (!ArchiveDrop::archivePaths(event->mimeData()).isEmpty())
        event->acceptProposedAction();
}

void MainWindow::dragMoveEvent(QDragMoveEvent *event)
{
    if (!ArchiveDrop::archivePaths(event->mimeData()).isEmpty())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent *event)
{
    const QStringList paths = ArchiveDrop::archivePaths(event->mimeData());
    if (paths.isEmpty())
        return;
    event->acceptProposedAction();
    openArchives(paths);
}

} // namespace porthole::gui
