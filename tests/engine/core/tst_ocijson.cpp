// Image JSON documents: Docker schema 2 and OCI manifests, indexes and
// configs parse, validate and round-trip without losing unknown fields.
#include "core/descriptor.h"
#include "core/imageconfig.h"
#include "core/imageindex.h"
#include "core/jsonobject.h"
#include "core/manifest.h"
#include "core/mediatypes.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace porthole;
using namespace Qt::StringLiterals;

// Declared before the JSON fixtures: moc's lexer misreads some raw strings.
class TestOciJson : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void mediaTypePredicates();
    void descriptorRoundTripKeepsUnknown();
    void descriptorValidation_data();
    void descriptorValidation();
    void dockerManifest();
    void ociManifestKeepsUnknownAcrossEdit();
    void manifestErrors_data();
    void manifestErrors();
    void dockerManifestList();
    void ociIndexRoundTrip();
    void indexErrors_data();
    void indexErrors();
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
    void outputIsCompactAndDeterministic();
};

namespace {

const QString kConfig = u"sha256:b79606fb3afea5bd1609ed40b622142f1c98125abcfe89a76a661b0e8e343910"_s;
const QString kLayer1 = u"sha256:77ea7eee3d80b1a38f83906dd3048e2689457eb90e18a7d12f839c5ae37106a2"_s;
const QString kLayer2 = u"sha256:95cf1a2e1698fe3ca1fcc3f653119146b271d0b62e487ec264441e886a11bd06"_s;
const QString kAmd64 = u"sha256:5861314d7fccb39c2192173240eab44fa35ca66426201ca2acd0630a6258dd51"_s;
const QString kArm64 = u"sha256:f69162950f235e3cdbbad33f1f912d1a504be90d8a37d002c735d6f3e3882265"_s;
const QString kDiff1 = u"sha256:0697c0f434f8672811eb1b52d443d0d4cb616fa58e4d10b25e91471b7f45a665"_s;
const QString kDiff2 = u"sha256:a9485d17c39b521f9de31b558df98f81dd72a9c7498f57f27b74356ea150fbd9"_s;

// Placeholders @C @L1 @L2 @A @R @D1 @D2 keep the fixtures readable.
QByteArray fixture(const char *text)
{
    QString s = QString::fromUtf8(text);
    s.replace(u"@C"_s, kConfig).replace(u"@L1"_s, kLayer1).replace(u"@L2"_s, kLayer2);
    s.replace(u"@A"_s, kAmd64).replace(u"@R"_s, kArm64).replace(u"@D1"_s, kDiff1).replace(u"@D2"_s, kDiff2);
    return s.toUtf8();
}

QJsonObject object(const QByteArray &json)
{
    return QJsonDocument::fromJson(json).object();
}

// Compares as compact sorted JSON so a failure prints both documents.
#define COMPARE_JSON(actual, expected) QCOMPARE(json::compact(actual), json::compact(expected))

const char *kDockerManifest = R"({
  "schemaVersion": 2,
  "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
  "config": {"mediaType": "application/vnd.docker.container.image.v1+json", "size": 7023, "digest": "@C"},
  "layers": [
    {"mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip", "size": 32654, "digest": "@L1"},
    {"mediaType": "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip", "size": 1612068, "digest": "@L2",
     "urls": ["https://mcr.example.com/l2"]}
  ]
})";

const char *kOciManifest = R"({
  "schemaVersion": 2,
  "mediaType": "application/vnd.oci.image.manifest.v1+json",
  "artifactType": "application/vnd.example+type",
  "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "size": 1470, "digest": "@C",
             "data": "e30=", "x-config-extra": {"nested": [1, 2, {"deep": true}]}},
  "layers": [
    {"mediaType": "application/vnd.oci.image.layer.v1.tar+zstd", "size": 9007199254740993, "digest": "@L1",
     "annotations": {"org.opencontainers.image.title": "layer.tar.zst"}}
  ],
  "subject": {"mediaType": "application/vnd.oci.image.manifest.v1+json", "size": 7682, "digest": "@L2"},
  "annotations": {"org.opencontainers.image.created": "2024-05-01T00:00:00Z"},
  "x-vendor": {"a": [null, 1.5, "s"], "b": {"c": {}}}
})";

