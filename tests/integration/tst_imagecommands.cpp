// The image verbs images, tag and rmi end to end, through the real porthole
// binary on a fresh store per test, checked against docker's wording,
// columns (text/tabwriter, minwidth 10, padding 3) and exit codes. inspect
// and history: tst_imageinspect; system verbs, CLI errors, help:
// tst_cliverbs. Import itself is tst_importformats.
#include "support/imagecommandstestsupport.h"

using namespace porthole::test;
using namespace porthole::test::imagecommands;

class ImageCommandsTest : public QObject, protected ImageCommandsFixture {
    Q_OBJECT

private Q_SLOTS:
    void init() { setUp(); }
    void cleanup() { tearDown(); }

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

        // `image ls` is the same verb. Compared with an `images` run right
        // before it, a few times if need be: CREATED moves on with the clock
        // ("Less than a second ago" became "1 second ago" on a loaded machine).
        QByteArray viaImages, viaImageLs;
        for (int attempt = 0; attempt < 3 && (attempt == 0 || viaImages != viaImageLs); ++attempt) {
            viaImages = run({QStringLiteral("images")}).out;
            viaImageLs = run({QStringLiteral("image"), QStringLiteral("ls")}).out;
        }
        QCOMPARE(viaImageLs, viaImages);
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
};

QTEST_GUILESS_MAIN(ImageCommandsTest)
#include "tst_imagecommands.moc"
