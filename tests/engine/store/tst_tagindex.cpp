// TagIndex is the only place names live: a name must move as a whole, an
// image must not vanish with its last name unless asked, and whatever another
// tool wrote into index.json must survive our edits.
#include "store/tagindex.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace porthole;
using namespace porthole::store;

namespace {

const QString kManifestType = QStringLiteral("application/vnd.oci.image.manifest.v1+json");

Digest digestOf(const char *seed) { return Sha256::of(QByteArray(seed)); }

QJsonObject descriptorFor(const Digest &d, qint64 size = 123)
{
    return QJsonObject{{QStringLiteral("mediaType"), kManifestType},
                       {QStringLiteral("digest"), d.toString()},
                       {QStringLiteral("size"), double(size)}};
}

// Entries of one image, as "name" or "<untagged>", sorted.
QStringList entryNames(const TagIndex &index, const Digest &d)
{
    QStringList out;
    for (const IndexEntry &e : index.entriesFor(d))
        out.append(e.refName().isEmpty() ? QStringLiteral("<untagged>") : e.refName());
    out.sort();
    return out;
}

TagIndex reparsed(const TagIndex &index)
{
    auto again = TagIndex::parse(index.toJson());
    if (!again)
        qFatal("toJson produced an unparsable index: %s", qPrintable(again.error().message));
    return *again;
}

} // namespace

class TestTagIndex : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void emptyIsValidOciIndex();
    void setTagOnEmpty();
    void setTagMovesName_data();
    void setTagMovesName();
    void setTagReplacesUntaggedEntry();
    void setTagSameNameTwice();
    void setTagReplacesDuplicateNames();
    void removeTag_data();
    void removeTag();
    void removeUnknownTag();
    void addUntaggedIdempotent();
    void removeImageRemovesAllEntries();
    void unknownFieldsAndForeignEntriesKept();
    void invalidIndex_data();
    void invalidIndex();
};

void TestTagIndex::emptyIsValidOciIndex()
{
    // Some tools write an index without the list: that is an empty index.
    auto bare = TagIndex::parse(R"({"schemaVersion":2})");
    QVERIFY(bare);
    QVERIFY(bare->entries().isEmpty());
    QVERIFY(QJsonDocument::fromJson(bare->toJson()).object().value(QStringLiteral("manifests")).isArray());

    const QJsonObject doc = QJsonDocument::fromJson(TagIndex::empty().toJson()).object();
    QCOMPARE(doc.value(QStringLiteral("schemaVersion")).toInt(), 2);
    QCOMPARE(doc.value(QStringLiteral("mediaType")).toString(), QStringLiteral("application/vnd.oci.image.index.v1+json"));
    QVERIFY(doc.value(QStringLiteral("manifests")).isArray());
    QVERIFY(reparsed(TagIndex::empty()).entries().isEmpty());
}

void TestTagIndex::setTagOnEmpty()
{
    const Digest a = digestOf("a");
    TagIndex index = TagIndex::empty();
    index.setTag(QStringLiteral("localhost/x:1"), descriptorFor(a, 77));
    const TagIndex back = reparsed(index);
    QCOMPARE(back.entries().size(), 1);
    const auto found = back.findTag(QStringLiteral("localhost/x:1"));
    QVERIFY(found);
    QCOMPARE(found->digest(), a);
    QCOMPARE(found->size(), 77);
    QCOMPARE(found->mediaType(), kManifestType);
    // skopeo looks the name up in exactly this annotation.
    QCOMPARE(found->descriptor.value(QStringLiteral("annotations")).toObject().value(QLatin1String(kRefNameAnnotation)).toString(),
             QStringLiteral("localhost/x:1"));
    QVERIFY(!back.findTag(QStringLiteral("localhost/x:2")));
}

void TestTagIndex::setTagMovesName_data()
{
    QTest::addColumn<QStringList>("otherNamesOfOld");
    QTest::addColumn<QStringList>("expectedOld");

    QTest::newRow("old image had only this name") << QStringList{} << QStringList{QStringLiteral("<untagged>")};
    QTest::newRow("old image has another name") << QStringList{QStringLiteral("localhost/o:1")}
                                                << QStringList{QStringLiteral("localhost/o:1")};
    QTest::newRow("old image has two other names")
        << QStringList{QStringLiteral("localhost/o:1"), QStringLiteral("localhost/o:2")}
        << QStringList{QStringLiteral("localhost/o:1"), QStringLiteral("localhost/o:2")};
}

