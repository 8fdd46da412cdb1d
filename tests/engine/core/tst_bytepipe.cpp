// BytePipe carries commit's tar from the writer to the unpacker on another
// thread: every byte arrives in order whatever the chunk sizes, and neither
// end is left waiting when the other stops.
#include "core/bytepipe.h"

#include <QRandomGenerator>
#include <QTest>

#include <thread>

using namespace porthole;

namespace {

QByteArray randomBytes(qint64 n, quint32 seed)
{
    QRandomGenerator gen(seed);
    QByteArray out(n, Qt::Uninitialized);
    for (qint64 i = 0; i < n; ++i)
        out[i] = char(gen.generate() & 0xff);
    return out;
}

// Reads the source to its end (or error) in chunks of varying size.
Result<QByteArray> readAll(ByteSource &source, quint32 seed)
{
    QRandomGenerator gen(seed);
    QByteArray out;
    char buf[70000];
    for (;;) {
        const qint64 want = 1 + gen.bounded(qint64(sizeof buf));
        PH_TRY(const qint64 n, source.read(buf, want));
        if (n == 0)
            return out;
        out.append(buf, n);
    }
}

} // namespace

class TestBytePipe : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void carriesEveryByteInOrder_data();
    void carriesEveryByteInOrder();
    void writerErrorReachesReader();
    void readerErrorUnblocksWriter();
    void writeAfterFinishFails();
};

void TestBytePipe::carriesEveryByteInOrder_data()
{
    QTest::addColumn<qint64>("capacity");
    QTest::addColumn<qint64>("total");
    QTest::newRow("small ring, wraps often") << qint64(4096) << qint64(3'000'001);
    QTest::newRow("ring larger than the data") << qint64(8 << 20) << qint64(1'000'000);
    QTest::newRow("empty stream") << qint64(4096) << qint64(0);
}

void TestBytePipe::carriesEveryByteInOrder()
{
    QFETCH(qint64, capacity);
    QFETCH(qint64, total);
    const QByteArray data = randomBytes(total, 7);
    BytePipe pipe(capacity);
    Status written;
    std::thread writer([&] {
        QRandomGenerator gen(11);
        qint64 pos = 0;
        while (pos < total && written) {
            const qint64 n = qMin(total - pos, 1 + gen.bounded(qint64(20000)));
            written = pipe.sink().write(data.constData() + pos, n);
            pos += n;
        }
        if (written)
            written = pipe.sink().finish();
    });
    const auto received = readAll(pipe.source(), 13);
    writer.join();
    QVERIFY2(written.ok(), qPrintable(written ? QString() : written.error().message));
    QVERIFY2(received.ok(), qPrintable(received ? QString() : received.error().message));
    QCOMPARE(received->size(), data.size());
    QVERIFY(*received == data);
    // The end of the stream stays the end.
    char c;
    QCOMPARE(*pipe.source().read(&c, 1), qint64(0));
}

void TestBytePipe::writerErrorReachesReader()
{
    BytePipe pipe(4096);
    QVERIFY(pipe.sink().write("abc", 3).ok());
    QVERIFY(!pipe.readerError());
    pipe.closeWriter(Error(ErrorCode::Io, QStringLiteral("read upper dir: gone")));
    char buf[16];
    const auto r = pipe.source().read(buf, sizeof buf);
    QVERIFY(!r.ok());
    QCOMPARE(r.error().code, ErrorCode::Io);
    QCOMPARE(r.error().message, QStringLiteral("read upper dir: gone"));
}

void TestBytePipe::readerErrorUnblocksWriter()
{
    BytePipe pipe(4096);
    Status written;
    std::thread writer([&] {
        const QByteArray big(1 << 20, 'x'); // far more than the ring holds: blocks
        written = pipe.sink().write(big.constData(), big.size());
    });
    char buf[100];
    QCOMPARE(*pipe.source().read(buf, sizeof buf), qint64(100));
    pipe.closeReader(Error(ErrorCode::Io, QStringLiteral("unpack: No space left on device")));
    writer.join();
    QVERIFY(!written.ok());
    QCOMPARE(written.error().message, QStringLiteral("unpack: No space left on device"));
    QVERIFY(pipe.readerError());
    QCOMPARE(pipe.readerError()->message, written.error().message);
    QVERIFY(!pipe.sink().write("y", 1).ok());
}

void TestBytePipe::writeAfterFinishFails()
{
    BytePipe pipe(4096);
    QVERIFY(pipe.sink().finish().ok());
    QVERIFY(!pipe.sink().write("z", 1).ok());
    char c;
    QCOMPARE(*pipe.source().read(&c, 1), qint64(0));
}

QTEST_GUILESS_MAIN(TestBytePipe)
#include "tst_bytepipe.moc"
