// ChangesWindow: a container's live diff (docker diff with bytes, and the
// size its next commit would have) in the inspector's ChangesView, under
// the stack of layers it sits on (LayerStackView). While the
// window is shown and the container runs, it asks EngineService for the
// changes every refreshIntervalMs() (quiet jobs: not in the Jobs page);
// hidden, or with the container stopped, no timer runs. One request at a
// time: a tick while one is out is skipped.
// Threading: UI thread; the service must outlive the window.
#pragma once

#include "service/containertypes.h"

#include <QWidget>

class QLabel;
class QTimer;

namespace porthole::service {
class EngineService;
template <typename T>
class TypedJob;
struct ContainerChanges;
}

namespace porthole::gui {

class ChangesView;
class LayerStackView;

class ChangesWindow : public QWidget {
    Q_OBJECT
public:
    ChangesWindow(service::EngineService *service, const service::ContainerRow &container, QWidget *parent = nullptr);

    static int refreshIntervalMs() { return 2000; }
    ChangesView *view() const { return m_view; }
    LayerStackView *stack() const { return m_stack; }
    QTimer *timer() const { return m_timer; }
    bool containerRunning() const { return m_running; }
    int refreshes() const { return m_refreshes; } // results shown so far
    QString statusText() const;

public Q_SLOTS:
    void refresh();

Q_SIGNALS:
    void refreshed();

protected:
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    void onChanges(const service::TypedJob<service::ContainerChanges> &job);
    void onContainersChanged(const QList<service::ContainerRow> &rows);
    void updateTimer();

    service::EngineService *m_service;
    QString m_id;
    QString m_name; // what jobs and the title call it
    bool m_running = false;
    bool m_gone = false;
    bool m_inFlight = false;
    bool m_historyAsked = false; // the image's layers, asked for once
    int m_refreshes = 0;
    QLabel *m_status;
    LayerStackView *m_stack;
    ChangesView *m_view;
    QTimer *m_timer;
};

} // namespace porthole::gui
