// CleanupDialog: the window's `system prune`. The user picks what goes
// (stopped containers, dangling or all unused images, unused volumes), sees
// the equivalent command, and runs it as one job; the dialog stays open
// while it runs and then says what was removed and how much space it
// freed (or why it failed). Threading: UI thread; the service must outlive
// the dialog.
#pragma once

#include "service/systemtypes.h"

#include <QDialog>

class QCheckBox;
class QDialogButtonBox;
class QLabel;

namespace porthole::service {
class EngineService;
template <typename T>
class TypedJob;
struct PruneReport;
}

namespace porthole::gui {

class CommandPreview;

class CleanupDialog : public QDialog {
    Q_OBJECT
public:
    explicit CleanupDialog(service::EngineService *service, QWidget *parent = nullptr);

    service::PruneRequest request() const;
    QString commandLine() const;
    QString resultText() const; // after the job: what went, or why not
    quint64 jobId() const { return m_jobId; } // 0 when none runs

    QCheckBox *containersBox() const { return m_containers; }
    QCheckBox *imagesBox() const { return m_images; }
    QCheckBox *allImagesBox() const { return m_allImages; }
    QCheckBox *volumesBox() const { return m_volumes; }

public Q_SLOTS:
    // Starts the clean-up (the Remove button).
    void accept() override;

private:
    void update();
    void onFinished(const service::TypedJob<service::PruneReport> &job);

    service::EngineService *m_service;
    quint64 m_jobId = 0;
    QCheckBox *m_containers;
    QCheckBox *m_images;
    QCheckBox *m_allImages;
    QCheckBox *m_volumes;
    QLabel *m_result;
    CommandPreview *m_command;
    QDialogButtonBox *m_buttons;
};

} // namespace porthole::gui
