// How the upper dir maps to a layer tar follows umoci's tar_generate.go and
// containerd's archive/tar.go (overlay form in, OCI form out); docker's
// overlay diff (pkg/archive changes) for the A/C/D list.
#include "layer/upperdiff.h"

#include "layer/treewalk.h"
#include "layer/whiteout.h"

#include <QFile>
#include <QSet>

#include <algorithm>
#include <fcntl.h>
#include <sys/stat.h>

namespace porthole::layer {
namespace {

using namespace treewalk;

enum class LowerState { Absent, Present, Hidden };

// What one lower dir says about rel: the entry, a whiteout or opaque parent
// that hides everything below it, or nothing (look further down).
LowerState lowerState(const QByteArray &lower, const QByteArray &rel)
{
    struct stat st { };
    if (::lstat((lower + '/' + rel).constData(), &st) == 0)
        return isWhiteoutDevice(st) ? LowerState::Hidden : LowerState::Present;
    for (qsizetype slash = rel.lastIndexOf('/'); slash > 0; slash = rel.lastIndexOf('/', slash - 1)) {
        const Fd dir(::open((lower + '/' + rel.left(slash)).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
        if (dir.fd >= 0 && isOpaqueDir(dir.fd))
            return LowerState::Hidden;
    }
    return LowerState::Absent;
}

bool inLowers(const QByteArrayList &lowers, const QByteArray &rel)
{
    for (const QByteArray &lower : lowers) {
        const LowerState s = lowerState(lower, rel);
        if (s != LowerState::Absent)
            return s == LowerState::Present;
    }
    return false;
}

// Names a lower stack shows in directory rel: the ones an opaque upper dir hides.
QByteArrayList lowerNames(const QByteArrayList &lowers, const QByteArray &rel)
{
    QSet<QByteArray> seen;
    QByteArrayList visible;
    for (const QByteArray &lower : lowers) {
        const LowerState s = lowerState(lower, rel);
        if (s == LowerState::Hidden)
            break;
        if (s == LowerState::Absent)
            continue;
        const Fd dir(::open((lower + '/' + rel).constData(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
        if (dir.fd < 0)
            break; // a non-directory hides the lower ones
        auto names = listDir(dir.fd, rel);
        for (const QByteArray &name : names.valueOr({})) {
            if (seen.contains(name))
                continue;
            seen.insert(name);
            struct stat st { };
            if (::fstatat(dir.fd, name.constData(), &st, AT_SYMLINK_NOFOLLOW) == 0 && !isWhiteoutDevice(st))
                visible << name;
        }
        if (isOpaqueDir(dir.fd))
            break;
    }
    return visible;
}

} // namespace

Result<QList<Change>> diffUpper(const QString &upperDir, const QStringList &lowerDirs, const QStringList &excluded)
{
    const QString step = QStringLiteral("diff %1").arg(upperDir);
    PH_TRY(const Fd root, openRoot(upperDir, QStringLiteral("diff")));
    QByteArrayList lowers;
    for (const QString &l : lowerDirs)
        lowers << QFile::encodeName(l);
    const QSet<QByteArray> skip = normalizeExcluded(excluded);

    QList<Change> changes;
    const Status walked = walk(root.fd, {}, skip,
        [&](int dirFd, const QByteArray &name, const QByteArray &rel, const struct stat &st) -> Result<bool> {
            if (isWhiteoutDevice(st)) {
                changes << Change{Change::Deleted, show(rel)};
                return false;
            }
            changes << Change{inLowers(lowers, rel) ? Change::Changed : Change::Added, show(rel)};
            if (!S_ISDIR(st.st_mode))
                return false;
            PH_TRY(const Fd dir, openDirAt(dirFd, name, rel));
            if (isOpaqueDir(dir.fd)) {
                for (const QByteArray &hidden : lowerNames(lowers, rel)) {
                    const QByteArray child = join(rel, hidden);
                    struct stat ust { };
                    if (!skip.contains(child) && ::fstatat(dir.fd, hidden.constData(), &ust, AT_SYMLINK_NOFOLLOW) != 0)
                        changes << Change{Change::Deleted, show(child)};
                }
            }
            return true;
        });
    if (!walked)
        return walked.error().context(step);
    std::sort(changes.begin(), changes.end(), [](const Change &a, const Change &b) { return a.path < b.path; });
    return changes;
}

} // namespace porthole::layer
