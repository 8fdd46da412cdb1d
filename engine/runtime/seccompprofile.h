// Seccomp profiles in docker's JSON format (what `--security-opt
// seccomp=FILE.json` takes and moby/profiles publishes), and their
// resolution for one container: the rules whose includes/excludes match the
// container's capabilities, this machine's architecture and kernel.
//
// Value types and pure functions, any thread. Compiling a resolved profile
// into a BPF program is seccompfilter.h's job.
#pragma once

#include "core/result.h"

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

#include <optional>

namespace porthole::runtime::seccomp {

// docker's "SCMP_ACT_*" names. Notify is refused when a profile is read: it
// needs a supervisor listening on the notification fd, which we do not run.
enum class Action { KillThread, KillProcess, Trap, Errno, Trace, Allow, Log };

// docker's "SCMP_CMP_*" names.
enum class Compare { NotEqual, LessThan, LessOrEqual, Equal, GreaterOrEqual, GreaterThan, MaskedEqual };

struct ArgCondition {
    unsigned index = 0;     // 0..5
    quint64 value = 0;
    quint64 valueTwo = 0;   // MaskedEqual: (arg & value) == valueTwo
    Compare op = Compare::Equal;
};

// A rule applies only where all of includes holds and none of excludes does
// (docker's Filter: caps against the bounding set, arches against the
// native architecture's Go-style name, minKernel against uname).
struct Condition {
    QStringList caps;       // "CAP_SYS_ADMIN"
    QStringList arches;     // "amd64", "x32", "arm64", ...
    QString minKernel;      // "4.8"; empty: none
    bool isEmpty() const { return caps.isEmpty() && arches.isEmpty() && minKernel.isEmpty(); }
};

struct SyscallRule {
    QStringList names;
    Action action = Action::Allow;
    std::optional<unsigned> errnoRet; // Errno/Trace: the value; default EPERM
    QList<ArgCondition> args;
    Condition includes;
    Condition excludes;
};

struct Profile {
    Action defaultAction = Action::Errno;
    std::optional<unsigned> defaultErrnoRet;
    // archMap: native architecture -> the ones its processes may also use
    // ("SCMP_ARCH_X86_64" -> x86, x32). architectures: the older flat list.
    QList<QPair<QString, QStringList>> archMap;
    QStringList architectures;
    QList<SyscallRule> syscalls;
};

// Parses docker's format; InvalidArgument naming the field for anything it
// cannot honour (unknown action or operator, both `name` and `names`, an
// argument index over 5, SCMP_ACT_NOTIFY).
Result<Profile> parseProfile(const QByteArray &json);

// docker's default profile (seccompdefault.cpp).
const Profile &defaultProfile();

// What applies to one container on this machine.
struct ResolvedRule {
    QString name;
    Action action = Action::Allow;
    unsigned errnoRet = 0;
    QList<ArgCondition> args;
};

struct ResolvedProfile {
    Action defaultAction = Action::Errno;
    unsigned defaultErrnoRet = 1; // EPERM, docker's default
    QStringList architectures;    // "x86_64", "x86", "x32" (libseccomp's names)
    QList<ResolvedRule> rules;
};

struct Platform {
    QString goArch;        // "amd64", "arm64", ...: what includes.arches names
    QString seccompArch;   // "x86_64", "aarch64", ...: libseccomp's name
    int kernelMajor = 0;
    int kernelMinor = 0;
};

// This machine (uname and libseccomp's native architecture).
Platform hostPlatform();

// boundingCaps: capability numbers of the container's bounding set.
Result<ResolvedProfile> resolveProfile(const Profile &profile, const QList<int> &boundingCaps, const Platform &platform);

} // namespace porthole::runtime::seccomp
