// The terminal surface fed escape sequences directly, no pty and no widget:
// what it sends to the application (pastes, replies) and what it signals to
// the window (title, bell, cursor).
#include "gui/terminal/terminalsurface.h"

#include <QSignalSpy>
#include <QTest>

using namespace porthole::gui;

class TestTerminalSurfaceIo : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void sanitizePaste_data();
    void sanitizePaste();
    void bracketedPasteFollowsTheApplication();
    void repliesGoToBytesToSend();
    void titleBellAndCursorProps();
};

void TestTerminalSurfaceIo::sanitizePaste_data()
{
    QTest::addColumn<QString>("pasted");
    QTest::addColumn<QString>("sent");

    QTest::newRow("plain") << QStringLiteral("echo hi") << QStringLiteral("echo hi");
    QTest::newRow("lf to cr") << QStringLiteral("a\nb\n") << QStringLiteral("a\rb\r");
    QTest::newRow("crlf to cr") << QStringLiteral("a\r\nb") << QStringLiteral("a\rb");
    QTest::newRow("tab kept") << QStringLiteral("a\tb") << QStringLiteral("a\tb");
    QTest::newRow("escape stripped") << QStringLiteral("a\x1b[201~rm -rf /\n")
                                     << QStringLiteral("a[201~rm -rf /\r");
    QTest::newRow("c0 stripped") << QStringLiteral("a\x03\x04\x08\x7f" "b") << QStringLiteral("ab");
    QTest::newRow("c1 stripped") << QStringLiteral("a\u009b2Jb") << QStringLiteral("a2Jb");
    QTest::newRow("hangul kept") << QStringLiteral("한글 ok") << QStringLiteral("한글 ok");
}

void TestTerminalSurfaceIo::sanitizePaste()
{
    QFETCH(QString, pasted);
    QFETCH(QString, sent);
    QCOMPARE(TerminalSurface::sanitizePaste(pasted), sent);
}

void TestTerminalSurfaceIo::bracketedPasteFollowsTheApplication()
{
    TerminalSurface s(3, 20);
    QSignalSpy sent(&s, &TerminalSurface::bytesToSend);
    QVERIFY(!s.bracketedPaste());
    s.paste(QStringLiteral("ls\n"));
    QCOMPARE(sent.takeFirst()[0].toByteArray(), QByteArray("ls\r"));

    s.write("\x1b[?2004h");
    QVERIFY(s.bracketedPaste());
    s.paste(QStringLiteral("a\x1b[201~b"));
    QCOMPARE(sent.takeFirst()[0].toByteArray(), QByteArray("\x1b[200~a[201~b\x1b[201~"));

    s.write("\x1b[?2004l");
    QVERIFY(!s.bracketedPaste());
    s.paste(QStringLiteral("x"));
    QCOMPARE(sent.takeFirst()[0].toByteArray(), QByteArray("x"));
    QVERIFY(sent.isEmpty()); // probing the mode sends nothing
}

void TestTerminalSurfaceIo::repliesGoToBytesToSend()
{
    TerminalSurface s(10, 20);
    QSignalSpy sent(&s, &TerminalSurface::bytesToSend);
    s.write("\x1b[4;6H\x1b[6n");
    QCOMPARE(sent.size(), 1);
    QCOMPARE(sent[0][0].toByteArray(), QByteArray("\x1b[4;6R"));
}

void TestTerminalSurfaceIo::titleBellAndCursorProps()
{
    TerminalSurface s(3, 10);
    QSignalSpy title(&s, &TerminalSurface::titleChanged);
    QSignalSpy bell(&s, &TerminalSurface::bell);
    QSignalSpy visible(&s, &TerminalSurface::cursorVisibilityChanged);
    s.write("\x1b]0;컨테이너 shell\x07\x07");
    QCOMPARE(title.size(), 1);
    QCOMPARE(title[0][0].toString(), QStringLiteral("컨테이너 shell"));
    QCOMPARE(bell.size(), 1);
    s.write("\x1b[?25l");
    QVERIFY(!s.cursorVisible());
    QCOMPARE(visible.last()[0].toBool(), false);
    QCOMPARE(s.cursorShape(), CursorShape::Block);
    s.write("\x1b[4 q");
    QCOMPARE(s.cursorShape(), CursorShape::Underline);
    QVERIFY(!s.cursorBlinking());
    s.write("\x1b[5 q");
    QCOMPARE(s.cursorShape(), CursorShape::Bar);
    QVERIFY(s.cursorBlinking());
}

QTEST_GUILESS_MAIN(TestTerminalSurfaceIo)
#include "tst_terminalsurfaceio.moc"
