#include "store/contentstore.h"

#include "store/fsutil.h"

#include <QDir>
#include <QFile>

#include <cerrno>
#include <unistd.h>

namespace porthole::store {

BlobWriter::~BlobWriter() { abort(); }

void BlobWriter::abort()
{
    if (m_done)
        return;
    m_done = true;
    ::unlink(QFile::encodeName(m_tempPath).constData());
    ::close(m_fd);
}

Status BlobWriter::write(const char *data, qint64 size)
{
    if (m_done)
        return Error(ErrorCode::FailedPrecondition, QStringLiteral("write blob: writer already finished"));
    // A failed write leaves the file short of what was hashed: the writer is
    // finished then, so a caller that presses on cannot commit a blob whose
    // content does not match its name.
    if (auto st = writeAll(m_fd, data, size, QStringLiteral("write blob %1").arg(m_tempPath)); !st) {
        abort();
        return st;
    }
    m_hash.update(data, size_t(size));
    m_size += size;
    return {};
}

Result<Digest> BlobWriter::commit(const std::optional<Digest> &expected, qint64 expectedSize)
{
    if (m_done)
        return Error(ErrorCode::FailedPrecondition, QStringLiteral("commit blob: writer already finished"));
    const qint64 size = m_size;
    const Digest digest = m_hash.finish();
    if (expectedSize >= 0 && size != expectedSize) {
        abort();
        return Error(ErrorCode::InvalidArgument,
                     QStringLiteral("commit blob %1: size is %2 bytes, expected %3")
                         .arg((expected ? *expected : digest).toString()).arg(size).arg(expectedSize));
    }
    if (expected && *expected != digest) {
        abort();
        return Error(ErrorCode::InvalidArgument,
                     QStringLiteral("commit blob: content has digest %1, expected %2").arg(digest.toString(), expected->toString()));
    }
    if (::fsync(m_fd) != 0) {
        const int err = errno;
        abort();
        return Error::fromErrno(QStringLiteral("commit blob %1").arg(digest.toString()), err);
    }
    const QString finalPath = m_blobDir + u'/' + digest.hex();
    if (::rename(QFile::encodeName(m_tempPath).constData(), QFile::encodeName(finalPath).constData()) != 0) {
        const int err = errno;
        abort();
        return Error::fromErrno(QStringLiteral("commit blob %1").arg(digest.toString()), err);
    }
    m_done = true;
    ::close(m_fd);
    PH_CHECK(fsyncDir(m_blobDir));
    return digest;
}

ContentStore::ContentStore(QString layoutRoot)
    : m_root(std::move(layoutRoot)), m_blobDir(m_root + QStringLiteral("/blobs/sha256")),
      m_ingest(m_root + QStringLiteral("/ingest"))
{
    // The ingest area sits beside blobs/ on the same file system, so the
    // commit is a rename; tools reading the layout never look in it.
}

Status ContentStore::initialize()
{
    PH_CHECK(makeDirs(m_blobDir));
    PH_CHECK(makeDirs(m_ingest, 0700));
    removeStaleTempFiles(m_ingest);
    return {};
}

QString ContentStore::blobPath(const Digest &digest) const { return m_blobDir + u'/' + digest.hex(); }

bool ContentStore::has(const Digest &digest) const { return digest.isValid() && pathExists(blobPath(digest)); }

Result<qint64> ContentStore::size(const Digest &digest) const
{
    QFileInfo info(blobPath(digest));
    if (!info.exists())
        return Error(ErrorCode::NotFound, QStringLiteral("blob %1 is not in the store").arg(digest.toString()));
    return info.size();
}

Result<QByteArray> ContentStore::read(const Digest &digest, qint64 maxBytes) const
{
    auto data = readFile(blobPath(digest), maxBytes);
    if (!data) {
        if (data.error().code == ErrorCode::NotFound)
            return Error(ErrorCode::NotFound, QStringLiteral("blob %1 is not in the store").arg(digest.toString()));
        return data.error().context(QStringLiteral("read blob %1").arg(digest.toString()));
    }
    if (Sha256::of(*data) != digest)
        return Error(ErrorCode::Io, QStringLiteral("read blob %1: content does not match its digest (the store is damaged)")
                                        .arg(digest.toString()));
    return data;
}

Result<std::unique_ptr<FileSource>> ContentStore::open(const Digest &digest) const
{
    auto src = FileSource::open(blobPath(digest));
    if (!src && src.error().code == ErrorCode::NotFound)
        return Error(ErrorCode::NotFound, QStringLiteral("blob %1 is not in the store").arg(digest.toString()));
    return src;
}

Result<Digest> ContentStore::write(const QByteArray &data)
{
    PH_TRY(auto writer, openWriter());
    PH_CHECK(writer->write(data.constData(), data.size()));
    return writer->commit();
}

Result<std::unique_ptr<BlobWriter>> ContentStore::openWriter()
{
    PH_TRY(const TempFile tmp, createTempFile(m_ingest));
    return std::unique_ptr<BlobWriter>(new BlobWriter(tmp.fd, tmp.path, m_blobDir));
}

Status ContentStore::remove(const Digest &digest)
{
    if (::unlink(QFile::encodeName(blobPath(digest)).constData()) != 0 && errno != ENOENT)
        return Error::fromErrno(QStringLiteral("remove blob %1").arg(digest.toString()), errno);
    return {};
}

QList<Digest> ContentStore::list() const
{
    QList<Digest> out;
    const QStringList names = QDir(m_blobDir).entryList(QDir::Files | QDir::NoDotAndDotDot);
    for (const QString &name : names) {
        if (auto d = Digest::parse(QStringLiteral("sha256:") + name))
            out.append(*d);
    }
    return out;
}

} // namespace porthole::store
