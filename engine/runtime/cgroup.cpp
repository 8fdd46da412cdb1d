#include "runtime/cgroup.h"

#include "runtime/cgroupfs.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QMap>

#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace porthole::runtime {

namespace {

constexpr int kFreezeTimeoutMs = 5000;
constexpr int kKillTimeoutMs = 5000;
constexpr int kRemoveBusyTimeoutMs = 1000;

// The v1 controllers a container needs: freezer to pause and kill safely,
// devices for its device rules, the others for stats and limits. Anything
// else is left alone.
const char *const kV1Controllers[] = {"freezer", "pids", "memory", "cpu", "cpuacct", "devices"};
// Enabled for children on v2 so stats and limits work there too.
const char *const kV2Controllers[] = {"cpu", "memory", "pids", "io"};

struct Mounts {
    QString unified;                    // cgroup2 mount point, if any
    QMap<QString, QString> v1;          // controller -> mount point
    QString layout() const
    {
        if (v1.isEmpty())
            return unified.isEmpty() ? QStringLiteral("none") : QStringLiteral("v2");
        return unified.isEmpty() ? QStringLiteral("v1") : QStringLiteral("hybrid");
    }
};

// mountinfo escapes blanks and backslashes as \ooo octal.
QString unescapeMountField(const QByteArray &field)
{
    QByteArray out;
    for (int i = 0; i < field.size(); ++i) {
        if (field[i] == '\\' && i + 3 < field.size()) {
            bool ok = false;
            const int c = field.mid(i + 1, 3).toInt(&ok, 8);
            if (ok) {
                out.append(char(c));
                i += 3;
                continue;
            }
        }
        out.append(field[i]);
    }
    return QFile::decodeName(out);
}

// Reads /proc/self/mountinfo rather than probing /sys/fs/cgroup/<name>: it
// sees co-mounted controllers ("cpu,cpuacct") and non-standard mount points.
Mounts discoverMounts()
{
    Mounts m;
    QFile f(QStringLiteral("/proc/self/mountinfo"));
    if (!f.open(QIODevice::ReadOnly))
        return m;
    const QList<QByteArray> lines = f.readAll().split('\n');
    for (const QByteArray &line : lines) {
        const int sep = line.indexOf(" - ");
        if (sep < 0)
            continue;
        const QList<QByteArray> pre = line.left(sep).split(' ');
        const QList<QByteArray> post = line.mid(sep + 3).split(' ');
        if (pre.size() < 5 || post.size() < 3)
            continue;
        const QString mountPoint = unescapeMountField(pre[4]);
        if (post[0] == "cgroup2") {
            // Prefer the conventional places when cgroup2 is mounted twice.
            if (m.unified.isEmpty() || mountPoint == QLatin1String("/sys/fs/cgroup")
                || (mountPoint == QLatin1String("/sys/fs/cgroup/unified")
                    && m.unified != QLatin1String("/sys/fs/cgroup")))
                m.unified = mountPoint;
        } else if (post[0] == "cgroup") {
            const QList<QByteArray> opts = post[2].split(',');
            for (const char *c : kV1Controllers) {
                if (opts.contains(QByteArray(c)) && !m.v1.contains(QLatin1String(c)))
                    m.v1.insert(QLatin1String(c), mountPoint);
            }
        }
    }
    return m;
}

Status validateRelPath(const QString &relPath)
{
    const QStringList parts = relPath.split(QLatin1Char('/'));
    bool bad = relPath.isEmpty() || relPath.startsWith(QLatin1Char('/'));
    for (const QString &p : parts)
        bad = bad || p.isEmpty() || p == QLatin1String(".") || p == QLatin1String("..");
    if (bad)
        return Error(ErrorCode::InvalidArgument,
                     QStringLiteral("cgroup path \"%1\" must be relative, without empty, . or .. parts").arg(relPath));
    return {};
}

using cgroupfs::exists;
using cgroupfs::keyedValue;
using cgroupfs::readFile;
using cgroupfs::readNumber;
using cgroupfs::writeFile;

Status mkdirs(const QString &base, const QString &relPath)
{
    QString path = base;
    for (const QString &part : relPath.split(QLatin1Char('/'))) {
        path += QLatin1Char('/') + part;
        if (::mkdir(QFile::encodeName(path).constData(), 0755) != 0 && errno != EEXIST) {
            const int err = errno;
            return Error::fromErrno(QStringLiteral("create cgroup directory %1").arg(path), err);
        }
    }
    return {};
}

// Top-down, because a child's cgroup.controllers is its parent's
// subtree_control. Failures are expected (controllers bound to v1 on hybrid
// hosts, a delegated subtree we may not touch) and only cost us stats.
void enableControllers(const QString &mount, const QString &relPath)
{
    QString dir = mount;
    const QStringList parts = relPath.split(QLatin1Char('/'));
    for (int i = 0; i < parts.size(); ++i) {
        const auto available = readFile(dir + QStringLiteral("/cgroup.controllers"));
        const auto enabled = readFile(dir + QStringLiteral("/cgroup.subtree_control"));
        if (!available || !enabled)
            return;
        const QList<QByteArray> have = available->simplified().split(' ');
        const QList<QByteArray> on = enabled->simplified().split(' ');
        for (const char *c : kV2Controllers) {
            if (have.contains(QByteArray(c)) && !on.contains(QByteArray(c)))
                (void)writeFile(dir + QStringLiteral("/cgroup.subtree_control"), QByteArray("+") + c);
        }
        dir += QLatin1Char('/') + parts[i];
    }
}

void sleepMs(int ms) { ::usleep(useconds_t(ms) * 1000); }

Status removeTree(const QString &dir)
{
    const QStringList children = QDir(dir).entryList(QDir::Dirs | QDir::NoDotAndDotDot | QDir::Hidden);
    for (const QString &child : children)
        PH_CHECK(removeTree(dir + QLatin1Char('/') + child));
    QElapsedTimer timer;
    timer.start();
    while (::rmdir(QFile::encodeName(dir).constData()) != 0) {
        const int err = errno;
        if (err == ENOENT)
            return {};
        if (err != EBUSY || timer.elapsed() > kRemoveBusyTimeoutMs)
            return Error::fromErrno(QStringLiteral("remove cgroup directory %1").arg(dir), err);
        sleepMs(10); // a killed task may still be leaving the cgroup
    }
    return {};
}

} // namespace

