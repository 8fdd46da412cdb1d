#include "runtime/seccompfilter.h"

#include "runtime/capabilities.h"

#include "store/fsutil.h"

#include <QCryptographicHash>
#include <QHash>
#include <QMap>

#include <cerrno>
#include <cstddef>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <memory>
#include <vector>

namespace porthole::runtime::seccomp {

namespace {

constexpr quint32 kX32SyscallBit = 0x40000000;

Error compileError(const QString &what, int rc)
{
    return Error(ErrorCode::InvalidArgument, QStringLiteral("compile the seccomp filter: %1: %2")
                                                 .arg(what, QString::fromLocal8Bit(strerror(-rc))), -rc);
}

uint32_t actionToken(Action a, unsigned errnoRet)
{
    switch (a) {
    case Action::KillThread: return SCMP_ACT_KILL;
    case Action::KillProcess: return SCMP_ACT_KILL_PROCESS;
    case Action::Trap: return SCMP_ACT_TRAP;
    case Action::Errno: return SCMP_ACT_ERRNO(errnoRet);
    case Action::Trace: return SCMP_ACT_TRACE(errnoRet);
    case Action::Allow: return SCMP_ACT_ALLOW;
    case Action::Log: return SCMP_ACT_LOG;
    }
    return SCMP_ACT_KILL;
}

scmp_compare compareToken(Compare c)
{
    switch (c) {
    case Compare::NotEqual: return SCMP_CMP_NE;
    case Compare::LessThan: return SCMP_CMP_LT;
    case Compare::LessOrEqual: return SCMP_CMP_LE;
    case Compare::Equal: return SCMP_CMP_EQ;
    case Compare::GreaterOrEqual: return SCMP_CMP_GE;
    case Compare::GreaterThan: return SCMP_CMP_GT;
    case Compare::MaskedEqual: return SCMP_CMP_MASKED_EQ;
    }
    return SCMP_CMP_EQ;
}

struct ContextDeleter {
    void operator()(void *ctx) const { seccomp_release(ctx); }
};
using Context = std::unique_ptr<void, ContextDeleter>;

// libseccomp takes at most one condition per argument in a rule; docker's
// profiles never need more, and runc splits such rules into one rule per
// condition. We do the same.
Status addRule(void *ctx, const ResolvedRule &r, int nr, uint32_t action)
{
    QList<QList<ArgCondition>> groups{{}};
    for (const ArgCondition &c : r.args) {
        bool repeated = false;
        for (const ArgCondition &o : groups.first())
            repeated = repeated || o.index == c.index;
        if (repeated)
            groups.append({c});
        else
            groups.first().append(c);
    }
    for (const QList<ArgCondition> &conditions : groups) {
        std::vector<scmp_arg_cmp> cmps;
        for (const ArgCondition &c : conditions)
            cmps.push_back({c.index, compareToken(c.op), c.value, c.valueTwo});
        const int rc = seccomp_rule_add_array(ctx, action, nr, unsigned(cmps.size()), cmps.empty() ? nullptr : cmps.data());
        if (rc < 0)
            return compileError(QStringLiteral("rule for %1").arg(r.name), rc);
    }
    return {};
}

Result<QByteArray> exportProgram(void *ctx)
{
    const int fd = ::memfd_create("porthole-seccomp", MFD_CLOEXEC);
    if (fd < 0)
        return Error::fromErrno(QStringLiteral("compile the seccomp filter: memfd_create"), errno);
    QByteArray program;
    int rc = seccomp_export_bpf(ctx, fd);
    if (rc == 0) {
        const off_t size = ::lseek(fd, 0, SEEK_END);
        program.resize(size);
        rc = size < 0 || ::pread(fd, program.data(), size_t(size), 0) != size ? -EIO : 0;
    }
    ::close(fd);
    if (rc < 0)
        return compileError(QStringLiteral("export"), rc);
    return program;
}

// A tiny assembler for the ENOSYS prefix: jumps name their target by index
// and are made relative once every instruction is placed.
class Prefix {
public:
    enum Target { Next = -1, EnoSys = -2, Done = -3 };
    void load(quint32 offset) { m_code.push_back({BPF_LD | BPF_W | BPF_ABS, 0, 0, offset, Next, Next}); }
    void jump(quint16 op, quint32 k, int onTrue, int onFalse) { m_code.push_back({quint16(BPF_JMP | op | BPF_K), 0, 0, k, onTrue, onFalse}); }
    int size() const { return int(m_code.size()); }

