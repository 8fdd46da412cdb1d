#include "core/bytepipe.h"

#include <algorithm>
#include <cstring>

namespace porthole {

BytePipe::BytePipe(qint64 capacity) : m_ring(size_t(std::max<qint64>(capacity, 4096))) {}

Status BytePipe::Sink::finish()
{
    m_p.closeWriter();
    return {};
}

void BytePipe::closeWriter(const std::optional<Error> &error)
{
    {
        std::lock_guard lock(m_mutex);
        if (m_writerClosed)
            return;
        m_writerClosed = true;
        m_writerError = error;
    }
    m_changed.notify_all();
}

void BytePipe::closeReader(const Error &error)
{
    {
        std::lock_guard lock(m_mutex);
        if (!m_readerError)
            m_readerError = error;
    }
    m_changed.notify_all();
}

std::optional<Error> BytePipe::readerError() const
{
    std::lock_guard lock(m_mutex);
    return m_readerError;
}

Status BytePipe::write(const char *data, qint64 size)
{
    const qint64 capacity = qint64(m_ring.size());
    std::unique_lock lock(m_mutex);
    if (m_writerClosed)
        return Error(ErrorCode::FailedPrecondition, QStringLiteral("write to a closed pipe"));
    while (size > 0) {
        m_changed.wait(lock, [&] { return m_readerError || m_used < capacity; });
        if (m_readerError)
            return *m_readerError;
        // Copy into the free space, which may wrap around the end.
        const qint64 tail = (m_head + m_used) % capacity;
        const qint64 n = std::min({size, capacity - m_used, capacity - tail});
        std::memcpy(m_ring.data() + tail, data, size_t(n));
        const bool wasEmpty = m_used == 0;
        m_used += n;
        data += n;
        size -= n;
        if (wasEmpty)
            m_changed.notify_all();
    }
    return {};
}

Result<qint64> BytePipe::read(char *buf, qint64 max)
{
    const qint64 capacity = qint64(m_ring.size());
    std::unique_lock lock(m_mutex);
    m_changed.wait(lock, [&] { return m_used > 0 || m_writerClosed || m_readerError; });
    if (m_readerError)
        return *m_readerError;
    if (m_writerError)
        return *m_writerError; // what is buffered is of no use any more
    if (m_used == 0)
        return qint64(0); // the writer finished: end of stream
    const qint64 n = std::min({max, m_used, capacity - m_head});
    std::memcpy(buf, m_ring.data() + m_head, size_t(n));
    const bool wasFull = m_used == capacity;
    m_head = (m_head + n) % capacity;
    m_used -= n;
    if (wasFull)
        m_changed.notify_all();
    return n;
}

} // namespace porthole
