// The system verbs (info, version, system df), the CLI's own errors and the
// help of each verb end to end, through the real porthole binary on a fresh
// store per test, checked against docker's wording and exit codes.
#include "support/imagecommandstestsupport.h"

#include <QRegularExpression>

using namespace porthole::test;
using namespace porthole::test::imagecommands;

class CliVerbsTest : public QObject, protected ImageCommandsFixture {
    Q_OBJECT

private Q_SLOTS:
    void init() { setUp(); }
    void cleanup() { tearDown(); }

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

QTEST_GUILESS_MAIN(CliVerbsTest)
#include "tst_cliverbs.moc"
