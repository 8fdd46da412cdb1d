// JobsPage: the jobs this window started (JobListModel), newest first, with
// Cancel for the selected running job and the selected job's command and
// full error underneath (a table cell would cut it). Threading: UI thread.
#pragma once

#include "gui/pages/page.h"

class QAction;
class QPlainTextEdit;
class QSortFilterProxyModel;
class QTableView;

namespace porthole::service {
class EngineService;
}

namespace porthole::gui {

class JobListModel;

class JobsPage : public Page {
    Q_OBJECT
public:
    // The model is the window's (it also feeds the status bar).
    JobsPage(service::EngineService *service, JobListModel *jobs, QWidget *parent = nullptr);

    QWidget *primaryWidget() override;
    QTableView *view() const { return m_view; }
    QAction *cancelAction() const { return m_cancel; }
    QPlainTextEdit *details() const { return m_details; }
    quint64 currentJobId() const;
    bool selectJob(quint64 id);

public Q_SLOTS:
    void cancelSelected();

private:
    void updateSelection();

    service::EngineService *m_service = nullptr;
    JobListModel *m_jobs = nullptr;
    QSortFilterProxyModel *m_proxy = nullptr;
    QTableView *m_view = nullptr;
    QPlainTextEdit *m_details = nullptr;
    QAction *m_cancel = nullptr;
};

} // namespace porthole::gui
