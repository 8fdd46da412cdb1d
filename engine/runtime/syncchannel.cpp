#include "runtime/syncchannel.h"

#include <QtEndian>

#include <cerrno>
#include <cstring>
#include <sys/socket.h>
#include <unistd.h>

namespace porthole::runtime {

// Frame: type (1 byte), payload length (4 bytes, big endian), payload. A
// message is small (under 64 KiB), so one sendmsg carries it whole.
Status sendMessage(int fd, SyncMessage message, const QByteArray &payload, int passFd)
{
    QByteArray frame(5, Qt::Uninitialized);
    frame[0] = char(message);
    qToBigEndian<quint32>(quint32(payload.size()), frame.data() + 1);
    frame += payload;
    iovec iov{frame.data(), size_t(frame.size())};
    msghdr msg{};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
    if (passFd >= 0) {
        msg.msg_control = control;
        msg.msg_controllen = sizeof control;
        cmsghdr *c = CMSG_FIRSTHDR(&msg);
        c->cmsg_level = SOL_SOCKET;
        c->cmsg_type = SCM_RIGHTS;
        c->cmsg_len = CMSG_LEN(sizeof(int));
        std::memcpy(CMSG_DATA(c), &passFd, sizeof(int));
    }
    for (;;) {
        const ssize_t n = ::sendmsg(fd, &msg, MSG_NOSIGNAL);
        if (n == ssize_t(frame.size()))
            return {};
        if (n < 0 && errno == EINTR)
            continue;
        return Error::fromErrno(QStringLiteral("send to the container's setup process"), n < 0 ? errno : EIO);
    }
}

Result<Received> receiveMessage(int fd)
{
    QByteArray buf(65536 + 5, Qt::Uninitialized);
    iovec iov{buf.data(), size_t(buf.size())};
    msghdr msg{};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
    msg.msg_control = control;
    msg.msg_controllen = sizeof control;
    ssize_t n;
    do
        n = ::recvmsg(fd, &msg, MSG_CMSG_CLOEXEC);
    while (n < 0 && errno == EINTR);
    if (n < 0)
        return Error::fromErrno(QStringLiteral("receive from the container's setup process"), errno);
    if (n == 0)
        return Error(ErrorCode::Unavailable, QStringLiteral("the container's setup process closed the channel"));
    if (n < 5)
        return Error(ErrorCode::Internal, QStringLiteral("a short message from the container's setup process"));
    Received r;
    r.message = SyncMessage(buf[0]);
    const quint32 len = qFromBigEndian<quint32>(buf.constData() + 1);
    r.payload = buf.mid(5, qMin<qsizetype>(len, n - 5));
    for (cmsghdr *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS)
            std::memcpy(&r.fd, CMSG_DATA(c), sizeof(int));
    }
    return r;
}

QByteArray failurePayload(int exitCode, const QString &text)
{
    QByteArray p(4, Qt::Uninitialized);
    qToBigEndian<qint32>(exitCode, p.data());
    return p + text.toUtf8().left(60000);
}

void parseFailure(const QByteArray &payload, int &exitCode, QString &text)
{
    exitCode = payload.size() >= 4 ? qFromBigEndian<qint32>(payload.constData()) : 125;
    text = QString::fromUtf8(payload.mid(4));
}

} // namespace porthole::runtime
