#include "core/bytestream.h"

#include <QFile>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace porthole {

static constexpr qint64 kChunk = 1 << 20;

Result<qint64> FdSource::read(char *buf, qint64 max)
{
    for (;;) {
        const ssize_t n = ::read(m_fd, buf, size_t(max));
        if (n >= 0)
            return qint64(n);
        if (errno != EINTR)
            return Error::fromErrno(QStringLiteral("read %1").arg(m_name), errno);
    }
}

FileSource::~FileSource() { ::close(m_fd); }

Result<std::unique_ptr<FileSource>> FileSource::open(const QString &path)
{
    const int fd = ::open(QFile::encodeName(path).constData(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return Error::fromErrno(QStringLiteral("open %1").arg(path), errno);
    return std::unique_ptr<FileSource>(new FileSource(fd, path));
}

Result<qint64> FileSource::read(char *buf, qint64 max)
{
    for (;;) {
        const ssize_t n = ::read(m_fd, buf, size_t(max));
        if (n >= 0)
            return qint64(n);
        if (errno != EINTR)
            return Error::fromErrno(QStringLiteral("read %1").arg(m_path), errno);
    }
}

Result<qint64> MemorySource::read(char *buf, qint64 max)
{
    const qint64 n = qMin(max, qint64(m_data.size()) - m_pos);
    if (n > 0)
        std::memcpy(buf, m_data.data() + m_pos, size_t(n));
    m_pos += n;
    return n;
}

Result<qint64> DigestingSource::read(char *buf, qint64 max)
{
    PH_TRY(const qint64 n, m_inner.read(buf, max));
    if (n > 0) {
        m_hash.update(buf, size_t(n));
        if (m_tee)
            PH_CHECK(m_tee->write(buf, n));
    }
    return n;
}

Result<qint64> TeeSource::read(char *buf, qint64 max)
{
    PH_TRY(const qint64 n, m_inner.read(buf, max));
    if (n > 0)
        PH_CHECK(m_sink.write(buf, n));
    return n;
}

Result<qint64> ConcatSource::read(char *buf, qint64 max)
{
    if (!m_firstDone) {
        PH_TRY(const qint64 n, m_first.read(buf, max));
        if (n > 0)
            return n;
        m_firstDone = true;
    }
    return m_second.read(buf, max);
}

Result<qint64> LimitedSource::read(char *buf, qint64 max)
{
    if (m_failed)
        return Error(ErrorCode::InvalidArgument, m_overflow);
    if (max <= 0)
        return qint64(0);
    // One byte past the limit is asked for, so that a source that goes on
    // is caught instead of looking like one that ended.
    PH_TRY(const qint64 n, m_inner.read(buf, qMin(max, m_limit - m_read + 1)));
    m_read += n;
    if (m_read > m_limit) {
        m_failed = true;
        return Error(ErrorCode::InvalidArgument, m_overflow);
    }
    return n;
}

Status drain(ByteSource &source)
{
    QByteArray buf(kChunk, Qt::Uninitialized);
    for (;;) {
        PH_TRY(const qint64 n, source.read(buf.data(), buf.size()));
        if (n == 0)
            return {};
    }
}

Status copyStream(ByteSource &source, ByteSink &sink)
{
    QByteArray buf(kChunk, Qt::Uninitialized);
    for (;;) {
        PH_TRY(const qint64 n, source.read(buf.data(), buf.size()));
        if (n == 0)
            return {};
        PH_CHECK(sink.write(buf.constData(), n));
    }
}

} // namespace porthole
