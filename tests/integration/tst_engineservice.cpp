// EngineService, as the GUI uses it: snapshots that follow changes made by
// other processes (the CLI) without polling, jobs with results, errors and
// progress, and a UI thread that keeps beating while jobs pull and commit.
#include "support/registryfixture.h"
#include "service/engineservice.h"
#include "support/testsupport.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTimer>
#include <QtTest>

using namespace porthole;
using namespace porthole::service;
using namespace porthole::test;

namespace {

// Ticks every 5 ms on the thread that makes it and keeps the longest gap
// between two ticks: how long that thread's event loop did not run.
class Heartbeat {
public:
    Heartbeat()
    {
        m_timer.setInterval(5);
        m_timer.setTimerType(Qt::PreciseTimer);
        QObject::connect(&m_timer, &QTimer::timeout, [this] {
            m_longest = std::max(m_longest, m_clock.restart());
        });
        m_clock.start();
        m_timer.start();
    }
    qint64 longestGapMs() const { return m_longest; }
    // Forget what happened so far (the test itself blocked the thread).
    void reset()
    {
        m_longest = 0;
        m_clock.restart();
    }

private:
    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_longest = 0;
};

bool hasImage(const QList<ImageRow> &rows, const QString &repository, const QString &tag)
{
    return std::any_of(rows.begin(), rows.end(), [&](const ImageRow &r) { return r.repository == repository && r.tag == tag; });
}

} // namespace

class TestEngineService : public QObject {
    Q_OBJECT

    // The latest snapshots and finished jobs the service reported.
    struct Recorder {
        QList<ImageRow> images;
        QList<ContainerRow> containers;
        QHash<quint64, JobStatus> jobs;
        int progressUpdates = 0;
        QString storeError;

        void attach(EngineService &service)
        {
            QObject::connect(&service, &EngineService::imagesChanged, [this](const QList<ImageRow> &rows) { images = rows; });
            QObject::connect(&service, &EngineService::containersChanged, [this](const QList<ContainerRow> &rows) { containers = rows; });
            QObject::connect(&service, &EngineService::storeError, [this](const QString &m) { storeError = m; });
            QObject::connect(&service, &EngineService::jobChanged, [this](const JobStatus &s) {
                if (!s.finished() && !s.items.isEmpty())
                    ++progressUpdates;
                jobs.insert(s.id, s);
            });
        }
        bool finished(quint64 id) const { return jobs.contains(id) && jobs[id].finished(); }
        std::optional<ContainerRow> container(const QString &name) const
        {
            for (const auto &c : containers) {
                if (c.name == name)
                    return c;
            }
            return std::nullopt;
        }
    };

