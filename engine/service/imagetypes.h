// What the engine tells its callers (CLI, GUI) about images: rows, history,
// and the requests and outcomes of pull, push, import, save and load.
// Plain value types; safe to copy across threads (EngineService queues them).
#pragma once

#include "core/digest.h"

#include <QDateTime>
#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>

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

struct ImportResult {
    Digest id;
    Digest manifestDigest;
    QString refName;
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

// login: the registry ("" for docker.io) and the insecure ones the user allows.
struct LoginRequest {
    QString registry;
    QString username;
    QString password;
    QStringList insecureRegistries;
};

} // namespace porthole::service

Q_DECLARE_METATYPE(porthole::service::ImageRow)
