// Multi-layer images end to end, before pull and commit exist to make them:
// the test writes three layer tars (whiteouts, an opaque directory, a file
// re-added over its own whiteout), their config and manifest straight into
// the store, then runs them. Checks the merged view inside the container,
// history/images/inspect, sharing of unpacked layers by chain ID, garbage
// collection after rmi, and a wrong diff ID. Needs root, as `run` does.

#include "archive/demoimage.h"
#include "core/mediatypes.h"
#include "layer/compresssink.h"
#include "store/imagestore.h"
#include "store/store.h"
#include "support/testsupport.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <archive.h>
#include <archive_entry.h>

#include <memory>
#include <unistd.h>

using namespace porthole;
using porthole::test::RunResult;

namespace {

la_ssize_t appendToArray(struct archive *, void *data, const void *buf, size_t len)
{
    static_cast<QByteArray *>(data)->append(static_cast<const char *>(buf), qsizetype(len));
    return la_ssize_t(len);
}

// A pax tar in memory, built entry by entry.
class TarWriter {
public:
    TarWriter() : m_a(archive_write_new(), archive_write_free)
    {
        archive_write_set_format_pax(m_a.get());
        archive_write_set_bytes_in_last_block(m_a.get(), 1);
        archive_write_open(m_a.get(), &m_out, nullptr, appendToArray, nullptr);
    }

    Status dir(const QString &path) { return add(path, AE_IFDIR, 0755); }
    Status file(const QString &path, const QByteArray &data = {}) { return add(path, AE_IFREG, 0644, data); }

    // Copies every entry of another tar (the demo image's busybox rootfs).
    Status copyAll(const QByteArray &tar)
    {
        std::unique_ptr<struct archive, int (*)(struct archive *)> in(archive_read_new(), archive_read_free);
        archive_read_support_format_tar(in.get());
        if (archive_read_open_memory(in.get(), tar.constData(), size_t(tar.size())) != ARCHIVE_OK)
            return Error(ErrorCode::Internal, QStringLiteral("read the busybox tar: %1").arg(QString::fromUtf8(archive_error_string(in.get()))));
        struct archive_entry *e = nullptr;
        while (archive_read_next_header(in.get(), &e) == ARCHIVE_OK) {
            if (archive_write_header(m_a.get(), e) != ARCHIVE_OK)
                return error(QString::fromUtf8(archive_entry_pathname(e)));
            char buf[65536];
            la_ssize_t n;
            while ((n = archive_read_data(in.get(), buf, sizeof buf)) > 0) {
                if (archive_write_data(m_a.get(), buf, size_t(n)) != n)
                    return error(QString::fromUtf8(archive_entry_pathname(e)));
            }
        }
        return {};
    }

    Result<QByteArray> finish()
    {
        if (archive_write_close(m_a.get()) != ARCHIVE_OK)
            return error(QStringLiteral("the end of the archive"));
        return m_out;
    }

private:
    Status add(const QString &path, mode_t type, int perm, const QByteArray &data = {})
    {
        std::unique_ptr<archive_entry, void (*)(archive_entry *)> e(archive_entry_new(), archive_entry_free);
        const QByteArray name = path.toUtf8();
        archive_entry_set_pathname(e.get(), name.constData());
        archive_entry_set_filetype(e.get(), type);
        archive_entry_set_perm(e.get(), mode_t(perm));
        archive_entry_set_mtime(e.get(), 1704067200, 0);
        archive_entry_set_size(e.get(), data.size());
        if (archive_write_header(m_a.get(), e.get()) != ARCHIVE_OK
            || archive_write_data(m_a.get(), data.constData(), size_t(data.size())) != data.size())
            return error(path);
        return {};
    }

    Error error(const QString &what)
    {
        return Error(ErrorCode::Internal, QStringLiteral("write the test tar: %1: %2").arg(what, QString::fromUtf8(archive_error_string(m_a.get()))));
    }

    QByteArray m_out;
    std::unique_ptr<struct archive, int (*)(struct archive *)> m_a;
};

using ArraySink = porthole::test::ByteArraySink;

struct Layer {
    Descriptor blob;
    Digest diffId;
};

QJsonObject descriptorJson(const QString &mediaType, const Digest &digest, qint64 size)
{
    return {{QStringLiteral("mediaType"), mediaType}, {QStringLiteral("digest"), digest.toString()}, {QStringLiteral("size"), double(size)}};
}

} // namespace

class TestMultiLayer : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void mergedView_data();
    void mergedView();
    void historyImagesInspect();
    void layersSharedAndCollected();
    void wrongDiffIdFails_data();
    void wrongDiffIdFails();

