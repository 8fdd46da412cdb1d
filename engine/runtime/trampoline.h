// The exec trampoline: how a process entering a container makes its last
// execve without ever exposing a host binary (the CVE-2019-5736 class).
//
// Until its final execve, the process that sets up a container (the first
// process, or exec's) runs Porthole's binary. A command that is a script
// with "#!/proc/self/exe" would make the kernel start that binary inside the
// container, where container root could reopen it for writing through
// /proc/<pid>/exe once nothing runs it (an upgraded binary used by `exec`,
// say). So that process never execs the command itself: it execs a tiny
// static program (trampoline/trampoline.c, 9 KiB, no libc) from a sealed
// memfd, which execs the command. At that moment /proc/self/exe is the
// memfd, which nobody can write (F_SEAL_WRITE, GROW, SHRINK, SEAL).
// runc's answer is a sealed copy of its whole binary; this copies 9 KiB
// once per shim and adds one exec of a program with nothing to load.
#pragma once

#include "core/result.h"

namespace porthole::runtime {

// The sealed memfd holding the trampoline, made once per process and kept
// (close-on-exec; execveat with AT_EMPTY_PATH runs it). Thread-safe.
// Call before forking the process that will use it.
Result<int> trampolineFd();

// The trampoline's first argument: its argv[0] must be this, or it refuses
// to run (a script naming /proc/self/exe as its interpreter gets a word
// instead of a loop).
inline constexpr char kTrampolineArgv0[] = "porthole-exec";

} // namespace porthole::runtime
