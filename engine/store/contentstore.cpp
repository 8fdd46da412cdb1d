#include "store/contentstore.h"

#include "store/fsutil.h"
#include "store/permissions.h"

#include <QDir>
#include <QFile>

#include <cerrno>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
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

Result<Digest> BlobWriter::commit(const std::optional<Digest> &expected, qint64 expectedSize, NameSync nameSync)
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
    if (nameSync == NameSync::Now)
        PH_CHECK(fsyncDir(m_blobDir));
    return digest;
}

// Reads the partial file's first bytes, hashing them for the writer.
class ResumableBlobWriter::ReplaySource final : public ByteSource {
public:
    ReplaySource(ResumableBlobWriter &w) : m_w(w) {}
    Result<qint64> read(char *buf, qint64 max) override
    {
        const qint64 want = qMin(max, m_w.m_existing - m_pos);
        if (want <= 0)
            return qint64(0);
        ssize_t n;
        do
            n = ::pread(m_w.m_fd, buf, size_t(want), m_pos);
        while (n < 0 && errno == EINTR);
        if (n < 0)
            return Error::fromErrno(QStringLiteral("read %1").arg(m_w.m_path), errno);
        if (n == 0)
            return Error(ErrorCode::Io, QStringLiteral("read %1: shorter than it was").arg(m_w.m_path));
        m_w.m_hash.update(buf, size_t(n));
        m_pos += n;
        return qint64(n);
    }

private:
    ResumableBlobWriter &m_w;
    qint64 m_pos = 0;
};

ResumableBlobWriter::ResumableBlobWriter(int fd, QString path, QString blobDir, Digest expected, qint64 existing)
    : m_fd(fd), m_path(std::move(path)), m_blobDir(std::move(blobDir)), m_expected(std::move(expected)),
      m_existing(existing), m_size(existing)
{
}

ResumableBlobWriter::~ResumableBlobWriter()
{
    if (!m_done)
        ::close(m_fd); // the partial file stays, for the next attempt
}

Result<std::unique_ptr<ByteSource>> ResumableBlobWriter::readExisting()
{
    return std::unique_ptr<ByteSource>(new ReplaySource(*this));
}

Status ResumableBlobWriter::write(const char *data, qint64 size)
{
    if (m_done)
        return Error(ErrorCode::FailedPrecondition, QStringLiteral("write blob: writer already finished"));
    m_hash.update(data, size_t(size));
    m_size += size;
    return writeAll(m_fd, data, size, QStringLiteral("write %1").arg(m_path));
}

void ResumableBlobWriter::discard()
{
    if (m_done)
        return;
    m_done = true;
    ::unlink(QFile::encodeName(m_path).constData());
    ::close(m_fd);
}

Result<Digest> ResumableBlobWriter::commit(qint64 expectedSize)
{
    if (m_done)
        return Error(ErrorCode::FailedPrecondition, QStringLiteral("commit blob: writer already finished"));
    const Digest digest = m_hash.finish();
    if ((expectedSize >= 0 && m_size != expectedSize) || digest != m_expected) {
        const QString why = m_size != expectedSize && expectedSize >= 0
            ? QStringLiteral("%1 bytes, expected %2").arg(m_size).arg(expectedSize)
            : QStringLiteral("content has digest %1").arg(digest.toString());
        discard();
        return Error(ErrorCode::InvalidArgument, QStringLiteral("commit blob %1: %2").arg(m_expected.toString(), why));
    }
    if (::fsync(m_fd) != 0) {
        const int err = errno;
        ::close(m_fd);
        m_done = true;
        return Error::fromErrno(QStringLiteral("commit blob %1").arg(digest.toString()), err);
    }
    const QString finalPath = m_blobDir + u'/' + digest.hex();
    const int renamed = ::rename(QFile::encodeName(m_path).constData(), QFile::encodeName(finalPath).constData());
    const int err = errno;
    ::close(m_fd);
    m_done = true;
    if (renamed != 0)
        return Error::fromErrno(QStringLiteral("commit blob %1").arg(digest.toString()), err);
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
    PH_CHECK(makeDirs(m_blobDir, kPrivateDirMode));
    PH_CHECK(makeDirs(m_ingest, kPrivateDirMode));
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

Result<Digest> ContentStore::write(const QByteArray &data, NameSync nameSync)
{
    PH_TRY(auto writer, openWriter());
    PH_CHECK(writer->write(data.constData(), data.size()));
    return writer->commit(std::nullopt, -1, nameSync);
}

Status ContentStore::syncNames() const { return fsyncDir(m_blobDir); }

Result<std::unique_ptr<BlobWriter>> ContentStore::openWriter()
{
    PH_TRY(const TempFile tmp, createTempFile(m_ingest));
    return std::unique_ptr<BlobWriter>(new BlobWriter(tmp.fd, tmp.path, m_blobDir));
}

Result<std::unique_ptr<ResumableBlobWriter>> ContentStore::openResumable(const Digest &digest)
{
    const QString path = m_ingest + u'/' + digest.hex() + QStringLiteral(".partial");
    const int fd = ::open(QFile::encodeName(path).constData(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
    if (fd < 0)
        return Error::fromErrno(QStringLiteral("open %1").arg(path), errno);
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        ::close(fd);
        return Error(ErrorCode::Unavailable, QStringLiteral("blob %1 is being downloaded by another process").arg(digest.toString()));
    }
    // Opened and locked: but a committer may have renamed it away meanwhile.
    struct stat st {};
    if (::fstat(fd, &st) != 0 || st.st_nlink == 0) {
        ::close(fd);
        return openResumable(digest);
    }
    const qint64 existing = ::lseek(fd, 0, SEEK_END);
    return std::unique_ptr<ResumableBlobWriter>(new ResumableBlobWriter(fd, path, m_blobDir, digest, qMax<qint64>(0, existing)));
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
