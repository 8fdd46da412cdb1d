// The archive shapes follow moby's image/tarexport/save.go (docker 25+) and
// containers/image's oci/archive writer, which podman save uses.
#include "archive/saveplan.h"

#include "core/mediatypes.h"
#include "core/reference.h"
#include "layer/decompresssource.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace porthole::archive::saveplan {

namespace {

constexpr qint64 kChunk = 1 << 20;
constexpr auto kImageNameAnnotation = "io.containerd.image.name";

QByteArray compactJson(const QJsonValue &v)
{
    return v.isArray() ? QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact)
                       : QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact);
}

} // namespace

QString blobName(const Digest &d) { return QStringLiteral("blobs/sha256/") + d.hex(); }

Digest Plan::addBytes(const QString &name, const QByteArray &bytes)
{
    Entry e;
    e.size = bytes.size();
    e.bytes = bytes;
    entries.insert(name, e);
    return Sha256::of(bytes);
}

Digest Plan::addJsonBlob(const QByteArray &json)
{
    const Digest d = Sha256::of(json);
    addBytes(blobName(d), json);
    return d;
}

Result<qint64> Plan::addBlob(const Digest &digest, const QString &what)
{
    if (auto it = entries.constFind(blobName(digest)); it != entries.constEnd())
        return it->size;
    auto size = m_store.content().size(digest);
    if (!size)
        return Error(ErrorCode::NotFound, QStringLiteral("%1 %2 is not in the store").arg(what, digest.toString()));
    entries.insert(blobName(digest), Entry{Entry::Blob, *size, {}, digest, digest, {}});
    return *size;
}

Result<qint64> Plan::addLayerTar(const Descriptor &blob, const Digest &diffId)
{
    if (auto it = entries.constFind(blobName(diffId)); it != entries.constEnd())
        return it->size;
    auto blobSize = m_store.content().size(blob.digest);
    if (!blobSize)
        return Error(ErrorCode::NotFound, QStringLiteral("layer blob %1 is not in the store").arg(blob.digest.toString()));
    PH_TRY(const layer::Compression compression, compressionOf(blob.digest));
    const store::LayerInfo info = m_store.layerInfo(diffId).valueOr(store::LayerInfo());
    qint64 tarSize = compression == layer::Compression::None ? *blobSize : info.tarSize;
    if (tarSize <= 0) {
        PH_TRY(tarSize, measure(blob.digest, compression, *blobSize));
        // Known from now on; a store without the layer's info keeps none.
        if (info.entries > 0)
            (void)m_store.putLayerInfo(diffId, {info.size, info.entries, tarSize});
    }
    entries.insert(blobName(diffId), Entry{Entry::LayerTar, tarSize, {}, blob.digest, diffId, compression});
    return tarSize;
}

Result<layer::Compression> Plan::compressionOf(const Digest &blob)
{
    PH_TRY(auto file, m_store.content().open(blob));
    char head[layer::kCompressionMagicSize];
    qint64 got = 0;
    while (got < qint64(sizeof head)) {
        PH_TRY(const qint64 n, file->read(head + got, qint64(sizeof head) - got));
        if (n == 0)
            break;
        got += n;
    }
    return layer::detectCompression(QByteArrayView(head, got));
}

Result<qint64> Plan::measure(const Digest &blob, layer::Compression compression, qint64 blobSize)
{
    const QString step = QStringLiteral("measure layer %1").arg(blob.toString());
    PH_TRY(auto file, m_store.content().open(blob));
    layer::DecompressSource tar(*file, compression);
    QByteArray buf(kChunk, Qt::Uninitialized);
    qint64 total = 0;
    for (;;) {
        PH_CHECK(m_cancel.check(step));
        auto n = tar.read(buf.data(), buf.size());
        if (!n)
            return n.error().context(step);
        if (*n == 0)
            return total;
        total += *n;
        report(m_progress, {blob.shortHex(), QStringLiteral("Measuring"), tar.compressedBytesRead(), blobSize});
    }
}

