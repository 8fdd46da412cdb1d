// ArchiveDrop: what happens to a tarball dropped onto the window. Each file
// is first probed on a worker (EngineService::probeArchive: entry names
// only, a bounded read; the window never reads the file itself), then loaded (a docker-archive or an OCI archive:
// `porthole load -i FILE`) or imported (a rootfs tarball: `porthole import
// FILE localhost/NAME:latest`, NAME from the file name).
// Threading: UI thread; the service must outlive it.
#pragma once

#include "archive/archiveprobe.h"

#include <QObject>
#include <QStringList>

class QMimeData;

namespace porthole::service {
class EngineService;
class Job;
}

namespace porthole::gui {

using archive::ArchiveKind;
using archive::archiveKindName;
using archive::isImageArchive;

class ArchiveDrop : public QObject {
    Q_OBJECT
public:
    explicit ArchiveDrop(service::EngineService *service, QObject *parent = nullptr);

    // The local files of the mime data that look like archives by their
    // name (.tar, .tar.gz, .tgz, .tar.zst, .tar.xz); empty for Porthole's
    // own drag (an image dragged out must not be loaded back).
    static QStringList archivePaths(const QMimeData *mime);
    static bool hasArchiveName(const QString &path);
    // "localhost/alpine-rootfs:latest" for "Alpine-RootFS.tar.gz"; empty
    // when nothing usable is left (the import is then untagged).
    static QString importReference(const QString &path);

    // Probes the file, then loads or imports it. Returns the probe's job.
    service::Job *open(const QString &path);

Q_SIGNALS:
    // The probe's verdict and the load or import job it started.
    void routed(const QString &path, porthole::archive::ArchiveKind kind, porthole::service::Job *job);
    // The probe failed (not a tar, unreadable): a sentence for the user.
    void failed(const QString &path, const QString &error);
    // A job this started (the probe, then load or import).
    void jobStarted(porthole::service::Job *job);

private:
    void route(const QString &path, ArchiveKind kind);

    service::EngineService *m_service;
};

} // namespace porthole::gui
