#include "runtime/rootfs.h"

#include "layer/inroot.h"
#include "runtime/security.h"

#include <QFile>

#include <cerrno>
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <utility>

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

QByteArray fdPath(int fd) { return QByteArray("/proc/self/fd/") + QByteArray::number(fd); }

// Sets attributes on the mount at fd and every mount below it: a remount
// with MS_RDONLY changes one mount only, so a read-only /sys or bind would
// leave its submounts (cgroups, a volume's own mounts) writable.
Status setMountAttrRecursive(int fd, quint64 attrs, const QString &what)
{
    mount_attr attr{};
    attr.attr_set = attrs;
    if (::mount_setattr(fd, "", AT_EMPTY_PATH | AT_RECURSIVE, &attr, sizeof attr) != 0)
        return Error::fromErrno(QStringLiteral("make %1 read-only").arg(what), errno);
    return {};
}

// Closes the descriptor it holds when it goes or takes another.
class Fd {
public:
    explicit Fd(int fd = -1) : m_fd(fd) {}
    Fd(const Fd &) = delete;
    Fd &operator=(const Fd &) = delete;
    ~Fd() { reset(); }
    void reset(int fd = -1)
    {
        if (m_fd >= 0)
            ::close(m_fd);
        m_fd = fd;
    }
    int get() const { return m_fd; }
    int release() { return std::exchange(m_fd, -1); }

private:
    int m_fd;
};

// "." and ".." applied as text, ".." stopping at "/" as RESOLVE_IN_ROOT
// does; only used on paths whose symlinks are already resolved.
QStringList clampedParts(const QString &path)
{
    QStringList out;
    for (const QString &p : path.split(u'/', Qt::SkipEmptyParts)) {
        if (p == QLatin1String("..")) {
            if (!out.isEmpty())
                out.removeLast();
        } else if (p != QLatin1String(".")) {
            out.append(p);
        }
    }
    return out;
}

QString hostPathOf(int fd)
{
    char buf[4096];
    const ssize_t n = ::readlink(fdPath(fd).constData(), buf, sizeof buf);
    return n > 0 && size_t(n) < sizeof buf ? QFile::decodeName(QByteArray(buf, n)) : QString();
}

// What a dangling symlink `name` in dirFd points to, as a path in the
// container; empty if it is no symlink.
QString danglingTarget(int rootFd, int dirFd, const QByteArray &name)
{
    char buf[4096];
    const ssize_t n = ::readlinkat(dirFd, name.constData(), buf, sizeof buf);
    if (n <= 0 || size_t(n) >= sizeof buf)
        return {};
    const QString target = QFile::decodeName(QByteArray(buf, n));
    if (target.startsWith(u'/'))
        return target;
    const QString root = hostPathOf(rootFd), dir = hostPathOf(dirFd);
    if (root.isEmpty() || !dir.startsWith(root))
        return {};
    return dir.mid(root.size()) + u'/' + target;
}

