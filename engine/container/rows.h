// What the container verbs report: `ps` rows, `diff` lines, `top` and
// `stats` samples. Plain value types; safe to copy across threads.
#pragma once

#include "core/filekind.h"

#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

namespace porthole::container {

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

// One line of `diff`: 'A', 'C' or 'D' and the path.
struct ChangeRow {
    char kind;
    QString path;
};

// One row of `top`.
struct ProcessRow {
    qint64 pid = 0;
    qint64 ppid = 0;
    uint uid = 0;
    QString time;    // CPU time, hh:mm:ss
    QString command;
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

} // namespace porthole::container
