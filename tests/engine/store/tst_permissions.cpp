// Store permissions (store/permissions.h) on the file system alone: a new
// store and what it makes later are reachable only by its owner, except the
// directories a container sees (upper/, a volume's _data) and the files
// bind-mounted into it; a store made with older, looser modes is tightened
// by the next open, once. The same as another user: tst_storepermissions.
#include "store/containerstore.h"
#include "store/fsutil.h"
#include "store/permissions.h"
#include "store/store.h"

#include "support/testsupport.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>
#include <unistd.h>

using namespace porthole;
using namespace porthole::store;
using porthole::test::setFileMode;

namespace {

bool makeFile(const QString &path, int mode) { return porthole::test::writeFile(path, "{}") && setFileMode(path, mode); }

const QString kId = QString(64, u'a');

} // namespace

class TestPermissions : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void newStoreIsPrivate();
    void containerRecordModes();
    void volumeDirs();
    void olderStoreIsTightenedOnce();
    void chosenRootKeepsItsMode_data();
    void chosenRootKeepsItsMode();
};

void TestPermissions::newStoreIsPrivate()
{
    QTemporaryDir dir;
    const QString root = dir.filePath(QStringLiteral("root"));
    QVERIFY(Store::open(root));
    PH_COMPARE_MODE(root, 0700);
    for (const char *sub : {"blobs", "blobs/sha256", "ingest", "layerinfo", "layers", "locks"})
        PH_COMPARE_MODE(root + u'/' + QLatin1String(sub), 0700);
    PH_COMPARE_MODE(root + QStringLiteral("/locks/index.lock"), 0600);
}

void TestPermissions::containerRecordModes()
{
    QTemporaryDir dir;
    auto store = Store::open(dir.path());
    QVERIFY(store);
    ContainerStore containers(**store);
    ContainerConfig config;
    config.image = Sha256::of("image");
    config.env = {QStringLiteral("SECRET=x")};
    const QString data = dir.filePath(QStringLiteral("volumes/v1/_data"));
    config.mounts = {{QStringLiteral("volume"), data, QStringLiteral("/data"), false}};
    const mode_t oldMask = ::umask(077); // upper/ and _data keep their view mode even so
    auto created = containers.create(config);
    ::umask(oldMask);
    QVERIFY2(created, qPrintable(created ? QString() : created.error().message));
    const QString id = created->config.id;
    const QString d = containers.dir(id);
    PH_COMPARE_MODE(dir.filePath(QStringLiteral("containers")), 0700);
    PH_COMPARE_MODE(d, 0700);
    PH_COMPARE_MODE(d + QStringLiteral("/config.json"), 0600);
    PH_COMPARE_MODE(containers.workDir(id), 0700);
    PH_COMPARE_MODE(containers.upperDir(id), 0755); // the container's "/"
    PH_COMPARE_MODE(dir.filePath(QStringLiteral("volumes")), 0700);
    PH_COMPARE_MODE(dir.filePath(QStringLiteral("volumes/v1")), 0700);
    PH_COMPARE_MODE(data, 0755); // the mount point in the container

    QVERIFY(containers.writeState(id, ContainerState()));
    PH_COMPARE_MODE(d + QStringLiteral("/state.json"), 0600);
    QVERIFY(containers.rename(id, QStringLiteral("renamed")));
    PH_COMPARE_MODE(d + QStringLiteral("/config.json"), 0600);
    // update rewrites it too.
    ResourceLimits limits;
    limits.memory = 64 << 20;
    QVERIFY(containers.setLimits(id, limits));
    PH_COMPARE_MODE(d + QStringLiteral("/config.json"), 0600);
}

void TestPermissions::volumeDirs()
{
    QTemporaryDir dir;
    const QString data = dir.filePath(QStringLiteral("volumes/v/_data"));
    const mode_t oldMask = ::umask(077);
    const Status made = makeVolumeDirs(data);
    ::umask(oldMask);
    QVERIFY(made);
    PH_COMPARE_MODE(dir.filePath(QStringLiteral("volumes")), 0700);
    PH_COMPARE_MODE(dir.filePath(QStringLiteral("volumes/v")), 0700);
    PH_COMPARE_MODE(data, 0755);
    // An existing volume is left as its owner set it.
    QVERIFY(setFileMode(data, 0770));
    QVERIFY(makeVolumeDirs(data));
    PH_COMPARE_MODE(data, 0770);
}

