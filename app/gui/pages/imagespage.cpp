#include "gui/pages/imagespage.h"

#include "gui/dialogs/appsettings.h"
#include "gui/dialogs/layerswindow.h"
#include "gui/dnd/imagearchivemime.h"
#include "gui/dnd/imagetableview.h"
#include "gui/dialogs/pulldialog.h"
#include "gui/dialogs/rundialog.h"
#include "gui/models/imagelistmodel.h"
#include "gui/pages/filterproxy.h"
#include "service/engineservice.h"

#include <QAction>
#include <QCheckBox>
#include <QFileDialog>
#include <QHeaderView>
#include <QInputDialog>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

namespace porthole::gui {

ImagesPage::ImagesPage(service::EngineService *service, QWidget *parent) : Page(parent), m_service(service)
{
    m_model = new ImageListModel(this);
    m_proxy = new FilterProxy({ImageListModel::Repository, ImageListModel::Tag, ImageListModel::ImageId},
                              ImageListModel::SortRole, this);
    m_proxy->setSourceModel(m_model);
    m_filter = makeFilterEdit(tr("Filter by repository, tag or image ID"));
    connect(m_filter, &QLineEdit::textChanged, m_proxy, &FilterProxy::setFilterText);

    m_view = new ImageTableView(m_service, this);
    m_view->setModel(m_proxy);
    setUpTable(m_view, tr("Images"));
    m_view->sortByColumn(ImageListModel::Created, Qt::DescendingOrder);
    m_view->horizontalHeader()->setSectionResizeMode(ImageListModel::Repository, QHeaderView::Stretch);
    connect(m_view, &ImageTableView::dragSaveStarted, this, [this](service::Job *job) { Q_EMIT jobStarted(job, nullptr); });
    connect(m_view, &QTableView::activated, this, &ImagesPage::runSelected);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_filter);
    layout->addWidget(m_view, 1);

    m_pull = addPageAction(tr("&Pull…"), QStringLiteral("download"), QKeySequence(Qt::CTRL | Qt::Key_P));
    m_run = addPageAction(tr("&Run…"), QStringLiteral("media-playback-start"), QKeySequence(Qt::CTRL | Qt::Key_R));
    addToolbarSeparator();
    m_tag = addPageAction(tr("&Tag…"), QStringLiteral("tag"), QKeySequence(Qt::CTRL | Qt::Key_T));
    m_push = addPageAction(tr("P&ush"), QStringLiteral("upload"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_U));
    m_remove = addPageAction(tr("Re&move…"), QStringLiteral("edit-delete"), QKeySequence(QKeySequence::Delete));
    addToolbarSeparator();
    m_history = addPageAction(tr("&History and layers"), QStringLiteral("view-history"), QKeySequence(Qt::CTRL | Qt::Key_H));
    m_save = addPageAction(tr("&Save…"), QStringLiteral("document-save"), QKeySequence(QKeySequence::Save));
    m_view->addActions({m_run, m_tag, m_push, m_remove, m_history, m_save});

    connect(m_pull, &QAction::triggered, this, &ImagesPage::pull);
    connect(m_run, &QAction::triggered, this, &ImagesPage::runSelected);
    connect(m_tag, &QAction::triggered, this, &ImagesPage::tagSelected);
    connect(m_push, &QAction::triggered, this, &ImagesPage::pushSelected);
    connect(m_remove, &QAction::triggered, this, &ImagesPage::removeSelected);
    connect(m_history, &QAction::triggered, this, &ImagesPage::showLayers);
    connect(m_save, &QAction::triggered, this, &ImagesPage::saveSelected);

    connect(m_service, &service::EngineService::imagesChanged, m_model, &ImageListModel::setRows);
    watchCurrentRow(m_view, [this] { updateActions(); });
    updateActions();
}

QWidget *ImagesPage::primaryWidget() { return m_view; }

QString ImagesPage::currentReference() const
{
    const QModelIndex index = m_view->selectionModel()->currentIndex();
    if (!index.isValid() || !m_view->selectionModel()->isRowSelected(index.row(), index.parent()))
        return {};
    return index.data(ImageListModel::ReferenceRole).toString();
}

