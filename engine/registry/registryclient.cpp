#include "registry/registryclient.h"

#include "core/documentlimit.h"
#include "core/mediatypes.h"
#include "registry/registrysession.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace porthole::registry {

// --- manifests: pure checks --------------------------------------------------------------

QByteArray manifestAcceptHeader()
{
    // Schema 1 is accepted (at a lower preference) only so that a registry with
    // nothing else answers with it and the user gets the clear refusal below
    // instead of a puzzling "manifest unknown".
    const QStringList types{
        mediatype::OciManifest,
        mediatype::OciIndex,
        mediatype::DockerManifest,
        mediatype::DockerManifestList,
        QString(mediatype::DockerSchema1Signed) + QStringLiteral(";q=0.5"),
        QString(mediatype::DockerSchema1) + QStringLiteral(";q=0.5"),
    };
    return types.join(QStringLiteral(", ")).toLatin1();
}

static Error schema1Error()
{
    return Error(ErrorCode::FailedPrecondition,
                 QStringLiteral("this image uses the deprecated schema 1 format; Porthole reads only Docker schema 2 "
                                "and OCI images (convert it with `skopeo copy --format v2s2` or push it again with a "
                                "current client)"));
}

static bool isKnownManifestType(const QString &type)
{
    return mediatype::isManifestType(type) || mediatype::isIndexType(type);
}

Result<QString> resolveManifestMediaType(const QByteArray &bytes, const QByteArray &contentType)
{
    const QString served = QString::fromLatin1(contentType).section(QLatin1Char(';'), 0, 0).trimmed().toLower();
    if (mediatype::isSchema1Type(served))
        return schema1Error();
    QJsonParseError parseError{};
    const QJsonDocument doc = QJsonDocument::fromJson(bytes, &parseError);
    if (!doc.isObject())
        return Error(ErrorCode::InvalidArgument, QStringLiteral("the manifest is not a JSON object (%1)")
                                                     .arg(parseError.error ? parseError.errorString()
                                                                           : QStringLiteral("not an object")));
    const QJsonObject object = doc.object();
    const QString declared = object.value(QLatin1String("mediaType")).toString();
    if (object.value(QLatin1String("schemaVersion")).toInt() == 1 || mediatype::isSchema1Type(declared))
        return schema1Error();

    // Generic types (application/json, octet-stream) say nothing; only a
    // specific manifest type can disagree with the document.
    const bool servedKnown = isKnownManifestType(served);
    QString type;
    if (!declared.isEmpty()) {
        if (!isKnownManifestType(declared))
            return Error(ErrorCode::InvalidArgument,
                         QStringLiteral("the manifest has the unsupported media type %1").arg(declared));
        if (servedKnown && served != declared)
            return Error(ErrorCode::InvalidArgument,
                         QStringLiteral("the registry served the manifest as %1, but the document says it is %2")
                             .arg(served, declared));
        type = declared;
    } else if (servedKnown) {
        type = served;
    } else if (object.contains(QLatin1String("manifests"))) {
        type = mediatype::OciIndex;
    } else if (object.contains(QLatin1String("config")) && object.contains(QLatin1String("layers"))) {
        type = mediatype::OciManifest;
    } else {
        return Error(ErrorCode::InvalidArgument,
                     QStringLiteral("the manifest's media type is unknown (Content-Type \"%1\", no mediaType field)")
                         .arg(served));
    }

    const bool hasImageFields = object.contains(QLatin1String("config")) || object.contains(QLatin1String("layers"));
    if (mediatype::isIndexType(type) && (hasImageFields || !object.value(QLatin1String("manifests")).isArray()))
        return Error(ErrorCode::InvalidArgument,
                     QStringLiteral("the document is typed %1 but is not an index (it has config or layers, or no "
                                    "manifests list)")
                         .arg(type));
    if (mediatype::isManifestType(type)
        && (object.contains(QLatin1String("manifests")) || !object.value(QLatin1String("config")).isObject()
            || !object.value(QLatin1String("layers")).isArray()))
        return Error(ErrorCode::InvalidArgument,
                     QStringLiteral("the document is typed %1 but is not an image manifest (it needs a config and "
                                    "layers, and no manifests list)")
                         .arg(type));
    return type;
}

// --- BlobReader --------------------------------------------------------------------------

