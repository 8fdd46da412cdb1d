// The main window on a real EngineService over a temporary store with the
// demo image: the images page lists it and filters, the sidebar, the View
// shortcuts and the toolbar follow the page, a Tag through the service adds
// a row and shows `porthole tag ...` in the command line, a failed job from
// a dialog is told in the status bar, the Jobs page and a notification, and
// the status bar's progress bar follows the running jobs. Save writes the
// format its file filter names, History opens the layer inspector, and on a
// running container Logs follows the log, Diff refreshes the live changes
// only while it runs and is shown, and Export writes the filesystem.
#include "gui/dialogs/changeswindow.h"
#include "gui/dialogs/commandpreview.h"
#include "gui/dialogs/layerswindow.h"
#include "gui/dialogs/logswindow.h"
#include "archive/archiveprobe.h"
#include "gui/dnd/imagetableview.h"
#include "gui/inspector/changesview.h"
#include "gui/inspector/layerinspector.h"
#include "gui/inspector/layerstackview.h"
#include "gui/inspector/layertreemodel.h"
#include "gui/mainwindow.h"
#include "gui/models/imagelistmodel.h"
#include "gui/models/joblistmodel.h"
#include "gui/pages/containerspage.h"
#include "gui/pages/filterproxy.h"
#include "gui/pages/imagespage.h"
#include "gui/pages/jobspage.h"
#include "gui/pages/volumespage.h"
#include "service/engineservice.h"
#include "support/guitestsupport.h"
#include "support/testsupport.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QFileDialog>
#include <QTableWidget>
#include <QInputDialog>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QStatusBar>
#include <QTableView>
#include <QTemporaryDir>
#include <QTimer>
#include <QToolBar>
#include <QtTest>

using namespace porthole;
using namespace porthole::gui;
using porthole::archive::ArchiveKind;
using porthole::archive::probeArchive;

namespace {

using test::listed;

// Answers the next modal input dialog with `text` (QInputDialog::exec blocks
// the test until then).
void answerInputDialog(const QString &text)
{
    QTimer::singleShot(0, [text] {
        QTRY_VERIFY(qobject_cast<QInputDialog *>(QApplication::activeModalWidget()));
        auto *dialog = qobject_cast<QInputDialog *>(QApplication::activeModalWidget());
        QCOMPARE(dialog->objectName(), QStringLiteral("tagDialog"));
        dialog->setTextValue(text);
        dialog->accept();
    });
}

// Answers the next modal file dialog: the name filter at filterIndex, then
// the file.
void answerFileDialog(const QString &objectName, const QString &path, int filterIndex)
{
    QTimer::singleShot(0, [=] {
        QTRY_VERIFY(qobject_cast<QFileDialog *>(QApplication::activeModalWidget()));
        auto *dialog = qobject_cast<QFileDialog *>(QApplication::activeModalWidget());
        QCOMPARE(dialog->objectName(), objectName);
        dialog->selectNameFilter(dialog->nameFilters().at(filterIndex));
        dialog->selectFile(path);
        static_cast<QDialog *>(dialog)->accept(); // QFileDialog's own is protected
    });
}

QMessageBox *failureNotification()
{
    for (QWidget *w : QApplication::topLevelWidgets()) {
        if (auto *box = qobject_cast<QMessageBox *>(w); box && box->objectName() == QLatin1String("jobFailure") && box->isVisible())
            return box;
    }
    return nullptr;
}

QList<QAction *> toolbarActions(QToolBar *bar)
{
    QList<QAction *> out;
    for (QAction *a : bar->actions()) {
        if (!a->isSeparator())
            out.append(a);
    }
    return out;
}

} // namespace

