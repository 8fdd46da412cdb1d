// LayersWindow: an image's history and layers in the layer inspector, in a
// window of its own (the teaching view: what each Dockerfile step added,
// changed and deleted). It runs EngineService::inspectImageLayers, which
// may unpack layers first, and shows its progress or error until the
// inspector has the result. Closing the window cancels the job.
// Threading: UI thread; the service must outlive the window.
#pragma once

#include <QWidget>

class QLabel;
class QProgressBar;

namespace porthole::service {
class EngineService;
struct JobStatus;
}

namespace porthole::gui {

class LayerInspector;

class LayersWindow : public QWidget {
    Q_OBJECT
public:
    LayersWindow(service::EngineService *service, const QString &image, QWidget *parent = nullptr);
    ~LayersWindow() override;

    QString image() const { return m_image; }
    quint64 jobId() const { return m_job; }
    bool loaded() const { return m_loaded; }
    LayerInspector *inspector() const { return m_inspector; }
    // What the window tells above the inspector: progress or the error.
    QString statusText() const;

Q_SIGNALS:
    void layersLoaded();

private:
    void onJobChanged(const service::JobStatus &status);

    service::EngineService *m_service;
    QString m_image;
    quint64 m_job = 0;
    bool m_loaded = false;
    QLabel *m_status;
    QProgressBar *m_busy;
    LayerInspector *m_inspector;
};

} // namespace porthole::gui
