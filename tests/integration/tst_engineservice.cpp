// EngineService, as the GUI uses it: snapshots that follow changes made by
// other processes (the CLI) without polling, jobs with results, errors and
// progress (save and load round-trip; history, layers, diff, changes, logs
// and export return what the views need), and a UI thread that keeps
// beating while jobs pull, commit and save.
#include "support/registryfixture.h"
#include "service/engineservice.h"
#include "support/jobtestsupport.h"
#include "support/testsupport.h"

#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QPointer>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTimer>
#include <QtTest>

using namespace porthole;
using namespace porthole::service;
using namespace porthole::test;

namespace {

// Ticks every 5 ms on the thread that makes it and keeps the longest gap
// between two ticks in which the thread was running or blocked: how long
// its event loop did not run because of what the thread itself did. Time it
// spent runnable but waiting for a core (other threads of the test or of
// the machine keep both cores busy) is taken out, from the scheduler's own
// count (/proc/thread-self/schedstat: run-queue wait in ns): the UI thread
// must never wait on disk, network or a child, but it cannot stop the
// kernel from running someone else.
class Heartbeat {
public:
    Heartbeat()
    {
        m_timer.setInterval(5);
        m_timer.setTimerType(Qt::PreciseTimer);
        QObject::connect(&m_timer, &QTimer::timeout, [this] { tick(); });
        reset();
        m_timer.start();
    }
    qint64 longestGapMs() const { return m_longest / 1000000; }
    qint64 longestRawGapMs() const { return m_longestRaw / 1000000; }
    // Forget what happened so far (the test itself blocked the thread).
    void reset()
    {
        m_longest = m_longestRaw = 0;
        m_runDelay = runQueueWaitNs();
        m_clock.restart();
    }

private:
    static qint64 runQueueWaitNs()
    {
        QFile f(QStringLiteral("/proc/thread-self/schedstat"));
        if (!f.open(QIODevice::ReadOnly))
            return 0; // no schedstat: raw gaps, the strict measure
        return f.readAll().split(' ').value(1).toLongLong();
    }
    void tick()
    {
        const qint64 gap = m_clock.nsecsElapsed();
        m_clock.restart();
        const qint64 runDelay = runQueueWaitNs();
        m_longestRaw = std::max(m_longestRaw, gap);
        m_longest = std::max(m_longest, gap - (runDelay - m_runDelay));
        m_runDelay = runDelay;
    }

    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_longest = 0;    // ns
    qint64 m_longestRaw = 0; // ns, run-queue waits included
    qint64 m_runDelay = 0;
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

        const quint64 tag = service.tag(QStringLiteral("localhost/demo:latest"), QStringLiteral("localhost/demo:job"))->id();
        QTRY_VERIFY_WITH_TIMEOUT(rec.finished(tag), 10000);
        QCOMPARE(rec.jobs[tag].state, JobStatus::Succeeded);
        QCOMPARE(rec.jobs[tag].command, QStringLiteral("porthole tag localhost/demo:latest localhost/demo:job"));
        QTRY_VERIFY_WITH_TIMEOUT(hasImage(rec.images, QStringLiteral("localhost/demo"), QStringLiteral("job")), 5000);

        // The handle has the engine's error, ErrorCode and all; the list its sentence.
        JobResult<void> bad(service.tag(QStringLiteral("no-such-image"), QStringLiteral("x:y")));
        QVERIFY(bad.wait());
        QTRY_VERIFY_WITH_TIMEOUT(rec.finished(bad.id()), 10000);
        QCOMPARE(rec.jobs[bad.id()].state, JobStatus::Failed);
        QCOMPARE(bad.result().error().code, ErrorCode::NotFound);
        QCOMPARE(rec.jobs[bad.id()].error, bad.result().error().message);
        QVERIFY2(rec.jobs[bad.id()].error.contains(QStringLiteral("no-such-image")), qPrintable(rec.jobs[bad.id()].error));

