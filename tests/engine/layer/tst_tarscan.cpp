// scanTar on archives built here with libarchive's writer (and GNU tar when
// installed): every entry kind, big files, long and Korean names, empty and
// non-tar input, truncation, source errors, and the hash-then-drain pipeline.
#include "layer/compresssink.h"
#include "layer/decompresssource.h"
#include "layer/tarscan.h"
#include "support/testsupport.h"

#include <archive.h>
#include <archive_entry.h>

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

using namespace porthole;
using namespace porthole::layer;

namespace {

class ArraySource final : public ByteSource {
public:
    explicit ArraySource(QByteArray data, qint64 chunk = 1 << 30, qint64 failAt = -1)
        : m_data(std::move(data)), m_chunk(chunk), m_failAt(failAt) {}
    Result<qint64> read(char *buf, qint64 max) override
    {
        if (m_failAt >= 0 && m_pos >= m_failAt)
            return Error(ErrorCode::Io, QStringLiteral("read layer: boom"));
        qint64 n = std::min({max, m_chunk, qint64(m_data.size()) - m_pos});
        if (m_failAt >= 0)
            n = std::min(n, m_failAt - m_pos);
        memcpy(buf, m_data.constData() + m_pos, size_t(n));
        m_pos += n;
        return n;
    }

private:
    QByteArray m_data;
    qint64 m_chunk;
    qint64 m_failAt;
    qint64 m_pos = 0;
};

using ArraySink = porthole::test::ByteArraySink;

// Writes a tar into memory and keeps the summary scanTar should report.
class TarBuilder {
public:
    explicit TarBuilder(int format) : m_a(archive_write_new())
    {
        archive_write_set_format(m_a, format);
        archive_write_open(m_a, this, nullptr, &TarBuilder::writeCallback, nullptr);
    }
    ~TarBuilder() { archive_write_free(m_a); }

    void file(const QString &path, const QByteArray &data)
    {
        add(path, AE_IFREG, 0644, data.size(), {}, {});
        QCOMPARE(archive_write_data(m_a, data.constData(), size_t(data.size())), la_ssize_t(data.size()));
        expected.contentBytes += data.size();
    }
    void dir(const QString &path) { add(path, AE_IFDIR, 0755, 0, {}, {}); }
    void symlink(const QString &path, const QString &target) { add(path, AE_IFLNK, 0777, 0, target, {}); }
    void hardlink(const QString &path, const QString &target) { add(path, AE_IFREG, 0644, 0, {}, target); }

    QByteArray finish()
    {
        archive_write_close(m_a);
        return bytes;
    }

    TarSummary expected;
    QByteArray bytes;

private:
    void add(const QString &path, mode_t type, mode_t perm, qint64 size, const QString &symlink,
             const QString &hardlink)
    {
        archive_entry *e = archive_entry_new();
        archive_entry_set_pathname_utf8(e, path.toUtf8().constData());
        archive_entry_set_filetype(e, type);
        archive_entry_set_perm(e, perm);
        archive_entry_set_size(e, size);
        archive_entry_set_mtime(e, 1700000000, 0);
        if (!symlink.isEmpty())
            archive_entry_set_symlink_utf8(e, symlink.toUtf8().constData());
        if (!hardlink.isEmpty())
            archive_entry_set_hardlink_utf8(e, hardlink.toUtf8().constData());
        const int r = archive_write_header(m_a, e);
        if (r != ARCHIVE_OK)
            qWarning() << "archive_write_header" << path << archive_error_string(m_a);
        archive_entry_free(e);
        ++expected.entries;
    }

    static la_ssize_t writeCallback(struct archive *, void *client, const void *buffer, size_t length)
    {
        static_cast<TarBuilder *>(client)->bytes.append(static_cast<const char *>(buffer), qsizetype(length));
        return la_ssize_t(length);
    }

