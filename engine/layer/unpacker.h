// The safe layer unpacker: turns a (compressed) layer tar into the directory
// overlayfs uses as one lower layer, with whiteouts in overlay form.
//
// Safety: every entry is written inside the target through in-root
// resolution (inroot.h); names that climb above the root, hard links that
// point outside, and xattrs overlayfs would interpret are refused or
// dropped; a decompression bomb stops at the limits. On any error, what was
// written is removed. Whiteout semantics are in whiteout.h.
//
// Threading: synchronous, on the calling thread; cancel is polled between
// entries and between 1 MiB data blocks; progress is reported per block
// pulled from the blob.
#pragma once

#include <functional>

#include "core/bytestream.h"
#include "core/cancel.h"
#include "core/digest.h"
#include "core/progress.h"
#include "core/result.h"
#include "layer/compression.h"

#include <QString>
#include <QStringList>

#include <optional>
#include <utility>

namespace porthole::store {
class Store;
}

namespace porthole::layer {

struct UnpackLimits {
    qint64 maxBytes = 64LL << 30;     // uncompressed tar bytes, and file content bytes
    qint64 maxEntries = 5'000'000;    // tar headers
    double maxRatio = 200;            // uncompressed / compressed bytes...
    qint64 ratioGraceBytes = 64 << 20; // ...checked once this much is uncompressed
    // Counted as uncompressed bytes for every gzip member and zstd frame, so
    // a stream of members that produce nothing (empty gzip members of 20
    // bytes, zstd skippable frames of 8) still runs into the limits: it
    // "expands" 400 times or more and trips maxRatio. Real multi-member
    // streams stay well below it: pigz and `cat a.gz b.gz` have few members,
    // bgzip's 64 KiB blocks gain an eighth, and one estargz member per empty
    // file (about 100 bytes, 512 out) comes to about 90 times.
    qint64 memberCharge = 8 << 10;
};

bool runningAsRoot();

struct UnpackOptions {
    UnpackLimits limits;
    // Checked against the SHA-256 of the uncompressed tar when valid.
    Digest expectedDiffId;
    // Root keeps ownership (lchown) and creates char/block devices; without
    // it owners are not changed and devices are skipped with a warning.
    // Whiteouts need CAP_MKNOD and opaque dirs CAP_SYS_ADMIN either way.
    bool isRoot = runningAsRoot();
    // For messages and progress ("unpack layer sha256:ab12…: ...").
    QString name;
    // The blob's size, for progress totals; -1 when unknown.
    qint64 compressedSize = -1;
    // unpackToLayerStore only: runs after the last byte is unpacked and
    // before the layer is committed; an error discards the layer.
    std::function<Status()> beforeCommit;
    // false: a plain tar that is no layer (cp), extracted as docker's Untar
    // with NoOverwriteDirNonDir: ".wh." names are ordinary files, an existing
    // directory is never replaced by a non-directory nor the other way
    // round, and an entry for the root itself changes nothing.
    bool layer = true;
    // When set (and isRoot), every entry gets this uid:gid instead of the
    // tar's: docker cp without -a.
    std::optional<std::pair<uint, uint>> owner;
    // false: char and block devices (and hard links to them) are skipped
    // even as root, listed in skippedDevices: cp out, where a node made on
    // the host would open the host's own device. FIFOs are still made.
    bool devices = true;
    // false: setuid and setgid bits and file capabilities
    // (security.capability) are dropped, so nothing extracted runs with
    // more privileges than its caller has: cp out without -a.
    bool privileges = true;
};

struct UnpackResult {
    Digest diffId;           // SHA-256 of the whole uncompressed tar
    qint64 contentBytes = 0; // sum of regular file sizes
    qint64 entries = 0;      // tar headers, whiteouts included
    qint64 tarSize = 0;      // bytes of the uncompressed tar, padding after the end marker included
    Compression compression = Compression::None;
    // Things skipped on purpose (devices without root, overlay xattrs in
    // the tar, AUFS metadata, sockets, xattrs the filesystem refuses).
    // Capped; the last line says how many more there were.
    QStringList warnings;
    // Char and block devices not created (no root, or opts.devices false),
    // as their cleaned entry names; the first 50, devicesSkipped counts all.
    QList<QByteArray> skippedDevices;
    qint64 devicesSkipped = 0;
};

// Detects the compression of compressedBlob (gzip, zstd, xz or none), hashes
// the uncompressed tar to its very end (diff_id), and extracts it into
// targetDir, which is created if missing and must otherwise be an empty
// directory. Entry names are resolved inside targetDir: absolute names land
// inside; a `..` above the root, a hard link whose target is outside or not
// in this layer, and a symlinked parent that dangles are refused.
//
// Errors name the entry ("unpack layer: entry ../etc/passwd escapes the
// layer root"): InvalidArgument for a malformed or hostile tar, an exceeded
// limit or a diff ID mismatch; FailedPrecondition for a non-empty target;
// Cancelled; errors of the source keep their code, with the step prepended
// ("unpack layer: entry big: gzip stream is truncated"). After an error
// targetDir is removed (or emptied, if it existed before the call).
//
// Entry names are used as the bytes the tar holds (in the C and UTF-8
// locales). Parent directories missing from the tar are made 0755, owned by
// the caller.
// Needs openat2 (Linux 5.6).
//
// No per-file fsync: callers that need durability sync the filesystem
// (unpackToLayerStore does).
Result<UnpackResult> unpackLayer(ByteSource &compressedBlob, const QString &targetDir, const UnpackOptions &opts,
                                 const CancelToken &cancel = CancelToken::none(),
                                 const ProgressSink &progress = {});

// The layer store protocol, one root shared by several processes:
//   layers/.tmp-layer-<random>/  an unpack in progress; flock'ed by its writer
//   layers/<chain hex>/          a layer (overlay lowerdir)
//   layers/<chain hex>.complete  its marker, holding the diff ID
// The marker lives beside the directory, not in it, because everything in
// the directory shows up in containers' root filesystems.
//
// Unpacks into a temp dir, syncfs, then under a shared locks/layers.lock
// renames it to store.layerDir(chainId) and writes the marker (fsynced,
// with its directory). If another process committed the same layer first,
// its copy is kept and ours dropped. Callers check isLayerComplete first
// to skip the work; pass opts.expectedDiffId so a wrong blob is caught.
Result<UnpackResult> unpackToLayerStore(store::Store &store, const Digest &chainId, ByteSource &compressedBlob,
                                        const UnpackOptions &opts, const CancelToken &cancel = CancelToken::none(),
                                        const ProgressSink &progress = {});

// The same for a layer whose diff ID is known only at its end (commit
// unpacks the tar while it writes it): the layer is named by the chain of
// parentDiffIds and the diff ID the unpack computes. The step in messages is
// "unpack the new layer".
Result<UnpackResult> unpackOnTop(store::Store &store, const QList<Digest> &parentDiffIds, ByteSource &tar,
                                 const UnpackOptions &opts, const CancelToken &cancel = CancelToken::none());

// Extracts a (compressed) tar into the existing directory dirFd with the
// same in-root resolution as unpackLayer: no name, symlink or hard link in
// the tar reaches outside dirFd. Unlike unpackLayer the directory may hold
// files already, and nothing is removed on error. For `cp` (opts.layer =
// false). The fd is borrowed.
Result<UnpackResult> extractTar(ByteSource &tar, int dirFd, const UnpackOptions &opts,
                                const CancelToken &cancel = CancelToken::none(), const ProgressSink &progress = {});

QString layerCompleteMarker(const store::Store &store, const Digest &chainId);

// True if the layer's directory and its marker exist.
bool isLayerComplete(const store::Store &store, const Digest &chainId);

// For Store::open: under an exclusive locks/layers.lock, removes temp dirs
// whose writer is gone, layer dirs without a marker, and markers without a
// dir. Live writers are left alone. Returns how many entries it removed.
// Uses only store/fsutil and store/filelock, so it can move into the store
// module as it is (store must not depend on layer).
int removeIncompleteLayers(const QString &storeRoot);

} // namespace porthole::layer
