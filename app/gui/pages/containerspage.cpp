#include "gui/pages/containerspage.h"

#include "gui/terminal/attachsession.h"
#include "gui/terminal/execsession.h"
#include "gui/terminal/terminaltabs.h"
#include "gui/terminal/terminalview.h"

#include "format/format.h"
#include "gui/dialogs/appsettings.h"
#include "gui/dialogs/changeswindow.h"
#include "gui/dialogs/commitdialog.h"
#include "gui/dialogs/logswindow.h"
#include "gui/models/containerlistmodel.h"
#include "gui/pages/filterproxy.h"
#include "gui/terminal/attachsession.h"
#include "gui/terminal/execsession.h"
#include "gui/terminal/terminaltabs.h"
#include "gui/terminal/terminalview.h"

#include <QAction>
#include <QCheckBox>
#include <QFileDialog>
#include <QHeaderView>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

namespace porthole::gui {

using Action = service::EngineService::ContainerAction;

ContainersPage::ContainersPage(service::EngineService *service, QWidget *parent) : Page(parent), m_service(service)
{
    m_model = new ContainerListModel(this);
    m_proxy = new FilterProxy({ContainerListModel::ContainerId, ContainerListModel::Name, ContainerListModel::Image,
                               ContainerListModel::Status},
                              ContainerListModel::SortRole, this);
    m_proxy->setSourceModel(m_model);
    m_filter = makeFilterEdit(tr("Filter by name, ID, image or status"));
    connect(m_filter, &QLineEdit::textChanged, m_proxy, &FilterProxy::setFilterText);

    m_view = new QTableView(this);
    m_view->setModel(m_proxy);
    setUpTable(m_view, tr("Containers"));
    m_view->sortByColumn(ContainerListModel::Created, Qt::DescendingOrder);
    m_view->horizontalHeader()->setSectionResizeMode(ContainerListModel::Command, QHeaderView::Stretch);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_filter);
    layout->addWidget(m_view, 1);

    m_start = addPageAction(tr("&Start"), QStringLiteral("media-playback-start"), QKeySequence(Qt::CTRL | Qt::Key_Return));
    m_stop = addPageAction(tr("St&op"), QStringLiteral("media-playback-stop"), QKeySequence(Qt::CTRL | Qt::Key_Period));
    m_kill = addPageAction(tr("&Kill"), QStringLiteral("process-stop"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_K));
    m_restart = addPageAction(tr("R&estart"), QStringLiteral("view-refresh"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R));
    m_pause = addPageAction(tr("&Pause"), QStringLiteral("media-playback-pause"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_P));
    m_unpause = addPageAction(tr("&Unpause"), QStringLiteral("media-playback-start"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_U));
    m_remove = addPageAction(tr("Re&move…"), QStringLiteral("edit-delete"), QKeySequence(QKeySequence::Delete));
    addToolbarSeparator();
    m_commit = addPageAction(tr("&Commit…"), QStringLiteral("document-save-as"), QKeySequence(Qt::CTRL | Qt::Key_M));
    m_logs = addPageAction(tr("&Logs"), QStringLiteral("text-x-generic"), QKeySequence(Qt::CTRL | Qt::Key_L));
    m_export = addPageAction(tr("E&xport…"), QStringLiteral("document-export"), QKeySequence(Qt::CTRL | Qt::Key_E));
    m_diff = addPageAction(tr("&Diff"), QStringLiteral("document-compare"), QKeySequence(Qt::CTRL | Qt::Key_D));
    addToolbarSeparator();
    m_attach = addPageAction(tr("&Attach"), QStringLiteral("utilities-terminal"), QKeySequence(Qt::CTRL | Qt::Key_T));
    m_shell = addPageAction(tr("Open s&hell"), QStringLiteral("utilities-terminal"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_T));
    m_view->addActions({m_start, m_stop, m_kill, m_restart, m_pause, m_unpause, m_remove, m_commit, m_logs, m_export, m_diff,
                        m_attach, m_shell});

