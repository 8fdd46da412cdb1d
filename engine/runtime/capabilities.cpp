#include "runtime/capabilities.h"

#include <cerrno>
#include <fcntl.h>
#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace porthole::runtime {

namespace {

// Index = capability number, as in linux/capability.h.
const char *const kNames[] = {
    "CHOWN",            "DAC_OVERRIDE",   "DAC_READ_SEARCH", "FOWNER",     "FSETID",        "KILL",
    "SETGID",           "SETUID",         "SETPCAP",         "LINUX_IMMUTABLE", "NET_BIND_SERVICE",
    "NET_BROADCAST",    "NET_ADMIN",      "NET_RAW",         "IPC_LOCK",   "IPC_OWNER",     "SYS_MODULE",
    "SYS_RAWIO",        "SYS_CHROOT",     "SYS_PTRACE",      "SYS_PACCT",  "SYS_ADMIN",     "SYS_BOOT",
    "SYS_NICE",         "SYS_RESOURCE",   "SYS_TIME",        "SYS_TTY_CONFIG", "MKNOD",      "LEASE",
    "AUDIT_WRITE",      "AUDIT_CONTROL",  "SETFCAP",         "MAC_OVERRIDE", "MAC_ADMIN",   "SYSLOG",
    "WAKE_ALARM",       "BLOCK_SUSPEND",  "AUDIT_READ",      "PERFMON",    "BPF",           "CHECKPOINT_RESTORE",
};
constexpr int kNameCount = int(sizeof kNames / sizeof kNames[0]);

// The table is hand-written; pin a few entries to the kernel header.
static_assert(CAP_NET_ADMIN == 12 && CAP_SYS_ADMIN == 21 && CAP_MKNOD == 27 && CAP_SETFCAP == 31);
#ifdef CAP_CHECKPOINT_RESTORE
static_assert(CAP_CHECKPOINT_RESTORE == kNameCount - 1);
#endif

// Raw read: this runs between fork and exec, where stdio and Qt I/O are not
// safe. Falls back to the header's value when /proc is not mounted (yet).
int kernelLastCap()
{
    int last = kNameCount - 1;
    const int fd = ::open("/proc/sys/kernel/cap_last_cap", O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return last;
    char buf[16] = {};
    const ssize_t n = ::read(fd, buf, sizeof buf - 1);
    ::close(fd);
    if (n > 0 && buf[0] >= '0' && buf[0] <= '9') {
        last = 0;
        for (ssize_t i = 0; i < n && buf[i] >= '0' && buf[i] <= '9'; ++i)
            last = last * 10 + (buf[i] - '0');
    }
    return last < 64 ? last : 63;
}

struct CapState {
    __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
    __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3] = {};
};

quint64 join(__u32 low, __u32 high) { return quint64(low) | (quint64(high) << 32); }

Status capset(CapState &s, const QString &step)
{
    if (::syscall(SYS_capset, &s.header, s.data) != 0)
        return Error::fromErrno(step, errno);
    return {};
}

QString displayName(int cap)
{
    const QString name = capabilityName(cap);
    return name.isEmpty() ? QStringLiteral("capability %1").arg(cap) : name;
}

} // namespace

QList<int> dockerDefaultCapabilities()
{
    return {CAP_CHOWN,  CAP_DAC_OVERRIDE, CAP_FSETID,  CAP_FOWNER,  CAP_MKNOD,
            CAP_NET_RAW, CAP_SETGID,      CAP_SETUID,  CAP_SETFCAP, CAP_SETPCAP,
            CAP_NET_BIND_SERVICE, CAP_SYS_CHROOT, CAP_KILL, CAP_AUDIT_WRITE};
}

QList<int> knownCapabilities()
{
    QList<int> all;
    for (int i = 0; i < kNameCount; ++i)
        all.append(i);
    return all;
}

QList<int> permittedCapabilities()
{
    CapState s;
    if (::syscall(SYS_capget, &s.header, s.data) != 0)
        return {};
    const quint64 permitted = join(s.data[0].permitted, s.data[1].permitted);
    QList<int> out;
    for (int c = 0; c <= kernelLastCap(); ++c) {
        if (permitted & (quint64(1) << c))
            out.append(c);
    }
    return out;
}

Result<int> capabilityFromName(const QString &name)
{
    QString n = name.trimmed().toUpper();
    if (n.startsWith(QLatin1String("CAP_")))
        n = n.mid(4);
    for (int i = 0; i < kNameCount; ++i) {
        if (n == QLatin1String(kNames[i]))
            return i;
    }
    return Error(ErrorCode::InvalidArgument, QStringLiteral("unknown capability \"%1\"").arg(name));
}

QString capabilityName(int cap)
{
    if (cap < 0 || cap >= kNameCount)
        return {};
    return QStringLiteral("CAP_") + QLatin1String(kNames[cap]);
}

quint64 capabilityMask(const QList<int> &caps)
{
    quint64 mask = 0;
    for (int c : caps) {
        if (c >= 0 && c < 64)
            mask |= quint64(1) << c;
    }
    return mask;
}

Status applyCapabilities(const QList<int> &keep)
{
    const int lastCap = kernelLastCap();
    for (int c : keep) {
        if (c < 0 || c > lastCap)
            return Error(ErrorCode::InvalidArgument,
                         QStringLiteral("apply capabilities: %1 is beyond this kernel's last capability %2")
                             .arg(displayName(c)).arg(lastCap));
    }
    const quint64 want = capabilityMask(keep);

    CapState s;
    if (::syscall(SYS_capget, &s.header, s.data) != 0)
        return Error::fromErrno(QStringLiteral("apply capabilities: capget"), errno);
    const quint64 permitted = join(s.data[0].permitted, s.data[1].permitted);
    if (const quint64 missing = want & ~permitted) {
        const int cap = __builtin_ctzll(missing);
        return Error(ErrorCode::FailedPrecondition,
                     QStringLiteral("apply capabilities: %1 is not in this process's permitted set, "
                                    "so it cannot be kept")
                         .arg(displayName(cap)));
    }

    // After setuid() with KEEPCAPS the effective set is empty, and dropping
    // from the bounding set needs CAP_SETPCAP effective.
    for (auto &d : s.data)
        d.effective = d.permitted;
    PH_CHECK(capset(s, QStringLiteral("apply capabilities: raise effective set")));

    for (int c = 0; c <= lastCap; ++c) {
        if (want & (quint64(1) << c))
            continue;
        if (::prctl(PR_CAPBSET_DROP, c, 0, 0, 0) != 0) {
            const int err = errno;
            if (err == EINVAL)
                break; // beyond the running kernel's last capability
            return Error::fromErrno(
                QStringLiteral("apply capabilities: drop %1 from the bounding set").arg(displayName(c)), err);
        }
    }

    // EINVAL: a kernel older than 4.3 has no ambient set to clear.
    if (::prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) != 0 && errno != EINVAL)
        return Error::fromErrno(QStringLiteral("apply capabilities: clear the ambient set"), errno);

    // Inheritable stays empty, as docker 23 and later set it: a file with
    // inheritable file capabilities must not gain them through exec.
    for (int i = 0; i < _LINUX_CAPABILITY_U32S_3; ++i) {
        const __u32 word = __u32(want >> (32 * i));
        s.data[i] = {word, word, 0};
    }
    return capset(s, QStringLiteral("apply capabilities: capset"));
}

Status setNoNewPrivileges()
{
    if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
        return Error::fromErrno(QStringLiteral("set no_new_privs"), errno);
    return {};
}

} // namespace porthole::runtime
