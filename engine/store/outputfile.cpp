#include "store/outputfile.h"

#include "store/fsutil.h"

#include <QFile>
#include <QFileInfo>
#include <QRandomGenerator>

#include <cerrno>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace porthole::store {

OutputFile::~OutputFile()
{
    if (m_fd >= 0)
        ::close(m_fd);
    if (!m_tempPath.isEmpty())
        ::unlink(QFile::encodeName(m_tempPath).constData());
}

Status OutputFile::open(const QString &path, const QString &step)
{
    m_step = step;
    m_path = QFileInfo(path).absoluteFilePath();
    m_dir = QFileInfo(m_path).absolutePath();
    struct stat st {};
    if (::stat(QFile::encodeName(m_path).constData(), &st) == 0 && S_ISDIR(st.st_mode))
        return Error(ErrorCode::InvalidArgument, QStringLiteral("%1: it is a directory").arg(step));
    m_fd = ::open(QFile::encodeName(m_dir).constData(), O_TMPFILE | O_WRONLY | O_CLOEXEC, 0666);
    if (m_fd >= 0)
        return {};
    if (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL)
        return Error::fromErrno(QStringLiteral("%1: create a file in %2").arg(step, m_dir), errno);
    PH_TRY(const TempFile temp, createTempFile(m_dir, 0644));
    m_fd = temp.fd;
    m_tempPath = temp.path;
    return {};
}

Status OutputFile::commit()
{
    if (::fsync(m_fd) != 0)
        return Error::fromErrno(m_step, errno);
    if (m_tempPath.isEmpty()) {
        // Named only now, then renamed: the target is replaced in one step.
        const QByteArray proc = "/proc/self/fd/" + QByteArray::number(m_fd);
        for (int attempt = 0; m_tempPath.isEmpty(); ++attempt) {
            const QString name = m_dir + QStringLiteral("/.") + QFileInfo(m_path).fileName() + QStringLiteral(".tmp-")
                + QString::number(QRandomGenerator::system()->generate64(), 36);
            if (::linkat(AT_FDCWD, proc.constData(), AT_FDCWD, QFile::encodeName(name).constData(), AT_SYMLINK_FOLLOW) == 0)
                m_tempPath = name;
            else if (errno != EEXIST || attempt > 10)
                return Error::fromErrno(QStringLiteral("%1: name the new file").arg(m_step), errno);
        }
    }
    if (::rename(QFile::encodeName(m_tempPath).constData(), QFile::encodeName(m_path).constData()) != 0)
        return Error::fromErrno(QStringLiteral("%1: rename the new file").arg(m_step), errno);
    m_tempPath.clear();
    return fsyncDir(m_dir);
}

} // namespace porthole::store
