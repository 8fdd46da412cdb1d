// Seccomp filters: a resolved profile compiled into the BPF program that
// seccomp(2) loads, and the load itself.
//
// compileFilter() runs libseccomp (in the shim or the exec caller, before
// any fork); installFilter() runs in the process about to exec, after
// no_new_privs, as the last step before execve (runc's order), and makes no
// allocation. The program is a plain byte array of `struct sock_filter`, so
// it crosses fork and can be kept in a file.
#pragma once

#include "core/result.h"
#include "runtime/seccompprofile.h"

#include <QByteArray>

namespace porthole::runtime::seccomp {

// The profile as a BPF program. Syscalls libseccomp cannot name are skipped
// (as runc skips them); in front of libseccomp's program sits a check that
// answers ENOSYS for every syscall number above the highest one the profile
// names for that architecture, so a syscall newer than the profile looks
// unimplemented (and libc falls back) instead of forbidden (not in a profile
// whose default is to allow: there, newer calls are allowed).
Result<QByteArray> compileFilter(const ResolvedProfile &profile);

// compileFilter through a cache of programs in cacheDir, named by the
// SHA-256 of the resolved profile (every rule, argument and architecture)
// and the libseccomp version: compiling docker's profile costs milliseconds
// at every start, reading it back a few microseconds. A cache entry that is
// not a whole program is compiled anew; an unwritable cache only costs time.
Result<QByteArray> compileFilterCached(const ResolvedProfile &profile, const QString &cacheDir);

// docker's default profile for these capabilities, from the cache without
// building or resolving the profile when it is there (the key is the build's
// fingerprint of the sources that define and compile it, the capabilities,
// the platform and the libseccomp version): what every default container's
// start pays is a hash of a few bytes and one small file read.
Result<QByteArray> defaultFilterCached(const QList<int> &boundingCaps, const QString &cacheDir);

// Instructions in a compiled program.
inline int instructionCount(const QByteArray &program) { return int(program.size() / 8); }

// seccomp(SECCOMP_SET_MODE_FILTER) with the program; 0 or an errno.
// Async-signal-safe: callable between fork and exec.
int installFilter(const QByteArray &program);

} // namespace porthole::runtime::seccomp
