// The content store's promise: a blob is visible under its name only when its
// bytes hash to that name, and a failed or abandoned write leaves nothing.
#include "store/contentstore.h"
#include "store/fsutil.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <sys/resource.h>
#include <thread>

using namespace porthole;
using namespace porthole::store;

namespace {

QByteArray randomBytes(qsizetype size, quint32 seed)
{
    QByteArray data(size, Qt::Uninitialized);
    QRandomGenerator gen(seed);
    for (char &c : data)
        c = char(gen.generate() & 0xff);
    return data;
}

// Independent of the engine's Sha256, so a hashing bug cannot hide itself.
QString sha256Hex(const QByteArray &data)
{
    return QString::fromLatin1(QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex());
}

QStringList filesIn(const QString &dir)
{
    return QDir(dir).entryList(QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot);
}

} // namespace

class TestContentStore : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init();
    void roundTrip_data();
    void roundTrip();
    void readMissing();
    void readDetectsCorruption();
    void readRefusesHugeBlob();
    void commitRejects_data();
    void commitRejects();
    void commitWithRightExpectations();
    void abandonedWriterLeavesNothing();
    void failedWriteCannotCommit();
    void writerFinishedAfterCommit();
    void concurrentWritersOfSameBlob();
    void listAndRemove();
    void initializeRemovesDeadIngestFiles();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<ContentStore> m_store;
    QString blobDir() const { return m_dir->path() + QStringLiteral("/blobs/sha256"); }
    QString ingestDir() const { return m_dir->path() + QStringLiteral("/ingest"); }
};

void TestContentStore::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_store = std::make_unique<ContentStore>(m_dir->path());
    QVERIFY(m_store->initialize());
    QVERIFY(QFileInfo(blobDir()).isDir());
    QVERIFY(QFileInfo(ingestDir()).isDir());
}

void TestContentStore::roundTrip_data()
{
    QTest::addColumn<QByteArray>("data");
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("one byte") << QByteArray("x");
    QTest::newRow("json") << QByteArray(R"({"schemaVersion":2})");
    QTest::newRow("64 KiB + 1") << randomBytes(65537, 1);
    QTest::newRow("3 MiB") << randomBytes(3 << 20, 2);
}

void TestContentStore::roundTrip()
{
    QFETCH(QByteArray, data);
    const auto digest = m_store->write(data);
    QVERIFY2(digest, qPrintable(digest ? QString() : digest.error().message));
    QCOMPARE(digest->hex(), sha256Hex(data));
    QVERIFY(m_store->has(*digest));
    QCOMPARE(m_store->blobPath(*digest), blobDir() + u'/' + sha256Hex(data));
    QCOMPARE(m_store->size(*digest).valueOr(-1), data.size());

    const auto back = m_store->read(*digest);
    QVERIFY(back);
    QCOMPARE(*back, data);

    // The streaming reader returns the same bytes.
    auto source = m_store->open(*digest);
    QVERIFY(source);
    QByteArray streamed;
    char buf[7919];
    for (;;) {
        const auto n = (*source)->read(buf, sizeof buf);
        QVERIFY(n);
        if (*n == 0)
            break;
        streamed.append(buf, *n);
    }
    QCOMPARE(streamed, data);
    QCOMPARE(filesIn(ingestDir()), QStringList());
}

void TestContentStore::readMissing()
{
    const Digest absent = Sha256::of("absent");
    QVERIFY(!m_store->has(absent));
    QVERIFY(!m_store->has(Digest()));
    for (const Error &e : {m_store->read(absent).error(), m_store->open(absent).error(), m_store->size(absent).error()}) {
        QCOMPARE(e.code, ErrorCode::NotFound);
        QVERIFY2(e.message.contains(absent.toString()), qPrintable(e.message));
    }
}

void TestContentStore::readDetectsCorruption()
{
    const QByteArray data = randomBytes(4096, 3);
    const auto digest = m_store->write(data);
    QVERIFY(digest);
    QByteArray damaged = data;
    damaged[2000] = char(damaged[2000] ^ 0x01);
    QFile f(m_store->blobPath(*digest));
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(damaged);
    f.close();

    const auto back = m_store->read(*digest);
    QVERIFY(!back);
    QCOMPARE(back.error().code, ErrorCode::Io);
    QVERIFY2(back.error().message.contains(digest->toString()), qPrintable(back.error().message));
    QVERIFY2(back.error().message.contains(QStringLiteral("does not match")), qPrintable(back.error().message));

    // A truncated blob is damaged too.
    QVERIFY(f.resize(100));
    QVERIFY(!m_store->read(*digest));
}

