// indexLayerDir and analyzeLayers on a three-layer image built here in
// overlay form (0/0 whiteout devices, opaque dirs), with known added,
// modified, deleted, opaque-hidden and shadowed files; extractLayerFile's
// refusal to follow symlinks; and the time to index 50,000 files.
#include "layer/layerindex.h"
#include "layer/whiteout.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

using namespace porthole;
using namespace porthole::layer;

namespace {

#define VERIFY_OK(r) QVERIFY2((r), qPrintable((r) ? QString() : (r).error().message))

bool put(const QString &path, qint64 bytes)
{
    QDir().mkpath(QFileInfo(path).path());
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(QByteArray(bytes, 'x')) == bytes;
}

QByteArray enc(const QString &s) { return QFile::encodeName(s); }

bool whiteout(const QString &dir, const char *name)
{
    QDir().mkpath(dir);
    const int fd = ::open(enc(dir).constData(), O_RDONLY | O_DIRECTORY);
    const bool ok = fd >= 0 && makeWhiteout(fd, name).ok();
    ::close(fd);
    return ok;
}

bool opaque(const QString &dir)
{
    QDir().mkpath(dir);
    const int fd = ::open(enc(dir).constData(), O_RDONLY | O_DIRECTORY);
    const bool ok = fd >= 0 && makeOpaque(fd).ok();
    ::close(fd);
    return ok;
}

QString kindName(EntryKind k)
{
    static const char *names[] = {"file", "dir", "symlink", "hardlink", "whiteout", "opaque", "device", "fifo", "socket"};
    return QString::fromLatin1(names[int(k)]);
}

QString changeName(ChangeKind c) { return c == ChangeKind::Added ? "A" : c == ChangeKind::Modified ? "C" : "D"; }

// "C etc/passwd file 14 L2 [0,1]": everything the test checks of an entry, in one comparable line.
QString describe(const AnalyzedEntry &a)
{
    QStringList shadows;
    for (int s : a.shadows)
        shadows << QString::number(s);
    return QStringLiteral("%1 %2 %3 %4 L%5 [%6]")
        .arg(changeName(a.change), QString::fromUtf8(a.entry.path), kindName(a.entry.kind))
        .arg(a.bytes).arg(a.layer).arg(shadows.join(u','));
}

QStringList describeAll(const QList<AnalyzedEntry> &list)
{
    QStringList out;
    for (const AnalyzedEntry &a : list)
        out << describe(a);
    return out;
}

} // namespace

class TestLayerIndex : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void indexesEveryKind();
    void layerChanges_data();
    void layerChanges();
    void mergedOrigins();
    void wasteAndEfficiency();
    void opaqueRootHidesEverything();
    void extractReadsRegularFilesOnly();
    void indexes50000Files();

private:
    Result<QList<LayerIndex>> indexAll(const QStringList &dirs);
    QTemporaryDir m_tmp;
    QStringList m_layers;
    bool m_root = false;
};

