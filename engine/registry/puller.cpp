#include "registry/puller.h"

#include "core/documentlimit.h"
#include "core/imageconfig.h"
#include "core/imageindex.h"
#include "core/manifest.h"
#include "core/mediatypes.h"
#include "layer/unpacker.h"
#include "store/imagestore.h"

#include <QMutex>
#include <QThread>

#include <atomic>
#include <memory>
#include <optional>

namespace porthole::registry {

namespace {

struct Platform {
    QString os = QStringLiteral("linux");
    QString architecture;
    QString variant;
};

Result<Platform> parsePlatform(const QString &text)
{
    Platform p;
    p.architecture = store::hostArchitecture();
    if (text.isEmpty())
        return p;
    const QStringList parts = text.split(u'/');
    if (parts.size() < 2 || parts.size() > 3 || parts.contains(QString()))
        return Error(ErrorCode::InvalidArgument, QStringLiteral("invalid platform \"%1\" (expected os/arch[/variant])").arg(text));
    p.os = parts[0];
    p.architecture = parts[1];
    p.variant = parts.value(2);
    return p;
}

QString describe(const Platform &p)
{
    return p.os + u'/' + p.architecture + (p.variant.isEmpty() ? QString() : u'/' + p.variant);
}

// One layer to bring in: where it goes and what it must hash to.
struct LayerJob {
    Descriptor blob;
    Digest diffId;
    Digest chain;
};

// Progress from several threads, one event at a time.
class SerialSink {
public:
    explicit SerialSink(const ProgressSink &sink) : m_sink(sink) {}
    void operator()(const QString &id, const QString &phase, qint64 done = 0, qint64 total = -1)
    {
        QMutexLocker lock(&m_mutex);
        report(m_sink, {id, phase, done, total});
    }

private:
    const ProgressSink &m_sink;
    QMutex m_mutex;
};

// Counts the blob's bytes for progress as they come off the network.
class CountingSource final : public ByteSource {
public:
    CountingSource(ByteSource &inner, std::function<void(qint64)> onBytes) : m_inner(inner), m_onBytes(std::move(onBytes)) {}
    Result<qint64> read(char *buf, qint64 max) override
    {
        PH_TRY(const qint64 n, m_inner.read(buf, max));
        m_done += n;
        m_onBytes(m_done);
        return n;
    }

private:
    ByteSource &m_inner;
    std::function<void(qint64)> m_onBytes;
    qint64 m_done = 0;
};

// An empty source: what a resumed download replays when nothing is on disk.
class NoBytes final : public ByteSource {
public:
    Result<qint64> read(char *, qint64) override { return qint64(0); }
};

// Where a layer's bytes go while it downloads: a resumable ingest file
// (kept if the connection breaks, continued with a Range request next time),
// or, while another process downloads the same blob, a private temp file.
struct Ingest {
    std::unique_ptr<store::ResumableBlobWriter> resumable;
    std::unique_ptr<store::BlobWriter> plain;
    ByteSink &sink() { return resumable ? static_cast<ByteSink &>(*resumable) : *plain; }
};

bool worthRetrying(const Error &e)
{
    return e.code == ErrorCode::Network || e.code == ErrorCode::Unavailable;
}

// Download, verify, store and unpack one layer, in one pass. The network
// never gives more than the descriptor's size (BlobReader's cap), so neither
// the unpacker nor the drain before the commit can be kept reading.
Status fetchLayerInto(store::Store &store, RegistryClient &client, const LayerJob &job, SerialSink &progress,
                      Ingest &ingest)
{
    const QString id = job.blob.digest.shortHex();
    std::unique_ptr<ByteSource> local;
    std::unique_ptr<ByteSource> replay;
    std::unique_ptr<BlobReader> network;
    NoBytes nothing;
    if (store.content().has(job.blob.digest)) {
        PH_TRY(local, store.content().open(job.blob.digest));
    } else {
        auto resumable = store.content().openResumable(job.blob.digest);
        if (resumable) {
            ingest.resumable = std::move(*resumable);
            if (ingest.resumable->existing() > job.blob.size) {
                ingest.resumable->discard();
                PH_TRY(ingest.resumable, store.content().openResumable(job.blob.digest));
            }
        } else if (resumable.error().code == ErrorCode::Unavailable) {
            PH_TRY(ingest.plain, store.content().openWriter());
        } else {
            return resumable.error();
        }
        const qint64 have = ingest.resumable ? ingest.resumable->existing() : 0;
        if (have < job.blob.size) {
            PH_TRY(network, client.openBlob(job.blob.digest, have, job.blob.size));
            if (have > 0 && network->offset() == 0) {
                // The registry sent the whole blob instead of the rest: start over.
                ingest.resumable->discard();
                PH_TRY(ingest.resumable, store.content().openResumable(job.blob.digest));
            }
        }
        if (ingest.resumable && ingest.resumable->existing() > 0) {
            progress(id, QStringLiteral("Resuming"), ingest.resumable->existing(), job.blob.size);
            PH_TRY(replay, ingest.resumable->readExisting());
        }
    }
    // The pipeline: [bytes on disk] + network (copied into the ingest file),
    // or the stored blob; counted for progress; then decompressed, hashed and
    // unpacked by unpackToLayerStore.
    std::optional<TeeSource> tee;
    if (network)
        tee.emplace(*network, ingest.sink());
    ByteSource &fresh = tee ? static_cast<ByteSource &>(*tee) : static_cast<ByteSource &>(nothing);
    std::optional<ConcatSource> resumed;
    if (!local)
        resumed.emplace(replay ? *replay : static_cast<ByteSource &>(nothing), fresh);
    ByteSource &raw = local ? *local : static_cast<ByteSource &>(*resumed);
    CountingSource counted(raw, [&](qint64 done) { progress(id, QStringLiteral("Downloading"), done, job.blob.size); });
    layer::UnpackOptions options;
    options.expectedDiffId = job.diffId;
    options.name = job.blob.digest.toString();
    options.compressedSize = job.blob.size;
    // The blob is checked (size, digest) and committed before the layer is:
    // bytes that unpack well but are not the blob the manifest names leave
    // neither behind.
    options.beforeCommit = [&]() -> Status {
        if (local)
            return {};
        PH_CHECK(drain(counted)); // whatever the decompressor left is still the blob's
        if (ingest.resumable) {
            PH_TRY(const Digest written, ingest.resumable->commit(job.blob.size));
            (void)written;
        } else {
            PH_TRY(const Digest written, ingest.plain->commit(job.blob.digest, job.blob.size));
            (void)written;
        }
        return {};
    };
    PH_TRY(const layer::UnpackResult unpacked, layer::unpackToLayerStore(store, job.chain, counted, options));
    PH_CHECK(store.putLayerInfo(job.diffId, {unpacked.contentBytes, unpacked.entries, unpacked.tarSize}));
    progress(id, QStringLiteral("Pull complete"), job.blob.size, job.blob.size);
    return {};
}

Status fetchLayerOnce(store::Store &store, RegistryClient &client, const LayerJob &job, SerialSink &progress)
{
    Ingest ingest;
    Status st = fetchLayerInto(store, client, job, progress, ingest);
    // Bytes that were wrong (not merely cut short), or a registry that
    // contradicts the manifest, must not be resumed from.
    if (!st && ingest.resumable && !worthRetrying(st.error()))
        ingest.resumable->discard();
    return st;
}

// A connection that breaks midway is tried again from where it broke (the
// ingest file keeps what arrived), up to three times.
Status fetchLayer(store::Store &store, RegistryClient &client, const LayerJob &job, SerialSink &progress)
{
    for (int attempt = 1;; ++attempt) {
        Status st = fetchLayerOnce(store, client, job, progress);
        if (st || attempt >= 3 || !worthRetrying(st.error()))
            return st;
        progress(job.blob.digest.shortHex(), QStringLiteral("Retrying"));
    }
}

// The layer jobs, shared by the worker threads; the first failure stops the rest.
class JobQueue {
public:
    explicit JobQueue(QList<LayerJob> jobs) : m_jobs(std::move(jobs)) {}
    std::optional<LayerJob> take()
    {
        QMutexLocker lock(&m_mutex);
        if (m_failure || m_next >= m_jobs.size())
            return std::nullopt;
        return m_jobs[m_next++];
    }
    void fail(const Error &e)
    {
        QMutexLocker lock(&m_mutex);
        if (!m_failure)
            m_failure = e;
    }
    std::optional<Error> failure()
    {
        QMutexLocker lock(&m_mutex);
        return m_failure;
    }

private:
    QMutex m_mutex;
    QList<LayerJob> m_jobs;
    qsizetype m_next = 0;
    std::optional<Error> m_failure;
};

Status fetchLayers(store::Store &store, const Reference &ref, const CredentialStore *credentials, const PullOptions &options,
                   const QList<LayerJob> &jobs, SerialSink &progress)
{
    if (jobs.isEmpty())
        return {};
    JobQueue queue(jobs);
    const int workers = int(qBound(qsizetype(1), qsizetype(options.parallelLayers), jobs.size()));
    QList<QThread *> threads;
    for (int w = 0; w < workers; ++w) {
        // Each thread has its own client: a QNetworkAccessManager belongs to
        // the thread that made it.
        threads.append(QThread::create([&] {
            RegistryClient client(ref, credentials, options.registry);
            while (auto job = queue.take()) {
                if (auto st = fetchLayer(store, client, *job, progress); !st)
                    queue.fail(st.error());
            }
        }));
        threads.last()->start();
    }
    for (QThread *t : threads) {
        t->wait();
        delete t;
    }
    if (auto failure = queue.failure())
        return *failure;
    return {};
}

Result<FetchedManifest> selectPlatform(RegistryClient &client, const FetchedManifest &top, const Platform &want)
{
    PH_TRY(const ImageIndex index, ImageIndex::parse(top.bytes));
    QStringList offered;
    for (const Descriptor &d : index.manifests) {
        if (!d.platform)
            continue;
        offered.append(d.platform->os + u'/' + d.platform->architecture
                       + (d.platform->variant.isEmpty() ? QString() : u'/' + d.platform->variant));
        const bool match = d.platform->os == want.os && d.platform->architecture == want.architecture
            && (want.variant.isEmpty() || d.platform->variant == want.variant);
        if (match && mediatype::isManifestType(d.mediaType))
            return client.fetchManifest(d.digest.toString());
    }
    return Error(ErrorCode::NotFound, QStringLiteral("no matching manifest for %1 in the manifest list entries (it has: %2)")
                                          .arg(describe(want), offered.join(QStringLiteral(", "))));
}

// Streamed into the store under the descriptor's size, like a layer.
Result<QByteArray> fetchConfig(store::Store &store, RegistryClient &client, const Reference &ref,
                               const Descriptor &config)
{
    if (config.size > kMaxDocumentBytes)
        return Error(ErrorCode::InvalidArgument,
                     QStringLiteral("pull %1: the image config %2 is %3 bytes, more than the limit of %4 MiB")
                         .arg(ref.familiarString(), config.digest.toString())
                         .arg(config.size)
                         .arg(kMaxDocumentBytes >> 20));
    if (store.content().has(config.digest))
        return store.content().read(config.digest, kMaxDocumentBytes);
    PH_TRY(auto reader, client.openBlob(config.digest, 0, config.size));
    PH_TRY(auto writer, store.content().openWriter());
    PH_CHECK(copyStream(*reader, *writer));
    PH_TRY(const Digest d, writer->commit(config.digest, config.size));
    return store.content().read(d, kMaxDocumentBytes);
}

} // namespace

Result<PullResult> pullImage(store::Store &store, const Reference &ref, const CredentialStore *credentials,
                             const PullOptions &options, const CancelToken &cancel, const ProgressSink &sink)
{
    PH_TRY(const Platform platform, parsePlatform(options.platform));
    PullOptions opts = options;
    opts.registry.cancel = cancel;
    SerialSink progress(sink);
    // Blobs land before the index names them: keep garbage collection away.
    PH_TRY(store::FileLock useLock, store.useLock());

    RegistryClient client(ref, credentials, opts.registry);
    const QString wanted = ref.hasDigest() ? ref.digest().toString() : ref.tag();
    PH_TRY(const FetchedManifest top, client.fetchManifest(wanted));
    FetchedManifest chosen = top;
    if (mediatype::isIndexType(top.mediaType)) {
        PH_TRY(chosen, selectPlatform(client, top, platform));
    }
    PH_TRY(const Manifest manifest, Manifest::parse(chosen.bytes));
    for (const Descriptor &l : manifest.layers) {
        if (!mediatype::isLayerType(l.mediaType))
            return Error(ErrorCode::InvalidArgument, QStringLiteral("pull %1: layer %2 has media type %3, which is not an image layer")
                                                         .arg(ref.familiarString(), l.digest.toString(), l.mediaType));
    }
    PH_TRY(const QByteArray configJson, fetchConfig(store, client, ref, manifest.config));
    PH_TRY(const ImageConfig config, ImageConfig::parse(configJson));
    const QList<Digest> diffIds = config.diffIds();
    if (diffIds.size() != manifest.layers.size())
        return Error(ErrorCode::InvalidArgument, QStringLiteral("pull %1: the manifest has %2 layers but the config %3 diff IDs")
                                                     .arg(ref.familiarString()).arg(manifest.layers.size()).arg(diffIds.size()));

    QList<LayerJob> jobs;
    for (qsizetype i = 0; i < diffIds.size(); ++i) {
        LayerJob job{manifest.layers[i], diffIds[i], store::chainId(diffIds.mid(0, i + 1))};
        if (layer::isLayerComplete(store, job.chain) && store.content().has(job.blob.digest)) {
            progress(job.blob.digest.shortHex(), QStringLiteral("Already exists"));
            continue;
        }
        progress(job.blob.digest.shortHex(), QStringLiteral("Pulling fs layer"));
        jobs.append(job);
    }
    PH_CHECK(fetchLayers(store, ref, credentials, opts, jobs, progress));
    PH_CHECK(cancel.check(QStringLiteral("pull %1").arg(ref.familiarString())));

    // The manifest as served (its digest covers these bytes), then the name.
    PH_TRY(const Digest stored, store.content().write(chosen.bytes));
    PullResult result;
    result.manifestDigest = stored;
    result.configDigest = manifest.config.digest;
    result.repoDigest = ref.withoutTagOrDigest().name() + u'@' + top.digest.toString();
    if (!ref.hasDigest())
        result.refName = ref.withDefaultTag().toString();
    Descriptor descriptor;
    descriptor.mediaType = chosen.mediaType;
    descriptor.digest = stored;
    descriptor.size = chosen.bytes.size();
    descriptor.annotations.insert(QLatin1String(store::kRepoDigestAnnotation), result.repoDigest);
    PH_CHECK(store.editIndex([&](store::TagIndex &index) {
        if (const auto current = index.findTag(result.refName); current && current->digest() == stored)
            result.upToDate = jobs.isEmpty();
        if (result.refName.isEmpty())
            index.addUntagged(descriptor.toJson());
        else
            index.setTag(result.refName, descriptor.toJson());
        return Status();
    }));
    return result;
}

} // namespace porthole::registry
