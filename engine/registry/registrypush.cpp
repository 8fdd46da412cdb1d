// RegistryClient's push side: cross-repository mounts, blob uploads (one PUT,
// or PATCH chunks then PUT) and manifests.
#include "registry/registryclient.h"

#include "core/documentlimit.h"
#include "registry/registrysession.h"

#include <QUrlQuery>

namespace porthole::registry {

static const QStringList kPushActions{QStringLiteral("pull"), QStringLiteral("push")};

// Appends to the registry's own query (its _state token) without re-encoding it.
static QUrl withQueryItem(QUrl url, const QString &key, const QString &value)
{
    QByteArray query = url.query(QUrl::FullyEncoded).toLatin1();
    if (!query.isEmpty())
        query += '&';
    query += QUrl::toPercentEncoding(key) + '=' + QUrl::toPercentEncoding(value, ":");
    url.setQuery(QString::fromLatin1(query), QUrl::StrictMode);
    return url;
}

static Result<QUrl> uploadLocation(const HttpResponse &response)
{
    const QByteArray location = response.header("Location");
    if (location.isEmpty())
        return Error(ErrorCode::Network, QStringLiteral("the registry's answer (HTTP %1) has no upload Location")
                                             .arg(response.status));
    return response.url.resolved(QUrl::fromEncoded(location));
}

// Fills up to `want` bytes; fewer only at the end of the source.
static Result<QByteArray> readUpTo(ByteSource &source, qint64 want)
{
    QByteArray data(want, Qt::Uninitialized);
    qint64 filled = 0;
    while (filled < want) {
        PH_TRY(const qint64 n, source.read(data.data() + filled, want - filled));
        if (n == 0)
            break;
        filled += n;
    }
    data.truncate(filled);
    return data;
}

Result<bool> RegistryClient::mountBlob(const Digest &digest, const QString &fromRepository)
{
    const QString step =
        QStringLiteral("%1: mount blob %2 from %3").arg(pushStep(), digest.toString(), fromRepository);
    const Result<QUrl> url = m_session->url(QStringLiteral("blobs/uploads/"));
    if (!url)
        return url.error().context(step);
    RegistryCall call;
    call.method = "POST";
    call.url = withQueryItem(withQueryItem(*url, QStringLiteral("mount"), digest.toString()), QStringLiteral("from"),
                             fromRepository);
    call.actions = kPushActions;
    call.extraScopes = {scopeFor(fromRepository, {QStringLiteral("pull")})};
    const Result<HttpResponse> r = m_session->send(call);
    if (!r)
        return r.error().context(step);
    if (r->status == 201)
        return true;
    if (r->status == 202) {
        // The registry declined and opened an ordinary upload instead; the
        // caller uploads through a session of its own, so close this one.
        if (const Result<QUrl> location = uploadLocation(*r))
            abandonUpload(*location);
        return false;
    }
    return RegistrySession::statusError(*r).context(step);
}

Result<QUrl> RegistryClient::startUpload(const QString &step)
{
    const Result<QUrl> url = m_session->url(QStringLiteral("blobs/uploads/"));
    if (!url)
        return url.error().context(step);
    RegistryCall call;
    call.method = "POST";
    call.url = *url;
    call.actions = kPushActions;
    const Result<HttpResponse> r = m_session->send(call);
    if (!r)
        return r.error().context(step);
    if (r->status != 202)
        return RegistrySession::statusError(*r).context(step);
    const Result<QUrl> location = uploadLocation(*r);
    if (!location)
        return location.error().context(step);
    return *location;
}

void RegistryClient::abandonUpload(const QUrl &location)
{
    RegistryCall call;
    call.method = "DELETE";
    call.url = location;
    call.actions = kPushActions;
    call.retry = false;
    (void)m_session->send(call); // best effort: the registry expires stale uploads anyway
}

Status RegistryClient::finishUpload(const QUrl &location, const Digest &digest, const QByteArray &lastChunk,
                                    const QString &step)
{
    RegistryCall call;
    call.method = "PUT";
    call.url = withQueryItem(location, QStringLiteral("digest"), digest.toString());
    call.headers = {{"Content-Type", "application/octet-stream"}};
    call.body = lastChunk;
    call.actions = kPushActions;
    const Result<HttpResponse> r = m_session->send(call);
    if (!r)
        return r.error().context(step);
    if (r->status != 201 && r->status != 204)
        return RegistrySession::statusError(*r).context(step);
    const QByteArray stored = r->header("Docker-Content-Digest").trimmed();
    if (!stored.isEmpty() && QString::fromLatin1(stored) != digest.toString())
        return Error(ErrorCode::Network, QStringLiteral("the registry stored the blob as %1").arg(QString::fromLatin1(stored)))
            .context(step);
    return {};
}

Status RegistryClient::uploadBlob(ByteSource &source, const Digest &digest, qint64 size)
{
    const QString step = QStringLiteral("%1: upload blob %2").arg(pushStep(), digest.toString());
    if (size < 0)
        return Error(ErrorCode::InvalidArgument, QStringLiteral("negative size %1").arg(size)).context(step);
    const Result<QUrl> started = startUpload(step);
    if (!started)
        return started.error();
    QUrl location = *started;
    DigestingSource hashed(source);
    const auto fail = [&](const Error &error) {
        abandonUpload(location);
        return error.context(step);
    };
    // The bytes must be what the caller promised before anything is committed:
    // a short or long source, or a wrong digest, leaves no blob behind.
    const auto verify = [&]() -> Status {
        const Result<QByteArray> extra = readUpTo(hashed, 1);
        if (!extra)
            return extra.error();
        if (hashed.bytes() != quint64(size))
            return Error(ErrorCode::InvalidArgument, QStringLiteral("the source has %1%2 bytes, not the %3 announced")
                                                         .arg(hashed.bytes())
                                                         .arg(extra->isEmpty() ? QString() : QStringLiteral(" or more"))
                                                         .arg(size));
        const Digest actual = hashed.finish();
        if (actual != digest)
            return Error(ErrorCode::InvalidArgument, QStringLiteral("the data hashes to %1").arg(actual.toString()));
        return {};
    };

    const qint64 chunk = qMax<qint64>(1, m_options.uploadChunkBytes);
    if (size <= chunk) {
        const Result<QByteArray> all = readUpTo(hashed, size);
        if (!all)
            return fail(all.error());
        if (const Status ok = verify(); !ok)
            return fail(ok.error());
        if (const Status ok = finishUpload(location, digest, *all, step); !ok) {
            abandonUpload(location);
            return ok.error();
        }
        return {};
    }

    for (qint64 sent = 0; sent < size;) {
        const Result<QByteArray> piece = readUpTo(hashed, qMin(chunk, size - sent));
        if (!piece)
            return fail(piece.error());
        if (piece->isEmpty())
            return fail(Error(ErrorCode::InvalidArgument,
                              QStringLiteral("the source ended after %1 of the %2 bytes announced").arg(sent).arg(size)));
        RegistryCall call;
        call.method = "PATCH";
        call.url = location;
        call.headers = {{"Content-Type", "application/octet-stream"},
                        {"Content-Range", QByteArray::number(sent) + '-' + QByteArray::number(sent + piece->size() - 1)}};
        call.body = *piece;
        call.actions = kPushActions;
        // A failed PATCH may have been partly written: the offsets would no
        // longer agree, so the whole upload is failed rather than resent.
        call.retry = false;
        const Result<HttpResponse> r = m_session->send(call);
        if (!r)
            return fail(r.error());
        if (r->status != 202)
            return fail(RegistrySession::statusError(*r));
        const Result<QUrl> next = uploadLocation(*r);
        if (!next)
            return fail(next.error());
        location = *next;
        sent += piece->size();
    }
    if (const Status ok = verify(); !ok)
        return fail(ok.error());
    if (const Status ok = finishUpload(location, digest, QByteArray(), step); !ok) {
        abandonUpload(location);
        return ok.error();
    }
    return {};
}

Status RegistryClient::putManifest(const QString &tagOrDigest, const QByteArray &bytes, const QString &mediaType)
{
    PH_TRY(const QString ref, checkedReference(tagOrDigest, QStringLiteral("push")));
    const QLatin1Char separator(ref.startsWith(QLatin1String("sha256:")) ? '@' : ':');
    const QString step = QStringLiteral("push ") + m_repo.name() + separator + ref;
    const Digest digest = Sha256::of(bytes);
    if (separator == QLatin1Char('@') && digest.toString() != ref)
        return Error(ErrorCode::InvalidArgument, QStringLiteral("the manifest's bytes hash to %1").arg(digest.toString()))
            .context(step);
    if (bytes.size() > kMaxDocumentBytes)
        return Error(ErrorCode::InvalidArgument,
                     QStringLiteral("the manifest is larger than the limit of %1 MiB").arg(kMaxDocumentBytes >> 20))
            .context(step);
    const Result<QUrl> url = m_session->url(QStringLiteral("manifests/") + ref);
    if (!url)
        return url.error().context(step);
    RegistryCall call;
    call.method = "PUT";
    call.url = *url;
    call.headers = {{"Content-Type", mediaType.toLatin1()}};
    call.body = bytes;
    call.actions = kPushActions;
    const Result<HttpResponse> r = m_session->send(call);
    if (!r)
        return r.error().context(step);
    if (r->status != 201 && r->status != 200 && r->status != 204)
        return RegistrySession::statusError(*r).context(step);
    const QByteArray stored = r->header("Docker-Content-Digest").trimmed();
    if (!stored.isEmpty() && QString::fromLatin1(stored) != digest.toString())
        return Error(ErrorCode::Network, QStringLiteral("the registry stored the manifest as %1, not %2")
                                             .arg(QString::fromLatin1(stored), digest.toString()))
            .context(step);
    return {};
}

} // namespace porthole::registry
