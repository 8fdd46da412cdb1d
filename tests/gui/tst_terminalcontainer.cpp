// Terminal sessions against real containers, as a user in the window would
// use them: attach to a `run -dit` shell, type, resize, close the tab and
// attach again; open shells (sh, or bash where the image has one) and see
// their exit codes in the tab. Needs root.
#include "gui/terminal/attachsession.h"
#include "gui/terminal/execsession.h"
#include "gui/terminal/terminaltabs.h"
#include "gui/terminal/terminalview.h"
#include "service/engine.h"
#include "support/testsupport.h"

#include <QPointer>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <cerrno>
#include <csignal>
#include <sys/wait.h>
#include <unistd.h>

using namespace porthole;
using namespace porthole::gui;

namespace {

QStringList screenLines(const TerminalView *view)
{
    QStringList rows;
    for (int r = 0; r < view->surface()->rows(); ++r)
        rows << view->surface()->rowText(r);
    return rows;
}

void type(TerminalView *view, const QString &line)
{
    QTest::keyClicks(view, line);
    QTest::keyClick(view, Qt::Key_Return);
}

QString sizeLine(const TerminalView *view)
{
    return QStringLiteral("%1 %2").arg(view->surface()->rows()).arg(view->surface()->cols());
}

// The ExecStarter contract as EngineService::execInContainer is to keep it:
// the fork happens on a thread that outlives the shell (exec's helper dies
// with the thread that forked it), the result goes back to the context's
// thread, and a result nobody takes any more is hung up and reaped.
class ExecThread {
public:
    explicit ExecThread(const QString &root) : m_root(root)
    {
        m_worker.moveToThread(&m_thread);
        m_thread.start();
    }
    ~ExecThread()
    {
        QMetaObject::invokeMethod(&m_worker, [this] { m_engine.reset(); }, Qt::BlockingQueuedConnection);
        m_thread.quit();
        m_thread.wait();
    }

    ExecStarter starter()
    {
        return [this](const QString &id, const runtime::ExecSpec &spec, QObject *context, ExecDone done) {
            const QPointer<QObject> target(context);
            QMetaObject::invokeMethod(&m_worker, [this, id, spec, target, done] {
                if (!m_engine) {
                    auto engine = service::Engine::open({m_root, false});
                    if (!engine) {
                        deliver(target, done, engine.error());
                        return;
                    }
                    m_engine = std::move(*engine);
                }
                deliver(target, done, m_engine->execInContainer(id, spec));
            });
        };
    }

private:
    static void deliver(const QPointer<QObject> &target, const ExecDone &done, const Result<runtime::ExecProcess> &result)
    {
        QMetaObject::invokeMethod(qApp, [target, done, result] {
            if (target) {
                done(result);
            } else if (result) {
                ::close(result->ptyMaster);
                ::kill(result->pid, SIGKILL);
                ::waitpid(result->pid, nullptr, 0);
            }
        });
    }

    QString m_root;
    QThread m_thread;
    QObject m_worker;
    std::unique_ptr<service::Engine> m_engine; // used on m_thread only
};

} // namespace

class TestTerminalContainer : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void attachTypesAndResizes();
    void closingTheAttachTabLeavesTheContainer();
    void openShell_data();
    void openShell();
    void closingAShellTabEndsOnlyTheShell();

private:
    test::RunResult ph(const QStringList &args) { return test::runWithDemo(m_root.path(), args); }
    QString runDetached(const QString &name, const QStringList &command);
    QString state(const QString &name) { return m_engine->container(name).value().state; }

    QTemporaryDir m_root;
    std::unique_ptr<service::Engine> m_engine; // the UI thread's: socket paths and states
    std::unique_ptr<ExecThread> m_exec;
    QString m_term; // the `run -dit ... sh` container
};

