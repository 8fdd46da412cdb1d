// The store: one root directory shared by every Porthole process of a user.
//   oci-layout, index.json, blobs/sha256/   an OCI image layout (skopeo, umoci read it)
//   ingest/                                 blobs being written (temp files)
//   layerinfo/<diffid hex>.json             facts about a layer's tar (its size)
//   layers/<chainid hex>/                   unpacked layers (the runtime fills them)
//   locks/                                  flock files
// Thread-safety: a Store may be used from several threads; every mutation of
// shared state goes through a file lock, so several processes are safe too.
#pragma once

#include "core/digest.h"
#include "core/result.h"
#include "store/contentstore.h"
#include "store/filelock.h"
#include "store/tagindex.h"

#include <QString>

#include <functional>
#include <memory>

namespace porthole::store {

struct LayerInfo {
    qint64 size = 0;    // bytes of file content in the layer's tar (what docker counts)
    qint64 entries = 0; // tar entries
    // Bytes of the whole uncompressed tar (padding after the end marker
    // included): save writes it as a tar entry, whose header needs the size
    // first. 0 = unknown (stores from before it was kept, writers that do
    // not see the tar).
    qint64 tarSize = 0;
};

struct GcReport {
    int blobsRemoved = 0;
    qint64 bytesFreed = 0;
};

// chainID(L0) = diffID(L0); chainID(Ln) = sha256(chainID(Ln-1) + " " + diffID(Ln)).
Digest chainId(const QList<Digest> &diffIds);

class Store {
public:
    // --root, else PORTHOLE_ROOT, else /var/lib/porthole for root and
    // $XDG_DATA_HOME/porthole for everyone else.
    static QString defaultRoot();

    // Opens (creating if needed) the store at root and removes what crashed
    // writers left behind.
    static Result<std::shared_ptr<Store>> open(const QString &root);

    const QString &root() const { return m_root; }
    // True if this open created the layout (the caller then seeds the demo image).
    bool wasCreated() const { return m_created; }

    ContentStore &content() { return m_content; }
    const ContentStore &content() const { return m_content; }

    // The current index.json: written atomically, so always a whole version.
    Result<TagIndex> readIndex() const;
    // Read-modify-write of index.json under the index lock. If edit fails,
    // nothing is written.
    Status editIndex(const std::function<Status(TagIndex &)> &edit);

    // Held (shared) by every operation that reads blobs over several steps or
    // writes blobs the index does not reference yet; garbage collection takes
    // it exclusively, so it never removes what such an operation needs.
    Result<FileLock> useLock() const;

    // A diff ID names one tar, so its facts never change: a tarSize of 0
    // (unknown) keeps the one already recorded instead of erasing it.
    Status putLayerInfo(const Digest &diffId, const LayerInfo &info);
    Result<LayerInfo> layerInfo(const Digest &diffId) const;
    QString layerDir(const Digest &chainId) const;

    // Removes blobs, layer infos and layer directories no image reaches.
    // Without wait, returns Unavailable at once while another operation holds
    // the use lock (its garbage is collected by a later call).
    Result<GcReport> collectGarbage(bool wait = true);

private:
    explicit Store(QString root) : m_root(std::move(root)), m_content(m_root) {}
    Status initialize();
    QString lockPath(const char *name) const;

    QString m_root;
    ContentStore m_content;
    bool m_created = false;
};

} // namespace porthole::store
