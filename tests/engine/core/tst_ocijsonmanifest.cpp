// Image JSON documents: descriptors, Docker schema 2 and OCI manifests and
// indexes parse, validate and round-trip without losing unknown fields, and
// what is written is compact and deterministic. Image configs and their
// times are tst_ocijsonconfig.
#include "core/descriptor.h"
#include "core/imageconfig.h"
#include "core/imageindex.h"
#include "core/jsonobject.h"
#include "core/manifest.h"
#include "core/mediatypes.h"
#include "support/ocijsontestsupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace porthole;
using namespace porthole::test;
using namespace Qt::StringLiterals;

// Declared before the JSON fixtures: moc's lexer misreads some raw strings.
class TestOciJsonManifest : public QObject {
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
    void outputIsCompactAndDeterministic();
};

namespace {

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

} // namespace

void TestOciJsonManifest::mediaTypePredicates()
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

void TestOciJsonManifest::descriptorRoundTripKeepsUnknown()
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

void TestOciJsonManifest::descriptorValidation_data()
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

void TestOciJsonManifest::descriptorValidation()
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

void TestOciJsonManifest::dockerManifest()
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

void TestOciJsonManifest::ociManifestKeepsUnknownAcrossEdit()
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

void TestOciJsonManifest::manifestErrors_data()
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

void TestOciJsonManifest::manifestErrors()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, error);
    auto m = Manifest::parse(json);
    QVERIFY(!m);
    QCOMPARE(m.error().code, ErrorCode::InvalidArgument);
    QVERIFY2(m.error().message.startsWith(u"parse image manifest: "_s), qPrintable(m.error().message));
    QVERIFY2(m.error().message.contains(error), qPrintable(m.error().message));
}

void TestOciJsonManifest::dockerManifestList()
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

void TestOciJsonManifest::ociIndexRoundTrip()
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

void TestOciJsonManifest::indexErrors_data()
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

void TestOciJsonManifest::indexErrors()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, error);
    auto idx = ImageIndex::parse(json);
    QVERIFY(!idx);
    QVERIFY2(idx.error().message.startsWith(u"parse image index: "_s), qPrintable(idx.error().message));
    QVERIFY2(idx.error().message.contains(error), qPrintable(idx.error().message));
}

void TestOciJsonManifest::outputIsCompactAndDeterministic()
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

QTEST_GUILESS_MAIN(TestOciJsonManifest)
#include "tst_ocijsonmanifest.moc"
