// PullDialog: the reference and platform of a pull, the equivalent command,
// then the pull itself with a progress bar per layer (the job's progress
// items; each bar shows the engine's phase and sizes), Cancel
// (the job handle's cancel) and the outcome or the error.
// Closing the dialog while it pulls leaves the pull running (the Jobs page
// shows it). Threading: UI thread.
#pragma once

#include "service/engineservice.h"

#include <QDialog>
#include <QHash>
#include <QPointer>

class QComboBox;
class QGridLayout;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QScrollArea;

namespace porthole::gui {

class CommandPreview;

class PullDialog : public QDialog {
    Q_OBJECT
public:
    // `service` may be null (the dialog then only builds the request).
    PullDialog(service::EngineService *service, const QStringList &insecureRegistries, QWidget *parent = nullptr);

    service::PullRequest request() const;
    QString commandLine() const;
    quint64 jobId() const { return m_jobId; }

    QLineEdit *referenceEdit() const { return m_reference; }
    QComboBox *platformBox() const { return m_platform; }
    QPushButton *pullButton() const { return m_pull; }
    QPushButton *cancelButton() const { return m_cancel; }
    // The progress bar of one item (a short layer ID), or null.
    QProgressBar *itemBar(const QString &itemId) const;
    int itemCount() const { return int(m_items.size()); }
    QString statusText() const;

public Q_SLOTS:
    // Starts the pull through the service.
    void startPull();
    // Shows the pull's progress: a bar per item (layer).
    void showProgress(const QList<porthole::ProgressEvent> &items);
    // Shows how the pull ended (Cancelled is an ErrorCode too).
    void showOutcome(const porthole::Result<porthole::service::PullOutcome> &outcome);

Q_SIGNALS:
    void pullStarted(porthole::service::Job *job);

private:
    void updateFields();

    service::EngineService *m_service = nullptr;
    QStringList m_insecure;
    quint64 m_jobId = 0;
    QPointer<service::Job> m_job;
    bool m_running = false;
    QLineEdit *m_reference = nullptr;
    QComboBox *m_platform = nullptr;
    CommandPreview *m_command = nullptr;
    QScrollArea *m_scroll = nullptr;
    QGridLayout *m_grid = nullptr;
    QHash<QString, QProgressBar *> m_items; // by item (layer) ID
    QLabel *m_status = nullptr;
    QPushButton *m_pull = nullptr;
    QPushButton *m_cancel = nullptr;
    QPushButton *m_close = nullptr;
};

} // namespace porthole::gui
