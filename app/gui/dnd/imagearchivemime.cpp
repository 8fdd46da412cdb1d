#include "gui/dnd/imagearchivemime.h"

#include "gui/inspector/jobwait.h"
#include "service/engineservice.h"

#include <QDir>
#include <QRegularExpression>
#include <QTemporaryDir>

namespace porthole::gui {

namespace {

const QString kUriList = QStringLiteral("text/uri-list");

// Function-local: made on the first drag, removed (with every archive in
// it) when static objects are destroyed at exit.
QTemporaryDir &tempRoot()
{
    static QTemporaryDir dir(QDir::tempPath() + QStringLiteral("/porthole-drag-XXXXXX"));
    return dir;
}

} // namespace

QString dragTempRoot() { return tempRoot().path(); }

int ImageArchiveMimeData::maxWaitMs() { return kDropWaitMs; }

QString ImageArchiveMimeData::archiveFileName(const QString &reference, Format format)
{
    QString name = reference.mid(reference.lastIndexOf(u'/') + 1);
    static const QRegularExpression unsafe(QStringLiteral("[^A-Za-z0-9._-]"));
    name.replace(u':', u'_').replace(u'@', u'_').replace(unsafe, QStringLiteral("_"));
    if (name.isEmpty() || name.startsWith(u'.'))
        name.prepend(QStringLiteral("image"));
    return name + (format == OciArchive ? QStringLiteral(".oci.tar") : QStringLiteral(".tar"));
}

ImageArchiveMimeData::Format ImageArchiveMimeData::formatForModifiers(Qt::KeyboardModifiers modifiers)
{
    return modifiers & (Qt::ControlModifier | Qt::AltModifier) ? OciArchive : DockerArchive;
}

ImageArchiveMimeData::ImageArchiveMimeData(service::EngineService *service, const QString &reference, Format format)
    : m_reference(reference), m_format(format)
{
    // A directory per drag: the file keeps the image's name even when the
    // same image is dragged twice while a file manager still copies the first.
    QTemporaryDir dragDir(dragTempRoot() + QStringLiteral("/XXXXXX"));
    dragDir.setAutoRemove(false);
    m_path = dragDir.filePath(archiveFileName(reference, format));
    service::SaveRequest request;
    request.images = {reference};
    request.format = format == OciArchive ? QStringLiteral("oci-archive") : QStringLiteral("docker-archive");
    request.outputPath = m_path;
    if (!dragDir.isValid()) {
        m_finished = true;
        m_error = tr("Could not make a temporary directory for the archive: %1").arg(dragDir.errorString());
        return;
    }
    auto *job = service->save(request);
    m_job = job;
    m_jobId = job->id();
    connect(job, &service::Job::finished, this, [this, job] { onSaved(bool(job->result()), job->status().error); });
}

void ImageArchiveMimeData::onSaved(bool saved, const QString &error)
{
    if (m_finished)
        return;
    m_finished = true;
    m_saved = saved;
    m_error = error;
    Q_EMIT saveFinished(m_saved);
}

QStringList ImageArchiveMimeData::formats() const { return {kUriList}; }

bool ImageArchiveMimeData::hasFormat(const QString &mimeType) const { return mimeType == kUriList; }

bool ImageArchiveMimeData::waitForSave() const
{
    if (m_finished || m_waiting)
        return m_saved; // a nested request (another drop event) does not wait again
    m_waiting = true;
    waitForJob(m_job, maxWaitMs()); // our own finished() slot ran first: m_saved is set
    m_waiting = false;
    return m_saved;
}

QVariant ImageArchiveMimeData::retrieveData(const QString &mimeType, QMetaType type) const
{
    if (mimeType != kUriList || !waitForSave())
        return {};
    // QMimeData::urls() asks for a list of URLs; data() for the bytes.
    if (type.id() == QMetaType::QByteArray)
        return QUrl::fromLocalFile(m_path).toEncoded() + "\r\n";
    return QVariant(QList<QVariant>{QUrl::fromLocalFile(m_path)});
}

} // namespace porthole::gui
