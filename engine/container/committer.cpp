#include "container/committer.h"

#include "store/imagewriter.h"

#include "core/bytepipe.h"
#include "core/imagechange.h"
#include "core/imageconfig.h"
#include "core/manifest.h"
#include "core/mediatypes.h"
#include "layer/compresssink.h"
#include "layer/unpacker.h"
#include "layer/upperdiff.h"
#include "runtime/cgroup.h"
#include "store/filelock.h"
#include "store/fsutil.h"
#include "store/imagestore.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QJsonArray>

#include <functional>
#include <optional>
#include <thread>

#include <unistd.h>

namespace porthole::container {

namespace {

// Freezes a running container for the lifetime of the object; thaws it on
// every path out, errors included. The commit-freeze lock, held meanwhile,
// makes commits of one container take turns and lets thawAfterDeadCommits
// tell a commit that died with the container frozen.
class Freeze {
public:
    Freeze(const store::ContainerStore &containers, const store::ContainerRecord &c, bool wanted)
    {
        if (!wanted)
            return;
        m_lockPath = containers.commitFreezePath(c.config.id);
        auto lock = store::FileLock::acquire(m_lockPath, store::FileLock::Mode::Exclusive);
        if (!lock)
            return; // no lock file possible: freeze anyway, as before there was one
        m_lock = std::move(*lock);
        if (containers.effectiveState(c).status != QLatin1String("running"))
            return;
        auto cg = runtime::Cgroup::open(runtime::containerCgroupPath(c.config.id));
        if (cg && cg->freeze())
            m_cgroup = std::move(*cg);
    }
    ~Freeze()
    {
        if (m_cgroup)
            (void)m_cgroup->thaw();
        if (m_lock.isHeld()) {
            ::unlink(QFile::encodeName(m_lockPath).constData());
            m_lock.release();
        }
    }

private:
    QString m_lockPath;
    store::FileLock m_lock;
    std::optional<runtime::Cgroup> m_cgroup;
};

// What docker commit keeps from the container: the command it ran (split
// back into the image's entrypoint and the rest), its environment, working
// dir and user; then the --change instructions apply on top.
Status applyContainerSettings(ImageConfig &config, const store::ContainerConfig &c)
{
    const QStringList argv = QStringList{c.path} + c.args;
    const QStringList entrypoint = config.entrypoint();
    if (!entrypoint.isEmpty() && argv.mid(0, entrypoint.size()) == entrypoint)
        config.setCmd(argv.mid(entrypoint.size()));
    else {
        config.setEntrypoint({});
        config.setCmd(argv);
    }
    config.setEnv(c.env);
    if (!c.workingDir.isEmpty())
        config.setConfigValue(QStringLiteral("WorkingDir"), c.workingDir);
    if (!c.user.isEmpty())
        config.setConfigValue(QStringLiteral("User"), c.user);
    return {};
}

// Runs the unpacker on its own thread, reading the pipe, and joins it on
// every path out: an early return stops it first by closing the pipe with
// an error, so it removes its half-written layer and ends.
class ConcurrentUnpack {
public:
    ConcurrentUnpack(BytePipe &pipe, std::function<Status()> unpack) : m_pipe(pipe)
    {
        m_thread = std::thread([this, unpack = std::move(unpack)] {
            // Its end of the pipe closes however it ends, so the writer never
            // blocks on a full pipe nobody reads.
            const Status st = unpack();
            m_pipe.closeReader(st ? Error(ErrorCode::Internal, QStringLiteral("the unpacker stopped before the end of the tar"))
                                  : st.error());
        });
    }
    ~ConcurrentUnpack() { (void)failure(Error(ErrorCode::Cancelled, QStringLiteral("commit stopped"))); }

