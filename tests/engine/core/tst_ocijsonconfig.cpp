// Image config JSON (Docker's and OCI's): it parses, validates, gives its
// fields, and round-trips and survives edits without losing unknown fields;
// RFC 3339 times parse and format as Go writes them. Manifests and indexes
// are tst_ocijsonmanifest.
#include "core/imageconfig.h"
#include "core/jsonobject.h"
#include "support/ocijsontestsupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace porthole;
using namespace porthole::test;
using namespace Qt::StringLiterals;

// Declared before the JSON fixtures: moc's lexer misreads some raw strings.
class TestOciJsonConfig : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void configRoundTripKeepsUnknown();
    void configAccessors();
    void configEditKeepsUnknown();
    void configFromScratch();
    void configErrors_data();
    void configErrors();
    void rfc3339_data();
    void rfc3339();
    void formatRfc3339_data();
    void formatRfc3339();
};

namespace {

// Shaped like `docker inspect`'s source: container_config, docker_version,
// Healthcheck, ArgsEscaped and history keys the spec does not define.
const char *kDockerConfig = R"({
  "architecture": "amd64",
  "os": "linux",
  "created": "2024-03-04T05:06:07.123456789Z",
  "docker_version": "24.0.7",
  "container": "6f0e5b2e",
  "container_config": {"Hostname": "6f0e5b2e", "Cmd": ["/bin/sh", "-c", "#(nop) CMD [\"sh\"]"], "Env": null},
  "config": {
    "Hostname": "", "AttachStdin": false, "Tty": false,
    "Env": ["PATH=/usr/local/sbin:/usr/bin", "LANG=C.UTF-8"],
    "Cmd": "sh",
    "Entrypoint": null,
    "ArgsEscaped": true,
    "Healthcheck": {"Test": ["CMD-SHELL", "curl -f http://localhost/"], "Interval": 30000000000},
    "Labels": {"maintainer": "someone"},
    "ExposedPorts": {"80/tcp": {}, "53/udp": {}},
    "Volumes": {"/data": {}},
    "WorkingDir": "/srv",
    "User": "www-data",
    "StopSignal": "SIGQUIT",
    "OnBuild": null
  },
  "rootfs": {"type": "layers", "diff_ids": ["@D1", "@D2"]},
  "history": [
    {"created": "2024-03-04T05:06:06.5Z", "created_by": "/bin/sh -c #(nop) ADD file:abc in / ",
     "x-extra": {"k": "v"}},
    {"created": "2024-03-04T05:06:07.123456789+09:00", "created_by": "/bin/sh -c #(nop)  CMD [\"sh\"]",
     "empty_layer": true, "comment": "buildkit.dockerfile.v0", "author": "me"}
  ]
})";

} // namespace

void TestOciJsonConfig::configRoundTripKeepsUnknown()
{
    const QByteArray bytes = fixture(kDockerConfig);
    auto c = ImageConfig::parse(bytes);
    QVERIFY2(c, qPrintable(c.ok() ? QString() : c.error().message));
    COMPARE_JSON(object(c->toJson()), object(bytes));
}

void TestOciJsonConfig::configAccessors()
{
    auto c = ImageConfig::parse(fixture(kDockerConfig));
    QVERIFY(c);
    QCOMPARE(c->architecture(), u"amd64"_s);
    QCOMPARE(c->os(), u"linux"_s);
    QCOMPARE(c->created(), u"2024-03-04T05:06:07.123456789Z"_s);
    QCOMPARE(c->createdTime().value(), QDateTime(QDate(2024, 3, 4), QTime(5, 6, 7, 123), Qt::UTC));
    QCOMPARE(c->env(), (QStringList{u"PATH=/usr/local/sbin:/usr/bin"_s, u"LANG=C.UTF-8"_s}));
    QCOMPARE(c->cmd(), QStringList{u"sh"_s}); // a bare string, as Go's strslice allows
    QCOMPARE(c->entrypoint(), QStringList());
    QCOMPARE(c->user(), u"www-data"_s);
    QCOMPARE(c->workingDir(), u"/srv"_s);
    QCOMPARE(c->stopSignal(), u"SIGQUIT"_s);
    QCOMPARE(c->labels().value(u"maintainer"_s), u"someone"_s);
    QCOMPARE(c->exposedPorts(), (QStringList{u"53/udp"_s, u"80/tcp"_s}));
    QCOMPARE(c->volumes(), QStringList{u"/data"_s});
    QCOMPARE(c->onBuild(), QStringList());
    QCOMPARE(c->rootfsType(), u"layers"_s);
    QCOMPARE(c->diffIds(), (QList<Digest>{*Digest::parse(kDiff1), *Digest::parse(kDiff2)}));
    QVERIFY(c->containerConfig().contains(u"Healthcheck"_s));

    const QList<HistoryEntry> h = c->history();
    QCOMPARE(h.size(), 2);
    QCOMPARE(h[0].created, u"2024-03-04T05:06:06.5Z"_s);
    QCOMPARE(h[0].createdBy, u"/bin/sh -c #(nop) ADD file:abc in / "_s);
    QVERIFY(!h[0].emptyLayer);
    QCOMPARE(h[0].unknown.value(u"x-extra").toObject().value(u"k").toString(), u"v"_s);
    QVERIFY(h[1].emptyLayer);
    QCOMPARE(h[1].comment, u"buildkit.dockerfile.v0"_s);
    QCOMPARE(h[1].author, u"me"_s);
}

