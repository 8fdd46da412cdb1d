// The one sequential pass of `load` (archive/loader.h): every blob-like
// entry streamed into the content store with its digest (and, if gzip or
// zstd, its decompressed digest: a layer's diff ID), links recorded by
// their cleaned paths, small JSON documents kept in memory under a limit.
// What the documents say is checked against this afterwards (loader.cpp).
// Internal to the archive module. Blocking; one thread.
#pragma once

#include "archive/loader.h"
#include "layer/compression.h"

#include <QHash>

#include <optional>

namespace porthole::archive::loadscan {

// A file or link of the archive, by its cleaned path.
struct Entry {
    enum Kind { Blob, Link };
    Kind kind = Blob;
    Digest digest; // Blob: of the bytes, as stored
    qint64 size = 0;
    layer::Compression compression = layer::Compression::None;
    Digest diffId;                     // of the decompressed bytes (== digest for a plain blob)
    std::optional<Error> diffIdError;  // why it has none: corrupt, or a bomb
    QString target;                    // Link: the path it stands for, or the raw target if it escapes
    bool escapes = false;

    bool sameAs(const Entry &o) const
    {
        return kind == o.kind && (kind == Blob ? digest == o.digest : (target == o.target && escapes == o.escapes));
    }
};

struct Scan {
    QHash<QString, Entry> entries;
    QHash<QString, QByteArray> documents;
    qint64 entryCount = 0;
};

// Reads input (plain, gzip, zstd or xz) to its end, polling cancel and
// reporting the bytes read; blobs are unnamed until the caller's index edit.
Result<Scan> scanArchive(store::Store &store, ByteSource &input, const LoadOptions &options, const CancelToken &cancel,
                         const ProgressSink &progress);

// The name as a path inside the archive: no leading "/" or "./", no empty or
// "." parts, ".." applied; nullopt when it climbs above the root.
std::optional<QString> cleanPath(QStringView path);

// "load: <message>", an InvalidArgument error.
Error invalid(const QString &message);
// The error with "load: <step>" before it, unless it already names load.
Error withLoad(const Error &error, const QString &step);

} // namespace porthole::archive::loadscan