QString Cgroup::layoutName() { return discoverMounts().layout(); }

Result<Cgroup> Cgroup::create(const QString &relPath)
{
    PH_CHECK(validateRelPath(relPath));
    const Mounts m = discoverMounts();
    if (m.layout() == QLatin1String("none"))
        return Error(ErrorCode::Unavailable,
                     QStringLiteral("create cgroup %1: no cgroup filesystem is mounted").arg(relPath));
    QStringList mounts = m.v1.values();
    mounts.removeDuplicates();
    if (!m.unified.isEmpty())
        mounts.append(m.unified);
    for (const QString &mount : mounts) {
        if (auto st = mkdirs(mount, relPath); !st) {
            if (auto partial = open(relPath))
                (void)partial->remove(); // do not leave half a cgroup behind
            return st.error().context(QStringLiteral("create cgroup %1").arg(relPath));
        }
    }
    if (m.layout() == QLatin1String("v2"))
        enableControllers(m.unified, relPath);
    return open(relPath);
}

Result<Cgroup> Cgroup::open(const QString &relPath)
{
    PH_CHECK(validateRelPath(relPath));
    const Mounts m = discoverMounts();
    Cgroup cg;
    cg.m_relPath = relPath;
    auto dirFor = [&](const QString &mount) {
        const QString dir = mount + QLatin1Char('/') + relPath;
        if (mount.isEmpty() || !QFileInfo(dir).isDir())
            return QString();
        if (!cg.m_dirs.contains(dir))
            cg.m_dirs.append(dir);
        return dir;
    };
    for (const char *c : kV1Controllers) {
        const QString dir = dirFor(m.v1.value(QLatin1String(c)));
        if (dir.isEmpty())
            continue;
        const QString name = QLatin1String(c);
        cg.m_v1Dirs.insert(name, dir);
        if (name == QLatin1String("freezer"))
            cg.m_freezerDir = dir;
        else if (name == QLatin1String("memory"))
            cg.m_memoryDir = dir;
        else if (name == QLatin1String("cpuacct"))
            cg.m_cpuacctDir = dir;
        else if (name == QLatin1String("pids"))
            cg.m_pidsDir = dir;
        else if (name == QLatin1String("devices"))
            cg.m_devicesDir = dir;
        if (cg.m_firstV1Dir.isEmpty())
            cg.m_firstV1Dir = dir;
    }
    cg.m_unifiedDir = dirFor(m.unified);
    if (cg.m_dirs.isEmpty())
        return Error(ErrorCode::NotFound,
                     QStringLiteral("open cgroup %1: it exists in no cgroup hierarchy").arg(relPath));
    return cg;
}

QString Cgroup::trackingDir() const { return m_unifiedDir.isEmpty() ? m_firstV1Dir : m_unifiedDir; }

Status Cgroup::addProcess(pid_t pid) const
{
    for (const QString &dir : m_dirs) {
        if (auto st = writeFile(dir + QStringLiteral("/cgroup.procs"), QByteArray::number(pid)); !st)
            return st.error().context(QStringLiteral("add process %1 to cgroup %2").arg(pid).arg(m_relPath));
    }
    return {};
}

