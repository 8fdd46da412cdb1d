// The GUI's item models under QAbstractItemModelTester, and the snapshot
// diffing that keeps rows (and so selections) across refreshes.
#include "gui/models/containerlistmodel.h"
#include "gui/models/imagelistmodel.h"
#include "gui/models/joblistmodel.h"
#include "gui/models/volumelistmodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QtTest>

using namespace porthole;
using namespace porthole::gui;

namespace {

service::ImageRow image(char idChar, const QString &ref, qint64 size)
{
    service::ImageRow r;
    r.id = *Digest::parse(QStringLiteral("sha256:") + QString(64, QLatin1Char(idChar)));
    r.refName = ref;
    r.repository = ref.isEmpty() ? QStringLiteral("<none>") : ref.section(u':', 0, 0);
    r.tag = ref.isEmpty() ? QStringLiteral("<none>") : ref.section(u':', 1);
    r.created = QDateTime::currentDateTimeUtc().addSecs(-3600);
    r.size = size;
    return r;
}

service::ContainerRow containerRow(const QString &id, const QString &state)
{
    service::ContainerRow r;
    r.id = id;
    r.name = QStringLiteral("c-") + id;
    r.image = QStringLiteral("localhost/demo:latest");
    r.command = QStringLiteral("sh");
    r.created = QDateTime::currentDateTimeUtc();
    r.state = state;
    r.status = state;
    return r;
}

service::VolumeRow volume(const QString &name, qint64 size, const QStringList &containers)
{
    service::VolumeRow r;
    r.name = name;
    r.mountpoint = QStringLiteral("/store/volumes/") + name + QStringLiteral("/_data");
    r.created = QDateTime::currentDateTimeUtc();
    r.size = size;
    r.containers = containers;
    return r;
}

} // namespace