void TestTagIndex::setTagMovesName()
{
    QFETCH(QStringList, otherNamesOfOld);
    QFETCH(QStringList, expectedOld);
    const Digest oldImage = digestOf("old"), newImage = digestOf("new");
    const QString name = QStringLiteral("localhost/x:latest");

    TagIndex index = TagIndex::empty();
    index.setTag(name, descriptorFor(oldImage));
    for (const QString &other : otherNamesOfOld)
        index.setTag(other, descriptorFor(oldImage));
    index.setTag(name, descriptorFor(newImage));

    const TagIndex back = reparsed(index);
    QCOMPARE(back.findTag(name)->digest(), newImage);
    QCOMPARE(entryNames(back, newImage), QStringList{name});
    QCOMPARE(entryNames(back, oldImage), expectedOld);
    QVERIFY(!back.tagsFor(oldImage).contains(name));
}

void TestTagIndex::setTagReplacesUntaggedEntry()
{
    const Digest a = digestOf("a");
    TagIndex index = TagIndex::empty();
    index.addUntagged(descriptorFor(a));
    QCOMPARE(entryNames(index, a), QStringList{QStringLiteral("<untagged>")});
    index.setTag(QStringLiteral("localhost/x:1"), descriptorFor(a));
    QCOMPARE(entryNames(reparsed(index), a), QStringList{QStringLiteral("localhost/x:1")});
}

void TestTagIndex::setTagSameNameTwice()
{
    const Digest a = digestOf("a");
    TagIndex index = TagIndex::empty();
    index.setTag(QStringLiteral("localhost/x:1"), descriptorFor(a));
    index.setTag(QStringLiteral("localhost/x:1"), descriptorFor(a));
    QCOMPARE(reparsed(index).entries().size(), 1);
    QCOMPARE(entryNames(index, a), QStringList{QStringLiteral("localhost/x:1")});
}

void TestTagIndex::setTagReplacesDuplicateNames()
{
    // Another tool may leave one name on two entries; after we set the name
    // it must mean our image only, and each old image keeps an entry.
    const Digest a = digestOf("a"), b = digestOf("b"), c = digestOf("c");
    QJsonObject ea = descriptorFor(a), eb = descriptorFor(b);
    const QJsonObject ann{{QLatin1String(kRefNameAnnotation), QStringLiteral("localhost/x:1")}};
    ea.insert(QStringLiteral("annotations"), ann);
    eb.insert(QStringLiteral("annotations"), ann);
    const QJsonObject doc{{QStringLiteral("schemaVersion"), 2}, {QStringLiteral("manifests"), QJsonArray{ea, eb}}};
    auto index = TagIndex::parse(QJsonDocument(doc).toJson());
    QVERIFY(index);
    index->setTag(QStringLiteral("localhost/x:1"), descriptorFor(c));
    const TagIndex back = reparsed(*index);
    QCOMPARE(back.findTag(QStringLiteral("localhost/x:1"))->digest(), c);
    QCOMPARE(entryNames(back, a), QStringList{QStringLiteral("<untagged>")});
    QCOMPARE(entryNames(back, b), QStringList{QStringLiteral("<untagged>")});

    QVERIFY(index->removeTag(QStringLiteral("localhost/x:1"), false));
    QVERIFY(!index->findTag(QStringLiteral("localhost/x:1")));
}

void TestTagIndex::removeTag_data()
{
    QTest::addColumn<bool>("hasOtherName");
    QTest::addColumn<bool>("keepUntagged");
    QTest::addColumn<QStringList>("expected");

    const QString other = QStringLiteral("localhost/x:2");
    QTest::newRow("last name, keep") << false << true << QStringList{QStringLiteral("<untagged>")};
    QTest::newRow("last name, drop") << false << false << QStringList{};
    QTest::newRow("other name, keep") << true << true << QStringList{other};
    QTest::newRow("other name, drop") << true << false << QStringList{other};
}

