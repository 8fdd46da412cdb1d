// Compression layer: detection, names and media types, and the
// DecompressSource / CompressSink / PeekSource API (levels, pass-through,
// sink errors). Streams against the real tools: tst_compressioninterop.
#include "support/compressiontestsupport.h"

#include <cstdio>

using namespace porthole;
using namespace porthole::layer;
using namespace porthole::test::compression;

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