const char *kDockerList = R"({
  "schemaVersion": 2,
  "mediaType": "application/vnd.docker.distribution.manifest.list.v2+json",
  "manifests": [
    {"mediaType": "application/vnd.docker.distribution.manifest.v2+json", "size": 7143, "digest": "@A",
     "platform": {"architecture": "amd64", "os": "linux", "features": ["sse4"]}},
    {"mediaType": "application/vnd.docker.distribution.manifest.v2+json", "size": 7682, "digest": "@R",
     "platform": {"architecture": "arm64", "os": "linux", "variant": "v8"}}
  ]
})";

const char *kOciIndex = R"({
  "schemaVersion": 2,
  "mediaType": "application/vnd.oci.image.index.v1+json",
  "manifests": [
    {"mediaType": "application/vnd.oci.image.manifest.v1+json", "size": 1000, "digest": "@A",
     "platform": {"architecture": "amd64", "os": "windows", "os.version": "10.0.17763.1",
                  "os.features": ["win32k"]},
     "annotations": {"io.containerd.image.name": "docker.io/library/x:1"}},
    {"mediaType": "application/vnd.oci.image.manifest.v1+json", "size": 566, "digest": "@R",
     "artifactType": "application/vnd.example.sbom"}
  ],
  "annotations": {"org.opencontainers.image.ref.name": "1"},
  "subject": {"mediaType": "application/vnd.oci.image.manifest.v1+json", "size": 1, "digest": "@L1"}
})";

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


void TestOciJson::mediaTypePredicates()
{
    using namespace mediatype;
    QVERIFY(isManifestType(OciManifest) && isManifestType(DockerManifest));
    QVERIFY(!isManifestType(OciIndex) && !isManifestType(DockerSchema1Signed));
    QVERIFY(isIndexType(OciIndex) && isIndexType(DockerManifestList) && !isIndexType(DockerManifest));
    QVERIFY(isConfigType(OciConfig) && isConfigType(DockerConfig) && !isConfigType(OciLayerTar));
    for (QLatin1StringView t : {OciLayerTar, OciLayerGzip, OciLayerZstd, DockerLayerGzip, DockerForeignLayer})
        QVERIFY2(isLayerType(t), qPrintable(QString(t)));
    QVERIFY(!isLayerType(OciConfig) && !isLayerType(u"application/octet-stream"));
    QVERIFY(isSchema1Type(DockerSchema1) && isSchema1Type(DockerSchema1Signed) && !isSchema1Type(DockerManifest));
    QVERIFY(isNondistributableLayerType(DockerForeignLayer) && !isNondistributableLayerType(OciLayerGzip));
    QVERIFY(isManifestType(QString(u"application/vnd.oci.image.manifest.v1+json"_s)));
}

void TestOciJson::descriptorRoundTripKeepsUnknown()
{
    const QJsonObject in = object(fixture(R"({"mediaType": "application/vnd.oci.image.manifest.v1+json",
        "digest": "@A", "size": 12, "urls": ["https://a/b"], "annotations": {"k": "v"}, "data": "e30=",
        "artifactType": "x/y", "platform": {"os": "linux", "architecture": "arm", "variant": "v7",
        "features": ["f"]}})"));
    auto d = Descriptor::fromJson(in);
    QVERIFY2(d, qPrintable(d.ok() ? QString() : d.error().message));
    QCOMPARE(d->digest.toString(), kAmd64);
    QCOMPARE(d->size, 12);
    QCOMPARE(d->urls, QStringList{u"https://a/b"_s});
    QCOMPARE(d->annotations.value(u"k"_s), u"v"_s);
    QVERIFY(d->platform);
    QCOMPARE(d->platform->variant, u"v7"_s);
    QVERIFY(d->unknown.contains(u"data"_s) && d->unknown.contains(u"artifactType"_s));
    QVERIFY(!d->unknown.contains(u"digest"_s));
    QVERIFY(d->platform->unknown.contains(u"features"_s));
    COMPARE_JSON(d->toJson(), in);
}

