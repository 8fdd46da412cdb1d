#include "archive/loader.h"

#include "archive/loaderscan.h"

#include "core/imageconfig.h"
#include "core/imageindex.h"
#include "core/jsonobject.h"
#include "core/manifest.h"
#include "core/mediatypes.h"
#include "core/reference.h"
#include "layer/compression.h"
#include "store/imagestore.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>

#include <optional>

namespace porthole::archive {

namespace {

using layer::Compression;
using loadscan::Entry;
using loadscan::Scan;
using loadscan::cleanPath;
using loadscan::invalid;
using loadscan::withLoad;

constexpr int kMaxLinkHops = 40;     // as the kernel's MAXSYMLINKS
constexpr int kMaxIndexDepth = 4;    // an index of an index of ...

QString describe(Compression c)
{
    return c == Compression::None ? QStringLiteral("a plain tar") : layer::compressionName(c) + QStringLiteral("-compressed");
}

QString shortDigest(const Digest &d) { return QStringLiteral("sha256:") + d.shortHex(); }

// After the pass: what the documents say, checked against what came.
class Planner {
public:
    Planner(store::Store &store, const Scan &scan) : m_store(store), m_scan(scan) {}

    Result<QList<LoadedImage>> dockerArchive();
    Result<QList<LoadedImage>> ociArchive();

private:
    struct Selected {
        Descriptor descriptor;
        QByteArray bytes;
    };

    Result<const Entry *> resolve(const QString &what, const QString &rawPath) const;
    Result<const Entry *> blobFor(const Descriptor &d, const QString &what) const;
    Result<QByteArray> readDocumentBlob(const Entry &blob, const QString &what, const QString &kind) const;
    Result<ImageConfig> readConfig(const Entry &blob, const QString &what) const;
    Result<Descriptor> layerDescriptor(const QString &what, const Entry &blob, const Digest &diffId) const;
    Result<Selected> selectManifest(Descriptor d, const QString &what, int depth) const;
    Result<LoadedImage> ociImage(const Selected &selected, const QString &what);
    Result<Descriptor> writeManifest(const Manifest &manifest);

