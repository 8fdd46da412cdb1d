// Store: the layout is created exactly once, crashed writers' litter goes on
// open, index edits are all-or-nothing and never lost, and chain IDs match
// the OCI definition. Garbage collection is in tst_storegc.cpp.
#include "store/fsutil.h"
#include "store/store.h"

#include <QCryptographicHash>
#include <QDir>
#include <QJsonDocument>
#include <QTemporaryDir>

#include "support/testsupport.h"
#include <QTest>

#include <thread>

using namespace porthole;
using namespace porthole::store;

namespace {

// The OCI definition computed with Qt's hash, independent of the engine's.
QString expectedChainId(const QStringList &diffIds)
{
    QString chain = diffIds.first();
    for (qsizetype i = 1; i < diffIds.size(); ++i)
        chain = QStringLiteral("sha256:")
            + QString::fromLatin1(QCryptographicHash::hash((chain + u' ' + diffIds[i]).toLatin1(), QCryptographicHash::Sha256).toHex());
    return chain;
}

Status tag(Store &store, const QString &name, const Digest &manifest)
{
    return store.editIndex([&](TagIndex &index) {
        index.setTag(name, {{QStringLiteral("mediaType"), QStringLiteral("application/vnd.oci.image.manifest.v1+json")},
                            {QStringLiteral("digest"), manifest.toString()},
                            {QStringLiteral("size"), 100}});
        return Status();
    });
}

using porthole::test::dirEntries;

bool touch(const QString &path, const QByteArray &data = "x") { return porthole::test::writeFile(path, data); }

} // namespace

class TestStore : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void openCreatesLayoutOnce();
    void concurrentOpenCreatesOnce();
    void openRejectsEmptyRoot();
    void openRemovesDeadWritersFiles();
    void editIndexKeepsDamagedOrFailedIndex();
    void concurrentEditsAllLand();
    void chainId_data();
    void chainId();
    void layerInfoRoundTrip();
};

void TestStore::openCreatesLayoutOnce()
{
    QTemporaryDir dir;
    const QString root = dir.filePath(QStringLiteral("new/root"));
    auto first = Store::open(root);
    QVERIFY2(first, qPrintable(first ? QString() : first.error().message));
    QVERIFY((*first)->wasCreated());
    QCOMPARE((*first)->root(), root);
    const QJsonObject layout = QJsonDocument::fromJson(readFile(root + QStringLiteral("/oci-layout")).valueOr({})).object();
    QCOMPARE(layout.value(QStringLiteral("imageLayoutVersion")).toString(), QStringLiteral("1.0.0"));
    const QByteArray index = readFile(root + QStringLiteral("/index.json")).valueOr({});
    QCOMPARE(QJsonDocument::fromJson(index).object().value(QStringLiteral("schemaVersion")).toInt(), 2);
    QVERIFY((*first)->readIndex()->entries().isEmpty());
    for (const char *sub : {"blobs/sha256", "ingest", "layerinfo", "layers", "locks"})
        QVERIFY2(QFileInfo(root + u'/' + QLatin1String(sub)).isDir(), sub);

    QVERIFY(tag(**first, QStringLiteral("localhost/x:1"), Sha256::of("m")));
    auto second = Store::open(root);
    QVERIFY(second);
    QVERIFY(!(*second)->wasCreated());
    QVERIFY((*second)->readIndex()->findTag(QStringLiteral("localhost/x:1"))); // not reset
    // A relative root is made absolute, so child processes agree on it.
    QVERIFY(QDir::isAbsolutePath((*Store::open(QDir::current().relativeFilePath(root)))->root()));
}

void TestStore::concurrentOpenCreatesOnce()
{
    for (int round = 0; round < 5; ++round) {
        QTemporaryDir dir;
        constexpr int kThreads = 6;
        std::atomic<int> created{0}, opened{0};
        std::vector<std::thread> threads;
        for (int i = 0; i < kThreads; ++i) {
            threads.emplace_back([&] {
                if (auto s = Store::open(dir.path())) {
                    ++opened;
                    if ((*s)->wasCreated())
                        ++created;
                }
            });
        }
        for (auto &t : threads)
            t.join();
        QCOMPARE(opened.load(), kThreads);
        QCOMPARE(created.load(), 1);
    }
}

void TestStore::openRejectsEmptyRoot()
{
    const auto s = Store::open(QString());
    QVERIFY(!s);
    QCOMPARE(s.error().code, ErrorCode::InvalidArgument);
}

void TestStore::openRemovesDeadWritersFiles()
{
    QTemporaryDir dir;
    QVERIFY(Store::open(dir.path()));
    const QString prefix = QLatin1String(kTempPrefix);
    const QStringList dead{dir.filePath(prefix + QStringLiteral("index")), dir.filePath(QStringLiteral("ingest/") + prefix + QStringLiteral("blob")),
                           dir.filePath(QStringLiteral("layerinfo/") + prefix + QStringLiteral("info"))};
    for (const QString &path : dead)
        QVERIFY(touch(path));
    const auto live = createTempFile(dir.filePath(QStringLiteral("ingest")));
    QVERIFY(live);

    auto again = Store::open(dir.path());
    QVERIFY(again);
    for (const QString &path : dead)
        QVERIFY2(!QFileInfo::exists(path), qPrintable(path));
    QVERIFY(QFileInfo::exists(live->path));
    ::close(live->fd);
}

