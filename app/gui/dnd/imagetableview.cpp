#include "gui/dnd/imagetableview.h"

#include "gui/dnd/imagearchivemime.h"
#include "gui/models/imagelistmodel.h"
#include "service/engineservice.h"

#include <QDrag>
#include <QGuiApplication>
#include <QIcon>
#include <QPointer>
#include <QStyle>

namespace porthole::gui {

ImageTableView::ImageTableView(service::EngineService *service, QWidget *parent) : QTableView(parent), m_service(service)
{
    setDragEnabled(true);
    setDragDropMode(QAbstractItemView::DragOnly);
    setDefaultDropAction(Qt::CopyAction);
}

ImageArchiveMimeData *ImageTableView::createDragData(Qt::KeyboardModifiers modifiers) const
{
    const QModelIndex index = currentIndex();
    const QString reference = index.isValid() ? index.data(ImageListModel::ReferenceRole).toString() : QString();
    if (reference.isEmpty())
        return nullptr;
    return new ImageArchiveMimeData(m_service, reference, ImageArchiveMimeData::formatForModifiers(modifiers));
}

void ImageTableView::startDrag(Qt::DropActions supportedActions)
{
    Q_UNUSED(supportedActions);
    // The modifier is read as the drag starts: the format decides what the
    // save job writes, and it starts now.
    ImageArchiveMimeData *mime = createDragData(QGuiApplication::keyboardModifiers());
    if (!mime)
        return;
    const QPointer<service::Job> job = mime->job();
    Q_EMIT dragSaveStarted(job);
    auto *drag = new QDrag(this);
    drag->setMimeData(mime);
    const int size = style()->pixelMetric(QStyle::PM_LargeIconSize);
    drag->setPixmap(QIcon::fromTheme(mime->format() == ImageArchiveMimeData::OciArchive ? QStringLiteral("package-x-generic")
                                                                                       : QStringLiteral("application-x-tar"))
                        .pixmap(size, size));
    if (drag->exec(Qt::CopyAction, Qt::CopyAction) == Qt::IgnoreAction && job)
        job->cancel(); // nobody took the file: stop writing it
}

} // namespace porthole::gui
