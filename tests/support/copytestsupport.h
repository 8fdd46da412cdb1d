// Shared by the cp and export tests (tst_copy: docker's cp rules;
// tst_copycontainment: nothing in the container reaches the host;
// tst_export): two demo containers, one running and one exited, made the
// same way in each, a host marker directory the container must never
// change, and a device/setuid probe.
#pragma once

#include "support/testsupport.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

#include <unistd.h>

namespace porthole::test::copying {

inline constexpr char kRunning[] = "cp-running";
inline constexpr char kExited[] = "cp-exited";

// Files as "path=content", symlinks as "path->target", dirs as "path/".
inline QStringList tree(const QString &dir)
{
    QStringList out;
    QDirIterator it(dir, QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QFileInfo info(it.next());
        const QString rel = QDir(dir).relativeFilePath(info.filePath());
        if (info.isSymLink()) {
            char target[4096];
            const ssize_t n = ::readlink(QFile::encodeName(info.filePath()).constData(), target, sizeof target);
            out << rel + QStringLiteral("->") + QString::fromUtf8(target, int(qMax<ssize_t>(n, 0)));
        } else if (info.isDir())
            out << rel + u'/';
        else {
            QFile f(info.filePath());
            out << rel + u'=' + QString::fromUtf8(f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray("?"));
        }
    }
    out.sort();
    return out;
}

class CopyFixture {
protected:
    RunResult ph(const QStringList &args, const QByteArray &input = {})
    {
        return porthole::test::runWithDemo(m_root.path(), args, input);
    }

    // Called by initTestCase once the machine can run containers.
    void startContainers()
    {
        QVERIFY(m_root.isValid() && m_marker.isValid() && m_hostOnly.isValid() && m_work.isValid());
        QVERIFY2(porthole::test::demoImageReady(m_root.path()), "the demo image was not created");
        QVERIFY(porthole::test::writeFile(m_marker.filePath(QStringLiteral("secret")), "host-secret\n"));
        QVERIFY(porthole::test::writeFile(m_hostOnly.filePath(QStringLiteral("secret")), "host-secret\n"));
        const QString setup = QStringLiteral(
            "mkdir -p /data/sub /in '%1' && echo hello > /data/file && echo inner > /data/sub/inner && ln -s file /data/link"
            " && ln -s / /to-root && ln -s ../../.. /to-up && ln -s '%1' /to-host && echo container-secret > '%1/secret'"
            " && ln -s '%2' /to-host-only")
                                  .arg(m_marker.path(), m_hostOnly.path());
        for (const char *name : {kRunning, kExited}) {
            QStringList args{QStringLiteral("run"), QStringLiteral("--name"), QLatin1String(name), QStringLiteral("--network"), QStringLiteral("none")};
            if (name == kRunning)
                args << QStringLiteral("-d");
            args << QStringLiteral("localhost/demo") << QStringLiteral("sh") << QStringLiteral("-c")
                 << (name == kRunning ? setup + QStringLiteral(" && echo ready > /ready && exec sleep 600") : setup);
            const RunResult r = ph(args);
            QVERIFY2(r.exitCode == 0, r.err.constData());
        }
        QTRY_COMPARE_WITH_TIMEOUT(ph({QStringLiteral("exec"), QLatin1String(kRunning), QStringLiteral("cat"), QStringLiteral("/ready")}).out,
                                  QByteArray("ready\n"), 10000);
    }

    void removeContainers()
    {
        if (porthole::test::containerSkipReason().isEmpty())
            porthole::test::removeAllContainers(m_root.path());
    }

    void addBothStates(const char *name, const QStringList &flags, const QString &a, const QString &b, const QStringList &expected)
    {
        for (const char *c : {kRunning, kExited})
            QTest::addRow("%s, %s", c, name) << QString::fromLatin1(c) << flags << a << b << expected;
    }

    // The host marker must never change: same entries, same content.
    void checkMarker()
    {
        QCOMPARE(tree(m_marker.path()), (QStringList{QStringLiteral("secret=host-secret\n")}));
    }

    // A device node of this host's disk and a setuid program, made in the
    // container by its root (once, for every row).
    bool makeProbe()
    {
        QByteArray disk = "7 0";
        QFile partitions(QStringLiteral("/proc/partitions"));
        if (partitions.open(QIODevice::ReadOnly)) {
            const QList<QByteArray> first = partitions.readAll().split('\n').value(2).simplified().split(' ');
            if (first.size() >= 2)
                disk = first[0] + ' ' + first[1];
        }
        const RunResult r = ph({QStringLiteral("exec"), QLatin1String(kRunning), QStringLiteral("sh"), QStringLiteral("-c"),
                                QStringLiteral("[ -e /probe/suid ] || { mkdir /probe && cd /probe && mknod blk b %1 && mknod chr c 1 3"
                                               " && ln blk blk-link && mkfifo fifo && cp /bin/busybox suid && chmod 4755 suid; }")
                                    .arg(QString::fromLatin1(disk))});
        if (r.exitCode != 0)
            qWarning("make the probe: %s", r.err.constData());
        return r.exitCode == 0;
    }

    QTemporaryDir m_root;
    QTemporaryDir m_marker; // a host directory the container has its own copy of
    QTemporaryDir m_hostOnly; // one it has not
    QTemporaryDir m_work;
    int m_row = 0;
};

} // namespace porthole::test::copying
