// The decompression budget (BudgetSource over DecompressSource) against
// streams built here whose members produce nothing: empty gzip members, zstd
// skippable frames, empty zstd frames. Each member is charged against the
// limits, so such a stream stops with the decompression-bomb error after a
// little input instead of being read to its end, while real multi-member
// streams (bgzip's 64 KiB blocks, `cat a.gz b.gz`, pzstd's skippable frame
// before each frame, one member per tar entry as estargz writes) unpack.
#include "layer/budgetsource.h"
#include "layer/compresssink.h"
#include "layer/decompresssource.h"
#include "layer/unpacker.h"
#include "support/testsupport.h"
#include "support/ustarwriter.h"

#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QtTest>

using namespace porthole;
using namespace porthole::layer;

Q_DECLARE_METATYPE(porthole::layer::Compression)

namespace {

// 20 bytes: a gzip header, an empty fixed-Huffman block, CRC-32 and length 0.
const QByteArray kEmptyGzipMember = QByteArray::fromHex("1f8b080000000000000303000000000000000000");

// A zstd skippable frame (magic 0x184D2A50, little-endian) with `payload`.
QByteArray skippableFrame(const QByteArray &payload = {})
{
    QByteArray frame = QByteArray::fromHex("502a4d18");
    const quint32 size = quint32(payload.size());
    for (int i = 0; i < 4; ++i)
        frame.append(char((size >> (8 * i)) & 0xff));
    return frame + payload;
}

QByteArray compressed(const QByteArray &data, Compression c)
{
    test::ByteArraySink sink;
    CompressSink cs(sink, c);
    if (!cs.write(data.constData(), data.size()) || !cs.finish())
        qFatal("compression failed");
    return sink.bytes;
}

// Each piece compressed on its own, one after the other: a multi-member stream.
QByteArray membersOf(const QList<QByteArray> &pieces, Compression c, const QByteArray &beforeEach = {})
{
    QByteArray out;
    for (const QByteArray &piece : pieces)
        out += beforeEach + compressed(piece, c);
    return out;
}

QList<QByteArray> split(const QByteArray &data, qsizetype size)
{
    QList<QByteArray> pieces;
    for (qsizetype at = 0; at < data.size(); at += size)
        pieces.append(data.mid(at, size));
    return pieces;
}

// Text with some random runs: compresses like real files, not like zeros.
QByteArray sampleFile(qsizetype size, quint32 seed)
{
    QRandomGenerator rng(seed);
    QByteArray out;
    while (out.size() < size) {
        out += "usr/share/doc/package-" + QByteArray::number(rng.bounded(100000)) + "/changelog ";
        for (int i = int(rng.bounded(32)); i > 0; --i)
            out += char(rng.bounded(256));
        out += '\n';
    }
    out.truncate(size);
    return out;
}

QByteArray sampleTar()
{
    test::UstarWriter w;
    w.dir(QStringLiteral("data"));
    for (int i = 0; i < 12; ++i)
        w.file(QStringLiteral("data/file%1").arg(i), sampleFile(700 * 1024, quint32(i)));
    return w.finish();
}

// A tar's entries one by one (header, data, padding), and its end marker.
QList<QByteArray> tarEntries(int emptyFiles)
{
    QList<QByteArray> entries;
    for (int i = 0; i < emptyFiles; ++i) {
        test::UstarWriter w;
        w.file(QStringLiteral("etc/conf.d/empty-%1").arg(i), {});
        entries.append(w.finish().chopped(1024));
    }
    entries.append(QByteArray(1024, '\0'));
    return entries;
}

// Serves head, then `pattern` again and again until `total` bytes are out;
// counts what was read.
class RepeatingSource final : public ByteSource {
public:
    RepeatingSource(QByteArray head, const QByteArray &pattern, qint64 total)
        : m_head(std::move(head)), m_block(pattern.repeated(qMax<qsizetype>(1, (1 << 20) / pattern.size()))), m_total(total)
    {
    }
    Result<qint64> read(char *buf, qint64 max) override
    {
        const bool inHead = m_served < m_head.size();
        const QByteArray &from = inHead ? m_head : m_block;
        const qint64 at = inHead ? m_served : (m_served - m_head.size()) % m_block.size();
        const qint64 n = std::min<qint64>({max, from.size() - at, m_total - m_served});
        memcpy(buf, from.constData() + at, size_t(n));
        m_served += n;
        return n;
    }
    qint64 served() const { return m_served; }

private:
    QByteArray m_head;
    QByteArray m_block;
    qint64 m_total;
    qint64 m_served = 0;
};

} // namespace

class TestDecompressBudget : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void membersAreCounted();
    void membersThatProduceNothingAreABomb_data();
    void membersThatProduceNothingAreABomb();
    void layerFollowedByEmptyMembers_data();
    void layerFollowedByEmptyMembers();
    void realMultiMemberStreamsUnpack_data();
    void realMultiMemberStreamsUnpack();
};

void TestDecompressBudget::membersAreCounted()
{
    const QByteArray gzip = compressed("a", Compression::Gzip) + kEmptyGzipMember + compressed("b", Compression::Gzip);
    test::ByteArraySink out;
    MemorySource gzipIn(gzip);
    DecompressSource gzipStream(gzipIn, Compression::Gzip);
    QVERIFY(copyStream(gzipStream, out));
    QCOMPARE(out.bytes, QByteArray("ab"));
    QCOMPARE(gzipStream.members(), qint64(3));

    const QByteArray zstd = skippableFrame("meta") + compressed("a", Compression::Zstd) + skippableFrame()
        + compressed({}, Compression::Zstd) + compressed("b", Compression::Zstd);
    MemorySource zstdIn(zstd);
    DecompressSource zstdStream(zstdIn, Compression::Zstd);
    qint64 hooked = 0;
    zstdStream.setMemberHook([&](qint64 members) {
        hooked += members;
        return Status();
    });
    out.bytes.clear();
    QVERIFY(copyStream(zstdStream, out));
    QCOMPARE(out.bytes, QByteArray("ab"));
    QCOMPARE(zstdStream.members(), qint64(5));
    QCOMPARE(hooked, qint64(5));
}