    store::Store &m_store;
    const Scan &m_scan;
};

// A path of manifest.json (or a blob's), with links followed part by part;
// nothing may lead out of the archive, and the end must be a file in it.
Result<const Entry *> Planner::resolve(const QString &what, const QString &rawPath) const
{
    if (rawPath.startsWith(u'/'))
        return invalid(QStringLiteral("%1: %2 is an absolute path, outside the archive").arg(what, rawPath));
    std::optional<QString> path = cleanPath(rawPath);
    if (!path)
        return invalid(QStringLiteral("%1: %2 climbs out of the archive").arg(what, rawPath));
    if (path->isEmpty())
        return invalid(QStringLiteral("%1: the path is empty").arg(what));
    int hops = 0;
    for (bool followed = true; followed;) {
        followed = false;
        for (qsizetype pos = 0;;) {
            const qsizetype slash = path->indexOf(u'/', pos);
            const QString prefix = slash < 0 ? *path : path->left(slash);
            auto it = m_scan.entries.constFind(prefix);
            if (it != m_scan.entries.cend() && it->kind == Entry::Link) {
                if (++hops > kMaxLinkHops)
                    return invalid(QStringLiteral("%1: %2 has too many levels of links (a loop?)").arg(what, rawPath));
                if (it->escapes)
                    return invalid(QStringLiteral("%1: %2 leads to %3 through a link, outside the archive")
                                       .arg(what, rawPath, it->target));
                const QString rest = slash < 0 ? QString() : path->mid(slash + 1);
                *path = it->target.isEmpty() ? rest : rest.isEmpty() ? it->target : it->target + u'/' + rest;
                followed = true;
                break;
            }
            if (slash < 0)
                break;
            pos = slash + 1;
        }
    }
    auto it = m_scan.entries.constFind(*path);
    if (it == m_scan.entries.cend() || it->kind != Entry::Blob)
        return Error(ErrorCode::NotFound, QStringLiteral("load: %1: %2 is not in the archive").arg(what, rawPath));
    return &*it;
}

Result<const Entry *> Planner::blobFor(const Descriptor &d, const QString &what) const
{
    PH_TRY(const Entry *blob, resolve(what, QStringLiteral("blobs/sha256/") + d.digest.hex()));
    if (blob->digest != d.digest) // a link to another blob
        return invalid(QStringLiteral("%1: blob %2 has the content of %3").arg(what, d.digest.toString(), blob->digest.toString()));
    if (blob->size != d.size)
        return invalid(QStringLiteral("%1: blob %2 is %3 bytes, but its descriptor says %4")
                           .arg(what, d.digest.toString()).arg(blob->size).arg(d.size));
    return blob;
}

// A blob read as a document: within the limit every reader of the store
// keeps to (core/documentlimit.h), or refused by name.
Result<QByteArray> Planner::readDocumentBlob(const Entry &blob, const QString &what, const QString &kind) const
{
    if (blob.size > kMaxDocumentBytes)
        return invalid(QStringLiteral("%1: the %2 %3 is %4 bytes, more than the limit of %5 MiB")
                           .arg(what, kind, blob.digest.toString()).arg(blob.size).arg(kMaxDocumentBytes >> 20));
    auto bytes = m_store.content().read(blob.digest, kMaxDocumentBytes);
    if (!bytes)
        return withLoad(bytes.error(), what);
    return bytes;
}

Result<ImageConfig> Planner::readConfig(const Entry &blob, const QString &what) const
{
    PH_TRY(const QByteArray bytes, readDocumentBlob(blob, what, QStringLiteral("image config")));
    auto config = ImageConfig::parse(bytes);
    if (!config)
        return withLoad(config.error(), QStringLiteral("%1: image config %2").arg(what, blob.digest.toString()));
    return config;
}

Result<Descriptor> Planner::layerDescriptor(const QString &what, const Entry &blob, const Digest &diffId) const
{
    if (blob.diffIdError)
        return withLoad(*blob.diffIdError, what);
    if (blob.compression == Compression::Xz)
        return invalid(QStringLiteral("%1 is xz-compressed, which no OCI layer media type allows").arg(what));
    if (blob.diffId != diffId)
        return invalid(QStringLiteral("%1: the layer's diff ID is %2, but the image config says %3")
                           .arg(what, blob.diffId.toString(), diffId.toString()));
    Descriptor d;
    PH_TRY(d.mediaType, layer::layerMediaType(blob.compression));
    d.digest = blob.digest;
    d.size = blob.size;
    return d;
}

Result<Descriptor> Planner::writeManifest(const Manifest &manifest)
{
    const QByteArray bytes = manifest.toJson();
    PH_TRY(const Digest digest, m_store.content().write(bytes));
    Descriptor d;
    d.mediaType = mediatype::OciManifest;
    d.digest = digest;
    d.size = bytes.size();
    return d;
}

// manifest.json is the authority: Config, RepoTags, Layers (paths).
Result<QList<LoadedImage>> Planner::dockerArchive()
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(m_scan.documents.value(QStringLiteral("manifest.json")), &parseError);
    if (!doc.isArray())
        return invalid(QStringLiteral("manifest.json is not a JSON array%1")
                           .arg(parseError.error ? QStringLiteral(" (%1)").arg(parseError.errorString()) : QString()));
    QList<LoadedImage> images;
    const QJsonArray array = doc.array();
    for (qsizetype i = 0; i < array.size(); ++i) {
        const QString what = QStringLiteral("manifest.json[%1]").arg(i);
        if (!array[i].isObject())
            return invalid(QStringLiteral("%1 is not an object").arg(what));
        const QJsonObject o = array[i].toObject();
        auto configPath = json::readString(o, u"Config", what, true);
        if (!configPath)
            return withLoad(configPath.error(), QStringLiteral("manifest.json"));
        auto tags = json::readStringList(o, u"RepoTags", what);
        if (!tags)
            return withLoad(tags.error(), QStringLiteral("manifest.json"));
        auto layerPaths = json::readStringList(o, u"Layers", what);
        if (!layerPaths)
            return withLoad(layerPaths.error(), QStringLiteral("manifest.json"));
        PH_TRY(const Entry *configBlob, resolve(what + QStringLiteral(".Config"), *configPath));
        PH_TRY(const ImageConfig config, readConfig(*configBlob, what));
        LoadedImage image;
        image.configDigest = configBlob->digest;
        image.diffIds = config.diffIds();
        if (image.diffIds.size() != layerPaths->size())
            return invalid(QStringLiteral("%1 lists %2 layers, but its config %3 has %4 diff IDs")
                               .arg(what).arg(layerPaths->size()).arg(configBlob->digest.toString()).arg(image.diffIds.size()));
        for (qsizetype j = 0; j < layerPaths->size(); ++j) {
            const QString layerWhat = QStringLiteral("%1.Layers[%2]").arg(what).arg(j);
            PH_TRY(const Entry *blob, resolve(layerWhat, layerPaths->at(j)));
            PH_TRY(const Descriptor d, layerDescriptor(QStringLiteral("%1 (%2)").arg(layerWhat, layerPaths->at(j)), *blob,
                                                       image.diffIds[j]));
            image.layers.append(d);
        }
        Manifest manifest;
        manifest.mediaType = mediatype::OciManifest;
        manifest.config.mediaType = mediatype::OciConfig;
        manifest.config.digest = configBlob->digest;
        manifest.config.size = configBlob->size;
        manifest.layers = image.layers;
        PH_TRY(image.manifest, writeManifest(manifest));
        for (const QString &tag : *tags) {
            auto ref = Reference::parse(tag);
            if (!ref || ref->hasDigest())
                return invalid(QStringLiteral("%1.RepoTags: \"%2\" is not a valid REPOSITORY:TAG").arg(what, tag));
            image.refNames.append(ref->withDefaultTag().toString());
        }
        images.append(image);
    }
    if (images.isEmpty())
        return invalid(QStringLiteral("manifest.json lists no images"));
    return images;
}

// An index entry to one image manifest: a nested index gives its entry for
// this machine (linux/<arch>), as pull chooses.
Result<Planner::Selected> Planner::selectManifest(Descriptor d, const QString &what, int depth) const
{
    if (mediatype::isSchema1Type(d.mediaType))
        return invalid(QStringLiteral("%1 is a Docker schema 1 manifest, which is not supported").arg(what));
    if (!d.mediaType.isEmpty() && !mediatype::isManifestType(d.mediaType) && !mediatype::isIndexType(d.mediaType))
        return invalid(QStringLiteral("%1 has the media type %2, which is neither an image manifest nor an index")
                           .arg(what, d.mediaType));
    PH_TRY(const Entry *blob, blobFor(d, what));
    auto bytes = readDocumentBlob(*blob, what, QStringLiteral("manifest"));
    if (!bytes)
        return bytes.error();
    if (d.mediaType.isEmpty()) { // allowed in old layouts: the document says
        const QJsonObject o = QJsonDocument::fromJson(*bytes).object();
        d.mediaType = o.value(QLatin1String("mediaType")).toString();
        if (d.mediaType.isEmpty())
            d.mediaType = o.contains(QLatin1String("manifests")) ? QString(mediatype::OciIndex) : QString(mediatype::OciManifest);
        if (!mediatype::isManifestType(d.mediaType) && !mediatype::isIndexType(d.mediaType))
            return invalid(QStringLiteral("%1 (%2) has the media type %3, which is neither an image manifest nor an index")
                               .arg(what, d.digest.toString(), d.mediaType));
    }
    if (mediatype::isManifestType(d.mediaType))
        return Selected{d, *bytes};
    if (depth >= kMaxIndexDepth)
        return invalid(QStringLiteral("%1: indexes are nested more than %2 deep").arg(what).arg(kMaxIndexDepth));
    auto index = ImageIndex::parse(*bytes);
    if (!index)
        return withLoad(index.error(), QStringLiteral("%1 (%2)").arg(what, d.digest.toString()));
    const QString arch = store::hostArchitecture();
    QStringList offered;
    for (const Descriptor &entry : index->manifests) {
        if (!entry.platform)
            continue;
        offered.append(entry.platform->os + u'/' + entry.platform->architecture);
        if (entry.platform->os == QLatin1String("linux") && entry.platform->architecture == arch)
            return selectManifest(entry, QStringLiteral("%1 -> %2").arg(what, shortDigest(entry.digest)), depth + 1);
    }
    return Error(ErrorCode::NotFound, QStringLiteral("load: %1: the index %2 has no manifest for linux/%3 (it has: %4)")
                                          .arg(what, d.digest.toString(), arch, offered.join(QStringLiteral(", "))));
}

// An OCI archive's image: its manifest is kept as it is when it is an OCI
// one with OCI types throughout; otherwise an OCI manifest is written for it.
Result<LoadedImage> Planner::ociImage(const Selected &selected, const QString &what)
{
    auto parsed = Manifest::parse(selected.bytes);
    if (!parsed)
        return withLoad(parsed.error(), QStringLiteral("%1: manifest %2").arg(what, selected.descriptor.digest.toString()));
    Manifest manifest = *parsed;
    if (!manifest.mediaType.isEmpty() && manifest.mediaType != selected.descriptor.mediaType)
        return invalid(QStringLiteral("%1: manifest %2 says it is %3, but its descriptor says %4")
                           .arg(what, selected.descriptor.digest.toString(), manifest.mediaType, selected.descriptor.mediaType));
    if (!mediatype::isConfigType(manifest.config.mediaType))
        return invalid(QStringLiteral("%1: manifest %2 is not a container image (its config has the media type %3)")
                           .arg(what, selected.descriptor.digest.toString(), manifest.config.mediaType));
    PH_TRY(const Entry *configBlob, blobFor(manifest.config, what + QStringLiteral(": config")));
    PH_TRY(const ImageConfig config, readConfig(*configBlob, what));
    LoadedImage image;
    image.configDigest = configBlob->digest;
    image.diffIds = config.diffIds();
    if (image.diffIds.size() != manifest.layers.size())
        return invalid(QStringLiteral("%1: manifest %2 has %3 layers, but its config has %4 diff IDs")
                           .arg(what, selected.descriptor.digest.toString()).arg(manifest.layers.size()).arg(image.diffIds.size()));
    bool keep = selected.descriptor.mediaType == mediatype::OciManifest && manifest.config.mediaType == mediatype::OciConfig;
    for (qsizetype j = 0; j < manifest.layers.size(); ++j) {
        const Descriptor &declared = manifest.layers[j];
        const QString layerWhat = QStringLiteral("%1: layer %2 (%3)").arg(what).arg(j).arg(shortDigest(declared.digest));
        if (!mediatype::isLayerType(declared.mediaType))
            return invalid(QStringLiteral("%1 has the media type %2, which is no layer type").arg(layerWhat, declared.mediaType));
        PH_TRY(const Entry *blob, blobFor(declared, layerWhat));
        PH_TRY(Descriptor d, layerDescriptor(layerWhat, *blob, image.diffIds[j]));
        PH_TRY(const Compression said, layer::compressionFromMediaType(declared.mediaType));
        if (said != blob->compression)
            return invalid(QStringLiteral("%1 is declared %2, but its bytes are %3")
                               .arg(layerWhat, describe(said), describe(blob->compression)));
        keep = keep && d.mediaType == declared.mediaType;
        d.annotations = declared.annotations;
        image.layers.append(d);
    }
    if (keep) { // as it came, so its digest stays; the index entry gets our annotations
        image.manifest.mediaType = mediatype::OciManifest;
        image.manifest.digest = selected.descriptor.digest;
        image.manifest.size = selected.descriptor.size;
        return image;
    }
    manifest.mediaType = mediatype::OciManifest;
    manifest.config.mediaType = mediatype::OciConfig;
    manifest.layers = image.layers;
    PH_TRY(image.manifest, writeManifest(manifest));
    return image;
}

// index.json is the authority; names come from its entries' annotations.
Result<QList<LoadedImage>> Planner::ociArchive()
{
    if (m_scan.documents.contains(QStringLiteral("oci-layout"))) {
        const QJsonObject layout = QJsonDocument::fromJson(m_scan.documents.value(QStringLiteral("oci-layout"))).object();
        if (!layout.value(QLatin1String("imageLayoutVersion")).isString())
            return invalid(QStringLiteral("oci-layout has no imageLayoutVersion"));
    }
    auto index = ImageIndex::parse(m_scan.documents.value(QStringLiteral("index.json")));
    if (!index)
        return withLoad(index.error(), QStringLiteral("index.json"));
    QList<LoadedImage> images;
    QHash<Digest, qsizetype> byManifest; // one image per manifest, with all its names
    for (qsizetype i = 0; i < index->manifests.size(); ++i) {
        const Descriptor &entry = index->manifests[i];
        const QString what = QStringLiteral("index.json manifests[%1]").arg(i);
        auto name = refNameFromAnnotations(entry.annotations);
        if (!name)
            return withLoad(name.error(), what);
        PH_TRY(const Selected selected, selectManifest(entry, what, 0));
        auto known = byManifest.constFind(selected.descriptor.digest);
        if (known == byManifest.cend()) {
            PH_TRY(LoadedImage image, ociImage(selected, what));
            known = byManifest.insert(selected.descriptor.digest, images.size());
            images.append(image);
        }
        if (!name->isEmpty() && !images[*known].refNames.contains(*name))
            images[*known].refNames.append(*name);
    }
    if (images.isEmpty())
        return invalid(QStringLiteral("index.json lists no images"));
    return images;
}

// docker keys images by ID: an image the store already has (pulled, or
// loaded before with other compression) keeps its manifest and gets the
// names, rather than a second manifest for the same ID.
Status keepStoredManifests(store::Store &store, QList<LoadedImage> &images)
{
    PH_TRY(const QList<store::StoredImage> stored, store::ImageStore(store).list());
    QHash<Digest, Descriptor> byId;
    for (const store::StoredImage &image : stored) {
        if (!byId.contains(image.configDigest))
            byId.insert(image.configDigest, image.descriptor);
    }
    for (LoadedImage &image : images) {
        if (auto it = byId.constFind(image.configDigest); it != byId.cend()) {
            image.manifest.mediaType = it->mediaType;
            image.manifest.digest = it->digest;
            image.manifest.size = it->size;
        }
    }
    return {};
}

} // namespace

