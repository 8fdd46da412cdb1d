// commit: a container's upper dir becomes one new layer on top of its
// image's layers (shared, never copied), in one pass: tar (overlay whiteouts
// and opaque dirs in OCI form), SHA-256 of the tar (diff_id), compression
// (gzip through isa-l, or zstd), the blob writer. The new config is the
// image's plus the container's settings, then the --change instructions; a
// history entry records created, author, created_by and comment. The
// container is frozen while its layer is written (unless pause is off) and
// thawed on every path; commits of one container take turns (a lock in its
// directory), so one never thaws it under another. Blocking; the caller's
// thread.
#pragma once

#include "core/cancel.h"
#include "core/digest.h"
#include "core/progress.h"
#include "layer/compression.h"
#include "store/containerstore.h"
#include "store/store.h"

namespace porthole::container {

struct CommitOptions {
    QString refName;          // full normalized reference, or empty (a dangling image, as docker's)
    QString author;
    QString message;
    QStringList changes;
    bool pause = true;
    layer::Compression compression = layer::Compression::Gzip;
};

struct CommitResult {
    Digest id;           // the new image's config digest
    Digest manifestDigest;
    Digest diffId;
    qint64 layerBytes = 0; // file content in the new layer
};

// What is the container's but not its image's: the /etc files Porthole
// mounts and the volume destinations (left out of commit and diff).
QStringList notCommitted(const store::ContainerConfig &c);

Result<CommitResult> commitContainer(store::Store &store, const store::ContainerRecord &container,
                                     const CommitOptions &options, const CancelToken &cancel = CancelToken::none());

// A commit killed (kill -9, a crash) while it held a container frozen
// leaves it frozen, and nothing else would ever thaw it: this thaws every
// container whose commit-freeze lock is left without its holder (unless the
// user had paused it) and removes the lock file. For Engine::open. Returns
// how many it thawed.
int thawAfterDeadCommits(store::Store &store);

} // namespace porthole::container
