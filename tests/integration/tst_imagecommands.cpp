// The image verbs end to end, through the real porthole binary on a fresh
// store per test: images, tag, rmi, inspect, history, the system verbs and
// the CLI's own errors, checked against docker's wording, columns
// (text/tabwriter, minwidth 10, padding 3) and exit codes. Import itself is
// tst_importformats.
#include "support/testsupport.h"
#include "support/ustarwriter.h"

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

// Files, directories, a symlink and a Korean name; 9 + 1048576 + 10 bytes
// of file content, which docker prints as "1.05MB".
QByteArray rootfsTar(const QByteArray &extra = {})
{
    QByteArray big(1 << 20, '\0');
    for (qsizetype i = 0; i < big.size(); ++i)
        big[i] = char((i * 7919) >> 3);
    UstarWriter w;
    w.dir(QStringLiteral("etc/"));
    w.file(QStringLiteral("etc/hostname"), "porthole\n");
    w.symlink(QStringLiteral("etc/link"), QStringLiteral("hostname"));
    w.dir(QStringLiteral("app/"));
    w.file(QStringLiteral("app/data.bin"), big);
    w.dir(QStringLiteral("home/"));
    w.file(QStringLiteral("home/안녕하세요.txt"), QStringLiteral("한국어\n").toUtf8());
    if (!extra.isEmpty())
        w.file(QStringLiteral("extra"), extra);
    return w.finish();
}
constexpr qint64 kRootfsBytes = 9 + (1 << 20) + 10;

QString sha256(const QByteArray &data)
{
    return QStringLiteral("sha256:") + QString::fromLatin1(QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex());
}

QString text(const QByteArray &b) { return QString::fromUtf8(b); }
QStringList lines(const QByteArray &b) { return text(b).split(u'\n', Qt::SkipEmptyParts); }

// A docker table cut into cells at the header's column starts, after
// checking Go's tabwriter rule: each column but the last is as wide as its
// widest cell plus 3, and at least 10.
QList<QStringList> parseTable(const QByteArray &out)
{
    const QStringList rows = lines(out);
    if (rows.isEmpty())
        return {};
    const QString &header = rows.first();
    QList<qsizetype> starts{0};
    static const QRegularExpression gap(QStringLiteral(" {3,}"));
    for (auto it = gap.globalMatch(header); it.hasNext();)
        starts.append(it.next().capturedEnd());
    QList<QStringList> table;
    for (const QString &row : rows) {
        QStringList cells;
        for (qsizetype c = 0; c < starts.size(); ++c) {
            const qsizetype end = c + 1 < starts.size() ? starts[c + 1] : row.size();
            if (c + 1 < starts.size() && end <= row.size() && row[end - 1] != u' ')
                return {{QStringLiteral("cell overflows its column in: ") + row}};
            cells.append(row.mid(starts[c], end - starts[c]).trimmed());
        }
        table.append(cells);
    }
    for (qsizetype c = 0; c + 1 < starts.size(); ++c) {
        qsizetype widest = 0;
        for (const QStringList &cells : table)
            widest = std::max(widest, cells[c].size());
        if (starts[c + 1] - starts[c] != std::max<qsizetype>(10, widest + 3))
            return {{QStringLiteral("column %1 is %2 wide, expected max(10, %3 + 3)").arg(c).arg(starts[c + 1] - starts[c]).arg(widest)}};
    }
    return table;
}

} // namespace

