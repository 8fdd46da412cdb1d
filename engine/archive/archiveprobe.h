// What a dropped tarball is, told from its entry names: a docker-archive
// (manifest.json), an OCI archive (oci-layout / index.json and blobs/ only)
// or a plain rootfs tarball (anything else: etc/, bin/, ...). Plain, gzip,
// zstd or xz compressed, as load and import read them.
//
// The read is bounded: headers only (entry data is skipped), at most
// kProbeEntries entries and kProbeBytes of the file. An image archive has a
// handful of names, so a rootfs shows itself within its first entries; an
// archive whose first kProbeBytes held only blob-shaped entries (docker 25
// writes its blobs before manifest.json) is an image archive of either
// format, which load reads alike.
//
// Threading: blocking file I/O, any thread but the UI thread (the GUI runs
// it as EngineService::probeArchive).
#pragma once

#include "core/cancel.h"
#include "core/result.h"

#include <QMetaType>
#include <QString>

namespace porthole::archive {

enum class ArchiveKind { DockerArchive, OciArchive, ImageArchive /* one of both */, RootfsTarball };

inline constexpr qint64 kProbeEntries = 4096;
inline constexpr qint64 kProbeBytes = qint64(64) << 20;

Result<ArchiveKind> probeArchive(const QString &path, const CancelToken &cancel = CancelToken::none());

// "docker-archive", "oci-archive", "image archive", "rootfs tarball".
QString archiveKindName(ArchiveKind kind);
// Whether load reads it (import takes the rest).
inline bool isImageArchive(ArchiveKind kind) { return kind != ArchiveKind::RootfsTarball; }

// A name that can be in an image archive: blobs/..., oci-layout,
// index.json, manifest.json, repositories, <64 hex>/ and its files, <64 hex>.json.
bool isImageArchiveEntry(const QString &name);

} // namespace porthole::archive

Q_DECLARE_METATYPE(porthole::archive::ArchiveKind)