void TestContentStore::readRefusesHugeBlob()
{
    const QByteArray data = randomBytes(10000, 4);
    const auto digest = m_store->write(data);
    QVERIFY(digest);
    const auto back = m_store->read(*digest, 9999);
    QVERIFY(!back);
    QCOMPARE(back.error().code, ErrorCode::InvalidArgument);
    QVERIFY(m_store->read(*digest, 10000));
}

void TestContentStore::commitRejects_data()
{
    QTest::addColumn<bool>("wrongDigest");
    QTest::addColumn<qint64>("sizeDelta"); // added to the true size; 0 = right size
    QTest::addColumn<QString>("expected");
    QTest::newRow("wrong digest") << true << qint64(0) << "expected";
    QTest::newRow("size too small") << false << qint64(-1) << "expected 99999";
    QTest::newRow("size too large") << false << qint64(1) << "expected 100001";
    QTest::newRow("both wrong") << true << qint64(5) << "expected";
}

void TestContentStore::commitRejects()
{
    QFETCH(bool, wrongDigest);
    QFETCH(qint64, sizeDelta);
    QFETCH(QString, expected);
    const QByteArray data = randomBytes(100000, 5);
    const Digest right = Sha256::of(data);
    const Digest wrong = Sha256::of("something else");

    auto writer = m_store->openWriter();
    QVERIFY(writer);
    QCOMPARE(filesIn(ingestDir()).size(), 1); // the writer's temp file
    QVERIFY((*writer)->write(data.constData(), 60000));
    QVERIFY((*writer)->write(data.constData() + 60000, data.size() - 60000));
    QCOMPARE((*writer)->bytesWritten(), data.size());
    const auto committed = (*writer)->commit(wrongDigest ? wrong : right, data.size() + sizeDelta);
    QVERIFY(!committed);
    QCOMPARE(committed.error().code, ErrorCode::InvalidArgument);
    QVERIFY2(committed.error().message.contains(expected), qPrintable(committed.error().message));

    // Nothing under either name, nothing left in ingest, even before the
    // writer is destroyed.
    QCOMPARE(filesIn(blobDir()), QStringList());
    QCOMPARE(filesIn(ingestDir()), QStringList());
    QVERIFY(!m_store->has(right));
    QVERIFY(!m_store->has(wrong));
    QCOMPARE((*writer)->write("x", 1).error().code, ErrorCode::FailedPrecondition);
    writer->reset();
    QCOMPARE(filesIn(ingestDir()), QStringList());
}

void TestContentStore::commitWithRightExpectations()
{
    const QByteArray data = randomBytes(5000, 6);
    auto writer = m_store->openWriter();
    QVERIFY(writer);
    QVERIFY((*writer)->write(data.constData(), data.size()));
    const auto committed = (*writer)->commit(Sha256::of(data), data.size());
    QVERIFY2(committed, qPrintable(committed ? QString() : committed.error().message));
    QCOMPARE(committed->hex(), sha256Hex(data));
    QCOMPARE(filesIn(blobDir()), QStringList{sha256Hex(data)});
    QCOMPARE(filesIn(ingestDir()), QStringList());
    QCOMPARE(m_store->read(*committed).valueOr({}), data);
}

void TestContentStore::abandonedWriterLeavesNothing()
{
    {
        auto writer = m_store->openWriter();
        QVERIFY(writer);
        const QByteArray data = randomBytes(300000, 7);
        QVERIFY((*writer)->write(data.constData(), data.size()));
        QCOMPARE(filesIn(ingestDir()).size(), 1);
        QCOMPARE(QFileInfo(ingestDir() + u'/' + filesIn(ingestDir()).first()).size(), data.size());
    }
    QCOMPARE(filesIn(ingestDir()), QStringList());
    QCOMPARE(filesIn(blobDir()), QStringList());
}

