// LayerFileMimeData: what dragging files out of the layer inspector carries.
// The files are extracted from their layer dirs (layer::extractLayerFile:
// regular files only, no symlink followed) into a temporary directory that
// lives until the application exits, and only when the drop target asks for
// the URLs, not when the drag starts. The copies outlive the drop because a
// file manager may copy them after the drop returns.
// Threading: UI thread (extraction reads one file, on the drop).
#pragma once

#include <QByteArray>
#include <QList>
#include <QMimeData>
#include <QString>
#include <QUrl>

namespace porthole::gui {

class LayerFileMimeData : public QMimeData {
public:
    struct Item {
        QString layerDir;  // the unpacked layer directory
        QByteArray relPath; // below it, no leading slash: "etc/passwd"
    };
    explicit LayerFileMimeData(QList<Item> items) : m_items(std::move(items)) { }

    QStringList formats() const override;
    bool hasFormat(const QString &mimeType) const override { return formats().contains(mimeType); }

protected:
    QVariant retrieveData(const QString &mimeType, QMetaType type) const override;

private:
    void extract() const;

    QList<Item> m_items;
    mutable bool m_extracted = false;
    mutable QList<QUrl> m_urls;
};

} // namespace porthole::gui
