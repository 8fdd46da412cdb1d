// Helpers shared by the Qt Test executables: temporary store roots, running
// the porthole binary, building tar fixtures in memory.
#pragma once

#include "core/bytestream.h"

#include <QByteArray>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

namespace porthole::test {

// Collects everything written to it (for tests of tar and stream writers).
class ByteArraySink final : public ByteSink {
public:
    Status write(const char *data, qint64 size) override
    {
        bytes.append(data, size);
        return {};
    }
    QByteArray bytes;
};

// Where the built porthole executable is.
QString portholeBinary();
// The source tree (for resources and fixtures).
QString sourceDir();

struct RunResult {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

// Runs `porthole --root ROOT ARGS...` with stdin fed from `input`; waits up
// to timeoutMs. A crash or time-out is reported as exit code -1.
RunResult runPorthole(const QString &root, const QStringList &args, const QByteArray &input = {},
                      int timeoutMs = 120000, const QProcessEnvironment &env = QProcessEnvironment::systemEnvironment());

// Runs any program; same conventions as runPorthole.
RunResult runProgram(const QString &program, const QStringList &args, const QByteArray &input = {},
                     int timeoutMs = 120000);

// Writes (replaces) a file; false on any failure.
bool writeFile(const QString &path, const QByteArray &data);

// A directory's entries (hidden ones too), sorted.
QStringList dirEntries(const QString &dir);

// True if `program` is on PATH.
bool haveProgram(const QString &program);

// The permission bits (07777) of path, not followed; -1 if it is missing.
int fileMode(const QString &path);
// chmod; false on failure.
bool setFileMode(const QString &path, int mode);
// QVERIFY that path has mode, printed in octal when it has not.
#define PH_COMPARE_MODE(path, mode)                                                                                    \
    QVERIFY2(porthole::test::fileMode(path) == (mode),                                                                 \
             qPrintable(QStringLiteral("%1 is %2, not %3").arg(path).arg(porthole::test::fileMode(path), 0, 8).arg(mode, 0, 8)))

// For container tests: this environment without PORTHOLE_NO_DEMO, so the
// store gets localhost/demo:latest on first use.
QProcessEnvironment demoEnvironment();
RunResult runWithDemo(const QString &root, const QStringList &args, const QByteArray &input = {}, int timeoutMs = 60000);
// Creates the demo image in root; false if it did not appear.
bool demoImageReady(const QString &root);
// Removes every container of root (rm -f), so nothing outlives a test.
void removeAllContainers(const QString &root);
// Why container tests cannot run here, or empty when they can.
QString containerSkipReason();

// Cgroup tests run their v2 code paths on a hybrid host by rerunning
// themselves in a private mount namespace with cgroup2 mounted at
// /sys/fs/cgroup (the host's mounts are untouched); the rerun has
// PORTHOLE_TEST_EXPECT_CGROUP_LAYOUT=v2. layout: Cgroup::layoutName() (this
// library does not link the runtime). Why the rerun cannot happen, or empty.
QString pureCgroupV2SkipReason(const QString &layout);
// Runs the given test functions of this executable that way.
RunResult rerunUnderPureCgroupV2(const QStringList &testFunctions);

} // namespace porthole::test
