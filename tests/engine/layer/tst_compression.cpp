// Compression layer: detection, media types, and DecompressSource /
// CompressSink checked against the real gzip, zstd and xz tools, including
// multi-member streams, truncation, corruption and pathological read sizes.
#include "layer/compresssink.h"
#include "layer/decompresssource.h"
#include "support/testsupport.h"

#include <QRandomGenerator>
#include <QtTest>

#include <cstdio>

using namespace porthole;
using namespace porthole::layer;

Q_DECLARE_METATYPE(porthole::layer::Compression)

namespace {

// Serves a byte array in reads of at most `chunk` bytes, like a slow pipe.
class ArraySource final : public ByteSource {
public:
    explicit ArraySource(QByteArray data, qint64 chunk = 1 << 30) : m_data(std::move(data)), m_chunk(chunk) {}
    Result<qint64> read(char *buf, qint64 max) override
    {
        const qint64 n = std::min({max, m_chunk, qint64(m_data.size()) - m_pos});
        memcpy(buf, m_data.constData() + m_pos, size_t(n));
        m_pos += n;
        return n;
    }

private:
    QByteArray m_data;
    qint64 m_chunk;
    qint64 m_pos = 0;
};

class ArraySink final : public ByteSink {
public:
    Status write(const char *data, qint64 size) override
    {
        if (failAfter >= 0 && bytes.size() + size > failAfter)
            return Error(ErrorCode::Io, QStringLiteral("disk full"));
        bytes.append(data, size);
        return {};
    }
    QByteArray bytes;
    qint64 failAfter = -1;
};

// Text lines interleaved with random runs, so compressors emit both
// match-heavy and literal/stored blocks.
QByteArray sampleData(qsizetype size, quint32 seed = 7)
{
    QRandomGenerator rng(seed);
    QByteArray out;
    out.reserve(size + 4096);
    while (out.size() < size) {
        if (rng.bounded(5) == 0) {
            const int run = 1 + int(rng.bounded(4096));
            for (int i = 0; i < run; ++i)
                out.append(char(rng.bounded(256)));
        } else {
            out.append(QByteArray("usr/lib/x86_64-linux-gnu/libexample.so.") + QByteArray::number(rng.bounded(100000))
                       + " owner=root mode=0644\n");
        }
    }
    out.truncate(size);
    return out;
}

Result<QByteArray> decompress(const QByteArray &data, Compression c, qint64 readSize = 1 << 20,
                              qint64 innerChunk = 1 << 30)
{
    ArraySource raw(data, innerChunk);
    DecompressSource source(raw, c);
    QByteArray out;
    QByteArray buf(readSize, Qt::Uninitialized);
    for (;;) {
        PH_TRY(const qint64 n, source.read(buf.data(), buf.size()));
        if (n == 0)
            return out;
        out.append(buf.constData(), n);
    }
}

Result<QByteArray> compress(const QByteArray &data, Compression c, int level = CompressSink::kDefaultLevel,
                            qint64 writeSize = 1 << 20)
{
    ArraySink sink;
    CompressSink compressor(sink, c, level);
    for (qint64 pos = 0; pos < data.size(); pos += writeSize)
        PH_CHECK(compressor.write(data.constData() + pos, std::min(writeSize, data.size() - pos)));
    PH_CHECK(compressor.finish());
    return sink.bytes;
}

QString tool(Compression c)
{
    switch (c) {
    case Compression::Gzip: return QStringLiteral("gzip");
    case Compression::Zstd: return QStringLiteral("zstd");
    case Compression::Xz: return QStringLiteral("xz");
    case Compression::None: break;
    }
    return {};
}

// Runs the tool as a filter; fails the test (empty result) if it fails.
QByteArray runTool(Compression c, const QStringList &args, const QByteArray &input)
{
    const test::RunResult r = test::runProgram(tool(c), args, input);
    if (r.exitCode != 0)
        qWarning() << tool(c) << args << "failed:" << r.exitCode << r.err;
    return r.exitCode == 0 ? r.out : QByteArray("tool failed");
}

QByteArray toolCompress(Compression c, const QByteArray &input)
{
    return runTool(c, {QStringLiteral("-c"), QStringLiteral("-q")}, input);
}

#define REQUIRE_TOOL(c)                                                                                               \
    if (!test::haveProgram(tool(c)))                                                                                  \
    QSKIP(qPrintable(tool(c) + QStringLiteral(" is not installed")))

} // namespace

