// The last step every image maker shares (import, commit, later load): the
// config blob, an OCI manifest pointing at it and the layers, and the name
// in the index (or an untagged entry). Blocking; the caller holds the
// store's use lock, since the blobs are unnamed until the index edit.
#pragma once

#include "core/descriptor.h"
#include "core/imageconfig.h"
#include "core/manifest.h"
#include "store/store.h"

namespace porthole::store {

struct WrittenImage {
    Digest configDigest;   // the image ID
    Digest manifestDigest;
    qint64 manifestSize = 0;
};

// Writes config and an OCI manifest (manifest's other fields kept: layers,
// annotations), then names it refName (full normalized) or, when refName is
// empty, adds it untagged, as docker leaves an unnamed commit or import.
// beforeName runs between the blobs and the index edit; its error stops it.
// Layer blobs the caller committed with store::NameSync::Later get their
// names synced here, with the config's and the manifest's.
Result<WrittenImage> writeImage(store::Store &store, const ImageConfig &config, Manifest manifest, const QString &refName,
                                const std::function<Status()> &beforeName = {});

} // namespace porthole::store
