// The built-in demo image through the real binary: a new store gets
// localhost/demo:latest on first use, exactly once (removing it is final,
// and racing first uses seed it once), with the machine's static busybox,
// its applet symlinks, CMD ["sh"] and PATH.
#include "support/testsupport.h"

#include <archive.h>
#include <archive_entry.h>

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <memory>

using namespace porthole::test;

namespace {

QString sha256(const QByteArray &data)
{
    return QStringLiteral("sha256:") + QString::fromLatin1(QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex());
}

QByteArray readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

struct TarItem {
    mode_t type = 0;
    int perm = 0;
    QByteArray data;
    QString link;
};

QHash<QString, TarItem> readTar(const QByteArray &blob)
{
    QHash<QString, TarItem> out;
    std::unique_ptr<archive, int (*)(archive *)> a(archive_read_new(), archive_read_free);
    archive_read_support_filter_all(a.get());
    archive_read_support_format_tar(a.get());
    if (archive_read_open_memory(a.get(), blob.constData(), size_t(blob.size())) != ARCHIVE_OK)
        return out;
    archive_entry *e = nullptr;
    while (archive_read_next_header(a.get(), &e) == ARCHIVE_OK) {
        TarItem item;
        item.type = archive_entry_filetype(e);
        item.perm = int(archive_entry_perm(e));
        if (const char *link = archive_entry_symlink(e))
            item.link = QString::fromUtf8(link);
        if (item.type == AE_IFREG) {
            item.data.resize(qsizetype(archive_entry_size(e)));
            if (archive_read_data(a.get(), item.data.data(), size_t(item.data.size())) != item.data.size())
                return {};
        }
        out.insert(QString::fromUtf8(archive_entry_pathname(e)), item);
    }
    return out;
}

// The recipe's busybox, if this machine has a usable (static) one.
QString staticBusybox()
{
    const QString path = qEnvironmentVariable("PORTHOLE_BUSYBOX", QStringLiteral("/bin/busybox"));
    const QByteArray elf = readFile(path);
    if (!elf.startsWith("\x7f" "ELF") || elf.contains("/ld-linux"))
        return {};
    return path;
}

} // namespace

class DemoImageTest : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    QProcessEnvironment m_env; // without PORTHOLE_NO_DEMO

    QString root() const { return m_dir->filePath(QStringLiteral("store")); }
    RunResult run(const QStringList &args) { return runPorthole(root(), args, {}, 60000, m_env); }
    QStringList lines(const QByteArray &out) { return QString::fromUtf8(out).split(u'\n', Qt::SkipEmptyParts); }

    QJsonObject inspectDemo()
    {
        const RunResult r = run({QStringLiteral("inspect"), QStringLiteral("localhost/demo")});
        return QJsonDocument::fromJson(r.out).array().first().toObject();
    }

