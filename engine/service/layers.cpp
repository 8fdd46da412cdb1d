// Unpacking an image's layers into the layer store, each once, shared by
// every image and container that has it.
#include "service/engine.h"

#include "layer/unpacker.h"
#include "store/imagestore.h"
#include "store/store.h"

namespace porthole::service {

Status Engine::ensureLayersUnpacked(const QString &nameOrId, const CancelToken &cancel, const ProgressSink &progress)
{
    // Held while unpacking: garbage collection must not take a layer (or a
    // blob) that is being unpacked.
    PH_TRY(store::FileLock lock, m_store->useLock());
    store::ImageStore images(*m_store);
    PH_TRY(const store::ResolvedImage found, images.resolve(nameOrId));
    const QList<Digest> diffIds = found.image.config.diffIds();
    const QList<Descriptor> &blobs = found.image.manifest.layers;
    if (diffIds.size() != blobs.size())
        return Error(ErrorCode::FailedPrecondition,
                     QStringLiteral("image %1 has %2 layers but %3 diff IDs in its config")
                         .arg(found.image.shortId()).arg(blobs.size()).arg(diffIds.size()));
    return unpackLayers(diffIds, blobs, cancel, progress);
}

Status Engine::unpackLayers(const QList<Digest> &diffIds, const QList<Descriptor> &blobs, const CancelToken &cancel,
                            const ProgressSink &progress)
{
    for (qsizetype i = 0; i < diffIds.size() && i < blobs.size(); ++i) {
        const Digest chain = store::chainId(diffIds.mid(0, i + 1));
        if (layer::isLayerComplete(*m_store, chain))
            continue;
        PH_TRY(auto blob, m_store->content().open(blobs[i].digest));
        layer::UnpackOptions options;
        options.expectedDiffId = diffIds[i];
        options.name = blobs[i].digest.toString();
        options.compressedSize = blobs[i].size;
        auto unpacked = layer::unpackToLayerStore(*m_store, chain, *blob, options, cancel, progress);
        if (!unpacked)
            return unpacked.error();
        PH_CHECK(m_store->putLayerInfo(diffIds[i], {unpacked->contentBytes, unpacked->entries, unpacked->tarSize}));
    }
    return {};
}

} // namespace porthole::service