void TestDecompressBudget::membersThatProduceNothingAreABomb_data()
{
    QTest::addColumn<Compression>("compression");
    QTest::addColumn<QByteArray>("pattern");
    QTest::newRow("empty gzip members") << Compression::Gzip << kEmptyGzipMember;
    QTest::newRow("zstd skippable frames") << Compression::Zstd << skippableFrame();
    QTest::newRow("zstd skippable frames with a payload") << Compression::Zstd << skippableFrame("size");
    QTest::newRow("empty zstd frames") << Compression::Zstd << compressed({}, Compression::Zstd);
}

// 256 MiB of members with nothing in them: without a charge per member
// this reads to the end and succeeds, having produced no byte.
void TestDecompressBudget::membersThatProduceNothingAreABomb()
{
    QFETCH(Compression, compression);
    QFETCH(QByteArray, pattern);
    RepeatingSource raw({}, pattern, 256LL << 20);
    DecompressSource decompressed(raw, compression);
    const UnpackLimits limits;
    BudgetSource budget(decompressed, decompressed, limits);
    const Status drained = drain(budget);
    QVERIFY2(!drained, qPrintable(QStringLiteral("%1 bytes read to the end").arg(raw.served())));
    QCOMPARE(drained.error().code, ErrorCode::InvalidArgument);
    QVERIFY2(drained.error().message.contains(QLatin1String("refusing a likely decompression bomb")),
             qPrintable(drained.error().message));
    QVERIFY2(drained.error().message.contains(QLatin1String("gzip members or zstd frames")), qPrintable(drained.error().message));
    QVERIFY2(raw.served() <= 4 << 20, qPrintable(QStringLiteral("%1 bytes read before the limit").arg(raw.served())));
    // Sticky.
    char buf[16];
    QVERIFY(!budget.read(buf, sizeof buf));
}

void TestDecompressBudget::layerFollowedByEmptyMembers_data()
{
    QTest::addColumn<Compression>("compression");
    QTest::addColumn<QByteArray>("pattern");
    QTest::newRow("gzip") << Compression::Gzip << kEmptyGzipMember;
    QTest::newRow("zstd") << Compression::Zstd << skippableFrame();
}

// A good layer, then members with nothing in them, through the unpacker
// with its default limits: the bomb error, and nothing left behind.
void TestDecompressBudget::layerFollowedByEmptyMembers()
{
    QFETCH(Compression, compression);
    QFETCH(QByteArray, pattern);
    test::UstarWriter w;
    w.file(QStringLiteral("hello"), "world\n");
    RepeatingSource raw(compressed(w.finish(), compression), pattern, 1LL << 30);
    QTemporaryDir tmp;
    const QString target = tmp.filePath(QStringLiteral("layer"));
    UnpackOptions options;
    options.name = QStringLiteral("sha256:feed");
    const auto unpacked = unpackLayer(raw, target, options);
    QVERIFY(!unpacked);
    QVERIFY2(unpacked.error().message.startsWith(QLatin1String("unpack layer sha256:feed: ")), qPrintable(unpacked.error().message));
    QVERIFY2(unpacked.error().message.contains(QLatin1String("refusing a likely decompression bomb")),
             qPrintable(unpacked.error().message));
    QVERIFY2(raw.served() <= 4 << 20, qPrintable(QStringLiteral("%1 bytes read before the limit").arg(raw.served())));
    QVERIFY(!QFileInfo::exists(target));
}

void TestDecompressBudget::realMultiMemberStreamsUnpack_data()
{
    QTest::addColumn<QByteArray>("tar");
    QTest::addColumn<QByteArray>("blob");
    const QByteArray tar = sampleTar();
    QTest::newRow("bgzip-style 64 KiB members") << tar << membersOf(split(tar, 0xff00), Compression::Gzip);
    QTest::newRow("cat a.gz b.gz") << tar << membersOf(split(tar, tar.size() / 2 + 1), Compression::Gzip);
    QTest::newRow("pzstd: a skippable frame before each frame")
        << tar << membersOf(split(tar, 1 << 20), Compression::Zstd, skippableFrame(QByteArray::fromHex("00001000")));
    // estargz and zstd:chunked compress each entry on its own; empty files
    // are the worst case for a charge per member (512 bytes out of each).
    const QList<QByteArray> entries = tarEntries(20000);
    const QByteArray manyEmpty = entries.join();
    QTest::newRow("a gzip member per empty file") << manyEmpty << membersOf(entries, Compression::Gzip);
    QTest::newRow("a zstd frame per empty file") << manyEmpty << membersOf(entries, Compression::Zstd);
}

void TestDecompressBudget::realMultiMemberStreamsUnpack()
{
    QFETCH(QByteArray, tar);
    QFETCH(QByteArray, blob);
    MemorySource raw(blob);
    QTemporaryDir tmp;
    UnpackOptions options;
    options.expectedDiffId = Sha256::of(tar);
    const auto unpacked = unpackLayer(raw, tmp.filePath(QStringLiteral("layer")), options);
    QVERIFY2(unpacked, qPrintable(unpacked ? QString() : unpacked.error().message));
    QCOMPARE(unpacked->diffId, Sha256::of(tar));
}

QTEST_GUILESS_MAIN(TestDecompressBudget)
#include "tst_decompressbudget.moc"
