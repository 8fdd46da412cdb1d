/* porthole-exec: the last step into a container, as a tiny static program
 * run from a sealed memfd (runtime/trampoline.h).
 *
 * Why it exists (CVE-2019-5736): the process that enters a container runs
 * Porthole's binary until its final execve. If the container's command is a
 * script whose interpreter is "#!/proc/self/exe", the kernel resolves that
 * link to whatever binary the exec'ing process runs and starts it inside the
 * container, where container root can reopen it through /proc/<pid>/exe for
 * writing once nothing runs it any more. Porthole's process therefore execs
 * this program from a sealed, unwritable memfd, and this program execs the
 * command: /proc/self/exe at that moment is the memfd, not a host file.
 *
 * No libc (nothing to load, nothing from the host beyond these bytes):
 *   argv[0] = "porthole-exec", argv[1] = sync fd (decimal, or "-"),
 *   argv[2] = the resolved program, argv[3..] = the command's argv.
 * On a failed execve it sends the shim's sync channel a Failed message
 * (runtime/syncchannel.h: 'f', 4-byte length, 4-byte exit code, text) and
 * exits with docker's code (127 not found, else 126). Run any other way
 * (as "/proc/self/exe" from a script) it says what it is and exits 126. */

#if defined(__x86_64__)
#define NR_write 1
#define NR_fcntl 72
#define NR_prctl 157
#define NR_execve 59
#define NR_exit_group 231
static long sys3(long n, long a, long b, long c)
{
    long r;
    __asm__ volatile("syscall" : "=a"(r) : "a"(n), "D"(a), "S"(b), "d"(c) : "rcx", "r11", "memory");
    return r;
}
__asm__(".text\n.global _start\n_start:\n xor %rbp,%rbp\n mov %rsp,%rdi\n and $-16,%rsp\n call trampoline_main\n hlt\n");
#elif defined(__aarch64__)
#define NR_write 64
#define NR_fcntl 25
#define NR_prctl 167
#define NR_execve 221
#define NR_exit_group 94
static long sys3(long n, long a, long b, long c)
{
    register long x8 __asm__("x8") = n;
    register long x0 __asm__("x0") = a;
    register long x1 __asm__("x1") = b;
    register long x2 __asm__("x2") = c;
    __asm__ volatile("svc #0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2) : "memory");
    return x0;
}
__asm__(".text\n.global _start\n_start:\n mov x29, #0\n mov x0, sp\n and sp, x0, #-16\n bl trampoline_main\n brk #0\n");
#else
#error "porthole-exec: add this architecture's system call convention"
#endif

#define F_SETFD 2
#define FD_CLOEXEC 1
#define PR_SET_DUMPABLE 4

static unsigned long length(const char *s)
{
    unsigned long n = 0;
    while (s[n])
        ++n;
    return n;
}

static int same(const char *a, const char *b)
{
    while (*a && *a == *b)
        ++a, ++b;
    return *a == *b;
}

static __attribute__((noreturn)) void leave(int code)
{
    for (;;)
        sys3(NR_exit_group, code, 0, 0);
}

static const char *describe(long err)
{
    switch (err) {
    case 1: return "operation not permitted";
    case 2: return "no such file or directory";
    case 7: return "argument list too long";
    case 8: return "exec format error";
    case 12: return "cannot allocate memory";
    case 13: return "permission denied";
    case 20: return "not a directory";
    case 21: return "is a directory";
    case 26: return "text file busy";
    case 36: return "file name too long";
    case 40: return "too many levels of symbolic links";
    default: return "cannot execute";
    }
}

static char *append(char *out, char *end, const char *s)
{
    while (*s && out < end)
        *out++ = *s++;
    return out;
}

static void reportFailure(long fd, const char *program, long err, int code)
{
    static char msg[4096];
    char *p = msg + 9, *end = msg + sizeof msg;
    p = append(p, end, "exec: \"");
    p = append(p, end, program);
    p = append(p, end, "\": ");
    p = append(p, end, describe(err));
    const unsigned long payload = (unsigned long)(p - msg) - 5;
    msg[0] = 'f';
    for (int i = 0; i < 4; ++i) {
        msg[1 + i] = (char)(payload >> (24 - 8 * i));
        msg[5 + i] = (char)((unsigned)code >> (24 - 8 * i));
    }
    if (fd >= 0) {
        sys3(NR_write, fd, (long)msg, (long)(p - msg));
    } else {
        p = append(p, end - 1, "\n");
        sys3(NR_write, 2, (long)(msg + 9), (long)(p - msg - 9));
    }
}

__attribute__((used, noreturn)) void trampoline_main(long *sp)
{
    const long argc = sp[0];
    char **argv = (char **)(sp + 1);
    char **envp = argv + argc + 1;
    /* Nothing in the container may look into this process before it execs. */
    sys3(NR_prctl, PR_SET_DUMPABLE, 0, 0);
    if (argc < 4 || !same(argv[0], "porthole-exec")) {
        static const char what[] =
            "porthole-exec: this is Porthole's exec trampoline (a sealed in-memory program); "
            "it runs only as the last step of starting a container's command\n";
        sys3(NR_write, 2, (long)what, sizeof what - 1);
        leave(126);
    }
    long syncFd = -1;
    for (const char *d = argv[1]; *d >= '0' && *d <= '9'; ++d)
        syncFd = (syncFd < 0 ? 0 : syncFd * 10) + (*d - '0');
    /* The channel closes with a successful exec, so the shim hears nothing. */
    if (syncFd >= 0)
        sys3(NR_fcntl, syncFd, F_SETFD, FD_CLOEXEC);
    const long err = -sys3(NR_execve, (long)argv[2], (long)(argv + 3), (long)envp);
    const int code = err == 2 ? 127 : 126;
    reportFailure(syncFd, argv[3], err, code);
    leave(code);
}