void TestTagIndex::removeTag()
{
    QFETCH(bool, hasOtherName);
    QFETCH(bool, keepUntagged);
    QFETCH(QStringList, expected);
    const Digest a = digestOf("a"), bystander = digestOf("b");
    TagIndex index = TagIndex::empty();
    index.setTag(QStringLiteral("localhost/x:1"), descriptorFor(a));
    if (hasOtherName)
        index.setTag(QStringLiteral("localhost/x:2"), descriptorFor(a));
    index.setTag(QStringLiteral("localhost/y:1"), descriptorFor(bystander));

    QVERIFY(index.removeTag(QStringLiteral("localhost/x:1"), keepUntagged));
    const TagIndex back = reparsed(index);
    QVERIFY(!back.findTag(QStringLiteral("localhost/x:1")));
    QCOMPARE(entryNames(back, a), expected);
    QCOMPARE(back.contains(a), !expected.isEmpty());
    QCOMPARE(entryNames(back, bystander), QStringList{QStringLiteral("localhost/y:1")});
}

void TestTagIndex::removeUnknownTag()
{
    TagIndex index = TagIndex::empty();
    index.addUntagged(descriptorFor(digestOf("a")));
    const QByteArray before = index.toJson();
    QVERIFY(!index.removeTag(QStringLiteral("localhost/none:1"), true));
    QVERIFY(!index.removeTag(QStringLiteral("localhost/none:1"), false));
    QCOMPARE(index.toJson(), before);
}

void TestTagIndex::addUntaggedIdempotent()
{
    const Digest a = digestOf("a"), b = digestOf("b");
    TagIndex index = TagIndex::empty();
    index.addUntagged(descriptorFor(a));
    index.addUntagged(descriptorFor(a));
    QCOMPARE(index.entries().size(), 1);
    // A tagged image is already in the index: no untagged twin appears.
    index.setTag(QStringLiteral("localhost/b:1"), descriptorFor(b));
    index.addUntagged(descriptorFor(b));
    QCOMPARE(entryNames(reparsed(index), b), QStringList{QStringLiteral("localhost/b:1")});
    QCOMPARE(index.entries().size(), 2);
    // A name annotation on the descriptor given is not a way to tag.
    QJsonObject named = descriptorFor(digestOf("c"));
    named.insert(QStringLiteral("annotations"), QJsonObject{{QLatin1String(kRefNameAnnotation), QStringLiteral("localhost/c:1")}});
    index.addUntagged(named);
    QVERIFY(!index.findTag(QStringLiteral("localhost/c:1")));
    QCOMPARE(entryNames(index, digestOf("c")), QStringList{QStringLiteral("<untagged>")});
}

void TestTagIndex::removeImageRemovesAllEntries()
{
    const Digest a = digestOf("a"), b = digestOf("b");
    TagIndex index = TagIndex::empty();
    index.setTag(QStringLiteral("localhost/a:1"), descriptorFor(a));
    index.setTag(QStringLiteral("localhost/a:2"), descriptorFor(a));
    index.setTag(QStringLiteral("localhost/b:1"), descriptorFor(b));
    index.removeImage(a);
    QVERIFY(!index.contains(a));
    QCOMPARE(index.digests(), QSet<Digest>{b});
}