    struct archive *m_a;
};

enum class Recipe { Regular, DirsAndLinks, Hardlink, BigFile, LongNames, Korean };

void build(TarBuilder &t, Recipe recipe)
{
    switch (recipe) {
    case Recipe::Regular:
        t.file(QStringLiteral("empty"), {});
        t.file(QStringLiteral("one"), "1");
        t.file(QStringLiteral("block"), QByteArray(512, 'b'));
        t.file(QStringLiteral("odd"), QByteArray(1000, 'o'));
        break;
    case Recipe::DirsAndLinks:
        t.dir(QStringLiteral("etc"));
        t.dir(QStringLiteral("etc/ssl"));
        t.file(QStringLiteral("etc/hostname"), "porthole\n");
        t.symlink(QStringLiteral("etc/localtime"), QStringLiteral("/usr/share/zoneinfo/Asia/Seoul"));
        t.symlink(QStringLiteral("etc/dangling"), QStringLiteral("../nowhere"));
        break;
    case Recipe::Hardlink:
        t.file(QStringLiteral("bin/busybox"), QByteArray(70000, 'x'));
        t.hardlink(QStringLiteral("bin/sh"), QStringLiteral("bin/busybox"));
        t.hardlink(QStringLiteral("bin/ls"), QStringLiteral("bin/busybox"));
        break;
    case Recipe::BigFile: {
        QByteArray big(5 * 1024 * 1024 + 3, Qt::Uninitialized);
        for (qsizetype i = 0; i < big.size(); ++i)
            big[i] = char(i * 131 + (i >> 9));
        t.file(QStringLiteral("opt/big.bin"), big);
        t.file(QStringLiteral("opt/after"), "after the big one");
        break;
    }
    case Recipe::LongNames: {
        const QString deep = QStringLiteral("very-long-directory-name/").repeated(12);
        t.dir(deep);
        t.file(deep + QStringLiteral("f").repeated(200), "long");
        t.symlink(QStringLiteral("short"), deep + QStringLiteral("t").repeated(150));
        break;
    }
    case Recipe::Korean:
        t.dir(QStringLiteral("문서"));
        t.file(QStringLiteral("문서/안녕하세요.txt"), "안녕하세요\n");
        t.symlink(QStringLiteral("바로가기"), QStringLiteral("문서/안녕하세요.txt"));
        break;
    }
}

Result<TarSummary> scanBytes(const QByteArray &tar, qint64 chunk = 1 << 30)
{
    ArraySource source(tar, chunk);
    return scanTar(source, CancelToken::none());
}

} // namespace

Q_DECLARE_METATYPE(Recipe)

