// Layer compression formats: detection by magic bytes, names, and the mapping
// to and from OCI / Docker layer media types. Pure functions, any thread.
#pragma once

#include "core/result.h"

#include <QByteArrayView>
#include <QString>
#include <QStringView>

namespace porthole::layer {

enum class Compression { None, Gzip, Zstd, Xz };

// The longest magic detectCompression compares (xz's six bytes): peek at least
// this many bytes before detecting, or the whole stream if it is shorter.
inline constexpr qsizetype kCompressionMagicSize = 6;

// Gzip 1f 8b, zstd 28 b5 2f fd (or a zstd skippable frame, 5? 2a 4d 18), xz
// fd 37 7a 58 5a 00; anything else (including a head too short to hold a
// magic) is None, i.e. treated as a plain tar.
Compression detectCompression(QByteArrayView head);

// "none", "gzip", "zstd", "xz": used in messages and CLI flags.
QString compressionName(Compression c);
// The inverse of compressionName; also accepts "uncompressed" and "zst".
Result<Compression> compressionFromName(QStringView name);

enum class LayerMediaTypeFlavor { Oci, Docker };

// The media type of a layer blob compressed with c. OCI has tar, tar+gzip and
// tar+zstd; Docker schema 2 has tar and tar.gzip. Xz has neither: an error.
Result<QString> layerMediaType(Compression c, LayerMediaTypeFlavor flavor = LayerMediaTypeFlavor::Oci);

// The compression a layer media type says its blob has. Accepts the OCI and
// Docker layer types, including the non-distributable / foreign variants.
// Anything else is InvalidArgument.
Result<Compression> compressionFromMediaType(QStringView mediaType);

} // namespace porthole::layer
