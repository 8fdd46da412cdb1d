// The durable-write primitives: an atomic replace leaves old or new content
// and no litter; stale-temp cleanup must tell a live writer from a dead one by
// its flock, whichever process holds it.
#include "store/fsutil.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace porthole;
using namespace porthole::store;

namespace {

QStringList entriesOf(const QString &dir)
{
    return QDir(dir).entryList(QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot);
}

bool writePlain(const QString &path, const QByteArray &data)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(data) == data.size();
}

// Polls until `flock -n` on path fails, i.e. someone else holds the lock.
bool waitUntilLocked(const QString &path, int timeoutMs)
{
    for (int waited = 0; waited < timeoutMs; waited += 20) {
        const int fd = ::open(QFile::encodeName(path).constData(), O_RDONLY | O_CLOEXEC);
        if (fd >= 0) {
            const bool free = ::flock(fd, LOCK_EX | LOCK_NB) == 0;
            ::close(fd);
            if (!free)
                return true;
        }
        QTest::qWait(20);
    }
    return false;
}

} // namespace

class TestFsUtil : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void writeFileAtomicCreatesAndReplaces();
    void writeFileAtomicIntoMissingDir();
    void removeStaleTempFilesKeepsLockedOnes();
    void removeStaleTempFilesHonoursOtherProcessLock();
    void createTempFileIsLockedAndUnique();
    void makeDirs();
    void readFileLimits();
    void removeAllDoesNotFollowSymlinks();
};

void TestFsUtil::writeFileAtomicCreatesAndReplaces()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("index.json"));
    QVERIFY(writeFileAtomic(path, "first", 0600));
    QCOMPARE(readFile(path).valueOr({}), QByteArray("first"));
    QCOMPARE(QFileInfo(path).permissions() & 0x7777, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadUser | QFileDevice::WriteUser);

    // The replacement is a new inode: a reader holding the old file keeps
    // reading the old content whole.
    QFile oldReader(path);
    QVERIFY(oldReader.open(QIODevice::ReadOnly));
    QVERIFY(writeFileAtomic(path, QByteArray(100000, 'n'), 0644));
    QCOMPARE(oldReader.readAll(), QByteArray("first"));
    QCOMPARE(readFile(path).valueOr({}), QByteArray(100000, 'n'));
    struct stat st {};
    QCOMPARE(::stat(QFile::encodeName(path).constData(), &st), 0);
    QCOMPARE(int(st.st_mode & 07777), 0644);

    QVERIFY(writeFileAtomic(path, QByteArray()));
    QCOMPARE(QFileInfo(path).size(), 0);
    QCOMPARE(entriesOf(dir.path()), QStringList{QStringLiteral("index.json")}); // no temp files left
}

void TestFsUtil::writeFileAtomicIntoMissingDir()
{
    QTemporaryDir dir;
    const Status st = writeFileAtomic(dir.filePath(QStringLiteral("missing/file")), "x");
    QVERIFY(!st);
    QCOMPARE(st.error().code, ErrorCode::NotFound);
    QVERIFY2(st.error().message.contains(dir.filePath(QStringLiteral("missing"))), qPrintable(st.error().message));
}

void TestFsUtil::removeStaleTempFilesKeepsLockedOnes()
{
    QTemporaryDir dir;
    const auto live = createTempFile(dir.path());
    QVERIFY(live);
    QVERIFY(QFileInfo(live->path).fileName().startsWith(QLatin1String(kTempPrefix)));
    const QString dead = dir.filePath(QLatin1String(kTempPrefix) + QStringLiteral("dead"));
    const QString notTemp = dir.filePath(QStringLiteral("tmp-not-ours"));
    QVERIFY(writePlain(dead, "partial"));
    QVERIFY(writePlain(notTemp, "keep"));
    QVERIFY(QDir(dir.path()).mkdir(QLatin1String(kTempPrefix) + QStringLiteral("dir")));

    QCOMPARE(removeStaleTempFiles(dir.path()), 1);
    QVERIFY(QFileInfo::exists(live->path));
    QVERIFY(!QFileInfo::exists(dead));
    QVERIFY(QFileInfo::exists(notTemp));

    // Once its writer closes it, the live file is stale too.
    ::close(live->fd);
    QCOMPARE(removeStaleTempFiles(dir.path()), 1);
    QVERIFY(!QFileInfo::exists(live->path));
    QCOMPARE(removeStaleTempFiles(dir.path()), 0);
    QCOMPARE(removeStaleTempFiles(dir.filePath(QStringLiteral("no-such-dir"))), 0);
}

void TestFsUtil::removeStaleTempFilesHonoursOtherProcessLock()
{
    if (QStandardPaths::findExecutable(QStringLiteral("flock")).isEmpty())
        QSKIP("flock(1) is not installed");
    QTemporaryDir dir;
    const QString path = dir.filePath(QLatin1String(kTempPrefix) + QStringLiteral("held"));
    QVERIFY(writePlain(path, "being written"));
    // The shell opens the file, flock(1) locks that open description, and
    // sleep replaces the shell keeping it: the QProcess pid is the only holder.
    QProcess holder;
    holder.start(QStringLiteral("sh"), {QStringLiteral("-c"), QStringLiteral("exec 9>>\"$0\" && flock -x 9 && exec sleep 30"), path});
    QVERIFY(holder.waitForStarted());
    QVERIFY(waitUntilLocked(path, 5000));
    // Until sleep runs, flock(1) itself may still hold the description.
    const auto command = [pid = holder.processId()] {
        QFile comm(QStringLiteral("/proc/%1/comm").arg(pid)); // size 0: readFile() would not do
        return comm.open(QIODevice::ReadOnly) ? comm.readAll().trimmed() : QByteArray();
    };
    QTRY_COMPARE_WITH_TIMEOUT(command(), QByteArray("sleep"), 5000);

    QCOMPARE(removeStaleTempFiles(dir.path()), 0);
    QVERIFY(QFileInfo::exists(path));

    ::kill(pid_t(holder.processId()), SIGKILL);
    QVERIFY(holder.waitForFinished(5000));
    QCOMPARE(removeStaleTempFiles(dir.path()), 1);
    QVERIFY(!QFileInfo::exists(path));
}