        const quint64 rmi = service.removeImage(QStringLiteral("localhost/demo:job"), false)->id();
        QTRY_VERIFY_WITH_TIMEOUT(rec.finished(rmi), 10000);
        QCOMPARE(rec.jobs[rmi].state, JobStatus::Succeeded);
        QCOMPARE(service.runningJobs(), 0);
    }

    void saveAndLoadRoundTrip_data()
    {
        QTest::addColumn<QString>("format");
        QTest::addColumn<QString>("options");
        QTest::newRow("docker-archive") << QStringLiteral("docker-archive") << QString();
        QTest::newRow("oci-archive") << QStringLiteral("oci-archive") << QStringLiteral("--format oci-archive ");
    }

    void saveAndLoadRoundTrip()
    {
        QFETCH(QString, format);
        QFETCH(QString, options);
        EngineService service({m_root, false});
        Recorder rec;
        rec.attach(service);
        service.start();
        QTRY_VERIFY_WITH_TIMEOUT(hasImage(rec.images, QStringLiteral("localhost/demo"), QStringLiteral("latest")), 10000);
        const Digest originalId = std::find_if(rec.images.begin(), rec.images.end(), [](const ImageRow &r) {
                                      return r.tag == QLatin1String("latest");
                                  })->id;
        QTemporaryDir out;
        const QString path = out.filePath(QStringLiteral("demo.tar"));
        JobResult<SaveOutcome> save(service.save({{QStringLiteral("localhost/demo:latest")}, format, path, -1}));
        QVERIFY(save.wait(30000));
        QVERIFY2(save.status().state == JobStatus::Succeeded, qPrintable(save.errorText()));
        QCOMPARE(save.status().command, QStringLiteral("porthole save %1-o %2 localhost/demo:latest").arg(options, path));
        QCOMPARE(save.result()->bytes, QFileInfo(path).size());
        QVERIFY(QFileInfo(path).size() > 100000); // busybox is in it

        // Into a store that has never seen it.
        QTemporaryDir fresh;
        EngineService other({fresh.filePath(QStringLiteral("root")), false});
        Recorder orec;
        orec.attach(other);
        other.start();
        LoadRequest loadRequest;
        loadRequest.sourcePath = path;
        JobResult<QStringList> load(other.load(loadRequest));
        QVERIFY(load.wait(30000));
        QVERIFY2(load.status().state == JobStatus::Succeeded, qPrintable(load.errorText()));
        QCOMPARE(load.status().command, QStringLiteral("porthole load -i %1").arg(path));
        QCOMPARE(*load.result(), QStringList{QStringLiteral("localhost/demo:latest")});
        QTRY_VERIFY_WITH_TIMEOUT(hasImage(orec.images, QStringLiteral("localhost/demo"), QStringLiteral("latest")), 5000);
        QVERIFY(orec.images.first().id == originalId);

        // A bad file: a sentence that names it, nothing loaded.
        const QString bogus = out.filePath(QStringLiteral("bogus.tar"));
        QVERIFY(writeFile(bogus, QByteArray("not an archive").repeated(64)));
        loadRequest.sourcePath = bogus;
        const quint64 bad = other.load(loadRequest)->id();
        QTRY_VERIFY_WITH_TIMEOUT(orec.finished(bad), 30000);
        QCOMPARE(orec.jobs[bad].state, JobStatus::Failed);
        QVERIFY2(orec.jobs[bad].error.startsWith(QStringLiteral("load")), qPrintable(orec.jobs[bad].error));
    }

