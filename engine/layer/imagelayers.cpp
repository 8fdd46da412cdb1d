#include "layer/imagelayers.h"

#include "layer/unpacker.h"
#include "store/imagestore.h"
#include "store/store.h"

namespace porthole::layer {

Status ensureImageUnpacked(store::Store &store, const QString &nameOrId, const CancelToken &cancel, const ProgressSink &progress)
{
    // Held while unpacking: garbage collection must not take a layer (or a
    // blob) that is being unpacked.
    PH_TRY(store::FileLock lock, store.useLock());
    store::ImageStore images(store);
    PH_TRY(const store::ResolvedImage found, images.resolve(nameOrId));
    const QList<Digest> diffIds = found.image.config.diffIds();
    const QList<Descriptor> &blobs = found.image.manifest.layers;
    if (diffIds.size() != blobs.size())
        return Error(ErrorCode::FailedPrecondition,
                     QStringLiteral("image %1 has %2 layers but %3 diff IDs in its config")
                         .arg(found.image.shortId()).arg(blobs.size()).arg(diffIds.size()));
    return unpackLayers(store, diffIds, blobs, cancel, progress);
}

Status unpackLayers(store::Store &store, const QList<Digest> &diffIds, const QList<Descriptor> &blobs,
                    const CancelToken &cancel, const ProgressSink &progress)
{
    for (qsizetype i = 0; i < diffIds.size() && i < blobs.size(); ++i) {
        const Digest chain = store::chainId(diffIds.mid(0, i + 1));
        if (isLayerComplete(store, chain))
            continue;
        PH_TRY(auto blob, store.content().open(blobs[i].digest));
        UnpackOptions options;
        options.expectedDiffId = diffIds[i];
        options.name = blobs[i].digest.toString();
        options.compressedSize = blobs[i].size;
        auto unpacked = unpackToLayerStore(store, chain, *blob, options, cancel, progress);
        if (!unpacked)
            return unpacked.error();
        PH_CHECK(store.putLayerInfo(diffIds[i], {unpacked->contentBytes, unpacked->entries, unpacked->tarSize}));
    }
    return {};
}

} // namespace porthole::layer
