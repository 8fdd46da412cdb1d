// Terminal sessions without containers: AttachSession against a fake shim
// that speaks the attach protocol, ExecSession against processes on ptys of
// the test's own (forkpty), and TerminalTabs around them. The same sessions
// against real containers are in tst_terminalcontainer.
#include "gui/terminal/attachsession.h"
#include "gui/terminal/execsession.h"
#include "gui/terminal/terminaltabs.h"
#include "gui/terminal/terminalview.h"
#include "runtime/attachprotocol.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QLocalServer>
#include <QLocalSocket>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <pty.h>
#include <unistd.h>

using namespace porthole;
using namespace porthole::gui;
namespace attach = porthole::runtime::attach;

namespace {

QString screenText(const TerminalView &view)
{
    QStringList rows;
    for (int r = 0; r < view.surface()->rows(); ++r)
        rows << view.surface()->rowText(r);
    return rows.join(u'\n');
}

bool reaped(pid_t pid)
{
    return ::kill(pid, 0) != 0 && errno == ESRCH; // a zombie would still answer
}

// The shim's side of the attach socket: records the client's frames.
class FakeShim {
public:
    bool listen(const QString &path)
    {
        QObject::connect(&m_server, &QLocalServer::newConnection, [this] {
            m_client = m_server.nextPendingConnection();
            QObject::connect(m_client, &QLocalSocket::readyRead, [this] {
                const QByteArray data = m_client->readAll();
                m_reader.append(data.constData(), data.size());
                while (auto frame = m_reader.next())
                    frames.append(*frame);
            });
        });
        return m_server.listen(path);
    }
    bool connected() const { return m_client && m_client->state() == QLocalSocket::ConnectedState; }
    void send(attach::Frame type, const QByteArray &payload = {})
    {
        m_client->write(attach::encode(type, payload));
        m_client->flush();
    }
    void close() { m_client->disconnectFromServer(); }
    QByteArray payloads(attach::Frame type) const
    {
        QByteArray all;
        for (const auto &[t, p] : frames)
            all += t == type ? p : QByteArray();
        return all;
    }
    int count(attach::Frame type) const
    {
        return int(std::count_if(frames.begin(), frames.end(), [type](const auto &f) { return f.first == type; }));
    }

    QList<std::pair<attach::Frame, QByteArray>> frames;

private:
    QLocalServer m_server;
    QLocalSocket *m_client = nullptr;
    attach::FrameReader m_reader;
};

// Stands in for EngineService::execInContainer: `script` under sh on a new
// pty, handed over from the event loop as the real starter does.
ExecStarter ptyStarter(const QByteArray &script, pid_t *pid, int delayMs = 0)
{
    return [=](const QString &, const runtime::ExecSpec &, QObject *context, ExecDone done) {
        QTimer::singleShot(delayMs, context, [=] {
            int master = -1;
            const pid_t child = ::forkpty(&master, nullptr, nullptr, nullptr);
            if (child == 0) {
                ::execl("/bin/sh", "sh", "-c", script.constData(), nullptr);
                ::_exit(127);
            }
            ::fcntl(master, F_SETFD, FD_CLOEXEC);
            *pid = child;
            done(runtime::ExecProcess{child, master});
        });
    };
}

} // namespace

class TestTerminalSession : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void attachSpeaksTheProtocol();
    void attachWithoutTty_data();
    void attachWithoutTty();
    void attachWaitsForTheShim();
    void attachEndsWithoutShimOrExit();
    void detachLeavesTheShim();
    void execReportsExitCodeAndSize();
    void execStartFailure();
    void execDetachHangsUpAndReaps_data();
    void execDetachHangsUpAndReaps();
    void execOutputIsThrottledByTheView();
    void tabsShowHowSessionsEnd();
    void tabActionsActOnTheCurrentView();

private:
    QString socketPath() const { return m_dir.filePath(QStringLiteral("attach.sock")); }
    QTemporaryDir m_dir;
    TerminalView *m_view = nullptr;
};

void TestTerminalSession::init()
{
    QVERIFY(m_dir.isValid());
    m_view = new TerminalView;
    m_view->resize(640, 400);
    m_view->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_view));
}

void TestTerminalSession::cleanup()
{
    delete m_view;
    m_view = nullptr;
    QFile::remove(socketPath());
}

