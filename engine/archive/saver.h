// save: images out of the store as one tar, streamed straight into a
// ByteSink (the engine's is a file or standard output); no layer is ever
// staged in memory or in a temp dir.
//
//   docker-archive (what docker 25+ writes; docker load, podman load and
//   skopeo docker-archive: read it): an OCI layout whose layers are the
//   uncompressed tars (blob digest = diff_id), an OCI manifest rewritten to
//   point at them, index.json with containerd's image-name and the tag as
//   ref.name, plus docker's manifest.json and repositories.
//   oci-archive (as podman and skopeo write it): the stored blobs as they
//   are, index.json with the full name as ref.name.
//
// Every byte written is checked on its way out: layers against their diff_id
// (docker-archive) or blob digest (oci-archive), sizes against the tar
// headers already written. A layer's tar size comes from the store's layer
// info; when unknown (older stores) one decompression pass measures it first
// and records it.
//
// Threading: synchronous on the caller's thread, which writes to the sink;
// a helper thread reads (and inflates) each blob a few MiB ahead. Cancel is
// polled per MiB. The caller holds the store's use lock, so no blob goes
// while it is read.
#pragma once

#include "core/bytestream.h"
#include "core/cancel.h"
#include "core/progress.h"
#include "store/imagestore.h"

namespace porthole::archive {

enum class SaveFormat { DockerArchive, OciArchive };

// "docker-archive" or "oci-archive"; anything else is InvalidArgument.
Result<SaveFormat> saveFormatFromName(QStringView name);

struct SaveItem {
    store::StoredImage image;
    // Full normalized names with a tag ("docker.io/library/busybox:latest")
    // it is saved under; empty when saved by ID (RepoTags null, no ref.name).
    QStringList refNames;
};

struct SaveStats {
    qint64 bytes = 0; // of the archive
    int images = 0;
    int blobs = 0;    // distinct blobs in it
};

// Writes the archive into sink; sink.finish() is not called (its owner
// finishes or commits it). After an error the sink holds no end-of-archive
// marker, so a cut stream never passes for a whole archive. Items are in the caller's order; a blob shared
// by several images (a base layer, a config) is written once. Nothing is
// written before every blob the archive needs was found and every layer's
// size is known, so a missing blob fails with the sink untouched.
// Progress: {progressId, "Saving", archive bytes written, estimated total}
// per MiB, then "Done"; a layer measured first reports
// {short blob digest, "Measuring", compressed bytes read, blob size}.
Result<SaveStats> writeImageArchive(store::Store &store, const QList<SaveItem> &items, SaveFormat format, ByteSink &sink,
                                    const CancelToken &cancel = CancelToken::none(), const ProgressSink &progress = {},
                                    const QString &progressId = {});

} // namespace porthole::archive
