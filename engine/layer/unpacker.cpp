#include "layer/unpacker.h"

#include "layer/budgetsource.h"
#include "layer/decompresssource.h"
#include "layer/extractor.h"
#include "layer/inroot.h"
#include "layer/tarreader.h"
#include "store/fsutil.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <cerrno>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace porthole::layer {

bool runningAsRoot() { return ::geteuid() == 0; }

namespace {

Result<UnpackResult> extractInto(ByteSource &blob, int rootFd, const UnpackOptions &opts, const CancelToken &cancel,
                                 const ProgressSink &progress, const QString &step)
{
    InRoot root(UniqueFd(::fcntl(rootFd, F_DUPFD_CLOEXEC, 0)));
    PeekSource peek(blob);
    auto head = peek.peek(kCompressionMagicSize);
    if (!head)
        return head.error().context(step);
    DecompressSource decompressed(peek, detectCompression(*head));
    DigestingSource hashed(decompressed);
    // Reads go through the diff ID hash; the ratio is against the blob's bytes.
    BudgetSource budget(hashed, decompressed, opts.limits, QStringLiteral("the uncompressed layer"));
    budget.setProgress(&progress, opts.name, opts.compressedSize);

    TarReader reader(budget, step);
    UnpackResult result;
    result.compression = decompressed.compression();
    Extractor extractor(root, reader.handle(), reader, opts, cancel, step, result);
    for (;;) {
        PH_CHECK(cancel.check(step));
        PH_TRY(struct archive_entry *entry, reader.next());
        if (!entry)
            break;
        if (++result.entries > opts.limits.maxEntries)
            return Error(ErrorCode::InvalidArgument,
                         QStringLiteral("%1: the layer has more than the limit of %2 entries").arg(step).arg(opts.limits.maxEntries));
        PH_CHECK(extractor.extract(entry));
    }
    // The diff ID covers the padding after the end-of-archive marker too.
    if (auto st = drain(budget); !st)
        return st.error().context(step);
    PH_CHECK(extractor.finishDirs());
    result.tarSize = qint64(hashed.bytes());
    result.diffId = hashed.finish();
    if (opts.expectedDiffId.isValid() && result.diffId != opts.expectedDiffId)
        return Error(ErrorCode::InvalidArgument, QStringLiteral("%1: the layer's diff ID is %2, but %3 was expected")
                                                     .arg(step, result.diffId.toString(), opts.expectedDiffId.toString()));
    const qint64 packed = decompressed.compressedBytesRead();
    report(progress, {opts.name, QStringLiteral("Done"), packed, packed});
    return result;
}

struct Target {
    UniqueFd fd;
    bool created = false;
};

Result<Target> prepareTarget(const QString &dir, const QString &step)
{
    if (auto st = store::makeDirs(QFileInfo(dir).absolutePath()); !st)
        return st.error().context(step);
    const QByteArray path = QFile::encodeName(dir);
    Target t;
    if (::mkdir(path.constData(), 0755) == 0)
        t.created = true;
    else if (errno != EEXIST)
        return Error::fromErrno(QStringLiteral("%1: create %2").arg(step, dir), errno);
    t.fd.reset(::open(path.constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!t.fd.valid())
        return Error::fromErrno(QStringLiteral("%1: open %2").arg(step, dir), errno);
    if (t.created)
        ::fchmod(t.fd.get(), 0755); // the overlay root's mode; mkdir's went through the umask
    else if (!QDir(dir).isEmpty(QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot))
        return Error(ErrorCode::FailedPrecondition, QStringLiteral("%1: the target %2 is not empty").arg(step, dir));
    return t;
}

} // namespace

Result<UnpackResult> unpackLayer(ByteSource &compressedBlob, const QString &targetDir, const UnpackOptions &opts,
                                 const CancelToken &cancel, const ProgressSink &progress)
{
    const QString step = opts.name.isEmpty() ? QStringLiteral("unpack layer") : QStringLiteral("unpack layer ") + opts.name;
    PH_TRY(Target target, prepareTarget(targetDir, step));
    auto result = extractInto(compressedBlob, target.fd.get(), opts, cancel, progress, step);
    if (!result) {
        Error error = result.error();
        Status removed = removeContents(target.fd.get(), QStringLiteral("remove the partial layer"));
        if (removed && target.created && ::rmdir(QFile::encodeName(targetDir).constData()) != 0)
            removed = Error::fromErrno(QStringLiteral("remove the partial layer %1").arg(targetDir), errno);
        if (!removed)
            error.message += QStringLiteral(" (and %1)").arg(removed.error().message);
        return error;
    }
    return result;
}

Result<UnpackResult> extractTar(ByteSource &tar, int dirFd, const UnpackOptions &opts, const CancelToken &cancel,
                                const ProgressSink &progress)
{
    const QString step = opts.name.isEmpty() ? QStringLiteral("extract tar") : QStringLiteral("extract tar ") + opts.name;
    return extractInto(tar, dirFd, opts, cancel, progress, step);
}

} // namespace porthole::layer
