// The layer store's side of unpacking: each layer unpacked once into
// layers/<chain hex>/, committed with a marker beside it under a short
// exclusive lock, and what a crashed writer left removed at open.
// Declared in layer/unpacker.h.
#include "layer/unpacker.h"
#include "layer/tarreader.h"
#include "layer/decompresssource.h"
#include "layer/inroot.h"
#include "layer/whiteout.h"
#include "store/filelock.h"
#include "store/fsutil.h"
#include "store/store.h"
#include <archive.h>
#include <archive_entry.h>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QList>
#include <QRandomGenerator>
#include <cerrno>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>
#include <memory>
#include <optional>

namespace porthole::layer {

namespace {

QString layersDirOf(const QString &storeRoot) { return storeRoot + QStringLiteral("/layers"); }
QString layersLockOf(const QString &storeRoot) { return storeRoot + QStringLiteral("/locks/layers.lock"); }

bool isDirAt(int dirFd, const char *name)
{
    struct stat st {};
    return ::fstatat(dirFd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode);
}

struct TempDir {
    QString path;
    UniqueFd lock; // flock'ed: cleanup leaves a live writer's dir alone
};

Result<TempDir> createLockedTempDir(const QString &layersDir)
{
    for (int attempt = 0; attempt < 100; ++attempt) {
        TempDir t;
        t.path = layersDir + u'/' + QLatin1String(store::kTempPrefix) + QStringLiteral("layer-")
            + QString::number(QRandomGenerator::system()->generate64(), 36);
        const QByteArray path = QFile::encodeName(t.path);
        if (::mkdir(path.constData(), 0755) != 0) {
            if (errno == EEXIST)
                continue;
            return Error::fromErrno(QStringLiteral("create a temporary layer directory in %1").arg(layersDir), errno);
        }
        t.lock.reset(::open(path.constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
        // ENOENT: another process's cleanup took it between mkdir and open
        // (it was not locked yet); take another name.
        if (!t.lock.valid() && errno == ENOENT)
            continue;
        if (!t.lock.valid())
            return Error::fromErrno(QStringLiteral("open %1").arg(t.path), errno);
        ::flock(t.lock.get(), LOCK_EX);
        // A cleaner may have removed it between mkdir and flock.
        struct stat st {};
        if (::fstat(t.lock.get(), &st) == 0 && st.st_nlink == 0)
            continue;
        return t;
    }
    return Error(ErrorCode::Internal, QStringLiteral("create a temporary layer directory in %1: no free name").arg(layersDir));
}

Status removePath(const QString &path, const QString &what)
{
    const QFileInfo info(path);
    const UniqueFd parent(::open(QFile::encodeName(info.absolutePath()).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!parent.valid())
        return Error::fromErrno(what, errno);
    return removeAt(parent.get(), QFile::encodeName(info.fileName()).constData(), what);
}

} // namespace

QString layerCompleteMarker(const store::Store &store, const Digest &chainId)
{
    return store.layerDir(chainId) + QStringLiteral(".complete");
}

bool isLayerComplete(const store::Store &store, const Digest &chainId)
{
    struct stat st {};
    return ::stat(QFile::encodeName(store.layerDir(chainId)).constData(), &st) == 0 && S_ISDIR(st.st_mode)
        && store::pathExists(layerCompleteMarker(store, chainId));
}

namespace {

// Both public forms: the layer's chain ID comes from its diff ID, known
// before the unpack or only after it.
Result<UnpackResult> unpackAndCommit(store::Store &store, const std::function<Digest(const Digest &diffId)> &chainOf,
                                     const QString &step, ByteSource &compressedBlob, const UnpackOptions &opts,
                                     const CancelToken &cancel, const ProgressSink &progress)
{
    const QString layersDir = layersDirOf(store.root());
    if (auto st = store::makeDirs(layersDir, 0700); !st)
        return st.error().context(step);
    auto tmp = createLockedTempDir(layersDir);
    if (!tmp)
        return tmp.error().context(step);
    const auto removeTemp = [&] { (void)removePath(tmp->path, QStringLiteral("remove %1").arg(tmp->path)); };
    const auto fail = [&](const Error &e) -> Error {
        removeTemp();
        return e;
    };
    auto result = unpackLayer(compressedBlob, tmp->path, opts, cancel, progress);
    if (!result)
        return fail(result.error());
    // The caller's last word before the layer becomes visible (a pull checks
    // the blob's own digest and size here): a layer never outlives a bad blob.
    if (opts.beforeCommit) {
        if (auto st = opts.beforeCommit(); !st)
            return fail(st.error());
    }
    // One flush for the whole layer instead of an fsync per file.
    if (::syncfs(tmp->lock.get()) != 0)
        return fail(Error::fromErrno(QStringLiteral("%1: sync the layer to disk").arg(step), errno));

    const Digest chainId = chainOf(result->diffId);
    // Commits are short and exclusive, so cleanup (also exclusive) never
    // sees a directory between its rename and its marker.
    auto lock = store::FileLock::acquire(layersLockOf(store.root()), store::FileLock::Mode::Exclusive);
    if (!lock)
        return fail(lock.error().context(step));
    if (isLayerComplete(store, chainId)) {
        removeTemp(); // another process committed it first: keep theirs
        return result;
    }
    const QString finalDir = store.layerDir(chainId);
    if (store::pathExists(finalDir)) {
        // No marker and no live writer (we hold the lock): a leftover.
        if (auto st = removePath(finalDir, QStringLiteral("%1: remove the incomplete %2").arg(step, finalDir)); !st)
            return fail(st.error());
    }
    if (::rename(QFile::encodeName(tmp->path).constData(), QFile::encodeName(finalDir).constData()) != 0)
        return fail(Error::fromErrno(QStringLiteral("%1: rename %2 to %3").arg(step, tmp->path, finalDir), errno));
    // writeFileAtomic fsyncs the marker and the directory, which also makes
    // the rename durable.
    const QByteArray marker = result->diffId.toString().toLatin1() + '\n';
    if (auto st = store::writeFileAtomic(layerCompleteMarker(store, chainId), marker); !st) {
        (void)removePath(finalDir, QStringLiteral("remove %1").arg(finalDir));
        return st.error().context(step);
    }
    return result;
}

} // namespace

Result<UnpackResult> unpackToLayerStore(store::Store &store, const Digest &chainId, ByteSource &compressedBlob,
                                        const UnpackOptions &opts, const CancelToken &cancel, const ProgressSink &progress)
{
    return unpackAndCommit(store, [&](const Digest &) { return chainId; },
                           QStringLiteral("unpack layer %1").arg(chainId.toString()), compressedBlob, opts, cancel, progress);
}

Result<UnpackResult> unpackOnTop(store::Store &store, const QList<Digest> &parentDiffIds, ByteSource &tar,
                                 const UnpackOptions &opts, const CancelToken &cancel)
{
    const auto chainOf = [&](const Digest &diffId) { return store::chainId(QList<Digest>(parentDiffIds) << diffId); };
    return unpackAndCommit(store, chainOf, QStringLiteral("unpack the new layer"), tar, opts, cancel, {});
}

int removeIncompleteLayers(const QString &storeRoot)
{
    const QString layersDir = layersDirOf(storeRoot);
    const UniqueFd dirFd(::open(QFile::encodeName(layersDir).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!dirFd.valid())
        return 0;
    auto lock = store::FileLock::acquire(layersLockOf(storeRoot), store::FileLock::Mode::Exclusive);
    if (!lock)
        return 0;
    QList<QByteArray> names;
    if (DIR *d = ::fdopendir(::fcntl(dirFd.get(), F_DUPFD_CLOEXEC, 0))) {
        while (const dirent *e = ::readdir(d))
            names.append(QByteArray(e->d_name));
        ::closedir(d);
    }
    int removed = 0;
    const auto remove = [&](const QByteArray &name) {
        if (removeAt(dirFd.get(), name.constData(), QStringLiteral("remove an incomplete layer")))
            ++removed;
    };
    for (const QByteArray &name : names) {
        if (name.startsWith(store::kTempPrefix)) {
            // Temp dirs (and the marker writer's temp files) of live
            // writers are flock'ed.
            const UniqueFd fd(::openat(dirFd.get(), name.constData(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
            if (fd.valid() && ::flock(fd.get(), LOCK_EX | LOCK_NB) == 0)
                remove(name);
        } else if (name.endsWith(".complete")) {
            if (!isDirAt(dirFd.get(), name.chopped(9).constData()))
                remove(name); // its directory was collected
        } else if (Digest::parse(QStringLiteral("sha256:") + QString::fromLatin1(name)).ok() && isDirAt(dirFd.get(), name.constData())) {
            struct stat st {};
            if (::fstatat(dirFd.get(), (name + ".complete").constData(), &st, 0) != 0)
                remove(name);
        }
    }
    return removed;
}


} // namespace porthole::layer