void TestStore::editIndexKeepsDamagedOrFailedIndex()
{
    QTemporaryDir dir;
    auto store = *Store::open(dir.path());
    QVERIFY(tag(*store, QStringLiteral("localhost/x:1"), Sha256::of("m")));
    const QString indexPath = dir.filePath(QStringLiteral("index.json"));
    const QByteArray good = readFile(indexPath).valueOr({});

    const Status failed = store->editIndex([](TagIndex &index) {
        index.removeTag(QStringLiteral("localhost/x:1"), false);
        return Status(Error(ErrorCode::FailedPrecondition, QStringLiteral("changed my mind")));
    });
    QVERIFY(!failed);
    QCOMPARE(failed.error().message, QStringLiteral("changed my mind"));
    QCOMPARE(readFile(indexPath).valueOr({}), good);

    // A damaged index is an error to report, never something to overwrite.
    const QByteArray damaged = good.left(good.size() / 2);
    QVERIFY(touch(indexPath, damaged));
    QVERIFY(!store->readIndex());
    bool called = false;
    QVERIFY(!store->editIndex([&](TagIndex &) { called = true; return Status(); }));
    QVERIFY(!called);
    QCOMPARE(readFile(indexPath).valueOr({}), damaged);
    auto reopened = Store::open(dir.path());
    QVERIFY(reopened);
    QVERIFY(!(*reopened)->wasCreated());
    QCOMPARE(readFile(indexPath).valueOr({}), damaged);
}

void TestStore::concurrentEditsAllLand()
{
    QTemporaryDir dir;
    auto store = *Store::open(dir.path());
    const Digest img = Sha256::of("m");
    constexpr int kThreads = 4, kTags = 25;
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            auto mine = *Store::open(dir.path()); // as another process would
            for (int i = 0; i < kTags; ++i)
                (void)tag(*mine, QStringLiteral("localhost/t%1:%2").arg(t).arg(i), img);
        });
    }
    for (auto &t : threads)
        t.join();
    const TagIndex index = *store->readIndex();
    QCOMPARE(index.entries().size(), kThreads * kTags);
    QCOMPARE(index.tagsFor(img).size(), kThreads * kTags);
    QCOMPARE(dirEntries(dir.path()).filter(QLatin1String(kTempPrefix)), QStringList());
}

void TestStore::chainId_data()
{
    QTest::addColumn<QStringList>("diffIds");
    QTest::addColumn<QString>("literal"); // from `printf ... | sha256sum`; empty: not checked

    const QString a = QStringLiteral("sha256:ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb");
    const QString b = QStringLiteral("sha256:3e23e8160039594a33894f6564e1b1348bbd7a0088d42c4acb73eeaed59c009d");
    const QString c = QStringLiteral("sha256:2e7d2c03a9507ae265ecf5b5356885a53393a2029d241394997265a1a25aefc6");
    QTest::newRow("one layer is its diff ID") << QStringList{a} << a;
    QTest::newRow("two layers") << QStringList{a, b}
                                << QStringLiteral("sha256:51c0c8ace48498d6f5fee6b0592cc06f2da0f3cbe09c5a34a97dce85c3889676");
    QTest::newRow("three layers") << QStringList{a, b, c}
                                  << QStringLiteral("sha256:2fce7f8ce91bcf0a1428b36e1024639fdbd9469eea762dba98aa749631885106");
    QTest::newRow("order matters") << QStringList{b, a} << QString();
    QTest::newRow("repeated layer") << QStringList{a, a, a, a} << QString();
}

void TestStore::chainId()
{
    QFETCH(QStringList, diffIds);
    QFETCH(QString, literal);
    QList<Digest> digests;
    for (const QString &s : diffIds)
        digests.append(*Digest::parse(s));
    const QString got = store::chainId(digests).toString();
    QCOMPARE(got, expectedChainId(diffIds));
    if (!literal.isEmpty())
        QCOMPARE(got, literal);
    QVERIFY(!store::chainId({}).isValid());
}

void TestStore::layerInfoRoundTrip()
{
    QTemporaryDir dir;
    auto store = *Store::open(dir.path());
    const Digest d = Sha256::of("layer");
    QCOMPARE(store->layerInfo(d).error().code, ErrorCode::NotFound);
    QVERIFY(store->putLayerInfo(d, {5'000'000'000LL, 1234}));
    const auto info = store->layerInfo(d);
    QVERIFY(info);
    QCOMPARE(info->size, 5'000'000'000LL);
    QCOMPARE(info->entries, 1234);
    const QString path = dir.filePath(QStringLiteral("layerinfo/") + d.hex() + QStringLiteral(".json"));
    QVERIFY(QFileInfo::exists(path));
    // It is written without fsync (a cache): what a crash can leave, an
    // empty or cut file, reads as no info rather than as a size of zero.
    for (const QByteArray &damaged : {QByteArray(), QByteArray("{\"size\":5"), QByteArray("{}")}) {
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(damaged);
        f.close();
        QCOMPARE(store->layerInfo(d).error().code, ErrorCode::NotFound);
    }
}

QTEST_GUILESS_MAIN(TestStore)
#include "tst_store.moc"
