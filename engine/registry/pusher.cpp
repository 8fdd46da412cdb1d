#include "registry/pusher.h"

#include "core/manifest.h"
#include "core/mediatypes.h"
#include "layer/compresssink.h"
#include "store/imagestore.h"

namespace porthole::registry {

namespace {

// Writes the compressed form of an uncompressed layer blob into the store.
Result<Descriptor> compressIntoStore(store::Store &store, const Descriptor &plain, layer::Compression compression)
{
    PH_TRY(auto source, store.content().open(plain.digest));
    PH_TRY(auto writer, store.content().openWriter());
    layer::CompressSink sink(*writer, compression);
    PH_CHECK(copyStream(*source, sink));
    PH_CHECK(sink.finish());
    Descriptor out = plain;
    PH_TRY(out.mediaType, layer::layerMediaType(compression));
    out.size = writer->bytesWritten();
    PH_TRY(out.digest, writer->commit());
    return out;
}

// The repository a blob may be mounted from: the one the image was pulled
// from, when that is on the same registry.
QString mountSource(const store::StoredImage &image, const Reference &target)
{
    for (const QString &rd : image.repoDigests) {
        auto ref = Reference::parse(rd);
        if (ref && ref->domain() == target.domain() && ref->path() != target.path())
            return ref->path();
    }
    return {};
}

Status pushBlob(store::Store &store, RegistryClient &client, const Descriptor &blob, const QString &fromRepo,
                const ProgressSink &progress)
{
    const QString id = blob.digest.shortHex();
    PH_TRY(const bool exists, client.blobExists(blob.digest));
    if (exists) {
        report(progress, {id, QStringLiteral("Layer already exists"), blob.size, blob.size});
        return {};
    }
    if (!fromRepo.isEmpty()) {
        PH_TRY(const bool mounted, client.mountBlob(blob.digest, fromRepo));
        if (mounted) {
            report(progress, {id, QStringLiteral("Mounted from ") + fromRepo, blob.size, blob.size});
            return {};
        }
    }
    report(progress, {id, QStringLiteral("Pushing"), 0, blob.size});
    PH_TRY(auto source, store.content().open(blob.digest));
    PH_CHECK(client.uploadBlob(*source, blob.digest, blob.size));
    report(progress, {id, QStringLiteral("Pushed"), blob.size, blob.size});
    return {};
}

} // namespace

Result<PushResult> pushImage(store::Store &store, const Reference &ref, const CredentialStore *credentials,
                             const PushOptions &options, const CancelToken &cancel, const ProgressSink &progress)
{
    PH_TRY(store::FileLock useLock, store.useLock());
    store::ImageStore images(store);
    PH_TRY(const store::ResolvedImage found, images.resolve(ref.toString()));
    const store::StoredImage &image = found.image;
    PushOptions opts = options;
    opts.registry.cancel = cancel;
    RegistryClient client(ref, credentials, opts.registry);

    // The manifest the registry gets: the image's, with uncompressed layers
    // replaced by their compressed blobs.
    Manifest manifest = image.manifest;
    bool rewritten = false;
    for (Descriptor &layer : manifest.layers) {
        report(progress, {layer.digest.shortHex(), QStringLiteral("Preparing"), 0, layer.size});
        PH_TRY(const layer::Compression c, layer::compressionFromMediaType(layer.mediaType));
        if (c != layer::Compression::None)
            continue;
        PH_TRY(layer, compressIntoStore(store, layer, opts.compression));
        rewritten = true;
    }
    if (rewritten && manifest.isDocker() && opts.compression == layer::Compression::Zstd)
        return Error(ErrorCode::InvalidArgument,
                     QStringLiteral("push %1: a Docker schema 2 manifest cannot carry zstd layers; use gzip").arg(ref.familiarString()));
    const QString from = mountSource(image, ref);
    for (const Descriptor &layer : manifest.layers) {
        PH_CHECK(cancel.check(QStringLiteral("push %1").arg(ref.familiarString())));
        PH_CHECK(pushBlob(store, client, layer, from, progress));
    }
    PH_CHECK(pushBlob(store, client, manifest.config, from, {}));

    QByteArray bytes;
    QString mediaType = image.manifestDescriptor.mediaType;
    if (rewritten) {
        if (manifest.mediaType.isEmpty())
            manifest.mediaType = mediatype::OciManifest;
        mediaType = manifest.mediaType;
        bytes = manifest.toJson();
    } else {
        // Unchanged: the very bytes (and so the digest) the store has.
        PH_TRY(bytes, store.content().read(image.manifestDescriptor.digest));
    }
    const QString tag = ref.hasTag() ? ref.tag() : QStringLiteral("latest");
    PH_CHECK(client.putManifest(tag, bytes, mediaType));
    return PushResult{Sha256::of(bytes), bytes.size(), tag};
}

} // namespace porthole::registry