void TestOciJsonConfig::configEditKeepsUnknown()
{
    const QByteArray bytes = fixture(kDockerConfig);
    auto c = ImageConfig::parse(bytes);
    QVERIFY(c);
    c->setEnv(c->env() << u"A=1"_s);
    c->appendDiffId(*Digest::parse(kLayer1));
    HistoryEntry e;
    e.created = porthole::formatRfc3339(QDateTime(QDate(2024, 6, 1), QTime(0, 0), Qt::UTC));
    e.createdBy = u"porthole commit"_s;
    c->appendHistory(e);
    c->setAuthor(u"tester"_s);

    const QJsonObject out = object(c->toJson());
    const QJsonObject in = object(bytes);
    for (const QString &key : {u"docker_version"_s, u"container"_s, u"container_config"_s, u"created"_s})
        QCOMPARE(out.value(key), in.value(key));
    const QJsonObject cfg = out.value(u"config").toObject();
    const QJsonObject inCfg = in.value(u"config").toObject();
    for (const QString &key : {u"Healthcheck"_s, u"ArgsEscaped"_s, u"Hostname"_s, u"Cmd"_s, u"OnBuild"_s})
        QCOMPARE(cfg.value(key), inCfg.value(key));
    QCOMPARE(cfg.value(u"Env").toArray().last().toString(), u"A=1"_s);
    const QJsonArray history = out.value(u"history").toArray();
    QCOMPARE(history.size(), 3);
    QCOMPARE(history.at(0), in.value(u"history").toArray().at(0)); // extra key kept
    COMPARE_JSON(history.at(2).toObject(),
                 QJsonObject({{u"created"_s, u"2024-06-01T00:00:00Z"_s}, {u"created_by"_s, u"porthole commit"_s}}));
    QCOMPARE(out.value(u"rootfs").toObject().value(u"diff_ids").toArray().size(), 3);
    QCOMPARE(out.value(u"author").toString(), u"tester"_s);

    // What was written parses back to the same document.
    auto again = ImageConfig::parse(c->toJson());
    QVERIFY(again);
    QCOMPARE(*again, *c);
}

void TestOciJsonConfig::configFromScratch()
{
    ImageConfig c;
    c.setArchitecture(u"arm64"_s);
    c.setOs(u"linux"_s);
    c.setVariant(u"v8"_s);
    c.setCreated(QDateTime(QDate(2020, 1, 2), QTime(3, 4, 5, 600), Qt::UTC));
    c.setDiffIds({*Digest::parse(kDiff1)});
    c.setCmd({u"sh"_s});
    const QByteArray expected = fixture(R"({"architecture":"arm64","config":{"Cmd":["sh"]},)"
                                        R"("created":"2020-01-02T03:04:05.6Z","os":"linux",)"
                                        R"("rootfs":{"diff_ids":["@D1"],"type":"layers"},"variant":"v8"})");
    QCOMPARE(c.toJson(), expected);
    c.setVariant(QString());
    QVERIFY(!c.toJsonObject().contains(u"variant"_s));
}

void TestOciJsonConfig::configErrors_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("error");
    const QByteArray ok = fixture(kDockerConfig);
    QTest::newRow("array") << QByteArray("[1]") << u"not a JSON object"_s;
    QTest::newRow("bad diff id") << QByteArray(ok).replace(kDiff2.toUtf8(), "sha256:00")
                                 << u"\"rootfs.diff_ids[1]\" is not valid"_s;
    QTest::newRow("diff id number") << QByteArray(ok).replace(("\"" + kDiff1 + "\"").toUtf8(), "7")
                                    << u"\"rootfs.diff_ids[0]\" must be a string"_s;
    QTest::newRow("created garbage") << QByteArray(ok).replace("2024-03-04T05:06:07.123456789Z", "yesterday")
                                     << u"\"created\" is not an RFC 3339 time"_s;
    QTest::newRow("history created") << QByteArray(ok).replace("2024-03-04T05:06:06.5Z", "2024-13-01T00:00:00Z")
                                     << u"\"history[0].created\""_s;
    QTest::newRow("env not list") << QByteArray(ok).replace("\"Env\": [", "\"Env\": {\"x\": [").replace("\"LANG=C.UTF-8\"]", "\"LANG=C.UTF-8\"]}")
                                  << u"\"config.Env\" must be an array of strings"_s;
    QTest::newRow("label not string") << QByteArray(ok).replace("\"someone\"", "1") << u"\"config.Labels.maintainer\""_s;
    QTest::newRow("cmd number") << QByteArray(ok).replace("\"Cmd\": \"sh\"", "\"Cmd\": 1") << u"\"config.Cmd\""_s;
    QTest::newRow("config not object") << QByteArray(R"({"config": []})") << u"\"config\" must be an object"_s;
    QTest::newRow("history not object") << QByteArray(R"({"history": [{}, 3]})") << u"\"history[1]\" must be an object"_s;
    QTest::newRow("empty_layer string") << QByteArray(R"({"history": [{"empty_layer": "yes"}]})")
                                        << u"\"history[0].empty_layer\" must be a boolean"_s;
    QTest::newRow("os number") << QByteArray(R"({"os": 1})") << u"\"os\" must be a string"_s;
}

