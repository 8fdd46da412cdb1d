#include "gui/inspector/layerfilemime.h"

#include "gui/inspector/jobwait.h"

#include <QDir>
#include <QTemporaryDir>

#include <memory>

namespace porthole::gui {

namespace {

QString dragDir()
{
    static std::unique_ptr<QTemporaryDir> dir;
    if (!dir)
        dir = std::make_unique<QTemporaryDir>(QDir::tempPath() + QStringLiteral("/porthole-drag-XXXXXX"));
    return dir->isValid() ? dir->path() : QString();
}

} // namespace

QStringList LayerFileMimeData::formats() const
{
    if (!m_service)
        return {QStringLiteral("text/plain")};
    return {QStringLiteral("text/uri-list"), QStringLiteral("text/plain")};
}

QVariant LayerFileMimeData::retrieveData(const QString &mimeType, QMetaType type) const
{
    if (mimeType == QLatin1String("text/plain")) {
        QStringList paths;
        for (const Item &i : m_items)
            paths << QLatin1Char('/') + QString::fromUtf8(i.relPath);
        return paths.join(u'\n');
    }
    if (mimeType != QLatin1String("text/uri-list") || !m_service)
        return {};
    extract();
    // Platform drag code asks for bytes; QMimeData::urls() for a list.
    if (type.id() == QMetaType::QByteArray || type.id() == QMetaType::QString) {
        QByteArray list;
        for (const QUrl &u : m_urls)
            list += u.toEncoded() + "\r\n";
        return list;
    }
    QVariantList urls;
    for (const QUrl &u : m_urls)
        urls << u;
    return urls;
}

void LayerFileMimeData::extract() const
{
    if (m_started)
        return; // a nested request (another drop event) does not wait again
    m_started = true;
    const QString base = dragDir();
    if (base.isEmpty())
        return;
    auto *job = m_service->extractLayerFiles({m_items, base});
    auto *self = const_cast<LayerFileMimeData *>(this); // the connection's context: dies with us
    QObject::connect(job, &service::Job::finished, self, [self, job] {
        if (!job->result())
            return;
        for (const QString &error : job->result()->errors)
            qWarning("drag out: %s", qPrintable(error));
        for (const QString &path : job->result()->paths)
            self->m_urls << QUrl::fromLocalFile(path);
    });
    waitForJob(job, kDropWaitMs);
}

} // namespace porthole::gui