void TestOciJson::descriptorValidation_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("error"); // empty: must parse

    QTest::newRow("ok minimal") << fixture(R"({"digest":"@A","size":0})") << QString();
    QTest::newRow("missing digest") << QByteArray(R"({"size":1})") << u"\"d.digest\" is required"_s;
    QTest::newRow("upper-case hex") << fixture(R"({"digest":"@A","size":1})").replace("5861314d", "5861314D")
                                    << u"\"d.digest\" is not valid"_s;
    QTest::newRow("sha512") << QByteArray(R"({"digest":"sha512:abcd","size":1})") << u"unsupported algorithm"_s;
    QTest::newRow("short hex") << QByteArray(R"({"digest":"sha256:abcd","size":1})") << u"64 hex digits"_s;
    QTest::newRow("missing size") << fixture(R"({"digest":"@A"})") << u"\"d.size\" is required"_s;
    QTest::newRow("negative size") << fixture(R"({"digest":"@A","size":-1})") << u"must not be negative"_s;
    QTest::newRow("fractional size") << fixture(R"({"digest":"@A","size":1.5})") << u"whole number"_s;
    QTest::newRow("string size") << fixture(R"({"digest":"@A","size":"1"})") << u"must be an integer, not a string"_s;
    QTest::newRow("urls not strings") << fixture(R"({"digest":"@A","size":1,"urls":[1]})") << u"\"d.urls[0]\""_s;
    QTest::newRow("annotation not string") << fixture(R"({"digest":"@A","size":1,"annotations":{"a":1}})")
                                           << u"\"d.annotations.a\" must be a string"_s;
    QTest::newRow("platform not object") << fixture(R"({"digest":"@A","size":1,"platform":"linux"})")
                                         << u"\"d.platform\" must be an object"_s;
    QTest::newRow("platform os number") << fixture(R"({"digest":"@A","size":1,"platform":{"os":1}})")
                                        << u"\"d.platform.os\" must be a string"_s;
}

void TestOciJson::descriptorValidation()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, error);
    auto d = Descriptor::fromJson(object(json), u"d"_s);
    if (error.isEmpty()) {
        QVERIFY2(d, qPrintable(d.ok() ? QString() : d.error().message));
        return;
    }
    QVERIFY(!d);
    QCOMPARE(d.error().code, ErrorCode::InvalidArgument);
    QVERIFY2(d.error().message.contains(error), qPrintable(d.error().message));
}

void TestOciJson::dockerManifest()
{
    const QByteArray bytes = fixture(kDockerManifest);
    auto m = Manifest::parse(bytes);
    QVERIFY2(m, qPrintable(m.ok() ? QString() : m.error().message));
    QVERIFY(m->isDocker());
    QCOMPARE(m->schemaVersion, 2);
    QCOMPARE(m->config.mediaType, QString(mediatype::DockerConfig));
    QCOMPARE(m->config.digest.toString(), kConfig);
    QCOMPARE(m->config.size, 7023);
    QCOMPARE(m->layers.size(), 2);
    QCOMPARE(m->layers[0].size, 32654);
    QCOMPARE(m->layers[1].mediaType, QString(mediatype::DockerForeignLayer));
    QCOMPARE(m->layers[1].urls, QStringList{u"https://mcr.example.com/l2"_s});
    QVERIFY(m->unknown.isEmpty());
    COMPARE_JSON(m->toJsonObject(), object(bytes));

    auto again = Manifest::parse(m->toJson());
    QVERIFY(again);
    QCOMPARE(*again, *m);
}

