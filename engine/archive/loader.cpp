// First: inside namespace porthole, its `archive *` would otherwise find
// porthole::archive (declared by loader.h) instead of libarchive's struct.
#include "layer/tarreader.h"

#include "archive/loader.h"

#include "core/imageconfig.h"
#include "core/imageindex.h"
#include "core/jsonobject.h"
#include "core/manifest.h"
#include "core/mediatypes.h"
#include "core/reference.h"
#include "layer/compression.h"
#include "layer/decompresssource.h"
#include "store/imagestore.h"

#include <archive.h>
#include <archive_entry.h>

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>

#include <optional>

namespace porthole::archive {

namespace {

using layer::Compression;

constexpr int kMaxLinkHops = 40;     // as the kernel's MAXSYMLINKS
constexpr int kMaxIndexDepth = 4;    // an index of an index of ...
constexpr qint64 kMaxConfigBytes = 16 << 20;
constexpr qint64 kMaxManifestBytes = 4 << 20;
const QStringList kDocuments = {QStringLiteral("manifest.json"), QStringLiteral("index.json"),
                                QStringLiteral("repositories"), QStringLiteral("oci-layout")};

Error invalid(const QString &message) { return Error(ErrorCode::InvalidArgument, QStringLiteral("load: ") + message); }

Error withLoad(const Error &error, const QString &step)
{
    return error.message.startsWith(QLatin1String("load: ")) ? error : error.context(QStringLiteral("load: ") + step);
}

// Polls cancel per chunk and reports the archive's bytes as they are read.
class WatchedSource final : public ByteSource {
public:
    WatchedSource(ByteSource &inner, const CancelToken &cancel, const ProgressSink &progress, const LoadOptions &options)
        : m_inner(inner), m_cancel(cancel), m_progress(progress), m_options(options) {}

    Result<qint64> read(char *buf, qint64 max) override
    {
        PH_CHECK(m_cancel.check(QStringLiteral("load")));
        PH_TRY(const qint64 n, m_inner.read(buf, max));
        m_done += n;
        report(m_progress, {m_options.progressId, QStringLiteral("Loading"), m_done, m_options.inputSize});
        return n;
    }

private:
    ByteSource &m_inner;
    const CancelToken &m_cancel;
    const ProgressSink &m_progress;
    const LoadOptions &m_options;
    qint64 m_done = 0;
};

// The unpacker's limits on decompressed bytes (total, and the ratio to the
// compressed bytes behind them), for the archive and for its blobs. Sticky.
class BudgetSource final : public ByteSource {
public:
    BudgetSource(ByteSource &inner, const layer::DecompressSource &counter, const layer::UnpackLimits &limits)
        : m_inner(inner), m_counter(counter), m_limits(limits) {}

    Result<qint64> read(char *buf, qint64 max) override
    {
        if (m_failed)
            return *m_failed;
        PH_TRY(const qint64 n, m_inner.read(buf, max));
        m_total += n;
        const qint64 packed = m_counter.compressedBytesRead();
        if (m_total > m_limits.maxBytes)
            m_failed = Error(ErrorCode::InvalidArgument,
                             QStringLiteral("the uncompressed data is larger than the limit of %1 bytes").arg(m_limits.maxBytes));
        else if (m_total > m_limits.ratioGraceBytes && packed > 0 && double(m_total) > m_limits.maxRatio * double(packed))
            m_failed = Error(ErrorCode::InvalidArgument, QStringLiteral("%1 compressed bytes expanded to %2, more than %3 times: "
                                                                        "refusing a likely decompression bomb")
                                                             .arg(packed).arg(m_total).arg(m_limits.maxRatio));
        if (m_failed)
            return *m_failed;
        return n;
    }

private:
    ByteSource &m_inner;
    const layer::DecompressSource &m_counter;
    const layer::UnpackLimits &m_limits;
    qint64 m_total = 0;
    std::optional<Error> m_failed;
};

// The data of the archive entry the reader is at.
class EntrySource final : public ByteSource {
public:
    EntrySource(layer::TarReader &reader, QString step) : m_reader(reader), m_step(std::move(step)) {}