    // Appends the ENOSYS return; everything after it is libseccomp's.
    QByteArray finish()
    {
        const int enosys = size();
        m_code.push_back({BPF_RET | BPF_K, 0, 0, SECCOMP_RET_ERRNO | ENOSYS, Next, Next});
        const int done = size();
        QByteArray out;
        for (int pc = 0; pc < size(); ++pc) {
            Insn &i = m_code[size_t(pc)];
            auto resolve = [&](int target) { return quint8((target == EnoSys ? enosys : target == Done ? done : target == Next ? pc + 1 : target) - pc - 1); };
            sock_filter f{i.code, resolve(i.onTrue), resolve(i.onFalse), i.k};
            out.append(reinterpret_cast<const char *>(&f), sizeof f);
        }
        return out;
    }

private:
    struct Insn {
        quint16 code;
        quint8 jt, jf;
        quint32 k;
        int onTrue, onFalse;
    };
    std::vector<Insn> m_code;
};

// The kernel's audit architecture for a libseccomp architecture, and
// whether its syscall numbers carry the x32 bit.
bool auditArch(uint32_t token, quint32 &audit, bool &x32)
{
    x32 = token == SCMP_ARCH_X32;
    audit = x32 ? AUDIT_ARCH_X86_64 : token;
    return token != 0;
}

QByteArray enosysPrefix(const QMap<quint32, QPair<qint64, qint64>> &maxByArch)
{
    // arch -> {highest native number, highest x32 number} (-1: none)
    Prefix p;
    p.load(offsetof(seccomp_data, arch));
    for (auto it = maxByArch.cbegin(); it != maxByArch.cend(); ++it) {
        const auto [native, x32] = it.value();
        const int blockSize = 1 + 1 + (x32 >= 0 && native >= 0 ? 3 : 1);
        // Not this architecture: on to the next block.
        p.jump(BPF_JEQ, it.key(), Prefix::Next, p.size() + blockSize);
        p.load(offsetof(seccomp_data, nr));
        if (x32 >= 0 && native >= 0) {
            p.jump(BPF_JSET, kX32SyscallBit, Prefix::Next, p.size() + 2);
            p.jump(BPF_JGT, quint32(x32), Prefix::EnoSys, Prefix::Done);
            p.jump(BPF_JGT, quint32(native), Prefix::EnoSys, Prefix::Done);
        } else {
            p.jump(BPF_JGT, quint32(native >= 0 ? native : x32), Prefix::EnoSys, Prefix::Done);
        }
    }
    // An architecture the profile does not name: libseccomp's bad-arch action.
    p.jump(BPF_JA, 0, Prefix::Done, Prefix::Done);
    return p.finish();
}

} // namespace

Result<QByteArray> compileFilter(const ResolvedProfile &profile)
{
    const uint32_t defaultAction = actionToken(profile.defaultAction, profile.defaultErrnoRet);
    Context ctx(seccomp_init(defaultAction));
    if (!ctx)
        return Error(ErrorCode::Internal, QStringLiteral("compile the seccomp filter: seccomp_init failed"));
    // We set no_new_privs ourselves, before; the filter is exported, not loaded.
    seccomp_attr_set(ctx.get(), SCMP_FLTATR_CTL_NNP, 0);
    seccomp_attr_set(ctx.get(), SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_ERRNO(ENOSYS));
    // A binary tree of syscall numbers instead of a list: each call is
    // decided in about log2(n) steps, and so is the kernel's work at load,
    // when it runs the filter for every syscall number to find the ones it
    // can allow without running it again (the seccomp action cache).
    seccomp_attr_set(ctx.get(), SCMP_FLTATR_CTL_OPTIMIZE, 2);
    QList<uint32_t> arches;
    for (const QString &name : profile.architectures) {
        const uint32_t token = seccomp_arch_resolve_name(name.toLatin1().constData());
        if (token == 0)
            return Error(ErrorCode::InvalidArgument, QStringLiteral("seccomp profile: unknown architecture \"%1\"").arg(name));
        arches.append(token);
        const int rc = seccomp_arch_add(ctx.get(), token);
        if (rc < 0 && rc != -EEXIST)
            return compileError(QStringLiteral("architecture %1").arg(name), rc);
    }

    QMap<quint32, QPair<qint64, qint64>> maxByArch;
    for (uint32_t token : arches) {
        quint32 audit = 0;
        bool x32 = false;
        if (auditArch(token, audit, x32) && !maxByArch.contains(audit))
            maxByArch.insert(audit, {-1, -1});
    }
    for (const ResolvedRule &r : profile.rules) {
        const QByteArray name = r.name.toLatin1();
        const int nr = seccomp_syscall_resolve_name(name.constData());
        if (nr == __NR_SCMP_ERROR)
            continue; // newer than this libseccomp: ENOSYS through the prefix
        for (uint32_t token : arches) {
            const int archNr = seccomp_syscall_resolve_name_arch(token, name.constData());
            quint32 audit = 0;
            bool x32 = false;
            if (archNr < 0 || !auditArch(token, audit, x32))
                continue;
            qint64 &highest = x32 ? maxByArch[audit].second : maxByArch[audit].first;
            highest = std::max<qint64>(highest, archNr);
        }
        const uint32_t action = actionToken(r.action, r.errnoRet);
        if (action == defaultAction)
            continue; // libseccomp refuses a rule that changes nothing
        PH_CHECK(addRule(ctx.get(), r, nr, action));
    }
    PH_TRY(const QByteArray body, exportProgram(ctx.get()));
    // A profile that allows what it does not name allows newer calls too.
    const bool refusesByDefault = profile.defaultAction != Action::Allow && profile.defaultAction != Action::Log;
    QByteArray program = refusesByDefault ? enosysPrefix(maxByArch) + body : body;
    if (instructionCount(program) > BPF_MAXINSNS)
        return Error(ErrorCode::InvalidArgument, QStringLiteral("the seccomp filter has %1 instructions, more than the kernel's %2")
                                                     .arg(instructionCount(program)).arg(BPF_MAXINSNS));
    return program;
}

namespace {

// What every cache key starts with: the build's fingerprint of the sources
// that decide a program (engine/runtime/CMakeLists.txt) and libseccomp's
// version, which compiles it.
QByteArray keyPrefix()
{
    const scmp_version *v = seccomp_version();
    return QByteArrayLiteral("porthole seccomp " PORTHOLE_SECCOMP_FINGERPRINT ", libseccomp ") + QByteArray::number(v->major) + '.'
        + QByteArray::number(v->minor) + '.' + QByteArray::number(v->micro) + '\n';
}

// Qt's SHA-256, not the engine's: OpenSSL's first use in a process (the
// shim is a fresh one) costs about 3 ms of provider loading.
QString hashName(const QByteArray &text) { return QString::fromLatin1(QCryptographicHash::hash(text, QCryptographicHash::Sha256).toHex()); }

QByteArray cacheKey(const ResolvedProfile &profile)
{
    QByteArray text = keyPrefix();
    text += QByteArray::number(int(profile.defaultAction)) + ' ' + QByteArray::number(profile.defaultErrnoRet) + ' '
        + profile.architectures.join(u',').toLatin1() + '\n';
    for (const ResolvedRule &r : profile.rules) {
        text += r.name.toLatin1() + ' ' + QByteArray::number(int(r.action)) + ' ' + QByteArray::number(r.errnoRet);
        for (const ArgCondition &c : r.args)
            text += ' ' + QByteArray::number(c.index) + ':' + QByteArray::number(int(c.op)) + ':' + QByteArray::number(c.value) + ':'
                + QByteArray::number(c.valueTwo);
        text += '\n';
    }
    return text;
}

bool isWholeProgram(const QByteArray &p)
{
    return !p.isEmpty() && p.size() % qsizetype(sizeof(sock_filter)) == 0 && instructionCount(p) <= BPF_MAXINSNS;
}

Result<QByteArray> readCached(const QString &path)
{
    auto cached = store::readFile(path, BPF_MAXINSNS * qint64(sizeof(sock_filter)));
    if (cached && isWholeProgram(*cached))
        return *cached;
    return Error(ErrorCode::NotFound, QStringLiteral("no cached seccomp program %1").arg(path));
}

void writeCached(const QString &cacheDir, const QString &path, const QByteArray &program)
{
    // A cache: written whole or not at all, never synced.
    if (store::makeDirs(cacheDir, 0700))
        (void)store::writeFileAtomic(path, program, 0600, store::Durability::AtomicOnly);
}

} // namespace

Result<QByteArray> compileFilterCached(const ResolvedProfile &profile, const QString &cacheDir)
{
    if (cacheDir.isEmpty())
        return compileFilter(profile);
    const QString path = cacheDir + u'/' + hashName(cacheKey(profile)) + QStringLiteral(".bpf");
    if (auto cached = readCached(path))
        return *cached;
    PH_TRY(const QByteArray program, compileFilter(profile));
    writeCached(cacheDir, path, program);
    return program;
}

Result<QByteArray> defaultFilterCached(const QList<int> &boundingCaps, const QString &cacheDir)
{
    // A name made of what decides the program, no hashing: the build's
    // fingerprint stands for the profile and the compiler.
    const Platform platform = hostPlatform();
    const scmp_version *v = seccomp_version();
    const QString path = cacheDir
        + QStringLiteral("/default-%1-caps%2-%3-%4.%5-libseccomp%6.%7.%8.bpf")
              .arg(QLatin1String(PORTHOLE_SECCOMP_FINGERPRINT).left(32))
              .arg(capabilityMask(boundingCaps), 0, 16)
              .arg(platform.goArch)
              .arg(platform.kernelMajor)
              .arg(platform.kernelMinor)
              .arg(v->major)
              .arg(v->minor)
              .arg(v->micro);
    if (!cacheDir.isEmpty()) {
        if (auto cached = readCached(path))
            return *cached;
    }
    PH_TRY(const ResolvedProfile resolved, resolveProfile(defaultProfile(), boundingCaps, platform));
    PH_TRY(const QByteArray program, compileFilter(resolved));
    if (!cacheDir.isEmpty())
        writeCached(cacheDir, path, program);
    return program;
}

int installFilter(const QByteArray &program)
{
    sock_fprog prog{static_cast<unsigned short>(instructionCount(program)),
                    reinterpret_cast<sock_filter *>(const_cast<char *>(program.constData()))};
    if (::syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) != 0)
        return errno;
    return 0;
}

} // namespace porthole::runtime::seccomp
