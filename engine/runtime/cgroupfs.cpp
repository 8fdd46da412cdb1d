#include "runtime/cgroupfs.h"

#include "store/fsutil.h"

#include <QFile>

#include <cerrno>
#include <fcntl.h>
#include <unistd.h>

namespace porthole::runtime::cgroupfs {

// Control files are small; store::readFile reads them to their end.
Result<QByteArray> readFile(const QString &path) { return store::readFile(path, 1 << 20); }

Status writeFile(const QString &path, const QByteArray &data)
{
    const int fd = ::open(QFile::encodeName(path).constData(), O_WRONLY | O_CLOEXEC);
    if (fd < 0) {
        const int err = errno;
        return Error::fromErrno(QStringLiteral("write %1").arg(path), err);
    }
    ssize_t n;
    do {
        n = ::write(fd, data.constData(), size_t(data.size()));
    } while (n < 0 && errno == EINTR);
    const int err = errno;
    ::close(fd);
    if (n < 0)
        return Error::fromErrno(QStringLiteral("write \"%1\" to %2").arg(QString::fromLatin1(data), path), err);
    return {};
}

bool exists(const QString &path) { return ::access(QFile::encodeName(path).constData(), F_OK) == 0; }

Result<qint64> readNumber(const QString &path)
{
    auto data = readFile(path);
    if (!data)
        return data.error().sysErrno == ENOENT ? Result<qint64>(qint64(-1)) : Result<qint64>(data.error());
    const QByteArray text = data->trimmed();
    if (text == "max")
        return qint64(-1);
    bool ok = false;
    const qint64 v = text.toLongLong(&ok);
    if (!ok)
        return Error(ErrorCode::Io,
                     QStringLiteral("read %1: \"%2\" is not a number").arg(path, QString::fromLatin1(text)));
    return v;
}

qint64 keyedValue(const QByteArray &data, const QByteArray &key)
{
    for (const QByteArray &line : data.split('\n')) {
        const QList<QByteArray> kv = line.simplified().split(' ');
        if (kv.size() == 2 && kv[0] == key)
            return kv[1].toLongLong();
    }
    return -1;
}

} // namespace porthole::runtime::cgroupfs