void TestFsUtil::createTempFileIsLockedAndUnique()
{
    QTemporaryDir dir;
    QSet<QString> names;
    QList<int> fds;
    for (int i = 0; i < 50; ++i) {
        const auto tmp = createTempFile(dir.path(), 0600);
        QVERIFY(tmp);
        QVERIFY(!names.contains(tmp->path));
        names.insert(tmp->path);
        fds.append(tmp->fd);
        QVERIFY(::fcntl(tmp->fd, F_GETFD) & FD_CLOEXEC); // children must not inherit the lock
    }
    // Each is locked against any other description.
    for (const QString &name : names) {
        const int fd = ::open(QFile::encodeName(name).constData(), O_RDONLY | O_CLOEXEC);
        QVERIFY(fd >= 0);
        QCOMPARE(::flock(fd, LOCK_EX | LOCK_NB), -1);
        ::close(fd);
    }
    for (int fd : fds)
        ::close(fd);
    QCOMPARE(removeStaleTempFiles(dir.path()), 50);

    const auto missing = createTempFile(dir.filePath(QStringLiteral("nope")));
    QVERIFY(!missing);
    QCOMPARE(missing.error().code, ErrorCode::NotFound);
}

void TestFsUtil::makeDirs()
{
    QTemporaryDir dir;
    const QString deep = dir.filePath(QStringLiteral("a/b/c/d"));
    QVERIFY(store::makeDirs(deep, 0700));
    QVERIFY(QFileInfo(deep).isDir());
    QVERIFY(store::makeDirs(deep)); // already there
    QVERIFY(store::makeDirs(deep + u'/')); // trailing slash
    QVERIFY(writePlain(dir.filePath(QStringLiteral("file")), "x"));
    const Status inTheWay = store::makeDirs(dir.filePath(QStringLiteral("file")));
    QVERIFY(!inTheWay);
    QCOMPARE(inTheWay.error().code, ErrorCode::AlreadyExists);
    QVERIFY(!store::makeDirs(dir.filePath(QStringLiteral("file/below"))));

    // New directories get exactly the mode asked for, whatever the umask
    // (an upper dir's mode is "/" in its container); existing ones keep theirs.
    const mode_t oldMask = ::umask(077);
    const Status viewable = store::makeDirs(dir.filePath(QStringLiteral("e/f")), 0755);
    ::umask(oldMask);
    QVERIFY(viewable);
    for (const char *p : {"e", "e/f"}) {
        struct stat st {};
        QCOMPARE(::stat(QFile::encodeName(dir.filePath(QLatin1String(p))).constData(), &st), 0);
        QCOMPARE(int(st.st_mode & 07777), 0755);
    }
    QVERIFY(store::makeDirs(dir.filePath(QStringLiteral("e/f/g")), 0700));
    struct stat st {};
    QCOMPARE(::stat(QFile::encodeName(dir.filePath(QStringLiteral("e"))).constData(), &st), 0);
    QCOMPARE(int(st.st_mode & 07777), 0755);
    QCOMPARE(::stat(QFile::encodeName(dir.filePath(QStringLiteral("e/f/g"))).constData(), &st), 0);
    QCOMPARE(int(st.st_mode & 07777), 0700);
}

void TestFsUtil::readFileLimits()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("f"));
    QVERIFY(writePlain(path, QByteArray(1000, 'x')));
    QCOMPARE(readFile(path, 1000).valueOr({}).size(), 1000);
    const auto tooBig = readFile(path, 999);
    QVERIFY(!tooBig);
    QCOMPARE(tooBig.error().code, ErrorCode::InvalidArgument);
    const auto missing = readFile(dir.filePath(QStringLiteral("missing")));
    QVERIFY(!missing);
    QCOMPARE(missing.error().code, ErrorCode::NotFound);
}

void TestFsUtil::removeAllDoesNotFollowSymlinks()
{
    QTemporaryDir dir;
    const QString outside = dir.filePath(QStringLiteral("outside"));
    QVERIFY(store::makeDirs(outside));
    QVERIFY(writePlain(outside + QStringLiteral("/precious"), "keep"));
    const QString tree = dir.filePath(QStringLiteral("tree"));
    QVERIFY(store::makeDirs(tree + QStringLiteral("/sub")));
    QVERIFY(writePlain(tree + QStringLiteral("/sub/file"), "x"));
    QVERIFY(QFile::link(outside, tree + QStringLiteral("/sub/link")));
    QVERIFY(QFile::link(outside + QStringLiteral("/precious"), tree + QStringLiteral("/filelink")));

    QVERIFY(removeAll(tree));
    QVERIFY(!pathExists(tree));
    QVERIFY(QFileInfo::exists(outside + QStringLiteral("/precious")));

    // A symlink given directly is removed as a link.
    const QString link = dir.filePath(QStringLiteral("toplink"));
    QVERIFY(QFile::link(outside, link));
    QVERIFY(removeAll(link));
    QVERIFY(!pathExists(link));
    QVERIFY(QFileInfo::exists(outside + QStringLiteral("/precious")));
    QVERIFY(removeAll(dir.filePath(QStringLiteral("never-existed"))));
}

QTEST_GUILESS_MAIN(TestFsUtil)
#include "tst_fsutil.moc"
