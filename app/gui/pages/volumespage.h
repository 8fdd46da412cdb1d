// VolumesPage: named volumes, with their size and the containers that use
// them. Sizes come from walking each volume's files, so the list is a quiet
// EngineService::volumes() job, run when the page is shown and again on
// every container change while it is visible (a container that writes to a
// volume, or one removed, changes the row); not part of the store snapshot
// every page pays for. With no volumes the page says what would appear here
// and how to make one. Threading: UI thread.
#pragma once

#include "gui/pages/page.h"
#include "service/engineservice.h"

class QLabel;
class QStackedWidget;
class QTableView;

namespace porthole::gui {

class FilterProxy;
class VolumeListModel;

class VolumesPage : public Page {
    Q_OBJECT
public:
    explicit VolumesPage(service::EngineService *service, QWidget *parent = nullptr);

    QWidget *primaryWidget() override;
    QString emptyStateText() const;
    bool showsEmptyState() const;
    VolumeListModel *model() const { return m_model; }
    QTableView *view() const { return m_view; }

protected:
    void showEvent(QShowEvent *event) override;

private:
    QWidget *makeEmptyState();
    void refresh();
    void onListed(const service::TypedJob<QList<service::VolumeRow>> &job);

    service::EngineService *m_service;
    VolumeListModel *m_model = nullptr;
    FilterProxy *m_proxy = nullptr;
    QStackedWidget *m_stack = nullptr;
    QWidget *m_empty = nullptr;
    QTableView *m_view = nullptr;
    QLabel *m_title = nullptr;
    QLabel *m_text = nullptr;
    bool m_inFlight = false;
    bool m_again = false; // a change came while a refresh ran: run one more
};

} // namespace porthole::gui
