// The store is an OCI image layout on purpose: skopeo and umoci must read
// what Porthole writes, and Porthole must live with what skopeo writes into
// the same root (its entries, its compressed layers) without losing them.
#include "support/testsupport.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <unistd.h>

using namespace porthole;
using porthole::test::runPorthole;
using porthole::test::runProgram;

namespace {

QProcessEnvironment noDemo()
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("PORTHOLE_NO_DEMO"), QStringLiteral("1"));
    return env;
}

QString fileSha256(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return QString();
    QCryptographicHash h(QCryptographicHash::Sha256);
    h.addData(&f);
    return QStringLiteral("sha256:") + QString::fromLatin1(h.result().toHex());
}

QJsonObject jsonOf(const QByteArray &out) { return QJsonDocument::fromJson(out).object(); }

// Evaluates the command once (QVERIFY2 would run it twice).
#define RUN_OK(expr)                                                     \
    do {                                                                 \
        const porthole::test::RunResult run_ = (expr);                   \
        QVERIFY2(run_.exitCode == 0, run_.err.constData());              \
    } while (0)

} // namespace

class TestSkopeoInterop : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void skopeoInspectReportsLayers();
    void skopeoCopyOut();
    void umociListsAndUnpacks();
    void skopeoWrittenImagesSurvivePortholeEdits();

private:
    QString ociRef(const QString &name) const { return QStringLiteral("oci:") + m_root + u':' + name; }
    porthole::test::RunResult porthole(const QStringList &args) const { return runPorthole(m_root, args, {}, 60000, noDemo()); }

    QTemporaryDir m_dir;
    QString m_root;
    QString m_diffId; // of the imported tar: sha256 of the file itself
};

void TestSkopeoInterop::initTestCase()
{
    if (!test::haveProgram(QStringLiteral("skopeo")))
        QSKIP("skopeo is not installed (apt-get install skopeo); the OCI layout interop is untested");
    QVERIFY(m_dir.isValid());
    m_root = m_dir.filePath(QStringLiteral("root"));
    QVERIFY(QDir().mkpath(m_dir.filePath(QStringLiteral("rootfs/etc"))));
    QFile host(m_dir.filePath(QStringLiteral("rootfs/etc/hostname")));
    QVERIFY(host.open(QIODevice::WriteOnly));
    host.write("porthole\n");
    host.close();
    const QString tar = m_dir.filePath(QStringLiteral("rootfs.tar"));
    RUN_OK(runProgram(QStringLiteral("tar"), {QStringLiteral("-cf"), tar, QStringLiteral("-C"), m_dir.filePath(QStringLiteral("rootfs")),
                                              QStringLiteral(".")}));
    m_diffId = fileSha256(tar);
    QVERIFY(!m_diffId.isEmpty());
    RUN_OK(porthole({QStringLiteral("import"), tar, QStringLiteral("localhost/x:1")}));
}

void TestSkopeoInterop::skopeoInspectReportsLayers()
{
    const auto inspect = runProgram(QStringLiteral("skopeo"), {QStringLiteral("inspect"), ociRef(QStringLiteral("localhost/x:1"))});
    RUN_OK(inspect);
    const QJsonObject info = jsonOf(inspect.out);
    // A plain tar is stored as it came, so the layer blob is the diff ID.
    QCOMPARE(info.value(QStringLiteral("Layers")).toArray(), QJsonArray{m_diffId});
    QCOMPARE(info.value(QStringLiteral("Os")).toString(), QStringLiteral("linux"));

    const auto config = runProgram(QStringLiteral("skopeo"), {QStringLiteral("inspect"), QStringLiteral("--config"),
                                                              ociRef(QStringLiteral("localhost/x:1"))});
    RUN_OK(config);
    QCOMPARE(jsonOf(config.out).value(QStringLiteral("rootfs")).toObject().value(QStringLiteral("diff_ids")).toArray(),
             QJsonArray{m_diffId});

    // The image ID Porthole shows is the config digest skopeo sees.
    const auto ids = porthole({QStringLiteral("images"), QStringLiteral("-q"), QStringLiteral("--no-trunc")});
    RUN_OK(ids);
    const auto raw = runProgram(QStringLiteral("skopeo"), {QStringLiteral("inspect"), QStringLiteral("--raw"),
                                                           ociRef(QStringLiteral("localhost/x:1"))});
    RUN_OK(raw);
    const QString configDigest = jsonOf(raw.out).value(QStringLiteral("config")).toObject().value(QStringLiteral("digest")).toString();
    QCOMPARE(QString::fromUtf8(ids.out.trimmed()), configDigest);

    const auto missing = runProgram(QStringLiteral("skopeo"), {QStringLiteral("inspect"), ociRef(QStringLiteral("localhost/x:2"))});
    QVERIFY(missing.exitCode != 0);
}