private:
    RunResult ph(const QStringList &args) { return porthole::test::runPorthole(m_root.path(), args, {}, 60000); }
    RunResult runIn(const QString &image, const QString &script)
    {
        return ph({QStringLiteral("run"), QStringLiteral("--rm"), QStringLiteral("--network"), QStringLiteral("none"), image,
                   QStringLiteral("sh"), QStringLiteral("-c"), script});
    }
    Result<Layer> storeLayer(const QByteArray &tar, bool gzip);
    Status tagImage(const QString &refName, const QList<Layer> &layers, const QList<Digest> &diffIds);
    // Every entry of R/layers, hidden ones (temp dirs) included.
    QStringList layerEntries() const
    {
        return QDir(m_root.filePath(QStringLiteral("layers"))).entryList(QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot);
    }
    QStringList layerDirs() const
    {
        return QDir(m_root.filePath(QStringLiteral("layers"))).entryList(QDir::Dirs | QDir::Hidden | QDir::NoDotAndDotDot);
    }

    QTemporaryDir m_root;
    std::shared_ptr<store::Store> m_store;
    QList<Layer> m_layers;
};

Result<Layer> TestMultiLayer::storeLayer(const QByteArray &tar, bool gzip)
{
    ArraySink packed;
    layer::CompressSink compress(packed, gzip ? layer::Compression::Gzip : layer::Compression::None);
    PH_CHECK(compress.write(tar.constData(), tar.size()));
    PH_CHECK(compress.finish());
    PH_TRY(auto writer, m_store->content().openWriter());
    PH_CHECK(writer->write(packed.bytes.constData(), packed.bytes.size()));
    PH_TRY(const Digest digest, writer->commit(Sha256::of(packed.bytes), packed.bytes.size()));
    Layer l;
    l.blob.mediaType = gzip ? QString(mediatype::OciLayerGzip) : QString(mediatype::OciLayerTar);
    l.blob.digest = digest;
    l.blob.size = packed.bytes.size();
    l.diffId = Sha256::of(tar);
    return l;
}

// One history entry per layer; diffIds are what the config claims, which
// the wrong-diff-ID case sets apart from the layers' real ones.
Status TestMultiLayer::tagImage(const QString &refName, const QList<Layer> &layers, const QList<Digest> &diffIds)
{
    QJsonArray ids, history, blobs;
    for (qsizetype i = 0; i < layers.size(); ++i) {
        ids.append(diffIds[i].toString());
        history.append(QJsonObject{{QStringLiteral("created"), QStringLiteral("2024-01-0%1T00:00:00Z").arg(i + 1)},
                                   {QStringLiteral("created_by"), QStringLiteral("test layer %1").arg(i + 1)}});
        blobs.append(descriptorJson(layers[i].blob.mediaType, layers[i].blob.digest, layers[i].blob.size));
    }
    const QJsonObject config{
        {QStringLiteral("created"), QStringLiteral("2024-01-0%1T00:00:00Z").arg(layers.size())},
        {QStringLiteral("architecture"), store::hostArchitecture()},
        {QStringLiteral("os"), QStringLiteral("linux")},
        {QStringLiteral("config"), QJsonObject{{QStringLiteral("Env"), QJsonArray{QStringLiteral("PATH=/usr/sbin:/usr/bin:/sbin:/bin")}},
                                               {QStringLiteral("Cmd"), QJsonArray{QStringLiteral("sh")}}}},
        {QStringLiteral("rootfs"), QJsonObject{{QStringLiteral("type"), QStringLiteral("layers")}, {QStringLiteral("diff_ids"), ids}}},
        {QStringLiteral("history"), history},
    };
    const QByteArray configJson = QJsonDocument(config).toJson(QJsonDocument::Compact);
    PH_TRY(const Digest configDigest, m_store->content().write(configJson));
    const QJsonObject manifest{
        {QStringLiteral("schemaVersion"), 2},
        {QStringLiteral("mediaType"), QString(mediatype::OciManifest)},
        {QStringLiteral("config"), descriptorJson(QString(mediatype::OciConfig), configDigest, configJson.size())},
        {QStringLiteral("layers"), blobs},
    };
    const QByteArray manifestJson = QJsonDocument(manifest).toJson(QJsonDocument::Compact);
    PH_TRY(const Digest manifestDigest, m_store->content().write(manifestJson));
    return m_store->editIndex([&](store::TagIndex &index) {
        index.setTag(refName, descriptorJson(QString(mediatype::OciManifest), manifestDigest, manifestJson.size()));
        return Status();
    });
}