// Layer 0 holds a bit of everything; layer 1 modifies, deletes (whiteout)
// and adds; layer 2 makes opq opaque, deletes a tree and a file of layer 1,
// modifies a file for the second time and replaces a directory by a symlink.
void TestLayerIndex::initTestCase()
{
    m_root = ::geteuid() == 0;
    if (!m_root)
        return;
    for (int i = 0; i < 3; ++i)
        m_layers << m_tmp.filePath(QStringLiteral("l%1").arg(i));
    const QString l0 = m_layers[0] + u'/', l1 = m_layers[1] + u'/', l2 = m_layers[2] + u'/';
    const QList<QPair<const char *, int>> files0{{"etc/passwd", 10}, {"bin/tool", 100}, {"data/old", 1000}, {"data/keep", 20},
                                                 {"opq/a", 30},       {"opq/sub/b", 40}, {"gone/x", 50},    {"gone/y/z", 60},
                                                 {"srv/f", 80}};
    for (const auto &[path, size] : files0)
        QVERIFY(put(l0 + QLatin1String(path), size));
    QVERIFY(::link(enc(l0 + "bin/tool").constData(), enc(l0 + "bin/tool2").constData()) == 0);
    QVERIFY(::symlink("tool", enc(l0 + "bin/sh").constData()) == 0);
    QVERIFY(QDir().mkpath(l0 + "run") && QDir().mkpath(l0 + "dev"));
    QVERIFY(::mkfifo(enc(l0 + "run/fifo").constData(), 0600) == 0);
    QVERIFY(::mknod(enc(l0 + "dev/null").constData(), S_IFCHR | 0666, makedev(1, 3)) == 0);

    QVERIFY(put(l1 + "etc/passwd", 12) && put(l1 + "data/new", 300) && put(l1 + "big", 5000) && put(l1 + "opq/a", 35));
    QVERIFY(whiteout(l1 + "data", "old"));

    QVERIFY(opaque(l2 + "opq") && put(l2 + "opq/c", 70) && put(l2 + "etc/passwd", 14));
    for (const char *name : {"gone", "big", "never"})
        QVERIFY(whiteout(m_layers[2], name));
    QVERIFY(::symlink("/data", enc(l2 + "srv").constData()) == 0);
}

Result<QList<LayerIndex>> TestLayerIndex::indexAll(const QStringList &dirs)
{
    QList<LayerIndex> out;
    for (const QString &d : dirs) {
        PH_TRY(LayerIndex index, indexLayerDir(d));
        out.append(std::move(index));
    }
    return out;
}

void TestLayerIndex::indexesEveryKind()
{
    if (!m_root)
        QSKIP("needs root: whiteouts are 0/0 device nodes and opaque dirs trusted.* xattrs");
    auto l0 = indexLayerDir(m_layers[0]);
    VERIFY_OK(l0);
    QStringList paths;
    for (const IndexEntry &e : l0->entries)
        paths << QString::fromUtf8(e.path);
    // Sorted with '/' first: a directory's tree right after it.
    QCOMPARE(paths, QStringList({"bin", "bin/sh", "bin/tool", "bin/tool2", "data", "data/keep", "data/old", "dev", "dev/null",
                                 "etc", "etc/passwd", "gone", "gone/x", "gone/y", "gone/y/z", "opq", "opq/a", "opq/sub",
                                 "opq/sub/b", "run", "run/fifo", "srv", "srv/f"}));
    QCOMPARE(l0->find("bin/sh")->kind, EntryKind::Symlink);
    QCOMPARE(l0->find("bin/sh")->linkTarget, QByteArray("tool"));
    QCOMPARE(l0->find("bin/tool")->kind, EntryKind::File);
    QCOMPARE(l0->find("bin/tool2")->kind, EntryKind::Hardlink);
    QCOMPARE(l0->find("bin/tool2")->linkTarget, QByteArray("bin/tool"));
    QCOMPARE(l0->find("bin/tool2")->contentBytes(), 0);
    QCOMPARE(l0->find("dev/null")->kind, EntryKind::Device);
    QCOMPARE(l0->find("run/fifo")->kind, EntryKind::Fifo);
    QCOMPARE(l0->find("data")->kind, EntryKind::Dir);
    QCOMPARE(l0->find("data/old")->size, 1000);
    QVERIFY(S_ISREG(l0->find("data/old")->mode));
    QVERIFY(!l0->find("nothing") && !l0->find("bin/") && !l0->find(""));
    QCOMPARE(l0->contentBytes, 1390);
    QVERIFY(!l0->rootOpaque);

    auto l2 = indexLayerDir(m_layers[2]);
    VERIFY_OK(l2);
    QCOMPARE(l2->find("opq")->kind, EntryKind::OpaqueDir);
    QCOMPARE(l2->find("gone")->kind, EntryKind::Whiteout);
    QCOMPARE(l2->find("srv")->linkTarget, QByteArray("/data"));
    QCOMPARE(l2->contentBytes, 84);
}

