// Path resolution inside a container root (container/containerfs.h) and the
// plain-tar pair cp is built on (layer::writeTreeTar, layer::extractTar with
// layer = false), on ordinary directories: symlinks planted to reach /, the
// parent of the root or a host path must stay inside, and a hostile tar
// extracted into a directory must not leave it. No root needed, except for
// the owner checks.
#include "container/containerfs.h"
#include "layer/unpacker.h"
#include "layer/upperdiff.h"
#include "support/paxtarwriter.h"
#include "support/testsupport.h"
#include "support/ustarwriter.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

using namespace porthole;
using layer::UniqueFd;

namespace {

// Collects a tar in memory.
using BufferSink = porthole::test::ByteArraySink;

UniqueFd openDir(const QString &path) { return UniqueFd(::open(QFile::encodeName(path).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)); }

layer::UnpackOptions plainOptions()
{
    layer::UnpackOptions o;
    o.layer = false;
    return o;
}

} // namespace

class TestContainerFs : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanPath_data();
    void cleanPath();
    void follow_data();
    void follow();
    void lookup_data();
    void lookup();
    void treeTarRoundTrip();
    void plainTarRefusesDirNonDir_data();
    void plainTarRefusesDirNonDir();
    void plainTarOwner();
    void plainTarForTheHost_data();
    void plainTarForTheHost();
    void hostileTarStaysInside_data();
    void hostileTarStaysInside();

private:
    QString root() const { return m_dir.filePath(QStringLiteral("root")); }
    QString outside() const { return m_dir.filePath(QStringLiteral("outside")); }
    QTemporaryDir m_dir;
    UniqueFd m_root;
};

void TestContainerFs::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QDir d(m_dir.path());
    QVERIFY(d.mkpath(QStringLiteral("root/etc")) && d.mkpath(QStringLiteral("root/dir/inner")) && d.mkpath(QStringLiteral("outside")));
    QVERIFY(test::writeFile(root() + QStringLiteral("/etc/passwd"), "container\n"));
    QVERIFY(test::writeFile(root() + QStringLiteral("/dir/inner/file"), "inner\n"));
    QVERIFY(test::writeFile(outside() + QStringLiteral("/secret"), "host\n"));
    const struct {
        const char *name;
        QString target;
    } links[] = {{"abs", QStringLiteral("/dir")},          {"up", QStringLiteral("../../..")},
                 {"rel", QStringLiteral("dir/inner")},     {"chain", QStringLiteral("abs/inner")},
                 {"loop1", QStringLiteral("loop2")},       {"loop2", QStringLiteral("loop1")},
                 {"host", outside()},                      {"rootlink", QStringLiteral("/")},
                 {"dir/inner/back", QStringLiteral("../../../../../etc")}};
    for (const auto &l : links)
        QVERIFY(QFile::link(l.target, root() + u'/' + QLatin1String(l.name)));
    m_root = openDir(root());
    QVERIFY(m_root.valid());
}

void TestContainerFs::cleanPath_data()
{
    QTest::addColumn<QByteArray>("typed");
    QTest::addColumn<QByteArray>("clean");
    QTest::newRow("root") << QByteArray("/") << QByteArray();
    QTest::newRow("empty") << QByteArray() << QByteArray();
    QTest::newRow("relative") << QByteArray("a/b") << QByteArray("a/b");
    QTest::newRow("dots") << QByteArray("./a/./b/.") << QByteArray("a/b");
    QTest::newRow("trailing slash") << QByteArray("/a/b/") << QByteArray("a/b");
    QTest::newRow("dotdot stops at root") << QByteArray("/a/../../../b") << QByteArray("b");
    QTest::newRow("only dotdots") << QByteArray("../..") << QByteArray();
}

void TestContainerFs::cleanPath()
{
    QFETCH(QByteArray, typed);
    QFETCH(QByteArray, clean);
    QCOMPARE(container::cleanContainerPath(typed), clean);
}

