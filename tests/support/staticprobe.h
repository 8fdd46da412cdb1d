// A small static program for checking, from inside a real container, what
// the kernel lets it do (busybox cannot make an arbitrary system call).
// Built by the test that needs it with the machine's gcc and static glibc,
// so no binary is kept in the repository:
//   probe sys NR [ARG...]        raw syscall; prints "ok" or "errno=N"
//                                (a clone that succeeds: the child leaves at once)
//   probe open PATH [w]          open for reading (or writing): "ok" or "errno=N"
//   probe mknod PATH b|c MAJ MIN make a device node: "ok" or "errno=N"
#pragma once

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QString>

namespace porthole::test {

inline const char *staticProbeSource()
{
    return R"(#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

static int say(long rc) { if (rc < 0) printf("errno=%d\n", errno); else printf("ok\n"); return 0; }

int main(int argc, char **argv)
{
    if (argc >= 3 && !strcmp(argv[1], "sys")) {
        long a[6] = {0};
        for (int i = 3; i < argc && i < 9; ++i)
            a[i - 3] = (long)strtoull(argv[i], 0, 0);
        long nr = strtol(argv[2], 0, 0);
        long rc = syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
        if (rc == 0 && (nr == SYS_clone || nr == SYS_fork))
            _exit(0); /* the child of a clone that worked */
        if (rc > 0 && nr == SYS_clone)
            waitpid((pid_t)rc, 0, 0);
        return say(rc);
    }
    if (argc >= 3 && !strcmp(argv[1], "open"))
        return say(open(argv[2], argc > 3 ? O_WRONLY : O_RDONLY));
    if (argc >= 6 && !strcmp(argv[1], "mknod"))
        return say(mknod(argv[2], (argv[3][0] == 'b' ? S_IFBLK : S_IFCHR) | 0600,
                         makedev(strtoul(argv[4], 0, 0), strtoul(argv[5], 0, 0))));
    fprintf(stderr, "usage: probe sys NR [ARG...] | open PATH [w] | mknod PATH b|c MAJ MIN\n");
    return 2;
}
)";
}

// Builds the probe as DIR/probe; an empty string on success, else why not.
inline QString buildStaticProbe(const QString &dir)
{
    const QString source = dir + QStringLiteral("/probe.c");
    QFile f(source);
    if (!f.open(QIODevice::WriteOnly) || f.write(staticProbeSource()) < 0)
        return QStringLiteral("cannot write %1").arg(source);
    f.close();
    QProcess cc;
    cc.start(QStringLiteral("gcc"), {QStringLiteral("-static"), QStringLiteral("-O1"), QStringLiteral("-o"),
                                     dir + QStringLiteral("/probe"), source});
    if (!cc.waitForFinished(120000) || cc.exitStatus() != QProcess::NormalExit || cc.exitCode() != 0)
        return QStringLiteral("gcc -static failed: %1").arg(QString::fromLocal8Bit(cc.readAllStandardError()));
    return {};
}

} // namespace porthole::test