void TestMultiLayer::initTestCase()
{
    if (::geteuid() != 0)
        QSKIP("running containers needs root (namespaces, overlayfs, cgroups)");
    QVERIFY(m_root.isValid());
    auto opened = store::Store::open(m_root.path()); // created here, so the CLI seeds no demo image
    QVERIFY2(opened, qPrintable(opened ? QString() : opened.error().message));
    m_store = *opened;
    auto busybox = archive::buildDemoRootfs();
    if (!busybox)
        QSKIP(qPrintable(busybox.error().message));

    TarWriter one;
    QVERIFY(one.copyAll(*busybox));
    QVERIFY(one.dir(QStringLiteral("a")) && one.file(QStringLiteral("a/f"), "one\n"));
    QVERIFY(one.dir(QStringLiteral("b")) && one.file(QStringLiteral("b/x"), "x\n") && one.file(QStringLiteral("b/keep"), "keep\n"));
    TarWriter two;
    QVERIFY(two.dir(QStringLiteral("a")) && two.file(QStringLiteral("a/.wh.f")));
    QVERIFY(two.dir(QStringLiteral("b")) && two.file(QStringLiteral("b/.wh..wh..opq")) && two.file(QStringLiteral("b/y"), "y\n"));
    QVERIFY(two.dir(QStringLiteral("c")) && two.file(QStringLiteral("c/new"), "two\n"));
    TarWriter three;
    QVERIFY(three.dir(QStringLiteral("a")) && three.file(QStringLiteral("a/f"), "three\n"));
    QVERIFY(three.dir(QStringLiteral("c")) && three.file(QStringLiteral("c/.wh.new")));

    // Gzip, plain, gzip: a layer's compression is its own.
    int i = 0;
    for (TarWriter *w : {&one, &two, &three}) {
        auto tar = w->finish();
        QVERIFY2(tar, qPrintable(tar ? QString() : tar.error().message));
        auto layer = storeLayer(*tar, i++ != 1);
        QVERIFY2(layer, qPrintable(layer ? QString() : layer.error().message));
        m_layers.append(*layer);
    }
    const QList<Digest> diffIds{m_layers[0].diffId, m_layers[1].diffId, m_layers[2].diffId};
    for (int n = 1; n <= 3; ++n) {
        const Status st = tagImage(QStringLiteral("localhost/layers:%1").arg(n), m_layers.mid(0, n), diffIds.mid(0, n));
        QVERIFY2(st, qPrintable(st ? QString() : st.error().message));
    }
}

void TestMultiLayer::cleanupTestCase()
{
    if (::geteuid() != 0 || !m_store)
        return;
    const RunResult ids = ph({QStringLiteral("ps"), QStringLiteral("-aq")});
    for (const QByteArray &id : ids.out.split('\n')) {
        if (!id.isEmpty())
            ph({QStringLiteral("rm"), QStringLiteral("-f"), QString::fromLatin1(id)});
    }
}

void TestMultiLayer::mergedView_data()
{
    QTest::addColumn<QString>("image");
    QTest::addColumn<QByteArray>("expected");
    // Lines: a/f, c/new ("-" when absent), then each directory's listing:
    // whiteouts and the opaque marker must never show.
    QTest::newRow("three layers") << QStringLiteral("localhost/layers:3") << QByteArray("three\n-\na: f\nb: y\nc:\n");
    QTest::newRow("two layers") << QStringLiteral("localhost/layers:2") << QByteArray("-\ntwo\na:\nb: y\nc: new\n");
    QTest::newRow("one layer") << QStringLiteral("localhost/layers:1") << QByteArray("one\n-\na: f\nb: keep x\nc:\n");
}

void TestMultiLayer::mergedView()
{
    QFETCH(QString, image);
    QFETCH(QByteArray, expected);
    const RunResult r = runIn(image, QStringLiteral("cat /a/f 2>/dev/null || echo -; cat /c/new 2>/dev/null || echo -; "
                                                    "for d in a b c; do echo \"$d:\" $(ls -A /$d); done"));
    QVERIFY2(r.exitCode == 0, qPrintable(QStringLiteral("exit %1: %2").arg(r.exitCode).arg(QString::fromUtf8(r.err))));
    QCOMPARE(r.out, expected);
}