void TestContainerFs::follow_data()
{
    QTest::addColumn<QByteArray>("path");
    QTest::addColumn<QByteArray>("resolved"); // "!" + code name: an error
    QTest::newRow("plain") << QByteArray("etc/passwd") << QByteArray("etc/passwd");
    QTest::newRow("absolute link") << QByteArray("abs") << QByteArray("dir");
    QTest::newRow("through absolute link") << QByteArray("abs/inner/file") << QByteArray("dir/inner/file");
    QTest::newRow("up to above the root") << QByteArray("up") << QByteArray();
    QTest::newRow("up, then down") << QByteArray("up/etc/passwd") << QByteArray("etc/passwd");
    QTest::newRow("chain") << QByteArray("chain/file") << QByteArray("dir/inner/file");
    QTest::newRow("dotdot after a link is the real parent") << QByteArray("rel/..") << QByteArray("dir");
    QTest::newRow("relative escape") << QByteArray("dir/inner/back/passwd") << QByteArray("etc/passwd");
    QTest::newRow("root link") << QByteArray("rootlink/rootlink/etc") << QByteArray("etc");
    QTest::newRow("host path stays text inside") << QByteArray("host/secret")
                                                 << container::cleanContainerPath(QFile::encodeName(outside()) + "/secret");
    QTest::newRow("missing rest kept") << QByteArray("missing/../x") << QByteArray("x");
    QTest::newRow("loop") << QByteArray("loop1") << QByteArray("!InvalidArgument");
    QTest::newRow("file in the middle") << QByteArray("etc/passwd/x") << QByteArray("!InvalidArgument");
}

void TestContainerFs::follow()
{
    QFETCH(QByteArray, path);
    QFETCH(QByteArray, resolved);
    const auto r = container::followInRoot(m_root.get(), path);
    if (resolved.startsWith('!')) {
        QVERIFY(!r);
        QCOMPARE(errorCodeName(r.error().code), QString::fromLatin1(resolved.mid(1)));
        return;
    }
    QVERIFY2(r, r ? "" : qPrintable(r.error().message));
    QCOMPARE(*r, resolved);
}

void TestContainerFs::lookup_data()
{
    QTest::addColumn<QByteArray>("path");
    QTest::addColumn<QByteArray>("content"); // of the entry, if a file; "<link>", "<dir>", "<missing>", "!": error
    QTest::newRow("file") << QByteArray("etc/passwd") << QByteArray("container\n");
    QTest::newRow("through up") << QByteArray("up/up/etc/passwd") << QByteArray("container\n");
    QTest::newRow("through a host link") << QByteArray("host/secret") << QByteArray("!");
    QTest::newRow("relative escape") << QByteArray("dir/inner/back/passwd") << QByteArray("container\n");
    QTest::newRow("last link not followed") << QByteArray("abs") << QByteArray("<link>");
    QTest::newRow("root") << QByteArray() << QByteArray("<dir>");
    QTest::newRow("missing last") << QByteArray("etc/nope") << QByteArray("<missing>");
    QTest::newRow("missing parent") << QByteArray("nope/x") << QByteArray("!");
}

