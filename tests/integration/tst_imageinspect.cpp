// `inspect` and `history` of images end to end, through the real porthole
// binary on a fresh store per test: docker's JSON, --format templates,
// missing objects, and history's table.
#include "support/imagecommandstestsupport.h"

#include <QRegularExpression>

using namespace porthole::test;
using namespace porthole::test::imagecommands;

class ImageInspectTest : public QObject, protected ImageCommandsFixture {
    Q_OBJECT

private Q_SLOTS:
    void init() { setUp(); }
    void cleanup() { tearDown(); }

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
};

QTEST_GUILESS_MAIN(ImageInspectTest)
#include "tst_imageinspect.moc"
