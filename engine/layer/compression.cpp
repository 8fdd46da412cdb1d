#include "layer/compression.h"

#include "core/mediatypes.h"

namespace porthole::layer {

namespace {

constexpr char kGzipMagic[] = {'\x1f', '\x8b'};
constexpr char kZstdMagic[] = {'\x28', '\xb5', '\x2f', '\xfd'};
constexpr char kXzMagic[] = {'\xfd', '\x37', '\x7a', '\x58', '\x5a', '\x00'};

template <size_t N>
bool startsWith(QByteArrayView head, const char (&magic)[N])
{
    return head.startsWith(QByteArrayView(magic, qsizetype(N)));
}

struct MediaTypeEntry {
    QLatin1StringView mediaType;
    Compression compression;
};

// Non-distributable (OCI) and foreign (Docker) layers are still plain layers
// once fetched; a registry or archive may hand us either.
constexpr MediaTypeEntry kKnownMediaTypes[] = {
    {mediatype::OciLayerTar, Compression::None},
    {mediatype::OciLayerGzip, Compression::Gzip},
    {mediatype::OciLayerZstd, Compression::Zstd},
    {mediatype::DockerLayerTar, Compression::None},
    {mediatype::DockerLayerGzip, Compression::Gzip},
    {mediatype::OciLayerNondistributableTar, Compression::None},
    {mediatype::OciLayerNondistributableGzip, Compression::Gzip},
    {mediatype::OciLayerNondistributableZstd, Compression::Zstd},
    {mediatype::DockerForeignLayer, Compression::Gzip},
};

} // namespace

Compression detectCompression(QByteArrayView head)
{
    if (startsWith(head, kGzipMagic))
        return Compression::Gzip;
    if (startsWith(head, kZstdMagic))
        return Compression::Zstd;
    // A zstd skippable frame (magic 0x184D2A50 to 0x184D2A5F) may come first:
    // pzstd starts every frame with one.
    if (head.size() >= 4 && (quint8(head[0]) & 0xf0) == 0x50 && head.sliced(1, 3) == QByteArrayView("\x2a\x4d\x18", 3))
        return Compression::Zstd;
    if (startsWith(head, kXzMagic))
        return Compression::Xz;
    return Compression::None;
}

QString compressionName(Compression c)
{
    switch (c) {
    case Compression::None: return QStringLiteral("none");
    case Compression::Gzip: return QStringLiteral("gzip");
    case Compression::Zstd: return QStringLiteral("zstd");
    case Compression::Xz: return QStringLiteral("xz");
    }
    return QStringLiteral("unknown");
}

Result<Compression> compressionFromName(QStringView name)
{
    const QString n = name.trimmed().toString().toLower();
    if (n == QLatin1StringView("none") || n == QLatin1StringView("uncompressed"))
        return Compression::None;
    if (n == QLatin1StringView("gzip"))
        return Compression::Gzip;
    if (n == QLatin1StringView("zstd") || n == QLatin1StringView("zst"))
        return Compression::Zstd;
    if (n == QLatin1StringView("xz"))
        return Compression::Xz;
    return Error(ErrorCode::InvalidArgument,
                 QStringLiteral("compression \"%1\" is not one of none, gzip, zstd, xz").arg(name));
}

Result<QString> layerMediaType(Compression c, LayerMediaTypeFlavor flavor)
{
    if (flavor == LayerMediaTypeFlavor::Oci) {
        switch (c) {
        case Compression::None: return QString(mediatype::OciLayerTar);
        case Compression::Gzip: return QString(mediatype::OciLayerGzip);
        case Compression::Zstd: return QString(mediatype::OciLayerZstd);
        case Compression::Xz: break;
        }
    } else {
        switch (c) {
        case Compression::None: return QString(mediatype::DockerLayerTar);
        case Compression::Gzip: return QString(mediatype::DockerLayerGzip);
        case Compression::Zstd:
        case Compression::Xz: break;
        }
    }
    return Error(ErrorCode::InvalidArgument,
                 QStringLiteral("%1 layers have no %2 media type")
                     .arg(compressionName(c),
                          flavor == LayerMediaTypeFlavor::Oci ? QStringLiteral("OCI") : QStringLiteral("Docker")));
}

Result<Compression> compressionFromMediaType(QStringView mediaType)
{
    for (const MediaTypeEntry &e : kKnownMediaTypes) {
        if (mediaType == e.mediaType)
            return e.compression;
    }
    return Error(ErrorCode::InvalidArgument,
                 QStringLiteral("media type \"%1\" is not a known layer type").arg(mediaType));
}

} // namespace porthole::layer