class TestTarScan : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void scan_data()
    {
        QTest::addColumn<Recipe>("recipe");
        QTest::addColumn<int>("format");
        const struct {
            const char *name;
            int format;
        } formats[] = {{"pax", ARCHIVE_FORMAT_TAR_PAX_RESTRICTED},
                       {"ustar", ARCHIVE_FORMAT_TAR_USTAR},
                       {"gnutar", ARCHIVE_FORMAT_TAR_GNUTAR}};
        const struct {
            const char *name;
            Recipe recipe;
        } recipes[] = {{"regular", Recipe::Regular},       {"dirs and links", Recipe::DirsAndLinks},
                       {"hardlinks", Recipe::Hardlink},    {"5 MB file", Recipe::BigFile},
                       {"long names", Recipe::LongNames},  {"korean names", Recipe::Korean}};
        for (const auto &f : formats) {
            for (const auto &r : recipes) {
                // ustar cannot hold these names; GNU's charset handling is
                // covered by the GNU tar test below.
                const bool needsPax = r.recipe == Recipe::LongNames || r.recipe == Recipe::Korean;
                if (needsPax && f.format != ARCHIVE_FORMAT_TAR_PAX_RESTRICTED)
                    continue;
                QTest::addRow("%s %s", f.name, r.name) << r.recipe << f.format;
            }
        }
    }
    void scan()
    {
        QFETCH(Recipe, recipe);
        QFETCH(int, format);
        TarBuilder t(format);
        build(t, recipe);
        const QByteArray tar = t.finish();
        QVERIFY(tar.size() >= 1024);
        auto summary = scanBytes(tar);
        QVERIFY2(summary.ok(), qPrintable(summary.ok() ? QString() : summary.error().message));
        QCOMPARE(summary->entries, t.expected.entries);
        QCOMPARE(summary->contentBytes, t.expected.contentBytes);
    }

    void tinySourceReads()
    {
        TarBuilder t(ARCHIVE_FORMAT_TAR_PAX_RESTRICTED);
        build(t, Recipe::DirsAndLinks);
        build(t, Recipe::Korean);
        const QByteArray tar = t.finish();
        for (qint64 chunk : {1, 7, 511}) {
            auto summary = scanBytes(tar, chunk);
            QVERIFY(summary.ok());
            QCOMPARE(summary->entries, t.expected.entries);
            QCOMPARE(summary->contentBytes, t.expected.contentBytes);
        }
    }

    void emptyArchives_data()
    {
        QTest::addColumn<QByteArray>("tar");
        QTest::newRow("zero bytes") << QByteArray();
        QTest::newRow("end marker") << QByteArray(1024, '\0');
        QTest::newRow("end marker in a record") << QByteArray(10240, '\0');
        TarBuilder t(ARCHIVE_FORMAT_TAR_PAX_RESTRICTED);
        QTest::newRow("libarchive with no entries") << t.finish();
    }
    void emptyArchives()
    {
        QFETCH(QByteArray, tar);
        auto summary = scanBytes(tar);
        QVERIFY2(summary.ok(), qPrintable(summary.ok() ? QString() : summary.error().message));
        QCOMPARE(summary->entries, 0);
        QCOMPARE(summary->contentBytes, 0);
    }

    void notTar_data()
    {
        QTest::addColumn<QByteArray>("data");
        QTest::newRow("text") << QByteArray("this is not a tar archive, just text\n").repeated(100);
        QByteArray noise(4096, Qt::Uninitialized);
        for (qsizetype i = 0; i < noise.size(); ++i)
            noise[i] = char((i * 7919) ^ (i >> 3));
        QTest::newRow("noise") << noise;
        QTest::newRow("short text") << QByteArray("hello");
        // Compressed input is not unwrapped here: that is DecompressSource's job.
        TarBuilder t(ARCHIVE_FORMAT_TAR_PAX_RESTRICTED);
        build(t, Recipe::Regular);
        ArraySink sink;
        CompressSink gz(sink, Compression::Gzip);
        const QByteArray tar = t.finish();
        QVERIFY(gz.write(tar.constData(), tar.size()).ok());
        QVERIFY(gz.finish().ok());
        QTest::newRow("gzipped tar") << sink.bytes;
    }
    void notTar()
    {
        QFETCH(QByteArray, data);
        auto summary = scanBytes(data);
        QVERIFY(!summary.ok());
        QCOMPARE(summary.error().code, ErrorCode::InvalidArgument);
        QCOMPARE(summary.error().message, QStringLiteral("scan tar: input is not a tar archive"));
    }

    void truncatedTar()
    {
        TarBuilder t(ARCHIVE_FORMAT_TAR_USTAR);
        build(t, Recipe::BigFile);
        const QByteArray tar = t.finish();
        auto summary = scanBytes(tar.left(3 * 1024 * 1024));
        QVERIFY(!summary.ok());
        QCOMPARE(summary.error().code, ErrorCode::InvalidArgument);
        QVERIFY2(summary.error().message.startsWith(QStringLiteral("scan tar: ")), qPrintable(summary.error().message));
        QVERIFY(!summary.error().message.contains(QStringLiteral("not a tar")));
    }

    void sourceErrorPassesThrough()
    {
        TarBuilder t(ARCHIVE_FORMAT_TAR_PAX_RESTRICTED);
        build(t, Recipe::BigFile);
        for (qint64 failAt : {0, 100, 2 * 1024 * 1024}) {
            ArraySource source(t.bytes, 1 << 20, failAt);
            auto summary = scanTar(source, CancelToken::none());
            QVERIFY(!summary.ok());
            QCOMPARE(summary.error().code, ErrorCode::Io);
            // The source's own words and code survive, behind the step's name.
            QCOMPARE(summary.error().message, QStringLiteral("scan tar: read layer: boom"));
        }
    }

    void cancelled()
    {
        TarBuilder t(ARCHIVE_FORMAT_TAR_PAX_RESTRICTED);
        build(t, Recipe::Regular);
        ArraySource source(t.finish());
        CancelToken token;
        token.cancel();
        auto summary = scanTar(source, token);
        QVERIFY(!summary.ok());
        QCOMPARE(summary.error().code, ErrorCode::Cancelled);
    }

    void hashThenDrainPipeline()
    {
        // The import pipeline: hash the blob, decompress, hash the tar (the
        // diff ID), scan, then drain so both hashes cover every byte.
        TarBuilder t(ARCHIVE_FORMAT_TAR_PAX_RESTRICTED);
        build(t, Recipe::BigFile);
        build(t, Recipe::DirsAndLinks);
        const QByteArray tar = t.finish() + QByteArray(3 << 20, '\0'); // generous trailing padding
        ArraySink sink;
        CompressSink gz(sink, Compression::Gzip);
        QVERIFY(gz.write(tar.constData(), tar.size()).ok());
        QVERIFY(gz.finish().ok());

        ArraySource blob(sink.bytes, 65536);
        DigestingSource blobHash(blob);
        auto opened = openDecompressed(blobHash);
        QVERIFY(opened.ok());
        QCOMPARE(opened->compression, Compression::Gzip);
        DigestingSource diffHash(*opened->source);
        auto summary = scanTar(diffHash, CancelToken::none());
        QVERIFY2(summary.ok(), qPrintable(summary.ok() ? QString() : summary.error().message));
        QCOMPARE(summary->entries, t.expected.entries);
        QVERIFY(diffHash.bytes() < quint64(tar.size())); // libarchive stopped at the end marker
        QVERIFY(drain(diffHash).ok());
        QCOMPARE(diffHash.finish(), Sha256::of(tar));
        QCOMPARE(blobHash.finish(), Sha256::of(sink.bytes));
    }

    void truncatedGzipKeepsItsMessage()
    {
        TarBuilder t(ARCHIVE_FORMAT_TAR_PAX_RESTRICTED);
        build(t, Recipe::BigFile);
        ArraySink sink;
        CompressSink gz(sink, Compression::Gzip);
        const QByteArray tar = t.finish();
        QVERIFY(gz.write(tar.constData(), tar.size()).ok());
        QVERIFY(gz.finish().ok());
        ArraySource blob(sink.bytes.left(sink.bytes.size() / 2));
        DecompressSource source(blob, Compression::Gzip);
        auto summary = scanTar(source, CancelToken::none());
        QVERIFY(!summary.ok());
        QCOMPARE(summary.error().message, QStringLiteral("scan tar: gzip stream is truncated"));
    }

    void gnuTarTool_data()
    {
        QTest::addColumn<QString>("format");
        QTest::newRow("gnu") << "gnu";
        QTest::newRow("posix") << "posix";
        QTest::newRow("ustar") << "ustar";
    }
    void gnuTarTool()
    {
        QFETCH(QString, format);
        if (!test::haveProgram(QStringLiteral("tar")))
            QSKIP("tar is not installed");
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString root = dir.path();
        const bool longNames = format != QLatin1StringView("ustar");
        const QString deep = longNames ? QString(90, u'd') + u'/' + QString(90, u'e') : QStringLiteral("sub");
        QVERIFY(QDir(root).mkpath(deep));
        const QStringList files = {QStringLiteral("a.txt"), deep + u'/' + (longNames ? QString(120, u'g') : QStringLiteral("g")),
                                   longNames ? QStringLiteral("한국어 파일.txt") : QStringLiteral("k.txt")};
        qint64 bytes = 0;
        for (int i = 0; i < files.size(); ++i) {
            QFile f(root + QStringLiteral("/") + files[i]);
            QVERIFY(f.open(QIODevice::WriteOnly));
            const QByteArray content(1000 * (i + 1) + 1, char('a' + i));
            f.write(content);
            bytes += content.size();
        }
        QVERIFY(QFile::link(QStringLiteral("a.txt"), root + QStringLiteral("/link")));
        const QStringList args = {QStringLiteral("--format=") + format, QStringLiteral("-C"), root,
                                  QStringLiteral("-cf"), QStringLiteral("-"), QStringLiteral(".")};
        const test::RunResult r = test::runProgram(QStringLiteral("tar"), args);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        auto summary = scanBytes(r.out);
        QVERIFY2(summary.ok(), qPrintable(summary.ok() ? QString() : summary.error().message));
        // ".", the directories of `deep`, three files, one symlink.
        const qint64 dirs = 1 + (longNames ? 2 : 1);
        QCOMPARE(summary->entries, dirs + 3 + 1);
        QCOMPARE(summary->contentBytes, bytes);
    }
};

QTEST_GUILESS_MAIN(TestTarScan)
#include "tst_tarscan.moc"
