// `porthole import` end to end: the printed ID, -m and -c, refused changes
// and references that must leave nothing behind, one rootfs in every format
// docker accepts (plain tar, gzip, zstd, xz) from a file and from standard
// input, and damaged inputs. Compressed fixtures come from the real gzip, zstd and xz
// programs, so they owe nothing to Porthole's own compressors; the stored
// layer is read back with libarchive.
#include "support/testsupport.h"
#include "support/ustarwriter.h"

#include <archive.h>
#include <archive_entry.h>

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

#include <cstring>
#include <memory>

using namespace porthole::test;

namespace {

const QString kKoreanName = QStringLiteral("home/안녕하세요.txt");

QByteArray rootfsTar()
{
    QByteArray big(300 * 1000, '\0');
    for (qsizetype i = 0; i < big.size(); ++i)
        big[i] = char((i * 2654435761u) >> 24);
    UstarWriter w;
    w.dir(QStringLiteral("etc/"));
    w.file(QStringLiteral("etc/hostname"), "porthole\n");
    w.symlink(QStringLiteral("etc/link"), QStringLiteral("hostname"));
    w.dir(QStringLiteral("app/"));
    w.file(QStringLiteral("app/data.bin"), big);
    w.dir(QStringLiteral("home/"));
    w.file(kKoreanName, QStringLiteral("한국어\n").toUtf8());
    return w.finish();
}
constexpr qint64 kRootfsBytes = 9 + 300 * 1000 + 10;

QString sha256(const QByteArray &data)
{
    return QStringLiteral("sha256:") + QString::fromLatin1(QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex());
}

const char *const kLayerTar = "application/vnd.oci.image.layer.v1.tar";

struct Format {
    QString program; // empty: plain tar
    QString suffix;
    QString mediaType;
    bool storedAsIs; // the blob is the input's bytes (else the plain tar)
};

Format formatNamed(const QString &name)
{
    if (name == QLatin1String("gzip"))
        return {QStringLiteral("gzip"), QStringLiteral(".tar.gz"), QString::fromLatin1(kLayerTar) + QStringLiteral("+gzip"), true};
    if (name == QLatin1String("zstd"))
        return {QStringLiteral("zstd"), QStringLiteral(".tar.zst"), QString::fromLatin1(kLayerTar) + QStringLiteral("+zstd"), true};
    // xz has no layer media type: the tar is stored decompressed.
    if (name == QLatin1String("xz"))
        return {QStringLiteral("xz"), QStringLiteral(".tar.xz"), QString::fromLatin1(kLayerTar), false};
    return {QString(), QStringLiteral(".tar"), QString::fromLatin1(kLayerTar), true};
}

struct TarItem {
    char type; // 'f', 'd', 'l'
    qint64 size;
    QString link;
};

// Every entry of a (possibly compressed) tar, by UTF-8 path.
QHash<QString, TarItem> listTar(const QByteArray &blob)
{
    QHash<QString, TarItem> out;
    std::unique_ptr<archive, int (*)(archive *)> a(archive_read_new(), archive_read_free);
    archive_read_support_filter_all(a.get());
    archive_read_support_format_tar(a.get());
    if (archive_read_open_memory(a.get(), blob.constData(), size_t(blob.size())) != ARCHIVE_OK)
        return out;
    archive_entry *e = nullptr;
    while (archive_read_next_header(a.get(), &e) == ARCHIVE_OK) {
        const char *name = archive_entry_pathname_utf8(e);
        const QString path = QString::fromUtf8(name ? name : archive_entry_pathname(e));
        const mode_t type = archive_entry_filetype(e);
        out.insert(path, {type == AE_IFDIR ? 'd' : type == AE_IFLNK ? 'l' : 'f', archive_entry_size(e),
                          QString::fromUtf8(archive_entry_symlink(e))});
    }
    return out;
}

} // namespace