    Result<qint64> read(char *buf, qint64 max) override
    {
        if (m_failed)
            return *m_failed;
        const la_ssize_t n = archive_read_data(m_reader.handle(), buf, size_t(max));
        if (n < 0) {
            m_failed = m_reader.error(m_step);
            return *m_failed;
        }
        return qint64(n);
    }
    // Set when the archive itself failed, as opposed to what is in the entry.
    const std::optional<Error> &failure() const { return m_failed; }

private:
    layer::TarReader &m_reader;
    QString m_step;
    std::optional<Error> m_failed;
};

// A file or link of the archive, by its cleaned path.
struct Entry {
    enum Kind { Blob, Link };
    Kind kind = Blob;
    Digest digest; // Blob: of the bytes, as stored
    qint64 size = 0;
    Compression compression = Compression::None;
    Digest diffId;                     // of the decompressed bytes (== digest for a plain blob)
    std::optional<Error> diffIdError;  // why it has none: corrupt, or a bomb
    QString target;                    // Link: the path it stands for, or the raw target if it escapes
    bool escapes = false;

    bool sameAs(const Entry &o) const
    {
        return kind == o.kind && (kind == Blob ? digest == o.digest : (target == o.target && escapes == o.escapes));
    }
};

// The name as a path inside the archive: no leading "/" or "./", no empty or
// "." parts, ".." applied; nullopt when it climbs above the root.
std::optional<QString> cleanPath(QStringView path)
{
    QStringList parts;
    for (QStringView part : path.split(u'/')) {
        if (part.isEmpty() || part == u".")
            continue;
        if (part == u"..") {
            if (parts.isEmpty())
                return std::nullopt;
            parts.removeLast();
            continue;
        }
        parts.append(part.toString());
    }
    return parts.join(u'/');
}

// The digest a path names: blobs/sha256/<hex>, or docker's <config hex>.json.
std::optional<Digest> digestOfName(const QString &path)
{
    QString hex;
    if (path.startsWith(QLatin1String("blobs/sha256/")))
        hex = path.mid(13);
    else if (path.endsWith(QLatin1String(".json")) && !path.contains(u'/'))
        hex = path.chopped(5);
    else
        return std::nullopt;
    auto digest = Digest::parse(QStringLiteral("sha256:") + hex);
    return digest ? std::optional<Digest>(*digest) : std::nullopt;
}

struct Scan {
    QHash<QString, Entry> entries;
    QHash<QString, QByteArray> documents;
    qint64 entryCount = 0;
};

// The one pass over the archive.
class Scanner {
public:
    Scanner(store::Store &store, const LoadOptions &options) : m_store(store), m_options(options) {}

    Result<Scan> run(ByteSource &input)
    {
        layer::PeekSource peek(input);
        auto head = peek.peek(layer::kCompressionMagicSize);
        if (!head)
            return withLoad(head.error(), QStringLiteral("read the archive"));
        const Compression compression = layer::detectCompression(*head);
        layer::DecompressSource decompressed(peek, compression);
        BudgetSource budget(decompressed, decompressed, m_options.limits);
        layer::TarReader reader(compression == Compression::None ? static_cast<ByteSource &>(decompressed) : budget,
                                QStringLiteral("load: read the archive"));
        for (;;) {
            PH_TRY(archive_entry * e, reader.next());
            if (!e)
                break;
            if (++m_scan.entryCount > m_options.limits.maxEntries)
                return invalid(QStringLiteral("the archive has more than the limit of %1 entries").arg(m_options.limits.maxEntries));
            PH_CHECK(onEntry(reader, e));
        }
        return std::move(m_scan);
    }

private:
    Status onEntry(layer::TarReader &reader, archive_entry *e)
    {
        const char *raw = archive_entry_pathname(e);
        const QString name = QString::fromUtf8(raw ? raw : "");
        const auto path = cleanPath(name);
        if (!path || path->isEmpty())
            return {}; // never referenced: a reference that leaves the archive is refused
        Entry entry;
        if (const char *hard = archive_entry_hardlink(e)) {
            entry.kind = Entry::Link;
            const QString target = QString::fromUtf8(hard);
            const auto cleaned = cleanPath(target);
            entry.escapes = !cleaned;
            entry.target = cleaned.value_or(target);
            return record(*path, entry);
        }
        switch (archive_entry_filetype(e)) {
        case AE_IFLNK: {
            entry.kind = Entry::Link;
            const char *rawTarget = archive_entry_symlink(e);
            const QString target = QString::fromUtf8(rawTarget ? rawTarget : "");
            const qsizetype slash = path->lastIndexOf(u'/');
            const auto cleaned = target.startsWith(u'/') ? std::nullopt
                                                         : cleanPath((slash < 0 ? QString() : path->left(slash)) + u'/' + target);
            entry.escapes = !cleaned;
            entry.target = cleaned.value_or(target);
            return record(*path, entry);
        }
        case AE_IFREG:
            break;
        default:
            return {}; // directories and the like hold nothing to load
        }
        if (kDocuments.contains(*path))
            return readDocument(reader, *path, archive_entry_size(e));
        // Docker's v1 metadata beside each layer.tar: nothing reads it.
        if (path->count(u'/') == 1 && (path->endsWith(QLatin1String("/json")) || path->endsWith(QLatin1String("/VERSION"))))
            return {};
        PH_TRY(Entry blob, storeBlob(reader, *path));
        if (m_options.onBlobStored)
            m_options.onBlobStored({*path, blob.digest, blob.size, blob.diffId});
        return record(*path, blob);
    }

