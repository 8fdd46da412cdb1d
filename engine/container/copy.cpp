// cp and export. cp follows docker's CLI (cli/command/
// container/cp.go and pkg/archive/copy.go): both directions make a tar of
// the source entry named as it must land, and extract it into the
// directory it must land in:
//
//   source          destination                 extracted into   tar named
//   file or dir     existing dir                DEST             basename(SRC)
//   dir/.           existing dir                DEST             . (contents)
//   dir             existing file               error: cannot copy directory
//   file            existing file               dirname(DEST)    basename(DEST)
//   file            missing, "DEST/" or "DEST/." error: no such directory
//   file or dir     missing                     dirname(DEST)    basename(DEST)
//
// A trailing "/" or "/." on the source, or -L, follows a symlink there; a
// symlink as the destination is followed. The container side is always an
// fd resolved inside the container (archive/containerfs.h), the tar writer
// never follows a symlink, and the extractor resolves every name inside the
// directory it extracts into (layer/unpacker.h), so neither a link in the
// container nor one in a tar from stdin reaches outside. A copy out into a
// host directory never makes device nodes there (each one is a warning) and
// drops setuid/setgid bits and file capabilities unless -a; `cp CTR:SRC -`
// streams the tar as it is, for the user to extract as they choose.
#include "container/containers.h"
#include "container/orphans.h"

#include "store/fdsink.h"
#include "store/outputfile.h"

#include "container/containerfs.h"
#include "layer/unpacker.h"
#include "layer/upperdiff.h"
#include "store/containerstore.h"
#include "store/fsutil.h"
#include "store/store.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <cerrno>
#include <fcntl.h>
#include <functional>
#include <limits>
#include <sys/socket.h>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

