// DecompressSource / CompressSink checked against the real gzip, zstd and
// xz tools, including multi-member streams, truncation, corruption,
// trailing garbage and pathological read sizes.
#include "support/compressiontestsupport.h"

using namespace porthole;
using namespace porthole::layer;
using namespace porthole::test::compression;

class TestCompressionInterop : public QObject {
    Q_OBJECT

private Q_SLOTS:
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
};

QTEST_GUILESS_MAIN(TestCompressionInterop)
#include "tst_compressioninterop.moc"