class ImportFormatsTest : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    QProcessEnvironment m_env;

    QString root() const { return m_dir->filePath(QStringLiteral("store")); }
    QString blobPath(const QString &digest) const { return root() + QStringLiteral("/blobs/sha256/") + digest.mid(7); }

    RunResult run(const QStringList &args, const QByteArray &input = {})
    {
        return runPorthole(root(), args, input, 60000, m_env);
    }

    QString writeFile(const QString &name, const QByteArray &data)
    {
        const QString path = m_dir->filePath(name);
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly) || f.write(data) != data.size())
            qFatal("cannot write %s", qPrintable(path));
        return path;
    }

    QByteArray readFile(const QString &path)
    {
        QFile f(path);
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }

    // The input in `format`, made by the real tool; empty if it is missing.
    QByteArray compressed(const Format &format, const QByteArray &tar)
    {
        if (format.program.isEmpty())
            return tar;
        if (!haveProgram(format.program))
            return {};
        const RunResult r = runProgram(format.program, {QStringLiteral("-c"), QStringLiteral("-q")}, tar);
        return r.exitCode == 0 ? r.out : QByteArray();
    }

    QJsonObject readJsonBlob(const QString &digest) { return QJsonDocument::fromJson(readFile(blobPath(digest))).object(); }

    QStringList storeFiles(const QString &dir) const { return QDir(root() + u'/' + dir).entryList(QDir::Files); }

    QString blobDir() const { return root() + QStringLiteral("/blobs/sha256"); }
    QStringList blobs() const { return QDir(blobDir()).entryList(QDir::Files); }
    QStringList lines(const QByteArray &out) const { return QString::fromUtf8(out).split(u'\n', Qt::SkipEmptyParts); }
    QStringList quietIds() { return lines(run({QStringLiteral("images"), QStringLiteral("-q")}).out); }
    QString text(const QByteArray &b) const { return QString::fromUtf8(b); }

    QJsonObject inspect(const QString &name)
    {
        const RunResult r = run({QStringLiteral("inspect"), name});
        return QJsonDocument::fromJson(r.out).array().first().toObject();
    }

    // Imports the plain rootfs tar; returns the image ID printed, or "" on failure.
    QString importRootfs(const QStringList &extraArgs = {}, const QString &ref = {})
    {
        const QString tar = writeFile(QStringLiteral("rootfs.tar"), rootfsTar());
        QStringList args{QStringLiteral("import")};
        args << extraArgs << tar;
        if (!ref.isEmpty())
            args << ref;
        const RunResult r = run(args);
        if (r.exitCode != 0) {
            qWarning("import failed: %s", r.err.constData());
            return {};
        }
        return text(r.out).trimmed();
    }