    connect(m_start, &QAction::triggered, this, [this] { act(Action::Start); });
    connect(m_stop, &QAction::triggered, this, [this] { act(Action::Stop); });
    connect(m_kill, &QAction::triggered, this, [this] { act(Action::Kill); });
    connect(m_restart, &QAction::triggered, this, [this] { act(Action::Restart); });
    connect(m_pause, &QAction::triggered, this, [this] { act(Action::Pause); });
    connect(m_unpause, &QAction::triggered, this, [this] { act(Action::Unpause); });
    connect(m_remove, &QAction::triggered, this, &ContainersPage::removeSelected);
    connect(m_commit, &QAction::triggered, this, &ContainersPage::commitSelected);
    connect(m_logs, &QAction::triggered, this, &ContainersPage::showLogs);
    connect(m_export, &QAction::triggered, this, &ContainersPage::exportSelected);
    connect(m_diff, &QAction::triggered, this, &ContainersPage::showChanges);
    connect(m_attach, &QAction::triggered, this, &ContainersPage::attachSelected);
    connect(m_shell, &QAction::triggered, this, &ContainersPage::openShellSelected);

    connect(m_service, &service::EngineService::containersChanged, m_model, &ContainerListModel::setRows);
    // Also a container that exits on its own changes what can be done with it.
    watchCurrentRow(m_view, [this] { updateActions(); });
    updateActions();
}

QWidget *ContainersPage::primaryWidget() { return m_view; }

std::optional<service::ContainerRow> ContainersPage::currentContainer() const
{
    const QModelIndex index = m_view->selectionModel()->currentIndex();
    if (!index.isValid() || !m_view->selectionModel()->isRowSelected(index.row(), index.parent()))
        return std::nullopt;
    return m_model->rowAt(m_proxy->mapToSource(index).row());
}

void ContainersPage::updateActions()
{
    const auto row = currentContainer();
    const QString state = row ? row->state : QString();
    const bool running = state == QLatin1String("running");
    const bool paused = state == QLatin1String("paused");
    const bool stopped = state == QLatin1String("created") || state == QLatin1String("exited");
    enableIf(m_start, stopped);
    enableIf(m_stop, running || paused);
    enableIf(m_kill, running || paused);
    enableIf(m_restart, running || state == QLatin1String("exited"));
    enableIf(m_pause, running);
    enableIf(m_unpause, paused);
    enableIf(m_remove, row.has_value());
    for (QAction *action : {m_commit, m_logs, m_export, m_diff})
        enableIf(action, row.has_value());
    enableIf(m_attach, running);
    enableIf(m_shell, running);
}

TerminalTabs *ContainersPage::terminals()
{
    // One window of terminal tabs for the page, made on first use; closing
    // it hides it (its sessions stay until their tabs are closed).
    if (!m_terminals) {
        m_terminals = new TerminalTabs(this);
        m_terminals->setWindowFlag(Qt::Window);
        m_terminals->setWindowTitle(tr("Terminals"));
        const QFontMetrics metrics(m_terminals->font());
        m_terminals->resize(metrics.averageCharWidth() * 100, metrics.height() * 32);
        const AppSettings settings = AppSettings::load();
        m_terminals->setTerminalFont(settings.terminalFont());
        m_terminals->setTerminalZoom(settings.terminalZoom);
        // Saved on every step: the window may never be closed (it hides),
        // and the process may end without the page's destructor.
        connect(m_terminals, &TerminalTabs::zoomChanged, this, &AppSettings::saveTerminalZoom);
        connect(AppSettingsNotifier::instance(), &AppSettingsNotifier::saved, m_terminals, [this](const AppSettings &saved) {
            // Only a changed font or zoom: re-applying resets every tab's own zoom.
            if (saved.terminalFont() != m_terminals->terminalFont() || saved.terminalZoom != m_terminals->terminalZoom()) {
                m_terminals->setTerminalFont(saved.terminalFont());
                m_terminals->setTerminalZoom(saved.terminalZoom);
            }
        });
    }
    m_terminals->show();
    m_terminals->raise();
    m_terminals->activateWindow();
    return m_terminals;
}