// Opens (creating as needed) a path inside root without following any
// symlink out of it: a hostile image cannot make a bind land on the host.
// Each prefix is resolved from the root, not from its parent, and a
// dangling symlink is created where it points, so a link in the image
// ("up -> ../../..", "resolv.conf -> /run/...") leads where it leads inside
// the running container, as runc resolves it.
Result<int> openInRoot(const QString &root, const QString &path, bool directory)
{
    Fd rootFd(::open(enc(root).constData(), O_PATH | O_DIRECTORY | O_CLOEXEC));
    if (rootFd.get() < 0)
        return Error::fromErrno(QStringLiteral("open %1").arg(root), errno);
    QStringList parts = clampedParts(path);
    Fd dir; // the resolved prefix; none yet means the root
    QByteArray prefix;
    int hops = 0;
    for (qsizetype i = 0; i < parts.size(); ++i) {
        const bool last = i == parts.size() - 1;
        const QByteArray name = enc(parts[i]);
        const QByteArray next = prefix.isEmpty() ? name : prefix + '/' + name;
        const int parentFd = dir.get() >= 0 ? dir.get() : rootFd.get();
        // layer::openInRoot retries the EAGAIN a concurrent mount or rename
        // anywhere on the machine gives a lookup with "..".
        const int flags = O_PATH | (last && !directory ? 0 : O_DIRECTORY);
        int fd = layer::openInRoot(rootFd.get(), next.constData(), flags);
        int err = errno;
        if (fd < 0 && err == ENOENT) {
            if (!last || directory)
                ::mkdirat(parentFd, name.constData(), 0755);
            else
                ::close(::openat(parentFd, name.constData(), O_CREAT | O_WRONLY | O_CLOEXEC | O_NOFOLLOW, 0644));
            fd = layer::openInRoot(rootFd.get(), next.constData(), flags);
            err = errno;
            if (fd < 0 && err == ENOENT) {
                const QString target = danglingTarget(rootFd.get(), parentFd, name);
                if (!target.isEmpty() && ++hops <= 40) {
                    parts = clampedParts(target + u'/' + parts.mid(i + 1).join(u'/'));
                    prefix.clear();
                    dir.reset();
                    i = -1;
                    continue;
                }
            }
        }
        if (fd < 0)
            return Error::fromErrno(QStringLiteral("prepare mount point %1 in the container").arg(path), err);
        dir.reset(fd);
        prefix = next;
    }
    // A link to "/" would put the bind over the container's root, and /proc,
    // /dev and the rest into the bind's host directory.
    struct stat rootSt {}, st {};
    if (dir.get() < 0 || (::fstat(rootFd.get(), &rootSt) == 0 && ::fstat(dir.get(), &st) == 0
                          && rootSt.st_dev == st.st_dev && rootSt.st_ino == st.st_ino))
        return Error(ErrorCode::InvalidArgument, QStringLiteral("mount destination %1 resolves to the container's root").arg(path));
    return dir.release();
}

Status bindInto(const QString &root, const QString &source, const QString &destination, bool readOnly)
{
    struct stat st {};
    if (::stat(enc(source).constData(), &st) != 0)
        return Error::fromErrno(QStringLiteral("bind mount source %1").arg(source), errno);
    PH_TRY(const int target, openInRoot(root, destination, S_ISDIR(st.st_mode)));
    const Status s = doMount(enc(source), fdPath(target), nullptr, MS_BIND | MS_REC);
    ::close(target);
    if (!s || !readOnly)
        return s;
    // The old fd names the directory under the new bind, and changing that
    // fails (EINVAL): resolve again to reach the bind's own root.
    PH_TRY(const int mounted, openInRoot(root, destination, S_ISDIR(st.st_mode)));
    const Status ro = setMountAttrRecursive(mounted, MOUNT_ATTR_RDONLY, destination);
    ::close(mounted);
    return ro;
}

// --device and --privileged nodes, made in the fresh /dev tmpfs (no image
// symlink can be there) with the host node's mode and owner.
Status makeExtraNodes(int devFd, const QList<DeviceNode> &nodes)
{
    for (const DeviceNode &n : nodes) {
        const QStringList parts = n.pathInContainer.mid(5).split(u'/', Qt::SkipEmptyParts);
        QByteArray rel;
        for (qsizetype i = 0; i + 1 < parts.size(); ++i) {
            rel += enc(parts[i]);
            ::mkdirat(devFd, rel.constData(), 0755);
            rel += '/';
        }
        rel += enc(parts.value(parts.size() - 1));
        ::unlinkat(devFd, rel.constData(), 0); // --device /dev/null replaces ours
        const mode_t type = n.type == 'b' ? S_IFBLK : S_IFCHR;
        if (::mknodat(devFd, rel.constData(), type | n.mode, makedev(n.major, n.minor)) != 0)
            return Error::fromErrno(QStringLiteral("create device %1 in the container").arg(n.pathInContainer), errno);
        if (::fchownat(devFd, rel.constData(), n.uid, n.gid, AT_SYMLINK_NOFOLLOW) != 0)
            return Error::fromErrno(QStringLiteral("set the owner of device %1").arg(n.pathInContainer), errno);
    }
    return {};
}

Status makeDev(const QString &root, const QList<DeviceNode> &extraNodes)
{
    // /dev is found inside the root (an image's "dev -> /tmp" cannot send the
    // tmpfs to the host); everything after happens in the fresh tmpfs, named
    // through its fd, where no symlink of the image can be.
    PH_TRY(const int under, openInRoot(root, QStringLiteral("/dev"), true));
    const Status mounted = doMount("tmpfs", fdPath(under), "tmpfs", MS_NOSUID | MS_STRICTATIME, "mode=755,size=65536k");
    ::close(under);
    PH_CHECK(mounted);
    PH_TRY(const int devFd, openInRoot(root, QStringLiteral("/dev"), true));
    const Fd devHolder(devFd);
    const QByteArray dev = fdPath(devFd);
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
    const mode_t oldMaskForNodes = ::umask(0);
    const Status made = makeExtraNodes(devFd, extraNodes);
    ::umask(oldMaskForNodes);
    return made;
}

