#include "support/testsupport.h"

#include <QProcess>
#include <QStandardPaths>

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

bool haveProgram(const QString &program)
{
    return !QStandardPaths::findExecutable(program).isEmpty();
}

} // namespace porthole::test
