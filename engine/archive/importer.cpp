#include "archive/importer.h"

#include "store/imagewriter.h"

#include "core/imagechange.h"
#include "core/manifest.h"
#include "core/mediatypes.h"
#include "layer/compression.h"
#include "layer/decompresssource.h"
#include "layer/tarscan.h"
#include "store/imagestore.h"

#include <QDateTime>
#include <QJsonObject>

#include <optional>

namespace porthole::archive {

namespace {

// Counts what passes (for progress) and polls the cancel token per chunk.
class WatchedSource final : public ByteSource {
public:
    WatchedSource(ByteSource &inner, const CancelToken &cancel, const ProgressSink &progress, QString id)
        : m_inner(inner), m_cancel(cancel), m_progress(progress), m_id(std::move(id)) {}

    Result<qint64> read(char *buf, qint64 max) override
    {
        PH_CHECK(m_cancel.check(QStringLiteral("import")));
        PH_TRY(const qint64 n, m_inner.read(buf, max));
        m_done += n;
        report(m_progress, {m_id, QStringLiteral("Importing"), m_done, -1});
        return n;
    }

private:
    ByteSource &m_inner;
    const CancelToken &m_cancel;
    const ProgressSink &m_progress;
    QString m_id;
    qint64 m_done = 0;
};

struct StoredLayer {
    Digest blobDigest;
    qint64 blobSize = 0;
    QString mediaType;
    Digest diffId;
    layer::TarSummary summary;
};

Result<StoredLayer> storeLayer(store::Store &store, ByteSource &input, const CancelToken &cancel)
{
    PH_TRY(auto writer, store.content().openWriter());
    layer::PeekSource peek(input);
    PH_TRY(const QByteArrayView head, peek.peek(layer::kCompressionMagicSize));
    const layer::Compression compression = layer::detectCompression(head);
    // Gzip and zstd blobs are kept as they came; xz has no layer media type,
    // so its decompressed tar is what gets stored. Each byte is hashed once
    // per digest we need: the blob writer hashes what it stores, and only a
    // compressed blob needs a second hash of the tar inside (its diff_id).
    const bool keepCompressed = compression == layer::Compression::Gzip || compression == layer::Compression::Zstd;
    std::optional<TeeSource> rawTee;
    if (keepCompressed)
        rawTee.emplace(peek, *writer);
    layer::DecompressSource tar(keepCompressed ? static_cast<ByteSource &>(*rawTee) : peek, compression);
    std::optional<DigestingSource> tarDigest;
    std::optional<TeeSource> tarTee;
    ByteSource *tarSource = nullptr;
    if (keepCompressed) {
        tarDigest.emplace(tar);
        tarSource = &*tarDigest;
    } else {
        tarTee.emplace(tar, *writer);
        tarSource = &*tarTee;
    }

    StoredLayer out;
    auto summary = layer::scanTar(*tarSource, cancel);
    if (!summary)
        return summary.error();
    out.summary = *summary;
    PH_CHECK(drain(*tarSource)); // the end-of-archive padding belongs to the diff_id too
    PH_TRY(out.blobDigest, writer->commit(std::nullopt, -1, store::NameSync::Later)); // synced by writeImage
    out.diffId = keepCompressed ? tarDigest->finish() : out.blobDigest;
    out.blobSize = writer->bytesWritten();
    PH_TRY(out.mediaType, layer::layerMediaType(keepCompressed ? compression : layer::Compression::None));
    return out;
}

} // namespace

Result<ImportedImage> importRootfs(store::Store &store, ByteSource &input, const ImportOptions &options,
                                   const CancelToken &cancel, const ProgressSink &progress)
{
    // The changes are checked before a byte is read: a bad one must leave
    // nothing behind, not even a blob waiting for garbage collection.
    ImageConfig config;
    config.setContainerConfig(QJsonObject());
    PH_CHECK(applyChanges(config, options.changes));

    // Blobs written here are not in the index until the end: hold the use
    // lock so garbage collection leaves them alone meanwhile.
    PH_TRY(store::FileLock useLock, store.useLock());

    WatchedSource watched(input, cancel, progress, options.progressId);
    PH_TRY(const StoredLayer layer, storeLayer(store, watched, cancel));
    // A plain tar blob is its own size; a compressed one's tar is measured when it is unpacked.
    PH_CHECK(store.putLayerInfo(layer.diffId, {layer.summary.contentBytes, layer.summary.entries,
                                               layer.diffId == layer.blobDigest ? layer.blobSize : 0}));

    // Created once the layer is in, as docker does: two imports of one tar
    // are two images.
    const QDateTime created = QDateTime::currentDateTimeUtc();
    config.setCreated(created);
    config.setArchitecture(options.architecture.isEmpty() ? store::hostArchitecture() : options.architecture);
    config.setOs(options.os);
    if (!options.variant.isEmpty())
        config.setVariant(options.variant);
    if (!options.comment.isEmpty()) {
        // moby's import writes the message as the image's comment too
        // (inspect's "Comment"); ImageConfig has no setter for that key.
        QJsonObject json = config.toJsonObject();
        json.insert(QStringLiteral("comment"), options.comment);
        PH_TRY(config, ImageConfig::fromJson(json));
    }
    config.setDiffIds({layer.diffId});
    HistoryEntry history;
    history.created = formatRfc3339(created);
    history.comment = options.comment;
    config.appendHistory(history);

    Manifest manifest;
    Descriptor layerDescriptor;
    layerDescriptor.mediaType = layer.mediaType;
    layerDescriptor.digest = layer.blobDigest;
    layerDescriptor.size = layer.blobSize;
    manifest.layers.append(layerDescriptor);
    PH_TRY(const store::WrittenImage written, store::writeImage(store, config, manifest, options.refName, [&]() -> Status {
        return options.beforeTag ? options.beforeTag(layer.diffId, layerDescriptor) : Status();
    }));
    report(progress, {options.progressId, QStringLiteral("Done"), layer.blobSize, layer.blobSize});
    return ImportedImage{written.manifestDigest, written.configDigest, layer.blobDigest, layer.diffId, written.manifestSize,
                         layer.summary.contentBytes};
}

} // namespace porthole::archive
