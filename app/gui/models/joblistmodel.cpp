#include "gui/models/joblistmodel.h"

#include "format/format.h"

#include <algorithm>

namespace porthole::gui {

int jobPercent(const service::JobStatus &status)
{
    if (status.state == service::JobStatus::Succeeded)
        return 100;
    const qint64 total = status.total();
    if (total <= 0)
        return -1;
    return int(std::clamp<qint64>(status.done() * 100 / total, 0, 100));
}

void JobListModel::update(const service::JobStatus &status)
{
    for (qsizetype i = 0; i < m_jobs.size(); ++i) {
        if (m_jobs[i].id == status.id) {
            // A late progress snapshot must not undo the final state.
            if (m_jobs[i].finished() && !status.finished())
                return;
            m_jobs[i] = status;
            Q_EMIT dataChanged(index(int(i), 0), index(int(i), ColumnCount - 1));
            return;
        }
    }
    const int at = int(m_jobs.size());
    beginInsertRows({}, at, at);
    m_jobs.append(status);
    endInsertRows();
}

const service::JobStatus *JobListModel::job(quint64 id) const
{
    for (const auto &j : m_jobs) {
        if (j.id == id)
            return &j;
    }
    return nullptr;
}

int JobListModel::running() const
{
    return int(std::count_if(m_jobs.begin(), m_jobs.end(), [](const auto &j) { return !j.finished(); }));
}

int JobListModel::runningPercent() const
{
    qint64 done = 0, total = 0;
    for (const auto &j : m_jobs) {
        if (j.finished())
            continue;
        if (j.total() <= 0)
            return -1;
        done += j.done();
        total += j.total();
    }
    return total > 0 ? int(done * 100 / total) : -1;
}

static QString stateText(const service::JobStatus &j)
{
    switch (j.state) {
    case service::JobStatus::Running: return JobListModel::tr("Running");
    case service::JobStatus::Succeeded: return JobListModel::tr("Done");
    case service::JobStatus::Failed: return JobListModel::tr("Failed: %1").arg(j.error);
    case service::JobStatus::Cancelled: return JobListModel::tr("Cancelled");
    }
    return {};
}

QVariant JobListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const service::JobStatus &j = m_jobs.at(index.row());
    if (role == JobIdRole)
        return j.id;
    if (role == PercentRole)
        return jobPercent(j);
    if (role == Qt::ToolTipRole && index.column() == State)
        return j.error;
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case Title: return j.title;
    case Progress: {
        const int percent = jobPercent(j);
        if (percent >= 0)
            return QStringLiteral("%1%").arg(percent);
        return j.done() > 0 ? format::humanSize(j.done()) : QString();
    }
    case State: return stateText(j);
    case Command: return j.command;
    }
    return {};
}

QVariant JobListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Title: return tr("Job");
    case Progress: return tr("Progress");
    case State: return tr("State");
    case Command: return tr("Command");
    }
    return {};
}

} // namespace porthole::gui
