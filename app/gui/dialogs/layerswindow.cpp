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

    m_inspector->setService(m_service); // copies files out for a drag
    auto *job = m_service->inspectImageLayers(image);
    m_job = job;
    connect(job, &service::Job::finished, this, [this, job] { onFinished(*job); });
    const QFontMetrics fm(font());
    resize(fm.averageCharWidth() * 140, fm.lineSpacing() * 40);
}

LayersWindow::~LayersWindow()
{
    if (!m_loaded && m_job)
        m_job->cancel(); // nobody will look at it
}

QString LayersWindow::statusText() const { return m_status->text(); }

void LayersWindow::onFinished(const service::TypedJob<service::ImageLayers> &job)
{
    m_busy->hide();
    switch (job.status().state) {
    case service::JobStatus::Succeeded:
        m_loaded = true;
        m_inspector->setImageLayers(*job.result());
        m_inspector->setEnabled(true);
        m_status->hide();
        m_status->clear();
        Q_EMIT layersLoaded();
        break;
    case service::JobStatus::Failed:
        setError(m_status, tr("Could not read the layers of %1: %2").arg(m_image, job.result().error().message));
        break;
    default: m_status->setText(tr("Cancelled.")); break;
    }
}

} // namespace porthole::gui
