// What the engine tells its callers (CLI, GUI) about images and the system.
// Plain value types; safe to copy across threads (EngineService queues them).
#pragma once

#include "core/digest.h"

#include <QDateTime>
#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>

#include <optional>

namespace porthole::service {

// One row of `images`: an image under one of its names, or an untagged image.
struct ImageRow {
    Digest id;             // the config digest, what docker calls the image ID
    Digest manifestDigest; // the manifest this store keeps for it
    QString refName;       // full normalized reference, empty when untagged
    QString repository;    // familiar form ("ubuntu", "localhost/demo"), "<none>" when untagged
    QString tag;           // "<none>" when untagged
    QStringList repoDigests; // "repo@sha256:..." known for the image (pulled images)
    QDateTime created;
    qint64 size = 0;       // bytes of file content in all its layers
};

// One row of `history`, newest first as docker prints it.
struct HistoryRow {
    QString imageId;       // the image ID on the top row, "<missing>" below (as docker)
    QDateTime created;
    QString createdBy;
    QString author;
    QString comment;
    qint64 size = 0;
    bool emptyLayer = false;
};

// What `rmi` did, in the order docker prints it.
struct RemoveEvent {
    enum Kind { Untagged, Deleted };
    Kind kind;
    QString what; // "ubuntu:latest" or "sha256:<id>"
};

struct ImportRequest {
    QString sourcePath;      // a file, or "-" for standard input
    QString reference;       // optional REPOSITORY[:TAG]
    QStringList changes;     // --change instructions
    QString message;         // --message: the history comment
    QString platform;        // optional os/arch[/variant]; default: this machine
};

struct PullRequest {
    QString reference;
    QString platform;             // os/arch[/variant]; empty: this machine's
    QStringList insecureRegistries; // --tls-verify=false for these hosts
};

struct PullOutcome {
    QString refName;      // full normalized name it got (empty: pulled by digest)
    QString familiarName; // as docker prints it: "busybox:latest"
    QString repoDigest;   // "docker.io/library/busybox@sha256:…"
    Digest id;
    bool upToDate = false;
};

struct PushRequest {
    QString reference;
    QString compression = QStringLiteral("gzip"); // for layers stored uncompressed: gzip or zstd
    QStringList insecureRegistries;
};

struct PushOutcome {
    QString repository; // "127.0.0.1:5000/x/y"
    QString tag;
    Digest manifestDigest;
    qint64 manifestSize = 0;
};

struct CommitRequest {
    QString container;
    QString reference;  // REPO[:TAG]; empty: a dangling image
    QString author;
    QString message;
    QStringList changes;
    bool pause = true;
    QString compression = QStringLiteral("gzip");
};

// save (save.cpp) -- request/result types of the save work go here.

// load (load.cpp) -- request/result types of the load work go here.

// cp and export (copy.cpp) -- request/result types of the cp/export work go here.

// One line of `diff`: 'A', 'C' or 'D' and the path.
struct ChangeRow {
    char kind;
    QString path;
};

struct ImportResult {
    Digest id;
    Digest manifestDigest;
    QString refName;
};

struct DiskUsage {
    int images = 0;
    int activeImages = 0;
    qint64 imagesSize = 0;       // unique bytes of all image layers
    qint64 reclaimableImages = 0;
    int containers = 0;
    int activeContainers = 0;
    qint64 containersSize = 0;
    qint64 reclaimableContainers = 0;
};

struct SystemInfo {
    QString root;
    int images = 0;
    int containers = 0;
    int containersRunning = 0;
    int containersPaused = 0;
    int containersStopped = 0;
    QString storageDriver;
    QString cgroupVersion;
    QString kernelVersion;
    QString operatingSystem;
    QString architecture;
    int cpus = 0;
    qint64 memoryBytes = 0;
};

// A sample for `stats`: counters since the container started.
struct ContainerSample {
    QString id;
    QString name;
    qint64 cpuNanos = 0;
    qint64 memoryBytes = 0;
    qint64 memoryLimit = -1; // -1: no limit (the machine's memory)
    qint64 pids = 0;
    qint64 netRx = 0;
    qint64 netTx = 0;
    qint64 takenAtNs = 0;    // monotonic clock
};

// One row of `top`.
struct ProcessRow {
    qint64 pid = 0;
    qint64 ppid = 0;
    uint uid = 0;
    QString time;    // CPU time, hh:mm:ss
    QString command;
};

} // namespace porthole::service

Q_DECLARE_METATYPE(porthole::service::ImageRow)

namespace porthole::service {

struct CreateRequest {
    QString image;
    QStringList command;       // after the image on the command line
    std::optional<QString> entrypoint; // --entrypoint ("" resets the image's)
    QString name;
    QStringList env;           // -e KEY=VALUE or KEY (taken from this process's env)
    QStringList envFiles;
    QString workingDir;
    QString user;
    QString hostname;
    bool tty = false;
    bool interactive = false;
    bool autoRemove = false;
    bool readOnly = false;
    bool init = false;
    QString network;           // private (default), host, none
    QStringList ports;
    QStringList volumes;       // -v host:container[:ro] or name:container[:ro]
};

// One row of `ps`.
struct ContainerRow {
    QString id;
    QString name;
    QString image;       // as the user named it
    QString command;     // path and args, joined as docker shows them
    QDateTime created;
    QString state;       // created, running, paused, exited
    QString status;      // "Up 5 seconds", "Exited (0) 3 seconds ago", "Created"
    int exitCode = 0;
    qint64 pid = 0;
    QStringList ports;   // "0.0.0.0:8080->80/tcp"
    bool tty = false;
    bool openStdin = false;
};

} // namespace porthole::service
