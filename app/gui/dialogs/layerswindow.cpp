#include "gui/dialogs/layerswindow.h"

#include "gui/dialogs/formutil.h"
#include "gui/inspector/layerinspector.h"
#include "service/engineservice.h"

#include <QLabel>
#include <QProgressBar>
#include <QVBoxLayout>

namespace porthole::gui {

LayersWindow::LayersWindow(service::EngineService *service, const QString &image, QWidget *parent)
    : QWidget(parent, Qt::Window), m_service(service), m_image(image)
{
    setAttribute(Qt::WA_DeleteOnClose);
    setWindowTitle(tr("Layers of %1").arg(image));
    m_status = makeNoteLabel(this);
    m_status->setText(tr("Reading the layers of %1…").arg(image));
    m_busy = new QProgressBar(this);
    m_busy->setRange(0, 0);
    m_busy->setAccessibleName(tr("Reading the layers"));
    m_inspector = new LayerInspector(this);
    m_inspector->setEnabled(false);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_status);
    layout->addWidget(m_busy);
    layout->addWidget(m_inspector, 1);

    connect(m_service, &service::EngineService::jobChanged, this, &LayersWindow::onJobChanged);
    m_job = m_service->inspectImageLayers(image);
    const QFontMetrics fm(font());
    resize(fm.averageCharWidth() * 140, fm.lineSpacing() * 40);
}

LayersWindow::~LayersWindow()
{
    if (!m_loaded && m_job)
        m_service->cancel(m_job); // nobody will look at it
}

QString LayersWindow::statusText() const { return m_status->text(); }

void LayersWindow::onJobChanged(const service::JobStatus &status)
{
    if (status.id != m_job || !status.finished())
        return;
    m_busy->hide();
    switch (status.state) {
    case service::JobStatus::Succeeded:
        m_loaded = true;
        m_inspector->setImageLayers(status.result.value<service::ImageLayers>());
        m_inspector->setEnabled(true);
        m_status->hide();
        m_status->clear();
        Q_EMIT layersLoaded();
        break;
    case service::JobStatus::Failed:
        setError(m_status, tr("Could not read the layers of %1: %2").arg(m_image, status.error));
        break;
    default: m_status->setText(tr("Cancelled.")); break;
    }
}

} // namespace porthole::gui
