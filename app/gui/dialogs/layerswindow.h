// LayersWindow: an image's history and layers in the layer inspector, in a
// window of its own (the teaching view: what each Dockerfile step added,
// changed and deleted). It runs EngineService::inspectImageLayers, which
// may unpack layers first, and shows its progress or error until the
// inspector has the result. Closing the window cancels the job.
// Threading: UI thread; the service must outlive the window.
#pragma once

#include <QPointer>
#include <QWidget>

class QLabel;
class QProgressBar;

namespace porthole::service {
class EngineService;
class Job;
template <typename T>
class TypedJob;
struct ImageLayers;
}

namespace porthole::gui {

class LayerInspector;

class LayersWindow : public QWidget {
    Q_OBJECT
public:
    LayersWindow(service::EngineService *service, const QString &image, QWidget *parent = nullptr);
    ~LayersWindow() override;

    QString image() const { return m_image; }
    bool loaded() const { return m_loaded; }
    LayerInspector *inspector() const { return m_inspector; }
    // What the window tells above the inspector: progress or the error.
    QString statusText() const;

Q_SIGNALS:
    void layersLoaded();

private:
    void onFinished(const service::TypedJob<service::ImageLayers> &job);

    service::EngineService *m_service;
    QString m_image;
    QPointer<service::Job> m_job;
    bool m_loaded = false;
    QLabel *m_status;
    QProgressBar *m_busy;
    LayerInspector *m_inspector;
};

} // namespace porthole::gui