void TestOciJson::ociManifestKeepsUnknownAcrossEdit()
{
    const QByteArray bytes = fixture(kOciManifest);
    auto m = Manifest::parse(bytes);
    QVERIFY2(m, qPrintable(m.ok() ? QString() : m.error().message));
    QVERIFY(!m->isDocker());
    // 2^53 + 1 is not representable as a double; sizes must stay exact.
    QCOMPARE(m->layers[0].size, Q_INT64_C(9007199254740993));
    QCOMPARE(m->annotations.value(u"org.opencontainers.image.created"_s), u"2024-05-01T00:00:00Z"_s);
    QVERIFY(m->unknown.contains(u"subject"_s) && m->unknown.contains(u"artifactType"_s));
    COMPARE_JSON(m->toJsonObject(), object(bytes));
    QVERIFY(m->toJson().contains("9007199254740993"));

    // Edit typed fields; everything unknown, top level and nested, survives.
    Descriptor extra;
    extra.mediaType = mediatype::OciLayerGzip;
    extra.digest = *Digest::parse(kLayer2);
    extra.size = 5;
    m->layers.append(extra);
    m->annotations.insert(u"x"_s, u"y"_s);
    const QJsonObject out = object(m->toJson());
    QJsonObject expected = object(bytes);
    QJsonArray layers = expected.value(u"layers").toArray();
    layers.append(QJsonObject{{u"mediaType"_s, QString(mediatype::OciLayerGzip)}, {u"digest"_s, kLayer2}, {u"size"_s, 5}});
    expected.insert(u"layers"_s, layers);
    QJsonObject ann = expected.value(u"annotations").toObject();
    ann.insert(u"x"_s, u"y"_s);
    expected.insert(u"annotations"_s, ann);
    COMPARE_JSON(out, expected);
    QCOMPARE(out.value(u"config").toObject().value(u"x-config-extra").toObject().value(u"nested").toArray().at(2)
                 .toObject().value(u"deep").toBool(),
             true);
}

void TestOciJson::manifestErrors_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("error");

    const QByteArray ok = fixture(kDockerManifest);
    auto with = [&](const QString &key, const QJsonValue &v) {
        QJsonObject o = object(ok);
        if (v.isUndefined())
            o.remove(key);
        else
            o.insert(key, v);
        return json::compact(o);
    };
    QTest::newRow("not json") << QByteArray("{\"schemaVersion\": 2,") << u"JSON"_s;
    QTest::newRow("array") << QByteArray("[]") << u"not a JSON object"_s;
    QTest::newRow("empty") << QByteArray() << u"parse image manifest"_s;
    QTest::newRow("schema1 by version") << with(u"mediaType"_s, QJsonValue::Undefined).replace("\"schemaVersion\":2", "\"schemaVersion\":1")
                                        << u"schema 1"_s;
    QTest::newRow("schema1 signed type") << with(u"mediaType"_s, QString(mediatype::DockerSchema1Signed)) << u"schema 1"_s;
    QTest::newRow("schemaVersion 3") << with(u"schemaVersion"_s, 3) << u"\"schemaVersion\" must be 2, not 3"_s;
    QTest::newRow("schemaVersion string") << with(u"schemaVersion"_s, u"2"_s) << u"must be 2, not \"2\""_s;
    QTest::newRow("no schemaVersion") << with(u"schemaVersion"_s, QJsonValue::Undefined) << u"\"schemaVersion\" is required"_s;
    QTest::newRow("index type") << with(u"mediaType"_s, QString(mediatype::OciIndex)) << u"is an image index"_s;
    QTest::newRow("unknown type") << with(u"mediaType"_s, u"text/plain"_s) << u"unsupported media type \"text/plain\""_s;
    QTest::newRow("index without type") << fixture(kOciIndex).replace("\"mediaType\": \"application/vnd.oci.image.index.v1+json\",", "")
                                        << u"is an image index"_s;
    QTest::newRow("missing config") << with(u"config"_s, QJsonValue::Undefined) << u"\"config\" is required"_s;
    QTest::newRow("config not object") << with(u"config"_s, 5) << u"\"config\" must be an object, not a number"_s;
    QTest::newRow("missing layers") << with(u"layers"_s, QJsonValue::Undefined) << u"\"layers\" is required"_s;
    QTest::newRow("layers not array") << with(u"layers"_s, QJsonObject()) << u"\"layers\" must be an array"_s;
    QTest::newRow("layer not object") << with(u"layers"_s, QJsonArray{1}) << u"\"layers[0]\" must be an object"_s;
    QTest::newRow("bad layer digest") << QByteArray(ok).replace(kLayer2.toUtf8(), "sha256:xyz")
                                      << u"\"layers[1].digest\" is not valid"_s;
    QTest::newRow("bad config digest") << QByteArray(ok).replace(kConfig.toUtf8(), "md5:00")
                                       << u"\"config.digest\" is not valid"_s;
    QTest::newRow("negative layer size") << QByteArray(ok).replace("32654", "-3") << u"\"layers[0].size\" must not be negative"_s;
    QTest::newRow("annotations") << with(u"annotations"_s, QJsonObject{{u"a"_s, true}})
                                 << u"\"annotations.a\" must be a string"_s;
}