namespace porthole::container {

using layer::UniqueFd;

namespace {

class CountingSource final : public ByteSource {
public:
    explicit CountingSource(ByteSource &inner) : m_inner(inner) {}
    Result<qint64> read(char *buf, qint64 max) override
    {
        PH_TRY(const qint64 n, m_inner.read(buf, max));
        m_bytes += n;
        return n;
    }
    qint64 bytes() const { return m_bytes; }

private:
    ByteSource &m_inner;
    qint64 m_bytes = 0;
};

// produce writes a tar on a helper thread; consume reads it here. Whichever
// failed first is reported: a reader that stopped leaves the writer an
// EPIPE, a writer that stopped leaves the reader a truncated tar.
Result<qint64> pipeThrough(const std::function<Status(ByteSink &)> &produce,
                           const std::function<Status(ByteSource &)> &consume)
{
    int fds[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0)
        return Error::fromErrno(QStringLiteral("create the copy stream"), errno);
    const UniqueFd readEnd(fds[0]);
    const UniqueFd writeEnd(fds[1]);
    Status produced;
    qint64 bytes = 0;
    std::thread writer([&] {
        store::FdSink sink(writeEnd.get(), QStringLiteral("the copy stream"), {.socket = true});
        produced = produce(sink);
        if (produced)
            produced = sink.finish();
        bytes = sink.bytes();
        ::shutdown(writeEnd.get(), SHUT_WR);
    });
    FdSource source(readEnd.get(), QStringLiteral("the copy stream"));
    const Status consumed = consume(source);
    ::shutdown(readEnd.get(), SHUT_RDWR);
    writer.join();
    if (!consumed && (produced || produced.error().sysErrno == EPIPE))
        return consumed.error();
    if (!produced)
        return produced.error();
    return bytes;
}

bool hasTrailingSlash(const QString &path) { return path.endsWith(u'/'); }
// docker's specifiesCurrentDir: the last element is "." ("dir/.", ".", "dir/./").
bool specifiesCurrentDir(const QString &path) { return QFileInfo(path.endsWith(u'/') ? path.chopped(1) : path).fileName() == u'.'; }

QByteArray baseName(const QByteArray &clean) { return layer::splitParent(clean).second; }

layer::UnpackOptions copyOptions(const QString &name, std::optional<std::pair<uint, uint>> owner)
{
    layer::UnpackOptions opts;
    opts.layer = false;
    opts.owner = owner;
    opts.name = name;
    // The user's own files: no layer limits, no bomb heuristics.
    opts.limits.maxBytes = std::numeric_limits<qint64>::max();
    opts.limits.maxEntries = std::numeric_limits<qint64>::max();
    opts.limits.maxRatio = std::numeric_limits<double>::max();
    return opts;
}

Status extractInto(ByteSource &tar, int dirFd, const layer::UnpackOptions &opts, const CancelToken &cancel,
                   layer::UnpackResult *result = nullptr)
{
    auto r = layer::extractTar(tar, dirFd, opts, cancel);
    if (r && result)
        *result = std::move(*r);
    return r ? Status() : Status(r.error());
}

// The devices cp out skipped, named by their host paths.
QStringList skippedDeviceWarnings(const layer::UnpackResult &r, const QString &hostDir)
{
    QStringList out;
    for (const QByteArray &name : r.skippedDevices)
        out << QStringLiteral("skipped the device node %1: cp never creates device nodes on the host")
                   .arg(QDir(hostDir).filePath(QString::fromUtf8(name)));
    if (r.devicesSkipped > r.skippedDevices.size())
        out << QStringLiteral("skipped %1 more device nodes").arg(r.devicesSkipped - r.skippedDevices.size());
    return out;
}

// The host entry a source path names, as docker's CopyInfoSourcePath: its
// directory with symlinks resolved, its last element resolved only for -L
// or a trailing "/" or "/.".
struct HostSource {
    UniqueFd parent;
    QByteArray name;
    QByteArray tarName;
    bool isDir = false;
};

Result<HostSource> hostSource(const QString &path, bool followLink)
{
    struct stat st {};
    if (::lstat(QFile::encodeName(path).constData(), &st) != 0)
        return Error::fromErrno(QStringLiteral("lstat %1").arg(path), errno);
    const bool currentDir = specifiesCurrentDir(path);
    const QFileInfo typed(QDir::cleanPath(QDir::current().absoluteFilePath(path)));
    const bool isRoot = typed.filePath() == QLatin1String("/");
    // Host symlinks are the user's own: resolved as docker's EvalSymlinks.
    const QString resolved = followLink || currentDir || hasTrailingSlash(path) || isRoot
        ? typed.canonicalFilePath()
        : QDir(QFileInfo(typed.absolutePath()).canonicalFilePath()).filePath(typed.fileName());
    if (resolved.isEmpty())
        return Error::fromErrno(QStringLiteral("stat %1").arg(path), ENOENT);
    HostSource src;
    const QFileInfo info(resolved);
    const bool resolvedRoot = resolved == QLatin1String("/");
    const QString parent = resolvedRoot ? resolved : info.absolutePath();
    src.parent.reset(::open(QFile::encodeName(parent).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!src.parent.valid())
        return Error::fromErrno(QStringLiteral("open %1").arg(parent), errno);
    src.name = resolvedRoot ? QByteArray(".") : QFile::encodeName(info.fileName());
    if (::fstatat(src.parent.get(), src.name.constData(), &st, AT_SYMLINK_NOFOLLOW) != 0)
        return Error::fromErrno(QStringLiteral("lstat %1").arg(resolved), errno);
    src.isDir = S_ISDIR(st.st_mode);
    // Named as typed: -L copies a link's target under the link's name.
    src.tarName = currentDir || isRoot ? QByteArray(".") : QFile::encodeName(typed.fileName());
    return src;
}

// Where a copy lands on the host, as docker's CopyInfoDestinationPath and
// PrepareArchiveCopy: the directory to extract into and the tar's name.
struct HostTarget {
    UniqueFd dir;
    QString dirPath;
    QByteArray tarName;
};

Result<HostTarget> hostTarget(const QString &dest, bool srcIsDir, const QByteArray &srcTarName)
{
    QString path = QDir::cleanPath(QDir::current().absoluteFilePath(dest));
    struct stat st {};
    bool exists = ::lstat(QFile::encodeName(path).constData(), &st) == 0;
    for (int hops = 0; exists && S_ISLNK(st.st_mode); ++hops) {
        if (hops >= 10)
            return Error(ErrorCode::InvalidArgument, QStringLiteral("too many symlinks in %1").arg(dest));
        const QString target = QFile::symLinkTarget(path);
        path = QDir::cleanPath(QFileInfo(path).absoluteDir().absoluteFilePath(target));
        exists = ::lstat(QFile::encodeName(path).constData(), &st) == 0;
    }
    const QFileInfo info(path);
    QString dir = info.absolutePath();
    QByteArray tarName = QFile::encodeName(info.fileName());
    if (!exists) {
        if (errno != ENOENT)
            return Error::fromErrno(QStringLiteral("lstat %1").arg(dest), errno);
        struct stat parent {};
        if (::stat(QFile::encodeName(dir).constData(), &parent) != 0)
            return Error::fromErrno(QStringLiteral("stat %1").arg(dir), errno);
        if (!S_ISDIR(parent.st_mode))
            return Error(ErrorCode::InvalidArgument, QStringLiteral("copy to %1: %2 is not a directory").arg(dest, dir));
        if (!srcIsDir && (hasTrailingSlash(dest) || specifiesCurrentDir(dest)))
            return Error(ErrorCode::NotFound, QStringLiteral("copy to %1: no such directory").arg(dest));
    } else if (S_ISDIR(st.st_mode)) {
        dir = path;
        tarName = srcTarName;
    } else if (srcIsDir) {
        return Error(ErrorCode::InvalidArgument, QStringLiteral("copy to %1: cannot copy directory").arg(dest));
    }
    HostTarget t;
    t.dirPath = dir;
    t.tarName = tarName;
    t.dir.reset(::open(QFile::encodeName(dir).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!t.dir.valid())
        return Error::fromErrno(QStringLiteral("open %1").arg(dir), errno);
    return t;
}

Error notFoundIn(const QString &path, const QString &container)
{
    return Error(ErrorCode::NotFound, QStringLiteral("Could not find the file %1 in container %2").arg(path, container));
}

} // namespace

Result<CopyResult> Containers::copyFrom(const CopyRequest &request, const CancelToken &cancel)
{
    store::ContainerStore containers(*m_store);
    PH_TRY(const store::ContainerRecord record, resolveContainer(containers, request.container));
    PH_TRY(const ContainerFs fs, ContainerFs::open(*m_store, record, ContainerFs::View::Read));
    const QString &typed = request.containerPath;
    const QByteArray typedClean = cleanContainerPath(typed.toUtf8());
    const bool currentDir = specifiesCurrentDir(typed);
    QByteArray clean = typedClean;
    if (request.followLink || currentDir || hasTrailingSlash(typed)) {
        auto followed = followInRoot(fs.rootFd(), typedClean);
        if (!followed)
            return followed.error().code == ErrorCode::NotFound ? notFoundIn(typed, request.container) : followed.error();
        clean = *followed;
    }
    auto src = lookupInRoot(fs.rootFd(), clean);
    if (!src && src.error().code != ErrorCode::NotFound)
        return src.error().context(QStringLiteral("copy %1 from container %2").arg(typed, request.container));
    if (!src || !src->exists)
        return notFoundIn(typed, request.container);
    const bool isDir = S_ISDIR(src->st.st_mode);
    if (!isDir && (currentDir || hasTrailingSlash(typed)))
        return Error(ErrorCode::InvalidArgument,
                     QStringLiteral("copy %1 from container %2: not a directory").arg(typed, request.container));
    const QByteArray tarName = currentDir || typedClean.isEmpty() ? QByteArray(".") : baseName(typedClean);

    if (request.hostPath == QLatin1String("-")) {
        store::FdSink out(STDOUT_FILENO, QStringLiteral("standard output"));
        PH_TRY(const layer::TarWriteStats stats, layer::writeTreeTar(src->parent.get(), src->name, tarName, out, cancel));
        (void)stats;
        PH_CHECK(out.finish());
        return CopyResult{out.bytes()};
    }
    PH_TRY(const HostTarget target, hostTarget(request.hostPath, isDir, tarName));
    layer::UnpackOptions opts = copyOptions(request.hostPath, std::pair<uint, uint>(::geteuid(), ::getegid()));
    // What a container made must not become a way into the host: no device
    // node (it would open the host's disk), and no setuid, setgid or file
    // capability unless -a asks for the files as they are.
    opts.devices = false;
    opts.privileges = request.archive;
    layer::UnpackResult extracted;
    PH_TRY(const qint64 bytes, pipeThrough(
               [&](ByteSink &sink) {
                   auto w = layer::writeTreeTar(src->parent.get(), src->name, target.tarName, sink, cancel);
                   return w ? Status() : Status(w.error());
               },
               [&](ByteSource &tar) { return extractInto(tar, target.dir.get(), opts, cancel, &extracted); }));
    return CopyResult{bytes, skippedDeviceWarnings(extracted, target.dirPath)};
}

Result<CopyResult> Containers::copyTo(const CopyRequest &request, const CancelToken &cancel)
{
    store::ContainerStore containers(*m_store);
    PH_TRY(const store::ContainerRecord record, resolveContainer(containers, request.container));
    PH_TRY(const ContainerFs fs, ContainerFs::open(*m_store, record, ContainerFs::View::Write));
    // A running read-only container refuses by itself (EROFS), except in its
    // volumes; a stopped one has none mounted.
    if (record.config.readOnly && !fs.running())
        return Error(ErrorCode::FailedPrecondition, QStringLiteral("container rootfs is marked read-only"));
    const QString &typed = request.containerPath;
    QByteArray dstClean = cleanContainerPath(typed.toUtf8());
    auto dst = lookupInRoot(fs.rootFd(), dstClean);
    if (dst && dst->exists && S_ISLNK(dst->st.st_mode)) {
        PH_TRY(dstClean, followInRoot(fs.rootFd(), dstClean));
        dst = lookupInRoot(fs.rootFd(), dstClean);
    }
    const bool exists = dst && dst->exists;
    const bool isDir = exists && S_ISDIR(dst->st.st_mode);
    const QString shownDest = request.container + u':' + typed;
    if (exists && !isDir && !S_ISREG(dst->st.st_mode))
        return Error(ErrorCode::InvalidArgument,
                     QStringLiteral("destination \"%1\" must be a directory or a regular file").arg(shownDest));
    const std::optional<std::pair<uint, uint>> owner
        = request.archive ? std::nullopt : std::optional<std::pair<uint, uint>>(std::pair<uint, uint>(0, 0));
    const layer::UnpackOptions opts = copyOptions(shownDest, owner);
    const auto extractionPoint = [&](const QByteArray &clean) -> Result<UniqueFd> {
        auto dir = openDirInRoot(fs.rootFd(), clean);
        if (!dir && dir.error().code == ErrorCode::NotFound)
            return notFoundIn(QLatin1Char('/') + QString::fromUtf8(clean), request.container);
        if (!dir)
            return Error(ErrorCode::InvalidArgument, QStringLiteral("extraction point is not a directory"));
        return dir;
    };

    if (request.hostPath == QLatin1String("-")) {
        if (!isDir)
            return Error(ErrorCode::InvalidArgument, QStringLiteral("destination \"%1\" must be a directory").arg(shownDest));
        PH_TRY(const UniqueFd into, extractionPoint(dstClean));
        FdSource in(STDIN_FILENO, QStringLiteral("standard input"));
        CountingSource counted(in);
        PH_CHECK(extractInto(counted, into.get(), opts, cancel));
        return CopyResult{counted.bytes()};
    }
    PH_TRY(const HostSource src, hostSource(request.hostPath, request.followLink));
    QByteArray intoPath = layer::splitParent(dstClean).first;
    QByteArray tarName = baseName(dstClean);
    if (isDir) {
        intoPath = dstClean;
        tarName = src.tarName;
    } else if (exists && src.isDir) {
        return Error(ErrorCode::InvalidArgument, QStringLiteral("copy to %1: cannot copy directory").arg(shownDest));
    } else if (!exists && (hasTrailingSlash(typed) || specifiesCurrentDir(typed))) {
        if (!src.isDir || specifiesCurrentDir(typed))
            return src.isDir ? notFoundIn(QLatin1Char('/') + QString::fromUtf8(dstClean), request.container)
                             : Error(ErrorCode::NotFound, QStringLiteral("copy to %1: no such directory").arg(shownDest));
    }
    PH_TRY(const UniqueFd into, extractionPoint(intoPath));
    PH_TRY(const qint64 bytes, pipeThrough(
               [&](ByteSink &sink) {
                   auto w = layer::writeTreeTar(src.parent.get(), src.name, tarName, sink, cancel);
                   return w ? Status() : Status(w.error());
               },
               [&](ByteSource &tar) { return extractInto(tar, into.get(), opts, cancel); }));
    return CopyResult{bytes};
}

Status Containers::exportTo(const ExportRequest &request, const CancelToken &cancel)
{
    store::ContainerStore containers(*m_store);
    PH_TRY(const store::ContainerRecord record, resolveContainer(containers, request.container));
    PH_TRY(const ContainerFs fs, ContainerFs::open(*m_store, record, ContainerFs::View::Flattened));
    const QString step = QStringLiteral("export container %1").arg(request.container);
    const auto write = [&](int fd, const QString &name, store::FdSink::Options options) -> Status {
        store::FdSink sink(fd, name, options);
        auto w = layer::writeTreeTar(fs.rootFd(), ".", {}, sink, cancel);
        if (!w)
            return w.error().context(step);
        return sink.finish();
    };
    if (request.outputPath.isEmpty() || request.outputPath == QLatin1String("-"))
        return write(STDOUT_FILENO, QStringLiteral("standard output"), {});

    // Nothing under the final name until the last byte is written.
    store::OutputFile out;
    PH_CHECK(out.open(request.outputPath, step));
    PH_CHECK(write(out.fd(), request.outputPath, {.writeBehind = true}));
    return out.commit();
}

} // namespace porthole::container