    void imageQueriesReturnWhatTheViewsNeed()
    {
        EngineService service({m_root, false});
        Recorder rec;
        rec.attach(service);
        service.start();
        JobResult<QList<HistoryRow>> history(service.history(QStringLiteral("localhost/demo")));
        JobResult<ImageLayers> layers(service.inspectImageLayers(QStringLiteral("localhost/demo")));
        QVERIFY(history.wait(30000) && layers.wait(30000));
        QVERIFY2(history.result(), qPrintable(history.errorText()));
        const QList<HistoryRow> &rows = *history.result();
        QVERIFY(!rows.isEmpty());
        QVERIFY(rows.first().imageId != QLatin1String("<missing>"));
        QCOMPARE(history.status().command, QStringLiteral("porthole history localhost/demo"));
        QVERIFY2(layers.result(), qPrintable(layers.errorText()));
        const ImageLayers &image = *layers.result();
        QVERIFY(!image.layers.isEmpty());
        QVERIFY(!image.merged.isEmpty());
        QCOMPARE(image.steps.size(), rows.size()); // every history step, oldest first there
        QVERIFY(!layers.status().quiet);

        // Errors name what was asked for.
        const quint64 missing = service.inspectImageLayers(QStringLiteral("no-such-image"))->id();
        QTRY_VERIFY_WITH_TIMEOUT(rec.finished(missing), 10000);
        QCOMPARE(rec.jobs[missing].state, JobStatus::Failed);
        QVERIFY(rec.jobs[missing].error.contains(QStringLiteral("no-such-image")));

        // Nothing listens on port 1: the login fails with a sentence.
        const quint64 login = service.login({QStringLiteral("127.0.0.1:1"), QStringLiteral("u"), QStringLiteral("p"), {QStringLiteral("127.0.0.1:1")}})->id();
        QTRY_VERIFY_WITH_TIMEOUT(rec.finished(login), 30000);
        QCOMPARE(rec.jobs[login].state, JobStatus::Failed);
        QCOMPARE(rec.jobs[login].command, QStringLiteral("porthole login --username u --password-stdin --tls-verify=false 127.0.0.1:1"));
        QVERIFY2(rec.jobs[login].error.contains(QStringLiteral("127.0.0.1:1")), qPrintable(rec.jobs[login].error));
    }