Result<QString> refNameFromAnnotations(const QMap<QString, QString> &annotations)
{
    QString text = annotations.value(QStringLiteral("io.containerd.image.name"));
    if (text.isEmpty()) {
        text = annotations.value(QLatin1String(store::kRefNameAnnotation));
        if (!text.contains(u'/') && !text.contains(u':'))
            return QString();
    }
    auto ref = Reference::parse(text);
    if (!ref)
        return invalid(QStringLiteral("the image name \"%1\" is not a valid reference").arg(text));
    if (ref->hasDigest())
        return ref->hasTag() ? ref->withoutTagOrDigest().withTag(ref->tag()).toString() : QString();
    return ref->withDefaultTag().toString();
}

Result<LoadResult> loadArchive(store::Store &store, ByteSource &input, const LoadOptions &options, const CancelToken &cancel,
                               const ProgressSink &progress)
{
    // Every blob of the pass is unreferenced until the index edit.
    PH_TRY(store::FileLock useLock, store.useLock());
    PH_TRY(const Scan scan, loadscan::scanArchive(store, input, options, cancel, progress));
    Planner planner(store, scan);
    LoadResult result;
    if (scan.documents.contains(QStringLiteral("manifest.json"))) {
        result.format = ArchiveFormat::DockerArchive;
        PH_TRY(result.images, planner.dockerArchive());
    } else if (scan.documents.contains(QStringLiteral("index.json"))) {
        result.format = ArchiveFormat::OciArchive;
        PH_TRY(result.images, planner.ociArchive());
    } else if (scan.documents.contains(QStringLiteral("repositories"))) {
        return invalid(QStringLiteral("the archive has a repositories file but no manifest.json: "
                                      "docker's format from before 1.10 is not supported"));
    } else if (scan.entryCount == 0) {
        return invalid(QStringLiteral("the input is empty; expected a docker-archive or an OCI archive"));
    } else {
        return invalid(QStringLiteral("the archive has neither manifest.json nor index.json: "
                                      "it is not a docker-archive or an OCI archive"));
    }
    PH_CHECK(keepStoredManifests(store, result.images));
    if (options.beforeName)
        PH_CHECK(options.beforeName(result.images));
    PH_CHECK(cancel.check(QStringLiteral("load")));
    PH_CHECK(store.editIndex([&](store::TagIndex &index) {
        for (const LoadedImage &image : result.images) {
            const QJsonObject descriptor = image.manifest.toJson();
            if (image.refNames.isEmpty())
                index.addUntagged(descriptor);
            for (const QString &name : image.refNames)
                index.setTag(name, descriptor);
        }
        return Status();
    }));
    report(progress, {options.progressId, QStringLiteral("Done"), options.inputSize, options.inputSize});
    return result;
}

} // namespace porthole::archive