class TestMainWindow : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_root;
    std::unique_ptr<service::EngineService> m_service;
    std::unique_ptr<MainWindow> m_window;

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true); // settings go to a test location
        QCoreApplication::setOrganizationName(QStringLiteral("porthole-test"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_mainwindow"));
        QVERIFY(m_dir.isValid());
        m_root = m_dir.filePath(QStringLiteral("root"));
        if (!test::demoImageReady(m_root))
            QSKIP("the demo image could not be made (busybox-static missing?)");
        m_service = std::make_unique<service::EngineService>(service::EngineOptions{m_root, false});
        m_window = std::make_unique<MainWindow>(m_service.get());
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        m_service->start();
    }

    void cleanupTestCase()
    {
        m_window.reset();
        m_service.reset();
    }

    void imagesPageListsTheDemoImage()
    {
        ImagesPage *images = m_window->imagesPage();
        QAbstractItemModelTester tester(images->proxy(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QTRY_VERIFY_WITH_TIMEOUT(listed(images->proxy(), QStringLiteral("localhost/demo"), QStringLiteral("latest")), 10000);
        QCOMPARE(m_window->currentPage(), int(MainWindow::ImagesIndex));
        QCOMPARE(m_window->storeText(), tr("%n image(s) in %1", nullptr, images->model()->rowCount()).arg(m_root));
        QVERIFY(m_window->storeText().contains(m_root));
        // Nothing selected: the actions on an image wait for one.
        QVERIFY(!images->tagAction()->isEnabled());
        QVERIFY(images->pullAction()->isEnabled());
        QVERIFY(images->selectReference(QStringLiteral("localhost/demo:latest")));
        QCOMPARE(images->currentReference(), QStringLiteral("localhost/demo:latest"));
        QVERIFY(images->tagAction()->isEnabled() && images->runAction()->isEnabled() && images->removeAction()->isEnabled());
        QVERIFY(images->historyAction()->isEnabled() && images->saveAction()->isEnabled());
        QVERIFY(images->view()->dragEnabled());
    }

    void filterMatchesRepositoryTagAndId()
    {
        ImagesPage *images = m_window->imagesPage();
        QAbstractItemModelTester tester(images->proxy(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        const int all = images->proxy()->rowCount();
        QVERIFY(all >= 1);
        const QString fullId = images->model()->rows().first().id.toString();
        const QString hex = fullId.mid(7);
        struct Case { QString text; bool matches; } cases[] = {
            {QStringLiteral("DEMO"), true},          // repository, any case
            {QStringLiteral("latest"), true},        // tag
            {hex.left(8), true},                     // ID prefix, as shown
            {hex.right(20), true},                   // beyond the 12 shown: the full ID
            {QStringLiteral("no-such-image"), false},
        };
        for (const Case &c : cases) {
            images->filterEdit()->setText(c.text);
            QCOMPARE(images->proxy()->rowCount() > 0, c.matches);
            if (c.matches)
                QVERIFY(listed(images->proxy(), QStringLiteral("localhost/demo"), QStringLiteral("latest")));
        }
        images->filterEdit()->clear();
        QCOMPARE(images->proxy()->rowCount(), all);
    }

    void pagesSwitchWithTheirActions()
    {
        struct Case { int index; Page *page; QAction *present; QAction *absent; } cases[] = {
            {MainWindow::ContainersIndex, m_window->containersPage(), m_window->containersPage()->startAction(),
             m_window->imagesPage()->pullAction()},
            {MainWindow::JobsIndex, m_window->jobsPage(), m_window->jobsPage()->cancelAction(),
             m_window->containersPage()->startAction()},
            {MainWindow::ImagesIndex, m_window->imagesPage(), m_window->imagesPage()->pullAction(),
             m_window->jobsPage()->cancelAction()},
        };
        for (const Case &c : cases) {
            m_window->sidebar()->setCurrentRow(c.index);
            QCOMPARE(m_window->currentPage(), c.index);
            QVERIFY(c.page->isVisible());
            QVERIFY(toolbarActions(m_window->pageToolBar()).contains(c.present));
            QVERIFY(!toolbarActions(m_window->pageToolBar()).contains(c.absent));
        }
        // The View menu's shortcuts: Ctrl+3 is Volumes, with its empty state.
        QTest::keyClick(m_window.get(), Qt::Key_3, Qt::ControlModifier);
        QCOMPARE(m_window->currentPage(), int(MainWindow::VolumesIndex));
        QCOMPARE(m_window->sidebar()->currentRow(), int(MainWindow::VolumesIndex));
        QVERIFY(m_window->volumesPage()->emptyStateText().contains(QStringLiteral("Volumes appear here")));
        QVERIFY(!m_window->pageToolBar()->isVisible());
        QTest::keyClick(m_window.get(), Qt::Key_1, Qt::ControlModifier);
        QCOMPARE(m_window->currentPage(), int(MainWindow::ImagesIndex));
        QVERIFY(m_window->pageToolBar()->isVisible());
    }

    void tagAddsARowAndShowsTheCommand()
    {
        ImagesPage *images = m_window->imagesPage();
        QTRY_VERIFY(images->selectReference(QStringLiteral("localhost/demo:latest")));
        QVERIFY(images->tagAction()->isEnabled());
        answerInputDialog(QStringLiteral("localhost/demo:v2"));
        images->tagAction()->trigger();
        QCOMPARE(m_window->commandLine()->command(), QStringLiteral("porthole tag localhost/demo:latest localhost/demo:v2"));
        QTRY_VERIFY_WITH_TIMEOUT(listed(images->proxy(), QStringLiteral("localhost/demo"), QStringLiteral("v2")), 10000);
        QTRY_COMPARE(m_window->jobs()->running(), 0);
        QCOMPARE(m_window->jobs()->index(m_window->jobs()->rowCount() - 1, JobListModel::Command).data().toString(),
                 m_window->commandLine()->command());
        QVERIFY(!failureNotification());
    }

    void failedDialogJobIsToldEverywhere()
    {
        ImagesPage *images = m_window->imagesPage();
        QVERIFY(images->selectReference(QStringLiteral("localhost/demo:latest")));
        QVERIFY(images->tagAction()->isEnabled());
        answerInputDialog(QStringLiteral("Bad Name!"));
        images->tagAction()->trigger();
        QTRY_COMPARE_WITH_TIMEOUT(m_window->jobs()->running(), 0, 10000);
        const int last = m_window->jobs()->rowCount() - 1;
        const QString state = m_window->jobs()->index(last, JobListModel::State).data().toString();
        QVERIFY2(state.startsWith(QStringLiteral("Failed")), qPrintable(state));
        QTRY_VERIFY(failureNotification());
        QMessageBox *box = failureNotification();
        QVERIFY(!box->isModal());
        QVERIFY(box->text().contains(QStringLiteral("Bad Name!")));
        QVERIFY(m_window->statusBar()->currentMessage().contains(box->text()));

        // The Jobs page shows the whole error of the selected job.
        m_window->showPage(MainWindow::JobsIndex);
        const quint64 id = m_window->jobs()->index(last, 0).data(JobListModel::JobIdRole).toULongLong();
        QVERIFY(m_window->jobsPage()->selectJob(id));
        QVERIFY(m_window->jobsPage()->details()->toPlainText().contains(box->text()));
        QVERIFY(!m_window->jobsPage()->cancelAction()->isEnabled());
        box->close();
        m_window->showPage(MainWindow::ImagesIndex);
    }

    void statusBarFollowsRunningJobs()
    {
        // Progress snapshots as the service would send them.
        service::JobStatus job;
        job.id = 1000;
        job.title = QStringLiteral("Pull x");
        job.command = QStringLiteral("porthole pull x");
        job.items = {{QStringLiteral("a"), QStringLiteral("Downloading"), 30, 100}, {QStringLiteral("b"), QStringLiteral("Downloading"), 10, 100}};
        Q_EMIT m_service->jobChanged(job);
        QVERIFY(m_window->jobProgress()->isVisibleTo(m_window.get()));
        QCOMPARE(m_window->jobProgress()->value(), 20);
        QCOMPARE(m_window->commandLine()->command(), job.command);

        m_window->showPage(MainWindow::JobsIndex);
        QVERIFY(m_window->jobsPage()->selectJob(1000));
        QVERIFY(m_window->jobsPage()->cancelAction()->isEnabled());

        job.items[1].total = -1;
        Q_EMIT m_service->jobChanged(job);
        QCOMPARE(m_window->jobProgress()->maximum(), 0); // unknown total: busy

        job.state = service::JobStatus::Cancelled;
        Q_EMIT m_service->jobChanged(job);
        QVERIFY(!m_window->jobProgress()->isVisibleTo(m_window.get()));
        QVERIFY(!m_window->jobsPage()->cancelAction()->isEnabled());
        m_window->showPage(MainWindow::ImagesIndex);
    }

    void containersPageFollowsTheStore()
    {
        if (const QString why = test::containerSkipReason(); !why.isEmpty())
            QSKIP(qPrintable(why));
        qputenv("PORTHOLE_EXE", test::portholeBinary().toLocal8Bit());
        const auto created = test::runPorthole(m_root, {QStringLiteral("create"), QStringLiteral("--name"), QStringLiteral("gui-c1"),
                                                        QStringLiteral("localhost/demo"), QStringLiteral("true")});
        QCOMPARE(created.exitCode, 0);
        // No refresh(): the store watcher must see the CLI's container.
        ContainersPage *containers = m_window->containersPage();
        m_window->showPage(MainWindow::ContainersIndex);
        QTableView *view = containers->view();
        QTRY_VERIFY_WITH_TIMEOUT(view->model()->rowCount() == 1, 10000);
        view->selectRow(0);
        QCOMPARE(containers->currentContainer()->name, QStringLiteral("gui-c1"));
        QVERIFY(containers->startAction()->isEnabled());
        QVERIFY(!containers->stopAction()->isEnabled());
        QVERIFY(containers->commitAction()->isEnabled());
        for (QAction *action : {containers->diffAction(), containers->logsAction(), containers->exportAction()})
            QVERIFY(action->isEnabled());
        containers->startAction()->trigger();
        QCOMPARE(m_window->commandLine()->command(), QStringLiteral("porthole start gui-c1"));
        test::removeAllContainers(m_root);
        QTRY_VERIFY_WITH_TIMEOUT(view->model()->rowCount() == 0, 10000);
        m_window->showPage(MainWindow::ImagesIndex);
    }

    void saveWritesTheChosenFormat_data()
    {
        QTest::addColumn<int>("filter");
        QTest::addColumn<QString>("options");
        QTest::addColumn<int>("kind");
        QTest::newRow("docker-archive") << 0 << QString() << int(ArchiveKind::DockerArchive);
        QTest::newRow("oci archive") << 1 << QStringLiteral("--format oci-archive ") << int(ArchiveKind::OciArchive);
    }

    void saveWritesTheChosenFormat()
    {
        QFETCH(int, filter);
        QFETCH(QString, options);
        QFETCH(int, kind);
        ImagesPage *images = m_window->imagesPage();
        QVERIFY(images->selectReference(QStringLiteral("localhost/demo:latest")));
        const QString path = m_dir.filePath(QStringLiteral("saved-%1.tar").arg(filter));
        answerFileDialog(QStringLiteral("saveDialog"), path, filter);
        images->saveAction()->trigger();
        QCOMPARE(m_window->commandLine()->command(), QStringLiteral("porthole save %1-o %2 localhost/demo:latest").arg(options, path));
        QTRY_COMPARE_WITH_TIMEOUT(m_window->jobs()->running(), 0, 30000);
        QVERIFY(!failureNotification());
        const auto probed = probeArchive(path);
        QVERIFY2(probed, qPrintable(probed ? QString() : probed.error().message));
        QCOMPARE(int(*probed), kind);
    }

    void historyOpensTheLayerInspector()
    {
        ImagesPage *images = m_window->imagesPage();
        QVERIFY(images->selectReference(QStringLiteral("localhost/demo:latest")));
        images->historyAction()->trigger();
        auto *window = images->findChild<LayersWindow *>();
        QVERIFY(window && window->isVisible());
        QCOMPARE(m_window->commandLine()->command(), QStringLiteral("porthole history --no-trunc localhost/demo:latest"));
        QTRY_VERIFY_WITH_TIMEOUT(window->loaded(), 30000);
        QVERIFY(window->inspector()->historyTable()->rowCount() >= 1);
        QVERIFY(window->inspector()->treeModel()->rowCount() > 0); // the busybox layer's files
        window->close();
        QTRY_VERIFY(!images->findChild<LayersWindow *>());
    }

    // One running container that writes a line and a file every 0.3 s.
    void runningContainerLogsDiffAndExport()
    {
        if (const QString why = test::containerSkipReason(); !why.isEmpty())
            QSKIP(qPrintable(why));
        qputenv("PORTHOLE_EXE", test::portholeBinary().toLocal8Bit());
        const auto run = test::runPorthole(m_root, {QStringLiteral("run"), QStringLiteral("-d"), QStringLiteral("--name"), QStringLiteral("gui-live"),
                                                    QStringLiteral("--network"), QStringLiteral("none"), QStringLiteral("localhost/demo"),
                                                    QStringLiteral("sh"), QStringLiteral("-c"),
                                                    QStringLiteral("i=0; while true; do echo line$i; echo $i > /f$i; i=$((i+1)); sleep 0.3; done")});
        QCOMPARE(run.exitCode, 0);
        ContainersPage *containers = m_window->containersPage();
        m_window->showPage(MainWindow::ContainersIndex);
        QTRY_VERIFY_WITH_TIMEOUT(containers->view()->model()->rowCount() == 1, 10000);
        containers->view()->selectRow(0);
        QTRY_COMPARE_WITH_TIMEOUT(containers->currentContainer()->state, QStringLiteral("running"), 10000);

        // Logs: the first read is the user's job; the follow-ups are quiet.
        const int jobsBefore = m_window->jobs()->rowCount();
        LogsWindow *logs = containers->showLogs();
        QCOMPARE(m_window->commandLine()->command(), QStringLiteral("porthole logs --tail 1000 gui-live"));
        QTRY_VERIFY_WITH_TIMEOUT(logs->textView()->toPlainText().contains(QStringLiteral("line0\n")), 10000);
        const int firstReads = logs->reads();
        QVERIFY(!logs->watcher()->files().isEmpty());
        // Lines written after the first read come in by the watcher.
        const QString later = QStringLiteral("line%1\n").arg(logs->textView()->toPlainText().count(u'\n') + 3);
        QTRY_VERIFY_WITH_TIMEOUT(logs->textView()->toPlainText().contains(later), 10000);
        QVERIFY(logs->reads() > firstReads);
        QCOMPARE(logs->textView()->toPlainText().count(QStringLiteral("line1\n")), 1); // appended, not repeated

        // Diff: refreshed every 2 s while shown and running.
        ChangesWindow *changes = containers->showChanges();
        QCOMPARE(m_window->commandLine()->command(), QStringLiteral("porthole diff gui-live"));
        QTRY_VERIFY_WITH_TIMEOUT(changes->refreshes() >= 1, 10000);
        QVERIFY(changes->timer()->isActive());
        const int shown = int(changes->view()->containerChanges().changes.size());
        QTRY_VERIFY_WITH_TIMEOUT(changes->refreshes() >= 2, 3 * ChangesWindow::refreshIntervalMs());
        QTRY_VERIFY(int(changes->view()->containerChanges().changes.size()) > shown);
        QCOMPARE(m_window->jobs()->rowCount(), jobsBefore + 2); // quiet refreshes (and the history) are not listed
        // The stack it sits on: its writable layer on top, live, then the
        // demo image's one read-only layer.
        QTRY_COMPARE_WITH_TIMEOUT(changes->stack()->rowTexts().size(), 2, 10000);
        const QStringList rows = changes->stack()->rowTexts();
        QVERIFY2(rows[0].startsWith(QStringLiteral("Container layer (read-write): %1 change")
                                        .arg(changes->view()->containerChanges().changes.size())),
                 qPrintable(rows.join(u'|')));
        QVERIFY2(rows[1].startsWith(QStringLiteral("Image layer 1 of 1 (read-only): ")), qPrintable(rows.join(u'|')));
        changes->hide();
        QVERIFY(!changes->timer()->isActive());
        changes->show();
        QVERIFY(changes->timer()->isActive());

        // Export: a tarball of the filesystem, the files written so far in it.
        const QString path = m_dir.filePath(QStringLiteral("gui-live.tar"));
        answerFileDialog(QStringLiteral("exportDialog"), path, 0);
        containers->exportAction()->trigger();
        QCOMPARE(m_window->commandLine()->command(), QStringLiteral("porthole export -o %1 gui-live").arg(path));
        QTRY_COMPARE_WITH_TIMEOUT(m_window->jobs()->running(), 0, 30000);
        const auto probed = probeArchive(path);
        QVERIFY(probed && *probed == ArchiveKind::RootfsTarball);

        // Stopped: the live diff stops asking.
        QCOMPARE(test::runPorthole(m_root, {QStringLiteral("kill"), QStringLiteral("gui-live")}).exitCode, 0);
        QTRY_VERIFY_WITH_TIMEOUT(!changes->containerRunning(), 10000);
        QVERIFY(!changes->timer()->isActive());
        logs->close();
        changes->close();
        test::removeAllContainers(m_root);
        m_window->showPage(MainWindow::ImagesIndex);
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
