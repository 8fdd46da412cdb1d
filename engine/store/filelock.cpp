#include "store/filelock.h"

#include <QFile>

#include <cerrno>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

namespace porthole::store {

FileLock::~FileLock() { release(); }

FileLock::FileLock(FileLock &&other) noexcept : m_fd(other.m_fd) { other.m_fd = -1; }

FileLock &FileLock::operator=(FileLock &&other) noexcept
{
    if (this != &other) {
        release();
        m_fd = other.m_fd;
        other.m_fd = -1;
    }
    return *this;
}

void FileLock::release()
{
    if (m_fd >= 0) {
        ::close(m_fd); // closing the description drops the flock
        m_fd = -1;
    }
}

Result<FileLock> FileLock::acquire(const QString &path, Mode mode) { return lock(path, mode, true); }

Result<FileLock> FileLock::tryAcquire(const QString &path, Mode mode) { return lock(path, mode, false); }

Result<FileLock> FileLock::lock(const QString &path, Mode mode, bool wait)
{
    const int fd = ::open(QFile::encodeName(path).constData(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0)
        return Error::fromErrno(QStringLiteral("open lock %1").arg(path), errno);
    int op = mode == Mode::Shared ? LOCK_SH : LOCK_EX;
    if (!wait)
        op |= LOCK_NB;
    while (::flock(fd, op) != 0) {
        const int err = errno;
        if (err == EINTR)
            continue;
        ::close(fd);
        if (err == EWOULDBLOCK)
            return Error(ErrorCode::Unavailable, QStringLiteral("lock %1: held by another process").arg(path), err);
        return Error::fromErrno(QStringLiteral("lock %1").arg(path), err);
    }
    FileLock l;
    l.m_fd = fd;
    return l;
}

} // namespace porthole::store
