// Small POSIX file helpers with Result-returning errors: the durable-write
// primitives (fsync a file and its directory, atomic replace) every store
// writer builds on. Stateless; safe from any thread.
#pragma once

#include "core/result.h"

#include <QByteArray>
#include <QString>

namespace porthole::store {

// mkdir -p: new directories get exactly mode (not narrowed by the umask);
// existing ones keep theirs.
Status makeDirs(const QString &path, int mode = 0755);

// fsync the directory itself, so a rename or unlink inside it is durable.
Status fsyncDir(const QString &dirPath);

// Reads a whole file to its end (so /proc and /sys files work too),
// refusing files larger than maxBytes (documents from a
// store or a registry are small; a huge one is a bug or an attack).
Result<QByteArray> readFile(const QString &path, qint64 maxBytes = 64 << 20);

// Writes data to a temp file beside path, fsyncs it, renames it over path and
// fsyncs the directory: readers see the old or the new content, never a mix,
// and a crash at any point leaves one of the two.
// Durability::AtomicOnly skips both fsyncs: still never a mix for readers,
// but a crash may lose the update. For files rewritten at every container
// start (its /etc files, its state), where an fsync costs more than the
// start itself and nothing is lost with them.
enum class Durability { Durable, AtomicOnly };
Status writeFileAtomic(const QString &path, const QByteArray &data, int mode = 0644,
                       Durability durability = Durability::Durable);

// Removes a file or directory tree; a missing path is not an error.
Status removeAll(const QString &path);

bool pathExists(const QString &path);

// The prefix of temp files, so the store can find and remove a crashed
// writer's leftovers ("<prefix><random>").
inline constexpr const char *kTempPrefix = ".tmp-";

// Creates a uniquely named temp file in dir, opened O_RDWR|O_CLOEXEC and
// flock'ed exclusively (so cleanup can tell a live writer's file from a dead
// one's). Returns the fd and its path.
struct TempFile {
    int fd = -1;
    QString path;
};
Result<TempFile> createTempFile(const QString &dir, int mode = 0644);

// Writes all of data to fd, retrying on short writes and EINTR.
Status writeAll(int fd, const char *data, qint64 size, const QString &what);

// Removes temp files in dir whose writer is gone (their flock is free).
// Returns how many were removed.
int removeStaleTempFiles(const QString &dir);

} // namespace porthole::store
