// What the engine tells its callers (CLI, GUI) about images and the system.
// Plain value types; safe to copy across threads (EngineService queues them).
#pragma once

#include "core/digest.h"
#include "core/resourcelimits.h"

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
struct SaveRequest {
    QStringList images;     // names, name@digest or IDs; a name without a tag means every tag it has (docker's rule)
    QString format = QStringLiteral("docker-archive"); // or "oci-archive"
    QString outputPath;     // written to a temp file, renamed when complete; empty or "-": outputFd
    int outputFd = -1;      // standard output or a pipe (not owned), when outputPath is empty or "-"
};

struct SaveOutcome {
    qint64 bytes = 0;       // of the archive
    int images = 0;
};

// load (load.cpp) -- request/result types of the load work go here.
struct LoadRequest {
    QString sourcePath = QStringLiteral("-"); // a file, or "-" for standard input
};

// One image the archive held, in the archive's order.
struct LoadedImageRow {
    Digest id;            // the config digest, as the archive had it
    QStringList refNames; // full normalized names it now has; empty: untagged
};

struct LoadOutcome {
    QList<LoadedImageRow> images;
};

// layer inspector (layerinspect.cpp) -- types of the inspector work go here.
// What a layer holds at a path (layer/layerindex.h has the details).
enum class FileKind : quint8 { File, Dir, Symlink, Hardlink, Whiteout, OpaqueDir, Device, Fifo, Socket };

// One path in a layer's changes or in an image's merged filesystem.
struct LayerFileRow {
    QString path;        // absolute: "/etc/passwd"
    // 'A' added, 'C' modified (the path existed below), 'D' deleted. In the
    // merged view: how its layer brought it in ('A' or 'C').
    char change = 'A';
    FileKind kind = FileKind::File; // 'D': the kind of what was deleted
    qint64 size = 0;     // file bytes; 'D': the bytes it hid (a directory's whole tree)
    quint32 mode = 0;    // st_mode
    QString linkTarget;  // symlink target; for a hard link, the path ("/x") holding its data
    int layer = -1;      // index into ImageLayers::layers it comes from ('D': the deleted version's)
    QList<int> shadows;  // lower layers (ascending) whose version of the path it hides
};

struct ImageLayer {
    Digest diffId;
    QString dir;          // the unpacked layer directory (files are extracted from it)
    qint64 size = 0;      // bytes of file content, as docker counts it
    qint64 wastedBytes = 0; // of those, bytes that later layers overwrite or delete
    int added = 0, modified = 0, deleted = 0;
    QList<LayerFileRow> changes; // sorted by path, a directory's tree right after it
};

// One history entry of the config, oldest first (unlike history()).
struct ImageLayerStep {
    HistoryRow history;   // created, created_by in full, author, comment, size, empty_layer
    int layer = -1;       // index into ImageLayers::layers; -1 for a metadata-only step
};

struct ImageLayers {
    Digest id;
    QList<ImageLayerStep> steps;
    QList<ImageLayer> layers;     // bottom first
    QList<LayerFileRow> merged;   // the final filesystem, sorted as changes are
    qint64 totalBytes = 0;        // file content in all layers
    qint64 wastedBytes = 0;       // file versions a later layer overwrites or deletes
    double efficiency = 1.0;      // 1 - wasted/total (see layer::StackAnalysis)
};

// A container's live diff: docker's A/C/D, with bytes.
struct ContainerChangeRow {
    char kind = 'A';      // 'A', 'C' or 'D'
    QString path;
    FileKind fileKind = FileKind::File; // 'D': FileKind::Whiteout
    qint64 bytes = 0;     // A/C: the file's size in the upper dir; D: 0
};

struct ContainerChanges {
    QString id;
    QString name;
    QString imageId;   // "sha256:…": the image whose layers lie under the changes
    QList<ContainerChangeRow> changes; // sorted by path, as `diff` prints them
    qint64 contentBytes = 0;   // file content the next commit would store
    // The next commit's layer as an uncompressed tar, estimated from the
    // upper dir: ustar headers, 512-byte padded data, the pax records a long
    // or non-ASCII name needs, the end marker. Extended attributes are not
    // counted, so it can come out slightly low.
    qint64 commitTarSize = 0;
};

// cp and export (copy.cpp) -- request/result types of the cp/export work go here.
struct CopyRequest {
    QString container;      // name or ID prefix
    QString containerPath;  // as typed after "CONTAINER:" (relative to the container's /)
    QString hostPath;       // a host path, or "-": a tar stream on stdin (in) or stdout (out)
    // -a: copied-in files keep the uid/gid they have (otherwise root owns
    // them); copied-out ones keep setuid/setgid bits and file capabilities
    // (otherwise dropped). Out, the caller owns them either way.
    bool archive = false;
    bool followLink = false; // -L: a symlink as the source is followed
};

struct CopyResult {
    qint64 bytes = 0;       // of the tar stream, what docker's "Successfully copied" counts
    QStringList warnings;   // what was left out on purpose (device nodes, out of a container)
};

struct ExportRequest {
    QString container;
    QString outputPath;     // empty or "-": standard output; else written to a temp file, renamed when complete
};

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
    qint64 containersSize = 0;   // their writable layers
    qint64 reclaimableContainers = 0;
    int volumes = 0;
    int activeVolumes = 0;       // used by a container
    qint64 volumesSize = 0;
    qint64 reclaimableVolumes = 0;
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

// What a clean-up removes (the window's Clean up): prune.cpp's three, in
// the order system prune runs them.
struct PruneRequest {
    bool containers = true; // those not running
    bool images = true;     // dangling ones...
    bool allImages = false; // ...or every one no container uses
    bool volumes = false;   // those no container uses
};

// What a prune removed, in docker's words and order.
struct PruneReport {
    QStringList containers;    // IDs
    QList<RemoveEvent> images; // untagged names and deleted IDs, as rmi prints them
    QStringList volumes;       // names
    qint64 reclaimedBytes = 0; // writable layers, image layers no image has any more, volume data
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
    bool privileged = false;   // --privileged
    QStringList securityOpt;   // --security-opt, as typed
    QStringList devices;       // --device HOST[:CONTAINER[:PERMISSIONS]]
    ResourceLimits limits;     // -m, --memory-swap, --cpus, --cpu-shares, --pids-limit, --ulimit
};

// One named volume (`volume ls`, `volume inspect`): ROOT/volumes/<name>/_data.
struct VolumeRow {
    QString name;
    QString mountpoint;  // the _data directory containers mount
    QString driver = QStringLiteral("local");
    QDateTime created;   // the volume directory's birth time (its mtime where the file system has none)
    qint64 size = 0;     // bytes of file content under _data (hard links once, symlinks not followed)
    QStringList containers; // names of the containers that mount it, sorted
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