    QTemporaryDir m_dir;
    QString m_root;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_root = m_dir.filePath(QStringLiteral("root"));
        if (!demoImageReady(m_root))
            QSKIP("the demo image could not be made (busybox-static missing?)");
        qputenv("PORTHOLE_EXE", portholeBinary().toLocal8Bit()); // the shim is exec'd from a threaded process
    }

    void cleanupTestCase() { removeAllContainers(m_root); }

    void snapshotsFollowOtherProcesses()
    {
        EngineService service({m_root, false});
        Recorder rec;
        rec.attach(service);
        service.start();
        QTRY_VERIFY_WITH_TIMEOUT(hasImage(rec.images, QStringLiteral("localhost/demo"), QStringLiteral("latest")), 10000);

        // The CLI, in another process, tags: the index changes on disk.
        QCOMPARE(runPorthole(m_root, {QStringLiteral("tag"), QStringLiteral("localhost/demo"), QStringLiteral("other:1")}).exitCode, 0);
        QTRY_VERIFY_WITH_TIMEOUT(hasImage(rec.images, QStringLiteral("other"), QStringLiteral("1")), 5000);
        QCOMPARE(runPorthole(m_root, {QStringLiteral("rmi"), QStringLiteral("other:1")}).exitCode, 0);
        QTRY_VERIFY_WITH_TIMEOUT(!hasImage(rec.images, QStringLiteral("other"), QStringLiteral("1")), 5000);

        if (!containerSkipReason().isEmpty())
            return;
        // A container made by the CLI appears; one exiting on its own shows
        // as exited (its shim rewrites state.json).
        QCOMPARE(runPorthole(m_root, {QStringLiteral("run"), QStringLiteral("-d"), QStringLiteral("--name"), QStringLiteral("napper"),
                                      QStringLiteral("localhost/demo"), QStringLiteral("sleep"), QStringLiteral("1")}).exitCode, 0);
        QTRY_VERIFY_WITH_TIMEOUT(rec.container(QStringLiteral("napper")).has_value(), 5000);
        QTRY_COMPARE_WITH_TIMEOUT(rec.container(QStringLiteral("napper"))->state, QStringLiteral("exited"), 10000);
        QCOMPARE(runPorthole(m_root, {QStringLiteral("rm"), QStringLiteral("napper")}).exitCode, 0);
        QTRY_VERIFY_WITH_TIMEOUT(!rec.container(QStringLiteral("napper")).has_value(), 5000);
    }

    void jobsReportResultsAndErrors()
    {
        EngineService service({m_root, false});
        Recorder rec;
        rec.attach(service);
        service.start();

        const quint64 tag = service.tag(QStringLiteral("localhost/demo:latest"), QStringLiteral("localhost/demo:job"));
        QTRY_VERIFY_WITH_TIMEOUT(rec.finished(tag), 10000);
        QCOMPARE(rec.jobs[tag].state, JobStatus::Succeeded);
        QCOMPARE(rec.jobs[tag].command, QStringLiteral("porthole tag localhost/demo:latest localhost/demo:job"));
        QTRY_VERIFY_WITH_TIMEOUT(hasImage(rec.images, QStringLiteral("localhost/demo"), QStringLiteral("job")), 5000);

        const quint64 bad = service.tag(QStringLiteral("no-such-image"), QStringLiteral("x:y"));
        QTRY_VERIFY_WITH_TIMEOUT(rec.finished(bad), 10000);
        QCOMPARE(rec.jobs[bad].state, JobStatus::Failed);
        QVERIFY2(rec.jobs[bad].error.contains(QStringLiteral("no-such-image")), qPrintable(rec.jobs[bad].error));

        const quint64 rmi = service.removeImage(QStringLiteral("localhost/demo:job"), false);
        QTRY_VERIFY_WITH_TIMEOUT(rec.finished(rmi), 10000);
        QCOMPARE(rec.jobs[rmi].state, JobStatus::Succeeded);
        QCOMPARE(service.runningJobs(), 0);
    }

    void containerLifecycleThroughJobs()
    {
        if (const QString why = containerSkipReason(); !why.isEmpty())
            QSKIP(qPrintable(why));
        EngineService service({m_root, false});
        Recorder rec;
        rec.attach(service);
        service.start();

        CreateRequest create;
        create.image = QStringLiteral("localhost/demo:latest");
        create.name = QStringLiteral("svc-sleeper");
        create.command = {QStringLiteral("sleep"), QStringLiteral("300")};
        create.network = QStringLiteral("none");
        const quint64 run = service.run(create);
        QTRY_VERIFY_WITH_TIMEOUT(rec.finished(run), 20000);
        QVERIFY2(rec.jobs[run].state == JobStatus::Succeeded, qPrintable(rec.jobs[run].error));
        QTRY_COMPARE_WITH_TIMEOUT(rec.container(create.name) ? rec.container(create.name)->state : QString(), QStringLiteral("running"), 5000);

        const quint64 pause = service.containerAction(EngineService::ContainerAction::Pause, create.name);
        QTRY_VERIFY_WITH_TIMEOUT(rec.finished(pause), 10000);
        QVERIFY2(rec.jobs[pause].state == JobStatus::Succeeded, qPrintable(rec.jobs[pause].error));
        QTRY_COMPARE_WITH_TIMEOUT(rec.container(create.name)->state, QStringLiteral("paused"), 5000);
        const quint64 unpause = service.containerAction(EngineService::ContainerAction::Unpause, create.name);
        QTRY_VERIFY_WITH_TIMEOUT(rec.finished(unpause), 10000);

        const quint64 kill = service.containerAction(EngineService::ContainerAction::Kill, create.name);
        QTRY_VERIFY_WITH_TIMEOUT(rec.finished(kill), 10000);
        QTRY_COMPARE_WITH_TIMEOUT(rec.container(create.name)->state, QStringLiteral("exited"), 10000);
        const quint64 rm = service.containerAction(EngineService::ContainerAction::Remove, create.name);
        QTRY_VERIFY_WITH_TIMEOUT(rec.finished(rm), 10000);
        QTRY_VERIFY_WITH_TIMEOUT(!rec.container(create.name).has_value(), 5000);
    }

    // The UI thread's event loop keeps running (gaps under 50 ms) while a
    // pull and a commit run: everything slow happens on other threads.
    void uiThreadNeverWaits()
    {
        if (!RegistryFixture::available())
            QSKIP("docker-registry, openssl, htpasswd or skopeo is not installed (installer/install-deps.sh test)");
        QString error;
        auto registry = RegistryFixture::start(RegistryFixture::Mode::Plain, &error);
        QVERIFY2(registry, qPrintable(error));
        QTemporaryDir layout;
        OciLayoutWriter writer(layout.path());
        // Three incompressible 24 MB layers: seconds of download, hashing
        // and unpacking.
        QVERIFY(writer.addImage(QStringLiteral("img"), {24 << 20, 24 << 20, 24 << 20}, QStringLiteral("amd64"), 11).ok());
        const auto pushed = registry->pushWithSkopeo(layout.path(), QStringLiteral("img"), QStringLiteral("heartbeat/img:1"));
        QVERIFY2(!pushed, qPrintable(pushed.value_or(QString())));

        EngineService service({m_root, false});
        Recorder rec;
        rec.attach(service);
        Heartbeat heartbeat;
        service.start();
        const quint64 pull = service.pull({registry->host() + QStringLiteral("/heartbeat/img:1"), {}, {}});
        QTRY_VERIFY_WITH_TIMEOUT(rec.finished(pull), 120000);
        QVERIFY2(rec.jobs[pull].state == JobStatus::Succeeded, qPrintable(rec.jobs[pull].error));
        QVERIFY(rec.progressUpdates > 0);
        qint64 longest = heartbeat.longestGapMs();
        qInfo("longest UI-thread gap during the pull: %lld ms", longest);

        if (containerSkipReason().isEmpty()) {
            QCOMPARE(runPorthole(m_root, {QStringLiteral("run"), QStringLiteral("--name"), QStringLiteral("writer"), QStringLiteral("--network"),
                                          QStringLiteral("none"), QStringLiteral("localhost/demo"), QStringLiteral("sh"), QStringLiteral("-c"),
                                          QStringLiteral("head -c 50000000 /dev/urandom > /big")}).exitCode, 0);
            heartbeat.reset(); // runPorthole blocked this thread on purpose
            CommitRequest commit;
            commit.container = QStringLiteral("writer");
            commit.reference = QStringLiteral("localhost/demo:big");
            const quint64 job = service.commit(commit);
            QTRY_VERIFY_WITH_TIMEOUT(rec.finished(job), 120000);
            QVERIFY2(rec.jobs[job].state == JobStatus::Succeeded, qPrintable(rec.jobs[job].error));
            QCOMPARE(rec.jobs[job].command, QStringLiteral("porthole commit writer localhost/demo:big"));
            QTRY_VERIFY_WITH_TIMEOUT(hasImage(rec.images, QStringLiteral("localhost/demo"), QStringLiteral("big")), 5000);
            qInfo("longest UI-thread gap during the commit: %lld ms", heartbeat.longestGapMs());
            longest = std::max(longest, heartbeat.longestGapMs());
        }
        QVERIFY2(longest < 50, qPrintable(QStringLiteral("the UI thread stalled for %1 ms").arg(longest)));
    }

    void cancelStopsAPullAndStoresNothing()
    {
        if (!RegistryFixture::available())
            QSKIP("docker-registry, openssl, htpasswd or skopeo is not installed (installer/install-deps.sh test)");
        QString error;
        auto registry = RegistryFixture::start(RegistryFixture::Mode::Plain, &error);
        QVERIFY2(registry, qPrintable(error));
        QTemporaryDir layout;
        OciLayoutWriter writer(layout.path());
        QVERIFY(writer.addImage(QStringLiteral("img"), {64 << 20}, QStringLiteral("amd64"), 12).ok());
        QVERIFY(!registry->pushWithSkopeo(layout.path(), QStringLiteral("img"), QStringLiteral("cancel/img:1")));

        EngineService service({m_root, false});
        Recorder rec;
        rec.attach(service);
        service.start();
        const quint64 pull = service.pull({registry->host() + QStringLiteral("/cancel/img:1"), {}, {}});
        // Cancel as soon as the first progress arrives.
        QTRY_VERIFY_WITH_TIMEOUT(rec.jobs.contains(pull) && (!rec.jobs[pull].items.isEmpty() || rec.jobs[pull].finished()), 30000);
        service.cancel(pull);
        QTRY_VERIFY_WITH_TIMEOUT(rec.finished(pull), 30000);
        if (rec.jobs[pull].state == JobStatus::Succeeded)
            QSKIP("the pull finished before the cancel reached it");
        QCOMPARE(rec.jobs[pull].state, JobStatus::Cancelled);
        service.refresh();
        QTest::qWait(300);
        QVERIFY(!hasImage(rec.images, registry->host() + QStringLiteral("/cancel/img"), QStringLiteral("1")));
    }
};

QTEST_GUILESS_MAIN(TestEngineService)
#include "tst_engineservice.moc"