Result<QList<pid_t>> Cgroup::processes() const
{
    auto data = readFile(trackingDir() + QStringLiteral("/cgroup.procs"));
    if (!data && data.error().sysErrno == ENOENT)
        return QList<pid_t>(); // removed meanwhile (its shim cleaned up): nothing is left in it
    if (!data)
        return data.error().context(QStringLiteral("list processes of cgroup %1").arg(m_relPath));
    QList<pid_t> pids;
    for (const QByteArray &line : data->split('\n')) {
        bool ok = false;
        const pid_t pid = pid_t(line.trimmed().toInt(&ok));
        if (ok && !pids.contains(pid)) // v1 may list a pid twice
            pids.append(pid);
    }
    return pids;
}

Status Cgroup::freezeV1(bool frozen) const
{
    const QString file = m_freezerDir + QStringLiteral("/freezer.state");
    const QByteArray target = frozen ? "FROZEN" : "THAWED";
    QElapsedTimer timer;
    timer.start();
    for (int round = 1;; ++round) {
        // Rewriting the target each round is what kicks a stalled FREEZING
        // cgroup along; runc does the same.
        PH_CHECK(writeFile(file, target));
        PH_TRY(const QByteArray state, readFile(file));
        if (state.trimmed() == target)
            return {};
        if (timer.elapsed() > kFreezeTimeoutMs) {
            if (frozen)
                (void)writeFile(file, "THAWED");
            return Error(ErrorCode::Unavailable, QStringLiteral("the kernel still reports %1 after %2 ms")
                                                     .arg(QString::fromLatin1(state.trimmed()))
                                                     .arg(kFreezeTimeoutMs));
        }
        // A task stuck in vfork or an uninterruptible sleep can hold the
        // freezer in FREEZING forever; a brief thaw lets it move on.
        if (frozen && round % 50 == 0) {
            (void)writeFile(file, "THAWED");
            sleepMs(1);
        }
        sleepMs(round < 10 ? 1 : 10);
    }
}

Status Cgroup::freezeV2(bool frozen) const
{
    PH_CHECK(writeFile(m_unifiedDir + QStringLiteral("/cgroup.freeze"), frozen ? "1" : "0"));
    QElapsedTimer timer;
    timer.start();
    for (int round = 1;; ++round) {
        PH_TRY(const QByteArray events, readFile(m_unifiedDir + QStringLiteral("/cgroup.events")));
        if (keyedValue(events, "frozen") == (frozen ? 1 : 0))
            return {};
        if (timer.elapsed() > kFreezeTimeoutMs) {
            if (frozen)
                (void)writeFile(m_unifiedDir + QStringLiteral("/cgroup.freeze"), "0");
            return Error(ErrorCode::Unavailable,
                         QStringLiteral("cgroup.events does not report the change after %1 ms").arg(kFreezeTimeoutMs));
        }
        sleepMs(round < 10 ? 1 : 10);
    }
}

bool Cgroup::hasV2Freezer() const
{
    return !m_unifiedDir.isEmpty() && exists(m_unifiedDir + QStringLiteral("/cgroup.freeze"));
}

// On hybrid hosts the v1 freezer wins: it is the one runc and docker use
// there, and using two freezers on one cgroup would let them disagree.
Status Cgroup::setFrozen(bool frozen) const
{
    Status st;
    if (!m_freezerDir.isEmpty())
        st = freezeV1(frozen);
    else if (hasV2Freezer())
        st = freezeV2(frozen);
    else
        st = Error(ErrorCode::FailedPrecondition, QStringLiteral("no freezer is available"));
    if (!st)
        return st.error().context((frozen ? QStringLiteral("freeze cgroup ") : QStringLiteral("thaw cgroup "))
                                  + m_relPath);
    return {};
}

Status Cgroup::freeze() const { return setFrozen(true); }

Status Cgroup::thaw() const { return setFrozen(false); }

Result<bool> Cgroup::isFrozen() const
{
    const QString step = QStringLiteral("read freezer state of cgroup %1").arg(m_relPath);
    if (m_freezerDir.isEmpty() && !hasV2Freezer())
        return Error(ErrorCode::FailedPrecondition, step + QStringLiteral(": no freezer is available"));
    const bool v1 = !m_freezerDir.isEmpty();
    auto data = readFile(v1 ? m_freezerDir + QStringLiteral("/freezer.state")
                            : m_unifiedDir + QStringLiteral("/cgroup.events"));
    if (!data)
        return data.error().context(step);
    return v1 ? data->trimmed() == "FROZEN" : keyedValue(*data, "frozen") == 1;
}

