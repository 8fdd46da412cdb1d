#include "store/fdsink.h"

#include "store/fsutil.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/socket.h>

namespace porthole::store {

FdSink::FdSink(int fd, QString name, Options options)
    : m_fd(fd), m_name(std::move(name)), m_options(options), m_buf(256 << 10, Qt::Uninitialized)
{
}

Status FdSink::write(const char *data, qint64 size)
{
    if (m_used + size > m_buf.size())
        PH_CHECK(flush());
    if (size < m_buf.size()) {
        std::memcpy(m_buf.data() + m_used, data, size_t(size));
        m_used += size;
        return {};
    }
    return out(data, size);
}

Status FdSink::flush()
{
    const qint64 n = m_used;
    m_used = 0;
    return out(m_buf.constData(), n);
}

Status FdSink::out(const char *data, qint64 size)
{
    const QString step = QStringLiteral("write %1").arg(m_name);
    if (m_options.socket) {
        for (qint64 done = 0; done < size;) {
            const ssize_t n = ::send(m_fd, data + done, size_t(size - done), MSG_NOSIGNAL);
            if (n < 0 && errno == EINTR)
                continue;
            if (n < 0)
                return Error::fromErrno(step, errno);
            done += n;
        }
    } else {
        PH_CHECK(writeAll(m_fd, data, size, step));
    }
    m_written += size;
    constexpr qint64 kWriteBehind = 8 << 20;
    if (m_options.writeBehind && m_written - m_started >= kWriteBehind) {
        ::sync_file_range(m_fd, m_started, m_written - m_started, SYNC_FILE_RANGE_WRITE); // a hint: errors show at fsync
        m_started = m_written;
    }
    return {};
}

} // namespace porthole::store
