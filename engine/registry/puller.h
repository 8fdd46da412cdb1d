// pull: a manifest (or this platform's manifest from an index), its config
// and its layers from a registry into the store. Each layer streams through
// one pass: download, SHA-256 of the blob (the blob writer), decompression,
// SHA-256 of the tar (checked against the config's diff_id) and the safe
// unpacker, never staged whole in memory; layers run in parallel (default 3)
// and those already present are skipped. The image is named only once every
// blob and layer is in: a failed or cancelled pull leaves no image.
// Blocking; runs on the caller's thread plus worker threads it joins.
#pragma once

#include "core/cancel.h"
#include "core/digest.h"
#include "core/progress.h"
#include "core/reference.h"
#include "registry/registryclient.h"
#include "store/store.h"

namespace porthole::registry {

class CredentialStore;

struct PullOptions {
    QString platform;        // "os/arch[/variant]"; empty: this machine's
    RegistryOptions registry;
    int parallelLayers = 3;
};

struct PullResult {
    QString refName;         // the name it got, empty for a pull by digest
    QString repoDigest;      // "docker.io/library/busybox@sha256:…"
    Digest manifestDigest;   // the platform manifest now in the store
    Digest configDigest;     // the image ID
    bool upToDate = false;   // nothing had to be downloaded and the name already pointed here
};

// ref: a normalized reference with a tag or a digest (Reference::dockerRef()).
// Progress ids are the layers' 12-digit short digests; phases follow docker's
// words ("Pulling fs layer", "Downloading", "Extracting", "Pull complete",
// "Already exists"). The sink may be called from worker threads, one at a time.
Result<PullResult> pullImage(store::Store &store, const Reference &ref, const CredentialStore *credentials,
                             const PullOptions &options, const CancelToken &cancel, const ProgressSink &progress);

} // namespace porthole::registry
