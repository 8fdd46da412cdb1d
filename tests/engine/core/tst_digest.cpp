// Digest strings become file names under blobs/sha256/, so parsing must be strict;
// Sha256 must agree with the standard vectors however the input is chunked.
#include "core/digest.h"

#include <QRandomGenerator>
#include <QSet>
#include <QTest>

using namespace porthole;

namespace {

const QString kHex = QStringLiteral("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");

} // namespace

class TestDigest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void parseValid();
    void parseInvalid_data();
    void parseInvalid();
    void defaultIsInvalid();
    void fromSha256Bytes();
    void equalityOrderHash();
    void knownVectors_data();
    void knownVectors();
    void millionA();
    void streamingEqualsOneShot_data();
    void streamingEqualsOneShot();
    void finishResets();
};

void TestDigest::parseValid()
{
    const auto d = Digest::parse(QStringLiteral("sha256:") + kHex);
    QVERIFY(d.ok());
    QVERIFY(d->isValid());
    QCOMPARE(d->algorithm(), QStringLiteral("sha256"));
    QCOMPARE(d->hex(), kHex);
    QCOMPARE(d->toString(), QStringLiteral("sha256:") + kHex);
    QCOMPARE(d->shortHex(), QStringLiteral("e3b0c44298fc"));
}

void TestDigest::parseInvalid_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expected"); // a part of the message

    const QString p = QStringLiteral("sha256:");
    QTest::newRow("empty") << QString() << "expected sha256:<64 hex digits>";
    QTest::newRow("prefix only") << p << "expected 64 hex digits, got 0";
    QTest::newRow("no prefix") << kHex << "expected sha256:<64 hex digits>";
    QTest::newRow("upper-case hex") << p + kHex.toUpper() << "'E' is not a lower-case hex digit";
    QTest::newRow("one upper-case digit") << p + kHex.left(63) + u'F' << "'F' is not a lower-case hex digit";
    QTest::newRow("upper-case algorithm") << QStringLiteral("SHA256:") + kHex << "unsupported algorithm \"SHA256\"";
    QTest::newRow("63 digits") << p + kHex.left(63) << "expected 64 hex digits, got 63";
    QTest::newRow("65 digits") << p + kHex + u'0' << "expected 64 hex digits, got 65";
    QTest::newRow("sha512") << QStringLiteral("sha512:") + QString(128, u'a') << "unsupported algorithm \"sha512\"";
    QTest::newRow("md5") << QStringLiteral("md5:d41d8cd98f00b204e9800998ecf8427e") << "unsupported algorithm \"md5\"";
    QTest::newRow("sha256+b64") << QStringLiteral("sha256+b64:") + kHex << "unsupported algorithm \"sha256+b64\"";
    QTest::newRow("leading space") << u' ' + p + kHex << "unsupported algorithm \" sha256\"";
    QTest::newRow("trailing space") << p + kHex + u' ' << "expected 64 hex digits, got 65";
    QTest::newRow("trailing newline") << p + kHex + u'\n' << "expected 64 hex digits, got 65";
    QTest::newRow("space in hex") << p + kHex.left(32) + u' ' + kHex.mid(33) << "' ' is not a lower-case hex digit";
    QTest::newRow("not hex") << p + QString(64, u'g') << "'g' is not a lower-case hex digit";
    // Exactly 64 characters, so only the character check stands between this and a path.
    QTest::newRow("dot-dot path") << p + QStringLiteral("../../../../etc/passwd") + QString(42, u'a')
                                  << "'.' is not a lower-case hex digit";
    QTest::newRow("slash") << p + kHex.left(32) + u'/' + kHex.mid(33) << "'/' is not a lower-case hex digit";
    QTest::newRow("double colon") << QStringLiteral("sha256::") + kHex.left(63) << "':' is not a lower-case hex digit";
    QTest::newRow("non-ascii digit") << p + kHex.left(63) + QChar(0x0661) << "is not a lower-case hex digit";
}

void TestDigest::parseInvalid()
{
    QFETCH(QString, text);
    QFETCH(QString, expected);
    const auto d = Digest::parse(text);
    QVERIFY2(!d.ok(), qPrintable(QStringLiteral("accepted ") + text));
    QCOMPARE(d.error().code, ErrorCode::InvalidArgument);
    QVERIFY2(d.error().message.contains(expected), qPrintable(d.error().message));
    // The message quotes the offending value (cut at 100 characters).
    QVERIFY2(d.error().message.contains(text.left(100)), qPrintable(d.error().message));
}