void TestOciJsonConfig::configErrors()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, error);
    auto c = ImageConfig::parse(json);
    QVERIFY(!c);
    QCOMPARE(c.error().code, ErrorCode::InvalidArgument);
    QVERIFY2(c.error().message.startsWith(u"parse image config: "_s), qPrintable(c.error().message));
    QVERIFY2(c.error().message.contains(error), qPrintable(c.error().message));
}

void TestOciJsonConfig::rfc3339_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QDateTime>("expected"); // invalid: must not parse
    const auto utc = [](int y, int mo, int d, int h, int mi, int s, int ms) {
        return QDateTime(QDate(y, mo, d), QTime(h, mi, s, ms), Qt::UTC);
    };
    QTest::newRow("Z") << u"2024-01-02T03:04:05Z"_s << utc(2024, 1, 2, 3, 4, 5, 0);
    QTest::newRow("nanos") << u"2024-01-02T03:04:05.987654321Z"_s << utc(2024, 1, 2, 3, 4, 5, 987);
    QTest::newRow("one digit") << u"2024-01-02T03:04:05.5Z"_s << utc(2024, 1, 2, 3, 4, 5, 500);
    QTest::newRow("offset") << u"2024-01-02T09:04:05+06:00"_s << utc(2024, 1, 2, 3, 4, 5, 0);
    QTest::newRow("negative offset") << u"2024-01-01T22:04:05-05:00"_s << utc(2024, 1, 2, 3, 4, 5, 0);
    QTest::newRow("go zero time") << u"0001-01-01T00:00:00Z"_s << utc(1, 1, 1, 0, 0, 0, 0);
    QTest::newRow("lower t z") << u"2024-01-02t03:04:05z"_s << utc(2024, 1, 2, 3, 4, 5, 0);
    QTest::newRow("no zone") << u"2024-01-02T03:04:05"_s << QDateTime();
    QTest::newRow("bad month") << u"2024-13-02T03:04:05Z"_s << QDateTime();
    QTest::newRow("bad day") << u"2023-02-29T03:04:05Z"_s << QDateTime();
    QTest::newRow("space") << u"2024-01-02 03:04:05Z"_s << QDateTime();
    QTest::newRow("ten digits") << u"2024-01-02T03:04:05.1234567890Z"_s << QDateTime();
}

void TestOciJsonConfig::rfc3339()
{
    QFETCH(QString, text);
    QFETCH(QDateTime, expected);
    const auto t = parseRfc3339(text);
    QCOMPARE(t.has_value(), expected.isValid());
    if (t)
        QCOMPARE(*t, expected);
}

void TestOciJsonConfig::formatRfc3339_data()
{
    QTest::addColumn<QDateTime>("time");
    QTest::addColumn<QString>("expected");
    QTest::newRow("whole") << QDateTime(QDate(2024, 1, 2), QTime(3, 4, 5), Qt::UTC) << u"2024-01-02T03:04:05Z"_s;
    QTest::newRow("trim zeros") << QDateTime(QDate(2024, 1, 2), QTime(3, 4, 5, 120), Qt::UTC)
                                << u"2024-01-02T03:04:05.12Z"_s;
    QTest::newRow("to utc") << QDateTime(QDate(2024, 1, 2), QTime(12, 4, 5, 1), Qt::OffsetFromUTC, 9 * 3600)
                            << u"2024-01-02T03:04:05.001Z"_s;
}

void TestOciJsonConfig::formatRfc3339()
{
    QFETCH(QDateTime, time);
    QFETCH(QString, expected);
    QCOMPARE(porthole::formatRfc3339(time), expected);
    QCOMPARE(*parseRfc3339(expected), time.toUTC());
}

QTEST_GUILESS_MAIN(TestOciJsonConfig)
#include "tst_ocijsonconfig.moc"
