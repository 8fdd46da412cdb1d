// load: an image archive, from a file or standard input, into the store.
// The layers are unpacked before any name changes, as import does, so a
// loaded image runs at once and a layer that cannot be unpacked safely fails
// the load without touching a name.
#include "service/engine.h"

#include "archive/loader.h"
#include "layer/unpacker.h"
#include "store/store.h"

#include <QMutex>
#include <QRegularExpression>
#include <QSet>
#include <QThread>
#include <QWaitCondition>

#include <sys/stat.h>
#include <unistd.h>

#include <optional>

namespace porthole::service {

namespace {

struct UnpackJob {
    Digest chain;
    Digest diffId;
    Descriptor blob;
};

// The layers the images need that are not unpacked yet, each once.
QList<UnpackJob> missingLayers(const store::Store &store, const QList<archive::LoadedImage> &images)
{
    QList<UnpackJob> jobs;
    QSet<Digest> seen;
    for (const archive::LoadedImage &image : images) {
        for (qsizetype i = 0; i < image.diffIds.size() && i < image.layers.size(); ++i) {
            const Digest chain = store::chainId(image.diffIds.mid(0, i + 1));
            if (seen.contains(chain) || layer::isLayerComplete(store, chain))
                continue;
            seen.insert(chain);
            jobs.append({chain, image.diffIds[i], image.layers[i]});
        }
    }
    return jobs;
}

Status unpackOne(store::Store &store, const UnpackJob &job, const CancelToken &cancel, const ProgressSink &progress)
{
    PH_TRY(auto blob, store.content().open(job.blob.digest));
    layer::UnpackOptions options;
    options.expectedDiffId = job.diffId;
    options.name = job.blob.digest.toString();
    options.compressedSize = job.blob.size;
    auto unpacked = layer::unpackToLayerStore(store, job.chain, *blob, options, cancel, progress);
    if (!unpacked)
        return unpacked.error();
    store::LayerInfo info;
    info.size = unpacked->contentBytes;
    info.entries = unpacked->entries;
    info.tarSize = unpacked->tarSize;
    return store.putLayerInfo(job.diffId, info);
}

// Each layer unpacks into its own directory, so they go side by side: the
// work is mostly file creation in the kernel, and one thread leaves the
// other core and the disk idle. The first failure stops the rest.
Status unpackInParallel(store::Store &store, const QList<UnpackJob> &jobs, const CancelToken &cancel,
                        const ProgressSink &progress)
{
    QMutex mutex;
    qsizetype next = 0;
    std::optional<Error> failure;
    const ProgressSink serialized = [&](const ProgressEvent &e) {
        QMutexLocker lock(&mutex);
        report(progress, e);
    };
    auto work = [&] {
        for (;;) {
            qsizetype mine = 0;
            {
                QMutexLocker lock(&mutex);
                if (failure || next >= jobs.size())
                    return;
                mine = next++;
            }
            if (auto st = unpackOne(store, jobs[mine], cancel, serialized); !st) {
                QMutexLocker lock(&mutex);
                if (!failure)
                    failure = st.error();
            }
        }
    };
    const int workers = int(qBound(qsizetype(1), qsizetype(QThread::idealThreadCount()), jobs.size()));
    QList<QThread *> threads;
    for (int w = 1; w < workers; ++w) {
        threads.append(QThread::create(work));
        threads.last()->start();
    }
    work();
    for (QThread *t : threads) {
        t->wait();
        delete t;
    }
    if (failure)
        return *failure;
    return {};
}

// podman save and skopeo (containers/image) write a docker-archive's layers
// first, bottom-up, each named <diff ID>.tar. Unpacking each on another
// thread as soon as it is stored overlaps the unpacking with the rest of
// the pass. It is a guess at the chain (the config, read later, says what
// the stack really is): a layer unpacked under a wrong chain is garbage,
// and the real unpack after the pass does what the guess missed.
class EarlyUnpacker {
public:
    EarlyUnpacker(store::Store &store, const CancelToken &cancel, const ProgressSink &progress)
        : m_store(store), m_cancel(cancel), m_progress(progress) {}
    ~EarlyUnpacker() { finish(); }

