#include "store/imagewriter.h"

#include "core/mediatypes.h"

namespace porthole::store {

Result<WrittenImage> writeImage(store::Store &store, const ImageConfig &config, Manifest manifest, const QString &refName,
                                const std::function<Status()> &beforeName)
{
    const QByteArray configJson = config.toJson();
    PH_TRY(const Digest configDigest, store.content().write(configJson, store::NameSync::Later));
    manifest.schemaVersion = 2;
    manifest.mediaType = mediatype::OciManifest;
    manifest.config.mediaType = mediatype::OciConfig;
    manifest.config.digest = configDigest;
    manifest.config.size = configJson.size();
    const QByteArray manifestJson = manifest.toJson();
    PH_TRY(const Digest manifestDigest, store.content().write(manifestJson, store::NameSync::Later));
    // One directory fsync for the config, the manifest and the caller's
    // layer blobs (committed with NameSync::Later), before the index names them.
    PH_CHECK(store.content().syncNames());
    if (beforeName)
        PH_CHECK(beforeName());
    Descriptor top;
    top.mediaType = mediatype::OciManifest;
    top.digest = manifestDigest;
    top.size = manifestJson.size();
    PH_CHECK(store.editIndex([&](store::TagIndex &index) {
        if (refName.isEmpty())
            index.addUntagged(top.toJson());
        else
            index.setTag(refName, top.toJson());
        return Status();
    }));
    return WrittenImage{configDigest, manifestDigest, top.size};
}

} // namespace porthole::store