void TestTerminalSession::attachSpeaksTheProtocol()
{
    FakeShim shim;
    QVERIFY(shim.listen(socketPath()));
    AttachSession session(socketPath(), true, true);
    QSignalSpy ended(&session, &TerminalSession::ended);
    session.start(m_view);
    QCOMPARE(session.state(), TerminalSession::State::Running);
    // The size first, so a program started by this attach starts with it.
    QTRY_COMPARE(shim.frames.size(), 2);
    const TerminalSurface *surface = m_view->surface();
    QCOMPARE(shim.frames[0].first, attach::Frame::Resize);
    QCOMPARE(shim.frames[0].second, attach::resizePayload(surface->rows(), surface->cols()));
    QCOMPARE(shim.frames[1].first, attach::Frame::Hello);
    QCOMPARE(shim.frames[1].second, QByteArray(1, attach::kWantStdin));

    shim.send(attach::Frame::Stdout, "hello\r\n");
    shim.send(attach::Frame::Stderr, "\x1b[31mwarn\x1b[0m\r\n");
    QTRY_VERIFY(screenText(*m_view).startsWith(QStringLiteral("hello\nwarn")));

    QTest::keyClicks(m_view, QStringLiteral("ls"));
    QTest::keyClick(m_view, Qt::Key_Return);
    QTest::keyClick(m_view, Qt::Key_C, Qt::ControlModifier);
    QTRY_COMPARE(shim.payloads(attach::Frame::Stdin), QByteArray("ls\r\x03"));

    m_view->resize(m_view->width() + 100, m_view->height() + 60);
    QTRY_COMPARE(shim.count(attach::Frame::Resize), 2);
    QCOMPARE(shim.frames.last().second, attach::resizePayload(surface->rows(), surface->cols()));

    QByteArray exit(4, '\0');
    exit[3] = 3;
    shim.send(attach::Frame::Exit, exit + "exec: boom");
    QTRY_COMPARE(ended.size(), 1);
    QCOMPARE(session.state(), TerminalSession::State::Ended);
    QCOMPARE(session.exitCode(), std::optional<int>(3));
    QCOMPARE(session.errorText(), QStringLiteral("exec: boom"));
    QTRY_VERIFY(screenText(*m_view).contains(QStringLiteral("exec: boom")));
}

// Without a pty the session is the line discipline: echo, editing, and the
// line sent on Enter; output line ends become CR LF.
void TestTerminalSession::attachWithoutTty_data()
{
    QTest::addColumn<QByteArray>("typed");
    QTest::addColumn<QByteArray>("sent");
    QTest::addColumn<QString>("echoed");
    QTest::addColumn<int>("eofs");
    QTest::newRow("enter") << QByteArray("ls\r") << QByteArray("ls\n") << QStringLiteral("ls") << 0;
    QTest::newRow("backspace") << QByteArray("lx\x7fs\r") << QByteArray("ls\n") << QStringLiteral("ls") << 0;
    QTest::newRow("utf-8 backspace") << QByteArray("a\xed\x95\x9c\x7f" "b\r") << QByteArray("ab\n") << QStringLiteral("ab") << 0;
    QTest::newRow("ctrl-c drops the line") << QByteArray("abc\x03" "d\r") << QByteArray("d\n") << QStringLiteral("abc^C\nd") << 0;
    QTest::newRow("ctrl-d sends the line") << QByteArray("ab\x04") << QByteArray("ab") << QStringLiteral("ab") << 0;
    QTest::newRow("ctrl-d on an empty line") << QByteArray("\x04") << QByteArray() << QString() << 1;
    QTest::newRow("arrow keys are dropped") << QByteArray("\x1b[A") << QByteArray() << QString() << 0;
}

void TestTerminalSession::attachWithoutTty()
{
    QFETCH(QByteArray, typed);
    QFETCH(QByteArray, sent);
    QFETCH(QString, echoed);
    QFETCH(int, eofs);
    FakeShim shim;
    QVERIFY(shim.listen(socketPath()));
    AttachSession session(socketPath(), false, true);
    session.start(m_view);
    QTRY_COMPARE(shim.count(attach::Frame::Hello), 1);
    QCOMPARE(shim.count(attach::Frame::Resize), 0); // no pty to size
    shim.send(attach::Frame::Stdout, "one\ntwo\n");
    QTRY_VERIFY(screenText(*m_view).startsWith(QStringLiteral("one\ntwo\n")));
    m_view->surface()->sendInput(typed);
    QTRY_COMPARE(shim.payloads(attach::Frame::Stdin), sent);
    QTRY_COMPARE(shim.count(attach::Frame::StdinEof), eofs);
    QTRY_COMPARE(screenText(*m_view).trimmed(), (QStringLiteral("one\ntwo\n") + echoed).trimmed());
}