void TestLayerIndex::layerChanges_data()
{
    QTest::addColumn<int>("layer");
    QTest::addColumn<QStringList>("expected");
    QTest::addColumn<QList<int>>("counts"); // added, modified, deleted
    QTest::newRow("0: everything added")
        << 0
        << QStringList{"A bin dir 0 L0 []",       "A bin/sh symlink 0 L0 []",  "A bin/tool file 100 L0 []",
                       "A bin/tool2 hardlink 0 L0 []", "A data dir 0 L0 []",    "A data/keep file 20 L0 []",
                       "A data/old file 1000 L0 []", "A dev dir 0 L0 []",       "A dev/null device 0 L0 []",
                       "A etc dir 0 L0 []",       "A etc/passwd file 10 L0 []", "A gone dir 0 L0 []",
                       "A gone/x file 50 L0 []",  "A gone/y dir 0 L0 []",      "A gone/y/z file 60 L0 []",
                       "A opq dir 0 L0 []",       "A opq/a file 30 L0 []",     "A opq/sub dir 0 L0 []",
                       "A opq/sub/b file 40 L0 []", "A run dir 0 L0 []",       "A run/fifo fifo 0 L0 []",
                       "A srv dir 0 L0 []",       "A srv/f file 80 L0 []"}
        << QList<int>{23, 0, 0};
    QTest::newRow("1: modify, whiteout, add")
        << 1
        << QStringList{"A big file 5000 L1 []",      "C data dir 0 L1 []",       "A data/new file 300 L1 []",
                       "D data/old file 1000 L0 []", "C etc dir 0 L1 []",        "C etc/passwd file 12 L1 [0]",
                       "C opq dir 0 L1 []",          "C opq/a file 35 L1 [0]"}
        << QList<int>{2, 5, 1};
    // opq/a's deleted version is layer 1's (layer 0's was already hidden);
    // "never" hid nothing; srv, a directory with a file, became a symlink.
    QTest::newRow("2: opaque, tree whiteout, re-modify, replace")
        << 2
        << QStringList{"D big file 5000 L1 []",     "C etc dir 0 L2 []",        "C etc/passwd file 14 L2 [0,1]",
                       "D gone dir 110 L0 []",      "D never whiteout 0 L2 []", "C opq opaque 0 L2 [0,1]",
                       "D opq/a file 35 L1 []",     "A opq/c file 70 L2 []",    "D opq/sub dir 40 L0 []",
                       "C srv symlink 0 L2 [0]"}
        << QList<int>{1, 4, 5};
}

void TestLayerIndex::layerChanges()
{
    if (!m_root)
        QSKIP("needs root: whiteouts are 0/0 device nodes and opaque dirs trusted.* xattrs");
    QFETCH(int, layer);
    QFETCH(QStringList, expected);
    QFETCH(QList<int>, counts);
    auto indexes = indexAll(m_layers);
    VERIFY_OK(indexes);
    const StackAnalysis stack = analyzeLayers(*indexes);
    QCOMPARE(stack.layers.size(), 3);
    const LayerAnalysis &l = stack.layers[layer];
    QCOMPARE(describeAll(l.changes), expected);
    QCOMPARE((QList<int>{l.added, l.modified, l.deleted}), counts);
}

