#include "gui/inspector/layerfilemime.h"

#include "layer/layerindex.h"

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
    if (mimeType != QLatin1String("text/uri-list"))
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
    if (m_extracted)
        return;
    m_extracted = true;
    const QString base = dragDir();
    if (base.isEmpty())
        return;
    static int serial = 0;
    for (const Item &item : m_items) {
        // A directory per file: two files of one name can be dragged at once.
        const QString dir = QStringLiteral("%1/%2").arg(base).arg(++serial);
        const QString dest = dir + u'/' + QString::fromUtf8(item.relPath.mid(item.relPath.lastIndexOf('/') + 1));
        if (!QDir().mkpath(dir))
            continue;
        if (auto copied = layer::extractLayerFile(item.layerDir, item.relPath, dest); !copied)
            qWarning("drag out: %s", qPrintable(copied.error().message));
        else
            m_urls << QUrl::fromLocalFile(dest);
    }
}

} // namespace porthole::gui
