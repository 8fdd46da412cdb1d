#include "archive/archiveprobe.h"

#include "core/bytestream.h"
#include "layer/decompresssource.h"
#include "layer/tarreader.h"

#include <QRegularExpression>

#include <archive_entry.h>

namespace porthole::archive {

namespace {

// Passes the file through until `limit` bytes, then fails: what bounds the
// probe's read of a compressed archive whose blobs come first.
class BoundedSource final : public ByteSource {
public:
    BoundedSource(ByteSource &inner, qint64 limit) : m_inner(inner), m_limit(limit) {}
    Result<qint64> read(char *buf, qint64 max) override
    {
        if (m_read >= m_limit) {
            m_exhausted = true;
            return Error(ErrorCode::FailedPrecondition, QStringLiteral("probe read limit reached"));
        }
        PH_TRY(const qint64 n, m_inner.read(buf, std::min(max, m_limit - m_read)));
        m_read += n;
        return n;
    }
    bool exhausted() const { return m_exhausted; }

private:
    ByteSource &m_inner;
    qint64 m_limit;
    qint64 m_read = 0;
    bool m_exhausted = false;
};

QString cleanName(QString name)
{
    while (name.startsWith(QLatin1String("./")))
        name.remove(0, 2);
    while (name.startsWith(u'/'))
        name.remove(0, 1);
    while (name.endsWith(u'/'))
        name.chop(1);
    return name == QLatin1String(".") ? QString() : name;
}

} // namespace

bool isImageArchiveEntry(const QString &name)
{
    static const QRegularExpression shape(QStringLiteral(
        "^(oci-layout|index\\.json|manifest\\.json|repositories|blobs(/[a-z0-9]+(/[a-f0-9]+)?)?"
        "|[a-f0-9]{64}(\\.json|/(layer\\.tar|json|VERSION))?)$"));
    return shape.match(name).hasMatch();
}

Result<ArchiveKind> probeArchive(const QString &path, const CancelToken &cancel)
{
    const QString step = QStringLiteral("inspect %1").arg(path);
    PH_TRY(auto file, FileSource::open(path));
    BoundedSource bounded(*file, kProbeBytes);
    auto opened = layer::openDecompressed(bounded);
    if (!opened)
        return opened.error().context(step);
    layer::TarReader reader(*opened->source, step);
    bool ociLayout = false;
    qint64 entries = 0;
    while (entries < kProbeEntries) {
        if (cancel.isCancelled())
            return Error(ErrorCode::Cancelled, step + QStringLiteral(": cancelled"));
        auto entry = reader.next();
        if (!entry) {
            // Far enough into blob-shaped entries: an image archive.
            if (bounded.exhausted() && entries > 0)
                break;
            return entry.error();
        }
        if (!*entry)
            break;
        const QString name = cleanName(QString::fromUtf8(archive_entry_pathname(*entry)));
        if (name.isEmpty())
            continue;
        ++entries;
        if (name == QLatin1String("manifest.json"))
            return ArchiveKind::DockerArchive;
        if (!isImageArchiveEntry(name))
            return ArchiveKind::RootfsTarball;
        if (name == QLatin1String("oci-layout") || name == QLatin1String("index.json"))
            ociLayout = true;
    }
    if (entries == 0)
        return Error(ErrorCode::InvalidArgument, step + QStringLiteral(": the archive is empty"));
    // Read to its end without a manifest.json: an OCI archive when it has
    // the layout file. Stopped early: either format.
    if (entries < kProbeEntries && !bounded.exhausted())
        return ociLayout ? ArchiveKind::OciArchive : ArchiveKind::RootfsTarball;
    return ArchiveKind::ImageArchive;
}

QString archiveKindName(ArchiveKind kind)
{
    switch (kind) {
    case ArchiveKind::DockerArchive: return QStringLiteral("docker-archive");
    case ArchiveKind::OciArchive: return QStringLiteral("oci-archive");
    case ArchiveKind::ImageArchive: return QStringLiteral("image archive");
    case ArchiveKind::RootfsTarball: return QStringLiteral("rootfs tarball");
    }
    return {};
}

} // namespace porthole::archive