    void wait()
    {
        if (m_thread.joinable())
            m_thread.join();
    }
    // The writer failed: stops and joins the unpacker, then returns the
    // error to report: the unpacker's own when it had failed first (a write
    // into the pipe then fails with it, wrapped in the tar writer's
    // context), the writer's otherwise.
    Error failure(const Error &writeError)
    {
        const std::optional<Error> unpackFailedFirst = m_pipe.readerError();
        m_pipe.closeWriter(writeError);
        wait();
        return unpackFailedFirst ? *unpackFailedFirst : writeError;
    }

private:
    BytePipe &m_pipe;
    std::thread m_thread;
};

// The image the container was made from, by the manifest it recorded (its
// media type as the index has it).
Result<store::StoredImage> baseImage(store::Store &store, const Digest &manifestDigest)
{
    Descriptor descriptor;
    descriptor.digest = manifestDigest;
    descriptor.mediaType = mediatype::OciManifest;
    PH_TRY(const store::TagIndex index, store.readIndex());
    for (const store::IndexEntry &e : index.entries()) {
        if (e.digest() == manifestDigest)
            descriptor.mediaType = e.mediaType();
    }
    return store::ImageStore(store).load(descriptor);
}

// The new config's layers, dates, author and the history entry for the commit.
void recordCommit(ImageConfig &config, const QList<Digest> &diffIds, const CommitOptions &options, const QStringList &command)
{
    const QDateTime created = QDateTime::currentDateTimeUtc();
    config.setCreated(created);
    config.setDiffIds(diffIds);
    if (!options.author.isEmpty())
        config.setAuthor(options.author);
    HistoryEntry history;
    history.created = formatRfc3339(created);
    history.author = options.author;
    history.createdBy = command.join(u' ');
    history.comment = options.message;
    config.appendHistory(history);
}

// The base manifest's layers in the OCI form (which can carry gzip and zstd
// both), then the new one.
Manifest manifestWithLayer(Manifest manifest, const Descriptor &layer)
{
    for (Descriptor &l : manifest.layers) {
        if (l.mediaType == mediatype::DockerLayerGzip)
            l.mediaType = mediatype::OciLayerGzip;
        else if (l.mediaType == mediatype::DockerLayerTar)
            l.mediaType = mediatype::OciLayerTar;
    }
    manifest.layers.append(layer);
    return manifest;
}

} // namespace

int thawAfterDeadCommits(store::Store &store)
{
    // Every command opens the engine: one stat per container, and a record
    // is read only where a lock file is left.
    store::ContainerStore containers(store);
    const QStringList ids = QDir(store.root() + QStringLiteral("/containers")).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    int thawed = 0;
    for (const QString &id : ids) {
        const QString path = containers.commitFreezePath(id);
        if (!store::pathExists(path))
            continue;
        auto lock = store::FileLock::tryAcquire(path, store::FileLock::Mode::Exclusive);
        if (!lock)
            continue; // a live commit holds it
        auto record = containers.load(id);
        if (!record)
            continue;
        const store::ContainerRecord &r = *record;
        // Paused by the user (the commit froze a running container only):
        // stays paused.
        if (containers.effectiveState(r).status == QLatin1String("running")) {
            if (auto cg = runtime::Cgroup::open(runtime::containerCgroupPath(r.config.id)); cg && cg->thaw())
                ++thawed;
        }
        ::unlink(QFile::encodeName(path).constData());
    }
    return thawed;
}

QStringList notCommitted(const store::ContainerConfig &c)
{
    QStringList excluded{QStringLiteral("/etc/hostname"), QStringLiteral("/etc/hosts"), QStringLiteral("/etc/resolv.conf")};
    for (const store::MountSpec &m : c.mounts)
        excluded.append(m.destination);
    return excluded;
}

Result<CommitResult> commitContainer(store::Store &store, const store::ContainerRecord &container,
                                     const CommitOptions &options, const CancelToken &cancel)
{
    const store::ContainerConfig &c = container.config;
    const QString step = QStringLiteral("commit %1").arg(c.name);
    // The blobs are unnamed until the index edit: keep garbage collection off.
    PH_TRY(store::FileLock useLock, store.useLock());
    auto base = baseImage(store, c.imageManifest);
    if (!base)
        return base.error().context(QStringLiteral("%1: read its image").arg(step));

    ImageConfig config = base->config;
    PH_CHECK(applyContainerSettings(config, c));
    if (auto st = applyChanges(config, options.changes); !st)
        return st.error(); // before any byte is written: a bad -c leaves nothing

    const QStringList excluded = notCommitted(c);

    store::ContainerStore containers(store);
    PH_TRY(auto writer, store.content().openWriter());
    layer::CompressSink compressed(*writer, options.compression);
    // The tar goes to the compressor (the blob) and, through a pipe, to the
    // unpacker on a second core: the image runs at once, and the layer is
    // not unpacked by reading and decompressing the blob a second time. The
    // unpacker computes the diff ID.
    BytePipe pipe(4 << 20);
    TeeSink tar(compressed, pipe.sink());
    const QList<Digest> parentDiffIds = config.diffIds();
    std::optional<Result<layer::UnpackResult>> unpacked;
    ConcurrentUnpack unpacker(pipe, [&] {
        unpacked = layer::unpackOnTop(store, parentDiffIds, pipe.source(), {}, cancel);
        return unpacked->ok() ? Status() : Status(unpacked->error());
    });
    layer::TarWriteStats stats;
    {
        Freeze frozen(containers, container, options.pause);
        auto written = layer::writeUpperTar(containers.upperDir(c.id), excluded, tar, cancel);
        if (!written)
            return unpacker.failure(written.error()).context(step);
        stats = *written;
    }
    if (auto st = tar.finish(); !st)
        return unpacker.failure(st.error()).context(step);
    // The blob gets its name only once the layer is unpacked: a failed
    // unpack leaves no blob behind.
    unpacker.wait();
    if (!*unpacked)
        return unpacked->error().context(step);
    const qint64 blobSize = writer->bytesWritten();
    PH_TRY(const Digest blobDigest, writer->commit(std::nullopt, -1, store::NameSync::Later)); // synced by writeImage
    PH_TRY(const QString layerType, layer::layerMediaType(options.compression));
    const Digest diffId = (*unpacked)->diffId;
    const QList<Digest> diffIds = QList<Digest>(parentDiffIds) << diffId;
    PH_CHECK(store.putLayerInfo(diffId, {(*unpacked)->contentBytes, (*unpacked)->entries, (*unpacked)->tarSize}));

    recordCommit(config, diffIds, options, QStringList{c.path} + c.args);
    Descriptor newLayer;
    newLayer.mediaType = layerType;
    newLayer.digest = blobDigest;
    newLayer.size = blobSize;
    const Manifest manifest = manifestWithLayer(base->manifest, newLayer);
    PH_TRY(const store::WrittenImage written, store::writeImage(store, config, manifest, options.refName));
    return CommitResult{written.configDigest, written.manifestDigest, diffId, stats.contentBytes};
}

} // namespace porthole::container
