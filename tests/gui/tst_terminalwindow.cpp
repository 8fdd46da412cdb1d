// The containers page's terminal actions, end to end through EngineService:
// Attach reaches the container's main shell through its shim, Open shell
// execs a new one on the service's worker thread; closing the attach tab
// leaves the container running. The window takes its font and zoom from
// the settings, follows a save of them, and saves the user's zoom.
#include "gui/dialogs/appsettings.h"
#include "gui/pages/containerspage.h"
#include "gui/terminal/attachsession.h"
#include "gui/terminal/terminalsession.h"
#include "gui/terminal/terminaltabs.h"
#include "gui/terminal/terminalview.h"
#include "service/engineservice.h"
#include "support/testsupport.h"

#include <QSettings>
#include <QTableView>
#include <QTemporaryDir>
#include <QtTest>

using namespace porthole;
using namespace porthole::gui;

namespace {

bool screenHas(const TerminalView *view, const QString &text)
{
    for (int r = 0; r < view->surface()->rows(); ++r) {
        if (view->surface()->rowText(r).contains(text))
            return true;
    }
    return false;
}

void type(TerminalView *view, const QString &line)
{
    QTest::keyClicks(view, line);
    QTest::keyClick(view, Qt::Key_Return);
}

} // namespace

class TestTerminalWindow : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QString m_root;
    QString m_skip; // why containers cannot run here