void TestTerminalSession::attachWaitsForTheShim()
{
    AttachSession session(socketPath(), true, false);
    session.start(m_view);
    QCOMPARE(session.state(), TerminalSession::State::Starting);
    QTest::qWait(200);
    FakeShim shim;
    QVERIFY(shim.listen(socketPath()));
    QTRY_COMPARE(session.state(), TerminalSession::State::Running);
    QTRY_COMPARE(shim.count(attach::Frame::Hello), 1);
    QCOMPARE(shim.payloads(attach::Frame::Hello), QByteArray(1, '\0'));
}

void TestTerminalSession::attachEndsWithoutShimOrExit()
{
    AttachSession lonely(socketPath(), true, true);
    lonely.start(m_view);
    QTRY_COMPARE_WITH_TIMEOUT(lonely.state(), TerminalSession::State::Ended, 5000);
    QVERIFY(!lonely.exitCode());
    QVERIFY2(lonely.errorText().contains(socketPath()), qPrintable(lonely.errorText()));

    FakeShim shim;
    QVERIFY(shim.listen(socketPath()));
    AttachSession session(socketPath(), true, true);
    session.start(m_view);
    QTRY_VERIFY(shim.connected());
    shim.send(attach::Frame::Stdout, "last words\r\n");
    shim.close();
    QTRY_COMPARE(session.state(), TerminalSession::State::Ended);
    QVERIFY(!session.exitCode());
    QVERIFY(!session.errorText().isEmpty());
    QTRY_VERIFY(screenText(*m_view).contains(QStringLiteral("last words")));
}

void TestTerminalSession::detachLeavesTheShim()
{
    FakeShim shim;
    QVERIFY(shim.listen(socketPath()));
    AttachSession session(socketPath(), true, true);
    QSignalSpy ended(&session, &TerminalSession::ended);
    session.start(m_view);
    QTRY_VERIFY(shim.connected());
    session.detach();
    QCOMPARE(session.state(), TerminalSession::State::Detached);
    QTRY_VERIFY(!shim.connected());
    // The view is released: its keys go nowhere now.
    m_view->surface()->sendInput("x");
    QTest::qWait(50);
    QCOMPARE(shim.count(attach::Frame::Stdin), 0);
    QCOMPARE(ended.size(), 0);
}

void TestTerminalSession::execReportsExitCodeAndSize()
{
    pid_t pid = -1;
    ExecSession session(QStringLiteral("c1"), ptyStarter("read x; stty size; echo got-$x; exit 5", &pid));
    session.start(m_view);
    QTRY_COMPARE(session.state(), TerminalSession::State::Running);
    QTest::keyClicks(m_view, QStringLiteral("hi"));
    QTest::keyClick(m_view, Qt::Key_Return);
    QTRY_COMPARE(session.state(), TerminalSession::State::Ended);
    QCOMPARE(session.exitCode(), std::optional<int>(5));
    const QString text = screenText(*m_view);
    QVERIFY2(text.contains(QStringLiteral("got-hi")), qPrintable(text));
    const QString size = QStringLiteral("%1 %2").arg(m_view->surface()->rows()).arg(m_view->surface()->cols());
    QVERIFY2(text.split(u'\n').contains(size), qPrintable(text));
    QVERIFY(reaped(pid));
}

void TestTerminalSession::execStartFailure()
{
    ExecSession session(QStringLiteral("c1"), [](const QString &, const runtime::ExecSpec &, QObject *context, ExecDone done) {
        QTimer::singleShot(0, context, [done] { done(Error(ErrorCode::FailedPrecondition, QStringLiteral("Container c1 is not running"))); });
    });
    session.start(m_view);
    QTRY_COMPARE(session.state(), TerminalSession::State::Ended);
    QVERIFY(!session.exitCode());
    QVERIFY(session.errorText().contains(QStringLiteral("Container c1 is not running")));
    QTRY_VERIFY(screenText(*m_view).contains(QStringLiteral("is not running")));
}

void TestTerminalSession::execDetachHangsUpAndReaps_data()
{
    QTest::addColumn<int>("startDelayMs");
    QTest::addColumn<bool>("detachWhileStarting");
    QTest::newRow("running") << 0 << false;
    QTest::newRow("while starting") << 100 << true;
}

void TestTerminalSession::execDetachHangsUpAndReaps()
{
    QFETCH(int, startDelayMs);
    QFETCH(bool, detachWhileStarting);
    pid_t pid = -1;
    auto *session = new ExecSession(QStringLiteral("c1"), ptyStarter("while :; do sleep 1; done", &pid, startDelayMs));
    session->start(m_view);
    if (!detachWhileStarting)
        QTRY_COMPARE(session->state(), TerminalSession::State::Running);
    session->detach();
    QCOMPARE(session->state(), TerminalSession::State::Detached);
    QTRY_VERIFY(pid > 0);
    delete session; // the reaping must not depend on the session
    QTRY_VERIFY_WITH_TIMEOUT(reaped(pid), 5000);
}