void TestOciJson::manifestErrors()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, error);
    auto m = Manifest::parse(json);
    QVERIFY(!m);
    QCOMPARE(m.error().code, ErrorCode::InvalidArgument);
    QVERIFY2(m.error().message.startsWith(u"parse image manifest: "_s), qPrintable(m.error().message));
    QVERIFY2(m.error().message.contains(error), qPrintable(m.error().message));
}

void TestOciJson::dockerManifestList()
{
    const QByteArray bytes = fixture(kDockerList);
    auto idx = ImageIndex::parse(bytes);
    QVERIFY2(idx, qPrintable(idx.ok() ? QString() : idx.error().message));
    QVERIFY(idx->isDocker());
    QCOMPARE(idx->manifests.size(), 2);
    QCOMPARE(idx->manifests[0].platform->architecture, u"amd64"_s);
    QCOMPARE(idx->manifests[0].platform->unknown.value(u"features").toArray().at(0).toString(), u"sse4"_s);
    QCOMPARE(idx->manifests[1].platform->variant, u"v8"_s);
    QCOMPARE(idx->manifests[1].digest.toString(), kArm64);
    COMPARE_JSON(idx->toJsonObject(), object(bytes));
}

void TestOciJson::ociIndexRoundTrip()
{
    const QByteArray bytes = fixture(kOciIndex);
    auto idx = ImageIndex::parse(bytes);
    QVERIFY2(idx, qPrintable(idx.ok() ? QString() : idx.error().message));
    QVERIFY(!idx->isDocker());
    const Platform &p = *idx->manifests[0].platform;
    QCOMPARE(p.os, u"windows"_s);
    QCOMPARE(p.osVersion, u"10.0.17763.1"_s);
    QCOMPARE(p.osFeatures, QStringList{u"win32k"_s});
    QVERIFY(!idx->manifests[1].platform);
    QVERIFY(idx->manifests[1].unknown.contains(u"artifactType"_s));
    QCOMPARE(idx->annotations.value(u"org.opencontainers.image.ref.name"_s), u"1"_s);
    QVERIFY(idx->unknown.contains(u"subject"_s));
    COMPARE_JSON(idx->toJsonObject(), object(bytes));

    idx->manifests.removeFirst();
    const QJsonObject out = object(idx->toJson());
    QCOMPARE(out.value(u"manifests").toArray().size(), 1);
    QVERIFY(out.contains(u"subject"_s));
    QCOMPARE(out.value(u"manifests").toArray().at(0).toObject().value(u"artifactType").toString(),
             u"application/vnd.example.sbom"_s);
}

void TestOciJson::indexErrors_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("error");
    QTest::newRow("manifest type") << fixture(kDockerManifest) << u"is an image manifest"_s;
    QTest::newRow("manifest without type") << fixture(kDockerManifest).replace("\"mediaType\": \"application/vnd.docker.distribution.manifest.v2+json\",", "")
                                           << u"is an image manifest"_s;
    QTest::newRow("no manifests") << QByteArray(R"({"schemaVersion":2})") << u"\"manifests\" is required"_s;
    QTest::newRow("schema 1") << QByteArray(R"({"schemaVersion":1,"manifests":[]})") << u"schema 1"_s;
    QTest::newRow("bad entry size") << fixture(kDockerList).replace("7682", "\"big\"") << u"\"manifests[1].size\""_s;
    QTest::newRow("bad platform") << fixture(kDockerList).replace("\"v8\"", "8") << u"\"manifests[1].platform.variant\""_s;
    QTest::newRow("not object") << QByteArray("\"x\"") << u"JSON"_s;
}

