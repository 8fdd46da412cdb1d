// Throughput of the terminal, reported, not asserted: timing on a shared
// machine is not a pass/fail signal. What is asserted is that everything fed
// arrives (the last lines are on screen) and that the view kept painting
// during the flood. PORTHOLE_TERMINAL_MB sets the volume (default 100).
#include "gui/terminal/terminalview.h"

#include <QElapsedTimer>
#include <QPaintEvent>
#include <QTest>

#include <ctime>

using namespace porthole::gui;

namespace {

// A mix like a build log or `ls -l --color` of a Korean home directory:
// plain lines, SGR colours (16, 256, true colour), Hangul, long lines that
// wrap, tabs, and the odd cursor movement.
QByteArray mixedOutput(int lines)
{
    QByteArray out;
    for (int i = 0; i < lines; ++i) {
        const QByteArray n = QByteArray::number(i);
        switch (i % 6) {
        case 0: out += "-rw-r--r-- 1 user user  4096 Jan  1 12:00 \x1b[01;34mdirectory" + n + "\x1b[0m\r\n"; break;
        case 1: out += QStringLiteral("문서 %1 한글 파일 이름과 내용입니다\t완료\r\n").arg(i).toUtf8(); break;
        case 2: out += "[" + n + "/9999] Building CXX object engine/core/CMakeFiles/core.dir/result.cpp.o\r\n"; break;
        case 3: out += "\x1b[38;5;208mwarning:\x1b[0m unused variable \x1b[1m'x" + n + "'\x1b[0m [-Wunused]\r\n"; break;
        case 4: out += "\x1b[38;2;120;200;80m" + QByteArray(150, 'w') + "\x1b[0m " + n + "\r\n"; break;
        case 5: out += "progress " + n + "%\r\x1b[Kdone " + n + "\r\n"; break;
        }
    }
    return out;
}

// CPU seconds of this process: on a shared, loaded machine the wall clock
// mostly measures the neighbours.
double cpuSeconds()
{
    return double(std::clock()) / CLOCKS_PER_SEC;
}

int megabytes()
{
    const int mb = qEnvironmentVariableIntValue("PORTHOLE_TERMINAL_MB");
    return mb > 0 ? mb : 100;
}

class PaintCounter : public QObject {
public:
    int paints = 0;
    bool eventFilter(QObject *, QEvent *e) override
    {
        paints += e->type() == QEvent::Paint;
        return false;
    }
};

} // namespace

class TestTerminalThroughput : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void surfaceAlone();
    void viewOffscreen();
};

void TestTerminalThroughput::surfaceAlone()
{
    const QByteArray block = mixedOutput(12000);
    const qint64 total = qint64(megabytes()) * 1024 * 1024;
    TerminalSurface s(40, 120);
    QElapsedTimer clock;
    clock.start();
    const double cpuStart = cpuSeconds();
    qint64 done = 0;
    while (done < total) {
        for (qsizetype at = 0; at < block.size(); at += 65536)
            s.write(QByteArray::fromRawData(block.constData() + at, std::min<qsizetype>(65536, block.size() - at)));
        done += block.size();
    }
    const double seconds = clock.nsecsElapsed() / 1e9;
    const double cpu = cpuSeconds() - cpuStart;
    const double mb = done / 1048576.0;
    qInfo("surface alone: %.1f MB in %.2f s wall = %.1f MB/s; %.2f s CPU = %.1f MB/s", mb, seconds,
          mb / seconds, cpu, mb / cpu);
    QCOMPARE(s.rowText(s.rows() - 2), QStringLiteral("done 11999"));
    QVERIFY(s.scrollbackSize() >= TerminalSurface::DefaultScrollback);
}

void TestTerminalThroughput::viewOffscreen()
{
    const QByteArray block = mixedOutput(12000);
    const int repeats = int(qint64(megabytes()) * 1024 * 1024 / block.size()) + 1;
    TerminalView view;
    view.resize(1000, 700);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    PaintCounter counter;
    view.viewport()->installEventFilter(&counter);

    // A heartbeat timer stands in for the rest of the UI: the longest gap
    // between its ticks is how long the UI would have been unresponsive.
    QElapsedTimer sinceBeat;
    qint64 longestGap = 0;
    QTimer heartbeat;
    heartbeat.setInterval(5);
    QObject::connect(&heartbeat, &QTimer::timeout, [&] {
        longestGap = std::max(longestGap, sinceBeat.restart());
    });

    QElapsedTimer clock;
    clock.start();
    const double cpuStart = cpuSeconds();
    sinceBeat.start();
    heartbeat.start();
    // As a pty reader would: reads of 64 KiB, queued faster than processed.
    qint64 fed = 0;
    for (int r = 0; r < repeats; ++r) {
        for (qsizetype at = 0; at < block.size(); at += 65536) {
            const qsizetype n = std::min<qsizetype>(65536, block.size() - at);
            view.feed(block.mid(at, n));
            fed += n;
        }
        if (r % 8 == 0)
            QCoreApplication::processEvents(); // reading interleaves with processing
    }
    while (view.pendingBytes() > 0)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
    const double seconds = clock.nsecsElapsed() / 1e9;
    const double cpu = cpuSeconds() - cpuStart;
    const double mb = fed / 1048576.0;
    heartbeat.stop();
    QTest::qWait(50); // the last frame
    qInfo("view offscreen %dx%d: %.1f MB in %.2f s wall = %.1f MB/s; %.2f s CPU = %.1f MB/s; "
          "%d paints, longest UI gap %lld ms",
          view.surface()->cols(), view.surface()->rows(), mb, seconds, mb / seconds, cpu, mb / cpu,
          counter.paints, longestGap);
    QCOMPARE(view.surface()->rowText(view.surface()->rows() - 2), QStringLiteral("done 11999"));
    QVERIFY(counter.paints > 2); // it painted while the flood ran, not only at the end
}

QTEST_MAIN(TestTerminalThroughput)
#include "tst_terminalthroughput.moc"
