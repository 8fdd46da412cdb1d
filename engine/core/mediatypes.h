// Media types of the OCI image spec and Docker's image manifest v2 schema 2,
// and the predicates callers use to route a descriptor. Header only, constexpr.
//
// Schema 1 types are listed only so callers can recognise and refuse them:
// Porthole never reads schema 1 manifests (deprecated, unsigned content).
#pragma once

#include <QLatin1StringView>
#include <QAnyStringView>

namespace porthole::mediatype {

// OCI image spec v1.
inline constexpr QLatin1StringView OciManifest("application/vnd.oci.image.manifest.v1+json");
inline constexpr QLatin1StringView OciIndex("application/vnd.oci.image.index.v1+json");
inline constexpr QLatin1StringView OciConfig("application/vnd.oci.image.config.v1+json");
inline constexpr QLatin1StringView OciLayerTar("application/vnd.oci.image.layer.v1.tar");
inline constexpr QLatin1StringView OciLayerGzip("application/vnd.oci.image.layer.v1.tar+gzip");
inline constexpr QLatin1StringView OciLayerZstd("application/vnd.oci.image.layer.v1.tar+zstd");
// Deprecated by the spec but still found in Windows images.
inline constexpr QLatin1StringView OciLayerNondistributableTar("application/vnd.oci.image.layer.nondistributable.v1.tar");
inline constexpr QLatin1StringView OciLayerNondistributableGzip(
    "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip");
inline constexpr QLatin1StringView OciLayerNondistributableZstd(
    "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd");
// The artifact "empty" blob ({}), used as a config by non-image artifacts.
inline constexpr QLatin1StringView OciEmpty("application/vnd.oci.empty.v1+json");

// Docker image manifest v2, schema 2.
inline constexpr QLatin1StringView DockerManifest("application/vnd.docker.distribution.manifest.v2+json");
inline constexpr QLatin1StringView DockerManifestList("application/vnd.docker.distribution.manifest.list.v2+json");
inline constexpr QLatin1StringView DockerConfig("application/vnd.docker.container.image.v1+json");
inline constexpr QLatin1StringView DockerLayerGzip("application/vnd.docker.image.rootfs.diff.tar.gzip");
// Uncompressed docker layers: written by some tools (buildkit with compression=uncompressed).
inline constexpr QLatin1StringView DockerLayerTar("application/vnd.docker.image.rootfs.diff.tar");
inline constexpr QLatin1StringView DockerForeignLayer("application/vnd.docker.image.rootfs.foreign.diff.tar.gzip");

// Docker schema 1: recognised only to refuse it with a clear message.
inline constexpr QLatin1StringView DockerSchema1("application/vnd.docker.distribution.manifest.v1+json");
inline constexpr QLatin1StringView DockerSchema1Signed("application/vnd.docker.distribution.manifest.v1+prettyjws");

inline bool isManifestType(QAnyStringView t)
{
    return t == OciManifest || t == DockerManifest;
}

inline bool isIndexType(QAnyStringView t)
{
    return t == OciIndex || t == DockerManifestList;
}

inline bool isConfigType(QAnyStringView t)
{
    return t == OciConfig || t == DockerConfig;
}

inline bool isLayerType(QAnyStringView t)
{
    return t == OciLayerTar || t == OciLayerGzip || t == OciLayerZstd || t == OciLayerNondistributableTar
        || t == OciLayerNondistributableGzip || t == OciLayerNondistributableZstd || t == DockerLayerGzip
        || t == DockerLayerTar || t == DockerForeignLayer;
}

inline bool isSchema1Type(QAnyStringView t)
{
    return t == DockerSchema1 || t == DockerSchema1Signed;
}

// Foreign / non-distributable layers must not be pushed to another registry;
// their blobs are fetched from the descriptor's urls.
inline bool isNondistributableLayerType(QAnyStringView t)
{
    return t == DockerForeignLayer || t == OciLayerNondistributableTar || t == OciLayerNondistributableGzip
        || t == OciLayerNondistributableZstd;
}

} // namespace porthole::mediatype