BlobReader::BlobReader(std::unique_ptr<HttpBodyReader> body, qint64 offset, qint64 blobSize, qint64 expectedSize,
                       QString step)
    : m_body(std::move(body)), m_offset(offset), m_blobSize(blobSize), m_step(std::move(step))
{
    if (expectedSize >= 0)
        m_limited.emplace(
            *m_body, expectedSize - offset,
            QStringLiteral("the registry sent more than the %1 bytes the manifest gives").arg(expectedSize));
}

BlobReader::~BlobReader() = default;

Result<qint64> BlobReader::read(char *buf, qint64 max)
{
    Result<qint64> n = m_limited ? m_limited->read(buf, max) : m_body->read(buf, max);
    if (!n)
        return n.error().context(m_step);
    return n;
}

// --- RegistryClient: pull side -----------------------------------------------------------

RegistryClient::RegistryClient(const Reference &repo, const CredentialStore *credentials, RegistryOptions options)
    : m_repo(repo.withoutTagOrDigest()),
      m_options(std::move(options)),
      m_session(std::make_unique<RegistrySession>(m_repo, credentials, m_options))
{
}

RegistryClient::~RegistryClient() = default;

QString RegistryClient::registry() const
{
    return m_session->registry();
}

QString RegistryClient::scheme() const
{
    return m_session->scheme();
}

QString RegistryClient::pullStep(const QString &tagOrDigest) const
{
    const QLatin1Char separator(tagOrDigest.startsWith(QLatin1String("sha256:")) ? '@' : ':');
    return QStringLiteral("pull ") + m_repo.name() + separator + tagOrDigest;
}

QString RegistryClient::pushStep() const
{
    return QStringLiteral("push ") + m_repo.name();
}

Result<QString> RegistryClient::checkedReference(const QString &tagOrDigest, const QString &verb) const
{
    if (tagOrDigest.contains(QLatin1Char(':'))) {
        const Result<Digest> digest = Digest::parse(tagOrDigest);
        if (!digest)
            return digest.error().context(QStringLiteral("%1 %2").arg(verb, m_repo.name()));
        return digest->toString();
    }
    if (!Reference::isValidTag(tagOrDigest))
        return Error(ErrorCode::InvalidArgument,
                     QStringLiteral("%1 %2: \"%3\" is not a valid tag").arg(verb, m_repo.name(), tagOrDigest));
    return tagOrDigest;
}

Result<FetchedManifest> RegistryClient::fetchManifest(const QString &tagOrDigest)
{
    PH_TRY(const QString ref, checkedReference(tagOrDigest, QStringLiteral("pull")));
    const QString step = pullStep(ref);
    const Result<QUrl> url = m_session->url(QStringLiteral("manifests/") + ref);
    if (!url)
        return url.error().context(step);
    RegistryCall call;
    call.url = *url;
    call.headers = {{"Accept", manifestAcceptHeader()}};
    call.maxBody = kMaxDocumentBytes;
    call.followRedirects = true;
    const Result<HttpResponse> r = m_session->send(call);
    if (!r)
        return r.error().context(step);
    if (r->status != 200)
        return RegistrySession::statusError(*r).context(step);

    const Result<QString> type = resolveManifestMediaType(r->body, r->header("Content-Type"));
    if (!type)
        return type.error().context(step);
    const Digest actual = Sha256::of(r->body);
    if (ref.startsWith(QLatin1String("sha256:")) && actual.toString() != ref)
        return Error(ErrorCode::InvalidArgument,
                     QStringLiteral("the registry sent a manifest whose digest is %1").arg(actual.toString()))
            .context(step);
    const QByteArray claimed = r->header("Docker-Content-Digest").trimmed();
    if (claimed.startsWith("sha256:") && QString::fromLatin1(claimed) != actual.toString())
        return Error(ErrorCode::InvalidArgument,
                     QStringLiteral("the registry says the manifest's digest is %1, but its bytes hash to %2")
                         .arg(QString::fromLatin1(claimed), actual.toString()))
            .context(step);
    return FetchedManifest{r->body, *type, actual};
}

