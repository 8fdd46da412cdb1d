// FileLock carries the store's inter-process safety: readers share, writers
// exclude, and a holder killed with SIGKILL must not wedge the store.
#include "store/filelock.h"

#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTest>

#include <atomic>
#include <csignal>
#include <poll.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

using namespace porthole;
using namespace porthole::store;

using Mode = FileLock::Mode;
Q_DECLARE_METATYPE(FileLock::Mode)

class TestFileLock : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void conflicts_data();
    void conflicts();
    void acquireWaitsForRelease();
    void releaseAndMove();
    void killedChildReleasesLock_data();
    void killedChildReleasesLock();
    void unopenableLockFile();
};

void TestFileLock::conflicts_data()
{
    QTest::addColumn<Mode>("held");
    QTest::addColumn<Mode>("wanted");
    QTest::addColumn<bool>("granted");
    QTest::newRow("shared, shared") << Mode::Shared << Mode::Shared << true;
    QTest::newRow("shared, exclusive") << Mode::Shared << Mode::Exclusive << false;
    QTest::newRow("exclusive, shared") << Mode::Exclusive << Mode::Shared << false;
    QTest::newRow("exclusive, exclusive") << Mode::Exclusive << Mode::Exclusive << false;
}

void TestFileLock::conflicts()
{
    QFETCH(Mode, held);
    QFETCH(Mode, wanted);
    QFETCH(bool, granted);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("x.lock"));
    auto first = FileLock::acquire(path, held);
    QVERIFY(first);
    QVERIFY(first->isHeld());
    QVERIFY(QFileInfo::exists(path)); // created on demand

    // Two locks in one process conflict like two processes would.
    auto second = FileLock::tryAcquire(path, wanted);
    QCOMPARE(second.ok(), granted);
    if (!granted) {
        QCOMPARE(second.error().code, ErrorCode::Unavailable);
        QVERIFY2(second.error().message.contains(path), qPrintable(second.error().message));
    }
    first->release();
    QVERIFY(!first->isHeld());
    QVERIFY(FileLock::tryAcquire(path, wanted));
}

void TestFileLock::acquireWaitsForRelease()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("x.lock"));
    auto holder = FileLock::acquire(path, Mode::Exclusive);
    QVERIFY(holder);

    std::atomic<bool> got{false};
    std::atomic<qint64> waitedMs{-1};
    std::thread waiter([&] {
        QElapsedTimer t;
        t.start();
        auto lock = FileLock::acquire(path, Mode::Shared);
        waitedMs = t.elapsed();
        got = lock.ok();
    });
    QTest::qWait(300);
    QVERIFY(!got.load()); // still blocked
    holder->release();
    waiter.join();
    QVERIFY(got.load());
    QVERIFY2(waitedMs.load() >= 250, qPrintable(QString::number(waitedMs.load())));
}

void TestFileLock::releaseAndMove()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("x.lock"));
    FileLock outer;
    QVERIFY(!outer.isHeld());
    {
        auto lock = FileLock::acquire(path, Mode::Exclusive);
        QVERIFY(lock);
        FileLock moved(std::move(*lock));
        QVERIFY(!lock->isHeld());
        QVERIFY(moved.isHeld());
        outer = std::move(moved);
        QVERIFY(!moved.isHeld());
    } // the moved-from ones must not unlock on destruction
    QVERIFY(outer.isHeld());
    QVERIFY(!FileLock::tryAcquire(path, Mode::Shared));

    // Assigning over a held lock releases the old one.
    const QString other = dir.filePath(QStringLiteral("y.lock"));
    outer = std::move(*FileLock::acquire(other, Mode::Exclusive));
    QVERIFY(FileLock::tryAcquire(path, Mode::Exclusive));
    QVERIFY(!FileLock::tryAcquire(other, Mode::Exclusive));
    outer.release();
    outer.release(); // twice is harmless
    QVERIFY(FileLock::tryAcquire(other, Mode::Exclusive));
}

void TestFileLock::killedChildReleasesLock_data()
{
    QTest::addColumn<Mode>("childMode");
    QTest::newRow("exclusive") << Mode::Exclusive;
    QTest::newRow("shared") << Mode::Shared;
}

void TestFileLock::killedChildReleasesLock()
{
    QFETCH(Mode, childMode);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("gc.lock"));
    int ready[2];
    QCOMPARE(::pipe(ready), 0);
    const pid_t child = ::fork();
    QVERIFY(child >= 0);
    if (child == 0) {
        // The child takes the lock with FileLock itself, says so, and waits
        // to be killed; it never returns into the test framework.
        ::close(ready[0]);
        auto lock = FileLock::acquire(path, childMode);
        const char c = lock ? 'y' : 'n';
        (void)!::write(ready[1], &c, 1);
        for (;;)
            ::pause();
    }
    ::close(ready[1]);
    pollfd pfd{ready[0], POLLIN, 0};
    char c = 0;
    const bool signalled = ::poll(&pfd, 1, 10000) == 1 && ::read(ready[0], &c, 1) == 1;
    ::close(ready[0]);
    if (!signalled || c != 'y') {
        ::kill(child, SIGKILL);
        ::waitpid(child, nullptr, 0);
        QFAIL("the child did not get the lock");
    }

    const auto blocked = FileLock::tryAcquire(path, Mode::Exclusive);
    QVERIFY(!blocked);
    QCOMPARE(blocked.error().code, ErrorCode::Unavailable);
    if (childMode == Mode::Shared)
        QVERIFY(FileLock::tryAcquire(path, Mode::Shared));

    QCOMPARE(::kill(child, SIGKILL), 0);
    int status = 0;
    QCOMPARE(::waitpid(child, &status, 0), child);
    QVERIFY(WIFSIGNALED(status));
    QVERIFY(FileLock::tryAcquire(path, Mode::Exclusive));
}

void TestFileLock::unopenableLockFile()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("missing-dir/x.lock"));
    auto check = [&](const Result<FileLock> &r) {
        QVERIFY(!r);
        QCOMPARE(r.error().code, ErrorCode::NotFound);
        QVERIFY2(r.error().message.contains(path), qPrintable(r.error().message));
    };
    check(FileLock::acquire(path, Mode::Shared));
    check(FileLock::tryAcquire(path, Mode::Exclusive));
}

QTEST_GUILESS_MAIN(TestFileLock)
#include "tst_filelock.moc"