private Q_SLOTS:
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
        m_env = QProcessEnvironment::systemEnvironment();
        m_env.insert(QStringLiteral("PORTHOLE_NO_DEMO"), QStringLiteral("1"));
    }
    void cleanup() { m_dir.reset(); }

    void importPrintsImageId()
    {
        const QString tar = writeFile(QStringLiteral("rootfs.tar"), rootfsTar());
        const RunResult r = run({QStringLiteral("import"), tar});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(QRegularExpression(QStringLiteral("^sha256:[0-9a-f]{64}\n$")).match(text(r.out)).hasMatch(), r.out.constData());
        const QString id = text(r.out).trimmed();
        const QJsonObject image = inspect(id);
        QCOMPARE(image.value(QStringLiteral("Id")).toString(), id);
        // The ID is the config blob's digest, and the config is in the store.
        QVERIFY(QFile::exists(blobDir() + u'/' + id.mid(7)));
        QCOMPARE(quietIds(), QStringList{id.mid(7, 12)});
        // An untagged import: <none> <none>, no RepoTags, docker's default comment.
        QCOMPARE(image.value(QStringLiteral("RepoTags")).toArray(), QJsonArray());
        QCOMPARE(image.value(QStringLiteral("Comment")).toString(), QStringLiteral("Imported from ") + tar);
        QCOMPARE(image.value(QStringLiteral("RootFS")).toObject().value(QStringLiteral("Layers")).toArray(),
                 QJsonArray{sha256(rootfsTar())});
        QCOMPARE(image.value(QStringLiteral("Size")).toInteger(), kRootfsBytes);
    }

    void importMessageAndChanges()
    {
        const QString id = importRootfs({QStringLiteral("-m"), QStringLiteral("첫 이미지 <v1>"), QStringLiteral("-c"),
                                         QStringLiteral("CMD [\"sh\"]"), QStringLiteral("-c"), QStringLiteral("ENV A=1"),
                                         QStringLiteral("-c"), QStringLiteral("EXPOSE 80"), QStringLiteral("-c"),
                                         QStringLiteral("WORKDIR /app"), QStringLiteral("--change"), QStringLiteral("LABEL k=v")},
                                        QStringLiteral("localhost/app:1"));
        QVERIFY(!id.isEmpty());
        const QJsonObject image = inspect(QStringLiteral("localhost/app:1"));
        QCOMPARE(image.value(QStringLiteral("Id")).toString(), id);
        QCOMPARE(image.value(QStringLiteral("RepoTags")).toArray(), QJsonArray{QStringLiteral("localhost/app:1")});
        QCOMPARE(image.value(QStringLiteral("Comment")).toString(), QStringLiteral("첫 이미지 <v1>"));
        const QJsonObject config = image.value(QStringLiteral("Config")).toObject();
        QCOMPARE(config.value(QStringLiteral("Cmd")).toArray(), QJsonArray{QStringLiteral("sh")});
        QCOMPARE(config.value(QStringLiteral("Env")).toArray(), QJsonArray{QStringLiteral("A=1")});
        QCOMPARE(config.value(QStringLiteral("ExposedPorts")).toObject(), (QJsonObject{{QStringLiteral("80/tcp"), QJsonObject()}}));
        QCOMPARE(config.value(QStringLiteral("WorkingDir")).toString(), QStringLiteral("/app"));
        QCOMPARE(config.value(QStringLiteral("Labels")).toObject(), (QJsonObject{{QStringLiteral("k"), QStringLiteral("v")}}));

        const QStringList history = lines(run({QStringLiteral("history"), QStringLiteral("localhost/app:1")}).out);
        QCOMPARE(history.size(), 2);
        QVERIFY2(history[1].endsWith(QStringLiteral("   첫 이미지 <v1>")), qPrintable(history[1]));
    }

    void importInvalidChangeLeavesNothing()
    {
        const QString tar = writeFile(QStringLiteral("rootfs.tar"), rootfsTar());
        const RunResult r = run({QStringLiteral("import"), QStringLiteral("-c"), QStringLiteral("RUN x"), tar, QStringLiteral("bad")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(text(r.err).startsWith(QStringLiteral("Error: ")), r.err.constData());
        QVERIFY2(r.err.contains("RUN is not a valid change command"), r.err.constData());
        QVERIFY(r.out.isEmpty());
        QCOMPARE(quietIds(), QStringList());
        QCOMPARE(blobs(), QStringList());
        QCOMPARE(QDir(root() + QStringLiteral("/layerinfo")).entryList(QDir::Files), QStringList());
        QCOMPARE(QDir(root() + QStringLiteral("/ingest")).entryList(QDir::Files), QStringList());
    }

    void importFailures_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QByteArray>("content"); // empty: the file is not created
        QTest::addColumn<QString>("reference");
        QTest::addColumn<QString>("message");
        QTest::newRow("not a tar") << "notes.txt" << QByteArray("just some text, not a tar\n") << "" << "not a tar archive";
        QTest::newRow("missing file") << "missing.tar" << QByteArray() << "" << "missing.tar";
        QTest::newRow("upper-case name") << "rootfs.tar" << rootfsTar() << "UPPER" << "must be lowercase";
        QTest::newRow("upper-case path") << "rootfs.tar" << rootfsTar() << "upper/CASE" << "must be lowercase";
        QTest::newRow("double at") << "rootfs.tar" << rootfsTar() << "a@@b" << "invalid reference format";
        QTest::newRow("bad tag") << "rootfs.tar" << rootfsTar() << "app:-x" << "invalid reference format";
        QTest::newRow("digest reference") << "rootfs.tar" << rootfsTar()
                                          << "app@sha256:0123456789012345678901234567890123456789012345678901234567890123"
                                          << "digest";
    }
    void importFailures()
    {
        QFETCH(QString, file);
        QFETCH(QByteArray, content);
        QFETCH(QString, reference);
        QFETCH(QString, message);
        const QString path = content.isEmpty() ? m_dir->filePath(file) : writeFile(file, content);
        QStringList args{QStringLiteral("import"), path};
        if (!reference.isEmpty())
            args << reference;
        const RunResult r = run(args);
        QCOMPARE(r.exitCode, 1);
        QVERIFY(r.out.isEmpty());
        QVERIFY2(text(r.err).startsWith(QStringLiteral("Error: ")) && text(r.err).contains(message), r.err.constData());
        QCOMPARE(quietIds(), QStringList());
        QCOMPARE(blobs(), QStringList());
    }

    // distribution/reference takes an upper-case first component for a
    // registry host ("UPPER/case" is host UPPER, repository "case"), so
    // docker accepts it; only the repository path must be lower case.
    void importUpperCaseHostIsValid()
    {
        QVERIFY(!importRootfs({}, QStringLiteral("UPPER/case")).isEmpty());
        QCOMPARE(inspect(QStringLiteral("UPPER/case")).value(QStringLiteral("RepoTags")).toArray(),
                 QJsonArray{QStringLiteral("UPPER/case:latest")});
    }

    void importTwiceSharesTheLayer()
    {
        const QString first = importRootfs({}, QStringLiteral("one"));
        const QString second = importRootfs({}, QStringLiteral("two"));
        QVERIFY(!first.isEmpty() && !second.isEmpty());
        QVERIFY(first != second);
        const QJsonObject a = inspect(QStringLiteral("one"));
        const QJsonObject b = inspect(QStringLiteral("two"));
        QVERIFY(a.value(QStringLiteral("Created")).toString() != b.value(QStringLiteral("Created")).toString());
        QCOMPARE(a.value(QStringLiteral("RootFS")), b.value(QStringLiteral("RootFS")));
        // One layer blob, two configs, two manifests.
        QCOMPARE(blobs().size(), 5);
        QCOMPARE(quietIds().size(), 2);
    }

    void importFormat_data()
    {
        QTest::addColumn<QString>("format");
        QTest::addColumn<bool>("fromStdin");
        for (const char *format : {"tar", "gzip", "zstd", "xz"}) {
            QTest::addRow("%s file", format) << QString::fromLatin1(format) << false;
            QTest::addRow("%s stdin", format) << QString::fromLatin1(format) << true;
        }
    }
    void importFormat()
    {
        QFETCH(QString, format);
        QFETCH(bool, fromStdin);
        const Format f = formatNamed(format);
        const QByteArray tar = rootfsTar();
        const QByteArray input = compressed(f, tar);
        if (input.isEmpty())
            QSKIP(qPrintable(f.program + QStringLiteral(" is not installed")));
        const QString path = writeFile(QStringLiteral("rootfs") + f.suffix, input);

        const RunResult r = fromStdin ? run({QStringLiteral("import"), QStringLiteral("-"), QStringLiteral("app:") + format}, input)
                                      : run({QStringLiteral("import"), path, QStringLiteral("app:") + format});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY2(QRegularExpression(QStringLiteral("^sha256:[0-9a-f]{64}\n$")).match(QString::fromUtf8(r.out)).hasMatch(),
                 r.out.constData());
        const QString id = QString::fromUtf8(r.out).trimmed();

        const RunResult ins = run({QStringLiteral("inspect"), QStringLiteral("app:") + format});
        QCOMPARE(ins.exitCode, 0);
        const QJsonObject image = QJsonDocument::fromJson(ins.out).array().first().toObject();
        QCOMPARE(image.value(QStringLiteral("Id")).toString(), id);
        // The diff ID is the digest of the tar itself, whatever wrapped it.
        QCOMPARE(image.value(QStringLiteral("RootFS")).toObject().value(QStringLiteral("Layers")).toArray(), QJsonArray{sha256(tar)});
        QCOMPARE(image.value(QStringLiteral("Size")).toInteger(), kRootfsBytes);
        QCOMPARE(image.value(QStringLiteral("Comment")).toString(),
                 QStringLiteral("Imported from ") + (fromStdin ? QStringLiteral("-") : path));

        // The manifest names the layer as stored: gzip and zstd as they came.
        const QString manifestDigest = image.value(QStringLiteral("Descriptor")).toObject().value(QStringLiteral("digest")).toString();
        const QJsonObject manifest = readJsonBlob(manifestDigest);
        QCOMPARE(manifest.value(QStringLiteral("config")).toObject().value(QStringLiteral("digest")).toString(), id);
        const QJsonArray layers = manifest.value(QStringLiteral("layers")).toArray();
        QCOMPARE(layers.size(), 1);
        const QJsonObject layer = layers.first().toObject();
        QCOMPARE(layer.value(QStringLiteral("mediaType")).toString(), f.mediaType);
        const QByteArray blob = readFile(blobPath(layer.value(QStringLiteral("digest")).toString()));
        const QByteArray expectedBlob = f.storedAsIs ? input : tar;
        QCOMPARE(blob.size(), expectedBlob.size());
        QVERIFY(blob == expectedBlob);
        QCOMPARE(layer.value(QStringLiteral("size")).toInteger(), qint64(blob.size()));
        QCOMPARE(layer.value(QStringLiteral("digest")).toString(), sha256(blob));

        // And it is still the same tree: dirs, symlink, the Korean name.
        const QHash<QString, TarItem> entries = listTar(blob);
        QCOMPARE(entries.size(), 7);
        QCOMPARE(entries.value(QStringLiteral("etc/")).type, 'd');
        QCOMPARE(entries.value(QStringLiteral("etc/link")).type, 'l');
        QCOMPARE(entries.value(QStringLiteral("etc/link")).link, QStringLiteral("hostname"));
        QCOMPARE(entries.value(QStringLiteral("app/data.bin")).size, 300 * 1000);
        QVERIFY(entries.contains(kKoreanName));
        QCOMPARE(entries.value(kKoreanName).size, 10);
    }

    void damagedInput_data()
    {
        QTest::addColumn<QString>("format");
        QTest::addColumn<int>("keep"); // bytes of the compressed input kept; -1: all, with garbage appended
        QTest::addColumn<QString>("message");
        QTest::newRow("gzip cut in the middle") << "gzip" << 500 << "gzip stream is truncated";
        QTest::newRow("gzip without its trailer") << "gzip" << -4 << "gzip stream is truncated";
        QTest::newRow("zstd cut") << "zstd" << 300 << "zstd stream is truncated";
        QTest::newRow("xz cut") << "xz" << 300 << "xz stream is truncated";
        QTest::newRow("gzip with trailing garbage") << "gzip" << -1 << "not a gzip member";
        QTest::newRow("tar cut inside a file") << "tar" << 2000 << "scan tar: truncated";
    }
    void damagedInput()
    {
        QFETCH(QString, format);
        QFETCH(int, keep);
        QFETCH(QString, message);
        const Format f = formatNamed(format);
        QByteArray input = compressed(f, rootfsTar());
        if (input.isEmpty())
            QSKIP(qPrintable(f.program + QStringLiteral(" is not installed")));
        if (keep == -1)
            input += QByteArray("this is not another gzip member");
        else
            input = keep < 0 ? input.chopped(-keep) : input.left(keep);
        for (const bool fromStdin : {false, true}) {
            const QString path = writeFile(QStringLiteral("broken") + f.suffix, input);
            const RunResult r = run({QStringLiteral("import"), fromStdin ? QStringLiteral("-") : path, QStringLiteral("broken")},
                                    fromStdin ? input : QByteArray());
            QCOMPARE(r.exitCode, 1);
            QVERIFY(r.out.isEmpty());
            QVERIFY2(r.err.startsWith("Error: import ") && QString::fromUtf8(r.err).contains(message, Qt::CaseInsensitive),
                     r.err.constData());
            QCOMPARE(run({QStringLiteral("images"), QStringLiteral("-q")}).out, QByteArray());
            QCOMPARE(storeFiles(QStringLiteral("blobs/sha256")), QStringList());
            QCOMPARE(storeFiles(QStringLiteral("ingest")), QStringList());
            QCOMPARE(storeFiles(QStringLiteral("layerinfo")), QStringList());
        }
    }

    void emptyStdinIsAnEmptyLayer()
    {
        // Zero bytes are an empty tar (as docker's DecompressStream sees them).
        const RunResult r = run({QStringLiteral("import"), QStringLiteral("-"), QStringLiteral("empty")});
        QCOMPARE(r.exitCode, 0);
        const RunResult sizes = run({QStringLiteral("inspect"), QStringLiteral("-f"), QStringLiteral("{{.Size}}"), QStringLiteral("empty")});
        QCOMPARE(sizes.out, QByteArray("0\n"));
    }

    void sameTarTwoWays()
    {
        // A plain tar from a file and the same tar gzipped on stdin: one diff
        // ID, two layer blobs (each stored as it came), two images.
        const QByteArray tar = rootfsTar();
        const QByteArray gz = compressed(formatNamed(QStringLiteral("gzip")), tar);
        if (gz.isEmpty())
            QSKIP("gzip is not installed");
        QCOMPARE(run({QStringLiteral("import"), writeFile(QStringLiteral("a.tar"), tar), QStringLiteral("a")}).exitCode, 0);
        QCOMPARE(run({QStringLiteral("import"), QStringLiteral("-"), QStringLiteral("b")}, gz).exitCode, 0);
        const QByteArray layers =
            run({QStringLiteral("inspect"), QStringLiteral("-f"), QStringLiteral("{{json .RootFS.Layers}}"), QStringLiteral("a"),
                 QStringLiteral("b")})
                .out;
        const QByteArray one = "[\"" + sha256(tar).toLatin1() + "\"]\n";
        QCOMPARE(layers, one + one);
        QCOMPARE(storeFiles(QStringLiteral("blobs/sha256")).size(), 6); // 2 layers, 2 configs, 2 manifests
        QCOMPARE(storeFiles(QStringLiteral("layerinfo")).size(), 1);
    }
};

QTEST_GUILESS_MAIN(ImportFormatsTest)
#include "tst_importformats.moc"