void TestContentStore::failedWriteCannotCommit()
{
    // A file size limit makes write() fail part-way (EFBIG), as a full disk
    // would. A caller that ignores the error must still not get a blob named
    // after bytes that never reached the file.
    auto writer = m_store->openWriter();
    QVERIFY(writer);
    const QByteArray data = randomBytes(256 << 10, 9);
    rlimit old {};
    QCOMPARE(::getrlimit(RLIMIT_FSIZE, &old), 0);
    const auto oldHandler = ::signal(SIGXFSZ, SIG_IGN);
    rlimit small = old;
    small.rlim_cur = 64 << 10;
    QCOMPARE(::setrlimit(RLIMIT_FSIZE, &small), 0);
    const Status written = (*writer)->write(data.constData(), data.size());
    ::setrlimit(RLIMIT_FSIZE, &old);
    ::signal(SIGXFSZ, oldHandler);
    QVERIFY(!written);
    QVERIFY2(written.error().message.contains(QStringLiteral("write blob")), qPrintable(written.error().message));

    const auto committed = (*writer)->commit();
    QVERIFY(!committed);
    QVERIFY(!m_store->has(Sha256::of(data)));
    QCOMPARE(filesIn(blobDir()), QStringList());
    QCOMPARE(filesIn(ingestDir()), QStringList());
}

void TestContentStore::writerFinishedAfterCommit()
{
    auto writer = m_store->openWriter();
    QVERIFY(writer);
    QVERIFY((*writer)->write("abc", 3));
    QVERIFY((*writer)->commit());
    QCOMPARE((*writer)->write("d", 1).error().code, ErrorCode::FailedPrecondition);
    QCOMPARE((*writer)->commit().error().code, ErrorCode::FailedPrecondition);
    writer->reset(); // must not unlink the committed blob
    QVERIFY(m_store->has(Sha256::of("abc")));
    QCOMPARE(m_store->read(Sha256::of("abc")).valueOr({}), QByteArray("abc"));
}

void TestContentStore::concurrentWritersOfSameBlob()
{
    const QByteArray data = randomBytes(1 << 20, 8);
    constexpr int kThreads = 4;
    std::vector<std::thread> threads;
    std::atomic<int> ok{0};
    for (int i = 0; i < kThreads; ++i) {
        threads.emplace_back([&] {
            ContentStore store(m_dir->path());
            for (int round = 0; round < 5; ++round) {
                if (auto d = store.write(data); d && d->hex() == sha256Hex(data))
                    ++ok;
            }
        });
    }
    for (auto &t : threads)
        t.join();
    QCOMPARE(ok.load(), kThreads * 5);
    QCOMPARE(filesIn(blobDir()), QStringList{sha256Hex(data)});
    QCOMPARE(m_store->read(Sha256::of(data), 2 << 20).valueOr({}), data);
    QCOMPARE(filesIn(ingestDir()), QStringList());
}

void TestContentStore::listAndRemove()
{
    QVERIFY(m_store->list().isEmpty());
    QSet<Digest> written;
    for (int i = 0; i < 3; ++i)
        written.insert(*m_store->write(QByteArray::number(i)));
    // Files that are not digests (another tool's, a temp file) are not blobs.
    QVERIFY(writeFileAtomic(blobDir() + QStringLiteral("/README"), "not a blob"));
    QVERIFY(writeFileAtomic(blobDir() + u'/' + QString(64, u'A'), "upper-case name"));
    QVERIFY(writeFileAtomic(blobDir() + QStringLiteral("/.tmp-x"), "temp"));
    const QList<Digest> listed = m_store->list();
    QCOMPARE(QSet<Digest>(listed.begin(), listed.end()), written);
    QCOMPARE(listed.size(), 3);

    const Digest gone = *written.begin();
    QVERIFY(m_store->remove(gone));
    QVERIFY(!m_store->has(gone));
    QVERIFY(m_store->remove(gone)); // already gone is fine
    QCOMPARE(m_store->list().size(), 2);
}

void TestContentStore::initializeRemovesDeadIngestFiles()
{
    // A live writer's file must survive another process opening the store;
    // a dead writer's file (no lock) must not.
    auto live = m_store->openWriter();
    QVERIFY(live);
    QVERIFY((*live)->write("live", 4));
    QFile dead(ingestDir() + u'/' + QLatin1String(kTempPrefix) + QStringLiteral("dead"));
    QVERIFY(dead.open(QIODevice::WriteOnly));
    dead.write("partial");
    dead.close();
    QCOMPARE(filesIn(ingestDir()).size(), 2);

    ContentStore other(m_dir->path());
    QVERIFY(other.initialize());
    QCOMPARE(filesIn(ingestDir()).size(), 1);
    QVERIFY(!dead.exists());
    const auto committed = (*live)->commit();
    QVERIFY(committed);
    QCOMPARE(other.read(*committed).valueOr({}), QByteArray("live"));
    QCOMPARE(filesIn(ingestDir()), QStringList());
}

QTEST_GUILESS_MAIN(TestContentStore)
#include "tst_contentstore.moc"
