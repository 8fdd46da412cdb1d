// The container side of commit and diff: reads an overlayfs upper dir (the
// container's changes as overlayfs stores them) and reports or serializes it.
//
//   upper dir (overlay form)                 OCI layer tar / docker diff
//   name: 0/0 character device               dir/.wh.name            D /dir/name
//   dir with trusted.overlay.opaque=y        dir/, dir/.wh..wh..opq  C /dir + D hidden
//   anything else                            the entry itself        A or C
//
// whiteout.h has the reverse direction (tar -> overlay dir).
//
// The walk is fd-based (openat with O_NOFOLLOW below the upper dir), so a
// container that swaps a directory for a symlink while we read cannot make
// us read outside the upper dir. Callers freeze the container for a
// consistent snapshot; without that a file that changes size while read is
// cut or zero-padded to the size it had when its header was written.
//
// Excluded paths ("/etc/hosts", volume destinations) are absolute, as seen
// in the container; an excluded directory excludes everything below it.
//
// Stateless functions, synchronous, any thread.
#pragma once
#include "core/bytestream.h"
#include "core/cancel.h"
#include "core/result.h"
#include <QList>
#include <QString>
#include <QStringList>

namespace porthole::layer {

struct Change {
    enum Kind { Added, Changed, Deleted } kind = Added;
    QString path; // absolute in the container: "/etc/x"
    bool operator==(const Change &) const = default;
};

// docker diff: every upper entry is Added when no lower dir has its path and
// Changed when one has (lowerDirs topmost first; a whiteout or opaque dir in
// a higher lower ends the search, as overlayfs would). Directories present
// in the upper dir are parents of changes and so reported too. A whiteout is
// Deleted; an opaque dir is Changed (or Added) and the names of the lower
// dirs it hides that the upper does not recreate are Deleted (only their top
// names, as docker lists a removed tree). Sorted by path.
Result<QList<Change>> diffUpper(const QString &upperDir, const QStringList &lowerDirs, const QStringList &excluded);

struct TarWriteStats {
    qint64 entries = 0; // tar headers written, whiteouts included
    qint64 contentBytes = 0; // regular file data
};

// Writes upperDir as an OCI layer tar (pax) into sink: whiteouts as empty
// ".wh.<name>" files, opaque dirs as the dir entry followed by
// "<dir>/.wh..wh..opq", files (sparse ones as plain data), dirs, symlinks,
// hard links (the second path of an inode becomes a link to the first),
// fifos and devices, with numeric owners, modes, mtimes and xattrs except
// the overlay ones. Sockets are skipped, as docker does. Entries come in
// depth-first order, names sorted bytewise, so the same dir gives the same
// tar. Names are the bytes on disk (UTF-8 in practice) in pax path records.
//
// Does not call sink.finish(): the caller owns the sink chain (digest,
// compression, blob writer) and finishes it. Cancel is polled between
// entries and between 1 MiB blocks.
Result<TarWriteStats> writeUpperTar(const QString &upperDir, const QStringList &excluded, ByteSink &sink,
    const CancelToken &cancel = CancelToken::none());

// A plain tar of part of a merged tree, for cp and export: a container's
// root (a mounted overlay, /proc/<pid>/root) or a host directory. The entry
// name in dirFd (never followed; "." for dirFd itself) and, for a
// directory, everything below it, walked as writeUpperTar walks (no symlink
// followed, sorted, hard links, xattrs but the overlay ones). The entry is
// named tarName and what is below it tarName/<path>; with an empty tarName
// the entry itself is left out and its contents come at the top, as
// `docker export` writes a root filesystem. No whiteout conversion: a merged
// view shows none. dirFd is borrowed and must be readable (not O_PATH).
Result<TarWriteStats> writeTreeTar(int dirFd, const QByteArray &name, const QByteArray &tarName, ByteSink &sink,
    const CancelToken &cancel = CancelToken::none());

} // namespace porthole::layer
