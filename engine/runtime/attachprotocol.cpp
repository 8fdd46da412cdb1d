#include "runtime/attachprotocol.h"

#include <QtEndian>

#include <cerrno>
#include <QFile>
#include <QFileInfo>

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

namespace porthole::runtime::attach {

QByteArray encode(Frame type, const QByteArray &payload)
{
    QByteArray out(5, Qt::Uninitialized);
    out[0] = char(type);
    qToBigEndian<quint32>(quint32(payload.size()), out.data() + 1);
    return out + payload;
}

QByteArray resizePayload(int rows, int cols)
{
    QByteArray p(4, Qt::Uninitialized);
    qToBigEndian<quint16>(quint16(rows), p.data());
    qToBigEndian<quint16>(quint16(cols), p.data() + 2);
    return p;
}

bool parseResize(const QByteArray &payload, int &rows, int &cols)
{
    if (payload.size() != 4)
        return false;
    rows = qFromBigEndian<quint16>(payload.constData());
    cols = qFromBigEndian<quint16>(payload.constData() + 2);
    return rows > 0 && cols > 0;
}

ExitStatus parseExit(const QByteArray &payload)
{
    if (payload.size() < 4)
        return {};
    return {qFromBigEndian<qint32>(payload.constData()), QString::fromUtf8(payload.mid(4))};
}

std::optional<std::pair<Frame, QByteArray>> FrameReader::next()
{
    if (m_buffer.size() < 5)
        return std::nullopt;
    const quint32 len = qFromBigEndian<quint32>(m_buffer.constData() + 1);
    if (m_buffer.size() < 5 + qsizetype(len))
        return std::nullopt;
    std::pair<Frame, QByteArray> frame{Frame(m_buffer[0]), m_buffer.mid(5, len)};
    m_buffer.remove(0, 5 + len);
    return frame;
}

namespace {

// Fills addr for path; dirFd gets the directory opened for a long path (the
// caller closes it after bind/connect).
Status socketAddress(const QString &path, sockaddr_un &addr, int &dirFd)
{
    addr = {};
    addr.sun_family = AF_UNIX;
    dirFd = -1;
    QByteArray p = QFile::encodeName(path);
    if (size_t(p.size()) >= sizeof addr.sun_path) {
        const QFileInfo info(path);
        dirFd = ::open(QFile::encodeName(info.path()).constData(), O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (dirFd < 0)
            return Error::fromErrno(QStringLiteral("open %1").arg(info.path()), errno);
        p = "/proc/self/fd/" + QByteArray::number(dirFd) + '/' + QFile::encodeName(info.fileName());
        if (size_t(p.size()) >= sizeof addr.sun_path)
            return Error(ErrorCode::InvalidArgument, QStringLiteral("socket name too long: %1").arg(path));
    }
    memcpy(addr.sun_path, p.constData(), size_t(p.size()));
    return {};
}

} // namespace

Result<int> listenUnix(const QString &path)
{
    ::unlink(QFile::encodeName(path).constData());
    sockaddr_un addr;
    int dirFd = -1;
    PH_CHECK(socketAddress(path, addr, dirFd));
    const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    const bool ok = fd >= 0 && ::bind(fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) == 0 && ::listen(fd, 16) == 0;
    const int err = errno;
    if (dirFd >= 0)
        ::close(dirFd);
    if (!ok) {
        if (fd >= 0)
            ::close(fd);
        return Error::fromErrno(QStringLiteral("listen on %1").arg(path), err);
    }
    ::chmod(QFile::encodeName(path).constData(), 0600);
    return fd;
}

Result<int> connectUnix(const QString &path)
{
    sockaddr_un addr;
    int dirFd = -1;
    PH_CHECK(socketAddress(path, addr, dirFd));
    const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    const bool ok = fd >= 0 && ::connect(fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) == 0;
    const int err = errno;
    if (dirFd >= 0)
        ::close(dirFd);
    if (!ok) {
        if (fd >= 0)
            ::close(fd);
        return Error::fromErrno(QStringLiteral("connect to %1").arg(path), err);
    }
    return fd;
}

Status writeAll(int fd, const QByteArray &data)
{
    qsizetype off = 0;
    while (off < data.size()) {
        const ssize_t n = ::send(fd, data.constData() + off, size_t(data.size() - off), MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return Error::fromErrno(QStringLiteral("write to the attach socket"), errno);
        off += n;
    }
    return {};
}

} // namespace porthole::runtime::attach
