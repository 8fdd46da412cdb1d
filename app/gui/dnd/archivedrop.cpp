#include "gui/dnd/archivedrop.h"

#include "gui/dnd/imagearchivemime.h"
#include "service/engineservice.h"

#include <QFileInfo>
#include <QMimeData>
#include <QRegularExpression>
#include <QUrl>

namespace porthole::gui {

namespace {

const QStringList kSuffixes{QStringLiteral(".tar"), QStringLiteral(".tar.gz"), QStringLiteral(".tgz"),
                            QStringLiteral(".tar.zst"), QStringLiteral(".tar.xz")};

} // namespace

ArchiveDrop::ArchiveDrop(service::EngineService *service, QObject *parent) : QObject(parent), m_service(service)
{
    qRegisterMetaType<ArchiveKind>();
}

bool ArchiveDrop::hasArchiveName(const QString &path)
{
    return std::any_of(kSuffixes.begin(), kSuffixes.end(), [&](const QString &s) { return path.endsWith(s, Qt::CaseInsensitive); });
}

QStringList ArchiveDrop::archivePaths(const QMimeData *mime)
{
    // Asking our own drag for its URLs would wait for its save.
    if (!mime || qobject_cast<const ImageArchiveMimeData *>(mime) || !mime->hasUrls())
        return {};
    QStringList paths;
    for (const QUrl &url : mime->urls()) {
        if (url.isLocalFile() && hasArchiveName(url.toLocalFile()))
            paths << url.toLocalFile();
    }
    return paths;
}

QString ArchiveDrop::importReference(const QString &path)
{
    QString name = QFileInfo(path).fileName().toLower();
    for (const QString &suffix : kSuffixes) {
        if (name.endsWith(suffix)) {
            name.chop(suffix.size());
            break;
        }
    }
    // A repository path component: lower case, [a-z0-9] joined by . _ -.
    static const QRegularExpression unsafe(QStringLiteral("[^a-z0-9._-]+"));
    static const QRegularExpression separators(QStringLiteral("[._-]{2,}"));
    static const QRegularExpression edges(QStringLiteral("^[._-]+|[._-]+$"));
    name.replace(unsafe, QStringLiteral("-")).replace(separators, QStringLiteral("-")).remove(edges);
    return name.isEmpty() ? QString() : QStringLiteral("localhost/%1:latest").arg(name);
}

service::Job *ArchiveDrop::open(const QString &path)
{
    // No CLI line: the probe only reads headers; the load or import it
    // starts shows its own command.
    auto *probe = m_service->probeArchive(path);
    connect(probe, &service::Job::finished, this, [this, probe, path] {
        if (probe->result())
            route(path, *probe->result());
        else if (!probe->cancelled())
            Q_EMIT failed(path, probe->result().error().message);
    });
    Q_EMIT jobStarted(probe);
    return probe;
}

void ArchiveDrop::route(const QString &path, ArchiveKind kind)
{
    service::Job *job = nullptr;
    if (isImageArchive(kind)) {
        service::LoadRequest request;
        request.sourcePath = path;
        job = m_service->load(request);
    } else {
        service::ImportRequest request;
        request.sourcePath = path;
        request.reference = importReference(path);
        job = m_service->importImage(request);
    }
    Q_EMIT jobStarted(job);
    Q_EMIT routed(path, kind, job);
}

} // namespace porthole::gui