Status planDockerArchive(Plan &plan, const QList<SaveItem> &items)
{
    QJsonArray manifests;   // index.json
    QJsonArray dockerItems; // manifest.json
    QJsonObject repositories;
    for (const SaveItem &item : items) {
        const store::StoredImage &image = item.image;
        const QList<Digest> diffIds = image.config.diffIds();
        if (diffIds.size() != image.manifest.layers.size())
            return Error(ErrorCode::FailedPrecondition, QStringLiteral("image %1 has %2 layers but %3 diff IDs in its config")
                                                            .arg(image.shortId()).arg(image.manifest.layers.size()).arg(diffIds.size()));
        Manifest manifest;
        manifest.mediaType = mediatype::OciManifest;
        manifest.config.mediaType = mediatype::OciConfig;
        manifest.config.digest = image.configDigest;
        PH_TRY(manifest.config.size, plan.addBlob(image.configDigest, QStringLiteral("image config")));
        QJsonArray layerPaths;
        for (qsizetype i = 0; i < diffIds.size(); ++i) {
            Descriptor tar;
            tar.mediaType = mediatype::OciLayerTar;
            tar.digest = diffIds[i];
            PH_TRY(tar.size, plan.addLayerTar(image.manifest.layers[i], diffIds[i]));
            manifest.layers.append(tar);
            layerPaths.append(blobName(diffIds[i]));
        }
        const QByteArray manifestJson = manifest.toJson();
        Descriptor top;
        top.mediaType = mediatype::OciManifest;
        top.digest = plan.addJsonBlob(manifestJson);
        top.size = manifestJson.size();

        QJsonArray repoTags;
        for (const QString &refName : item.refNames) {
            const Reference ref = Reference::parse(refName).valueOr(Reference());
            Descriptor tagged = top;
            tagged.annotations.insert(QLatin1String(kImageNameAnnotation), ref.toString());
            tagged.annotations.insert(QLatin1String(store::kRefNameAnnotation), ref.tag());
            manifests.append(tagged.toJson());
            repoTags.append(ref.familiarString());
            QJsonObject tags = repositories.value(ref.familiarName()).toObject();
            tags.insert(ref.tag(), diffIds.isEmpty() ? QString() : diffIds.last().hex());
            repositories.insert(ref.familiarName(), tags);
        }
        if (item.refNames.isEmpty())
            manifests.append(top.toJson());
        // docker writes null for an image saved by ID.
        dockerItems.append(QJsonObject{{QStringLiteral("Config"), blobName(image.configDigest)},
                                       {QStringLiteral("RepoTags"), repoTags.isEmpty() ? QJsonValue() : QJsonValue(repoTags)},
                                       {QStringLiteral("Layers"), layerPaths}});
    }
    plan.addBytes(QStringLiteral("manifest.json"), compactJson(dockerItems) + '\n');
    if (!repositories.isEmpty())
        plan.addBytes(QStringLiteral("repositories"), compactJson(repositories) + '\n');
    plan.addBytes(QStringLiteral("index.json"),
                  compactJson(QJsonObject{{QStringLiteral("schemaVersion"), 2},
                                          {QStringLiteral("mediaType"), QString(mediatype::OciIndex)},
                                          {QStringLiteral("manifests"), manifests}}));
    return {};
}

namespace {

// An OCI layout holds OCI manifests: a Docker schema 2 one is rewritten with
// OCI media types (the blobs stay as they are, as podman's conversion does).
Result<QByteArray> ociManifestBytes(store::Store &store, const store::StoredImage &image)
{
    if (!image.manifest.isDocker())
        return store.content().read(image.manifestDescriptor.digest);
    Manifest m = image.manifest;
    m.mediaType = mediatype::OciManifest;
    m.config.mediaType = mediatype::OciConfig;
    for (Descriptor &l : m.layers) {
        if (l.mediaType == mediatype::DockerLayerGzip)
            l.mediaType = mediatype::OciLayerGzip;
        else if (l.mediaType == mediatype::DockerLayerTar)
            l.mediaType = mediatype::OciLayerTar;
        else if (l.mediaType == mediatype::DockerForeignLayer)
            l.mediaType = mediatype::OciLayerNondistributableGzip;
    }
    return m.toJson();
}

} // namespace

Status planOciArchive(Plan &plan, store::Store &store, const QList<SaveItem> &items)
{
    QJsonArray manifests;
    for (const SaveItem &item : items) {
        const store::StoredImage &image = item.image;
        PH_TRY(const QByteArray manifestJson, ociManifestBytes(store, image));
        PH_CHECK(plan.addBlob(image.configDigest, QStringLiteral("image config")));
        for (const Descriptor &l : image.manifest.layers)
            PH_CHECK(plan.addBlob(l.digest, QStringLiteral("layer blob")));
        Descriptor top;
        top.mediaType = mediatype::OciManifest;
        top.digest = plan.addJsonBlob(manifestJson);
        top.size = manifestJson.size();
        for (const QString &refName : item.refNames) {
            Descriptor tagged = top;
            tagged.annotations.insert(QLatin1String(store::kRefNameAnnotation), refName);
            manifests.append(tagged.toJson());
        }
        if (item.refNames.isEmpty())
            manifests.append(top.toJson());
    }
    plan.addBytes(QStringLiteral("index.json"),
                  compactJson(QJsonObject{{QStringLiteral("schemaVersion"), 2},
                                          {QStringLiteral("mediaType"), QString(mediatype::OciIndex)},
                                          {QStringLiteral("manifests"), manifests}}));
    return {};
}

} // namespace porthole::archive::saveplan
