// What the layer inspector shows: an image's layers with each one's
// changes and the merged filesystem. Plain value types; safe to copy across
// threads.
#pragma once

#include <QByteArray>
#include "core/digest.h"
#include "core/filekind.h"
#include "service/imagetypes.h"

#include <QList>
#include <QString>

namespace porthole::service {

using porthole::FileKind;

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

// The inspector's drag out: regular files of unpacked layers (no symlink
// followed), each copied into a new directory of its own below destination
// (two files of one name can be dragged at once).
struct ExtractFilesRequest {
    struct File {
        QString layerDir;   // the unpacked layer directory
        QByteArray relPath; // below it, no leading slash: "etc/passwd"
    };
    QList<File> files;
    QString destination; // an existing directory
};

struct ExtractedFiles {
    QStringList paths;  // the copies, in the order asked for
    QStringList errors; // one sentence per file that could not be copied
};

} // namespace porthole::service
