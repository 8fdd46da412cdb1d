// unpackLayer against hostile tars built here: names and links that try to
// leave the target, symlinks planted to redirect later entries, whiteouts
// aimed outside, forged overlay xattrs, bombs, truncation. Every row checks
// the outcome (a clear error or a safe result), that a marker file outside
// the target is unchanged, and that nothing appeared outside the target.
#include "layer/compresssink.h"
#include "layer/unpacker.h"
#include "support/paxtarwriter.h"
#include "support/testsupport.h"


#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <functional>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

using namespace porthole;
using namespace porthole::layer;

namespace {

using porthole::test::buildTar;
using porthole::test::TarEntry;

TarEntry reg(const QByteArray &path, const QByteArray &data = {}) { return porthole::test::fileEntry(path, data); }
TarEntry dirE(const QByteArray &path) { return porthole::test::dirEntry(path); }
TarEntry sym(const QByteArray &path, const QByteArray &target) { return porthole::test::symlinkEntry(path, target); }
TarEntry hard(const QByteArray &path, const QByteArray &target) { return porthole::test::hardlinkEntry(path, target); }
TarEntry devNull(const QByteArray &path)
{
    TarEntry e;
    e.path = path;
    e.type = AE_IFCHR;
    e.rmajor = 1;
    e.rminor = 3;
    return e;
}

using ArraySink = porthole::test::ByteArraySink;

QByteArray gzip(const QByteArray &tar)
{
    ArraySink sink;
    CompressSink cs(sink, Compression::Gzip);
    if (!cs.write(tar.constData(), tar.size()) || !cs.finish())
        qFatal("gzip failed");
    return sink.bytes;
}

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

mode_t lmode(const QString &path)
{
    struct stat st {};
    return ::lstat(QFile::encodeName(path).constData(), &st) == 0 ? st.st_mode : 0;
}

// What a row sees: the outside directory (with "marker" in it) and a name
// unique to this run, for escapes aimed at the real root.
struct Env {
    QString outside;
    QByteArray token;
};

struct HostileCase {
    const char *name;
    std::function<QByteArray(const Env &)> blob;
    QString error;      // expected in the message; empty: must succeed
    QStringList inside; // must exist in the target after success
    std::function<void(UnpackOptions &)> tweak = {};
    std::function<void(const QString &target, const UnpackResult &, const Env &)> check = {};
};

const QByteArray kZeros(8 << 20, '\0');

QList<HostileCase> cases()
{
    using E = const Env &;
    return {
        {"dotdot", [](E) { return buildTar({reg("../escape", "x")}); }, "entry ../escape escapes the layer root"},
        {"dotdot inside a path", [](E) { return buildTar({reg("a/../../x", "x")}); }, "escapes the layer root"},
        {"many dotdots", [](E) { return buildTar({reg("../../../../../../../tmp/x", "x")}); }, "escapes the layer root"},
        {"absolute name lands inside", [](E) { return buildTar({reg("/abs/path", "x")}); }, {}, {"abs/path"}},
        {"dot segments are cleaned", [](E) { return buildTar({reg("./a/./b/../c", "x")}); }, {}, {"a/c"}},
        {"symlink to / then a file below it",
         [](E env) { return buildTar({sym("s", "/"), reg("s/etc/" + env.token, "x")}); }, {}, {}, {},
         [](const QString &t, const UnpackResult &, E env) {
             QCOMPARE(readAll(t + QStringLiteral("/etc/") + QString::fromLatin1(env.token)), QByteArray("x"));
         }},
        {"symlink climbing out then a file below it",
         [](E env) { return buildTar({sym("s", "../../.."), reg("s/" + env.token, "x")}); }, {}, {}, {},
         [](const QString &t, const UnpackResult &, E env) {
             QCOMPARE(readAll(t + u'/' + QString::fromLatin1(env.token)), QByteArray("x"));
         }},
        {"chained symlinks climbing out",
         [](E env) { return buildTar({sym("s1", "../.."), sym("s2", "s1/../.."), reg("s2/" + env.token, "x")}); }, {}, {}, {},
         [](const QString &t, const UnpackResult &, E env) {
             QCOMPARE(readAll(t + u'/' + QString::fromLatin1(env.token)), QByteArray("x"));
         }},
        {"symlink to the outside dir then a file below it",
         [](E env) { return buildTar({sym("s", QFile::encodeName(env.outside)), reg("s/marker", "evil")}); },
         "s is a symbolic link to a missing directory"},
        {"symlink loop", [](E) { return buildTar({sym("l1", "l2"), sym("l2", "l1"), reg("l1/x", "x")}); },
         "too many levels of symbolic links"},
        {"file replaces a symlink to an outside file",
         [](E env) { return buildTar({sym("f", QFile::encodeName(env.outside) + "/marker"), reg("f", "evil")}); }, {}, {"f"},
         {}, [](const QString &t, const UnpackResult &, E) { QVERIFY(S_ISREG(lmode(t + QStringLiteral("/f")))); }},
        {"dir replaces a symlink to the outside dir",
         [](E env) { return buildTar({sym("d", QFile::encodeName(env.outside)), dirE("d/"), reg("d/marker", "evil")}); },
         {}, {"d/marker"}, {}, [](const QString &t, const UnpackResult &, E) { QVERIFY(S_ISDIR(lmode(t + QStringLiteral("/d")))); }},
        {"a replaced symlink parent is not cached",
         [](E) { return buildTar({dirE("real/"), sym("s", "real"), reg("s/a", "a"), dirE("s/"), reg("s/b", "b")}); }, {},
         {"real/a", "s/b"}, {}, [](const QString &t, const UnpackResult &, E) { QVERIFY(!QFileInfo::exists(t + QStringLiteral("/real/b"))); }},
        {"hardlink to /etc/passwd", [](E) { return buildTar({hard("h", "/etc/passwd")}); },
         "hard link to /etc/passwd, which is not in this layer"},
        {"hardlink to ../outside", [](E) { return buildTar({hard("h", "../../../outside/marker")}); },
         "hard link to ../../../outside/marker, outside the layer root"},
        {"hardlink through a symlink to the outside",
         [](E env) { return buildTar({sym("s", QFile::encodeName(env.outside)), hard("h", "s/marker")}); },
         "which is not in this layer"},
        {"hardlink to the layer's own /etc/passwd", [](E) { return buildTar({reg("etc/passwd", "root"), hard("h", "/etc/passwd")}); },
         {}, {"h"}, {}, [](const QString &t, const UnpackResult &, E) { QCOMPARE(readAll(t + QStringLiteral("/h")), QByteArray("root")); }},
        {"file over a hardlink does not write through it",
         [](E) { return buildTar({reg("f", "original"), hard("h", "f"), reg("h", "new")}); }, {}, {"h"}, {},
         [](const QString &t, const UnpackResult &, E) { QCOMPARE(readAll(t + QStringLiteral("/f")), QByteArray("original")); }},
        {"whiteout reaching outside", [](E) { return buildTar({reg("../.wh.marker")}); }, "escapes the layer root"},
        {"whiteout below a symlink to the outside",
         [](E env) { return buildTar({sym("s", QFile::encodeName(env.outside)), reg("s/.wh.marker")}); },
         "symbolic link to a missing directory"},
        {"opaque marker below a symlink to the outside",
         [](E env) { return buildTar({sym("s", QFile::encodeName(env.outside)), reg("s/.wh..wh..opq")}); },
         "symbolic link to a missing directory"},
        {"whiteout of dot", [](E) { return buildTar({reg("a/.wh..")}); }, "whiteout without a valid target"},
        {"whiteout of dotdot", [](E) { return buildTar({reg("a/.wh...")}); }, "whiteout without a valid target"},
        {"entry inside a whiteout", [](E) { return buildTar({reg(".wh.x/y")}); }, "lies inside a whiteout"},
        {"AUFS metadata is skipped", [](E) { return buildTar({reg(".wh..wh.plnk/123.4", "x"), reg(".wh..wh.aufs")}); }, {}, {}, {},
         [](const QString &t, const UnpackResult &r, E) {
             QVERIFY(QDir(t).isEmpty());
             QCOMPARE(r.warnings.size(), 2);
         }},
        {"overlay xattrs in the tar are not applied",
         [](E) {
             TarEntry d = dirE("d/");
             d.xattrs = {{"trusted.overlay.opaque", "y"}};
             TarEntry f = reg("f", "x");
             f.xattrs = {{"user.overlay.redirect", "/etc"}, {"trusted.overlay.origin", "zz"}, {"user.kept", "1"}};
             return buildTar({d, f});
         },
         {}, {"d", "f"}, {},
         [](const QString &t, const UnpackResult &r, E) {
             char buf[16];
             QVERIFY(::lgetxattr(QFile::encodeName(t + QStringLiteral("/d")).constData(), "trusted.overlay.opaque", buf, sizeof buf) < 0);
             QVERIFY(::lgetxattr(QFile::encodeName(t + QStringLiteral("/f")).constData(), "user.overlay.redirect", buf, sizeof buf) < 0);
             QVERIFY(::lgetxattr(QFile::encodeName(t + QStringLiteral("/f")).constData(), "trusted.overlay.origin", buf, sizeof buf) < 0);
             QCOMPARE(::lgetxattr(QFile::encodeName(t + QStringLiteral("/f")).constData(), "user.kept", buf, sizeof buf), ssize_t(1));
             QCOMPARE(r.warnings.size(), 3);
         }},
        {"device node without root is skipped",
         [](E) { return buildTar({devNull("dev/null"), reg("ok", "x")}); }, {}, {"ok"},
         [](UnpackOptions &o) { o.isRoot = false; },
         [](const QString &t, const UnpackResult &r, E) {
             QVERIFY(!QFileInfo::exists(t + QStringLiteral("/dev/null")));
             QCOMPARE(r.warnings.size(), 1);
         }},
        {"root replaced by a symlink", [](E) { return buildTar({sym("./", "/")}); }, "replace the layer root with a non-directory"},
        {"bomb over the byte budget", [](E) { return gzip(buildTar({reg("zeros", kZeros)})); },
         "entry zeros takes the layer's file content past the limit of 1048576 bytes", {},
         [](UnpackOptions &o) { o.limits.maxBytes = 1 << 20; }},
        {"bomb after the end-of-archive marker", [](E) { return gzip(buildTar({reg("small", "x")}) + kZeros); },
         "the uncompressed layer is larger than the limit of 1048576 bytes", {},
         [](UnpackOptions &o) { o.limits.maxBytes = 1 << 20; }},
        {"bomb over the ratio", [](E) { return gzip(buildTar({reg("zeros", kZeros)})); }, "refusing a likely decompression bomb", {},
         [](UnpackOptions &o) {
             o.limits.ratioGraceBytes = 1 << 20;
             o.limits.maxRatio = 50;
         }},
        {"too many entries",
         [](E) {
             QList<TarEntry> many;
             for (int i = 0; i < 100; ++i)
                 many.append(reg("f" + QByteArray::number(i)));
             return buildTar(many);
         },
         "more than the limit of 10 entries", {}, [](UnpackOptions &o) { o.limits.maxEntries = 10; }},
        {"truncated tar", [](E) { return buildTar({reg("big", QByteArray(100 << 10, 'b'))}).left(60 << 10); }, "entry big"},
        {"truncated gzip", [](E) { const QByteArray z = gzip(buildTar({reg("big", QByteArray(100 << 10, 'b'))})); return z.left(z.size() / 2); },
         "gzip"},
        {"not a tar", [](E) { return QByteArray(4096, 'j'); }, "not a tar archive"},
        {"name longer than PATH_MAX", [](E) { return buildTar({reg(QByteArray("a/").repeated(2100) + "f", "x")}); }, "too long"},
    };
}

// Everything under dir except the target, with sizes: what the row must
// leave alone.
QStringList snapshot(const QString &dir, const QString &target)
{
    QStringList out;
    QDirIterator it(dir, QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        if (path == target || path.startsWith(target + u'/'))
            continue;
        out.append(path + u' ' + QString::number(it.fileInfo().size()));
    }
    out.sort();
    return out;
}

} // namespace

