#include "gui/dialogs/cleanupdialog.h"

#include "gui/dialogs/commandpreview.h"
#include "gui/dialogs/formutil.h"
#include "service/clicommand.h"
#include "service/engineservice.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QVBoxLayout>

namespace porthole::gui {

CleanupDialog::CleanupDialog(service::EngineService *service, QWidget *parent) : QDialog(parent), m_service(service)
{
    setWindowTitle(tr("Clean up"));
    auto *intro = makeNoteLabel(this);
    intro->setText(tr("Removes what no container uses. Images and volumes a container uses, running or not, stay."));
    m_containers = new QCheckBox(tr("Stopped &containers (their read-write layers go with them)"), this);
    m_images = new QCheckBox(tr("&Dangling images (no name, no container)"), this);
    m_allImages = new QCheckBox(tr("&All images no container uses, named ones too"), this);
    m_volumes = new QCheckBox(tr("Unused &volumes (their data is deleted)"), this);
    m_containers->setChecked(true);
    m_images->setChecked(true);
    m_result = makeNoteLabel(this);
    m_command = new CommandPreview(this);
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    translateButtons(m_buttons, tr("Remove"));
    connect(m_buttons, &QDialogButtonBox::accepted, this, &CleanupDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    for (QCheckBox *box : {m_containers, m_images, m_allImages, m_volumes}) {
        layout->addWidget(box);
        connect(box, &QCheckBox::toggled, this, &CleanupDialog::update);
    }
    layout->addWidget(m_result);
    layout->addWidget(m_command);
    layout->addWidget(m_buttons);
    update();
}

service::PruneRequest CleanupDialog::request() const
{
    service::PruneRequest r;
    r.containers = m_containers->isChecked();
    r.images = m_images->isChecked();
    r.allImages = m_allImages->isChecked();
    r.volumes = m_volumes->isChecked();
    return r;
}

QString CleanupDialog::commandLine() const { return m_command->command(); }
QString CleanupDialog::resultText() const { return m_result->text(); }

void CleanupDialog::update()
{
    // All unused images include the dangling ones.
    m_images->setEnabled(!m_jobId && !m_allImages->isChecked());
    m_command->setCommand(service::cliCommand(request()));
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(!m_jobId && !m_command->command().isEmpty());
}

void CleanupDialog::accept()
{
    if (m_jobId || m_command->command().isEmpty())
        return;
    setError(m_result, {});
    auto *job = m_service->prune(request());
    m_jobId = job->id();
    connect(job, &service::Job::finished, this, [this, job] { onFinished(*job); });
    for (QCheckBox *box : {m_containers, m_images, m_allImages, m_volumes})
        box->setEnabled(false);
    update();
}

void CleanupDialog::onFinished(const service::TypedJob<service::PruneReport> &job)
{
    m_jobId = 0;
    for (QCheckBox *box : {m_containers, m_allImages, m_volumes})
        box->setEnabled(true);
    update();
    if (!job.result()) {
        setError(m_result, job.cancelled() ? tr("The clean-up was cancelled.")
                                           : tr("The clean-up failed: %1").arg(job.result().error().message));
        return;
    }
    const service::PruneReport &r = *job.result();
    int images = 0;
    for (const service::RemoveEvent &e : r.images)
        images += e.kind == service::RemoveEvent::Deleted ? 1 : 0;
    m_result->setText(tr("Removed %1, %2 and %3: %4 freed.")
                          .arg(tr("%n container(s)", nullptr, int(r.containers.size())), tr("%n image(s)", nullptr, images),
                               tr("%n volume(s)", nullptr, int(r.volumes.size())),
                               QLocale().formattedDataSize(r.reclaimedBytes)));
    // Done: the way out is Close.
    m_buttons->button(QDialogButtonBox::Cancel)->setText(tr("Close"));
}

} // namespace porthole::gui
