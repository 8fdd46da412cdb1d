// The containers page's terminal actions, end to end through EngineService:
// Attach reaches the container's main shell through its shim, Open shell
// execs a new one on the service's worker thread; closing the attach tab
// leaves the container running.
#include "gui/pages/containerspage.h"
#include "gui/terminal/terminalsession.h"
#include "gui/terminal/terminaltabs.h"
#include "gui/terminal/terminalview.h"
#include "service/engineservice.h"
#include "support/testsupport.h"

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

private Q_SLOTS:
    void initTestCase()
    {
        if (const QString why = test::containerSkipReason(); !why.isEmpty())
            QSKIP(qPrintable(why));
        m_root = m_dir.filePath(QStringLiteral("root"));
        QVERIFY(test::demoImageReady(m_root));
        // The shim is exec'd from this threaded process.
        qputenv("PORTHOLE_EXE", test::portholeBinary().toLocal8Bit());
    }

    void cleanupTestCase()
    {
        if (test::containerSkipReason().isEmpty())
            test::removeAllContainers(m_root);
    }

    void attachAndShellFromThePage()
    {
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

        // Closing the attach tab detaches: the container still runs.
        tabs->closeSession(0);
        QTest::qWait(300);
        QVERIFY(test::runPorthole(m_root, {QStringLiteral("ps")}).out.contains("class"));
    }
};

QTEST_MAIN(TestTerminalWindow)
#include "tst_terminalwindow.moc"