class ImageCommandsTest : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    QProcessEnvironment m_env;

    QString root() const { return m_dir->filePath(QStringLiteral("store")); }
    QString blobDir() const { return root() + QStringLiteral("/blobs/sha256"); }

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

    // Imports the standard rootfs; returns the image ID printed, or "" on failure.
    QString importRootfs(const QStringList &extraArgs = {}, const QString &ref = {}, const QByteArray &extra = {})
    {
        const QString tar = writeFile(QStringLiteral("rootfs.tar"), rootfsTar(extra));
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

    QJsonObject inspect(const QString &name)
    {
        const RunResult r = run({QStringLiteral("inspect"), name});
        return QJsonDocument::fromJson(r.out).array().first().toObject();
    }

    QStringList blobs() const { return QDir(blobDir()).entryList(QDir::Files); }
    QStringList quietIds() { return lines(run({QStringLiteral("images"), QStringLiteral("-q")}).out); }

private Q_SLOTS:
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
        m_env = QProcessEnvironment::systemEnvironment();
        m_env.insert(QStringLiteral("PORTHOLE_NO_DEMO"), QStringLiteral("1"));
        m_env.insert(QStringLiteral("TZ"), QStringLiteral("UTC"));
    }
    void cleanup() { m_dir.reset(); }

    void imagesTable()
    {
        const QString old = importRootfs({}, QStringLiteral("localhost/app:1"));
        const QString untagged = importRootfs({}, {}, "b");
        const QString newest = importRootfs({}, QStringLiteral("busybox"), "c");
        QVERIFY(!old.isEmpty() && !untagged.isEmpty() && !newest.isEmpty());
        QVERIFY(run({QStringLiteral("tag"), QStringLiteral("localhost/app:1"), QStringLiteral("localhost/app:2")}).exitCode == 0);

        const RunResult r = run({QStringLiteral("images")});
        QCOMPARE(r.exitCode, 0);
        const QList<QStringList> table = parseTable(r.out);
        QCOMPARE(table.size(), 5);
        QCOMPARE(table[0], (QStringList{QStringLiteral("REPOSITORY"), QStringLiteral("TAG"), QStringLiteral("IMAGE ID"),
                                        QStringLiteral("CREATED"), QStringLiteral("SIZE")}));
        QVERIFY2(lines(r.out).first().startsWith(QStringLiteral("REPOSITORY      TAG       IMAGE ID       CREATED")), r.out.constData());
        // Newest first; an image with two names is two rows.
        QCOMPARE(table[1].mid(0, 3), (QStringList{QStringLiteral("busybox"), QStringLiteral("latest"), newest.mid(7, 12)}));
        QCOMPARE(table[2].mid(0, 3), (QStringList{QStringLiteral("<none>"), QStringLiteral("<none>"), untagged.mid(7, 12)}));
        QCOMPARE(table[3].mid(0, 3), (QStringList{QStringLiteral("localhost/app"), QStringLiteral("1"), old.mid(7, 12)}));
        QCOMPARE(table[4].mid(0, 3), (QStringList{QStringLiteral("localhost/app"), QStringLiteral("2"), old.mid(7, 12)}));
        for (int i = 1; i < table.size(); ++i) {
            QVERIFY2(table[i][3].endsWith(QStringLiteral(" ago")), qPrintable(table[i][3]));
            QCOMPARE(table[i][4], QStringLiteral("1.05MB"));
        }

        // -q: one line per row, short IDs; --no-trunc: sha256:<64 hex>.
        QCOMPARE(quietIds(), (QStringList{newest.mid(7, 12), untagged.mid(7, 12), old.mid(7, 12), old.mid(7, 12)}));
        QCOMPARE(lines(run({QStringLiteral("images"), QStringLiteral("-q"), QStringLiteral("--no-trunc")}).out),
                 (QStringList{newest, untagged, old, old}));
        const QList<QStringList> full = parseTable(run({QStringLiteral("images"), QStringLiteral("--no-trunc")}).out);
        QCOMPARE(full.size(), 5);
        QCOMPARE(full[1][2], newest);

        // --digests: a DIGEST column after TAG; nothing pulled, so <none>.
        const QList<QStringList> digests = parseTable(run({QStringLiteral("images"), QStringLiteral("--digests")}).out);
        QCOMPARE(digests[0], (QStringList{QStringLiteral("REPOSITORY"), QStringLiteral("TAG"), QStringLiteral("DIGEST"),
                                          QStringLiteral("IMAGE ID"), QStringLiteral("CREATED"), QStringLiteral("SIZE")}));
        QCOMPARE(digests[1].mid(0, 4), (QStringList{QStringLiteral("busybox"), QStringLiteral("latest"), QStringLiteral("<none>"),
                                                    newest.mid(7, 12)}));

        // `image ls` is the same verb.
        QCOMPARE(run({QStringLiteral("image"), QStringLiteral("ls")}).out, r.out);
    }

    void imagesRepositoryFilter_data()
    {
        QTest::addColumn<QString>("filter");
        QTest::addColumn<QStringList>("tags"); // REPOSITORY:TAG of the rows, in order
        QTest::newRow("repository") << "localhost/app" << QStringList{"localhost/app:1", "localhost/app:2"};
        QTest::newRow("repository and tag") << "localhost/app:2" << QStringList{"localhost/app:2"};
        QTest::newRow("docker hub name") << "busybox" << QStringList{"busybox:latest"};
        QTest::newRow("normalized name") << "docker.io/library/busybox:latest" << QStringList{"busybox:latest"};
        QTest::newRow("other tag") << "busybox:1.36" << QStringList{};
        QTest::newRow("other repository") << "alpine" << QStringList{};
    }
    void imagesRepositoryFilter()
    {
        QFETCH(QString, filter);
        QFETCH(QStringList, tags);
        QVERIFY(!importRootfs({}, QStringLiteral("localhost/app:1")).isEmpty());
        QVERIFY(!importRootfs({}, QStringLiteral("busybox"), "x").isEmpty());
        QCOMPARE(run({QStringLiteral("tag"), QStringLiteral("localhost/app:1"), QStringLiteral("localhost/app:2")}).exitCode, 0);
        const RunResult r = run({QStringLiteral("images"), filter});
        QCOMPARE(r.exitCode, 0);
        const QList<QStringList> table = parseTable(r.out);
        QVERIFY(!table.isEmpty());
        QCOMPARE(table[0].first(), QStringLiteral("REPOSITORY"));
        QStringList got;
        for (const QStringList &row : table.mid(1))
            got.append(row[0] + u':' + row[1]);
        QCOMPARE(got, tags);
    }

    void tagByNameAndId()
    {
        const QString id = importRootfs({}, QStringLiteral("src"));
        QVERIFY(!id.isEmpty());
        RunResult r = run({QStringLiteral("tag"), QStringLiteral("src"), QStringLiteral("localhost/copy:v1")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.isEmpty() && r.err.isEmpty());
        r = run({QStringLiteral("tag"), id.mid(7, 6), QStringLiteral("byid")});
        QCOMPARE(r.exitCode, 0);
        r = run({QStringLiteral("tag"), id, QStringLiteral("byfullid:2")});
        QCOMPARE(r.exitCode, 0);
        const QJsonArray tags = inspect(id).value(QStringLiteral("RepoTags")).toArray();
        QStringList names;
        for (const QJsonValue &v : tags)
            names.append(v.toString());
        names.sort();
        QCOMPARE(names, (QStringList{QStringLiteral("byfullid:2"), QStringLiteral("byid:latest"), QStringLiteral("localhost/copy:v1"),
                                     QStringLiteral("src:latest")}));
    }

    void retagMovesTheName()
    {
        const QString first = importRootfs({}, QStringLiteral("app"));
        const QString second = importRootfs({}, QStringLiteral("other"), "2");
        QCOMPARE(run({QStringLiteral("tag"), QStringLiteral("other"), QStringLiteral("app")}).exitCode, 0);
        QCOMPARE(inspect(QStringLiteral("app")).value(QStringLiteral("Id")).toString(), second);
        // The first image lost its only name: it is <none> now, not gone.
        const QJsonObject old = inspect(first);
        QCOMPARE(old.value(QStringLiteral("RepoTags")).toArray(), QJsonArray());
        const QList<QStringList> table = parseTable(run({QStringLiteral("images")}).out);
        QCOMPARE(table.size(), 4);
        QCOMPARE(table[3].mid(0, 3), (QStringList{QStringLiteral("<none>"), QStringLiteral("<none>"), first.mid(7, 12)}));
    }

    void tagFailures_data()
    {
        QTest::addColumn<QString>("source");
        QTest::addColumn<QString>("target");
        QTest::addColumn<QString>("message");
        QTest::newRow("digest target") << "src" << "dst@sha256:0123456789012345678901234567890123456789012345678901234567890123"
                                       << "refusing to create a tag with a digest reference";
        QTest::newRow("missing source") << "x" << "y" << "No such image: x:latest";
        QTest::newRow("missing source with tag") << "x:1.0" << "y" << "No such image: x:1.0";
        QTest::newRow("invalid target") << "src" << "Bad/Name/OK:tag" << "invalid reference format";
    }
    void tagFailures()
    {
        QFETCH(QString, source);
        QFETCH(QString, target);
        QFETCH(QString, message);
        QVERIFY(!importRootfs({}, QStringLiteral("src")).isEmpty());
        const QByteArray before = run({QStringLiteral("images")}).out;
        const RunResult r = run({QStringLiteral("tag"), source, target});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(text(r.err).startsWith(QStringLiteral("Error: ")) && text(r.err).contains(message), r.err.constData());
        QCOMPARE(run({QStringLiteral("images")}).out, before);
    }

    void rmiByName()
    {
        const QString id = importRootfs({}, QStringLiteral("a"));
        QCOMPARE(run({QStringLiteral("tag"), QStringLiteral("a"), QStringLiteral("b")}).exitCode, 0);
        RunResult r = run({QStringLiteral("rmi"), QStringLiteral("a")});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(text(r.out), QStringLiteral("Untagged: a:latest\n"));
        QCOMPARE(quietIds(), QStringList{id.mid(7, 12)});
        r = run({QStringLiteral("rmi"), QStringLiteral("b:latest")});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(text(r.out), QStringLiteral("Untagged: b:latest\nDeleted: %1\n").arg(id));
        QCOMPARE(quietIds(), QStringList());
        QCOMPARE(blobs(), QStringList());
    }

    void rmiByIdNeedsForceWithTwoNames()
    {
        const QString id = importRootfs({}, QStringLiteral("a"));
        QCOMPARE(run({QStringLiteral("tag"), QStringLiteral("a"), QStringLiteral("localhost/b:2")}).exitCode, 0);
        RunResult r = run({QStringLiteral("rmi"), id.mid(7, 12)});
        QCOMPARE(r.exitCode, 1);
        QCOMPARE(text(r.err), QStringLiteral("Error: conflict: unable to delete %1 (must be forced) - image is referenced in "
                                             "multiple repositories\n").arg(id.mid(7, 12)));
        QCOMPARE(quietIds().size(), 2);

        r = run({QStringLiteral("rmi"), QStringLiteral("-f"), id.mid(7, 12)});
        QCOMPARE(r.exitCode, 0);
        QStringList out = lines(r.out);
        QCOMPARE(out.size(), 3);
        QCOMPARE(out.last(), QStringLiteral("Deleted: ") + id);
        out.removeLast();
        out.sort();
        QCOMPARE(out, (QStringList{QStringLiteral("Untagged: a:latest"), QStringLiteral("Untagged: localhost/b:2")}));
        QCOMPARE(blobs(), QStringList());
    }

    void rmiUntaggedById()
    {
        const QString id = importRootfs();
        const RunResult r = run({QStringLiteral("rmi"), id});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(text(r.out), QStringLiteral("Deleted: %1\n").arg(id));
        QCOMPARE(blobs(), QStringList());
    }

    void rmiSeveralOneMissing()
    {
        const QString a = importRootfs({}, QStringLiteral("a"));
        const QString b = importRootfs({}, QStringLiteral("b"), "b");
        const RunResult r = run({QStringLiteral("rmi"), QStringLiteral("a"), QStringLiteral("nope"), QStringLiteral("b")});
        QCOMPARE(r.exitCode, 1);
        QCOMPARE(text(r.out), QStringLiteral("Untagged: a:latest\nDeleted: %1\nUntagged: b:latest\nDeleted: %2\n").arg(a, b));
        QCOMPARE(text(r.err), QStringLiteral("Error: No such image: nope:latest\n"));
        QCOMPARE(quietIds(), QStringList());
        // Garbage collection took every blob and layer record with them.
        QCOMPARE(blobs(), QStringList());
        QCOMPARE(QDir(root() + QStringLiteral("/layerinfo")).entryList(QDir::Files), QStringList());
    }

    void inspectJson()
    {
        const QString id = importRootfs({QStringLiteral("-c"), QStringLiteral("CMD [\"sh\"]")}, QStringLiteral("localhost/app:1"));
        QCOMPARE(run({QStringLiteral("tag"), QStringLiteral("localhost/app:1"), QStringLiteral("docker.io/library/web")}).exitCode, 0);
        const RunResult r = run({QStringLiteral("inspect"), QStringLiteral("web")});
        QCOMPARE(r.exitCode, 0);
        QJsonParseError error{};
        const QJsonDocument doc = QJsonDocument::fromJson(r.out, &error);
        QCOMPARE(error.error, QJsonParseError::NoError);
        QVERIFY(doc.isArray());
        QCOMPARE(doc.array().size(), 1);
        const QJsonObject image = doc.array().first().toObject();
        QCOMPARE(image.value(QStringLiteral("Id")).toString(), id);
        QStringList tags;
        for (const QJsonValue &v : image.value(QStringLiteral("RepoTags")).toArray())
            tags.append(v.toString());
        tags.sort();
        QCOMPARE(tags, (QStringList{QStringLiteral("localhost/app:1"), QStringLiteral("web:latest")}));
        QCOMPARE(image.value(QStringLiteral("RootFS")).toObject(),
                 (QJsonObject{{QStringLiteral("Type"), QStringLiteral("layers")},
                              {QStringLiteral("Layers"), QJsonArray{sha256(rootfsTar())}}}));
        QCOMPARE(image.value(QStringLiteral("Os")).toString(), QStringLiteral("linux"));
        QVERIFY(!image.value(QStringLiteral("Architecture")).toString().isEmpty());
        QCOMPARE(image.value(QStringLiteral("Config")).toObject().value(QStringLiteral("Cmd")).toArray(), QJsonArray{QStringLiteral("sh")});
        // Go's json.MarshalIndent: 4 spaces, struct order, [] for empty lists.
        QVERIFY2(r.out.startsWith("[\n    {\n        \"Id\": \"" + id.toLatin1() + "\",\n        \"RepoTags\": [\n"),
                 r.out.left(200).constData());
        QVERIFY2(r.out.contains("\n        \"RepoDigests\": [],\n"), r.out.constData());
        QVERIFY(r.out.endsWith("}\n]\n"));

        // Several names: one array.
        const RunResult two = run({QStringLiteral("inspect"), QStringLiteral("web"), id.mid(7, 5)});
        QCOMPARE(two.exitCode, 0);
        QCOMPARE(QJsonDocument::fromJson(two.out).array().size(), 2);
    }

    void inspectFormat_data()
    {
        QTest::addColumn<QString>("format");
        QTest::addColumn<QString>("expected"); // %1: the image ID
        QTest::newRow("id") << "{{.Id}}" << "%1\n";
        QTest::newRow("json cmd") << "{{json .Config.Cmd}}" << "[\"sh\",\"-c\",\"echo \\u003chi\\u003e\"]\n";
        QTest::newRow("plain cmd") << "{{.Config.Cmd}}" << "[sh -c echo <hi>]\n";
        QTest::newRow("text around") << "id={{.Id}} os={{.Os}}" << "id=%1 os=linux\n";
        QTest::newRow("json labels") << "{{json .Config.Labels}}" << "{\"a\":\"1\",\"b\":\"2\"}\n";
        QTest::newRow("plain labels") << "{{.Config.Labels}}" << "map[a:1 b:2]\n";
        QTest::newRow("size") << "{{.Size}}" << QString::number(kRootfsBytes) + u'\n';
        QTest::newRow("json") << "json" << "";
    }
    void inspectFormat()
    {
        QFETCH(QString, format);
        QFETCH(QString, expected);
        const QString id = importRootfs({QStringLiteral("-c"), QStringLiteral("CMD [\"sh\", \"-c\", \"echo <hi>\"]"),
                                         QStringLiteral("-c"), QStringLiteral("LABEL b=2 a=1")},
                                        QStringLiteral("app"));
        const RunResult r = run({QStringLiteral("inspect"), QStringLiteral("-f"), format, QStringLiteral("app")});
        QCOMPARE(r.exitCode, 0);
        if (format == QLatin1String("json")) {
            // docker's --format json: the array on one line.
            QCOMPARE(r.out.count('\n'), 1);
            QCOMPARE(QJsonDocument::fromJson(r.out).array().first().toObject().value(QStringLiteral("Id")).toString(), id);
            return;
        }
        QCOMPARE(text(r.out), expected.contains(QLatin1String("%1")) ? expected.arg(id) : expected);
    }

    void inspectMissing()
    {
        QVERIFY(!importRootfs({}, QStringLiteral("app")).isEmpty());
        RunResult r = run({QStringLiteral("inspect"), QStringLiteral("nope")});
        QCOMPARE(r.exitCode, 1);
        QCOMPARE(text(r.out), QStringLiteral("[]\n"));
        QCOMPARE(text(r.err), QStringLiteral("Error: No such object: nope\n"));

        // Found ones are printed, the missing one is reported, exit 1.
        r = run({QStringLiteral("inspect"), QStringLiteral("app"), QStringLiteral("nope")});
        QCOMPARE(r.exitCode, 1);
        QCOMPARE(QJsonDocument::fromJson(r.out).array().size(), 1);
        QCOMPARE(text(r.err), QStringLiteral("Error: No such object: nope\n"));

        r = run({QStringLiteral("inspect"), QStringLiteral("-f"), QStringLiteral("{{.Id}}"), QStringLiteral("nope")});
        QCOMPARE(r.exitCode, 1);
        QCOMPARE(text(r.out), QStringLiteral("\n"));

        // A template Porthole cannot run is docker's exit code 64.
        r = run({QStringLiteral("inspect"), QStringLiteral("-f"), QStringLiteral("{{range .RepoTags}}"), QStringLiteral("app")});
        QCOMPARE(r.exitCode, 64);
        QVERIFY2(r.err.startsWith("template parsing error: "), r.err.constData());
    }

    void history()
    {
        const QString id = importRootfs({QStringLiteral("-m"), QStringLiteral("first import")}, QStringLiteral("app"));
        RunResult r = run({QStringLiteral("history"), QStringLiteral("app")});
        QCOMPARE(r.exitCode, 0);
        QList<QStringList> table = parseTable(r.out);
        QCOMPARE(table.size(), 2);
        QCOMPARE(table[0], (QStringList{QStringLiteral("IMAGE"), QStringLiteral("CREATED"), QStringLiteral("CREATED BY"),
                                        QStringLiteral("SIZE"), QStringLiteral("COMMENT")}));
        QCOMPARE(table[1][0], id.mid(7, 12));
        QVERIFY2(table[1][1].endsWith(QStringLiteral(" ago")), qPrintable(table[1][1]));
        QCOMPARE(table[1][2], QString());
        QCOMPARE(table[1][3], QStringLiteral("1.05MB"));
        QCOMPARE(table[1][4], QStringLiteral("first import"));

        r = run({QStringLiteral("history"), QStringLiteral("--no-trunc"), QStringLiteral("app")});
        QCOMPARE(parseTable(r.out).value(1).value(0), id);

        // -H=false: bytes and RFC 3339 in the local zone, "CREATED AT".
        r = run({QStringLiteral("history"), QStringLiteral("-H=false"), QStringLiteral("app")});
        table = parseTable(r.out);
        QCOMPARE(table.size(), 2);
        QCOMPARE(table[0][1], QStringLiteral("CREATED AT"));
        QVERIFY2(QRegularExpression(QStringLiteral("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ$")).match(table[1][1]).hasMatch(),
                 qPrintable(table[1][1]));
        QCOMPARE(table[1][3], QString::number(kRootfsBytes));
        const QDateTime created = QDateTime::fromString(table[1][1], Qt::ISODate);
        QVERIFY(qAbs(created.secsTo(QDateTime::currentDateTimeUtc())) < 60);

        QProcessEnvironment seoul = m_env;
        seoul.insert(QStringLiteral("TZ"), QStringLiteral("Asia/Seoul"));
        r = runPorthole(root(), {QStringLiteral("history"), QStringLiteral("--human=false"), QStringLiteral("app")}, {}, 60000, seoul);
        const QString local = parseTable(r.out).value(1).value(1);
        QVERIFY2(local.endsWith(QStringLiteral("+09:00")), qPrintable(local));
        QCOMPARE(QDateTime::fromString(local, Qt::ISODate), created);

        r = run({QStringLiteral("history"), QStringLiteral("-q"), QStringLiteral("app")});
        QCOMPARE(text(r.out), id.mid(7, 12) + u'\n');

        r = run({QStringLiteral("history"), QStringLiteral("nope")});
        QCOMPARE(r.exitCode, 1);
        QCOMPARE(text(r.err), QStringLiteral("Error: No such image: nope:latest\n"));
    }

    void systemVerbs()
    {
        RunResult r = run({QStringLiteral("version")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.startsWith("Client:\n Version:"));
        // version needs no store.
        QVERIFY(!QFile::exists(root()));

        QVERIFY(!importRootfs({}, QStringLiteral("app")).isEmpty());
        QCOMPARE(run({QStringLiteral("tag"), QStringLiteral("app"), QStringLiteral("app2")}).exitCode, 0);
        r = run({QStringLiteral("info")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains("\n Images: 1\n"), r.out.constData()); // one image, two names
        QVERIFY(r.out.contains("\n Porthole Root Dir: " + QDir(root()).absolutePath().toUtf8() + "\n"));
        QVERIFY(QRegularExpression(QStringLiteral("\n Cgroup Version: [12]\n")).match(text(r.out)).hasMatch());

        r = run({QStringLiteral("system"), QStringLiteral("df")});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(text(r.out), QStringLiteral("TYPE            TOTAL     ACTIVE    SIZE      RECLAIMABLE\n"
                                             "Images          1         0         1.05MB    1.05MB (100%)\n"
                                             "Containers      0         0         0B        0B\n"
                                             "Local Volumes   0         0         0B        0B\n"
                                             "Build Cache     0         0         0B        0B\n"));
    }

    void cliErrors_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("err"); // exact standard error, or its start when it ends with "…"
        QTest::newRow("unknown verb") << QStringList{"bogus"} << 1
                                      << "porthole: 'bogus' is not a porthole command.\nSee 'porthole --help'\n";
        QTest::newRow("unknown flag") << QStringList{"images", "--bogus"} << 125
                                      << "unknown flag: --bogus\nSee 'porthole images --help'.\n";
        QTest::newRow("unknown shorthand") << QStringList{"images", "-z"} << 125
                                           << "unknown shorthand flag: 'z' in -z\nSee 'porthole images --help'.\n";
        QTest::newRow("unknown global flag") << QStringList{"--bogus", "images"} << 125
                                             << "unknown flag: --bogus\nSee 'porthole --help'.\n";
        QTest::newRow("tag one argument") << QStringList{"tag", "a"} << 1
                                          << "\"porthole tag\" requires exactly 2 arguments.\nSee 'porthole tag --help'.\n\n"
                                             "Usage:  porthole tag SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]\n\n"
                                             "Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE\n";
        QTest::newRow("rmi no argument") << QStringList{"rmi"} << 1
                                         << "\"porthole rmi\" requires at least 1 argument.\nSee 'porthole rmi --help'.\n…";
        QTest::newRow("images two arguments") << QStringList{"images", "a", "b"} << 1
                                              << "\"porthole images\" requires at most 1 argument.\n…";
        QTest::newRow("version argument") << QStringList{"version", "x"} << 1 << "\"porthole version\" accepts no arguments.\n…";
        QTest::newRow("import no argument") << QStringList{"import"} << 1 << "\"porthole import\" requires at least 1 argument.\n…";
    }
    void cliErrors()
    {
        QFETCH(QStringList, args);
        QFETCH(int, exitCode);
        QFETCH(QString, err);
        const RunResult r = run(args);
        QCOMPARE(r.exitCode, exitCode);
        QVERIFY(r.out.isEmpty());
        if (err.endsWith(u'…'))
            QVERIFY2(text(r.err).startsWith(err.chopped(1)), r.err.constData());
        else
            QCOMPARE(text(r.err), err);
    }

    void help_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("usage");
        QTest::newRow("images") << QStringList{"images", "--help"} << "Usage:  porthole images [OPTIONS] [REPOSITORY[:TAG]]";
        QTest::newRow("rmi") << QStringList{"rmi", "--help"} << "Usage:  porthole rmi [OPTIONS] IMAGE [IMAGE...]";
        QTest::newRow("import -h") << QStringList{"import", "-h"} << "Usage:  porthole import [OPTIONS] file|- [REPOSITORY[:TAG]]";
        QTest::newRow("help after args") << QStringList{"tag", "a", "--help"} << "Usage:  porthole tag";
        QTest::newRow("global") << QStringList{"--help"} << "Usage:  porthole [OPTIONS] COMMAND";
    }
    void help()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, usage);
        const RunResult r = run(args);
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(text(r.out).startsWith(u'\n' + usage), r.out.constData());
        QVERIFY(r.err.isEmpty());
    }
};

QTEST_GUILESS_MAIN(ImageCommandsTest)
#include "tst_imagecommands.moc"