bool ImagesPage::selectReference(const QString &reference)
{
    for (int row = 0; row < m_proxy->rowCount(); ++row) {
        const QModelIndex index = m_proxy->index(row, 0);
        if (index.data(ImageListModel::ReferenceRole).toString() == reference) {
            m_view->selectionModel()->setCurrentIndex(
                index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
            return true;
        }
    }
    return false;
}

void ImagesPage::updateActions()
{
    const bool selected = !currentReference().isEmpty();
    for (QAction *action : {m_run, m_tag, m_push, m_remove, m_history, m_save})
        enableIf(action, selected);
}

void ImagesPage::pull()
{
    auto *dialog = new PullDialog(m_service, AppSettings::load().insecureRegistries, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &PullDialog::pullStarted, this, [this, dialog](service::Job *job) { Q_EMIT jobStarted(job, dialog); });
    // Non-modal: the window stays usable during a long pull.
    dialog->show();
}

void ImagesPage::runSelected()
{
    const QString image = currentReference();
    if (image.isEmpty())
        return;
    RunDialog dialog(image, this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    Q_EMIT jobStarted(m_service->run(dialog.request()), nullptr);
}

void ImagesPage::tagSelected()
{
    const QString source = currentReference();
    if (source.isEmpty())
        return;
    QInputDialog dialog(this);
    dialog.setObjectName(QStringLiteral("tagDialog"));
    dialog.setWindowTitle(tr("Tag %1").arg(source));
    dialog.setLabelText(tr("New name for %1 (repository[:tag]):").arg(source));
    // The repository prefilled: the usual tag is a new version of it.
    const QString repository = m_view->currentIndex().siblingAtColumn(ImageListModel::Repository).data().toString();
    dialog.setTextValue(repository == QLatin1String("<none>") ? QString() : repository + u':');
    dialog.setOkButtonText(tr("Tag"));
    dialog.setCancelButtonText(tr("Cancel"));
    if (dialog.exec() != QDialog::Accepted || dialog.textValue().trimmed().isEmpty())
        return;
    Q_EMIT jobStarted(m_service->tag(source, dialog.textValue().trimmed()), nullptr);
}

void ImagesPage::pushSelected()
{
    const QString reference = currentReference();
    if (reference.isEmpty())
        return;
    service::PushRequest request;
    request.reference = reference;
    request.insecureRegistries = AppSettings::load().insecureRegistries;
    m_service->push(request);
    Q_EMIT message(tr("Pushing %1; the Jobs page shows its progress.").arg(reference));
}

void ImagesPage::removeSelected()
{
    const QString reference = currentReference();
    if (reference.isEmpty())
        return;
    QMessageBox box(QMessageBox::Question, tr("Remove image"), tr("Remove the image %1?").arg(reference), QMessageBox::NoButton, this);
    box.setInformativeText(tr("An image with several names loses only this name; its layers stay until no name is left."));
    auto *force = new QCheckBox(tr("&Force: remove it even if containers use it (-f)"), &box);
    box.setCheckBox(force);
    QPushButton *remove = box.addButton(tr("Remove"), QMessageBox::DestructiveRole);
    box.addButton(tr("Cancel"), QMessageBox::RejectRole);
    box.exec();
    if (box.clickedButton() != remove)
        return;
    Q_EMIT jobStarted(m_service->removeImage(reference, force->isChecked()), nullptr);
}

void ImagesPage::saveSelected()
{
    const QString reference = currentReference();
    if (reference.isEmpty())
        return;
    // Both formats are .tar files: the filter, not the name, says which.
    const QString docker = tr("Docker archive, for docker load and podman load (*.tar)");
    const QString oci = tr("OCI archive, for podman, skopeo and containerd (*.tar)");
    QFileDialog dialog(this, tr("Save %1").arg(reference));
    dialog.setObjectName(QStringLiteral("saveDialog"));
    dialog.setAcceptMode(QFileDialog::AcceptSave);
    dialog.setNameFilters({docker, oci});
    dialog.setDefaultSuffix(QStringLiteral("tar"));
    dialog.selectFile(ImageArchiveMimeData::archiveFileName(reference, ImageArchiveMimeData::DockerArchive));
    if (dialog.exec() != QDialog::Accepted || dialog.selectedFiles().isEmpty())
        return;
    const bool isOci = dialog.selectedNameFilter() == oci;
    saveImage(reference, dialog.selectedFiles().constFirst(),
              isOci ? QStringLiteral("oci-archive") : QStringLiteral("docker-archive"));
}

quint64 ImagesPage::saveImage(const QString &reference, const QString &path, const QString &format)
{
    service::SaveRequest request;
    request.images = {reference};
    request.format = format;
    request.outputPath = path;
    service::Job *job = m_service->save(request);
    Q_EMIT jobStarted(job, nullptr);
    Q_EMIT message(tr("Saving %1 to %2; the Jobs page shows its progress.").arg(reference, path));
    return job->id();
}

LayersWindow *ImagesPage::showLayers()
{
    const QString reference = currentReference();
    if (reference.isEmpty())
        return nullptr;
    // The window shows a failure itself.
    auto *window = new LayersWindow(m_service, reference, this);
    window->show();
    return window;
}

} // namespace porthole::gui