void TestPermissions::olderStoreIsTightenedOnce()
{
    QTemporaryDir dir;
    const QString root = dir.filePath(QStringLiteral("root"));
    QVERIFY(Store::open(root));
    // What earlier versions made.
    const QString c = root + QStringLiteral("/containers/") + kId;
    QVERIFY(QDir().mkpath(c + QStringLiteral("/upper")));
    QVERIFY(QDir().mkpath(root + QStringLiteral("/volumes/v/_data")));
    QVERIFY(QDir().mkpath(root + QStringLiteral("/volumes/.tmp-old-1")));
    QVERIFY(QDir().mkpath(root + QStringLiteral("/cache/seccomp")));
    for (const char *f : {"config.json", "state.json", "hosts", "hostname", "resolv.conf", "shim.lock"})
        QVERIFY(makeFile(c + u'/' + QLatin1String(f), 0644));
    for (const char *f : {"container.log", "shim.log"})
        QVERIFY(makeFile(c + u'/' + QLatin1String(f), 0640));
    // A symlink in a record is never followed.
    const QString outside = dir.filePath(QStringLiteral("outside"));
    QVERIFY(makeFile(outside, 0644));
    QVERIFY(QFile::link(outside, c + QStringLiteral("/link")));
    for (const char *d : {"", "/containers"})
        QVERIFY(setFileMode(root + QLatin1String(d), 0711));
    QVERIFY(setFileMode(c, 0711));
    for (const char *d : {"/volumes", "/volumes/v", "/volumes/.tmp-old-1", "/blobs", "/cache", "/locks", "/layerinfo"})
        QVERIFY(setFileMode(root + QLatin1String(d), 0755));

    QVERIFY(Store::open(root));
    PH_COMPARE_MODE(root, 0700);
    for (const char *d : {"/containers", "/volumes", "/volumes/v", "/volumes/.tmp-old-1", "/blobs", "/cache", "/locks", "/layerinfo"})
        PH_COMPARE_MODE(root + QLatin1String(d), 0700);
    PH_COMPARE_MODE(c, 0700);
    for (const char *f : {"config.json", "state.json", "container.log", "shim.log", "shim.lock"})
        PH_COMPARE_MODE(c + u'/' + QLatin1String(f), 0600);
    // What the container sees stays as it sees it.
    for (const char *f : {"hosts", "hostname", "resolv.conf"})
        PH_COMPARE_MODE(c + u'/' + QLatin1String(f), 0644);
    PH_COMPARE_MODE(c + QStringLiteral("/upper"), 0755);
    PH_COMPARE_MODE(root + QStringLiteral("/volumes/v/_data"), 0755);
    PH_COMPARE_MODE(outside, 0644);

    // Once the root is 0700 the records are not walked again (every CLI
    // command opens the store); the fixed top-level dirs are still checked.
    QVERIFY(setFileMode(c + QStringLiteral("/config.json"), 0644));
    QVERIFY(setFileMode(root + QStringLiteral("/containers"), 0711));
    QVERIFY(Store::open(root));
    PH_COMPARE_MODE(c + QStringLiteral("/config.json"), 0644);
    PH_COMPARE_MODE(root + QStringLiteral("/containers"), 0700);
}

void TestPermissions::chosenRootKeepsItsMode_data()
{
    QTest::addColumn<int>("mode");
    QTest::newRow("a shared directory like /tmp") << 01777;
    QTest::newRow("a home directory") << 0755;
}

void TestPermissions::chosenRootKeepsItsMode()
{
    // `--root /tmp` by mistake must not take /tmp from everyone else; what
    // Porthole makes inside it is private all the same.
    QFETCH(int, mode);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QVERIFY(setFileMode(dir.path(), mode));
    QVERIFY(Store::open(dir.path()));
    QVERIFY(Store::open(dir.path()));
    PH_COMPARE_MODE(dir.path(), mode);
    for (const char *d : {"/blobs", "/layers", "/locks", "/layerinfo"})
        PH_COMPARE_MODE(dir.path() + QLatin1String(d), 0700);
}

QTEST_GUILESS_MAIN(TestPermissions)
#include "tst_permissions.moc"
