// ImageArchiveMimeData: what dragging an image out of the images table
// carries: a file URL (text/uri-list) of the image saved as an archive,
// "demo_latest.tar" (a docker-archive) or "demo_latest.oci.tar".
//
// The trade-off: a drop target asks for the URL when the drop happens, and a
// save takes seconds, so the save job starts when the drag starts (not on
// every mouse press: most presses only select a row). When the target asks
// before the job is done, retrieveData waits for it (gui/inspector/jobwait.h:
// a local event loop that excludes user input), bounded by maxWaitMs(): the
// window keeps painting and the engine keeps working (nothing blocks the UI
// thread in a system call), but the user cannot click until the archive is
// complete or the wait gives up. Past the bound, or after a failed save, no URL is given
// and the drop does nothing; the job's outcome is on the Jobs page.
//
// The archive stays in a per-drag directory under a temporary root that
// lives until the application exits: a file manager copies it after the
// drop returns, so it cannot be removed when the drag ends.
// Threading: UI thread.
#pragma once

#include <QMimeData>
#include <QPointer>
#include <QString>
#include <QUrl>

namespace porthole::service {
class EngineService;
class Job;
}

namespace porthole::gui {

class ImageArchiveMimeData : public QMimeData {
    Q_OBJECT
public:
    enum Format { DockerArchive, OciArchive };

    // Starts the save job at once; the service must outlive this.
    ImageArchiveMimeData(service::EngineService *service, const QString &reference, Format format);

    // The save job: null when it could not start, and once it is over.
    service::Job *job() const { return m_job; }
    quint64 jobId() const { return m_jobId; }
    QString reference() const { return m_reference; }
    Format format() const { return m_format; }
    QString filePath() const { return m_path; }
    // Done: saved (the URL is given) or failed/cancelled (it is not).
    bool finished() const { return m_finished; }
    bool saved() const { return m_saved; }
    QString error() const { return m_error; }

    static int maxWaitMs();
    // "localhost/demo:latest" -> "demo_latest.tar" / "demo_latest.oci.tar".
    static QString archiveFileName(const QString &reference, Format format);
    // Ctrl or Alt held when the drag starts: an OCI archive.
    static Format formatForModifiers(Qt::KeyboardModifiers modifiers);

    QStringList formats() const override;
    bool hasFormat(const QString &mimeType) const override;

Q_SIGNALS:
    void saveFinished(bool saved);

protected:
    QVariant retrieveData(const QString &mimeType, QMetaType type) const override;

private:
    void onSaved(bool saved, const QString &error);
    // Waits (bounded) for the job; true if the archive is complete.
    bool waitForSave() const;

    QString m_reference;
    Format m_format;
    QString m_path;
    QPointer<service::Job> m_job;
    quint64 m_jobId = 0;
    bool m_finished = false;
    bool m_saved = false;
    QString m_error;
    mutable bool m_waiting = false;
};

// The directory drag-out archives go to; removed when the application exits.
QString dragTempRoot();

} // namespace porthole::gui