void TestDigest::defaultIsInvalid()
{
    const Digest d;
    QVERIFY(!d.isValid());
    QVERIFY(d.toString().isEmpty());
    QVERIFY(d.hex().isEmpty());
    QVERIFY(d != *Digest::parse(QStringLiteral("sha256:") + kHex));
}

void TestDigest::fromSha256Bytes()
{
    const QByteArray raw = QByteArray::fromHex(kHex.toLatin1());
    QCOMPARE(raw.size(), 32);
    const Digest d = Digest::fromSha256Bytes(raw);
    QCOMPARE(d.hex(), kHex);
    QCOMPARE(d, *Digest::parse(d.toString()));
}

void TestDigest::equalityOrderHash()
{
    const Digest a = *Digest::parse(QStringLiteral("sha256:") + QString(64, u'a'));
    const Digest a2 = *Digest::parse(QStringLiteral("sha256:") + QString(64, u'a'));
    const Digest b = *Digest::parse(QStringLiteral("sha256:") + QString(64, u'b'));
    QCOMPARE(a, a2);
    QVERIFY(a != b);
    QVERIFY(a < b);
    QVERIFY(!(b < a));
    QCOMPARE(qHash(a), qHash(a2));
    QSet<Digest> set{a, a2, b};
    QCOMPARE(set.size(), 2);
}

void TestDigest::knownVectors_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QString>("hex");
    QTest::newRow("empty") << QByteArray() << kHex;
    QTest::newRow("abc") << QByteArray("abc")
                         << "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    QTest::newRow("448 bits") << QByteArray("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
                              << "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1";
    QTest::newRow("quick brown fox") << QByteArray("The quick brown fox jumps over the lazy dog")
                                     << "d7a8fbb307d7809469ca9abcb0082e4f8d5651e46d3cdb762d02d0bf37c9e592";
}

void TestDigest::knownVectors()
{
    QFETCH(QByteArray, input);
    QFETCH(QString, hex);
    QCOMPARE(Sha256::of(input).toString(), QStringLiteral("sha256:") + hex);

    // Byte by byte, through the pointer overload.
    Sha256 h;
    for (char c : input)
        h.update(&c, 1);
    QCOMPARE(h.bytesHashed(), quint64(input.size()));
    QCOMPARE(h.finish().hex(), hex);
}

void TestDigest::millionA()
{
    Sha256 h;
    const QByteArray chunk(1000, 'a');
    for (int i = 0; i < 1000; ++i)
        h.update(chunk);
    QCOMPARE(h.bytesHashed(), quint64(1000000));
    QCOMPARE(h.finish().hex(), QStringLiteral("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"));
}

void TestDigest::streamingEqualsOneShot_data()
{
    QTest::addColumn<int>("size");
    QTest::addColumn<int>("chunk");
    for (int size : {0, 1, 55, 56, 63, 64, 65, 1000, 65536 + 17})
        for (int chunk : {1, 7, 64, 4096})
            QTest::addRow("%d bytes in %d-byte chunks", size, chunk) << size << chunk;
}

void TestDigest::streamingEqualsOneShot()
{
    QFETCH(int, size);
    QFETCH(int, chunk);
    QByteArray data(size, Qt::Uninitialized);
    QRandomGenerator rng(quint32(size * 31 + chunk));
    for (char &c : data)
        c = char(rng.bounded(256));

    Sha256 h;
    for (int off = 0; off < size; off += chunk)
        h.update(QByteArrayView(data.constData() + off, qMin(chunk, size - off)));
    QCOMPARE(h.bytesHashed(), quint64(size));
    const Digest streamed = h.finish();
    QCOMPARE(streamed, Sha256::of(data));
    QVERIFY(streamed.isValid());
    QCOMPARE(streamed.hex().size(), 64);
}

void TestDigest::finishResets()
{
    Sha256 h;
    h.update(QByteArrayView("abc"));
    QCOMPARE(h.finish(), Sha256::of("abc"));
    QCOMPARE(h.bytesHashed(), quint64(0));
    // A second round must not carry state over from the first.
    h.update(QByteArrayView("abc"));
    QCOMPARE(h.finish(), Sha256::of("abc"));
    QCOMPARE(h.finish().hex(), kHex);
}

QTEST_GUILESS_MAIN(TestDigest)
#include "tst_digest.moc"
