// The blob half of the OCI image layout: blobs/sha256/<hex>, written through
// an ingest area so nothing partial ever has a final name. Thread-safe: every
// method works on the file system only; concurrent writers of the same blob
// both succeed (the second rename replaces identical content).
#pragma once

#include "core/bytestream.h"
#include "core/digest.h"
#include "core/documentlimit.h"
#include "core/result.h"

#include <QList>
#include <QString>

#include <memory>
#include <optional>

namespace porthole::store {

// When a committed blob's name becomes durable: at once (an fsync of
// blobs/sha256 per blob), or Later, with the next ContentStore::syncNames()
// that must come before anything names the blob in the index (one fsync for
// the layer, config and manifest of a new image). Either way the content is
// on disk before the name exists, so a crash never leaves a name with
// partial content; a Later name may be lost by a crash, which only means
// the blob is not there.
enum class NameSync { Now, Later };

// Streams one blob into the ingest area, hashing as it goes. commit() makes it
// durable and visible; destroying an uncommitted writer removes its file.
class BlobWriter final : public ByteSink {
public:
    ~BlobWriter() override;
    Status write(const char *data, qint64 size) override;

    qint64 bytesWritten() const { return m_size; }

    // fsync, check size and digest against what the caller expected (when it
    // knows), rename into blobs/, fsync the directory (see NameSync). Returns
    // the digest.
    Result<Digest> commit(const std::optional<Digest> &expected = std::nullopt, qint64 expectedSize = -1,
                          NameSync nameSync = NameSync::Now);

private:
    friend class ContentStore;
    BlobWriter(int fd, QString tempPath, QString blobDir) : m_fd(fd), m_tempPath(std::move(tempPath)), m_blobDir(std::move(blobDir)) {}
    void abort();

    int m_fd;
    QString m_tempPath;
    QString m_blobDir;
    Sha256 m_hash;
    qint64 m_size = 0;
    bool m_done = false;
};

// A download that survives its process: ingest/<hex>.partial, named by the
// digest it must end with, locked (flock) while in use. existing() bytes are
// already there from an earlier, cut-off attempt; the caller replays them
// through readExisting() (which hashes them) before appending the rest.
// Destroyed uncommitted, the partial file stays for the next attempt;
// discard() drops it (its bytes were wrong).
class ResumableBlobWriter final : public ByteSink {
public:
    ~ResumableBlobWriter() override;
    qint64 existing() const { return m_existing; }
    // The bytes already there, once; they go into the digest as they are read.
    Result<std::unique_ptr<ByteSource>> readExisting();
    Status write(const char *data, qint64 size) override;
    Result<Digest> commit(qint64 expectedSize);
    void discard();

private:
    friend class ContentStore;
    ResumableBlobWriter(int fd, QString path, QString blobDir, Digest expected, qint64 existing);
    class ReplaySource;
    int m_fd;
    QString m_path;
    QString m_blobDir;
    Digest m_expected;
    qint64 m_existing;
    qint64 m_size;
    Sha256 m_hash;
    bool m_done = false;
};

class ContentStore {
public:
    explicit ContentStore(QString layoutRoot);

    // Creates blobs/sha256 and the ingest area, and removes what a crashed
    // writer left there.
    Status initialize();

    QString blobPath(const Digest &digest) const;
    bool has(const Digest &digest) const;
    Result<qint64> size(const Digest &digest) const;

    // Reads a small blob (manifest, config) whole and checks its digest.
    Result<QByteArray> read(const Digest &digest, qint64 maxBytes = kMaxDocumentBytes) const;
    Result<std::unique_ptr<FileSource>> open(const Digest &digest) const;

    Result<Digest> write(const QByteArray &data, NameSync nameSync = NameSync::Now);
    // Makes the names of blobs committed with NameSync::Later durable.
    Status syncNames() const;
    Result<std::unique_ptr<BlobWriter>> openWriter();
    // Unavailable when another process is downloading the same blob now.
    Result<std::unique_ptr<ResumableBlobWriter>> openResumable(const Digest &digest);

    Status remove(const Digest &digest);
    QList<Digest> list() const;

    QString ingestDir() const { return m_ingest; }

private:
    QString m_root;
    QString m_blobDir;
    QString m_ingest;
};

} // namespace porthole::store
