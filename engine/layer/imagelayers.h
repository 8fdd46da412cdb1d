// Unpacking an image's layers into the layer store, each once, shared by
// every image and container that has it. Blocking; the caller's thread.
#pragma once

#include "core/cancel.h"
#include "core/descriptor.h"
#include "core/progress.h"
#include "core/result.h"

#include <QList>

namespace porthole::store {
class Store;
}

namespace porthole::layer {

// Unpacks every layer of the image (a name, name@digest or ID prefix) that
// is not unpacked yet, under the store's use lock.
Status ensureImageUnpacked(store::Store &store, const QString &nameOrId, const CancelToken &cancel = CancelToken::none(),
                           const ProgressSink &progress = {});

// Unpacks the layers (bottom first) that are not unpacked yet. The caller
// holds the store's use lock.
Status unpackLayers(store::Store &store, const QList<Digest> &diffIds, const QList<Descriptor> &blobs,
                    const CancelToken &cancel = CancelToken::none(), const ProgressSink &progress = {});

} // namespace porthole::layer