Status Cgroup::waitEmpty(int timeoutMs) const
{
    QElapsedTimer timer;
    timer.start();
    for (int round = 1;; ++round) {
        PH_TRY(const QList<pid_t> pids, processes());
        if (pids.isEmpty())
            return {};
        if (timer.elapsed() > timeoutMs)
            return Error(ErrorCode::Unavailable,
                         QStringLiteral("%1 processes are still there after %2 ms").arg(pids.size()).arg(timeoutMs));
        sleepMs(round < 10 ? 1 : 10);
    }
}

Status Cgroup::killByIteration(int signal) const
{
    if (signal != SIGKILL) {
        PH_TRY(const QList<pid_t> pids, processes());
        for (pid_t pid : pids)
            ::kill(pid, signal); // ESRCH: it exited meanwhile, which is fine
        return {};
    }
    const bool canFreeze = !m_freezerDir.isEmpty() || hasV2Freezer();
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() <= kKillTimeoutMs) {
        PH_TRY(const QList<pid_t> pids, processes());
        if (pids.isEmpty())
            return {};
        // Frozen, nobody can fork a new process between listing and killing.
        const bool frozen = canFreeze && freeze().ok();
        for (pid_t pid : pids)
            ::kill(pid, SIGKILL);
        // v1-frozen tasks only act on SIGKILL once thawed.
        if (frozen)
            (void)thaw();
        sleepMs(10);
    }
    return waitEmpty(0);
}

Status Cgroup::killAll(int signal) const
{
    Status st;
    const QString killFile = m_unifiedDir + QStringLiteral("/cgroup.kill");
    if (signal == SIGKILL && !m_unifiedDir.isEmpty() && exists(killFile)) {
        st = writeFile(killFile, "1");
        if (!st && st.error().sysErrno == ENOENT)
            return {}; // the cgroup is gone, and so is everything that was in it
        if (st)
            st = waitEmpty(kKillTimeoutMs);
    } else {
        st = killByIteration(signal);
    }
    if (!st)
        return st.error().context(
            QStringLiteral("kill processes of cgroup %1 with signal %2").arg(m_relPath).arg(signal));
    return {};
}

Result<CgroupStats> Cgroup::stats() const
{
    const QString step = QStringLiteral("read statistics of cgroup %1").arg(m_relPath);
    CgroupStats s;
    auto number = [&](const QString &path, qint64 &out) -> Status {
        auto v = readNumber(path);
        if (!v)
            return v.error().context(step);
        out = *v;
        return {};
    };
    if (!m_memoryDir.isEmpty()) {
        PH_CHECK(number(m_memoryDir + QStringLiteral("/memory.usage_in_bytes"), s.memoryBytes));
        PH_CHECK(number(m_memoryDir + QStringLiteral("/memory.limit_in_bytes"), s.memoryLimit));
        // v1 spells "unlimited" as the largest page-aligned counter value.
        if (s.memoryLimit >= (qint64(1) << 62))
            s.memoryLimit = -1;
    } else if (!m_unifiedDir.isEmpty()) {
        PH_CHECK(number(m_unifiedDir + QStringLiteral("/memory.current"), s.memoryBytes));
        PH_CHECK(number(m_unifiedDir + QStringLiteral("/memory.max"), s.memoryLimit));
    }
    if (!m_cpuacctDir.isEmpty()) {
        PH_CHECK(number(m_cpuacctDir + QStringLiteral("/cpuacct.usage"), s.cpuNanos));
    } else if (!m_unifiedDir.isEmpty()) {
        // cpu.stat's usage_usec exists even where the cpu controller is off.
        if (auto data = readFile(m_unifiedDir + QStringLiteral("/cpu.stat"))) {
            const qint64 usec = keyedValue(*data, "usage_usec");
            s.cpuNanos = usec < 0 ? -1 : usec * 1000;
        }
    }
    if (!m_pidsDir.isEmpty())
        PH_CHECK(number(m_pidsDir + QStringLiteral("/pids.current"), s.pids));
    else if (!m_unifiedDir.isEmpty())
        PH_CHECK(number(m_unifiedDir + QStringLiteral("/pids.current"), s.pids));
    if (s.pids < 0) {
        // No pids controller: count tasks the way pids.current would.
        const QString tasks = m_unifiedDir.isEmpty() ? QStringLiteral("/tasks") : QStringLiteral("/cgroup.threads");
        if (auto data = readFile(trackingDir() + tasks))
            s.pids = data->trimmed().isEmpty() ? 0 : data->trimmed().count('\n') + 1;
    }
    return s;
}

Status Cgroup::remove() const
{
    Status first;
    for (const QString &dir : m_dirs) {
        // Keep going: one stuck hierarchy should not leak the others.
        if (auto st = removeTree(dir); !st && first)
            first = st.error().context(QStringLiteral("remove cgroup %1").arg(m_relPath));
    }
    return first;
}

} // namespace porthole::runtime