    void containerQueriesReturnWhatTheViewsNeed()
    {
        if (const QString why = containerSkipReason(); !why.isEmpty())
            QSKIP(qPrintable(why));
        QCOMPARE(runPorthole(m_root, {QStringLiteral("run"), QStringLiteral("--name"), QStringLiteral("svc-writer"), QStringLiteral("--network"),
                                      QStringLiteral("none"), QStringLiteral("localhost/demo"), QStringLiteral("sh"), QStringLiteral("-c"),
                                      QStringLiteral("echo one; echo two; echo three; echo hello > /new.txt")}).exitCode, 0);
        EngineService service({m_root, false});
        Recorder rec;
        rec.attach(service);
        service.start();
        const QString name = QStringLiteral("svc-writer");
        JobResult<QList<ChangeRow>> diff(service.diff(name));
        JobResult<ContainerChanges> changes(service.containerChanges(name, true));
        JobResult<ContainerLog> log(service.containerLog(name, 2, true));
        QTemporaryDir out;
        const QString exported = out.filePath(QStringLiteral("fs.tar"));
        JobResult<void> exp(service.exportContainer({name, exported}));
        QVERIFY(diff.wait(30000) && changes.wait(30000) && log.wait(30000) && exp.wait(30000));
        for (const QString &error : {diff.errorText(), changes.errorText(), log.errorText(), exp.errorText()})
            QVERIFY2(error.isEmpty(), qPrintable(error));

        const QList<ChangeRow> &rows = *diff.result();
        QVERIFY(std::any_of(rows.begin(), rows.end(), [](const ChangeRow &r) { return r.kind == 'A' && r.path == QLatin1String("/new.txt"); }));
        QCOMPARE(diff.status().command, QStringLiteral("porthole diff svc-writer"));
        QVERIFY(!diff.status().quiet);

        const ContainerChanges &live = *changes.result();
        QVERIFY(changes.status().quiet);
        const auto added = std::find_if(live.changes.begin(), live.changes.end(),
                                        [](const ContainerChangeRow &r) { return r.path == QLatin1String("/new.txt"); });
        QVERIFY(added != live.changes.end());
        QCOMPARE(added->bytes, qint64(6));
        QVERIFY(live.commitTarSize >= 1024 + 512);

        const ContainerLog &tail = *log.result();
        QCOMPARE(log.status().command, QStringLiteral("porthole logs --tail 2 svc-writer"));
        QCOMPARE(tail.totalLines, qsizetype(3));
        QCOMPARE(tail.lines.size(), qsizetype(2));
        QCOMPARE(tail.lines[0].text, QByteArray("two\n"));
        QCOMPARE(tail.lines[1].text, QByteArray("three\n"));
        QVERIFY(QFileInfo::exists(tail.path));
        QVERIFY(tail.path.contains(tail.containerId));

        QCOMPARE(exp.status().command, QStringLiteral("porthole export -o %1 svc-writer").arg(exported));
        QVERIFY(QFileInfo(exported).size() > 100000);
        QCOMPARE(runPorthole(m_root, {QStringLiteral("rm"), name}).exitCode, 0);
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
        create.networkMode = QStringLiteral("none");
        const quint64 run = service.run(create)->id();
        QTRY_VERIFY_WITH_TIMEOUT(rec.finished(run), 20000);
        QVERIFY2(rec.jobs[run].state == JobStatus::Succeeded, qPrintable(rec.jobs[run].error));
        QTRY_COMPARE_WITH_TIMEOUT(rec.container(create.name) ? rec.container(create.name)->state : QString(), QStringLiteral("running"), 5000);

        const quint64 pause = service.containerAction(EngineService::ContainerAction::Pause, create.name)->id();
        QTRY_VERIFY_WITH_TIMEOUT(rec.finished(pause), 10000);
        QVERIFY2(rec.jobs[pause].state == JobStatus::Succeeded, qPrintable(rec.jobs[pause].error));
        QTRY_COMPARE_WITH_TIMEOUT(rec.container(create.name)->state, QStringLiteral("paused"), 5000);
        const quint64 unpause = service.containerAction(EngineService::ContainerAction::Unpause, create.name)->id();
        QTRY_VERIFY_WITH_TIMEOUT(rec.finished(unpause), 10000);

        const quint64 kill = service.containerAction(EngineService::ContainerAction::Kill, create.name)->id();
        QTRY_VERIFY_WITH_TIMEOUT(rec.finished(kill), 10000);
        QTRY_COMPARE_WITH_TIMEOUT(rec.container(create.name)->state, QStringLiteral("exited"), 10000);
        const quint64 rm = service.containerAction(EngineService::ContainerAction::Remove, create.name)->id();
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
        const quint64 pull = service.pull({registry->host() + QStringLiteral("/heartbeat/img:1"), {}, {}})->id();
        QTRY_VERIFY_WITH_TIMEOUT(rec.finished(pull), 120000);
        QVERIFY2(rec.jobs[pull].state == JobStatus::Succeeded, qPrintable(rec.jobs[pull].error));
        QVERIFY(rec.progressUpdates > 0);
        qint64 longest = heartbeat.longestGapMs();
        qInfo("longest UI-thread gap during the pull: %lld ms (%lld ms with run-queue waits)", longest, heartbeat.longestRawGapMs());

        if (containerSkipReason().isEmpty()) {
            QCOMPARE(runPorthole(m_root, {QStringLiteral("run"), QStringLiteral("--name"), QStringLiteral("writer"), QStringLiteral("--network"),
                                          QStringLiteral("none"), QStringLiteral("localhost/demo"), QStringLiteral("sh"), QStringLiteral("-c"),
                                          QStringLiteral("head -c 50000000 /dev/urandom > /big")}).exitCode, 0);
            heartbeat.reset(); // runPorthole blocked this thread on purpose
            CommitRequest commit;
            commit.container = QStringLiteral("writer");
            commit.reference = QStringLiteral("localhost/demo:big");
            const quint64 job = service.commit(commit)->id();
            QTRY_VERIFY_WITH_TIMEOUT(rec.finished(job), 120000);
            QVERIFY2(rec.jobs[job].state == JobStatus::Succeeded, qPrintable(rec.jobs[job].error));
            QCOMPARE(rec.jobs[job].command, QStringLiteral("porthole commit writer localhost/demo:big"));
            QTRY_VERIFY_WITH_TIMEOUT(hasImage(rec.images, QStringLiteral("localhost/demo"), QStringLiteral("big")), 5000);
            qInfo("longest UI-thread gap during the commit: %lld ms (%lld ms with run-queue waits)", heartbeat.longestGapMs(), heartbeat.longestRawGapMs());
            longest = std::max(longest, heartbeat.longestGapMs());
        }
        // A save of the pulled image (72 MB of layers), then one cancelled
        // as it starts: it leaves no file behind.
        QTemporaryDir out;
        heartbeat.reset();
        const QString saved = out.filePath(QStringLiteral("img.tar"));
        const quint64 save = service.save({{registry->host() + QStringLiteral("/heartbeat/img:1")}, QStringLiteral("docker-archive"), saved, -1})->id();
        QTRY_VERIFY_WITH_TIMEOUT(rec.finished(save), 120000);
        QVERIFY2(rec.jobs[save].state == JobStatus::Succeeded, qPrintable(rec.jobs[save].error));
        QVERIFY(QFileInfo(saved).size() > (72 << 20));
        qInfo("longest UI-thread gap during the save: %lld ms (%lld ms with run-queue waits)", heartbeat.longestGapMs(), heartbeat.longestRawGapMs());
        longest = std::max(longest, heartbeat.longestGapMs());
        QVERIFY2(longest < 50, qPrintable(QStringLiteral("the UI thread stalled for %1 ms").arg(longest)));

        const QString cancelled = out.filePath(QStringLiteral("cancelled.tar"));
        const quint64 second = service.save({{registry->host() + QStringLiteral("/heartbeat/img:1")}, QStringLiteral("oci-archive"), cancelled, -1})->id();
        service.cancel(second);
        QTRY_VERIFY_WITH_TIMEOUT(rec.finished(second), 60000);
        if (rec.jobs[second].state == JobStatus::Succeeded)
            QSKIP("the save finished before the cancel reached it");
        QCOMPARE(rec.jobs[second].state, JobStatus::Cancelled);
        QCOMPARE(dirEntries(out.path()), QStringList{QStringLiteral("img.tar")});
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
        auto *handle = service.pull({registry->host() + QStringLiteral("/cancel/img:1"), {}, {}});
        QPointer<Job> guard(handle);
        JobResult<PullOutcome> outcome(handle);
        int progressed = 0;
        QObject::connect(handle, &Job::progressed, handle, [&] { ++progressed; });
        const quint64 pull = handle->id();
        // Cancel as soon as the first progress arrives.
        QTRY_VERIFY_WITH_TIMEOUT(rec.jobs.contains(pull) && (!rec.jobs[pull].items.isEmpty() || rec.jobs[pull].finished()), 30000);
        // The handle sees the progress the list sees, and cancels.
        QTRY_VERIFY_WITH_TIMEOUT(progressed > 0 || outcome.finished(), 30000);
        if (guard)
            guard->cancel();
        QTRY_VERIFY_WITH_TIMEOUT(rec.finished(pull), 30000);
        QVERIFY(outcome.finished());
        if (rec.jobs[pull].state == JobStatus::Succeeded)
            QSKIP("the pull finished before the cancel reached it");
        QCOMPARE(rec.jobs[pull].state, JobStatus::Cancelled);
        QCOMPARE(outcome.result().error().code, ErrorCode::Cancelled);
        QTRY_VERIFY_WITH_TIMEOUT(!guard, 5000); // the handle deleted itself
        service.refresh();
        QTest::qWait(300);
        QVERIFY(!hasImage(rec.images, registry->host() + QStringLiteral("/cancel/img"), QStringLiteral("1")));
    }
};

QTEST_GUILESS_MAIN(TestEngineService)
#include "tst_engineservice.moc"