void TestTagIndex::unknownFieldsAndForeignEntriesKept()
{
    const Digest ours = digestOf("ours"), foreign = digestOf("foreign"), moved = digestOf("moved");
    const QByteArray json = QStringLiteral(R"({
      "schemaVersion": 2,
      "mediaType": "application/vnd.oci.image.index.v1+json",
      "annotations": {"com.example.owner": "someone"},
      "x-vendor": {"keep": [1, 2, 3]},
      "manifests": [
        {"mediaType": "application/vnd.example.artifact.v1+json", "digest": "%1", "size": 9,
         "artifactType": "application/vnd.example.sbom",
         "annotations": {"org.opencontainers.image.ref.name": "1.0", "com.example.note": "theirs"}},
        {"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": "%2", "size": 5,
         "platform": {"os": "linux", "architecture": "arm64"},
         "annotations": {"org.opencontainers.image.ref.name": "localhost/x:1", "com.example.build": "42"}}
      ]})")
                                .arg(foreign.toString(), moved.toString())
                                .toUtf8();
    auto parsed = TagIndex::parse(json);
    QVERIFY2(parsed, qPrintable(parsed ? QString() : parsed.error().message));
    TagIndex index = *parsed;
    index.setTag(QStringLiteral("localhost/x:1"), descriptorFor(ours)); // moves the name off `moved`
    index.setTag(QStringLiteral("localhost/y:1"), descriptorFor(ours));
    QVERIFY(index.removeTag(QStringLiteral("localhost/y:1"), true));
    index.addUntagged(descriptorFor(digestOf("dangling")));

    const QJsonObject doc = QJsonDocument::fromJson(index.toJson()).object();
    QCOMPARE(doc.value(QStringLiteral("annotations")).toObject().value(QStringLiteral("com.example.owner")).toString(),
             QStringLiteral("someone"));
    QCOMPARE(doc.value(QStringLiteral("x-vendor")).toObject().value(QStringLiteral("keep")).toArray(), (QJsonArray{1, 2, 3}));

    const TagIndex back = reparsed(index);
    const QList<IndexEntry> theirs = back.entriesFor(foreign);
    QCOMPARE(theirs.size(), 1);
    QCOMPARE(theirs[0].refName(), QStringLiteral("1.0"));
    QCOMPARE(theirs[0].descriptor.value(QStringLiteral("artifactType")).toString(), QStringLiteral("application/vnd.example.sbom"));
    QCOMPARE(theirs[0].descriptor.value(QStringLiteral("annotations")).toObject().value(QStringLiteral("com.example.note")).toString(),
             QStringLiteral("theirs"));

    // The image that lost its name keeps its platform and other annotations.
    const QList<IndexEntry> old = back.entriesFor(moved);
    QCOMPARE(old.size(), 1);
    QVERIFY(old[0].refName().isEmpty());
    QCOMPARE(old[0].descriptor.value(QStringLiteral("platform")).toObject().value(QStringLiteral("architecture")).toString(),
             QStringLiteral("arm64"));
    QCOMPARE(old[0].descriptor.value(QStringLiteral("annotations")).toObject().value(QStringLiteral("com.example.build")).toString(),
             QStringLiteral("42"));
    QCOMPARE(entryNames(back, ours), QStringList{QStringLiteral("localhost/x:1")});
    QCOMPARE(back.entries().size(), 4);
}

void TestTagIndex::invalidIndex_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("expected"); // part of the message

    const QByteArray head = R"({"schemaVersion":2,"manifests":[)";
    QTest::newRow("not json") << QByteArray("{\"schemaVersion\": 2,") << "not a JSON object";
    QTest::newRow("array") << QByteArray("[]") << "not a JSON object";
    QTest::newRow("empty file") << QByteArray() << "not a JSON object";
    QTest::newRow("short digest") << head + R"({"digest":"sha256:abc","size":1}]})" << "sha256:abc";
    QTest::newRow("upper-case digest")
        << head + R"({"digest":"sha256:)" + QByteArray(64, 'A') + R"(","size":1}]})" << "invalid digest";
    QTest::newRow("path in digest")
        << head + R"({"digest":"sha256:../../../../etc/passwd","size":1}]})" << "../../../../etc/passwd";
    QTest::newRow("missing digest") << head + R"({"size":1}]})" << "invalid digest";
    QTest::newRow("entry not an object") << head + R"("sha256:x"]})" << "invalid digest";
    QTest::newRow("manifests an object") << QByteArray(R"({"schemaVersion":2,"manifests":{"a":1}})") << "not an array";
    QTest::newRow("manifests null") << QByteArray(R"({"schemaVersion":2,"manifests":null})") << "not an array";
}

void TestTagIndex::invalidIndex()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, expected);
    const auto index = TagIndex::parse(json);
    QVERIFY(!index);
    QCOMPARE(index.error().code, ErrorCode::Io);
    QVERIFY2(index.error().message.contains(expected), qPrintable(index.error().message));
    QVERIFY(index.error().message.startsWith(QStringLiteral("read index.json")));
}

QTEST_GUILESS_MAIN(TestTagIndex)
#include "tst_tagindex.moc"
