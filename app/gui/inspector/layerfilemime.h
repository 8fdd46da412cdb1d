// LayerFileMimeData: what dragging files out of the layer inspector carries.
// The files are copied out of their layer dirs (regular files only, no
// symlink followed) into a temporary directory that lives until the
// application exits, and only when the drop target asks for the URLs, not
// when the drag starts. The copy is EngineService::extractLayerFiles, a job
// on a worker; retrieveData waits for it (gui/inspector/jobwait.h) for at
// most kDropWaitMs. The copies outlive the drop because a file manager may
// copy them after the drop returns.
// Threading: UI thread; the service must outlive this.
#pragma once

#include "service/engineservice.h"

#include <QList>
#include <QMimeData>
#include <QString>
#include <QUrl>

namespace porthole::gui {

class LayerFileMimeData : public QMimeData {
public:
    using Item = service::ExtractFilesRequest::File;
    // Without a service only text/plain (the paths) is given.
    LayerFileMimeData(service::EngineService *service, QList<Item> items) : m_service(service), m_items(std::move(items)) {}

    QStringList formats() const override;
    bool hasFormat(const QString &mimeType) const override { return formats().contains(mimeType); }

protected:
    QVariant retrieveData(const QString &mimeType, QMetaType type) const override;

private:
    // Starts the copy once, and waits (bounded) for it.
    void extract() const;

    service::EngineService *m_service;
    QList<Item> m_items;
    mutable bool m_started = false;
    mutable QList<QUrl> m_urls;
};

} // namespace porthole::gui
