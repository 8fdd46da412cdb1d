// The OCI distribution API for one repository on one registry: manifests and
// blobs down, blobs and manifests up. Blocking calls for a worker thread; each
// request runs in a local QEventLoop on the calling thread.
//
// Endpoint rule (decided once per client, at the first request):
//   - docker.io talks to https://registry-1.docker.io;
//   - a host listed in insecureRegistries (the user's --tls-verify=false) is
//     plain http://;
//   - a loopback host (localhost, 127.0.0.0/8, ::1) is tried with https first
//     and falls back to http only when the TLS handshake itself fails (the
//     server speaks plain HTTP). A certificate the client does not trust is an
//     error, never a reason to drop TLS. This is docker's default for loopback
//     registries, narrowed to the one failure plain HTTP can explain;
//   - every other host is https only, with certificate and host-name checks.
//
// Credentials (from the CredentialStore, Basic or to obtain Bearer tokens) are
// sent only to the registry's own origin and its token realm, and never over
// plain HTTP to a host that is not loopback. A redirect to another origin
// (blob storage) is followed without Authorization; https never redirects to
// plain http on a non-loopback host.
//
// Threading and ownership: a RegistryClient belongs to the thread that made it
// and must be used on that thread only. The CredentialStore must outlive it.
// A BlobReader it returns may outlive it (on the same thread).
#pragma once

#include "core/bytestream.h"
#include "core/cancel.h"
#include "core/digest.h"
#include "core/reference.h"
#include "core/result.h"

#include <QByteArray>
#include <QList>
#include <QNetworkProxy>
#include <QString>
#include <QStringList>

#include <memory>
#include <optional>

namespace porthole::registry {

class CredentialStore;
class HttpBodyReader;
class RegistrySession;

struct RegistryOptions {
    // host[:port] entries the user marked insecure: plain HTTP, anonymous only
    // unless the host is loopback.
    QStringList insecureRegistries;
    // docker's and containers' certs.d roots; <dir>/<host[:port]>/*.crt are
    // extra CAs for that host. The first directory holding the host wins.
    QStringList certsDirs = {QStringLiteral("/etc/containers/certs.d"), QStringLiteral("/etc/docker/certs.d")};
    // For non-loopback hosts; unset means the environment's proxy variables.
    std::optional<QNetworkProxy> proxy;
    // Pauses before each retry of a 5xx, 429, reset or timed-out request; the
    // number of entries is the number of retries.
    QList<int> retryDelaysMs = {200, 1000, 3000};
    int transferTimeoutMs = 60000;
    // Blobs up to this size are sent in one PUT; larger ones in PATCH chunks of
    // this size. Each chunk is held in memory once (so it can be retried).
    qint64 uploadChunkBytes = 8 * 1024 * 1024;
    // Polled by every wait, including reads of an open blob.
    CancelToken cancel;
    QByteArray userAgent = "porthole/0.1";
};

struct FetchedManifest {
    QByteArray bytes;  // exactly as served: the digest covers these bytes
    QString mediaType; // one of the four schema 2 / OCI manifest and index types
    Digest digest;     // sha256 of bytes (verified against the request by digest)
};

// A blob's body, streamed from the network: memory stays bounded whatever the
// blob's size. offset() says where the stream starts: the offset asked for
// when the registry honoured the Range request (206), or 0 when it sent the
// whole blob instead (200) and the caller must start over. When openBlob
// was given the blob's size, the reader passes on at most the bytes that are
// left of it and fails (InvalidArgument, "pull <repo>@<digest>: the registry
// sent more than the N bytes the manifest gives") at the first byte more,
// having read no further: a server cannot make a pull read forever.
class BlobReader final : public ByteSource {
public:
    ~BlobReader() override;
    Result<qint64> read(char *buf, qint64 max) override;

    qint64 offset() const { return m_offset; }
    bool resumed() const { return m_offset > 0; }
    // The whole blob's size if the registry said (Content-Range or Content-Length), else -1.
    qint64 blobSize() const { return m_blobSize; }

private:
    friend class RegistryClient;
    BlobReader(std::unique_ptr<HttpBodyReader> body, qint64 offset, qint64 blobSize, qint64 expectedSize, QString step);
    std::unique_ptr<HttpBodyReader> m_body;
    std::optional<LimitedSource> m_limited; // over *m_body, when the expected size is known
    qint64 m_offset;
    qint64 m_blobSize;
    QString m_step;
};

class RegistryClient {
public:
    // repo: the registry and repository (a tag or digest in it is ignored).
    // credentials may be null (anonymous only).
    RegistryClient(const Reference &repo, const CredentialStore *credentials, RegistryOptions options);
    ~RegistryClient();
    RegistryClient(const RegistryClient &) = delete;
    RegistryClient &operator=(const RegistryClient &) = delete;

    // GET a manifest or index by tag or by "sha256:..." digest. Refuses bodies
    // over kMaxDocumentBytes (core/documentlimit.h), schema 1, a Content-Type
    // that disagrees with the document, and bytes that do not match the
    // digest asked for.
    Result<FetchedManifest> fetchManifest(const QString &tagOrDigest);

    // Streams a blob from byte `offset` on (a Range request when offset > 0).
    // size: the blob's size as its descriptor gives it, or -1 if unknown.
    // When known, a Content-Length or Content-Range total that disagrees with
    // it is refused before a byte of the body is read, and the reader is
    // capped at it (see BlobReader). Both are InvalidArgument: the registry
    // serves something else than the manifest describes.
    Result<std::unique_ptr<BlobReader>> openBlob(const Digest &digest, qint64 offset = 0, qint64 size = -1);

    // HEAD: true when the repository has the blob.
    Result<bool> blobExists(const Digest &digest);

    // Cross-repository mount from another repository on the same registry:
    // true when mounted, false when the registry declined (upload it instead).
    Result<bool> mountBlob(const Digest &digest, const QString &fromRepository);

    // Uploads `size` bytes of `source`, checking they hash to `digest` before
    // the upload is committed: one PUT up to uploadChunkBytes, else PATCH chunks.
    Status uploadBlob(ByteSource &source, const Digest &digest, qint64 size);

    // PUT a manifest or index under a tag or its digest, with that Content-Type.
    Status putManifest(const QString &tagOrDigest, const QByteArray &bytes, const QString &mediaType);

    // "127.0.0.1:5000", "docker.io".
    QString registry() const;
    // "http" or "https" once the first request decided it; empty before.
    QString scheme() const;

private:
    Result<QString> checkedReference(const QString &tagOrDigest, const QString &verb) const;
    QString pullStep(const QString &tagOrDigest) const;
    QString pushStep() const;
    Result<QUrl> startUpload(const QString &step);
    Status finishUpload(const QUrl &location, const Digest &digest, const QByteArray &lastChunk,
                        const QString &step);
    void abandonUpload(const QUrl &location);

    Reference m_repo;
    RegistryOptions m_options;
    std::unique_ptr<RegistrySession> m_session;
};

// The media type of a fetched manifest, from its Content-Type and its own
// mediaType field, or the reason to refuse it: schema 1, the two disagreeing,
// a shape that contradicts the type (an index with layers), or no known type.
Result<QString> resolveManifestMediaType(const QByteArray &bytes, const QByteArray &contentType);

// The Accept header for manifest requests.
QByteArray manifestAcceptHeader();

} // namespace porthole::registry