void TestLayerIndex::mergedOrigins()
{
    if (!m_root)
        QSKIP("needs root: whiteouts are 0/0 device nodes and opaque dirs trusted.* xattrs");
    auto indexes = indexAll(m_layers);
    VERIFY_OK(indexes);
    const StackAnalysis stack = analyzeLayers(*indexes);
    // What `ls -R` of the overlay mount would show, each with its origin.
    QCOMPARE(describeAll(stack.merged),
             (QStringList{"A bin dir 0 L0 []",          "A bin/sh symlink 0 L0 []",    "A bin/tool file 100 L0 []",
                          "A bin/tool2 hardlink 0 L0 []", "C data dir 0 L1 []",         "A data/keep file 20 L0 []",
                          "A data/new file 300 L1 []",  "A dev dir 0 L0 []",           "A dev/null device 0 L0 []",
                          "C etc dir 0 L2 []",          "C etc/passwd file 14 L2 [0,1]", "C opq opaque 0 L2 [0,1]",
                          "A opq/c file 70 L2 []",      "A run dir 0 L0 []",           "A run/fifo fifo 0 L0 []",
                          "C srv symlink 0 L2 [0]"}));
    // Only layers 0 and 1: what layer 2 later hides is still there.
    const StackAnalysis two = analyzeLayers(indexes->mid(0, 2));
    QStringList paths;
    for (const AnalyzedEntry &e : two.merged)
        paths << QString::fromUtf8(e.entry.path);
    for (const char *p : {"big", "gone/y/z", "opq/a", "opq/sub/b", "srv/f", "data/new"})
        QVERIFY2(paths.contains(QLatin1String(p)), p);
    QVERIFY(!paths.contains(QStringLiteral("data/old")));
}

void TestLayerIndex::wasteAndEfficiency()
{
    if (!m_root)
        QSKIP("needs root: whiteouts are 0/0 device nodes and opaque dirs trusted.* xattrs");
    auto indexes = indexAll(m_layers);
    VERIFY_OK(indexes);
    const StackAnalysis stack = analyzeLayers(*indexes);
    // Layer 0: passwd 10 (modified), old 1000 (whiteout), opq/a 30
    // (modified), opq/sub/b 40 (opaque), gone 50+60 (whiteout), srv/f 80
    // (dir replaced). Layer 1: passwd 12, big 5000, opq/a 35.
    QCOMPARE(stack.layers[0].contentBytes, 1390);
    QCOMPARE(stack.layers[0].wastedBytes, 1270);
    QCOMPARE(stack.layers[1].contentBytes, 5347);
    QCOMPARE(stack.layers[1].wastedBytes, 5047);
    QCOMPARE(stack.layers[2].contentBytes, 84);
    QCOMPARE(stack.layers[2].wastedBytes, 0);
    QCOMPARE(stack.totalBytes, 6821);
    QCOMPARE(stack.wastedBytes, 6317);
    QCOMPARE(stack.efficiency(), 1.0 - 6317.0 / 6821.0);
    // The merged view's bytes are exactly what was not wasted.
    qint64 visible = 0;
    for (const AnalyzedEntry &e : stack.merged)
        visible += e.bytes;
    QCOMPARE(visible, stack.totalBytes - stack.wastedBytes);
    QCOMPARE(analyzeLayers({}).efficiency(), 1.0);
}

void TestLayerIndex::opaqueRootHidesEverything()
{
    if (!m_root)
        QSKIP("needs root: opaque dirs are trusted.* xattrs");
    const QString top = m_tmp.filePath(QStringLiteral("root-opaque"));
    QVERIFY(put(top + "/only", 7) && put(top + "/etc/passwd", 3) && opaque(top));
    auto indexes = indexAll({m_layers[0], top});
    VERIFY_OK(indexes);
    QVERIFY(indexes->last().rootOpaque);
    const StackAnalysis stack = analyzeLayers(*indexes);
    QCOMPARE(describeAll(stack.merged), (QStringList{"C etc dir 0 L1 [0]", "C etc/passwd file 3 L1 [0]", "A only file 7 L1 []"}));
    QCOMPARE(describeAll(stack.layers[1].changes),
             (QStringList{"D bin dir 100 L0 []", "D data dir 1020 L0 []", "D dev dir 0 L0 []", "C etc dir 0 L1 [0]",
                          "C etc/passwd file 3 L1 [0]", "D gone dir 110 L0 []", "A only file 7 L1 []", "D opq dir 70 L0 []",
                          "D run dir 0 L0 []", "D srv dir 80 L0 []"}));
    QCOMPARE(stack.wastedBytes, 1390);
}

