// Named volumes: docker's local driver, one directory per volume under
// ROOT/volumes/<name>/ with the data in _data (what `run -v NAME:/path`
// mounts). There is no volume record: the directory is the volume, and who
// uses it is read from the container records, so a volume made by `run`
// in another process is listed like one made by `volume create`.
#include "service/engine.h"
#include "store/volumename.h"

#include "store/containerstore.h"
#include "store/fsutil.h"
#include "store/permissions.h"
#include "store/store.h"
#include "store/treesize.h"

#include <QDir>
#include <QFileInfo>
#include <QRandomGenerator>
#include <QRegularExpression>

#include <cerrno>
#include <cstdio>

namespace porthole::service {

namespace {

QString volumesDir(const store::Store &s) { return s.root() + QStringLiteral("/volumes"); }
QString volumeDir(const store::Store &s, const QString &name) { return volumesDir(s) + u'/' + name; }
QString dataDir(const store::Store &s, const QString &name) { return store::volumeDataDir(s.root(), name); }

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
    row.size = store::treeBytes(row.mountpoint);
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
    PH_CHECK(store::checkVolumeName(name));
    if (!isVolume(*m_store, name)) {
        PH_CHECK(store::makeVolumeDirs(dataDir(*m_store, name)));
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
    // Container creation makes its volumes under this lock: no container
    // can start using the volume between the check and the rename.
    PH_TRY(store::FileLock namesLock, store::ContainerStore(*m_store).namesLock());
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
