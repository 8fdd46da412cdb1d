#include "store/containerstore.h"

#include "core/jsonobject.h"
#include "store/fsutil.h"
#include "store/permissions.h"
#include "store/store.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QRegularExpression>

namespace porthole::store {

namespace {

QString timeText(const QDateTime &t) { return t.isValid() ? t.toUTC().toString(Qt::ISODateWithMs) : QString(); }
QDateTime parseTime(const QJsonValue &v) { return QDateTime::fromString(v.toString(), Qt::ISODateWithMs); }

const QStringList kConfigKeys = {
    QStringLiteral("Id"), QStringLiteral("Name"), QStringLiteral("Image"), QStringLiteral("ImageManifest"),
    QStringLiteral("ImageName"), QStringLiteral("Created"), QStringLiteral("Path"), QStringLiteral("Args"),
    QStringLiteral("Mounts"), QStringLiteral("DiffIds"), QStringLiteral("ImageConfig"), QStringLiteral("Devices"),
};

// config.json holds -e values (secrets, often): its owner's only, whoever
// writes it (create, rename, update).
Status writeConfig(const QString &containerDir, const ContainerConfig &config)
{
    return writeFileAtomic(containerDir + QStringLiteral("/config.json"), QJsonDocument(config.toJson()).toJson(), kPrivateFileMode);
}

} // namespace

QJsonObject ContainerConfig::toJson() const
{
    QJsonObject o = extra;
    writeJson(o);
    o.insert(QStringLiteral("Id"), id);
    o.insert(QStringLiteral("Name"), name);
    o.insert(QStringLiteral("Image"), image.toString());
    o.insert(QStringLiteral("ImageManifest"), imageManifest.toString());
    o.insert(QStringLiteral("ImageName"), imageName);
    o.insert(QStringLiteral("Created"), timeText(created));
    o.insert(QStringLiteral("Path"), path);
    o.insert(QStringLiteral("Args"), json::fromStringList(args));
    QJsonArray mountArray;
    for (const MountSpec &m : mounts)
        mountArray.append(QJsonObject{{QStringLiteral("Type"), m.type},
                                      {QStringLiteral("Source"), m.source},
                                      {QStringLiteral("Destination"), m.destination},
                                      {QStringLiteral("RW"), !m.readOnly}});
    o.insert(QStringLiteral("Mounts"), mountArray);
    QJsonArray deviceArray;
    for (const DeviceMapping &d : devices)
        deviceArray.append(QJsonObject{{QStringLiteral("PathOnHost"), d.pathOnHost},
                                       {QStringLiteral("PathInContainer"), d.pathInContainer},
                                       {QStringLiteral("CgroupPermissions"), d.permissions}});
    o.insert(QStringLiteral("Devices"), deviceArray);
    QStringList diffs;
    for (const Digest &d : diffIds)
        diffs.append(d.toString());
    o.insert(QStringLiteral("DiffIds"), json::fromStringList(diffs));
    o.insert(QStringLiteral("ImageConfig"), imageConfig);
    return o;
}

Result<ContainerConfig> ContainerConfig::fromJson(const QJsonObject &o)
{
    ContainerConfig c;
    static_cast<ContainerOptions &>(c) = ContainerOptions::fromJson(o);
    c.id = o.value(QStringLiteral("Id")).toString();
    c.name = o.value(QStringLiteral("Name")).toString();
    PH_TRY(c.image, Digest::parse(o.value(QStringLiteral("Image")).toString()));
    c.imageManifest = Digest::parse(o.value(QStringLiteral("ImageManifest")).toString()).valueOr(Digest());
    c.imageName = o.value(QStringLiteral("ImageName")).toString();
    c.created = parseTime(o.value(QStringLiteral("Created")));
    c.path = o.value(QStringLiteral("Path")).toString();
    c.args = json::toStringList(o.value(QStringLiteral("Args")));
    for (const QJsonValue &v : o.value(QStringLiteral("Mounts")).toArray()) {
        const QJsonObject m = v.toObject();
        c.mounts.append({m.value(QStringLiteral("Type")).toString(), m.value(QStringLiteral("Source")).toString(),
                         m.value(QStringLiteral("Destination")).toString(), !m.value(QStringLiteral("RW")).toBool(true)});
    }
    for (const QJsonValue &v : o.value(QStringLiteral("Devices")).toArray()) {
        const QJsonObject d = v.toObject();
        c.devices.append({d.value(QStringLiteral("PathOnHost")).toString(), d.value(QStringLiteral("PathInContainer")).toString(),
                          d.value(QStringLiteral("CgroupPermissions")).toString(QStringLiteral("rwm"))});
    }
    for (const QString &d : json::toStringList(o.value(QStringLiteral("DiffIds")))) {
        PH_TRY(const Digest digest, Digest::parse(d));
        c.diffIds.append(digest);
    }
    c.imageConfig = o.value(QStringLiteral("ImageConfig")).toObject();
    c.extra = o;
    for (const QString &k : kConfigKeys + ContainerOptions::jsonKeys())
        c.extra.remove(k);
    return c;
}

QJsonObject ContainerState::toJson() const
{
    return QJsonObject{{QStringLiteral("Status"), status},
                       {QStringLiteral("Pid"), double(pid)},
                       {QStringLiteral("ShimPid"), double(shimPid)},
                       {QStringLiteral("ExitCode"), exitCode},
                       {QStringLiteral("Error"), error},
                       {QStringLiteral("StartedAt"), timeText(startedAt)},
                       {QStringLiteral("FinishedAt"), timeText(finishedAt)},
                       {QStringLiteral("OOMKilled"), oomKilled}};
}

ContainerState ContainerState::fromJson(const QJsonObject &o)
{
    ContainerState s;
    s.status = o.value(QStringLiteral("Status")).toString(QStringLiteral("created"));
    s.pid = qint64(o.value(QStringLiteral("Pid")).toDouble());
    s.shimPid = qint64(o.value(QStringLiteral("ShimPid")).toDouble());
    s.exitCode = o.value(QStringLiteral("ExitCode")).toInt();
    s.error = o.value(QStringLiteral("Error")).toString();
    s.startedAt = parseTime(o.value(QStringLiteral("StartedAt")));
    s.finishedAt = parseTime(o.value(QStringLiteral("FinishedAt")));
    s.oomKilled = o.value(QStringLiteral("OOMKilled")).toBool();
    return s;
}

ContainerStore::ContainerStore(Store &store) : m_store(store), m_root(store.root() + QStringLiteral("/containers")) {}

QString ContainerStore::dir(const QString &id) const { return m_root + u'/' + id; }

Result<FileLock> ContainerStore::namesLock() const
{
    return FileLock::acquire(m_store.root() + QStringLiteral("/locks/containers.lock"), FileLock::Mode::Exclusive);
}

bool ContainerStore::isValidName(const QString &name)
{
    static const QRegularExpression re(QStringLiteral("^[a-zA-Z0-9][a-zA-Z0-9_.-]*$"));
    return re.match(name).hasMatch() && name.size() <= 128;
}

QString ContainerStore::generateName()
{
    // docker's adjective_surname, with a smaller list of our own.
    static const char *left[] = {"brave", "calm", "clever", "eager", "gentle", "happy", "jolly", "keen",
                                 "lucid", "merry", "nimble", "quiet", "sharp", "tender", "vivid", "witty"};
    static const char *right[] = {"babbage", "curie", "dijkstra", "euler", "gauss", "hopper", "kepler", "lovelace",
                                  "noether", "pascal", "ritchie", "sejong", "tesla", "turing", "wozniak", "yonath"};
    auto *rng = QRandomGenerator::global();
    return QStringLiteral("%1_%2").arg(QLatin1String(left[rng->bounded(16)]), QLatin1String(right[rng->bounded(16)]));
}

static QString newId()
{
    QByteArray raw(32, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(raw.data()), 8);
    return QString::fromLatin1(raw.toHex());
}

Result<ContainerRecord> ContainerStore::create(ContainerConfig config)
{
    if (!config.name.isEmpty() && !isValidName(config.name))
        return Error(ErrorCode::InvalidArgument,
                     QStringLiteral("Invalid container name (%1), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed").arg(config.name));
    PH_CHECK(makeDirs(m_root, kPrivateDirMode));
    PH_TRY(FileLock lock, namesLock());
    PH_TRY(const QList<ContainerRecord> existing, list());
    auto taken = [&](const QString &name) {
        for (const ContainerRecord &r : existing) {
            if (r.config.name == name)
                return r.config.id;
        }
        return QString();
    };
    if (config.name.isEmpty()) {
        do
            config.name = generateName();
        while (!taken(config.name).isEmpty());
    } else if (const QString other = taken(config.name); !other.isEmpty()) {
        return Error(ErrorCode::AlreadyExists,
                     QStringLiteral("Conflict. The container name \"/%1\" is already in use by container \"%2\". "
                                    "You have to remove (or rename) that container to be able to reuse that name.")
                         .arg(config.name, other));
    }
    for (const MountSpec &m : config.mounts) {
        if (m.type == QLatin1String("volume"))
            PH_CHECK(makeVolumeDirs(m.source));
    }
    config.id = newId();
    if (!config.created.isValid())
        config.created = QDateTime::currentDateTimeUtc();
    const QString d = dir(config.id);
    // Built under a temp name, renamed when whole: a crash leaves no half record.
    const QString tmp = m_root + QStringLiteral("/.tmp-") + config.id;
    // Only the owner gets into the record (see permissions.h); upper/ is
    // the container's "/", so its mode is what the container sees.
    PH_CHECK(makeDirs(tmp, kPrivateDirMode));
    PH_CHECK(makeDirs(tmp + QStringLiteral("/upper"), kContainerViewDirMode));
    PH_CHECK(makeDirs(tmp + QStringLiteral("/work"), kPrivateDirMode));
    PH_CHECK(makeDirs(tmp + QStringLiteral("/rootfs"), kContainerViewDirMode));
    // No state.json yet: a record without one is "created".
    ContainerState state;
    PH_CHECK(writeConfig(tmp, config));
    if (::rename(QFile::encodeName(tmp).constData(), QFile::encodeName(d).constData()) != 0)
        return Error::fromErrno(QStringLiteral("create container %1").arg(config.name), errno);
    PH_CHECK(fsyncDir(m_root));
    return ContainerRecord{config, state};
}

Result<ContainerRecord> ContainerStore::load(const QString &id) const
{
    auto configJson = readFile(dir(id) + QStringLiteral("/config.json"), 4 << 20);
    if (!configJson)
        return configJson.error().code == ErrorCode::NotFound
            ? Error(ErrorCode::NotFound, QStringLiteral("No such container: %1").arg(id))
            : configJson.error();
    PH_TRY(const ContainerConfig config, ContainerConfig::fromJson(QJsonDocument::fromJson(*configJson).object()));
    ContainerState state;
    if (auto stateJson = readFile(dir(id) + QStringLiteral("/state.json"), 1 << 20))
        state = ContainerState::fromJson(QJsonDocument::fromJson(*stateJson).object());
    return ContainerRecord{config, state};
}

Result<QList<ContainerRecord>> ContainerStore::list() const
{
    QList<ContainerRecord> out;
    static const QRegularExpression idPattern(QStringLiteral("^[0-9a-f]{64}$"));
    for (const QString &name : QDir(m_root).entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        if (!idPattern.match(name).hasMatch())
            continue;
        auto record = load(name);
        if (!record) {
            if (record.error().code == ErrorCode::NotFound)
                continue; // removed meanwhile
            return record.error();
        }
        out.append(*record);
    }
    return out;
}

Result<ContainerRecord> ContainerStore::resolve(const QString &nameOrId) const
{
    if (nameOrId.isEmpty())
        return Error(ErrorCode::InvalidArgument, QStringLiteral("No such container: (an empty name)"));
    PH_TRY(const QList<ContainerRecord> all, list());
    const QString name = nameOrId.startsWith(u'/') ? nameOrId.mid(1) : nameOrId;
    for (const ContainerRecord &r : all) {
        if (r.config.id == nameOrId || r.config.name == name)
            return r;
    }
    QList<ContainerRecord> prefixed;
    for (const ContainerRecord &r : all) {
        if (r.config.id.startsWith(nameOrId))
            prefixed.append(r);
    }
    if (prefixed.size() == 1)
        return prefixed.first();
    if (prefixed.size() > 1)
        return Error(ErrorCode::InvalidArgument,
                     QStringLiteral("multiple containers found with provided prefix: %1").arg(nameOrId));
    return Error(ErrorCode::NotFound, QStringLiteral("No such container: %1").arg(nameOrId));
}

Status ContainerStore::writeState(const QString &id, const ContainerState &state)
{
    // Atomic but not synced: after a crash the shim lock, not this file, says
    // whether the container runs (effectiveState).
    return writeFileAtomic(dir(id) + QStringLiteral("/state.json"), QJsonDocument(state.toJson()).toJson(), kPrivateFileMode,
                           Durability::AtomicOnly);
}

Status ContainerStore::rename(const QString &id, const QString &newName)
{
    if (!isValidName(newName))
        return Error(ErrorCode::InvalidArgument,
                     QStringLiteral("Invalid container name (%1), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed").arg(newName));
    PH_TRY(FileLock lock, namesLock());
    PH_TRY(const QList<ContainerRecord> all, list());
    for (const ContainerRecord &r : all) {
        if (r.config.name == newName && r.config.id != id)
            return Error(ErrorCode::AlreadyExists,
                         QStringLiteral("Error when allocating new name: Conflict. The container name \"/%1\" is already in use by container \"%2\".")
                             .arg(newName, r.config.id));
    }
    PH_TRY(ContainerRecord record, load(id));
    record.config.name = newName;
    return writeConfig(dir(id), record.config);
}

Status ContainerStore::setLimits(const QString &id, const ResourceLimits &limits)
{
    PH_TRY(FileLock lock, namesLock());
    PH_TRY(ContainerRecord record, load(id));
    record.config.limits = limits;
    return writeConfig(dir(id), record.config);
}

Status ContainerStore::remove(const QString &id)
{
    PH_TRY(const QString gone, retire(id));
    return purge(gone);
}

Result<QString> ContainerStore::retire(const QString &id)
{
    PH_TRY(FileLock lock, namesLock());
    // Renamed away first so a reader never sees a half-removed record; what
    // a crash leaves under this name goes at the next open (removeStale).
    const QString gone = m_root + QStringLiteral("/.tmp-removing-") + id;
    if (::rename(QFile::encodeName(dir(id)).constData(), QFile::encodeName(gone).constData()) != 0)
        return Error::fromErrno(QStringLiteral("remove container %1").arg(id.left(12)), errno);
    return gone;
}

Status ContainerStore::purge(const QString &retiredPath)
{
    return removeAll(retiredPath);
}

void ContainerStore::removeStale()
{
    if (!pathExists(m_root))
        return;
    auto lock = namesLock();
    if (!lock)
        return;
    for (const QString &name : QDir(m_root).entryList({QStringLiteral(".tmp-*")}, QDir::Dirs | QDir::Hidden | QDir::NoDotAndDotDot))
        (void)removeAll(m_root + u'/' + name);
}

bool ContainerStore::shimAlive(const QString &id) const
{
    if (!pathExists(shimLockPath(id)))
        return false;
    auto probe = FileLock::tryAcquire(shimLockPath(id), FileLock::Mode::Shared);
    return !probe.ok() && probe.error().code == ErrorCode::Unavailable;
}

ContainerState ContainerStore::effectiveState(const ContainerRecord &record) const
{
    ContainerState s = record.state;
    if ((s.isLive()) && !shimAlive(record.config.id)) {
        s.status = QStringLiteral("exited");
        if (s.exitCode == 0)
            s.exitCode = 255;
        if (s.error.isEmpty())
            s.error = QStringLiteral("the container's supervisor is gone (was the machine restarted?)");
    }
    return s;
}

} // namespace porthole::store
