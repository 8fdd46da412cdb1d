#include "runtime/rootfs.h"

#include <QFile>

#include <cerrno>
#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

namespace porthole::runtime {

namespace {

QByteArray enc(const QString &s) { return QFile::encodeName(s); }

Status doMount(const QByteArray &source, const QByteArray &target, const char *type, unsigned long flags,
               const QByteArray &data = {})
{
    if (::mount(source.constData(), target.constData(), type, flags, data.isEmpty() ? nullptr : data.constData()) != 0)
        return Error::fromErrno(QStringLiteral("mount %1 on %2").arg(QString::fromUtf8(type ? type : "bind"),
                                                                      QString::fromLocal8Bit(target)), errno);
    return {};
}

// Opens (creating as needed) a path inside root without following any
// symlink out of it: a hostile image cannot make a bind land on the host.
Result<int> openInRoot(const QString &root, const QString &path, bool directory)
{
    const int rootFd = ::open(enc(root).constData(), O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (rootFd < 0)
        return Error::fromErrno(QStringLiteral("open %1").arg(root), errno);
    int dirFd = rootFd;
    const QStringList parts = path.split(u'/', Qt::SkipEmptyParts);
    for (qsizetype i = 0; i < parts.size(); ++i) {
        const bool last = i == parts.size() - 1;
        const QByteArray name = enc(parts[i]);
        if (name == "..") {
            ::close(rootFd);
            if (dirFd != rootFd)
                ::close(dirFd);
            return Error(ErrorCode::InvalidArgument, QStringLiteral("mount destination %1 has \"..\"").arg(path));
        }
        open_how how{};
        how.flags = O_PATH | O_CLOEXEC | (last && !directory ? 0 : O_DIRECTORY);
        how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
        int fd = int(::syscall(SYS_openat2, dirFd, name.constData(), &how, sizeof how));
        if (fd < 0 && errno == ENOENT) {
            if (!last || directory)
                ::mkdirat(dirFd, name.constData(), 0755);
            else
                ::close(::openat(dirFd, name.constData(), O_CREAT | O_WRONLY | O_CLOEXEC | O_NOFOLLOW, 0644));
            fd = int(::syscall(SYS_openat2, dirFd, name.constData(), &how, sizeof how));
        }
        const int err = errno;
        if (dirFd != rootFd)
            ::close(dirFd);
        if (fd < 0) {
            ::close(rootFd);
            return Error::fromErrno(QStringLiteral("prepare mount point %1 in the container").arg(path), err);
        }
        dirFd = fd;
    }
    if (dirFd == rootFd)
        return dirFd;
    ::close(rootFd);
    return dirFd;
}

QByteArray fdPath(int fd) { return QByteArray("/proc/self/fd/") + QByteArray::number(fd); }

Status bindInto(const QString &root, const QString &source, const QString &destination, bool readOnly)
{
    struct stat st {};
    if (::stat(enc(source).constData(), &st) != 0)
        return Error::fromErrno(QStringLiteral("bind mount source %1").arg(source), errno);
    PH_TRY(const int target, openInRoot(root, destination, S_ISDIR(st.st_mode)));
    Status s = doMount(enc(source), fdPath(target), nullptr, MS_BIND | MS_REC);
    if (s && readOnly)
        s = doMount({}, fdPath(target), nullptr, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_REC);
    ::close(target);
    return s;
}

Status makeDev(const QString &root)
{
    const QByteArray dev = enc(root + QStringLiteral("/dev"));
    ::mkdir(dev.constData(), 0755);
    PH_CHECK(doMount("tmpfs", dev, "tmpfs", MS_NOSUID | MS_STRICTATIME, "mode=755,size=65536k"));
    struct Node {
        const char *name;
        unsigned major, minor;
    };
    static const Node nodes[] = {{"null", 1, 3}, {"zero", 1, 5}, {"full", 1, 7},
                                 {"random", 1, 8}, {"urandom", 1, 9}, {"tty", 5, 0}};
    const mode_t oldMask = ::umask(0);
    for (const Node &n : nodes) {
        const QByteArray path = dev + '/' + n.name;
        if (::mknod(path.constData(), S_IFCHR | 0666, makedev(n.major, n.minor)) != 0) {
            // Without CAP_MKNOD (a user namespace) bind the host's node instead.
            ::close(::open(path.constData(), O_CREAT | O_WRONLY | O_CLOEXEC, 0666));
            PH_CHECK(doMount(QByteArray("/dev/") + n.name, path, nullptr, MS_BIND));
        }
    }
    ::umask(oldMask);
    static const char *const links[][2] = {{"/proc/self/fd", "fd"}, {"/proc/self/fd/0", "stdin"},
                                           {"/proc/self/fd/1", "stdout"}, {"/proc/self/fd/2", "stderr"},
                                           {"pts/ptmx", "ptmx"}, {"/proc/kcore", "core"}};
    for (const auto &l : links)
        ::symlink(l[0], (dev + '/' + l[1]).constData());
    for (const char *d : {"pts", "shm", "mqueue"})
        ::mkdir((dev + '/' + d).constData(), 0755);
    PH_CHECK(doMount("devpts", dev + "/pts", "devpts", MS_NOSUID | MS_NOEXEC,
                     "newinstance,ptmxmode=0666,mode=0620,gid=5"));
    PH_CHECK(doMount("shm", dev + "/shm", "tmpfs", MS_NOSUID | MS_NOEXEC | MS_NODEV, "mode=1777,size=65536k"));
    PH_CHECK(doMount("mqueue", dev + "/mqueue", "mqueue", MS_NOSUID | MS_NOEXEC | MS_NODEV));
    return {};
}

Status mountSys(const QString &root, bool ownNetns)
{
    const QByteArray sys = enc(root + QStringLiteral("/sys"));
    ::mkdir(sys.constData(), 0555);
    const unsigned long flags = MS_NOSUID | MS_NOEXEC | MS_NODEV | MS_RDONLY;
    if (ownNetns && ::mount("sysfs", sys.constData(), "sysfs", flags, nullptr) == 0)
        return {};
    // With the host's network namespace sysfs cannot be mounted anew: bind
    // the host's, read-only.
    PH_CHECK(doMount("/sys", sys, nullptr, MS_BIND | MS_REC));
    return doMount({}, sys, nullptr, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_REC);
}

} // namespace

Status setupRootfs(const RuntimeSpec &spec)
{
    // Nothing done here may propagate back to the host's mounts.
    PH_CHECK(doMount({}, "/", nullptr, MS_REC | MS_PRIVATE));

    // Short relative lowerdir names keep 125 layers under the one-page limit.
    if (::chdir(enc(spec.layerLinkDir).constData()) != 0)
        return Error::fromErrno(QStringLiteral("enter %1").arg(spec.layerLinkDir), errno);
    const QByteArray options = "lowerdir=" + enc(spec.lowerNames.join(u':')) + ",upperdir=" + enc(spec.upperDir)
        + ",workdir=" + enc(spec.workDir) + ",index=off,redirect_dir=off,metacopy=off";
    PH_CHECK(doMount("overlay", enc(spec.rootfs), "overlay", 0, options));

    const QString &root = spec.rootfs;
    for (const BindMount &b : spec.binds)
        PH_CHECK(bindInto(root, b.source, b.destination, b.readOnly));

    PH_TRY(const int procFd, openInRoot(root, QStringLiteral("/proc"), true));
    const Status procStatus = doMount("proc", fdPath(procFd), "proc", MS_NOSUID | MS_NOEXEC | MS_NODEV);
    ::close(procFd);
    PH_CHECK(procStatus);
    PH_CHECK(makeDev(root));
    PH_CHECK(mountSys(root, spec.newNetworkNamespace));

    const struct {
        const QString &file;
        const char *dest;
    } etcFiles[] = {{spec.hostnameFile, "/etc/hostname"}, {spec.hostsFile, "/etc/hosts"},
                    {spec.resolvConfFile, "/etc/resolv.conf"}};
    for (const auto &f : etcFiles) {
        if (!f.file.isEmpty())
            PH_CHECK(bindInto(root, f.file, QString::fromLatin1(f.dest), false));
    }

    if (spec.readOnly)
        PH_CHECK(doMount({}, enc(root), nullptr, MS_BIND | MS_REMOUNT | MS_RDONLY));

    // pivot_root(".", ".") stacks the old root under the new one; detaching
    // it leaves only the container's tree (runc's trick, no .oldroot dir).
    if (::chdir(enc(root).constData()) != 0)
        return Error::fromErrno(QStringLiteral("enter the container root"), errno);
    if (::syscall(SYS_pivot_root, ".", ".") != 0)
        return Error::fromErrno(QStringLiteral("pivot_root into the container"), errno);
    if (::umount2(".", MNT_DETACH) != 0)
        return Error::fromErrno(QStringLiteral("detach the host root"), errno);
    if (::chdir("/") != 0)
        return Error::fromErrno(QStringLiteral("enter /"), errno);
    return {};
}

Status applyMaskedAndReadonlyPaths()
{
    static const char *const masked[] = {"/proc/asound", "/proc/acpi", "/proc/kcore", "/proc/keys",
                                         "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats",
                                         "/proc/sched_debug", "/proc/scsi", "/sys/firmware",
                                         "/sys/devices/virtual/powercap"};
    for (const char *path : masked) {
        struct stat st {};
        if (::stat(path, &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode))
            PH_CHECK(doMount("tmpfs", path, "tmpfs", MS_RDONLY, "size=0"));
        else
            PH_CHECK(doMount("/dev/null", path, nullptr, MS_BIND));
    }
    static const char *const readonly[] = {"/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"};
    for (const char *path : readonly) {
        if (::access(path, F_OK) != 0)
            continue;
        PH_CHECK(doMount(path, path, nullptr, MS_BIND | MS_REC));
        PH_CHECK(doMount({}, path, nullptr, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_REC));
    }
    return {};
}

} // namespace porthole::runtime
