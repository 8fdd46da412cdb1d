// The attach socket's wire format: frames across arbitrary read boundaries,
// and the payloads of resize and exit frames as the shim and the clients
// (CLI attach, GUI terminal) must both read them.
#include "runtime/attachprotocol.h"

#include <QTest>

using namespace porthole::runtime;

class TestAttachProtocol : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void parseExit_data();
    void parseExit();
    void exitFrameThroughReader();
    void parseResize_data();
    void parseResize();
};

// Payloads as the shim writes them: a big-endian signed code, then text.
void TestAttachProtocol::parseExit_data()
{
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("message");
    QTest::newRow("zero") << QByteArray("\0\0\0\0", 4) << 0 << QString();
    QTest::newRow("code and text") << QByteArray("\0\0\0\x03", 4) + "exec: boom" << 3
                                   << QStringLiteral("exec: boom");
    QTest::newRow("big endian") << QByteArray("\x00\x00\x01\x02", 4) << 258 << QString();
    QTest::newRow("signal status") << QByteArray("\0\0\0\x89", 4) << 137 << QString();
    QTest::newRow("negative") << QByteArray("\xff\xff\xff\xff", 4) + "no status" << -1
                              << QStringLiteral("no status");
    QTest::newRow("utf-8 text") << QByteArray("\0\0\0\x7f", 4) + "실행 실패: /bin/없음" << 127
                                << QStringLiteral("실행 실패: /bin/없음");
    QTest::newRow("empty") << QByteArray() << 0 << QString();
    QTest::newRow("short") << QByteArray("\0\0\x05", 3) << 0 << QString();
}

void TestAttachProtocol::parseExit()
{
    QFETCH(QByteArray, payload);
    QFETCH(int, code);
    QFETCH(QString, message);
    const attach::ExitStatus status = attach::parseExit(payload);
    QCOMPARE(status.code, code);
    QCOMPARE(status.message, message);
}

// An exit frame split across reads arrives whole, after the output before it.
void TestAttachProtocol::exitFrameThroughReader()
{
    const QByteArray wire = attach::encode(attach::Frame::Stdout, "bye\n")
        + attach::encode(attach::Frame::Exit, QByteArray("\0\0\0\x02", 4) + "failed");
    attach::FrameReader reader;
    QList<std::pair<attach::Frame, QByteArray>> frames;
    for (const char c : wire) {
        reader.append(&c, 1);
        while (auto frame = reader.next())
            frames.append(*frame);
    }
    QCOMPARE(frames.size(), 2);
    QCOMPARE(frames[0].first, attach::Frame::Stdout);
    QCOMPARE(frames[0].second, QByteArray("bye\n"));
    QCOMPARE(frames[1].first, attach::Frame::Exit);
    const attach::ExitStatus status = attach::parseExit(frames[1].second);
    QCOMPARE(status.code, 2);
    QCOMPARE(status.message, QStringLiteral("failed"));
}

void TestAttachProtocol::parseResize_data()
{
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<int>("rows");
    QTest::addColumn<int>("cols");
    QTest::newRow("24x80") << attach::resizePayload(24, 80) << true << 24 << 80;
    QTest::newRow("large") << attach::resizePayload(1000, 65535) << true << 1000 << 65535;
    QTest::newRow("wire order") << QByteArray("\x00\x19\x00\x50", 4) << true << 25 << 80;
    QTest::newRow("zero rows") << attach::resizePayload(0, 80) << false << 0 << 0;
    QTest::newRow("zero cols") << attach::resizePayload(24, 0) << false << 0 << 0;
    QTest::newRow("short") << QByteArray("\x00\x19\x00", 3) << false << 0 << 0;
    QTest::newRow("long") << QByteArray("\x00\x19\x00\x50\x00", 5) << false << 0 << 0;
}

void TestAttachProtocol::parseResize()
{
    QFETCH(QByteArray, payload);
    QFETCH(bool, ok);
    QFETCH(int, rows);
    QFETCH(int, cols);
    int r = 0;
    int c = 0;
    QCOMPARE(attach::parseResize(payload, r, c), ok);
    if (ok) {
        QCOMPARE(r, rows);
        QCOMPARE(c, cols);
    }
}

QTEST_GUILESS_MAIN(TestAttachProtocol)
#include "tst_attachprotocol.moc"