QString TestTerminalContainer::runDetached(const QString &name, const QStringList &command)
{
    const test::RunResult run = ph(QStringList{QStringLiteral("run"), QStringLiteral("-dit"), QStringLiteral("--name"), name,
                                               QStringLiteral("--network"), QStringLiteral("none"), QStringLiteral("localhost/demo")}
                                   + command);
    if (run.exitCode != 0)
        qWarning("run %s: %s", qPrintable(name), run.err.constData());
    return run.exitCode == 0 ? QString::fromUtf8(run.out.trimmed()) : QString();
}

void TestTerminalContainer::initTestCase()
{
    if (const QString why = test::containerSkipReason(); !why.isEmpty())
        QSKIP(qPrintable(why));
    QVERIFY(m_root.isValid());
    qputenv("PORTHOLE_EXE", test::portholeBinary().toLocal8Bit());
    QVERIFY2(test::demoImageReady(m_root.path()), "the demo image was not created");
    m_term = runDetached(QStringLiteral("term"), {QStringLiteral("sh")});
    QVERIFY(!m_term.isEmpty());
    QVERIFY(!runDetached(QStringLiteral("box"), {QStringLiteral("sleep"), QStringLiteral("600")}).isEmpty());
    QVERIFY(!runDetached(QStringLiteral("boxbash"), {QStringLiteral("sleep"), QStringLiteral("600")}).isEmpty());
    // A "bash" that says it was picked, for the shell choice.
    const test::RunResult bash = ph({QStringLiteral("exec"), QStringLiteral("boxbash"), QStringLiteral("sh"), QStringLiteral("-c"),
                                     QStringLiteral("printf '#!/bin/sh\\nPORTHOLE_PICKED=bash exec /bin/sh \"$@\"\\n' > /bin/bash"
                                                    " && chmod +x /bin/bash")});
    QVERIFY2(bash.exitCode == 0, bash.err.constData());
    auto engine = service::Engine::open({m_root.path(), false});
    QVERIFY(engine);
    m_engine = std::move(*engine);
    m_exec = std::make_unique<ExecThread>(m_root.path());
}

void TestTerminalContainer::cleanupTestCase()
{
    m_exec.reset();
    if (test::containerSkipReason().isEmpty())
        test::removeAllContainers(m_root.path());
}

void TestTerminalContainer::attachTypesAndResizes()
{
    const service::ContainerRow row = m_engine->container(m_term).value();
    QVERIFY(row.tty && row.openStdin);
    TerminalView view;
    view.resize(640, 400);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    AttachSession session(m_engine->attachSocket(row.id), row.tty, row.openStdin);
    session.start(&view);
    QTRY_COMPARE(session.state(), TerminalSession::State::Running);
    type(&view, QStringLiteral("echo hi-$((1+2))"));
    QTRY_VERIFY2(screenLines(&view).contains(QStringLiteral("hi-3")), qPrintable(screenLines(&view).join(u'\n')));

    view.resize(900, 520);
    QTRY_VERIFY(sizeLine(&view) != QStringLiteral("24 80"));
    type(&view, QStringLiteral("stty size"));
    QTRY_VERIFY2(screenLines(&view).contains(sizeLine(&view)), qPrintable(screenLines(&view).join(u'\n')));
    session.detach();
    QCOMPARE(state(m_term), QStringLiteral("running"));
}