void TestContainerFs::lookup()
{
    QFETCH(QByteArray, path);
    QFETCH(QByteArray, content);
    auto e = container::lookupInRoot(m_root.get(), path);
    if (content == "!") {
        QVERIFY(!e);
        QCOMPARE(e.error().code, ErrorCode::NotFound);
        return;
    }
    QVERIFY2(e, e ? "" : qPrintable(e.error().message));
    if (content == "<missing>") {
        QVERIFY(!e->exists);
        return;
    }
    QVERIFY(e->exists);
    if (content == "<link>")
        QVERIFY(S_ISLNK(e->st.st_mode));
    else if (content == "<dir>")
        QVERIFY(S_ISDIR(e->st.st_mode) && e->name == ".");
    else {
        const UniqueFd f(::openat(e->parent.get(), e->name.constData(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
        QVERIFY(f.valid());
        char buf[64] = {};
        QCOMPARE(QByteArray(buf, int(::read(f.get(), buf, sizeof buf))), content);
    }
}

void TestContainerFs::treeTarRoundTrip()
{
    QTemporaryDir work;
    const QString src = work.filePath(QStringLiteral("src"));
    QVERIFY(QDir().mkpath(src + QStringLiteral("/sub")));
    QVERIFY(test::writeFile(src + QStringLiteral("/a"), "alpha"));
    QVERIFY(test::writeFile(src + QStringLiteral("/.wh.b"), "not a whiteout"));
    QVERIFY(test::writeFile(src + QStringLiteral("/sub/c"), "gamma"));
    QVERIFY(QFile::link(QStringLiteral("/etc/passwd"), src + QStringLiteral("/abs")));
    QCOMPARE(::link(QFile::encodeName(src + QStringLiteral("/a")).constData(), QFile::encodeName(src + QStringLiteral("/sub/hard")).constData()), 0);
    QCOMPARE(::chmod(QFile::encodeName(src + QStringLiteral("/a")).constData(), 0640), 0);

    // As cp names it: the entry itself under a new name, or its contents (".").
    for (const QByteArray &tarName : {QByteArray("renamed"), QByteArray(".")}) {
        const UniqueFd parent = openDir(work.path());
        BufferSink tar;
        const auto written = layer::writeTreeTar(parent.get(), "src", tarName, tar);
        QVERIFY2(written, written ? "" : qPrintable(written.error().message));
        const QString dest = work.filePath(QStringLiteral("dest-") + QString::fromLatin1(tarName == "." ? "dot" : tarName));
        QVERIFY(QDir().mkpath(dest));
        MemorySource in(tar.bytes);
        const UniqueFd into = openDir(dest);
        const auto extracted = layer::extractTar(in, into.get(), plainOptions());
        QVERIFY2(extracted, extracted ? "" : qPrintable(extracted.error().message));
        const QString top = tarName == "." ? dest : dest + QStringLiteral("/renamed");
        QCOMPARE(test::dirEntries(top), (QStringList{QStringLiteral(".wh.b"), QStringLiteral("a"), QStringLiteral("abs"), QStringLiteral("sub")}));
        QCOMPARE(QFileInfo(top + QStringLiteral("/.wh.b")).size(), qint64(14));
        QCOMPARE(QFile::symLinkTarget(top + QStringLiteral("/abs")), QStringLiteral("/etc/passwd"));
        struct stat a {}, hard {};
        QCOMPARE(::lstat(QFile::encodeName(top + QStringLiteral("/a")).constData(), &a), 0);
        QCOMPARE(::lstat(QFile::encodeName(top + QStringLiteral("/sub/hard")).constData(), &hard), 0);
        QCOMPARE(a.st_ino, hard.st_ino);
        QCOMPARE(a.st_mode & 07777, mode_t(0640));
    }
}

void TestContainerFs::plainTarRefusesDirNonDir_data()
{
    QTest::addColumn<bool>("existingIsDir");
    QTest::addColumn<QString>("expected");
    QTest::newRow("file over dir") << true << QStringLiteral("cannot overwrite the directory x with a non-directory");
    QTest::newRow("dir over file") << false << QStringLiteral("cannot overwrite the non-directory x with a directory");
}

void TestContainerFs::plainTarRefusesDirNonDir()
{
    QFETCH(bool, existingIsDir);
    QFETCH(QString, expected);
    QTemporaryDir dest;
    if (existingIsDir)
        QVERIFY(QDir(dest.path()).mkpath(QStringLiteral("x/keep")));
    else
        QVERIFY(test::writeFile(dest.filePath(QStringLiteral("x")), "keep"));
    test::UstarWriter w;
    if (existingIsDir)
        w.file(QStringLiteral("x"), "over");
    else
        w.dir(QStringLiteral("x"));
    const QByteArray tar = w.finish();
    MemorySource in(tar);
    const UniqueFd into = openDir(dest.path());
    const auto r = layer::extractTar(in, into.get(), plainOptions());
    QVERIFY(!r);
    QVERIFY2(r.error().message.contains(expected), qPrintable(r.error().message));
    QCOMPARE(QFileInfo(dest.filePath(QStringLiteral("x"))).isDir(), existingIsDir);
}

void TestContainerFs::plainTarOwner()
{
    if (::geteuid() != 0)
        QSKIP("changing owners needs root");
    QTemporaryDir dest;
    test::UstarWriter w;
    w.dir(QStringLiteral("d"));
    w.file(QStringLiteral("d/f"), "data");
    const QByteArray tar = w.finish();
    layer::UnpackOptions opts = plainOptions();
    opts.owner = std::pair<uint, uint>(4321, 8765);
    MemorySource in(tar);
    const UniqueFd into = openDir(dest.path());
    QVERIFY(layer::extractTar(in, into.get(), opts));
    for (const char *p : {"d", "d/f"}) {
        struct stat st {};
        QCOMPARE(::lstat(QFile::encodeName(dest.filePath(QLatin1String(p))).constData(), &st), 0);
        QCOMPARE(st.st_uid, uid_t(4321));
        QCOMPARE(st.st_gid, gid_t(8765));
    }
}

void TestContainerFs::plainTarForTheHost_data()
{
    QTest::addColumn<bool>("privileges");
    QTest::newRow("cp out") << false;
    QTest::newRow("cp -a out") << true;
}

// What cp out asks of the extractor: no device node ever (a hard link to
// one is none either), FIFOs stay; setuid, setgid and file capabilities
// only with -a.
void TestContainerFs::plainTarForTheHost()
{
    if (::geteuid() != 0)
        QSKIP("device nodes and file capabilities need root");
    QFETCH(bool, privileges);
    using test::TarEntry;
    const TarEntry blk = test::deviceEntry("d/blk", AE_IFBLK, 7, 0);
    const TarEntry chr = test::deviceEntry("d/chr", AE_IFCHR, 1, 3);
    TarEntry fifo;
    fifo.path = "d/fifo";
    fifo.type = AE_IFIFO;
    TarEntry capped = test::fileEntry("d/capped", "#!/bin/sh\n", 0755);
    const QByteArray caps = QByteArray::fromHex("01000002" "80000000" "00000000" "00000000" "00000000"); // cap_setuid+ep
    capped.xattrs = {{"security.capability", caps}};
    const QByteArray tar = test::buildTar({test::dirEntry("d/", 02755), blk, chr, test::hardlinkEntry("d/blk-link", "d/blk"),
                                           fifo, test::fileEntry("d/suid", "#!/bin/sh\n", 06755), capped});
    QTemporaryDir dest;
    layer::UnpackOptions opts = plainOptions();
    opts.devices = false;
    opts.privileges = privileges;
    MemorySource in(tar);
    const UniqueFd into = openDir(dest.path());
    const auto r = layer::extractTar(in, into.get(), opts);
    QVERIFY2(r, qPrintable(r ? QString() : r.error().message));
    // FIFOs and devices are "system" files to QDir.
    QCOMPARE(QDir(dest.filePath(QStringLiteral("d"))).entryList(QDir::AllEntries | QDir::System | QDir::NoDotAndDotDot),
             (QStringList{QStringLiteral("capped"), QStringLiteral("fifo"), QStringLiteral("suid")}));
    QCOMPARE(r->skippedDevices, (QList<QByteArray>{"d/blk", "d/chr", "d/blk-link"}));
    QCOMPARE(r->devicesSkipped, 3);
    QVERIFY2(r->warnings.join(u'\n').contains(QStringLiteral("skipped the block device d/blk (7:0)")),
             qPrintable(r->warnings.join(u'\n')));
    PH_COMPARE_MODE(dest.filePath(QStringLiteral("d/suid")), privileges ? 06755 : 0755);
    PH_COMPARE_MODE(dest.filePath(QStringLiteral("d")), privileges ? 02755 : 0755);
    char value[64];
    const ssize_t n = ::getxattr(QFile::encodeName(dest.filePath(QStringLiteral("d/capped"))).constData(),
                                 "security.capability", value, sizeof value);
    QCOMPARE(n > 0, privileges);
}

void TestContainerFs::hostileTarStaysInside_data()
{
    QTest::addColumn<QByteArray>("tar");
    QTest::addColumn<bool>("refused");
    QTest::addColumn<QString>("landed"); // relative to the destination, if anything lands
    const QString out = outside();
    {
        test::UstarWriter w;
        w.file(QStringLiteral("../outside/pwned"), "x");
        QTest::newRow("dotdot name") << w.finish() << true << QString();
    }
    {
        test::UstarWriter w;
        w.symlink(QStringLiteral("evil"), QStringLiteral("/"));
        w.file(QStringLiteral("evil/pwned"), "x");
        QTest::newRow("symlink to /") << w.finish() << false << QStringLiteral("pwned");
    }
    {
        test::UstarWriter w;
        w.symlink(QStringLiteral("evil"), QStringLiteral("../../.."));
        w.file(QStringLiteral("evil/pwned"), "x");
        QTest::newRow("symlink up") << w.finish() << false << QStringLiteral("pwned");
    }
    {
        test::UstarWriter w;
        w.symlink(QStringLiteral("evil"), out);
        w.file(QStringLiteral("evil/pwned"), "x");
        QTest::newRow("symlink to a host dir") << w.finish() << true << QString();
    }
    {
        test::UstarWriter w;
        w.file(out.mid(1) + QStringLiteral("/pwned"), "x"); // absolute names land inside
        QTest::newRow("absolute name") << w.finish() << false << out.mid(1) + QStringLiteral("/pwned");
    }
}

void TestContainerFs::hostileTarStaysInside()
{
    QFETCH(QByteArray, tar);
    QFETCH(bool, refused);
    QFETCH(QString, landed);
    QTemporaryDir base;
    const QString dest = base.filePath(QStringLiteral("a/b/dest")); // room for ../.. to climb
    QVERIFY(QDir().mkpath(dest));
    MemorySource in(tar);
    const UniqueFd into = openDir(dest);
    const auto r = layer::extractTar(in, into.get(), plainOptions());
    QCOMPARE(!r, refused);
    QCOMPARE(test::dirEntries(outside()), QStringList{QStringLiteral("secret")});
    QVERIFY(!QFileInfo::exists(base.filePath(QStringLiteral("pwned"))));
    QVERIFY(!QFileInfo::exists(base.filePath(QStringLiteral("a/pwned"))));
    if (!landed.isEmpty())
        QVERIFY2(QFileInfo(dest + u'/' + landed).isFile(), qPrintable(landed));
}

QTEST_GUILESS_MAIN(TestContainerFs)
#include "tst_containerfs.moc"
