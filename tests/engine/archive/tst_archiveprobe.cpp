// The archive probe: what a tarball is, told from its entry names alone
// (docker-archive, OCI archive, rootfs tarball), plain or compressed; an
// empty file or no tar at all is refused with the file's name; the read is
// bounded when blobs come first.
#include "archive/archiveprobe.h"
#include "support/archiveshapes.h"

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

using namespace porthole;
using namespace porthole::test;
using porthole::archive::ArchiveKind;
using porthole::archive::kProbeBytes;
using porthole::archive::probeArchive;

class TestArchiveProbe : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

private Q_SLOTS:
    void probe_data()
    {
        QTest::addColumn<QByteArray>("tar");
        QTest::addColumn<QString>("compressor");
        QTest::addColumn<int>("kind"); // -1: refused
        const int docker = int(ArchiveKind::DockerArchive), oci = int(ArchiveKind::OciArchive);
        const int rootfs = int(ArchiveKind::RootfsTarball);
        for (const QString &c : {QString(), QStringLiteral("gzip"), QStringLiteral("zstd")}) {
            const QString tag = c.isEmpty() ? QStringLiteral("plain") : c;
            QTest::addRow("legacy docker-archive, %s", qPrintable(tag)) << legacyDockerArchive() << c << docker;
            QTest::addRow("docker 25 archive, %s", qPrintable(tag)) << docker25Archive() << c << docker;
            QTest::addRow("oci archive, %s", qPrintable(tag)) << ociArchive() << c << oci;
            QTest::addRow("rootfs ./, %s", qPrintable(tag)) << rootfsTarball() << c << rootfs;
        }
        QTest::newRow("rootfs bare names") << rootfsTarball(QString()) << QString() << rootfs;
        UstarWriter blobsOnly; // blob-shaped names without a layout file: not an image archive
        blobsOnly.dir(QStringLiteral("blobs/"));
        QTest::newRow("blobs dir alone") << blobsOnly.finish() << QString() << rootfs;
        QTest::newRow("empty tar") << QByteArray(1024, '\0') << QString() << -1;
        QTest::newRow("not a tar") << QByteArray("this is no archive at all").repeated(40) << QString() << -1;
    }

    void probe()
    {
        QFETCH(QByteArray, tar);
        QFETCH(QString, compressor);
        QFETCH(int, kind);
        if (!compressor.isEmpty() && !haveProgram(compressor))
            QSKIP("the compressor is not installed");
        const QString path = writeArchive(m_dir.filePath(QStringLiteral("probe.tar")), tar, compressor);
        QVERIFY(!path.isEmpty());
        const auto result = probeArchive(path);
        if (kind < 0) {
            QVERIFY(!result);
            QVERIFY2(result.error().message.contains(path), qPrintable(result.error().message));
        } else {
            QVERIFY2(result, qPrintable(result ? QString() : result.error().message));
            QCOMPARE(int(*result), kind);
        }
        QFile::remove(path);
    }

    // Blobs first past the read bound: the probe stops, and it is an image
    // archive whichever format it is (load reads both).
    void probeReadIsBounded()
    {
        const QString path = m_dir.filePath(QStringLiteral("big.tar"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        UstarWriter head;
        head.dir(QStringLiteral("blobs/"));
        head.dir(QStringLiteral("blobs/sha256/"));
        QByteArray start = head.finish();
        start.chop(1024); // no end marker: a big entry follows
        QVERIFY(file.write(start) == start.size());
        const qint64 blob = kProbeBytes + (8 << 20);
        // A ustar header for the big blob; its data is a hole.
        UstarWriter one;
        one.file(QStringLiteral("blobs/sha256/") + kBlobHex, QByteArray());
        QByteArray header = one.finish().left(512);
        const QByteArray size = QByteArray::number(blob, 8).rightJustified(11, '0');
        memcpy(header.data() + 124, size.constData(), 11);
        memset(header.data() + 148, ' ', 8);
        uint sum = 0;
        for (const char c : std::as_const(header))
            sum += uchar(c);
        memcpy(header.data() + 148, QByteArray::number(sum, 8).rightJustified(6, '0').append('\0').constData(), 7);
        QVERIFY(file.write(header) == 512);
        QVERIFY(file.resize(file.size() + blob));
        QVERIFY(file.seek(file.size()));
        UstarWriter tail;
        tail.file(QStringLiteral("manifest.json"), "[]");
        QVERIFY(file.write(tail.finish()) > 0);
        file.close();
        const auto result = probeArchive(path);
        QVERIFY2(result, qPrintable(result ? QString() : result.error().message));
        QCOMPARE(*result, ArchiveKind::ImageArchive);
        QFile::remove(path);
    }

};

QTEST_GUILESS_MAIN(TestArchiveProbe)
#include "tst_archiveprobe.moc"
