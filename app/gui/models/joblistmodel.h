// The jobs table: every job this window started, newest last, with its
// progress, state and equivalent CLI command. Fed by
// EngineService::jobChanged. Threading: UI thread.
#pragma once

#include "service/engineservice.h"

#include <QAbstractTableModel>

namespace porthole::gui {

class JobListModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Title, Progress, State, Command, ColumnCount };
    enum Role { JobIdRole = Qt::UserRole + 1, PercentRole /* 0-100, -1 unknown */ };

    using QAbstractTableModel::QAbstractTableModel;
    int rowCount(const QModelIndex &parent = {}) const override { return parent.isValid() ? 0 : int(m_jobs.size()); }
    int columnCount(const QModelIndex &parent = {}) const override { return parent.isValid() ? 0 : ColumnCount; }
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    void update(const service::JobStatus &status);
    const service::JobStatus *job(quint64 id) const;
    int running() const;
    // Overall progress of the running jobs, 0-100, or -1 when unknown.
    int runningPercent() const;

private:
    QList<service::JobStatus> m_jobs;
};

// "42%" style percentage of a job, -1 when its total is unknown.
int jobPercent(const service::JobStatus &status);

} // namespace porthole::gui
