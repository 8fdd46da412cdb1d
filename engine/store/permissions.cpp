#include "store/permissions.h"

#include "store/fsutil.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <cerrno>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace porthole::store {

namespace {

// Every directory the store makes at its top (cache/ holds compiled seccomp
// filters).
const char *const kTopDirs[] = {"blobs", "cache", "containers", "ingest", "l", "layerinfo", "layers", "locks", "volumes"};

// The files of a container's record that are bind-mounted into it (see
// runtime/shimsetup.cpp): its users must read them.
const char *const kContainerViewFiles[] = {"hostname", "hosts", "resolv.conf"};

bool isContainerViewFile(const QByteArray &name)
{
    for (const char *f : kContainerViewFiles) {
        if (name == f)
            return true;
    }
    return false;
}

// Sets the mode of name in dirFd if it is of the given type and has another
// one. Symlinks are never followed; a name gone meanwhile (a container
// removed by another process) is no error.
Status tighten(int dirFd, const QByteArray &name, mode_t type, int mode, const QString &shown)
{
    struct stat st {};
    if (::fstatat(dirFd, name.constData(), &st, AT_SYMLINK_NOFOLLOW) != 0)
        return errno == ENOENT ? Status() : Error::fromErrno(QStringLiteral("tighten the permissions of %1").arg(shown), errno);
    if ((st.st_mode & S_IFMT) != type || int(st.st_mode & 07777) == mode)
        return {};
    if (::fchmodat(dirFd, name.constData(), mode_t(mode), 0) != 0 && errno != ENOENT)
        return Error::fromErrno(QStringLiteral("tighten the permissions of %1").arg(shown), errno);
    return {};
}

// Calls each(dirFd, name) for every entry of dir; a missing dir has none.
template <typename Each>
Status forEachEntry(const QString &dir, Each each)
{
    const int fd = ::open(QFile::encodeName(dir).constData(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return errno == ENOENT ? Status() : Error::fromErrno(QStringLiteral("tighten the permissions in %1").arg(dir), errno);
    const QStringList names = QDir(dir).entryList(QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot);
    Status result;
    for (const QString &name : names) {
        result = each(fd, QFile::encodeName(name));
        if (!result)
            break;
    }
    ::close(fd);
    return result;
}

// What stores made before these modes left open: 0711 container dirs, 0755
// volume dirs, 0644 configs (with -e secrets) and 0640 logs.
Status tightenEntries(const QString &root)
{
    const QString containers = root + QStringLiteral("/containers");
    PH_CHECK(forEachEntry(containers, [&](int fd, const QByteArray &name) -> Status {
        const QString dir = containers + u'/' + QFile::decodeName(name);
        PH_CHECK(tighten(fd, name, S_IFDIR, kPrivateDirMode, dir));
        return forEachEntry(dir, [&](int inner, const QByteArray &file) {
            if (isContainerViewFile(file))
                return Status();
            return tighten(inner, file, S_IFREG, kPrivateFileMode, dir + u'/' + QFile::decodeName(file));
        });
    }));
    const QString volumes = root + QStringLiteral("/volumes");
    return forEachEntry(volumes, [&](int fd, const QByteArray &name) {
        return tighten(fd, name, S_IFDIR, kPrivateDirMode, volumes + u'/' + QFile::decodeName(name));
    });
}

} // namespace

Status tightenStore(const QString &root)
{
    const QByteArray path = QFile::encodeName(root);
    struct stat st {};
    if (::stat(path.constData(), &st) != 0)
        return Error::fromErrno(QStringLiteral("tighten the permissions of %1").arg(root), errno);
    // The root's mode is the marker: 0711 is what older versions gave the
    // roots they made, so such a store's entries are walked once and its
    // root made 0700 last. Any other mode is its owner's choice for a
    // directory Porthole did not make (--root /tmp, a home dir): it stays;
    // the 0700 directories inside keep what containers wrote private.
    constexpr int kOlderStoreRootMode = 0711;
    const bool loose = int(st.st_mode & 07777) == kOlderStoreRootMode;
    if (loose)
        PH_CHECK(tightenEntries(root));
    const int rootFd = ::open(path.constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (rootFd < 0)
        return Error::fromErrno(QStringLiteral("tighten the permissions of %1").arg(root), errno);
    Status result;
    for (const char *dir : kTopDirs) {
        result = tighten(rootFd, dir, S_IFDIR, kPrivateDirMode, root + u'/' + QLatin1String(dir));
        if (!result)
            break;
    }
    // Last: the marker says everything below is done.
    if (result && loose && ::fchmod(rootFd, mode_t(kPrivateDirMode)) != 0)
        result = Error::fromErrno(QStringLiteral("tighten the permissions of %1").arg(root), errno);
    ::close(rootFd);
    return result;
}

Status makeVolumeDirs(const QString &dataDir)
{
    PH_CHECK(makeDirs(QFileInfo(dataDir).path(), kPrivateDirMode));
    return makeDirs(dataDir, kContainerViewDirMode);
}

} // namespace porthole::store