// "bytes 100-199/1000" -> {100, 1000}; total -1 for "*".
static std::optional<std::pair<qint64, qint64>> parseContentRange(const QByteArray &value)
{
    const QByteArray v = value.trimmed();
    if (!v.startsWith("bytes "))
        return std::nullopt;
    const int dash = v.indexOf('-');
    const int slash = v.indexOf('/');
    if (dash < 0 || slash < dash)
        return std::nullopt;
    bool ok = false;
    const qint64 first = v.mid(6, dash - 6).trimmed().toLongLong(&ok);
    if (!ok)
        return std::nullopt;
    const QByteArray totalText = v.mid(slash + 1).trimmed();
    qint64 total = -1;
    if (totalText != "*") {
        total = totalText.toLongLong(&ok);
        if (!ok)
            return std::nullopt;
    }
    return std::make_pair(first, total);
}

// What the registry says of the blob's size before its body, checked
// against the descriptor's size: a lie is refused before a byte is read.
// total is the whole blob's size from the header named by totalHeader.
static Status checkAnnouncedSize(const HttpResponse &r, qint64 start, qint64 total, QLatin1StringView totalHeader,
                                 qint64 expected)
{
    if (expected < 0)
        return {};
    if (total >= 0 && total != expected)
        return Error(ErrorCode::InvalidArgument,
                     QStringLiteral("the registry announces a blob of %1 bytes (%2), but the manifest gives %3 bytes")
                         .arg(total)
                         .arg(totalHeader)
                         .arg(expected));
    const qint64 length = r.contentLength();
    if (start > 0 && length >= 0 && length != expected - start)
        return Error(ErrorCode::InvalidArgument, QStringLiteral("the registry announces %1 bytes from byte %2 "
                                                                "(Content-Length), but the manifest gives %3 bytes")
                                                     .arg(length)
                                                     .arg(start)
                                                     .arg(expected));
    return {};
}

Result<std::unique_ptr<BlobReader>> RegistryClient::openBlob(const Digest &digest, qint64 offset, qint64 size)
{
    const QString step = pullStep(digest.toString());
    if (offset < 0 || (size >= 0 && offset > size))
        return Error(ErrorCode::InvalidArgument, QStringLiteral("offset %1 is outside the blob").arg(offset))
            .context(step);
    const Result<QUrl> url = m_session->url(QStringLiteral("blobs/") + digest.toString());
    if (!url)
        return url.error().context(step);
    RegistryCall call;
    call.url = *url;
    call.followRedirects = true;
    if (offset > 0)
        call.headers = {{"Range", "bytes=" + QByteArray::number(offset) + '-'}};
    std::unique_ptr<HttpBodyReader> body;
    const Result<HttpResponse> r = m_session->open(call, &body);
    if (!r)
        return r.error().context(step);

    qint64 start = 0;
    qint64 total = -1;
    if (r->status == 200) {
        total = r->contentLength();
    } else if (r->status == 206 && offset > 0) {
        const auto range = parseContentRange(r->header("Content-Range"));
        if (!range || range->first != offset)
            return Error(ErrorCode::Network, QStringLiteral("asked for the blob from byte %1, the registry sent "
                                                            "Content-Range \"%2\"")
                                                 .arg(offset)
                                                 .arg(QString::fromLatin1(r->header("Content-Range"))))
                .context(step);
        start = offset;
        total = range->second;
    } else if (r->status == 416) {
        return Error(ErrorCode::InvalidArgument,
                     QStringLiteral("the registry cannot serve the blob from byte %1 (HTTP 416)").arg(offset))
            .context(step);
    } else {
        return RegistrySession::statusError(*r).context(step);
    }
    const QLatin1StringView totalHeader(start > 0 ? "Content-Range" : "Content-Length");
    if (Status st = checkAnnouncedSize(*r, start, total, totalHeader, size); !st)
        return st.error().context(step);
    if (!body)
        return Error(ErrorCode::Internal, QStringLiteral("no body stream")).context(step);
    return std::unique_ptr<BlobReader>(new BlobReader(std::move(body), start, total, size, step));
}

Result<bool> RegistryClient::blobExists(const Digest &digest)
{
    const QString step = QStringLiteral("check blob %1 in %2").arg(digest.toString(), m_repo.name());
    const Result<QUrl> url = m_session->url(QStringLiteral("blobs/") + digest.toString());
    if (!url)
        return url.error().context(step);
    RegistryCall call;
    call.method = "HEAD";
    call.url = *url;
    call.followRedirects = true;
    const Result<HttpResponse> r = m_session->send(call);
    if (!r)
        return r.error().context(step);
    if (r->status == 200)
        return true;
    if (r->status == 404)
        return false;
    return RegistrySession::statusError(*r).context(step);
}

} // namespace porthole::registry
