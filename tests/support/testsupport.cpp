#include "support/testsupport.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QStandardPaths>

#include <sys/stat.h>
#include <unistd.h>

namespace porthole::test {

QString portholeBinary() { return QStringLiteral(PORTHOLE_BINARY); }
QString sourceDir() { return QStringLiteral(PORTHOLE_SOURCE_DIR); }

static RunResult runWith(QProcess &p, const QByteArray &input, int timeoutMs)
{
    RunResult r;
    p.start();
    if (!p.waitForStarted(10000)) {
        r.err = p.errorString().toUtf8();
        return r;
    }
    if (!input.isEmpty())
        p.write(input);
    p.closeWriteChannel();
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
        r.err = "timed out";
        return r;
    }
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    return r;
}

RunResult runPorthole(const QString &root, const QStringList &args, const QByteArray &input, int timeoutMs,
                      const QProcessEnvironment &env)
{
    QProcess p;
    p.setProgram(portholeBinary());
    p.setArguments(QStringList{QStringLiteral("--root"), root} + args);
    p.setProcessEnvironment(env);
    return runWith(p, input, timeoutMs);
}

RunResult runProgram(const QString &program, const QStringList &args, const QByteArray &input, int timeoutMs)
{
    QProcess p;
    p.setProgram(program);
    p.setArguments(args);
    return runWith(p, input, timeoutMs);
}

QProcessEnvironment demoEnvironment()
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("PORTHOLE_NO_DEMO"));
    return env;
}

RunResult runWithDemo(const QString &root, const QStringList &args, const QByteArray &input, int timeoutMs)
{
    return runPorthole(root, args, input, timeoutMs, demoEnvironment());
}

bool demoImageReady(const QString &root)
{
    const RunResult r = runWithDemo(root, {QStringLiteral("images"), QStringLiteral("-q")});
    return r.exitCode == 0 && !r.out.trimmed().isEmpty();
}

void removeAllContainers(const QString &root)
{
    const RunResult ids = runWithDemo(root, {QStringLiteral("ps"), QStringLiteral("-aq")});
    for (const QByteArray &id : ids.out.split('\n')) {
        if (!id.isEmpty())
            runWithDemo(root, {QStringLiteral("rm"), QStringLiteral("-f"), QString::fromLatin1(id)});
    }
}

QString containerSkipReason()
{
    return ::geteuid() == 0 ? QString() : QStringLiteral("running containers needs root (namespaces, overlayfs, cgroups)");
}

QString pureCgroupV2SkipReason(const QString &layout)
{
    if (!qEnvironmentVariableIsEmpty("PORTHOLE_TEST_EXPECT_CGROUP_LAYOUT"))
        return QStringLiteral("already the pure-v2 run");
    if (::geteuid() != 0 || layout != QLatin1String("hybrid"))
        return QStringLiteral("only a hybrid host needs the pure-v2 layout emulated (needs root)");
    if (QStandardPaths::findExecutable(QStringLiteral("unshare")).isEmpty())
        return QStringLiteral("needs unshare(1) from util-linux");
    return {};
}

RunResult rerunUnderPureCgroupV2(const QStringList &testFunctions)
{
    return runProgram(QStandardPaths::findExecutable(QStringLiteral("unshare")),
                      QStringList{QStringLiteral("--mount"), QStringLiteral("--propagation"), QStringLiteral("private"),
                                  QStringLiteral("sh"), QStringLiteral("-c"),
                                  QStringLiteral("umount -l /sys/fs/cgroup && mount -t cgroup2 cgroup2 /sys/fs/cgroup"
                                                 " && PORTHOLE_TEST_EXPECT_CGROUP_LAYOUT=v2 exec \"$0\" \"$@\""),
                                  QCoreApplication::applicationFilePath()}
                          + testFunctions);
}

bool writeFile(const QString &path, const QByteArray &data)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(data) == data.size();
}

QStringList dirEntries(const QString &dir)
{
    auto list = QDir(dir).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot);
    list.sort();
    return list;
}

int fileMode(const QString &path)
{
    struct stat st {};
    if (::lstat(QFile::encodeName(path).constData(), &st) != 0)
        return -1;
    return int(st.st_mode & 07777);
}

bool setFileMode(const QString &path, int mode) { return ::chmod(QFile::encodeName(path).constData(), mode_t(mode)) == 0; }

bool haveProgram(const QString &program)
{
    return !QStandardPaths::findExecutable(program).isEmpty();
}

} // namespace porthole::test
