#include "gui/pages/jobspage.h"

#include "gui/models/joblistmodel.h"
#include "service/engineservice.h"

#include <QAction>
#include <QFontDatabase>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

namespace porthole::gui {

JobsPage::JobsPage(service::EngineService *service, JobListModel *jobs, QWidget *parent)
    : Page(parent), m_service(service), m_jobs(jobs)
{
    // Newest first: sorted by the job ID, which grows.
    m_proxy = new QSortFilterProxyModel(this);
    m_proxy->setSourceModel(m_jobs);
    m_proxy->setSortRole(JobListModel::JobIdRole);
    m_proxy->setDynamicSortFilter(true);
    m_proxy->sort(0, Qt::DescendingOrder);

    m_view = new QTableView(this);
    m_view->setModel(m_proxy);
    setUpTable(m_view, tr("Jobs"));
    m_view->setSortingEnabled(false);
    m_view->horizontalHeader()->setSectionResizeMode(JobListModel::State, QHeaderView::Stretch);

    m_details = new QPlainTextEdit(this);
    m_details->setReadOnly(true);
    m_details->setAccessibleName(tr("Job details"));
    m_details->setPlaceholderText(tr("Select a job to see its command and, if it failed, the whole error."));
    m_details->setTabChangesFocus(true);

    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(m_view);
    splitter->addWidget(m_details);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 1);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(splitter);

    m_cancel = addPageAction(tr("&Cancel job"), QStringLiteral("process-stop"), QKeySequence(Qt::CTRL | Qt::Key_Backspace));
    m_view->addAction(m_cancel);
    connect(m_cancel, &QAction::triggered, this, &JobsPage::cancelSelected);
    // Both: the current row can be set without a selection (focus) and the
    // selection made on the current row without it changing.
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &JobsPage::updateSelection);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this, &JobsPage::updateSelection);
    connect(m_proxy, &QAbstractItemModel::dataChanged, this, &JobsPage::updateSelection);
    updateSelection();
}

QWidget *JobsPage::primaryWidget() { return m_view; }

quint64 JobsPage::currentJobId() const
{
    const QModelIndex index = m_view->selectionModel()->currentIndex();
    return index.isValid() ? index.data(JobListModel::JobIdRole).toULongLong() : 0;
}

bool JobsPage::selectJob(quint64 id)
{
    for (int row = 0; row < m_proxy->rowCount(); ++row) {
        const QModelIndex index = m_proxy->index(row, 0);
        if (index.data(JobListModel::JobIdRole).toULongLong() == id) {
            m_view->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
            return true;
        }
    }
    return false;
}

void JobsPage::cancelSelected()
{
    const quint64 id = currentJobId();
    const service::JobStatus *job = id ? m_jobs->job(id) : nullptr;
    if (job && !job->finished()) {
        m_service->cancel(id);
        Q_EMIT message(tr("Cancelling %1…").arg(job->title));
    }
}

void JobsPage::updateSelection()
{
    const quint64 id = currentJobId();
    const service::JobStatus *job = id ? m_jobs->job(id) : nullptr;
    enableIf(m_cancel, job && !job->finished());
    if (!job) {
        m_details->clear();
        return;
    }
    QString text = job->title + u'\n' + tr("Command: %1").arg(job->command) + u'\n';
    switch (job->state) {
    case service::JobStatus::Running: text += tr("Running."); break;
    case service::JobStatus::Succeeded: text += tr("Done."); break;
    case service::JobStatus::Cancelled: text += tr("Cancelled."); break;
    case service::JobStatus::Failed: text += tr("Failed: %1").arg(job->error); break;
    }
    // Rewriting the same text would reset a reader's selection and scroll.
    if (m_details->toPlainText() != text)
        m_details->setPlainText(text);
}

} // namespace porthole::gui