    // From the pass, on the loader's thread.
    void offer(const archive::PassBlob &blob)
    {
        static const QRegularExpression layerName(QStringLiteral("^([0-9a-f]{64})\\.tar$"));
        const auto m = layerName.match(blob.path);
        if (!m.hasMatch() || !blob.diffId.isValid() || m.captured(1) != blob.diffId.hex())
            return;
        m_diffIds.append(blob.diffId);
        UnpackJob job{store::chainId(m_diffIds), blob.diffId, {}};
        job.blob.digest = blob.digest;
        job.blob.size = blob.size;
        if (layer::isLayerComplete(m_store, job.chain))
            return;
        m_chains.insert(job.chain);
        QMutexLocker lock(&m_mutex);
        m_jobs.append(job);
        if (!m_thread) {
            m_thread.reset(QThread::create([this] { work(); }));
            m_thread->start();
        }
        m_wake.wakeOne();
    }

    // Unpacks what is still queued on this thread too, and joins the worker.
    void finish()
    {
        {
            QMutexLocker lock(&m_mutex);
            m_closed = true;
            m_wake.wakeAll();
            if (m_jobs.isEmpty() && !m_thread)
                return;
        }
        work();
        if (m_thread)
            m_thread->wait();
        m_thread.reset();
    }

    const QSet<Digest> &chains() const { return m_chains; }

private:
    void work()
    {
        // Its own use lock: a failed load's caller may already have dropped
        // the loader's when it waits for this thread.
        auto lock = m_store.useLock();
        for (;;) {
            UnpackJob job;
            {
                QMutexLocker guard(&m_mutex);
                while (m_jobs.isEmpty() && !m_closed)
                    m_wake.wait(&m_mutex);
                if (m_jobs.isEmpty())
                    return;
                job = m_jobs.takeFirst();
            }
            // A failure here is the real unpack's to report.
            if (lock)
                (void)unpackOne(m_store, job, m_cancel, m_progress);
        }
    }

    store::Store &m_store;
    const CancelToken &m_cancel;
    const ProgressSink &m_progress;
    QList<Digest> m_diffIds; // the stack guessed so far
    QSet<Digest> m_chains;   // the chains unpacked on a guess
    QMutex m_mutex;
    QWaitCondition m_wake;
    QList<UnpackJob> m_jobs;
    bool m_closed = false;
    std::unique_ptr<QThread> m_thread;
};

} // namespace

Result<LoadOutcome> Engine::loadImages(const LoadRequest &request, const CancelToken &cancel, const ProgressSink &progress)
{
    archive::LoadOptions options;
    FdSource stdinSource(STDIN_FILENO, QStringLiteral("standard input"));
    ByteSource *input = &stdinSource;
    int fd = STDIN_FILENO;
    std::unique_ptr<FileSource> file;
    if (!request.sourcePath.isEmpty() && request.sourcePath != QLatin1String("-")) {
        auto opened = FileSource::open(request.sourcePath);
        if (!opened)
            return opened.error().context(QStringLiteral("load"));
        file = std::move(*opened);
        input = file.get();
        fd = file->fd();
        options.progressId = request.sourcePath;
    }
    struct stat st {};
    if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode))
        options.inputSize = st.st_size;
    QMutex progressMutex; // the pass and the unpackers report from several threads
    const ProgressSink serialized = [&](const ProgressEvent &e) {
        QMutexLocker lock(&progressMutex);
        report(progress, e);
    };
    EarlyUnpacker early(*m_store, cancel, serialized);
    options.onBlobStored = [&](const archive::PassBlob &blob) { early.offer(blob); };
    // Runs under the loader's use lock, as unpacking must.
    options.beforeName = [&](const QList<archive::LoadedImage> &images) -> Status {
        early.finish();
        if (auto unpacked = unpackInParallel(*m_store, missingLayers(*m_store, images), cancel, serialized); !unpacked)
            return unpacked.error().context(QStringLiteral("load"));
        return {};
    };
    auto loaded = archive::loadArchive(*m_store, *input, options, cancel, serialized);
    early.finish();
    bool garbage = !loaded;
    if (loaded) {
        QSet<Digest> used;
        for (const archive::LoadedImage &image : loaded->images) {
            for (qsizetype i = 1; i <= image.diffIds.size(); ++i)
                used.insert(store::chainId(image.diffIds.mid(0, i)));
        }
        garbage = !used.contains(early.chains());
    }
    // What a failed load stored, or a wrong guess unpacked, is unreferenced:
    // collect it now, unless another operation is using the store (a later
    // collection will).
    if (garbage)
        (void)m_store->collectGarbage(false);
    if (!loaded)
        return loaded.error();
    LoadOutcome outcome;
    for (const archive::LoadedImage &image : loaded->images)
        outcome.images.append({image.configDigest, image.refNames});
    return outcome;
}

} // namespace porthole::service