void TestTerminalContainer::closingTheAttachTabLeavesTheContainer()
{
    const service::ContainerRow row = m_engine->container(m_term).value();
    TerminalTabs tabs;
    tabs.resize(640, 400);
    tabs.show();
    tabs.addSession(QStringLiteral("term"), new AttachSession(m_engine->attachSocket(row.id), row.tty, row.openStdin));
    QTRY_COMPARE(tabs.sessionAt(0)->state(), TerminalSession::State::Running);
    type(tabs.currentView(), QStringLiteral("v=$((2*3)); echo before-$v"));
    QTRY_VERIFY(screenLines(tabs.currentView()).contains(QStringLiteral("before-6")));
    emit tabs.tabCloseRequested(0);
    QCOMPARE(tabs.count(), 0);
    QTest::qWait(300);
    QCOMPARE(state(m_term), QStringLiteral("running"));

    // The same shell, with what it was told before.
    tabs.addSession(QStringLiteral("term"), new AttachSession(m_engine->attachSocket(row.id), row.tty, row.openStdin));
    QTRY_COMPARE(tabs.sessionAt(0)->state(), TerminalSession::State::Running);
    type(tabs.currentView(), QStringLiteral("echo after-$v"));
    QTRY_VERIFY(screenLines(tabs.currentView()).contains(QStringLiteral("after-6")));

    // Its end comes from the shim's exit frame.
    type(tabs.currentView(), QStringLiteral("exit 3"));
    QTRY_COMPARE_WITH_TIMEOUT(tabs.tabText(0), QStringLiteral("term (exited 3)"), 10000);
    QCOMPARE(tabs.sessionAt(0)->exitCode(), std::optional<int>(3));
    QTRY_COMPARE(state(m_term), QStringLiteral("exited"));
}

void TestTerminalContainer::openShell_data()
{
    QTest::addColumn<QString>("container");
    QTest::addColumn<QString>("picked");
    QTest::addColumn<int>("exitCode");
    QTest::newRow("sh when there is no bash") << QStringLiteral("box") << QStringLiteral("picked-sh") << 7;
    QTest::newRow("bash when there is") << QStringLiteral("boxbash") << QStringLiteral("picked-bash") << 0;
}

void TestTerminalContainer::openShell()
{
    QFETCH(QString, container);
    QFETCH(QString, picked);
    QFETCH(int, exitCode);
    TerminalTabs tabs;
    tabs.resize(700, 420);
    tabs.show();
    auto *session = new ExecSession(m_engine->container(container).value().id, m_exec->starter());
    tabs.addSession(QStringLiteral("shell"), session);
    QTRY_COMPARE_WITH_TIMEOUT(session->state(), TerminalSession::State::Running, 10000);
    const pid_t helper = session->helperPid();
    QVERIFY(helper > 0);
    TerminalView *view = tabs.currentView();
    type(view, QStringLiteral("echo picked-${PORTHOLE_PICKED:-sh}"));
    QTRY_VERIFY2(screenLines(view).contains(picked), qPrintable(screenLines(view).join(u'\n')));
    type(view, QStringLiteral("stty size"));
    QTRY_VERIFY2(screenLines(view).contains(sizeLine(view)), qPrintable(screenLines(view).join(u'\n')));
    type(view, QStringLiteral("exit %1").arg(exitCode));
    QTRY_COMPARE_WITH_TIMEOUT(tabs.tabText(0), QStringLiteral("shell (exited %1)").arg(exitCode), 10000);
    QCOMPARE(session->exitCode(), std::optional<int>(exitCode));
    QVERIFY(::kill(helper, 0) != 0 && errno == ESRCH); // reaped, not a zombie
    QCOMPARE(state(container), QStringLiteral("running"));
}

void TestTerminalContainer::closingAShellTabEndsOnlyTheShell()
{
    TerminalTabs tabs;
    tabs.show();
    auto *session = new ExecSession(m_engine->container(QStringLiteral("box")).value().id, m_exec->starter());
    tabs.addSession(QStringLiteral("shell"), session);
    QTRY_COMPARE_WITH_TIMEOUT(session->state(), TerminalSession::State::Running, 10000);
    const pid_t helper = session->helperPid();
    type(tabs.currentView(), QStringLiteral("echo ready-$((4+4))"));
    QTRY_VERIFY(screenLines(tabs.currentView()).contains(QStringLiteral("ready-8")));
    emit tabs.tabCloseRequested(0);
    QTRY_VERIFY_WITH_TIMEOUT(::kill(helper, 0) != 0 && errno == ESRCH, 10000);
    QCOMPARE(state(QStringLiteral("box")), QStringLiteral("running"));
}

QTEST_MAIN(TestTerminalContainer)
#include "tst_terminalcontainer.moc"
