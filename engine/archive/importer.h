// import: a rootfs tarball becomes a one-layer image, in one streaming pass:
// read -> SHA-256 of the blob -> decompress -> SHA-256 of the tar (diff_id)
// -> tar reader (checks it is a tar, counts its size). Gzip and zstd input is
// stored as it came (no recompression); plain tar as it is; xz, which no
// layer media type allows, is stored decompressed.
// Threading: runs on the caller's thread; polls cancel between chunks.
#pragma once

#include "core/bytestream.h"
#include "core/cancel.h"
#include "core/digest.h"
#include "core/descriptor.h"
#include "core/imageconfig.h"
#include "core/progress.h"
#include "store/store.h"

#include <functional>

namespace porthole::archive {

struct ImportOptions {
    QString refName;      // full normalized reference to tag, or empty (dangling)
    QStringList changes;  // Dockerfile instructions applied to the config
    QString comment;      // the history entry's comment
    QString os = QStringLiteral("linux");
    QString architecture; // empty: this machine's
    QString variant;
    QString progressId;   // what progress events are about
    // Runs after every blob is stored and before the image gets its name
    // (the engine unpacks the layer here): if it fails, the import fails and
    // no name changes. Arguments: the layer's diff ID and its blob's descriptor.
    std::function<Status(const Digest &diffId, const Descriptor &layer)> beforeTag;
};

struct ImportedImage {
    Digest manifestDigest;
    Digest configDigest;
    Digest layerDigest;
    Digest diffId;
    qint64 manifestSize = 0;
    qint64 contentBytes = 0;
};

Result<ImportedImage> importRootfs(store::Store &store, ByteSource &input, const ImportOptions &options,
                                   const CancelToken &cancel = CancelToken::none(), const ProgressSink &progress = {});

} // namespace porthole::archive
