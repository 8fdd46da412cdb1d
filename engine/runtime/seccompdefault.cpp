// docker's default seccomp profile, as data of our own.
//
// Derived from moby/profiles seccomp/default_linux.go (the profile docker
// and podman ship) and the reasons docker's documentation gives for what it
// leaves out (docs.docker.com/engine/security/seccomp, "Significant syscalls
// blocked by the default profile"). It is an allowlist: whatever is not
// listed fails with EPERM. What is left out, and why:
//   - the kernel keyring (add_key, keyctl, request_key): not namespaced;
//   - setting the clock (clock_settime, settimeofday, stime, adjtimex's
//     writes are gated by CAP_SYS_TIME): time is not namespaced;
//   - kernel modules and kexec (init_module, finit_module, delete_module,
//     kexec_load, kexec_file_load), reboot;
//   - tracing and profiling that leak host information (bpf, perf_event_open,
//     lookup_dcookie, and ptrace and friends before kernel 4.8, where ptrace
//     could bypass seccomp);
//   - mounts and namespaces (mount, umount2, pivot_root, setns, unshare, and
//     clone/clone3 with namespace flags): the CAP_SYS_ADMIN surface nested
//     user namespaces would otherwise open;
//   - open_by_handle_at: the cause of an old container breakout ("shocker");
//   - NUMA and memory policy (mbind, set_mempolicy, move_pages), I/O
//     privilege (iopl, ioperm), swapon/swapoff, userfaultfd, vm86, quotactl,
//     acct, and obsolete calls (uselib, ustat, sysfs, _sysctl, nfsservctl);
//   - io_uring_*: removed from the profile in 2023 after a run of kernel bugs.
// Each of these comes back when the container holds the capability that
// already gates it (the rules with `includes.caps` below), as docker does.
// Syscalls that libseccomp 2.5.4 (Debian 12) cannot name are skipped when the
// filter is compiled, exactly as runc skips them; being newer than every
// syscall the filter names, they then fail with ENOSYS (seccompfilter.cpp).
#include "runtime/seccompprofile.h"

#include <linux/sched.h>
#include <sys/socket.h>