void TestSkopeoInterop::skopeoCopyOut()
{
    const QString out = m_dir.filePath(QStringLiteral("copied"));
    RUN_OK(runProgram(QStringLiteral("skopeo"), {QStringLiteral("--insecure-policy"), QStringLiteral("copy"),
                                                 ociRef(QStringLiteral("localhost/x:1")), QStringLiteral("dir:") + out}));
    QFile manifestFile(out + QStringLiteral("/manifest.json"));
    QVERIFY(manifestFile.open(QIODevice::ReadOnly));
    const QJsonObject manifest = jsonOf(manifestFile.readAll());
    const QJsonArray layers = manifest.value(QStringLiteral("layers")).toArray();
    QCOMPARE(layers.size(), 1);
    QCOMPARE(layers[0].toObject().value(QStringLiteral("digest")).toString(), m_diffId);
    // Every blob skopeo copied hashes to its name.
    int blobs = 0;
    for (const QString &name : QDir(out).entryList(QDir::Files)) {
        if (name.size() != 64)
            continue;
        QCOMPARE(fileSha256(out + u'/' + name), QStringLiteral("sha256:") + name);
        ++blobs;
    }
    QCOMPARE(blobs, 2); // config and layer
}

void TestSkopeoInterop::umociListsAndUnpacks()
{
    if (!test::haveProgram(QStringLiteral("umoci")))
        QSKIP("umoci is not installed (apt-get install umoci)");
    const auto ls = runProgram(QStringLiteral("umoci"), {QStringLiteral("ls"), QStringLiteral("--layout"), m_root});
    RUN_OK(ls);
    QVERIFY2(ls.out.split('\n').contains("localhost/x:1"), ls.out.constData());

    const QString bundle = m_dir.filePath(QStringLiteral("bundle"));
    QStringList args{QStringLiteral("unpack")};
    if (::geteuid() != 0)
        args << QStringLiteral("--rootless");
    args << QStringLiteral("--image") << m_root + QStringLiteral(":localhost/x:1") << bundle;
    RUN_OK(runProgram(QStringLiteral("umoci"), args));
    QFile host(bundle + QStringLiteral("/rootfs/etc/hostname"));
    QVERIFY(host.open(QIODevice::ReadOnly));
    QCOMPARE(host.readAll(), QByteArray("porthole\n"));
}

void TestSkopeoInterop::skopeoWrittenImagesSurvivePortholeEdits()
{
    // skopeo writes its own entry (gzip-compressed layer) into our index: a
    // compressed copy goes out to a directory (where it cannot reuse our
    // plain blob) and comes back under another name.
    const QString gz = m_dir.filePath(QStringLiteral("copied-gz"));
    RUN_OK(runProgram(QStringLiteral("skopeo"), {QStringLiteral("--insecure-policy"), QStringLiteral("copy"), QStringLiteral("--dest-compress"),
                                                 ociRef(QStringLiteral("localhost/x:1")), QStringLiteral("dir:") + gz}));
    RUN_OK(runProgram(QStringLiteral("skopeo"), {QStringLiteral("--insecure-policy"), QStringLiteral("copy"), QStringLiteral("dir:") + gz,
                                                 ociRef(QStringLiteral("localhost/z:1"))}));
    const auto raw = runProgram(QStringLiteral("skopeo"), {QStringLiteral("inspect"), QStringLiteral("--raw"),
                                                           ociRef(QStringLiteral("localhost/z:1"))});
    RUN_OK(raw);
    const QJsonObject zManifest = jsonOf(raw.out);
    const QString zLayer = zManifest.value(QStringLiteral("layers")).toArray().first().toObject().value(QStringLiteral("digest")).toString();
    QVERIFY(zLayer != m_diffId); // compressed: a different blob

    const auto images = porthole({QStringLiteral("images")});
    RUN_OK(images);
    QVERIFY2(images.out.contains("localhost/z "), images.out.constData());
    RUN_OK(porthole({QStringLiteral("inspect"), QStringLiteral("localhost/z:1")}));
    RUN_OK(porthole({QStringLiteral("tag"), QStringLiteral("localhost/z:1"), QStringLiteral("localhost/w:1")}));

    // Removing Porthole's own image (same config, other layer blob) must
    // leave every blob skopeo's image needs, and skopeo must still read both
    // names after our index edits.
    RUN_OK(porthole({QStringLiteral("rmi"), QStringLiteral("localhost/x:1")}));
    for (const QString &name : {QStringLiteral("localhost/z:1"), QStringLiteral("localhost/w:1")}) {
        const auto inspect = runProgram(QStringLiteral("skopeo"), {QStringLiteral("inspect"), ociRef(name)});
        RUN_OK(inspect);
        QCOMPARE(jsonOf(inspect.out).value(QStringLiteral("Layers")).toArray(), QJsonArray{zLayer});
    }
    QVERIFY(QFileInfo::exists(m_root + QStringLiteral("/blobs/sha256/") + zLayer.mid(7)));
    QVERIFY(!QFileInfo::exists(m_root + QStringLiteral("/blobs/sha256/") + m_diffId.mid(7)));
    RUN_OK(runProgram(QStringLiteral("skopeo"), {QStringLiteral("--insecure-policy"), QStringLiteral("copy"), ociRef(QStringLiteral("localhost/w:1")),
                                                 QStringLiteral("dir:") + m_dir.filePath(QStringLiteral("copied-w"))}));
}

QTEST_GUILESS_MAIN(TestSkopeoInterop)
#include "tst_skopeointerop.moc"