Status mountSys(const QString &root, bool readOnly)
{
    PH_TRY(const int under, openInRoot(root, QStringLiteral("/sys"), true));
    const Fd underHolder(under);
    // A sysfs of our own, in every network mode: it has none of the host's
    // submounts (cgroups, debugfs, bpf), so nothing under it is writable.
    const unsigned long flags = MS_NOSUID | MS_NOEXEC | MS_NODEV | (readOnly ? MS_RDONLY : 0);
    if (::mount("sysfs", fdPath(under).constData(), "sysfs", flags, nullptr) == 0)
        return {};
    // Refused (a user namespace that does not own the host's network
    // namespace): bind the host's, then make it and everything mounted
    // under it read-only.
    PH_CHECK(doMount("/sys", fdPath(under), nullptr, MS_BIND | MS_REC));
    if (!readOnly)
        return {};
    PH_TRY(const int bound, openInRoot(root, QStringLiteral("/sys"), true));
    const Fd boundHolder(bound);
    return setMountAttrRecursive(bound, MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC,
                                 QStringLiteral("/sys"));
}

} // namespace

QByteArray overlayMountOptions(const QStringList &lowerNames, const QString &upperDir, const QString &workDir,
                               bool volatileUpper)
{
    QByteArray options = "lowerdir=" + enc(lowerNames.join(u':'));
    if (!upperDir.isEmpty())
        options += ",upperdir=" + enc(upperDir) + ",workdir=" + enc(workDir);
    return options + ",index=off,redirect_dir=off,metacopy=off" + (volatileUpper ? ",volatile" : "");
}

Status setupRootfs(const RuntimeSpec &spec)
{
    // Nothing done here may propagate back to the host's mounts.
    PH_CHECK(doMount({}, "/", nullptr, MS_REC | MS_PRIVATE));

    // Short relative lowerdir names keep 125 layers under the one-page limit.
    if (::chdir(enc(spec.layerLinkDir).constData()) != 0)
        return Error::fromErrno(QStringLiteral("enter %1").arg(spec.layerLinkDir), errno);
    const QByteArray options = overlayMountOptions(spec.lowerNames, spec.upperDir, spec.workDir, spec.volatileUpper);
    PH_CHECK(doMount("overlay", enc(spec.rootfs), "overlay", 0, options));

    const QString &root = spec.rootfs;
    for (const BindMount &b : spec.binds)
        PH_CHECK(bindInto(root, b.source, b.destination, b.readOnly));

    PH_TRY(const int procFd, openInRoot(root, QStringLiteral("/proc"), true));
    const Status procStatus = doMount("proc", fdPath(procFd), "proc", MS_NOSUID | MS_NOEXEC | MS_NODEV);
    ::close(procFd);
    PH_CHECK(procStatus);
    PH_CHECK(makeDev(root, spec.devices));
    PH_CHECK(mountSys(root, spec.confineSystemPaths));

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
    for (const QString &masked : maskedPaths()) {
        const QByteArray path = enc(masked);
        struct stat st {};
        if (::stat(path.constData(), &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode))
            PH_CHECK(doMount("tmpfs", path, "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, "size=0"));
        else
            PH_CHECK(doMount("/dev/null", path, nullptr, MS_BIND));
    }
    for (const QString &readOnly : readOnlyPaths()) {
        const QByteArray path = enc(readOnly);
        if (::access(path.constData(), F_OK) != 0)
            continue;
        PH_CHECK(doMount(path, path, nullptr, MS_BIND | MS_REC));
        const Fd bound(::open(path.constData(), O_PATH | O_CLOEXEC));
        if (bound.get() < 0)
            return Error::fromErrno(QStringLiteral("open %1").arg(readOnly), errno);
        PH_CHECK(setMountAttrRecursive(bound.get(), MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC,
                                       readOnly));
    }
    return {};
}

} // namespace porthole::runtime
