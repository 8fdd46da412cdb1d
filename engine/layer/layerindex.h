// The layer inspector's engine side: what an unpacked layer directory holds
// (indexLayerDir), and what a stack of them does to the merged filesystem
// (analyzeLayers): each layer's added, modified and deleted paths, where
// every path of the final tree comes from, and the bytes wasted on file
// versions nobody can see any more.
//
// Layer dirs are in overlay form (whiteout.h): a whiteout is a 0/0
// character device, an opaque dir carries trusted.overlay.opaque=y (or the
// user.overlay.* form). A container's upper dir has the same form, so it can
// be indexed as a layer too.
//
// The walk is fd-based (openat with O_NOFOLLOW, fstatat without following)
// so a symlink in a layer, or one a running container plants in its upper
// dir, never leads the walk or an extraction outside the directory.
//
// Plain value types (QList/QByteArray, implicitly shared); the functions are
// stateless, synchronous, any thread.
#pragma once

#include "core/cancel.h"
#include "core/result.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>

namespace porthole::layer {

enum class EntryKind : quint8 {
    File,      // a regular file (the first path of a hard-linked inode too)
    Dir,
    Symlink,
    Hardlink,  // a further path of a regular file's inode in this layer (tar stores it as a link)
    Whiteout,  // 0/0 character device: hides the path in the layers below
    OpaqueDir, // a directory that hides the lower layers' contents of its path
    Device,    // any other character or block device
    Fifo,
    Socket,
};

struct IndexEntry {
    QByteArray path;       // relative to the layer root, no leading slash: "etc/passwd"
    QByteArray linkTarget; // Symlink: its target; Hardlink: the first path of its inode
    qint64 size = 0;       // st_size (a symlink: its target's length)
    quint32 mode = 0;      // st_mode: type and permission bits
    quint32 nlink = 1;
    quint64 inode = 0;
    EntryKind kind = EntryKind::File;

    bool isDir() const { return kind == EntryKind::Dir || kind == EntryKind::OpaqueDir; }
    // Bytes this entry stores in a layer tar: a hard link's data is stored
    // once, at its first path.
    qint64 contentBytes() const { return kind == EntryKind::File ? size : 0; }
};

struct LayerIndex {
    // Sorted by path bytewise, except that '/' sorts before every other
    // byte: "a", "a/b", "a.txt". So a directory's whole tree is the run of
    // entries right after it.
    QList<IndexEntry> entries;
    bool rootOpaque = false;  // the layer root itself is opaque (hides every lower layer)
    qint64 contentBytes = 0;  // sum of contentBytes(): what docker reports as the layer's size

    // Binary search; nullptr when the layer has no such path.
    const IndexEntry *find(QByteArrayView path) const;
};

// Indexes the directory dir (a layer dir or an upper dir). Entries that
// vanish while it reads (a running container's upper dir) are left out.
// Cancel is polled every few thousand entries.
Result<LayerIndex> indexLayerDir(const QString &dir, const CancelToken &cancel = CancelToken::none());

enum class ChangeKind : quint8 { Added, Modified, Deleted };

// One path of one layer's changes, or one path of the merged filesystem.
struct AnalyzedEntry {
    // Added/Modified: this layer's entry. Deleted: the entry that was
    // hidden (its kind, size, mode), or the whiteout itself when it hid
    // nothing.
    IndexEntry entry;
    ChangeKind change = ChangeKind::Added;
    // Added/Modified and merged: the layer the entry is in. Deleted: the
    // layer of the version that was deleted.
    int layer = -1;
    // Deleted: the bytes of file content it hid (the whole tree of a
    // deleted directory). Otherwise entry.contentBytes().
    qint64 bytes = 0;
    // Lower layers (ascending) whose version of this path it hides. A
    // directory over a lower directory merges with it instead (the lower
    // contents stay visible), unless it is opaque or inside a dir that is.
    QList<int> shadows;
};

struct LayerAnalysis {
    // Sorted by path. An opaque dir's hidden names are listed as Deleted
    // (only the top names, with the bytes of their trees), as docker's diff
    // lists a removed tree; so is what a whiteout hid.
    QList<AnalyzedEntry> changes;
    qint64 contentBytes = 0; // this layer's file content
    qint64 wastedBytes = 0;  // of those, the bytes later layers overwrite or delete
    int added = 0;
    int modified = 0;
    int deleted = 0;
};

struct StackAnalysis {
    QList<LayerAnalysis> layers; // bottom first, as given
    // Every path of the final filesystem, sorted by path; change says how
    // its layer brought it in.
    QList<AnalyzedEntry> merged;
    qint64 totalBytes = 0;  // file content in all layers
    qint64 wastedBytes = 0; // file content of versions a later layer overwrites or deletes

    // 1 - wasted/total, 1 for an image without file content. dive computes
    // its score from the smallest and the summed sizes of every path that
    // appears in two layers, so it also counts the surviving copy; this
    // counts only bytes that are really invisible in the final filesystem.
    double efficiency() const { return totalBytes > 0 ? 1.0 - double(wastedBytes) / double(totalBytes) : 1.0; }
};

// Stacks the layers (bottom first) as overlayfs would and says what each did.
StackAnalysis analyzeLayers(const QList<LayerIndex> &layers);

// Copies the regular file at relPath ("usr/bin/x") below layerDir to
// destPath (created, must not exist). Every component is opened with
// O_NOFOLLOW, so a symlink anywhere on the way is refused rather than
// followed. Returns the bytes copied.
Result<qint64> extractLayerFile(const QString &layerDir, QByteArrayView relPath, const QString &destPath);

} // namespace porthole::layer
