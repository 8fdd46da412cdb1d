// push: an image from the store to a registry: blobs the registry has are
// skipped (HEAD), blobs of the same registry are mounted across repositories,
// the rest uploaded; layers stored uncompressed (made by import or commit)
// are compressed on the way (gzip by default, or zstd) into the store first,
// since an upload must name its digest. The manifest goes last, with its
// content type. Blocking; the caller's thread.
#pragma once

#include "core/cancel.h"
#include "core/progress.h"
#include "core/reference.h"
#include "layer/compression.h"
#include "registry/registryclient.h"
#include "store/store.h"

namespace porthole::registry {

class CredentialStore;

struct PushOptions {
    layer::Compression compression = layer::Compression::Gzip; // for uncompressed layers
    RegistryOptions registry;
};

struct PushResult {
    Digest manifestDigest; // as the registry has it
    qint64 manifestSize = 0;
    QString tag;
};

// ref: the image's name in the store, which is also where it goes. Progress
// ids are the layers' short digests; phases as docker's ("Preparing",
// "Pushing", "Pushed", "Layer already exists", "Mounted from ...").
Result<PushResult> pushImage(store::Store &store, const Reference &ref, const CredentialStore *credentials,
                             const PushOptions &options, const CancelToken &cancel, const ProgressSink &progress);

} // namespace porthole::registry