void TestLayerIndex::extractReadsRegularFilesOnly()
{
    const QString dir = m_tmp.filePath(QStringLiteral("extract"));
    QVERIFY(put(dir + "/real/file", 3000));
    QVERIFY(::symlink("real", enc(dir + "/link").constData()) == 0);
    QVERIFY(::symlink("/etc/passwd", enc(dir + "/passwd").constData()) == 0);
    QVERIFY(::mkfifo(enc(dir + "/fifo").constData(), 0600) == 0);
    QVERIFY(::chmod(enc(dir + "/real/file").constData(), 0750) == 0);

    const QString out = m_tmp.filePath(QStringLiteral("out"));
    QVERIFY(QDir().mkpath(out));
    auto copied = extractLayerFile(dir, "real/file", out + "/file");
    VERIFY_OK(copied);
    QCOMPARE(*copied, 3000);
    QFile f(out + "/file");
    QVERIFY(f.open(QIODevice::ReadOnly));
    QCOMPARE(f.readAll(), QByteArray(3000, 'x'));
    QVERIFY(QFileInfo(out + "/file").permissions() & QFile::ExeOwner);

    // A symlink is never followed, anywhere in the path; a fifo is never
    // opened (it would block); an existing destination is not replaced.
    const QList<QPair<QByteArray, ErrorCode>> refused{{"link/file", ErrorCode::InvalidArgument},
                                                      {"passwd", ErrorCode::InvalidArgument},
                                                      {"fifo", ErrorCode::InvalidArgument},
                                                      {"real/../real/file", ErrorCode::InvalidArgument},
                                                      {"real", ErrorCode::InvalidArgument},
                                                      {"missing", ErrorCode::NotFound}};
    int n = 0;
    for (const auto &[path, code] : refused) {
        const QString dest = out + QStringLiteral("/r%1").arg(n++);
        auto r = extractLayerFile(dir, path, dest);
        QVERIFY2(!r, path.constData());
        QCOMPARE(r.error().code, code);
        QVERIFY2(!QFileInfo::exists(dest), path.constData());
    }
    auto again = extractLayerFile(dir, "real/file", out + "/file");
    QVERIFY(!again);
    QCOMPARE(again.error().code, ErrorCode::AlreadyExists);
}

void TestLayerIndex::indexes50000Files()
{
    const QString dir = m_tmp.filePath(QStringLiteral("big"));
    QVERIFY(QDir().mkpath(dir));
    const int dirs = 100, perDir = 500;
    for (int d = 0; d < dirs; ++d) {
        const QString sub = QStringLiteral("%1/d%2").arg(dir).arg(d);
        QVERIFY(QDir().mkpath(sub));
        const int fd = ::open(enc(sub).constData(), O_RDONLY | O_DIRECTORY);
        QVERIFY(fd >= 0);
        for (int i = 0; i < perDir; ++i) {
            const QByteArray name = "file-" + QByteArray::number(i);
            const int f = ::openat(fd, name.constData(), O_WRONLY | O_CREAT | O_EXCL, 0644);
            QVERIFY(f >= 0);
            QCOMPARE(::write(f, "0123456789", size_t(i % 10)), ssize_t(i % 10));
            ::close(f);
        }
        ::close(fd);
    }
    QElapsedTimer timer;
    timer.start();
    auto index = indexLayerDir(dir);
    const qint64 indexMs = timer.elapsed();
    VERIFY_OK(index);
    QCOMPARE(index->entries.size(), dirs * perDir + dirs);
    QCOMPARE(index->contentBytes, qint64(dirs) * (perDir / 10) * 45);
    timer.restart();
    const StackAnalysis stack = analyzeLayers({*index, *index});
    const qint64 stackMs = timer.elapsed();
    QCOMPARE(stack.merged.size(), index->entries.size());
    QCOMPARE(stack.wastedBytes, index->contentBytes); // the top copy hides every file of the lower one
    qInfo("indexed %lld entries in %lld ms; stacked two such layers in %lld ms",
          qint64(index->entries.size()), indexMs, stackMs);
}

QTEST_GUILESS_MAIN(TestLayerIndex)
#include "tst_layerindex.moc"
