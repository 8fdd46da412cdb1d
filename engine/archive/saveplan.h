// What a saved archive holds (saver.cpp writes it): its members by name and
// where each one's bytes come from, in docker-archive or OCI-archive shape.
// Private to archive/. One Plan per save, on the saving thread.
#pragma once

#include "archive/saver.h"
#include "core/digest.h"
#include "layer/compression.h"

#include <QMap>

namespace porthole::archive::saveplan {

// "blobs/sha256/<hex>", the member a blob is saved as.
QString blobName(const Digest &d);

// One member of the archive and where its bytes come from.
struct Entry {
    enum Kind { Directory, Bytes, Blob, LayerTar } kind = Bytes;
    qint64 size = 0;
    QByteArray bytes; // Bytes
    Digest blob;      // Blob, LayerTar: the stored blob read
    Digest expected;  // what the bytes written must hash to: the blob digest, or the diff_id of a LayerTar
    layer::Compression compression = layer::Compression::None; // LayerTar
};

// What the archive holds, by name. A QMap, so members come out sorted as
// docker's (blobs/ first, then index.json, manifest.json, oci-layout,
// repositories) and a shared blob is one member.
class Plan {
public:
    Plan(store::Store &store, const CancelToken &cancel, const ProgressSink &progress)
        : m_store(store), m_cancel(cancel), m_progress(progress) {}

    QMap<QString, Entry> entries;

    Digest addBytes(const QString &name, const QByteArray &bytes);

    Digest addJsonBlob(const QByteArray &json);

    // A stored blob as it is. Returns its size.
    Result<qint64> addBlob(const Digest &digest, const QString &what);

    // A layer as its uncompressed tar, named by its diff_id. Returns the tar's size.
    Result<qint64> addLayerTar(const Descriptor &blob, const Digest &diffId);

private:
    // By the magic bytes, as the unpacker does: a media type may be wrong.
    Result<layer::Compression> compressionOf(const Digest &blob);

    // A store that predates the recorded tar size: one pass to count it.
    Result<qint64> measure(const Digest &blob, layer::Compression compression, qint64 blobSize);

    store::Store &m_store;
    const CancelToken &m_cancel;
    const ProgressSink &m_progress;
};

Status planDockerArchive(Plan &plan, const QList<SaveItem> &items);
Status planOciArchive(Plan &plan, store::Store &store, const QList<SaveItem> &items);

} // namespace porthole::archive::saveplan