class TestHostileTar : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void hostile_data();
    void hostile();
};

void TestHostileTar::hostile_data()
{
    QTest::addColumn<int>("index");
    const QList<HostileCase> all = cases();
    for (int i = 0; i < all.size(); ++i)
        QTest::newRow(all[i].name) << i;
}

void TestHostileTar::hostile()
{
    QFETCH(int, index);
    const HostileCase c = cases().at(index);
    QTemporaryDir tmp;
    const Env env{tmp.path() + QStringLiteral("/outside"), "porthole-hostile-" + QByteArray::number(::getpid())};
    QVERIFY(QDir().mkpath(env.outside));
    QFile marker(env.outside + QStringLiteral("/marker"));
    QVERIFY(marker.open(QIODevice::WriteOnly) && marker.write("original") == 8);
    marker.close();
    // Three levels deep, so a relative climb out of the target stays in tmp
    // where the snapshot sees it.
    const QString target = tmp.path() + QStringLiteral("/a/b/layer");
    QVERIFY(QDir().mkpath(tmp.path() + QStringLiteral("/a/b")));
    // Where an escape aimed at the real root would land.
    const QStringList hostPaths{QStringLiteral("/") + QString::fromLatin1(env.token),
                                QStringLiteral("/etc/") + QString::fromLatin1(env.token), QStringLiteral("/tmp/x")};
    QList<bool> hostBefore;
    for (const QString &p : hostPaths)
        hostBefore.append(QFileInfo::exists(p));
    const QByteArray blob = c.blob(env);
    const QStringList before = snapshot(tmp.path(), target);
    QCOMPARE(before.size(), 4);

    UnpackOptions opts;
    if (c.tweak)
        c.tweak(opts);
    MemorySource source(blob);
    auto r = unpackLayer(source, target, opts);

    if (c.error.isEmpty()) {
        QVERIFY2(r, qPrintable(r ? QString() : r.error().message));
        for (const QString &p : c.inside)
            QVERIFY2(QFileInfo::exists(target + u'/' + p) || S_ISLNK(lmode(target + u'/' + p)), qPrintable(p));
        if (c.check)
            c.check(target, *r, env);
    } else {
        QVERIFY2(!r, "the hostile tar was accepted");
        qInfo("%s", qPrintable(r.error().message.left(300)));
        QVERIFY2(r.error().message.contains(c.error), qPrintable(r.error().message));
        QVERIFY2(r.error().message.startsWith(QStringLiteral("unpack layer")), qPrintable(r.error().message));
        QVERIFY(!QFileInfo::exists(target)); // removed on error
    }
    QCOMPARE(readAll(env.outside + QStringLiteral("/marker")), QByteArray("original"));
    QCOMPARE(snapshot(tmp.path(), target), before);
    for (qsizetype i = 0; i < hostPaths.size(); ++i) {
        const bool now = QFileInfo::exists(hostPaths[i]);
        if (now && !hostBefore[i])
            QFile::remove(hostPaths[i]); // so one bad run does not poison the next
        QVERIFY2(now == hostBefore[i], qPrintable(hostPaths[i] + QStringLiteral(" appeared")));
    }
}

QTEST_GUILESS_MAIN(TestHostileTar)
#include "tst_hostiletar.moc"
