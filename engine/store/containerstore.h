// Container records: containers/<id>/ holds config.json (what create decided;
// only rename and update change it), state.json (status, pids, exit; written atomically by
// whoever changes it, mostly the shim), upper/ and work/ (the writable layer),
// the log, the attach socket and shim.lock (held by the shim while it lives,
// so a dead shim is detected by anyone). Works on the file system only: any
// thread, any process; the names lock serializes create/rename/remove.
#pragma once

#include "core/digest.h"
#include "core/containeroptions.h"
#include "core/result.h"
#include "store/filelock.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace porthole::store {

class Store;

struct MountSpec {
    QString type;        // "bind" or "volume"
    QString source;      // host path, or the volume's name
    QString destination; // path in the container
    bool readOnly = false;
};

// `--device HOST[:CONTAINER[:PERMISSIONS]]`, as docker records it.
struct DeviceMapping {
    QString pathOnHost;
    QString pathInContainer;
    QString permissions = QStringLiteral("rwm");
};

// What create decided: the options as resolved against the image, and what
// identifies the container and its image. Only rename and update change it.
struct ContainerConfig : ContainerOptions {
    QString id;            // 64 hex digits
    QString name;          // without the leading '/'
    Digest image;          // the image ID (config digest)
    Digest imageManifest;  // the manifest the container was made from
    QString imageName;     // as the user typed it
    QDateTime created;
    QString path;          // the command: path and args, after entrypoint/cmd merging
    QStringList args;
    QList<MountSpec> mounts;      // -v, parsed
    QList<DeviceMapping> devices; // --device, parsed
    QList<Digest> diffIds; // the image's layers, bottom first
    QJsonObject imageConfig; // the image config's "config" object when created (for commit)
    QJsonObject extra;     // fields this version does not know, kept

    QJsonObject toJson() const;
    static Result<ContainerConfig> fromJson(const QJsonObject &o);
};

struct ContainerState {
    QString status = QStringLiteral("created"); // created, running, paused, exited, dead
    qint64 pid = 0;      // the container's PID 1, in the host's pid namespace
    qint64 shimPid = 0;
    int exitCode = 0;
    QString error;       // why it could not start, or what ended it
    bool oomKilled = false; // the kernel's OOM killer killed a process of it (docker's State.OOMKilled)
    QDateTime startedAt;
    QDateTime finishedAt;

    // Running or paused: it has processes (and a shim).
    bool isLive() const { return status == QLatin1String("running") || status == QLatin1String("paused"); }

    QJsonObject toJson() const;
    static ContainerState fromJson(const QJsonObject &o);
};

struct ContainerRecord {
    ContainerConfig config;
    ContainerState state;
};

class ContainerStore {
public:
    explicit ContainerStore(Store &store);

    QString dir(const QString &id) const;
    QString upperDir(const QString &id) const { return dir(id) + QStringLiteral("/upper"); }
    QString workDir(const QString &id) const { return dir(id) + QStringLiteral("/work"); }
    QString rootfsDir(const QString &id) const { return dir(id) + QStringLiteral("/rootfs"); }
    QString logPath(const QString &id) const { return dir(id) + QStringLiteral("/container.log"); }
    QString socketPath(const QString &id) const { return dir(id) + QStringLiteral("/attach.sock"); }
    QString shimLockPath(const QString &id) const { return dir(id) + QStringLiteral("/shim.lock"); }
    // flock'ed by a commit while it holds the container frozen: present and
    // free, it tells that a commit died with the container frozen.
    QString commitFreezePath(const QString &id) const { return dir(id) + QStringLiteral("/commit-freeze.lock"); }

    // A new id and, if name is empty, a docker-style generated name.
    // Creates the directory and writes config and state under the names
    // lock; a name in use is AlreadyExists with docker's sentence. Named
    // volumes the mounts use (type "volume") are made under the same lock.
    Result<ContainerRecord> create(ContainerConfig config);

    Result<ContainerRecord> load(const QString &id) const;
    Result<QList<ContainerRecord>> list() const;
    // By full or prefix ID, or by name (with or without the leading '/').
    Result<ContainerRecord> resolve(const QString &nameOrId) const;

    Status writeState(const QString &id, const ContainerState &state);
    Status rename(const QString &id, const QString &newName);
    // `update`: replaces the recorded limits (atomic rewrite of config.json,
    // under the names lock so that a rename meanwhile is not lost).
    Status setLimits(const QString &id, const ResourceLimits &limits);
    // Removes the record and its directory (the caller has stopped it).
    Status remove(const QString &id);
    // remove() in two steps, for `run --rm`: retire renames the record out of
    // sight at once (no reader finds it after this returns); purge deletes
    // the retired directory, which may take a while on a slow disk.
    Result<QString> retire(const QString &id);
    static Status purge(const QString &retiredPath);

    // Removes what a crashed create or remove left (".tmp-*" directories),
    // under the names lock that every create and remove holds.
    void removeStale();

    // True while a shim supervises the container (it holds shim.lock).
    bool shimAlive(const QString &id) const;
    // The state as it really is: "running" or "paused" with no live shim
    // means the shim died (a reboot): reported as exited.
    ContainerState effectiveState(const ContainerRecord &record) const;

    static bool isValidName(const QString &name);
    static QString generateName();

    // Held by every create, rename and remove, and by volume removal, which
    // so never races a container being created to use the volume.
    Result<FileLock> namesLock() const;

private:
    Store &m_store;
    QString m_root;
};

} // namespace porthole::store