TerminalSession *ContainersPage::attachSelected()
{
    const auto row = currentContainer();
    if (!row)
        return nullptr;
    auto *session = new AttachSession(m_service->attachSocket(row->id), row->tty, row->openStdin);
    terminals()->addSession(row->name, session);
    return session;
}

TerminalSession *ContainersPage::openShellSelected()
{
    const auto row = currentContainer();
    if (!row)
        return nullptr;
    auto *session = new ExecSession(row->id, std::bind_front(&service::EngineService::execInContainer, m_service));
    terminals()->addSession(tr("%1 (shell)").arg(row->name), session);
    return session;
}

void ContainersPage::act(Action action)
{
    const auto row = currentContainer();
    if (!row)
        return;
    m_service->containerAction(action, row->name.isEmpty() ? row->id : row->name);
}

void ContainersPage::removeSelected()
{
    const auto row = currentContainer();
    if (!row)
        return;
    const QString name = row->name.isEmpty() ? format::shortId(row->id) : row->name;
    const bool live = row->state == QLatin1String("running") || row->state == QLatin1String("paused");
    QMessageBox box(QMessageBox::Question, tr("Remove container"), tr("Remove the container %1?").arg(name),
                    QMessageBox::NoButton, this);
    box.setInformativeText(tr("Its files and its log are deleted; images are not touched."));
    auto *force = new QCheckBox(tr("&Force: kill it first if it is running (-f)"), &box);
    force->setChecked(live);
    box.setCheckBox(force);
    QPushButton *remove = box.addButton(tr("Remove"), QMessageBox::DestructiveRole);
    box.addButton(tr("Cancel"), QMessageBox::RejectRole);
    box.exec();
    if (box.clickedButton() != remove)
        return;
    Q_EMIT jobStarted(m_service->containerAction(force->isChecked() ? Action::ForceRemove : Action::Remove,
                                                 row->name.isEmpty() ? row->id : row->name),
                      nullptr);
}

void ContainersPage::commitSelected()
{
    const auto row = currentContainer();
    if (!row)
        return;
    CommitDialog dialog(*row, AppSettings::load().author, this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    Q_EMIT jobStarted(m_service->commit(dialog.request()), nullptr);
}

void ContainersPage::exportSelected()
{
    const auto row = currentContainer();
    if (!row)
        return;
    const QString name = row->name.isEmpty() ? format::shortId(row->id) : row->name;
    QFileDialog dialog(this, tr("Export %1").arg(name));
    dialog.setObjectName(QStringLiteral("exportDialog"));
    dialog.setAcceptMode(QFileDialog::AcceptSave);
    dialog.setNameFilters({tr("Tar archives (*.tar)")});
    dialog.setDefaultSuffix(QStringLiteral("tar"));
    dialog.selectFile(name + QStringLiteral(".tar"));
    if (dialog.exec() != QDialog::Accepted || dialog.selectedFiles().isEmpty())
        return;
    exportContainer(row->name.isEmpty() ? row->id : row->name, dialog.selectedFiles().constFirst());
}

quint64 ContainersPage::exportContainer(const QString &container, const QString &path)
{
    service::Job *job = m_service->exportContainer({container, path});
    Q_EMIT jobStarted(job, nullptr);
    Q_EMIT message(tr("Exporting %1 to %2; the Jobs page shows its progress.").arg(container, path));
    return job->id();
}

LogsWindow *ContainersPage::showLogs()
{
    const auto row = currentContainer();
    if (!row)
        return nullptr;
    auto *window = new LogsWindow(m_service, *row, 1000, this);
    window->show();
    return window;
}

ChangesWindow *ContainersPage::showChanges()
{
    const auto row = currentContainer();
    if (!row)
        return nullptr;
    auto *window = new ChangesWindow(m_service, *row, this);
    window->show();
    return window;
}

} // namespace porthole::gui