// Reading stops while the view is behind, so a flood waits in the pty, not
// in memory, and all of it arrives once the view catches up.
void TestTerminalSession::execOutputIsThrottledByTheView()
{
    pid_t pid = -1;
    ExecSession session(QStringLiteral("c1"),
                        ptyStarter("yes 'a line of output from a fast writer' | head -c 20000000; echo; echo END-$((6*7))", &pid));
    m_view->setFeedBudgetMs(0); // the view takes nothing: only the pause bounds the backlog
    session.start(m_view);
    QTRY_VERIFY(m_view->pendingBytes() > 1024 * 1024);
    QTest::qWait(300);
    QVERIFY2(m_view->pendingBytes() < 1536 * 1024, qPrintable(QString::number(m_view->pendingBytes())));
    QCOMPARE(session.state(), TerminalSession::State::Running); // the writer waits
    m_view->setFeedBudgetMs(8);
    QTRY_COMPARE_WITH_TIMEOUT(session.state(), TerminalSession::State::Ended, 60000);
    QCOMPARE(session.exitCode(), std::optional<int>(0));
    QTRY_VERIFY(screenText(*m_view).contains(QStringLiteral("END-42")));
}

void TestTerminalSession::tabsShowHowSessionsEnd()
{
    TerminalTabs tabs;
    tabs.resize(640, 400);
    tabs.show();
    pid_t pid = -1;
    QSignalSpy ended(&tabs, &TerminalTabs::sessionEnded);
    const int shell = tabs.addSession(QStringLiteral("shell"), new ExecSession(QStringLiteral("c1"), ptyStarter("read x; exit 7", &pid)));
    const int broken = tabs.addSession(QStringLiteral("broken"), new ExecSession(QStringLiteral("c1"), ExecStarter()));
    QCOMPARE(tabs.count(), 2);
    QCOMPARE(tabs.currentIndex(), broken);
    QTRY_COMPARE(tabs.sessionAt(shell)->state(), TerminalSession::State::Running);
    QCOMPARE(tabs.tabText(shell), QStringLiteral("shell"));
    QCOMPARE(tabs.tabText(broken), QStringLiteral("broken (ended)"));
    QVERIFY(!tabs.tabToolTip(broken).isEmpty());

    tabs.viewAt(shell)->surface()->sendInput("\r");
    QTRY_COMPARE(tabs.tabText(shell), QStringLiteral("shell (exited 7)"));
    QCOMPARE(ended.size(), 2);
    QVERIFY(reaped(pid));

    // The close button: the tab, its view and its session go.
    FakeShim shim;
    QVERIFY(shim.listen(socketPath()));
    const int attached = tabs.addSession(QStringLiteral("attached"), new AttachSession(socketPath(), true, true));
    QPointer<TerminalSession> session = tabs.sessionAt(attached);
    QTRY_VERIFY(shim.connected());
    emit tabs.tabCloseRequested(attached);
    QCOMPARE(tabs.count(), 2);
    QTRY_VERIFY(!shim.connected());
    QTRY_VERIFY(session.isNull());
}

void TestTerminalSession::tabActionsActOnTheCurrentView()
{
    TerminalTabs tabs;
    tabs.show();
    QVERIFY(!tabs.pasteAction()->isEnabled());
    FakeShim shim;
    QVERIFY(shim.listen(socketPath()));
    tabs.addSession(QStringLiteral("a"), new AttachSession(socketPath(), true, true));
    QTRY_VERIFY(shim.connected());
    QVERIFY(tabs.pasteAction()->isEnabled());
    QGuiApplication::clipboard()->setText(QStringLiteral("echo pasted\n"));
    tabs.pasteAction()->trigger();
    QTRY_COMPARE(shim.payloads(attach::Frame::Stdin), QByteArray("echo pasted\r"));
    const QSize cell = tabs.currentView()->cellSize();
    tabs.zoomInAction()->trigger();
    QVERIFY(tabs.currentView()->cellSize().height() > cell.height());
    tabs.resetZoomAction()->trigger();
    QCOMPARE(tabs.currentView()->cellSize(), cell);
    QFont font = tabs.currentView()->terminalFont();
    font.setPointSizeF(font.pointSizeF() + 6);
    tabs.setTerminalFont(font);
    QVERIFY(tabs.currentView()->cellSize().height() > cell.height());
}

QTEST_MAIN(TestTerminalSession)
#include "tst_terminalsession.moc"
