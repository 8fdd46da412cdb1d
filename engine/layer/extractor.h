// The tar entry writer behind unpackLayer and extractTar (unpacker.cpp),
// private to layer/. Entries are created in extractor.cpp; their metadata
// (owner, mode, xattrs, directory times) is applied in extractormeta.cpp.
//
// Threading: one Extractor per unpack, on the unpacking thread.
#pragma once

#include "layer/inroot.h"
#include "layer/tarreader.h"
#include "layer/unpacker.h"

#include <QHash>
#include <QList>
#include <QSet>

#include <sys/stat.h>
#include <ctime>

struct archive;
struct archive_entry;

namespace porthole::layer {

// Entry names in messages, shortened: a hostile name may be megabytes long.
QString shownEntryName(const char *name);

// The entry's atime and mtime as utimensat wants them (mtime unset: left alone).
void entryTimes(struct archive_entry *e, struct timespec ts[2]);

// Writes tar entries into the root one at a time. Directories get their
// mode and times at the end (finishDirs), when nothing more is created in
// them: creating a child changes a directory's mtime, and an unprivileged
// unpack could not write into a directory already made read-only.
class Extractor {
public:
    Extractor(InRoot &root, struct archive *a, const TarReader &reader, const UnpackOptions &opts,
              const CancelToken &cancel, const QString &step, UnpackResult &result)
        : m_root(root), m_a(a), m_reader(reader), m_opts(opts), m_cancel(cancel), m_step(step), m_result(result) {}

    Status extract(struct archive_entry *e);
    Status finishDirs();
    void warn(const QString &text);

private:
    Error refuse(const QString &sentence) const
    {
        return Error(ErrorCode::InvalidArgument, QStringLiteral("%1: entry %2 %3").arg(m_step, m_shown, sentence));
    }
    Error sysError(const QString &action, int err) const
    {
        return Error::fromErrno(QStringLiteral("%1: entry %2: %3").arg(m_step, m_shown, action), err);
    }
    Error inContext(const Error &e) const { return e.context(QStringLiteral("%1: entry %2").arg(m_step, m_shown)); }

    Status extractPlain(struct archive_entry *e, const QByteArray &clean, const QByteArray &dirPath, const QByteArray &base);
    Status extractAt(int dirFd, struct archive_entry *e, const QByteArray &clean, const QByteArray &base);
    template <typename Create>
    Result<int> createReplacing(int dirFd, const QByteArray &name, Create create, const QString &action);
    Status writeFile(int dirFd, const QByteArray &name, struct archive_entry *e);
    Status makeDir(int dirFd, const QByteArray &path, const QByteArray &name, struct archive_entry *e);
    Status makeSymlink(int dirFd, const QByteArray &name, struct archive_entry *e);
    Status makeHardlink(int dirFd, const QByteArray &path, const QByteArray &name, const char *target);
    Status makeNode(int dirFd, const QByteArray &name, struct archive_entry *e);
    Status skipDevice(const QByteArray &clean, const QString &warning);
    mode_t permOf(struct archive_entry *e) const;
    Status applyDirEntry(int fd, const QByteArray &path, struct archive_entry *e);
    Status applyOwner(int fd, int dirFd, const QByteArray &name, struct archive_entry *e);
    Status applyXattrs(struct archive_entry *e, int fd, int dirFd, const QByteArray &name, bool isSymlink);

    struct DirMeta {
        QByteArray path;
        mode_t perm = 0755;
        struct timespec times[2] {};
    };

    InRoot &m_root;
    struct archive *m_a;
    const TarReader &m_reader;
    const UnpackOptions &m_opts;
    const CancelToken &m_cancel;
    const QString &m_step;
    UnpackResult &m_result;
    QString m_shown; // the current entry's name, for messages
    QList<DirMeta> m_dirs;
    QHash<QByteArray, qsizetype> m_dirIndex;
    QSet<QByteArray> m_skippedDevices; // so hard links to them are skipped too
    int m_warningsDropped = 0;
};

} // namespace porthole::layer