class TestCompression : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void detection_data()
    {
        QTest::addColumn<QByteArray>("head");
        QTest::addColumn<Compression>("expected");
        QTest::newRow("gzip") << QByteArray("\x1f\x8b\x08\x00", 4) << Compression::Gzip;
        QTest::newRow("gzip magic only") << QByteArray("\x1f\x8b", 2) << Compression::Gzip;
        QTest::newRow("zstd") << QByteArray("\x28\xb5\x2f\xfd\x04\x00", 6) << Compression::Zstd;
        QTest::newRow("zstd skippable frame first") << QByteArray("\x50\x2a\x4d\x18\x04\x00", 6) << Compression::Zstd;
        QTest::newRow("zstd skippable frame, last magic") << QByteArray("\x5f\x2a\x4d\x18", 4) << Compression::Zstd;
        QTest::newRow("not a skippable magic") << QByteArray("\x60\x2a\x4d\x18", 4) << Compression::None;
        QTest::newRow("xz") << QByteArray("\xfd\x37\x7a\x58\x5a\x00\x00", 7) << Compression::Xz;
        QTest::newRow("xz without its NUL") << QByteArray("\xfd\x37\x7a\x58\x5a\x01", 6) << Compression::None;
        QTest::newRow("xz cut short") << QByteArray("\xfd\x37\x7a\x58\x5a", 5) << Compression::None;
        QTest::newRow("half a gzip magic") << QByteArray("\x1f", 1) << Compression::None;
        QTest::newRow("zstd byte-swapped") << QByteArray("\xfd\x2f\xb5\x28", 4) << Compression::None;
        QTest::newRow("tar") << QByteArray("etc/passwd\0\0\0\0", 14) << Compression::None;
        QTest::newRow("empty") << QByteArray() << Compression::None;
    }
    void detection()
    {
        QFETCH(QByteArray, head);
        QFETCH(Compression, expected);
        QCOMPARE(detectCompression(head), expected);
    }

    void names()
    {
        for (Compression c : {Compression::None, Compression::Gzip, Compression::Zstd, Compression::Xz}) {
            auto back = compressionFromName(compressionName(c));
            QVERIFY(back.ok());
            QCOMPARE(*back, c);
        }
        QCOMPARE(compressionName(Compression::Gzip), QStringLiteral("gzip"));
        QCOMPARE(*compressionFromName(u"uncompressed"), Compression::None);
        auto bad = compressionFromName(u"bzip2");
        QVERIFY(!bad.ok());
        QCOMPARE(bad.error().code, ErrorCode::InvalidArgument);
        QVERIFY(bad.error().message.contains(QStringLiteral("bzip2")));
    }

    void mediaTypes_data()
    {
        QTest::addColumn<QString>("mediaType");
        QTest::addColumn<Compression>("expected");
        QTest::newRow("oci tar") << "application/vnd.oci.image.layer.v1.tar" << Compression::None;
        QTest::newRow("oci gzip") << "application/vnd.oci.image.layer.v1.tar+gzip" << Compression::Gzip;
        QTest::newRow("oci zstd") << "application/vnd.oci.image.layer.v1.tar+zstd" << Compression::Zstd;
        QTest::newRow("docker gzip") << "application/vnd.docker.image.rootfs.diff.tar.gzip" << Compression::Gzip;
        QTest::newRow("docker tar") << "application/vnd.docker.image.rootfs.diff.tar" << Compression::None;
        QTest::newRow("docker foreign") << "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip"
                                        << Compression::Gzip;
        QTest::newRow("oci nondistributable zstd")
            << "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd" << Compression::Zstd;
    }
    void mediaTypes()
    {
        QFETCH(QString, mediaType);
        QFETCH(Compression, expected);
        auto c = compressionFromMediaType(mediaType);
        QVERIFY2(c.ok(), qPrintable(c.ok() ? QString() : c.error().message));
        QCOMPARE(*c, expected);
    }

    void mediaTypesOutbound()
    {
        QCOMPARE(*layerMediaType(Compression::None), QStringLiteral("application/vnd.oci.image.layer.v1.tar"));
        QCOMPARE(*layerMediaType(Compression::Gzip), QStringLiteral("application/vnd.oci.image.layer.v1.tar+gzip"));
        QCOMPARE(*layerMediaType(Compression::Zstd), QStringLiteral("application/vnd.oci.image.layer.v1.tar+zstd"));
        QCOMPARE(*layerMediaType(Compression::Gzip, LayerMediaTypeFlavor::Docker),
                 QStringLiteral("application/vnd.docker.image.rootfs.diff.tar.gzip"));
        QVERIFY(!layerMediaType(Compression::Xz).ok());
        QVERIFY(!layerMediaType(Compression::Zstd, LayerMediaTypeFlavor::Docker).ok());
        auto unknown = compressionFromMediaType(u"application/vnd.oci.image.config.v1+json");
        QVERIFY(!unknown.ok());
        QCOMPARE(unknown.error().code, ErrorCode::InvalidArgument);
    }

    void toolToUs_data()
    {
        QTest::addColumn<Compression>("c");
        QTest::addColumn<int>("size");
        for (Compression c : {Compression::Gzip, Compression::Zstd, Compression::Xz}) {
            QTest::addRow("%s small", qPrintable(tool(c))) << c << 1000;
            QTest::addRow("%s 3 MB", qPrintable(tool(c))) << c << 3 * 1024 * 1024 + 17;
        }
    }
    void toolToUs()
    {
        QFETCH(Compression, c);
        QFETCH(int, size);
        REQUIRE_TOOL(c);
        const QByteArray data = sampleData(size);
        const QByteArray packed = toolCompress(c, data);
        QCOMPARE(detectCompression(packed), c);
        auto out = decompress(packed, c);
        QVERIFY2(out.ok(), qPrintable(out.ok() ? QString() : out.error().message));
        QVERIFY(*out == data);
    }

    void usToTool_data()
    {
        QTest::addColumn<Compression>("c");
        QTest::addColumn<int>("level");
        QTest::addColumn<int>("writeSize");
        for (int level : {CompressSink::kDefaultLevel, 0, 1, 2, 3})
            QTest::addRow("gzip level %d", level) << Compression::Gzip << level << (1 << 20);
        for (int level : {CompressSink::kDefaultLevel, -5, 1, 3, 12})
            QTest::addRow("zstd level %d", level) << Compression::Zstd << level << (1 << 20);
        QTest::newRow("gzip odd writes") << Compression::Gzip << 1 << 7777;
        QTest::newRow("zstd odd writes") << Compression::Zstd << 3 << 7777;
    }
    void usToTool()
    {
        QFETCH(Compression, c);
        QFETCH(int, level);
        QFETCH(int, writeSize);
        REQUIRE_TOOL(c);
        const QByteArray data = sampleData(3 * 1024 * 1024 + 5);
        auto packed = compress(data, c, level, writeSize);
        QVERIFY2(packed.ok(), qPrintable(packed.ok() ? QString() : packed.error().message));
        QCOMPARE(detectCompression(*packed), c);
        QVERIFY(packed->size() < data.size() || level == 0);
        QVERIFY(runTool(c, {QStringLiteral("-d"), QStringLiteral("-c")}, *packed) == data);
        auto back = decompress(*packed, c);
        QVERIFY(back.ok());
        QVERIFY(*back == data);
    }

    void multiMember_data()
    {
        QTest::addColumn<Compression>("c");
        QTest::newRow("gzip") << Compression::Gzip;
        QTest::newRow("zstd") << Compression::Zstd;
        QTest::newRow("xz") << Compression::Xz;
    }
    void multiMember()
    {
        // Tool-made and self-made members, an empty member in between, and
        // part boundaries that fall inside our 1 MiB input blocks.
        QFETCH(Compression, c);
        REQUIRE_TOOL(c);
        const QByteArray a = sampleData(1500 * 1024, 1), b = sampleData(700 * 1024, 2), e;
        QByteArray joined = toolCompress(c, a) + toolCompress(c, e);
        if (c == Compression::Xz) {
            joined += toolCompress(c, b);
        } else {
            joined += *compress(b, c);
        }
        if (c == Compression::Zstd) // a skippable frame: magic 0x184D2A5?, LE length, payload
            joined += QByteArray("\x50\x2a\x4d\x18\x03\x00\x00\x00xyz", 11) + *compress(a, c);
        const QByteArray expected = a + b + (c == Compression::Zstd ? a : QByteArray());
        for (qint64 chunk : {qint64(1) << 30, qint64(4093)}) {
            auto out = decompress(joined, c, 1 << 20, chunk);
            QVERIFY2(out.ok(), qPrintable(out.ok() ? QString() : out.error().message));
            QVERIFY(*out == expected);
        }
        QVERIFY(runTool(c, {QStringLiteral("-d"), QStringLiteral("-c")}, joined) == expected);
    }

    void truncated_data()
    {
        QTest::addColumn<Compression>("c");
        QTest::addColumn<int>("keep"); // bytes kept; negative: drop that many from the end
        for (Compression c : {Compression::Gzip, Compression::Zstd, Compression::Xz}) {
            const char *n = c == Compression::Gzip ? "gzip" : c == Compression::Zstd ? "zstd" : "xz";
            QTest::addRow("%s magic only", n) << c << (c == Compression::Gzip ? 2 : c == Compression::Zstd ? 4 : 6);
            QTest::addRow("%s header only", n) << c << 12;
            QTest::addRow("%s half", n) << c << 100000;
            QTest::addRow("%s last byte missing", n) << c << -1;
            QTest::addRow("%s trailer missing", n) << c << -8;
        }
    }
    void truncated()
    {
        QFETCH(Compression, c);
        QFETCH(int, keep);
        REQUIRE_TOOL(c);
        const QByteArray packed = toolCompress(c, sampleData(400000));
        QVERIFY(packed.size() > 100000 + 1000);
        const QByteArray cut = packed.left(keep >= 0 ? keep : packed.size() + keep);
        for (qint64 readSize : {qint64(1) << 20, qint64(1)}) {
            auto out = decompress(cut, c, readSize);
            QVERIFY(!out.ok());
            QCOMPARE(out.error().code, ErrorCode::InvalidArgument);
            QCOMPARE(out.error().message, compressionName(c) + QStringLiteral(" stream is truncated"));
        }
    }

    void corrupt_data()
    {
        QTest::addColumn<Compression>("c");
        QTest::addColumn<int>("offset"); // negative: from the end
        QTest::addColumn<QString>("message");
        QTest::newRow("gzip body") << Compression::Gzip << 5000 << "gzip: ";
        const QString checkFailed = QStringLiteral("gzip: CRC-32 or length does not match the data in member 1");
        QTest::newRow("gzip crc") << Compression::Gzip << -6 << checkFailed;
        QTest::newRow("gzip length") << Compression::Gzip << -2 << checkFailed;
        QTest::newRow("gzip method") << Compression::Gzip << 2 << "gzip: ";
        QTest::newRow("zstd body") << Compression::Zstd << 5000 << "zstd: ";
        QTest::newRow("zstd checksum") << Compression::Zstd << -2 << "zstd: Restored data doesn't match checksum";
        QTest::newRow("xz body") << Compression::Xz << 5000 << "xz: compressed data is corrupt";
        QTest::newRow("xz header") << Compression::Xz << 7 << "xz: ";
    }
    void corrupt()
    {
        QFETCH(Compression, c);
        QFETCH(int, offset);
        QFETCH(QString, message);
        REQUIRE_TOOL(c);
        QByteArray packed = toolCompress(c, sampleData(400000));
        const qsizetype at = offset >= 0 ? offset : packed.size() + offset;
        packed[at] = char(packed[at] ^ 0x55);
        auto out = decompress(packed, c);
        QVERIFY(!out.ok());
        QCOMPARE(out.error().code, ErrorCode::InvalidArgument);
        QVERIFY2(out.error().message.startsWith(message), qPrintable(out.error().message));
    }

    void trailingGarbage_data()
    {
        QTest::addColumn<Compression>("c");
        QTest::addColumn<QString>("message");
        QTest::newRow("gzip") << Compression::Gzip << "gzip: data after member 1 is not a gzip member";
        QTest::newRow("zstd") << Compression::Zstd << "zstd: ";
        QTest::newRow("xz") << Compression::Xz << "xz: ";
    }
    void trailingGarbage()
    {
        QFETCH(Compression, c);
        QFETCH(QString, message);
        REQUIRE_TOOL(c);
        const QByteArray packed = toolCompress(c, sampleData(5000)) + "garbage! this is not another member";
        auto out = decompress(packed, c);
        QVERIFY(!out.ok());
        QVERIFY2(out.error().message.startsWith(message), qPrintable(out.error().message));
    }

    void tinyReads_data()
    {
        QTest::addColumn<Compression>("c");
        QTest::addColumn<qint64>("readSize");
        QTest::addColumn<qint64>("innerChunk");
        for (Compression c : {Compression::None, Compression::Gzip, Compression::Zstd, Compression::Xz}) {
            const QByteArray n = compressionName(c).toLatin1();
            QTest::addRow("%s 1-byte reads", n.constData()) << c << qint64(1) << (qint64(1) << 30);
            QTest::addRow("%s 1-byte inner", n.constData()) << c << (qint64(1) << 20) << qint64(1);
            QTest::addRow("%s both 3 bytes", n.constData()) << c << qint64(3) << qint64(3);
        }
    }
    void tinyReads()
    {
        QFETCH(Compression, c);
        QFETCH(qint64, readSize);
        QFETCH(qint64, innerChunk);
        const QByteArray data = sampleData(150000);
        const QByteArray packed = c == Compression::None ? data
                                  : c == Compression::Xz ? toolCompress(c, data)
                                                         : *compress(data, c);
        // Two members, so the member boundary is crossed with tiny reads too.
        const QByteArray joined = c == Compression::None ? data + data : packed + packed;
        auto out = decompress(joined, c, readSize, innerChunk);
        QVERIFY2(out.ok(), qPrintable(out.ok() ? QString() : out.error().message));
        QVERIFY(*out == data + data);
    }

    void emptyInput_data()
    {
        QTest::addColumn<Compression>("c");
        QTest::newRow("none") << Compression::None;
        QTest::newRow("gzip") << Compression::Gzip;
        QTest::newRow("zstd") << Compression::Zstd;
        QTest::newRow("xz") << Compression::Xz;
    }
    void emptyInput()
    {
        QFETCH(Compression, c);
        auto out = decompress(QByteArray(), c);
        if (c == Compression::None) {
            QVERIFY(out.ok());
            QVERIFY(out->isEmpty());
            return;
        }
        QVERIFY(!out.ok());
        QCOMPARE(out.error().code, ErrorCode::InvalidArgument);
        QCOMPARE(out.error().message, compressionName(c) + QStringLiteral(" stream is empty"));
        if (c == Compression::Xz)
            return;
        // Compressing nothing still gives a valid stream.
        auto packed = compress(QByteArray(), c);
        QVERIFY(packed.ok());
        QVERIFY(!packed->isEmpty());
        QCOMPARE(detectCompression(*packed), c);
        auto back = decompress(*packed, c);
        QVERIFY(back.ok());
        QVERIFY(back->isEmpty());
        if (test::haveProgram(tool(c)))
            QCOMPARE(test::runProgram(tool(c), {QStringLiteral("-d"), QStringLiteral("-c")}, *packed).exitCode, 0);
    }

    void errorsAreSticky()
    {
        const QByteArray packed = compress(sampleData(100000), Compression::Gzip)->left(5000);
        ArraySource raw(packed);
        DecompressSource source(raw, Compression::Gzip);
        QByteArray buf(1 << 20, Qt::Uninitialized);
        Result<qint64> r = qint64(0);
        do {
            r = source.read(buf.data(), buf.size());
        } while (r.ok() && *r > 0);
        QVERIFY(!r.ok());
        auto again = source.read(buf.data(), buf.size());
        QVERIFY(!again.ok());
        QCOMPARE(again.error().message, r.error().message);
        QCOMPARE(source.compressedBytesRead(), qint64(5000));
    }

    void compressLevels()
    {
        QVERIFY(CompressSink::checkLevel(Compression::Gzip, 3).ok());
        QVERIFY(!CompressSink::checkLevel(Compression::Gzip, 4).ok());
        QVERIFY(!CompressSink::checkLevel(Compression::Gzip, -2).ok());
        QVERIFY(CompressSink::checkLevel(Compression::Zstd, 19).ok());
        QVERIFY(!CompressSink::checkLevel(Compression::Zstd, 1000).ok());
        QVERIFY(!CompressSink::checkLevel(Compression::Xz, CompressSink::kDefaultLevel).ok());
        auto bad = compress("data", Compression::Gzip, 9);
        QVERIFY(!bad.ok());
        QCOMPARE(bad.error().code, ErrorCode::InvalidArgument);
        QVERIFY2(bad.error().message.contains(QStringLiteral("level 9")), qPrintable(bad.error().message));
        QVERIFY(!compress("data", Compression::Xz).ok());
    }

    void passThrough()
    {
        const QByteArray data = sampleData(300000);
        auto packed = compress(data, Compression::None, CompressSink::kDefaultLevel, 1000);
        QVERIFY(packed.ok());
        QVERIFY(*packed == data);
        auto back = decompress(data, Compression::None, 777);
        QVERIFY(back.ok());
        QVERIFY(*back == data);
    }

    void innerSinkErrorPropagates()
    {
        ArraySink sink;
        sink.failAfter = 1000;
        CompressSink compressor(sink, Compression::Zstd);
        const QByteArray data = sampleData(4 << 20);
        Status s = compressor.write(data.constData(), data.size());
        if (s.ok())
            s = compressor.finish();
        QVERIFY(!s.ok());
        QCOMPARE(s.error().message, QStringLiteral("disk full"));
        QVERIFY(!compressor.write("x", 1).ok());
    }

    void peekSource()
    {
        ArraySource raw(QByteArray("\x1f\x8b" "abcdefgh", 10), 1);
        PeekSource peek(raw);
        auto head = peek.peek(6);
        QVERIFY(head.ok());
        QCOMPARE(QByteArray(head->data(), head->size()), QByteArray("\x1f\x8b" "abcd", 6));
        QByteArray all, buf(4, Qt::Uninitialized);
        for (;;) {
            auto n = peek.read(buf.data(), buf.size());
            QVERIFY(n.ok());
            if (*n == 0)
                break;
            all.append(buf.constData(), *n);
        }
        QCOMPARE(all, QByteArray("\x1f\x8b" "abcdefgh", 10));

        ArraySource shortRaw(QByteArray("ab"));
        PeekSource shortPeek(shortRaw);
        QCOMPARE(shortPeek.peek(6)->size(), 2);
    }

    void openDecompressedDetects_data()
    {
        QTest::addColumn<Compression>("c");
        QTest::newRow("none") << Compression::None;
        QTest::newRow("gzip") << Compression::Gzip;
        QTest::newRow("zstd") << Compression::Zstd;
        QTest::newRow("xz") << Compression::Xz;
    }
    void openDecompressedDetects()
    {
        // The real case: `import -` reading a pipe that cannot seek back.
        QFETCH(Compression, c);
        const QByteArray data = sampleData(2 << 20);
        QTemporaryFile file;
        QVERIFY(file.open());
        file.write(c == Compression::None ? data : c == Compression::Xz ? toolCompress(c, data) : *compress(data, c));
        file.flush();
        const QByteArray cmd = "cat " + QFile::encodeName(file.fileName());
        FILE *pipe = popen(cmd.constData(), "r");
        QVERIFY(pipe);
        FdSource raw(fileno(pipe), QStringLiteral("pipe"));
        DigestingSource hashed(raw);
        auto opened = openDecompressed(hashed);
        QVERIFY(opened.ok());
        QCOMPARE(opened->compression, c);
        QByteArray out, buf(1 << 20, Qt::Uninitialized);
        for (;;) {
            auto n = opened->source->read(buf.data(), buf.size());
            QVERIFY2(n.ok(), qPrintable(n.ok() ? QString() : n.error().message));
            if (*n == 0)
                break;
            out.append(buf.constData(), *n);
        }
        QCOMPARE(pclose(pipe), 0);
        QVERIFY(out == data);
        QCOMPARE(qint64(hashed.bytes()), file.size());
    }
};

QTEST_GUILESS_MAIN(TestCompression)
#include "tst_compression.moc"