void TestOciJson::indexErrors()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, error);
    auto idx = ImageIndex::parse(json);
    QVERIFY(!idx);
    QVERIFY2(idx.error().message.startsWith(u"parse image index: "_s), qPrintable(idx.error().message));
    QVERIFY2(idx.error().message.contains(error), qPrintable(idx.error().message));
}

void TestOciJson::configRoundTripKeepsUnknown()
{
    const QByteArray bytes = fixture(kDockerConfig);
    auto c = ImageConfig::parse(bytes);
    QVERIFY2(c, qPrintable(c.ok() ? QString() : c.error().message));
    COMPARE_JSON(object(c->toJson()), object(bytes));
}

void TestOciJson::configAccessors()
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

void TestOciJson::configEditKeepsUnknown()
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

void TestOciJson::configFromScratch()
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

void TestOciJson::configErrors_data()
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

void TestOciJson::configErrors()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, error);
    auto c = ImageConfig::parse(json);
    QVERIFY(!c);
    QCOMPARE(c.error().code, ErrorCode::InvalidArgument);
    QVERIFY2(c.error().message.startsWith(u"parse image config: "_s), qPrintable(c.error().message));
    QVERIFY2(c.error().message.contains(error), qPrintable(c.error().message));
}

void TestOciJson::rfc3339_data()
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

void TestOciJson::rfc3339()
{
    QFETCH(QString, text);
    QFETCH(QDateTime, expected);
    const auto t = parseRfc3339(text);
    QCOMPARE(t.has_value(), expected.isValid());
    if (t)
        QCOMPARE(*t, expected);
}

void TestOciJson::formatRfc3339_data()
{
    QTest::addColumn<QDateTime>("time");
    QTest::addColumn<QString>("expected");
    QTest::newRow("whole") << QDateTime(QDate(2024, 1, 2), QTime(3, 4, 5), Qt::UTC) << u"2024-01-02T03:04:05Z"_s;
    QTest::newRow("trim zeros") << QDateTime(QDate(2024, 1, 2), QTime(3, 4, 5, 120), Qt::UTC)
                                << u"2024-01-02T03:04:05.12Z"_s;
    QTest::newRow("to utc") << QDateTime(QDate(2024, 1, 2), QTime(12, 4, 5, 1), Qt::OffsetFromUTC, 9 * 3600)
                            << u"2024-01-02T03:04:05.001Z"_s;
}

void TestOciJson::formatRfc3339()
{
    QFETCH(QDateTime, time);
    QFETCH(QString, expected);
    QCOMPARE(porthole::formatRfc3339(time), expected);
    QCOMPARE(*parseRfc3339(expected), time.toUTC());
}

void TestOciJson::outputIsCompactAndDeterministic()
{
    // The same content in a different key order and layout gives the same bytes.
    const QByteArray a = fixture(R"({"schemaVersion":2,"config":{"size":1,"digest":"@C"},"layers":[]})");
    const QByteArray b = fixture("{\n  \"layers\" : [ ],\n  \"config\" : { \"digest\" : \"@C\", \"size\" : 1 },\n"
                                 "  \"schemaVersion\" : 2\n}");
    auto ma = Manifest::parse(a);
    auto mb = Manifest::parse(b);
    QVERIFY(ma && mb);
    QCOMPARE(ma->toJson(), mb->toJson());
    QCOMPARE(ma->toJson(), fixture(R"({"config":{"digest":"@C","size":1},"layers":[],"schemaVersion":2})"));

    auto ca = ImageConfig::parse(R"({"os":"linux","architecture":"amd64","config":{"Env":["A=1"],"Cmd":null}})");
    auto cb = ImageConfig::parse("{ \"config\": { \"Cmd\": null, \"Env\": [ \"A=1\" ] },\n\"architecture\": \"amd64\", \"os\": \"linux\" }");
    QVERIFY(ca && cb);
    QCOMPARE(ca->toJson(), cb->toJson());
    QVERIFY(!ca->toJson().contains(' ') && !ca->toJson().contains('\n'));
}

QTEST_GUILESS_MAIN(TestOciJson)
#include "tst_ocijson.moc"
