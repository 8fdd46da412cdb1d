// Named volumes: docker's local driver, one directory per volume under
// ROOT/volumes/<name>/ with the data in _data (what `run -v NAME:/path`
// mounts). There is no volume record: the directory is the volume, and who
// uses it is read from the container records, so a volume made by `run`
// in another process is listed like one made by `volume create`.
#include "service/engine.h"

#include "store/containerstore.h"
#include "store/fsutil.h"
#include "store/store.h"

#include <QDir>
#include <QFileInfo>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSet>

#include <cerrno>
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace porthole::service {

namespace {

QString volumesDir(const store::Store &s) { return s.root() + QStringLiteral("/volumes"); }
QString volumeDir(const store::Store &s, const QString &name) { return volumesDir(s) + u'/' + name; }
QString dataDir(const store::Store &s, const QString &name) { return volumeDir(s, name) + QStringLiteral("/_data"); }

// docker's local driver rule and sentences (volume/local/local.go).
Status checkVolumeName(const QString &name)
{
    static const QRegularExpression re(QStringLiteral("^[a-zA-Z0-9][a-zA-Z0-9_.-]+$"));
    if (name.size() == 1)
        return Error(ErrorCode::InvalidArgument,
                     QStringLiteral("create %1: volume name is too short, names should be at least two alphanumeric "
                                    "characters").arg(name));
    if (!re.match(name).hasMatch())
        return Error(ErrorCode::InvalidArgument,
                     QStringLiteral("create %1: \"%1\" includes invalid characters for a local volume name, only "
                                    "\"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed. If you intended to pass a host "
                                    "directory, use absolute path").arg(name));
    return {};
}

struct InodeKey {
    dev_t dev;
    ino_t ino;
    bool operator==(const InodeKey &o) const { return dev == o.dev && ino == o.ino; }
};
size_t qHash(const InodeKey &k, size_t seed = 0) { return qHashMulti(seed, quint64(k.dev), quint64(k.ino)); }

// Sums file bytes under the directory fd (which it closes). Walks by fd with
// O_NOFOLLOW so a symlink a container planted (to /, to another volume)
// is never followed; a hard-linked file counts once, as docker's du.
qint64 treeSize(int dirFd, QSet<InodeKey> &seen, int depth = 0)
{
    DIR *dir = ::fdopendir(dirFd);
    if (!dir) {
        ::close(dirFd);
        return 0;
    }
    qint64 total = 0;
    while (dirent *e = ::readdir(dir)) {
        if (qstrcmp(e->d_name, ".") == 0 || qstrcmp(e->d_name, "..") == 0)
            continue;
        struct stat st {};
        if (::fstatat(::dirfd(dir), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0)
            continue; // removed while we read: a size is a snapshot anyway
        if (S_ISREG(st.st_mode)) {
            if (st.st_nlink > 1) {
                const InodeKey key{st.st_dev, st.st_ino};
                if (seen.contains(key))
                    continue;
                seen.insert(key);
            }
            total += st.st_size;
        } else if (S_ISDIR(st.st_mode) && depth < 512) {
            const int child = ::openat(::dirfd(dir), e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            if (child >= 0)
                total += treeSize(child, seen, depth + 1);
        }
    }
    ::closedir(dir);
    return total;
}

qint64 dataSize(const QString &path)
{
    const int fd = ::open(QFile::encodeName(path).constData(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return 0;
    QSet<InodeKey> seen;
    return treeSize(fd, seen);
}

struct VolumeUser {
    QString id;
    QString name;
};

// The containers whose mounts use each volume, by volume name. `run`
// records the _data path as the source; a bare name is accepted too.
Result<QHash<QString, QList<VolumeUser>>> volumeUsers(store::Store &s)
{
    PH_TRY(const QList<store::ContainerRecord> records, store::ContainerStore(s).list());
    const QString prefix = volumesDir(s) + u'/';
    QHash<QString, QList<VolumeUser>> users;
    for (const store::ContainerRecord &r : records) {
        for (const store::MountSpec &m : r.config.mounts) {
            if (m.type != QLatin1String("volume"))
                continue;
            QString name = m.source;
            if (name.startsWith(prefix) && name.endsWith(QLatin1String("/_data")))
                name = name.mid(prefix.size()).chopped(6);
            if (!name.contains(u'/'))
                users[name].append({r.config.id, r.config.name});
        }
    }
    return users;
}

VolumeRow makeRow(const store::Store &s, const QString &name, const QList<VolumeUser> &users)
{
    VolumeRow row;
    row.name = name;
    row.mountpoint = dataDir(s, name);
    const QFileInfo info(volumeDir(s, name));
    row.created = info.birthTime().isValid() ? info.birthTime() : info.lastModified();
    row.size = dataSize(row.mountpoint);
    for (const VolumeUser &u : users)
        row.containers.append(u.name);
    row.containers.sort();
    row.containers.removeDuplicates();
    return row;
}

bool isVolume(const store::Store &s, const QString &name)
{
    return !name.startsWith(QLatin1String(store::kTempPrefix)) && QFileInfo(dataDir(s, name)).isDir();
}

} // namespace

Result<QList<VolumeRow>> Engine::listVolumes()
{
    PH_TRY(const auto users, volumeUsers(*m_store));
    QStringList names = QDir(volumesDir(*m_store)).entryList(QDir::Dirs | QDir::NoDotAndDotDot | QDir::Hidden);
    names.sort();
    QList<VolumeRow> rows;
    for (const QString &name : names) {
        if (isVolume(*m_store, name))
            rows.append(makeRow(*m_store, name, users.value(name)));
    }
    return rows;
}

Result<VolumeRow> Engine::volume(const QString &name)
{
    if (name.contains(u'/') || !isVolume(*m_store, name))
        return Error(ErrorCode::NotFound, QStringLiteral("get %1: no such volume").arg(name));
    PH_TRY(const auto users, volumeUsers(*m_store));
    return makeRow(*m_store, name, users.value(name));
}

Result<VolumeRow> Engine::createVolume(const QString &name)
{
    PH_CHECK(checkVolumeName(name));
    if (!isVolume(*m_store, name)) {
        PH_CHECK(store::makeDirs(dataDir(*m_store, name)));
    }
    return volume(name);
}

Status Engine::removeVolume(const QString &name, bool force)
{
    if (name.contains(u'/') || !isVolume(*m_store, name)) {
        if (force)
            return {};
        return Error(ErrorCode::NotFound, QStringLiteral("get %1: no such volume").arg(name));
    }
    PH_TRY(const auto users, volumeUsers(*m_store));
    if (const QList<VolumeUser> used = users.value(name); !used.isEmpty()) {
        QStringList ids;
        for (const VolumeUser &u : used)
            ids.append(u.id);
        return Error(ErrorCode::FailedPrecondition,
                     QStringLiteral("remove %1: volume is in use - [%2]").arg(name, ids.join(u' ')));
    }
    // Renamed out of sight first, so no reader lists a half-deleted volume
    // and a `run -v NAME:` from now on gets a fresh, empty one.
    const QString retired = volumesDir(*m_store) + u'/' + QLatin1String(store::kTempPrefix) + name + u'-'
        + QString::number(QRandomGenerator::global()->generate64(), 16);
    if (::rename(QFile::encodeName(volumeDir(*m_store, name)).constData(), QFile::encodeName(retired).constData()) != 0)
        return Error::fromErrno(QStringLiteral("remove volume %1").arg(name), errno);
    return store::removeAll(retired);
}

} // namespace porthole::service
