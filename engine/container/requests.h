// What the container verbs take: create (and run), commit, cp and export.
// Plain value types; safe to copy across threads.
#pragma once

#include "core/containeroptions.h"

#include <QString>
#include <QStringList>

#include <optional>

namespace porthole::container {

// What `create` and `run` take: the container's options as the user gave
// them (core/containeroptions.h), and what create resolves against the image.
struct CreateRequest : ContainerOptions {
    QString image;
    QStringList command;       // after the image on the command line
    std::optional<QString> entrypoint; // --entrypoint ("" resets the image's)
    QString name;
    QStringList envFiles;      // --env-file: read at create, merged into env
    QStringList volumes;       // -v host:container[:ro] or name:container[:ro]
    QStringList devices;       // --device HOST[:CONTAINER[:PERMISSIONS]]
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

} // namespace porthole::container
