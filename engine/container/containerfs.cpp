#include "container/containerfs.h"

#include "runtime/cgroup.h"
#include "runtime/rootfs.h"
#include "container/shimsetup.h"
#include "store/store.h"

#include <QElapsedTimer>
#include <QFile>
#include <QList>
#include <QThread>

#include <cerrno>
#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <thread>
#include <unistd.h>

namespace porthole::container {

using layer::UniqueFd;

namespace {

constexpr int kMaxLinks = 255;        // docker's FollowSymlinkInScope limit
constexpr int kLockWaitMs = 10000;    // another cp holding the lock of a stopped container

QString shown(const QByteArray &clean) { return QLatin1Char('/') + QString::fromUtf8(clean); }

Error resolveError(const QByteArray &clean, int err)
{
    if (err == ENOENT)
        return Error(ErrorCode::NotFound, QStringLiteral("%1 does not exist").arg(shown(clean)), err);
    if (err == ENOTDIR)
        return Error(ErrorCode::InvalidArgument, QStringLiteral("%1 is not a directory").arg(shown(clean)), err);
    if (err == ELOOP)
        return Error(ErrorCode::InvalidArgument, QStringLiteral("%1 has too many levels of symbolic links").arg(shown(clean)), err);
    return Error::fromErrno(QStringLiteral("resolve %1 in the container").arg(shown(clean)), err);
}

QByteArray joinParts(const QList<QByteArray> &parts)
{
    QByteArray out;
    for (const QByteArray &p : parts)
        out += (out.isEmpty() ? "" : "/") + p;
    return out;
}

struct PrivateMount {
    UniqueFd root;
    UniqueFd mountNamespace;
};

// The overlay is mounted by a thread of its own in a mount namespace of its
// own: the thread's working directory (where the short lowerdir names
// resolve) is private to it, and the mount is never attached anywhere the
// host or another process can see. The namespace lives while we hold its fd
// and goes with it (also when this process is killed), taking the mount
// along; so no error path can leak a mount. Holding it until we are done
// also keeps its teardown, a burst of mount changes that makes lookups with
// ".." retry (inroot.h), out of our own copying.
Result<PrivateMount> mountOverlayPrivately(const QString &linkDir, const QByteArray &options, bool readOnly)
{
    const QByteArray dir = QFile::encodeName(linkDir);
    int fd = -1;
    int nsFd = -1;
    int err = 0;
    const char *failed = nullptr;
    std::thread helper([&] {
        const auto fail = [&](const char *step) {
            failed = step;
            err = errno;
        };
        if (::unshare(CLONE_NEWNS | CLONE_FS) != 0)
            return fail("enter a private mount namespace");
        if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0)
            return fail("make the private mount namespace private");
        if (::chdir(dir.constData()) != 0)
            return fail("enter the layer link directory");
        const unsigned long flags = MS_NOSUID | MS_NODEV | MS_NOEXEC | (readOnly ? MS_RDONLY : 0);
        if (::mount("overlay", dir.constData(), "overlay", flags, options.constData()) != 0)
            return fail("mount the container's overlay");
        fd = ::open(dir.constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
            return fail("open the container's overlay");
        nsFd = ::open("/proc/thread-self/ns/mnt", O_RDONLY | O_CLOEXEC);
    });
    helper.join();
    PrivateMount m{UniqueFd(fd), UniqueFd(nsFd)};
    if (failed)
        return Error::fromErrno(QString::fromLatin1(failed), err);
    return m;
}

Result<PrivateMount> mountStopped(store::Store &store, const store::ContainerRecord &record, bool writable)
{
    const store::ContainerStore containers(store);
    const QString id = record.config.id;
    PH_TRY(const LowerLayers lowers, linkLowerLayers(store, record.config.diffIds));
    // An upper dir is in overlay form, so it serves as the topmost lower
    // layer of a read-only overlay, which needs no work dir.
    const QByteArray options = writable
        ? runtime::overlayMountOptions(lowers.names, containers.upperDir(id), containers.workDir(id))
        : runtime::overlayMountOptions(QStringList{containers.upperDir(id)} + lowers.names, {}, {});
    auto fd = mountOverlayPrivately(lowers.linkDir, options, !writable);
    if (!fd)
        return fd.error().context(QStringLiteral("open the files of container %1").arg(record.config.name));
    return fd;
}

// The root pid 1 sees, once pid 1 is known to be this container's: a pid
// read from state.json may have been reused by now. The /proc/<pid> fd pins
// that one process, so its root cannot be another's.
Result<UniqueFd> openLiveRoot(const QString &id, qint64 pid)
{
    const auto gone = [&](int err) {
        return Error(ErrorCode::Unavailable, QStringLiteral("container %1 stopped while its files were opened").arg(id.left(12)), err);
    };
    const UniqueFd proc(::open(QByteArray("/proc/" + QByteArray::number(pid)).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!proc.valid())
        return gone(errno);
    const UniqueFd cgroupFile(::openat(proc.get(), "cgroup", O_RDONLY | O_CLOEXEC));
    QByteArray cgroups;
    char buf[4096];
    for (ssize_t n; cgroupFile.valid() && (n = ::read(cgroupFile.get(), buf, sizeof buf)) > 0;)
        cgroups.append(buf, n);
    const QByteArray ours = '/' + runtime::containerCgroupPath(id).toUtf8();
    bool inCgroup = false;
    for (const QByteArray &line : cgroups.split('\n')) {
        const qsizetype path = line.indexOf(':', line.indexOf(':') + 1); // "id:controllers:path"
        inCgroup |= path > 0 && line.mid(path + 1).endsWith(ours);
    }
    if (!inCgroup)
        return gone(ESRCH);
    UniqueFd root(::openat(proc.get(), "root", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!root.valid())
        return gone(errno);
    return root;
}

} // namespace

Result<ContainerFs> ContainerFs::open(store::Store &store, const store::ContainerRecord &record, View view)
{
    const store::ContainerStore containers(store);
    const QString id = record.config.id;
    QElapsedTimer waited;
    waited.start();
    for (;;) {
        PH_TRY(const store::ContainerRecord now, containers.load(id));
        const store::ContainerState state = containers.effectiveState(now);
        ContainerFs fs;
        if (state.isLive()) {
            fs.m_running = true;
            if (view != View::Flattened) {
                auto root = openLiveRoot(id, state.pid);
                if (root) {
                    fs.m_root = std::move(*root);
                    return fs;
                }
                if (containers.shimAlive(id) && waited.elapsed() > kLockWaitMs)
                    return root.error();
            } else {
                PH_TRY(PrivateMount m, mountStopped(store, now, false));
                fs.m_root = std::move(m.root);
                fs.m_namespace = std::move(m.mountNamespace);
                return fs;
            }
        } else {
            // The shim takes shim.lock exclusively before it starts the
            // container, so while we hold it the container cannot start.
            const auto mode = view == View::Write ? store::FileLock::Mode::Exclusive : store::FileLock::Mode::Shared;
            auto lock = store::FileLock::tryAcquire(containers.shimLockPath(id), mode);
            if (lock) {
                fs.m_lock = std::move(*lock);
                PH_TRY(PrivateMount m, mountStopped(store, now, view == View::Write));
                fs.m_root = std::move(m.root);
                fs.m_namespace = std::move(m.mountNamespace);
                return fs;
            }
            if (lock.error().code != ErrorCode::Unavailable)
                return lock.error();
            if (waited.elapsed() > kLockWaitMs)
                return Error(ErrorCode::Unavailable,
                             QStringLiteral("container %1 is busy: it is starting, or another copy into it is running")
                                 .arg(record.config.name));
        }
        QThread::msleep(20);
    }
}

QByteArray cleanContainerPath(QByteArrayView path)
{
    QList<QByteArray> parts;
    for (const QByteArray &p : path.toByteArray().split('/')) {
        if (p == "..") {
            if (!parts.isEmpty())
                parts.removeLast();
        } else if (!p.isEmpty() && p != ".") {
            parts.append(p);
        }
    }
    return joinParts(parts);
}

Result<InRootEntry> lookupInRoot(int rootFd, const QByteArray &cleanPath)
{
    InRootEntry entry;
    const auto [dir, name] = layer::splitParent(cleanPath);
    entry.parent.reset(layer::openInRoot(rootFd, dir.isEmpty() ? "." : dir.constData(), O_RDONLY | O_DIRECTORY));
    if (!entry.parent.valid())
        return resolveError(dir, errno);
    entry.name = name.isEmpty() ? QByteArray(".") : name;
    if (::fstatat(entry.parent.get(), entry.name.constData(), &entry.st, AT_SYMLINK_NOFOLLOW) == 0)
        entry.exists = true;
    else if (errno != ENOENT)
        return resolveError(cleanPath, errno);
    return entry;
}

Result<UniqueFd> openDirInRoot(int rootFd, const QByteArray &cleanPath)
{
    UniqueFd fd(layer::openInRoot(rootFd, cleanPath.isEmpty() ? "." : cleanPath.constData(), O_RDONLY | O_DIRECTORY));
    if (!fd.valid())
        return resolveError(cleanPath, errno);
    return fd;
}

// One component at a time from the root, the resolved prefix kept as text:
// each directory is opened with O_NOFOLLOW below the one before, and a
// symlink's target is spliced into what is left to walk (an absolute one
// restarting at the root), so ".." in a target means the real parent.
Result<QByteArray> followInRoot(int rootFd, const QByteArray &cleanPath)
{
    QList<QByteArray> done;
    QList<QByteArray> todo = cleanPath.split('/');
    todo.removeAll(QByteArray());
    UniqueFd current(::fcntl(rootFd, F_DUPFD_CLOEXEC, 0));
    int links = 0;
    while (!todo.isEmpty() && current.valid()) {
        const QByteArray part = todo.takeFirst();
        if (part.isEmpty() || part == ".")
            continue;
        if (part == "..") {
            if (!done.isEmpty())
                done.removeLast();
            PH_TRY(current, openDirInRoot(rootFd, joinParts(done)));
            continue;
        }
        struct stat st {};
        if (::fstatat(current.get(), part.constData(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
            if (errno != ENOENT)
                return resolveError(joinParts(done + QList<QByteArray>{part}), errno);
            done += part; // missing: the rest stays as written
            done += todo;
            return cleanContainerPath(joinParts(done));
        }
        if (S_ISLNK(st.st_mode)) {
            if (++links > kMaxLinks)
                return resolveError(cleanPath, ELOOP);
            QByteArray target(PATH_MAX + 1, '\0');
            const ssize_t n = ::readlinkat(current.get(), part.constData(), target.data(), size_t(target.size()));
            if (n < 0)
                return resolveError(joinParts(done + QList<QByteArray>{part}), errno);
            target.truncate(n);
            if (target.startsWith('/')) {
                done.clear();
                current.reset(::fcntl(rootFd, F_DUPFD_CLOEXEC, 0));
            }
            QList<QByteArray> spliced = target.split('/');
            spliced.removeAll(QByteArray());
            todo = spliced + todo;
            continue;
        }
        done += part;
        if (todo.isEmpty())
            break;
        if (!S_ISDIR(st.st_mode))
            return resolveError(joinParts(done), ENOTDIR);
        current.reset(::openat(current.get(), part.constData(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
        if (!current.valid())
            return resolveError(joinParts(done), errno);
    }
    if (!current.valid())
        return Error::fromErrno(QStringLiteral("resolve %1 in the container").arg(shown(cleanPath)), errno);
    return joinParts(done);
}

} // namespace porthole::container
