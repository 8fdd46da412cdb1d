#include "gui/dialogs/changeswindow.h"

#include "gui/dialogs/formutil.h"
#include "gui/inspector/changesview.h"
#include "gui/inspector/layerstackview.h"
#include "service/engineservice.h"

#include <QLabel>
#include <QTimer>
#include <QVBoxLayout>

namespace porthole::gui {

ChangesWindow::ChangesWindow(service::EngineService *service, const service::ContainerRow &container, QWidget *parent)
    : QWidget(parent, Qt::Window), m_service(service), m_id(container.id),
      m_name(container.name.isEmpty() ? container.id.left(12) : container.name),
      m_running(container.state == QLatin1String("running"))
{
    setAttribute(Qt::WA_DeleteOnClose);
    setWindowTitle(tr("Changes in %1").arg(m_name));
    m_status = makeNoteLabel(this);
    m_stack = new LayerStackView(this);
    m_view = new ChangesView(this);
    m_timer = new QTimer(this);
    m_timer->setInterval(refreshIntervalMs());
    connect(m_timer, &QTimer::timeout, this, &ChangesWindow::refresh);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_status);
    layout->addWidget(m_stack);
    layout->addWidget(m_view, 1);
    updateTimer(); // also the status line

    connect(m_service, &service::EngineService::containersChanged, this, &ChangesWindow::onContainersChanged);
    const QFontMetrics fm(font());
    resize(fm.averageCharWidth() * 100, fm.lineSpacing() * 30);
}

QString ChangesWindow::statusText() const { return m_status->text(); }

void ChangesWindow::refresh()
{
    if (m_inFlight || m_gone)
        return;
    // The first one is the user's click (the Jobs page and the command line
    // show it); the timer's are the view's own.
    auto *job = m_service->containerChanges(m_name, m_refreshes > 0);
    m_inFlight = true;
    connect(job, &service::Job::finished, this, [this, job] { onChanges(*job); });
}

void ChangesWindow::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    refresh();
    updateTimer();
}

void ChangesWindow::hideEvent(QHideEvent *event)
{
    QWidget::hideEvent(event);
    updateTimer();
}

void ChangesWindow::updateTimer()
{
    const bool live = m_running && isVisible() && !m_gone;
    if (live && !m_timer->isActive())
        m_timer->start();
    else if (!live)
        m_timer->stop();
    if (m_gone)
        return;
    m_status->setText(m_running ? tr("%1 is running: the changes are read again every %n second(s).", nullptr,
                                     refreshIntervalMs() / 1000).arg(m_name)
                                : tr("%1 is not running: these changes stay as they are.").arg(m_name));
}

void ChangesWindow::onContainersChanged(const QList<service::ContainerRow> &rows)
{
    const auto it = std::find_if(rows.begin(), rows.end(), [this](const service::ContainerRow &r) { return r.id == m_id; });
    const bool running = it != rows.end() && it->state == QLatin1String("running");
    if (running == m_running)
        return;
    m_running = running;
    updateTimer();
    refresh(); // what it wrote before it stopped, or since it started
}

void ChangesWindow::onChanges(const service::TypedJob<service::ContainerChanges> &job)
{
    m_inFlight = false;
    if (job.result()) {
        const service::ContainerChanges &changes = *job.result();
        m_view->setContainerChanges(changes);
        m_stack->setWritableLayer(int(changes.changes.size()), changes.contentBytes);
        if (!m_historyAsked && !changes.imageId.isEmpty()) {
            m_historyAsked = true;
            auto *history = m_service->history(changes.imageId, true);
            // Without the image's history (removed with --force, say) the
            // stack just keeps saying it is reading them: the changes matter more.
            connect(history, &service::Job::finished, this, [this, history] {
                if (history->result())
                    m_stack->setImageHistory(*history->result());
            });
        }
        ++m_refreshes;
        Q_EMIT refreshed();
    } else if (!job.cancelled()) {
        // Removed under us, most likely: nothing more to read.
        m_gone = true;
        updateTimer();
        setError(m_status, tr("Could not read the changes of %1: %2").arg(m_name, job.result().error().message));
    }
}

} // namespace porthole::gui