private Q_SLOTS:
    void initTestCase()
    {
        // The test's own settings, never the user's.
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_dir.filePath(QStringLiteral("config")));
        QCoreApplication::setOrganizationName(QStringLiteral("porthole-test"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_terminalwindow"));
        m_skip = test::containerSkipReason();
        if (!m_skip.isEmpty())
            return;
        m_root = m_dir.filePath(QStringLiteral("root"));
        QVERIFY(test::demoImageReady(m_root));
        // The shim is exec'd from this threaded process.
        qputenv("PORTHOLE_EXE", test::portholeBinary().toLocal8Bit());
    }

    void cleanupTestCase()
    {
        if (m_skip.isEmpty())
            test::removeAllContainers(m_root);
    }

    void windowUsesTheSettingsFont()
    {
        AppSettings settings;
        settings.terminalFontSize = 17;
        settings.terminalZoom = 2;
        settings.save();
        service::EngineService service({m_dir.filePath(QStringLiteral("fontroot")), false});
        ContainersPage page(&service);
        TerminalTabs *tabs = page.terminals();
        QCOMPARE(tabs->terminalFont(), settings.terminalFont());
        QCOMPARE(tabs->terminalZoom(), 2);
        // A session that cannot start still gets its tab and view.
        tabs->addSession(QStringLiteral("none"), new AttachSession(m_dir.filePath(QStringLiteral("no.sock")), true, true));
        TerminalView *view = tabs->currentView();
        QVERIFY(view);
        QCOMPARE(view->terminalFont().pointSize(), 17);
        QCOMPARE(view->zoom(), 2);

        // The user's zoom is saved at once, and a new tab starts there.
        tabs->zoomInAction()->trigger();
        QCOMPARE(view->zoom(), 3);
        QCOMPARE(AppSettings::load().terminalZoom, 3);
        tabs->addSession(QStringLiteral("second"), new AttachSession(m_dir.filePath(QStringLiteral("no.sock")), true, true));
        QCOMPARE(tabs->currentView()->zoom(), 3);
        tabs->resetZoomAction()->trigger();
        QCOMPARE(AppSettings::load().terminalZoom, 0);

        // What the settings dialog's Save does reaches the open tabs.
        AppSettings edited = AppSettings::load();
        edited.terminalFontSize = 12;
        edited.save();
        for (int i = 0; i < tabs->count(); ++i) {
            QCOMPARE(tabs->viewAt(i)->terminalFont().pointSize(), 12);
            QCOMPARE(tabs->viewAt(i)->zoom(), 0);
        }

        // Zooming out stops at the smallest size instead of piling up steps.
        for (int i = 0; i < 30; ++i)
            view->zoomOut();
        QCOMPARE(view->zoom(), -8);
        QCOMPARE(AppSettings::load().terminalZoom, -8);
    }

    void attachAndShellFromThePage()
    {
        if (!m_skip.isEmpty())
            QSKIP(qPrintable(m_skip));
        const auto run = test::runPorthole(m_root, {QStringLiteral("run"), QStringLiteral("-dit"), QStringLiteral("--name"), QStringLiteral("class"),
                                                    QStringLiteral("--network"), QStringLiteral("none"), QStringLiteral("localhost/demo"),
                                                    QStringLiteral("sh")});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        service::EngineService service({m_root, false});
        ContainersPage page(&service);
        page.show();
        service.start();
        QTRY_COMPARE_WITH_TIMEOUT(page.view()->model()->rowCount(), 1, 10000);
        page.view()->selectRow(0);
        QTRY_VERIFY_WITH_TIMEOUT(page.attachAction()->isEnabled(), 10000);
        QVERIFY(page.shellAction()->isEnabled());

        TerminalSession *attach = page.attachSelected();
        QVERIFY(attach);
        TerminalTabs *tabs = page.terminals();
        QVERIFY(QTest::qWaitForWindowExposed(tabs));
        QTRY_COMPARE_WITH_TIMEOUT(attach->state(), TerminalSession::State::Running, 10000);
        type(tabs->currentView(), QStringLiteral("echo main-$((40+2))"));
        QTRY_VERIFY_WITH_TIMEOUT(screenHas(tabs->currentView(), QStringLiteral("main-42")), 10000);

        TerminalSession *shell = page.openShellSelected();
        QVERIFY(shell);
        QCOMPARE(tabs->count(), 2);
        QTRY_COMPARE_WITH_TIMEOUT(shell->state(), TerminalSession::State::Running, 10000);
        type(tabs->currentView(), QStringLiteral("echo shell-$((6*7)); exit 5"));
        QTRY_VERIFY_WITH_TIMEOUT(tabs->tabText(1).contains(QStringLiteral("5")), 10000);

        // Full-screen programs in the attached shell: vi edits a file on
        // the alternate screen and gives the shell's screen back; top
        // draws its table and quits on q; less pages and quits.
        tabs->setCurrentIndex(0);
        TerminalView *view = tabs->currentView();
        type(view, QStringLiteral("vi /tmp/notes"));
        QTRY_VERIFY_WITH_TIMEOUT(view->surface()->alternateScreen(), 10000);
        QTest::keyClicks(view, QStringLiteral("ihello from vi"));
        QTest::keyClick(view, Qt::Key_Escape);
        QTest::qWait(300); // vi tells a lone Escape from a key's sequence by a pause
        type(view, QStringLiteral(":wq"));
        QTRY_VERIFY_WITH_TIMEOUT(!view->surface()->alternateScreen(), 10000);
        type(view, QStringLiteral("cat /tmp/notes"));
        QTRY_VERIFY_WITH_TIMEOUT(screenHas(view, QStringLiteral("hello from vi")), 10000);
        type(view, QStringLiteral("top"));
        QTRY_VERIFY_WITH_TIMEOUT(screenHas(view, QStringLiteral("PID")), 10000);
        QTest::keyClicks(view, QStringLiteral("q"));
        type(view, QStringLiteral("echo top-$((1+1))-done"));
        QTRY_VERIFY_WITH_TIMEOUT(screenHas(view, QStringLiteral("top-2-done")), 10000);
        type(view, QStringLiteral("seq 1 500 | less"));
        QTRY_VERIFY_WITH_TIMEOUT(screenHas(view, QStringLiteral("10")), 10000);
        QTest::keyClick(view, Qt::Key_Space);
        QTest::qWait(200);
        QTest::keyClicks(view, QStringLiteral("q"));
        type(view, QStringLiteral("echo less-$((2+1))-done"));
        QTRY_VERIFY_WITH_TIMEOUT(screenHas(view, QStringLiteral("less-3-done")), 10000);

        // Closing the attach tab detaches: the container still runs.
        tabs->closeSession(0);
        QTest::qWait(300);
        QVERIFY(test::runPorthole(m_root, {QStringLiteral("ps")}).out.contains("class"));
    }
};

QTEST_MAIN(TestTerminalWindow)
#include "tst_terminalwindow.moc"
