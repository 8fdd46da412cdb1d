// load: image archives into the store, as `docker load` and `podman load`.
// Reads docker-archives (the legacy <id>/layer.tar form and the OCI-layout
// form docker 25+ writes) and OCI archives (nested indexes included), plain
// or gzip, zstd or xz compressed, in ONE sequential pass: the input may be a
// pipe. Every file that may be a blob streams into the content store as it
// passes, hashed on the way (and, when it is compressed, decompressed and
// hashed again for its diff ID); the small documents (manifest.json,
// index.json, repositories, oci-layout) stay in memory. Links between
// entries (docker's layer.tar symlinks) are resolved after the pass.
//
// Nothing gets a name unless everything checked out: blob digests against
// their names, layer diff IDs against the configs, manifest paths inside the
// archive, decompression limits, media types. On failure the blobs written
// so far are unreferenced, left to garbage collection; the use lock is held
// throughout so a collection cannot take them while the load still needs them.
//
// Threading: blocking, on the caller's thread; cancel is polled per chunk.
#pragma once

#include "core/bytestream.h"
#include "core/cancel.h"
#include "core/descriptor.h"
#include "core/digest.h"
#include "core/documentlimit.h"
#include "core/progress.h"
#include "layer/unpacker.h"
#include "store/store.h"

#include <QList>
#include <QStringList>

#include <functional>

namespace porthole::archive {

// One image of the archive as it is stored.
struct LoadedImage {
    Digest configDigest;     // the image ID: the archive's config bytes are kept as they are
    Descriptor manifest;     // the OCI manifest the store keeps (an OCI archive's own, when it is one)
    QList<Digest> diffIds;   // from the config, bottom layer first
    QList<Descriptor> layers; // the layer blobs, in the same order
    QStringList refNames;    // full normalized names, in the archive's order; empty: untagged
};

enum class ArchiveFormat { DockerArchive, OciArchive };

struct LoadResult {
    ArchiveFormat format = ArchiveFormat::DockerArchive;
    QList<LoadedImage> images; // in the archive's order (manifest.json or index.json)
};

// A blob the pass has just stored, for a caller that starts work early.
struct PassBlob {
    QString path;  // in the archive, cleaned ("blobs/sha256/<hex>", "<hex>.tar")
    Digest digest;
    qint64 size = 0;
    Digest diffId; // of its decompressed bytes (its own digest when plain); invalid when unknown
};

struct LoadOptions {
    // For the archive's own compression and for every compressed blob in it.
    layer::UnpackLimits limits;
    // manifest.json, index.json, repositories, oci-layout: read into memory.
    qint64 maxDocumentBytes = kMaxDocumentBytes;
    QString progressId = QStringLiteral("archive");
    qint64 inputSize = -1; // for progress totals; -1 when unknown (a pipe)
    // Runs once every image is stored and checked, before any name changes
    // (the engine unpacks the layers here). Its error fails the load, and
    // no name changes.
    std::function<Status(const QList<LoadedImage> &)> beforeName;
    // Called in the pass, on the caller's thread, after each blob is
    // stored; nothing is checked yet, so the blob may turn out unused.
    std::function<void(const PassBlob &)> onBlobStored;
};

// Reads the archive from input to its end and stores its images. Errors are
// sentences starting "load: " and naming the entry or field ("load:
// manifest.json: layer ../x climbs out of the archive"): InvalidArgument for
// a malformed or hostile archive, NotFound for a missing blob or platform,
// errors of the source and the store as they came, Cancelled.
Result<LoadResult> loadArchive(store::Store &store, ByteSource &input, const LoadOptions &options = {},
                               const CancelToken &cancel = CancelToken::none(), const ProgressSink &progress = {});

// The name an OCI index entry gives its image: io.containerd.image.name when
// present, else org.opencontainers.image.ref.name if it is a reference (has
// a '/' or ':'); a bare word there is only a tag ("latest", as containerd
// writes it beside its own name) and names nothing. Returns the full
// normalized reference, or empty; an annotation that is no valid reference
// is an error.
Result<QString> refNameFromAnnotations(const QMap<QString, QString> &annotations);

} // namespace porthole::archive