class TestModels : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void imageModelKeepsRowsAcrossSnapshots()
    {
        ImageListModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setRows({image('a', QStringLiteral("localhost/demo:latest"), 100), image('b', {}, 200)});
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.index(0, ImageListModel::Repository).data().toString(), QStringLiteral("localhost/demo"));
        QCOMPARE(model.index(1, ImageListModel::Tag).data().toString(), QStringLiteral("<none>"));
        QCOMPARE(model.index(0, ImageListModel::Size).data(ImageListModel::SortRole).toLongLong(), 100);
        QCOMPARE(model.index(1, 0).data(ImageListModel::ReferenceRole).toString(), QString(12, u'b'));

        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        // The same image gets a second tag; the untagged one goes; the first
        // one's size changes.
        model.setRows({image('a', QStringLiteral("localhost/demo:latest"), 150), image('a', QStringLiteral("localhost/demo:git"), 150)});
        QCOMPARE(removed.size(), 1);
        QCOMPARE(inserted.size(), 1);
        QCOMPARE(changed.size(), 1);
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.index(0, ImageListModel::Tag).data().toString(), QStringLiteral("latest"));
        QCOMPARE(model.index(1, ImageListModel::Tag).data().toString(), QStringLiteral("git"));

        // An identical snapshot changes nothing.
        model.setRows(model.rows());
        QCOMPARE(removed.size() + inserted.size() + changed.size(), 3);
        model.setRows({});
        QCOMPARE(model.rowCount(), 0);
    }

    void imageModelSortsByValueNotText()
    {
        ImageListModel model;
        model.setRows({image('a', QStringLiteral("x:1"), 9 * 1024), image('b', QStringLiteral("x:2"), 10 * 1024 * 1024),
                       image('c', QStringLiteral("x:3"), 100)});
        QSortFilterProxyModel proxy;
        QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        proxy.setSourceModel(&model);
        proxy.setSortRole(ImageListModel::SortRole);
        proxy.sort(ImageListModel::Size, Qt::DescendingOrder);
        QCOMPARE(proxy.index(0, ImageListModel::Tag).data().toString(), QStringLiteral("2"));
        QCOMPARE(proxy.index(2, ImageListModel::Tag).data().toString(), QStringLiteral("3"));
    }

    void containerModel()
    {
        ContainerListModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setRows({containerRow(QString(64, u'1'), QStringLiteral("running")), containerRow(QString(64, u'2'), QStringLiteral("exited"))});
        QCOMPARE(model.index(0, ContainerListModel::ContainerId).data().toString(), QString(12, u'1'));
        QCOMPARE(model.index(1, ContainerListModel::Name).data().toString(), QStringLiteral("c-") + QString(64, u'2'));
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        model.setRows({containerRow(QString(64, u'1'), QStringLiteral("exited")), containerRow(QString(64, u'2'), QStringLiteral("exited"))});
        QCOMPARE(changed.size(), 1);
        QCOMPARE(model.index(0, 0).data(ContainerListModel::StateRole).toString(), QStringLiteral("exited"));
    }

    void volumeModel()
    {
        VolumeListModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(model.columnCount(), int(VolumeListModel::ColumnCount));
        QCOMPARE(model.headerData(VolumeListModel::UsedBy, Qt::Horizontal).toString(), QStringLiteral("Used by"));
        model.setRows({volume(QStringLiteral("data"), 5003, {QStringLiteral("web"), QStringLiteral("worker")}),
                       volume(QStringLiteral("cache"), 0, {})});
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.index(0, VolumeListModel::Name).data().toString(), QStringLiteral("data"));
        QCOMPARE(model.index(0, VolumeListModel::Driver).data().toString(), QStringLiteral("local"));
        QCOMPARE(model.index(0, VolumeListModel::Size).data().toString(), QStringLiteral("5kB"));
        QCOMPARE(model.index(0, VolumeListModel::Size).data(VolumeListModel::SortRole).toLongLong(), 5003);
        QCOMPARE(model.index(0, VolumeListModel::UsedBy).data().toString(), QStringLiteral("web, worker"));
        QCOMPARE(model.index(1, VolumeListModel::UsedBy).data().toString(), QStringLiteral("Not used"));
        QCOMPARE(model.index(1, VolumeListModel::Mountpoint).data().toString(), QStringLiteral("/store/volumes/cache/_data"));
        QCOMPARE(model.index(1, 0).data(VolumeListModel::NameRole).toString(), QStringLiteral("cache"));

        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        // A container goes away and data grows; cache is removed, logs made.
        model.setRows({volume(QStringLiteral("data"), 9000, {QStringLiteral("web")}), volume(QStringLiteral("logs"), 1, {})});
        QCOMPARE(removed.size(), 1);
        QCOMPARE(inserted.size(), 1);
        QCOMPARE(changed.size(), 1);
        QCOMPARE(model.index(0, VolumeListModel::UsedBy).data().toString(), QStringLiteral("web"));
        QCOMPARE(model.index(1, VolumeListModel::Name).data().toString(), QStringLiteral("logs"));
        model.setRows(model.rows());
        QCOMPARE(removed.size() + inserted.size() + changed.size(), 3);

        // Sorted by bytes, not by the text ("9kB" < "1B" as strings).
        QSortFilterProxyModel proxy;
        proxy.setSourceModel(&model);
        proxy.setSortRole(VolumeListModel::SortRole);
        proxy.sort(VolumeListModel::Size, Qt::DescendingOrder);
        QCOMPARE(proxy.index(0, VolumeListModel::Name).data().toString(), QStringLiteral("data"));
        model.setRows({});
        QCOMPARE(model.rowCount(), 0);
    }

    void jobModel()
    {
        JobListModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        service::JobStatus job;
        job.id = 7;
        job.title = QStringLiteral("Pull alpine");
        job.command = QStringLiteral("porthole pull alpine");
        job.items = {{QStringLiteral("a"), QStringLiteral("Downloading"), 10, 100}, {QStringLiteral("b"), QStringLiteral("Downloading"), 40, 100}};
        model.update(job);
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(model.running(), 1);
        QCOMPARE(model.index(0, JobListModel::Progress).data().toString(), QStringLiteral("25%"));
        QCOMPARE(model.runningPercent(), 25);
        QCOMPARE(model.index(0, JobListModel::Command).data().toString(), job.command);

        service::JobStatus failed = job;
        failed.state = service::JobStatus::Failed;
        failed.error = QStringLiteral("pull alpine: no such image");
        model.update(failed);
        // A progress snapshot that arrives after the end is ignored.
        model.update(job);
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(model.running(), 0);
        QVERIFY(model.index(0, JobListModel::State).data().toString().contains(QStringLiteral("no such image")));

        job.id = 8;
        job.items.clear();
        model.update(job);
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.runningPercent(), -1);
    }
};

QTEST_MAIN(TestModels)
#include "tst_models.moc"