namespace porthole::runtime::seccomp {

namespace {

QStringList words(const char *text) { return QString::fromLatin1(text).split(u' ', Qt::SkipEmptyParts); }

SyscallRule allow(const char *names) { return {words(names), Action::Allow, std::nullopt, {}, {}, {}}; }

SyscallRule allowWithCap(const char *cap, const char *names)
{
    SyscallRule r = allow(names);
    r.includes.caps = {QString::fromLatin1(cap)};
    return r;
}

SyscallRule allowOnArches(QStringList arches, const char *names)
{
    SyscallRule r = allow(names);
    r.includes.arches = std::move(arches);
    return r;
}

SyscallRule allowIfArg(const char *name, unsigned index, Compare op, quint64 value, quint64 valueTwo = 0)
{
    SyscallRule r = allow(name);
    r.args = {{index, value, valueTwo, op}};
    return r;
}

// Everything an ordinary program needs: files, memory, signals, sockets,
// time reading, processes and threads (without new namespaces), IPC.
const char *const kAlwaysAllowed =
    "accept accept4 access adjtimex alarm bind brk cachestat capget capset chdir chmod chown chown32 "
    "clock_adjtime clock_adjtime64 clock_getres clock_getres_time64 clock_gettime clock_gettime64 "
    "clock_nanosleep clock_nanosleep_time64 close close_range connect copy_file_range creat dup dup2 dup3 "
    "epoll_create epoll_create1 epoll_ctl epoll_ctl_old epoll_pwait epoll_pwait2 epoll_wait epoll_wait_old "
    "eventfd eventfd2 execve execveat exit exit_group faccessat faccessat2 fadvise64 fadvise64_64 fallocate "
    "fanotify_mark fchdir fchmod fchmodat fchmodat2 fchown fchown32 fchownat fcntl fcntl64 fdatasync fgetxattr "
    "flistxattr flock fork fremovexattr fsetxattr fstat fstat64 fstatat64 fstatfs fstatfs64 fsync ftruncate "
    "ftruncate64 futex futex_requeue futex_time64 futex_wait futex_waitv futex_wake futimesat getcpu getcwd "
    "getdents getdents64 getegid getegid32 geteuid geteuid32 getgid getgid32 getgroups getgroups32 getitimer "
    "getpeername getpgid getpgrp getpid getppid getpriority getrandom getresgid getresgid32 getresuid "
    "getresuid32 getrlimit get_robust_list getrusage getsid getsockname getsockopt get_thread_area gettid "
    "gettimeofday getuid getuid32 getxattr getxattrat inotify_add_watch inotify_init inotify_init1 "
    "inotify_rm_watch io_cancel ioctl io_destroy io_getevents io_pgetevents io_pgetevents_time64 ioprio_get "
    "ioprio_set io_setup io_submit ipc kill landlock_add_rule landlock_create_ruleset landlock_restrict_self "
    "lchown lchown32 lgetxattr link linkat listen listmount listxattr listxattrat llistxattr _llseek "
    "lremovexattr lseek lsetxattr lstat lstat64 madvise map_shadow_stack membarrier memfd_create memfd_secret "
    "mincore mkdir mkdirat mknod mknodat mlock mlock2 mlockall mmap mmap2 mprotect mq_getsetattr mq_notify "
    "mq_open mq_timedreceive mq_timedreceive_time64 mq_timedsend mq_timedsend_time64 mq_unlink mremap mseal "
    "msgctl msgget msgrcv msgsnd msync munlock munlockall munmap name_to_handle_at nanosleep newfstatat "
    "_newselect open openat openat2 pause pidfd_open pidfd_send_signal pipe pipe2 pkey_alloc pkey_free "
    "pkey_mprotect poll ppoll ppoll_time64 prctl pread64 preadv preadv2 prlimit64 process_mrelease pselect6 "
    "pselect6_time64 pwrite64 pwritev pwritev2 read readahead readlink readlinkat readv recv recvfrom "
    "recvmmsg recvmmsg_time64 recvmsg remap_file_pages removexattr removexattrat rename renameat renameat2 "
    "restart_syscall riscv_hwprobe rmdir rseq rt_sigaction rt_sigpending rt_sigprocmask rt_sigqueueinfo "
    "rt_sigreturn rt_sigsuspend rt_sigtimedwait rt_sigtimedwait_time64 rt_tgsigqueueinfo sched_getaffinity "
    "sched_getattr sched_getparam sched_get_priority_max sched_get_priority_min sched_getscheduler "
    "sched_rr_get_interval sched_rr_get_interval_time64 sched_setaffinity sched_setattr sched_setparam "
    "sched_setscheduler sched_yield seccomp select semctl semget semop semtimedop semtimedop_time64 send "
    "sendfile sendfile64 sendmmsg sendmsg sendto setfsgid setfsgid32 setfsuid setfsuid32 setgid setgid32 "
    "setgroups setgroups32 setitimer setpgid setpriority setregid setregid32 setresgid setresgid32 setresuid "
    "setresuid32 setreuid setreuid32 setrlimit set_robust_list setsid setsockopt set_thread_area "
    "set_tid_address setuid setuid32 setxattr setxattrat shmat shmctl shmdt shmget shutdown sigaltstack "
    "signalfd signalfd4 sigprocmask sigreturn socketcall socketpair splice stat stat64 statfs statfs64 "
    "statmount statx symlink symlinkat sync sync_file_range syncfs sysinfo tee tgkill time timer_create "
    "timer_delete timer_getoverrun timer_gettime timer_gettime64 timer_settime timer_settime64 timerfd_create "
    "timerfd_gettime timerfd_gettime64 timerfd_settime timerfd_settime64 times tkill truncate truncate64 "
    "ugetrlimit umask uname unlink unlinkat uretprobe utime utimensat utimensat_time64 utimes vfork vmsplice "
    "wait4 waitid waitpid write writev";

Profile makeDefault()
{
    Profile p;
    p.defaultAction = Action::Errno;
    p.defaultErrnoRet = 1; // EPERM
    p.archMap = {{QStringLiteral("SCMP_ARCH_X86_64"), {QStringLiteral("SCMP_ARCH_X86"), QStringLiteral("SCMP_ARCH_X32")}},
                 {QStringLiteral("SCMP_ARCH_AARCH64"), {QStringLiteral("SCMP_ARCH_ARM")}},
                 {QStringLiteral("SCMP_ARCH_S390X"), {QStringLiteral("SCMP_ARCH_S390")}},
                 {QStringLiteral("SCMP_ARCH_RISCV64"), {}}};
    QList<SyscallRule> &s = p.syscalls;
    s.append(allow(kAlwaysAllowed));

    // Before 4.8 a traced process could skip its seccomp filter.
    SyscallRule tracing = allow("process_vm_readv process_vm_writev ptrace");
    tracing.includes.minKernel = QStringLiteral("4.8");
    s.append(tracing);

    // Every socket family but AF_ALG (kernel crypto, a history of bugs) and
    // AF_VSOCK (the hypervisor's sockets): the two are 38 and 40.
    static_assert(AF_ALG == 38 && AF_VSOCK == 40);
    s.append(allowIfArg("socket", 0, Compare::LessThan, AF_ALG));
    s.append(allowIfArg("socket", 0, Compare::Equal, AF_ALG + 1));
    s.append(allowIfArg("socket", 0, Compare::GreaterThan, AF_VSOCK));

    // Only the personalities programs ask for (Linux, with and without
    // UNAME26 and READ_IMPLIES_EXEC-free variants, and the query 0xffffffff):
    // the rest is poorly tested BSD/SVr4 emulation.
    for (quint64 persona : {0x0ULL, 0x8ULL, 0x20000ULL, 0x20008ULL, 0xffffffffULL})
        s.append(allowIfArg("personality", 0, Compare::Equal, persona));

    const QString amd64 = QStringLiteral("amd64"), x32 = QStringLiteral("x32"), x86 = QStringLiteral("x86");
    s.append(allowOnArches({QStringLiteral("ppc64le")}, "sync_file_range2 swapcontext"));
    s.append(allowOnArches({QStringLiteral("arm"), QStringLiteral("arm64")},
                           "arm_fadvise64_64 arm_sync_file_range sync_file_range2 breakpoint cacheflush set_tls"));
    s.append(allowOnArches({amd64, x32}, "arch_prctl"));
    s.append(allowOnArches({amd64, x32, x86}, "modify_ldt"));
    s.append(allowOnArches({QStringLiteral("s390"), QStringLiteral("s390x")},
                           "s390_pci_mmio_read s390_pci_mmio_write s390_runtime_instr"));
    s.append(allowOnArches({QStringLiteral("riscv64")}, "riscv_flush_icache"));

    // What a capability already gates comes back with the capability.
    s.append(allowWithCap("CAP_DAC_READ_SEARCH", "open_by_handle_at"));
    s.append(allowWithCap("CAP_SYS_ADMIN",
                          "bpf clone clone3 fanotify_init fsconfig fsmount fsopen fspick lookup_dcookie "
                          "lsm_get_self_attr lsm_list_modules lsm_set_self_attr mount mount_setattr move_mount "
                          "open_tree perf_event_open quotactl quotactl_fd setdomainname sethostname setns syslog "
                          "umount umount2 unshare"));
    // Without CAP_SYS_ADMIN: clone only without namespace flags (s390 puts
    // the flags in the second argument)...
    const quint64 namespaceFlags =
        CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWCGROUP;
    SyscallRule clone = allowIfArg("clone", 0, Compare::MaskedEqual, namespaceFlags, 0);
    clone.excludes.caps = {QStringLiteral("CAP_SYS_ADMIN")};
    clone.excludes.arches = {QStringLiteral("s390"), QStringLiteral("s390x")};
    s.append(clone);
    SyscallRule cloneS390 = allowIfArg("clone", 1, Compare::MaskedEqual, namespaceFlags, 0);
    cloneS390.includes.arches = {QStringLiteral("s390"), QStringLiteral("s390x")};
    cloneS390.excludes.caps = {QStringLiteral("CAP_SYS_ADMIN")};
    s.append(cloneS390);
    // ...and clone3, whose flags live in memory a filter cannot read, says
    // ENOSYS so that libc falls back to clone (EPERM would fail threads).
    SyscallRule clone3{{QStringLiteral("clone3")}, Action::Errno, 38 /* ENOSYS */, {}, {}, {}};
    clone3.excludes.caps = {QStringLiteral("CAP_SYS_ADMIN")};
    s.append(clone3);

    s.append(allowWithCap("CAP_SYS_BOOT", "reboot"));
    s.append(allowWithCap("CAP_SYS_CHROOT", "chroot"));
    s.append(allowWithCap("CAP_SYS_MODULE", "delete_module init_module finit_module"));
    s.append(allowWithCap("CAP_SYS_PACCT", "acct"));
    s.append(allowWithCap("CAP_SYS_PTRACE", "kcmp pidfd_getfd process_madvise process_vm_readv process_vm_writev ptrace"));
    s.append(allowWithCap("CAP_SYS_RAWIO", "iopl ioperm"));
    s.append(allowWithCap("CAP_SYS_TIME", "settimeofday stime clock_settime clock_settime64"));
    s.append(allowWithCap("CAP_SYS_TTY_CONFIG", "vhangup"));
    s.append(allowWithCap("CAP_SYS_NICE", "get_mempolicy mbind set_mempolicy set_mempolicy_home_node"));
    s.append(allowWithCap("CAP_SYSLOG", "syslog"));
    s.append(allowWithCap("CAP_BPF", "bpf"));
    s.append(allowWithCap("CAP_PERFMON", "perf_event_open"));
    return p;
}

} // namespace

const Profile &defaultProfile()
{
    static const Profile profile = makeDefault();
    return profile;
}

} // namespace porthole::runtime::seccomp