private Q_SLOTS:
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
        m_env = QProcessEnvironment::systemEnvironment();
        m_env.remove(QStringLiteral("PORTHOLE_NO_DEMO"));
        if (staticBusybox().isEmpty() && QByteArray(QTest::currentTestFunction()) != "missingBusyboxIsNotFatal")
            QSKIP("no static busybox here (Debian: busybox-static)");
    }
    void cleanup() { m_dir.reset(); }

    void firstUseCreatesIt()
    {
        const RunResult r = run({QStringLiteral("images")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.err.isEmpty(), r.err.constData());
        const QStringList rows = lines(r.out);
        QCOMPARE(rows.size(), 2);
        QVERIFY2(rows[1].startsWith(QStringLiteral("localhost/demo   latest    ")), qPrintable(rows[1]));

        const QJsonObject image = inspectDemo();
        QCOMPARE(image.value(QStringLiteral("RepoTags")).toArray(), QJsonArray{QStringLiteral("localhost/demo:latest")});
        const QJsonObject config = image.value(QStringLiteral("Config")).toObject();
        QCOMPARE(config.value(QStringLiteral("Cmd")).toArray(), QJsonArray{QStringLiteral("sh")});
        QStringList path;
        for (const QJsonValue &v : config.value(QStringLiteral("Env")).toArray()) {
            if (v.toString().startsWith(QStringLiteral("PATH=")))
                path = v.toString().mid(5).split(u':');
        }
        QVERIFY2(path.contains(QStringLiteral("/bin")) && path.contains(QStringLiteral("/usr/bin")), qPrintable(path.join(u':')));
        QCOMPARE(image.value(QStringLiteral("Os")).toString(), QStringLiteral("linux"));
    }

    void layerHoldsBusybox()
    {
        const QJsonObject image = inspectDemo();
        QVERIFY(!image.isEmpty());
        const QString blobs = root() + QStringLiteral("/blobs/sha256/");
        const QString manifestDigest = image.value(QStringLiteral("Descriptor")).toObject().value(QStringLiteral("digest")).toString();
        const QJsonObject manifest = QJsonDocument::fromJson(readFile(blobs + manifestDigest.mid(7))).object();
        const QJsonArray layers = manifest.value(QStringLiteral("layers")).toArray();
        QCOMPARE(layers.size(), 1);
        const QString layerDigest = layers.first().toObject().value(QStringLiteral("digest")).toString();
        const QByteArray blob = readFile(blobs + layerDigest.mid(7));
        QCOMPARE(sha256(blob), layerDigest);
        // Stored uncompressed, so the blob is its own diff ID.
        QCOMPARE(layers.first().toObject().value(QStringLiteral("mediaType")).toString(),
                 QStringLiteral("application/vnd.oci.image.layer.v1.tar"));
        QCOMPARE(image.value(QStringLiteral("RootFS")).toObject().value(QStringLiteral("Layers")).toArray(), QJsonArray{layerDigest});

        const QHash<QString, TarItem> tar = readTar(blob);
        QVERIFY(tar.contains(QStringLiteral("bin/busybox")));
        const TarItem busybox = tar.value(QStringLiteral("bin/busybox"));
        QCOMPARE(busybox.type, mode_t(AE_IFREG));
        QCOMPARE(busybox.perm, 0755);
        QVERIFY(busybox.data == readFile(staticBusybox()));
        for (const char *applet : {"bin/sh", "bin/ls", "bin/cat"}) {
            const TarItem link = tar.value(QString::fromLatin1(applet));
            QVERIFY2(link.type == AE_IFLNK, applet);
            QCOMPARE(link.link, QStringLiteral("busybox"));
        }
        QCOMPARE(tar.value(QStringLiteral("tmp/")).type, mode_t(AE_IFDIR));
        QCOMPARE(tar.value(QStringLiteral("tmp/")).perm, 01777);
        QVERIFY(tar.value(QStringLiteral("etc/passwd")).data.startsWith("root:x:0:0:"));
        // SIZE counts file content: busybox plus the small /etc files.
        const qint64 size = image.value(QStringLiteral("Size")).toInteger();
        QVERIFY2(size > busybox.data.size() && size < busybox.data.size() + 4096, qPrintable(QString::number(size)));
    }

    void removedMeansRemoved()
    {
        const QString id = inspectDemo().value(QStringLiteral("Id")).toString();
        QVERIFY(!id.isEmpty());
        RunResult r = run({QStringLiteral("rmi"), QStringLiteral("localhost/demo")});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(QString::fromUtf8(r.out), QStringLiteral("Untagged: localhost/demo:latest\nDeleted: %1\n").arg(id));
        for (int i = 0; i < 2; ++i) {
            r = run({QStringLiteral("images"), QStringLiteral("-q")});
            QCOMPARE(r.exitCode, 0);
            QCOMPARE(r.out, QByteArray());
        }
        QCOMPARE(QDir(root() + QStringLiteral("/blobs/sha256")).entryList(QDir::Files), QStringList());
    }

    void versionDoesNotSeed()
    {
        QCOMPARE(run({QStringLiteral("version")}).exitCode, 0);
        QVERIFY(!QFile::exists(root()));
        QCOMPARE(lines(run({QStringLiteral("images"), QStringLiteral("-q")}).out).size(), 1);
    }

    void optOut()
    {
        QProcessEnvironment env = m_env;
        env.insert(QStringLiteral("PORTHOLE_NO_DEMO"), QStringLiteral("1"));
        const RunResult r = runPorthole(root(), {QStringLiteral("images"), QStringLiteral("-q")}, {}, 60000, env);
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.out, QByteArray());
        // The store exists now, so a later run without the opt-out adds nothing.
        QCOMPARE(run({QStringLiteral("images"), QStringLiteral("-q")}).out, QByteArray());
    }

    void racingFirstUsesSeedOnce()
    {
        QList<QProcess *> procs;
        for (int i = 0; i < 4; ++i) {
            auto *p = new QProcess(this);
            p->setProgram(portholeBinary());
            p->setArguments({QStringLiteral("--root"), root(), QStringLiteral("images"), QStringLiteral("-q")});
            p->setProcessEnvironment(m_env);
            procs.append(p);
        }
        for (QProcess *p : procs)
            p->start();
        for (QProcess *p : procs) {
            QVERIFY(p->waitForFinished(60000));
            QCOMPARE(p->exitCode(), 0);
            delete p;
        }
        QCOMPARE(lines(run({QStringLiteral("images"), QStringLiteral("-q")}).out).size(), 1);
        const QJsonObject index = QJsonDocument::fromJson(readFile(root() + QStringLiteral("/index.json"))).object();
        QCOMPARE(index.value(QStringLiteral("manifests")).toArray().size(), 1);
    }

    void sameLayerInEveryStore()
    {
        // Fixed owners and mtimes: two stores get byte-identical layers.
        const QJsonValue first = inspectDemo().value(QStringLiteral("RootFS"));
        QTemporaryDir other;
        const RunResult r = runPorthole(other.path(), {QStringLiteral("inspect"), QStringLiteral("-f"), QStringLiteral("{{json .RootFS}}"),
                                                       QStringLiteral("localhost/demo:latest")},
                                        {}, 60000, m_env);
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(QJsonDocument::fromJson(r.out).object(), first.toObject());
    }

    void missingBusyboxIsNotFatal()
    {
        // Without a busybox the store still opens; the reason is reported.
        QProcessEnvironment env = m_env;
        env.insert(QStringLiteral("PORTHOLE_BUSYBOX"), m_dir->filePath(QStringLiteral("no-busybox")));
        const RunResult r = runPorthole(root(), {QStringLiteral("images"), QStringLiteral("-q")}, {}, 60000, env);
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.out, QByteArray());
        QVERIFY2(r.err.contains("demo image") && r.err.contains("busybox-static"), r.err.constData());
        QCOMPARE(QDir(root() + QStringLiteral("/blobs/sha256")).entryList(QDir::Files), QStringList());
    }
};

QTEST_GUILESS_MAIN(DemoImageTest)
#include "tst_demoimage.moc"