    Status record(const QString &path, const Entry &entry)
    {
        auto it = m_scan.entries.constFind(path);
        if (it != m_scan.entries.cend() && !it->sameAs(entry))
            return invalid(QStringLiteral("the archive has two entries named %1 with different content").arg(path));
        m_scan.entries.insert(path, entry);
        return {};
    }

    Status readDocument(layer::TarReader &reader, const QString &path, qint64 declared)
    {
        const qint64 limit = m_options.maxDocumentBytes;
        if (declared > limit)
            return invalid(QStringLiteral("%1 is %2 bytes, more than the limit of %3").arg(path).arg(declared).arg(limit));
        EntrySource data(reader, QStringLiteral("load: read %1").arg(path));
        QByteArray bytes(qMax<qint64>(declared, 0), Qt::Uninitialized);
        qint64 have = 0;
        for (;;) {
            if (have == bytes.size())
                bytes.resize(qMin(limit + 1, qMax<qint64>(2 * have, 4096)));
            PH_TRY(const qint64 n, data.read(bytes.data() + have, bytes.size() - have));
            if (n == 0)
                break;
            have += n;
            if (have > limit)
                return invalid(QStringLiteral("%1 is more than the limit of %2 bytes").arg(path).arg(limit));
        }
        bytes.resize(have);
        auto it = m_scan.documents.constFind(path);
        if (it != m_scan.documents.cend() && *it != bytes)
            return invalid(QStringLiteral("the archive has two entries named %1 with different content").arg(path));
        m_scan.documents.insert(path, bytes);
        return {};
    }

    // Streams the entry into the content store: its bytes as they are, and,
    // if they are gzip or zstd, their decompressed hash (a layer's diff ID).
    Result<Entry> storeBlob(layer::TarReader &reader, const QString &path)
    {
        const QString step = QStringLiteral("load: entry %1").arg(path);
        EntrySource data(reader, step);
        PH_TRY(auto writer, m_store.content().openWriter());
        TeeSource stored(data, *writer);
        layer::PeekSource peek(stored);
        PH_TRY(const QByteArrayView head, peek.peek(layer::kCompressionMagicSize));
        Entry out;
        out.compression = layer::detectCompression(head);
        if (out.compression == Compression::Gzip || out.compression == Compression::Zstd) {
            layer::DecompressSource inflated(peek, out.compression);
            DigestingSource hashed(inflated);
            BudgetSource budget(hashed, inflated, m_options.limits);
            const Status drained = drain(budget);
            if (data.failure())
                return *data.failure();
            // Only fatal if an image uses the blob as a layer.
            if (drained)
                out.diffId = hashed.finish();
            else
                out.diffIdError = drained.error();
        }
        PH_CHECK(drain(peek)); // the rest: all of a plain blob
        auto digest = writer->commit(digestOfName(path));
        if (!digest)
            return digest.error().context(step);
        out.digest = *digest;
        out.size = writer->bytesWritten();
        if (out.compression == Compression::None)
            out.diffId = out.digest;
        return out;
    }

    store::Store &m_store;
    const LoadOptions &m_options;
    Scan m_scan;
};

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

Result<ImageConfig> Planner::readConfig(const Entry &blob, const QString &what) const
{
    auto bytes = m_store.content().read(blob.digest, kMaxConfigBytes);
    if (!bytes)
        return withLoad(bytes.error(), what);
    auto config = ImageConfig::parse(*bytes);
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
    auto bytes = m_store.content().read(blob->digest, kMaxManifestBytes);
    if (!bytes)
        return withLoad(bytes.error(), what);
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
    WatchedSource watched(input, cancel, progress, options);
    PH_TRY(const Scan scan, Scanner(store, options).run(watched));
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