void TestMultiLayer::historyImagesInspect()
{
    const RunResult history = ph({QStringLiteral("history"), QStringLiteral("localhost/layers:3")});
    QVERIFY2(history.exitCode == 0, history.err.constData());
    const QList<QByteArray> rows = history.out.trimmed().split('\n');
    QCOMPARE(rows.size(), 4); // header and one row per layer, newest first
    for (int i = 1; i <= 3; ++i)
        QVERIFY2(rows[i].contains("test layer " + QByteArray::number(4 - i)), history.out.constData());

    auto image = store::ImageStore(*m_store).resolve(QStringLiteral("localhost/layers:3"));
    QVERIFY(image);
    const RunResult images = ph({QStringLiteral("images")});
    QVERIFY2(images.exitCode == 0, images.err.constData());
    bool listed = false;
    for (const QByteArray &line : images.out.split('\n')) {
        const QList<QByteArray> cols = line.simplified().split(' ');
        listed |= cols.size() > 2 && cols[0] == "localhost/layers" && cols[1] == "3" && cols[2] == image->image.shortId().toLatin1();
    }
    QVERIFY2(listed, images.out.constData());

    const RunResult inspect = ph({QStringLiteral("inspect"), QStringLiteral("localhost/layers:3")});
    QVERIFY2(inspect.exitCode == 0, inspect.err.constData());
    const QJsonObject o = QJsonDocument::fromJson(inspect.out).array().at(0).toObject();
    QCOMPARE(o.value(QStringLiteral("Id")).toString(), image->image.configDigest.toString());
    const QJsonArray layers = o.value(QStringLiteral("RootFS")).toObject().value(QStringLiteral("Layers")).toArray();
    QCOMPARE(layers.size(), 3);
    for (int i = 0; i < 3; ++i)
        QCOMPARE(layers.at(i).toString(), m_layers[i].diffId.toString());
}

void TestMultiLayer::layersSharedAndCollected()
{
    // All three images ran: one directory per chain ID, shared, no leftovers.
    const QList<Digest> diffIds{m_layers[0].diffId, m_layers[1].diffId, m_layers[2].diffId};
    QStringList chains;
    for (int n = 1; n <= 3; ++n)
        chains.append(store::chainId(diffIds.mid(0, n)).hex());
    QStringList markers;
    for (const QString &c : chains)
        markers.append(c + QStringLiteral(".complete"));
    QStringList entries = layerEntries();
    entries.sort();
    QStringList expected = chains + markers;
    expected.sort();
    QCOMPARE(entries, expected);

    const RunResult rmi = ph({QStringLiteral("rmi"), QStringLiteral("localhost/layers:3")});
    QVERIFY2(rmi.exitCode == 0, rmi.err.constData());
    QVERIFY2(rmi.out.contains("Untagged: localhost/layers:3") && rmi.out.contains("Deleted: "), rmi.out.constData());
    QStringList left = layerDirs();
    left.sort();
    QStringList kept = chains.mid(0, 2);
    kept.sort();
    QCOMPARE(left, kept);
    QVERIFY(!m_store->content().has(m_layers[2].blob.digest));
    QVERIFY(m_store->content().has(m_layers[0].blob.digest) && m_store->content().has(m_layers[1].blob.digest));

    // :2 still runs on what is left, and unpacks nothing again.
    const RunResult r = runIn(QStringLiteral("localhost/layers:2"), QStringLiteral("cat /c/new"));
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QCOMPARE(r.out, QByteArray("two\n"));
    // rmi's collection leaves :3's marker behind; the next open removes it.
    entries = layerEntries();
    entries.sort();
    expected = kept + QStringList{kept[0] + QStringLiteral(".complete"), kept[1] + QStringLiteral(".complete")};
    expected.sort();
    QCOMPARE(entries, expected);
}

void TestMultiLayer::wrongDiffIdFails_data()
{
    QTest::addColumn<bool>("onTop");
    QTest::newRow("base layer") << false;
    QTest::newRow("on a shared base") << true;
}

void TestMultiLayer::wrongDiffIdFails()
{
    QFETCH(bool, onTop);
    TarWriter tar;
    QVERIFY(tar.dir(QStringLiteral("d")) && tar.file(QStringLiteral("d/file"), QByteArray(300000, 'z')));
    auto bytes = tar.finish();
    QVERIFY(bytes);
    auto bad = storeLayer(*bytes, true);
    QVERIFY(bad);
    const Digest claimed = Sha256::of("not this layer");
    QList<Layer> layers{*bad};
    QList<Digest> diffIds{claimed};
    if (onTop) {
        layers.prepend(m_layers[0]);
        diffIds.prepend(m_layers[0].diffId);
    }
    const QString ref = QStringLiteral("localhost/layers:bad%1").arg(int(onTop));
    const Status st = tagImage(ref, layers, diffIds);
    QVERIFY2(st, qPrintable(st ? QString() : st.error().message));

    const QStringList before = layerEntries();
    const RunResult r = runIn(ref, QStringLiteral("true"));
    QCOMPARE(r.exitCode, 125);
    QVERIFY2(r.err.contains("diff ID") && r.err.contains(bad->diffId.toString().toLatin1())
                 && r.err.contains(claimed.toString().toLatin1()),
             r.err.constData());
    QCOMPARE(layerEntries(), before); // no layer dir, marker or temp dir for it
    QCOMPARE(ph({QStringLiteral("ps"), QStringLiteral("-aq")}).out.trimmed(), QByteArray());
}

QTEST_GUILESS_MAIN(TestMultiLayer)
#include "tst_multilayer.moc"
