// format.h against go-units', stringid's and docker/cli's own test vectors, and
// text/tabwriter output as `docker images` prints it.
#include "format/format.h"

#include <QTest>

using namespace porthole::format;

class TestFormat : public QObject {
    Q_OBJECT

private slots:
    void humanSize_data()
    {
        QTest::addColumn<double>("size");
        QTest::addColumn<int>("precision");
        QTest::addColumn<QString>("expected");
        // go-units TestHumanSize (precision 4).
        QTest::newRow("1000") << 1000.0 << 4 << "1kB";
        QTest::newRow("1024") << 1024.0 << 4 << "1.024kB";
        QTest::newRow("1000000") << 1000000.0 << 4 << "1MB";
        QTest::newRow("1048576") << 1048576.0 << 4 << "1.049MB";
        QTest::newRow("2MB") << 2e6 << 4 << "2MB";
        QTest::newRow("3.42GB") << 3.42e9 << 4 << "3.42GB";
        QTest::newRow("5.372TB") << 5.372e12 << 4 << "5.372TB";
        QTest::newRow("2.22PB") << 2.22e15 << 4 << "2.22PB";
        QTest::newRow("1e+04YB") << 1e28 << 4 << "1e+04YB";
        // docker images (precision 3).
        QTest::newRow("0B") << 0.0 << 3 << "0B";
        QTest::newRow("999B") << 999.0 << 3 << "999B";
        QTest::newRow("1kB") << 1000.0 << 3 << "1kB";
        QTest::newRow("4.26MB") << 4260000.0 << 3 << "4.26MB";
        QTest::newRow("7.33MB") << 7333000.0 << 3 << "7.33MB";
        QTest::newRow("77.8MB") << 77812345.0 << 3 << "77.8MB";
        QTest::newRow("123MB") << 123456789.0 << 3 << "123MB";
        QTest::newRow("1.23GB") << 1234567890.0 << 3 << "1.23GB";
        QTest::newRow("tie to even") << 1125.0 << 3 << "1.12kB";
        QTest::newRow("above tie") << 1135.0 << 3 << "1.14kB";
        QTest::newRow("rounds up to 1e+03") << 999900.0 << 3 << "1e+03kB";
        QTest::newRow("precision 0 as 1") << 4260000.0 << 0 << "4MB";
    }

    void humanSize()
    {
        QFETCH(double, size);
        QFETCH(int, precision);
        QFETCH(QString, expected);
        QCOMPARE(humanSizeWithPrecision(size, precision), expected);
        if (precision == 3)
            QCOMPARE(porthole::format::humanSize(qint64(size)), expected);
    }

    void decimalPointIgnoresLocale()
    {
        const QByteArray old = setlocale(LC_NUMERIC, nullptr);
        if (!setlocale(LC_NUMERIC, "de_DE.UTF-8") && !setlocale(LC_NUMERIC, "fr_FR.UTF-8"))
            QSKIP("no locale with a decimal comma installed");
        const QString s = porthole::format::humanSize(4260000);
        setlocale(LC_NUMERIC, old.constData());
        QCOMPARE(s, QString("4.26MB"));
    }

    void bytesSize_data()
    {
        QTest::addColumn<double>("size");
        QTest::addColumn<QString>("expected");
        // go-units TestBytesSize.
        const double KiB = 1024, MiB = KiB * 1024, GiB = MiB * 1024, TiB = GiB * 1024, PiB = TiB * 1024;
        QTest::newRow("1KiB") << KiB << "1KiB";
        QTest::newRow("1MiB") << MiB << "1MiB";
        QTest::newRow("1048576") << 1048576.0 << "1MiB";
        QTest::newRow("2MiB") << 2 * MiB << "2MiB";
        QTest::newRow("3.42GiB") << 3.42 * GiB << "3.42GiB";
        QTest::newRow("5.372TiB") << 5.372 * TiB << "5.372TiB";
        QTest::newRow("2.22PiB") << 2.22 * PiB << "2.22PiB";
        QTest::newRow("1.049e+06YiB") << KiB * KiB * KiB * KiB * KiB * PiB << "1.049e+06YiB";
        QTest::newRow("500B") << 500.0 << "500B";
    }

    void bytesSize()
    {
        QFETCH(double, size);
        QFETCH(QString, expected);
        QCOMPARE(porthole::format::bytesSize(size), expected);
    }

    void humanDuration_data()
    {
        QTest::addColumn<qint64>("seconds");
        QTest::addColumn<QString>("expected");
        // go-units TestHumanDuration, in seconds.
        const qint64 minute = 60, hour = 60 * minute, day = 24 * hour, week = 7 * day,
                     month = 30 * day, year = 365 * day;
        const struct {
            qint64 s;
            const char *text;
        } rows[] = {
            {0, "Less than a second"}, // 450ms
            {-5, "Less than a second"},
            {1, "1 second"},
            {45, "45 seconds"},
            {46, "46 seconds"},
            {59, "59 seconds"},
            {60, "About a minute"},
            {3 * minute, "3 minutes"},
            {35 * minute, "35 minutes"},
            {35 * minute + 40, "35 minutes"},
            {45 * minute, "45 minutes"},
            {45 * minute + 40, "45 minutes"},
            {46 * minute, "46 minutes"},
            {59 * minute, "59 minutes"},
            {hour, "About an hour"},
            {hour + 29 * minute, "About an hour"},
            {hour + 31 * minute, "2 hours"},
            {hour + 59 * minute, "2 hours"},
            {3 * hour, "3 hours"},
            {3 * hour + 29 * minute, "3 hours"},
            {3 * hour + 31 * minute, "4 hours"},
            {3 * hour + 59 * minute, "4 hours"},
            {3 * hour + 60 * minute, "4 hours"},
            {24 * hour, "24 hours"},
            {day + 12 * hour, "36 hours"},
            {2 * day, "2 days"},
            {7 * day, "7 days"},
            {13 * day + 5 * hour, "13 days"},
            {2 * week, "2 weeks"},
            {2 * week + 4 * day, "2 weeks"},
            {3 * week, "3 weeks"},
            {4 * week, "4 weeks"},
            {4 * week + 3 * day, "4 weeks"},
            {month, "4 weeks"},
            {month + 2 * week, "6 weeks"},
            {2 * month, "2 months"},
            {2 * month + 2 * week, "2 months"},
            {3 * month, "3 months"},
            {3 * month + week, "3 months"},
            {5 * month + 2 * week, "5 months"},
            {13 * month, "13 months"},
            {23 * month, "23 months"},
            {24 * month, "24 months"},
            {24 * month + 2 * week, "2 years"},
            {3 * year + 2 * month, "3 years"},
        };
        for (const auto &r : rows)
            QTest::newRow(qPrintable(QString::number(r.s))) << r.s << QString(r.text);
    }

    void humanDuration()
    {
        QFETCH(qint64, seconds);
        QFETCH(QString, expected);
        QCOMPARE(porthole::format::humanDuration(seconds), expected);
    }

    void timeAgo()
    {
        const QDateTime now = QDateTime::fromSecsSinceEpoch(1700000000, Qt::UTC);
        QCOMPARE(porthole::format::timeAgo(now.addDays(-14), now), QString("2 weeks ago"));
        QCOMPARE(porthole::format::timeAgo(now.addSecs(-90 * 60), now), QString("2 hours ago"));
        // Sub-second remainders truncate, as Go's int(d.Seconds()).
        QCOMPARE(porthole::format::timeAgo(now.addMSecs(-1999), now), QString("1 second ago"));
        QCOMPARE(porthole::format::timeAgo(now.addSecs(30), now), QString("Less than a second ago"));
        QCOMPARE(porthole::format::timeAgo(QDateTime(), now), QString());
    }

    void shortId_data()
    {
        QTest::addColumn<QString>("id");
        QTest::addColumn<QString>("expected");
        // docker's stringid TestTruncateID and what `docker images` shows.
        QTest::newRow("long") << "90435eec5c4e124e741ef731e118be2fc799a68aba0466ec17717f24ce2ae6a2" << "90435eec5c4e";
        QTest::newRow("digest") << "sha256:90435eec5c4e124e741ef731e118be2fc799a68aba0466ec17717f24ce2ae6a2"
                                << "90435eec5c4e";
        QTest::newRow("short") << "abcd" << "abcd";
        QTest::newRow("empty") << "" << "";
    }

    void shortId()
    {
        QFETCH(QString, id);
        QFETCH(QString, expected);
        QCOMPARE(porthole::format::shortId(id), expected);
    }

    void charWidth_data()
    {
        QTest::addColumn<uint>("c");
        QTest::addColumn<int>("width");
        QTest::newRow("ascii") << uint('a') << 1;
        QTest::newRow("latin e-acute") << 0xE9u << 1;
        QTest::newRow("hangul syllable") << 0xD55Cu << 2;
        QTest::newRow("hangul jamo") << 0x1100u << 2;
        QTest::newRow("cjk") << 0x4F60u << 2;
        QTest::newRow("ideographic space") << 0x3000u << 2;
        QTest::newRow("fullwidth A") << 0xFF21u << 2;
        QTest::newRow("halfwidth katakana") << 0xFF71u << 1;
        QTest::newRow("whale emoji") << 0x1F433u << 2;
        QTest::newRow("cjk ext B") << 0x20000u << 2;
        QTest::newRow("ellipsis") << 0x2026u << 1;
        QTest::newRow("box drawing") << 0x2500u << 1;
    }

    void charWidth()
    {
        QFETCH(uint, c);
        QFETCH(int, width);
        QCOMPARE(porthole::format::charWidth(c), width);
    }

    void ellipsis_data()
    {
        QTest::addColumn<QString>("source");
        QTest::addColumn<int>("width");
        QTest::addColumn<QString>("expected");
        // docker/cli TestEllipsis.
        const QString whale = QString::fromUtf8("t🐳ststring");
        const QString cjk = QString::fromUtf8("你好世界teststring");
        QTest::newRow("whale 0") << whale << 0 << "";
        QTest::newRow("whale 1") << whale << 1 << "t";
        QTest::newRow("whale 2") << whale << 2 << QString::fromUtf8("t…");
        QTest::newRow("whale 6") << whale << 6 << QString::fromUtf8("t🐳st…");
        QTest::newRow("whale 20") << whale << 20 << whale;
        QTest::newRow("cjk 0") << cjk << 0 << "";
        QTest::newRow("cjk 1") << cjk << 1 << QString::fromUtf8("你");
        QTest::newRow("cjk 3") << cjk << 3 << QString::fromUtf8("你…");
        QTest::newRow("cjk 6") << cjk << 6 << QString::fromUtf8("你好…");
        QTest::newRow("cjk 20") << cjk << 20 << cjk;
        // docker's quirk: no prefix fits before the "…", so nothing is cut.
        QTest::newRow("cjk 2") << cjk << 2 << cjk;
        QTest::newRow("ascii fits") << "abc" << 3 << "abc";
        QTest::newRow("ascii cut") << "abcd" << 3 << QString::fromUtf8("ab…");
        QTest::newRow("empty") << "" << 5 << "";
        QTest::newRow("history created by")
            << "/bin/sh -c #(nop) ADD file:8e81116368669ed3dd361bc898d61bff249f524139 in / " << 45
            << QString::fromUtf8("/bin/sh -c #(nop) ADD file:8e81116368669ed3d…");
        QTest::newRow("hangul") << QString::fromUtf8("한국어 이미지") << 8 << QString::fromUtf8("한국어 …");
    }

    void ellipsis()
    {
        QFETCH(QString, source);
        QFETCH(int, width);
        QFETCH(QString, expected);
        const QString got = porthole::format::ellipsis(source, width);
        QCOMPARE(got, expected);
        if (width > 1 && got != source)
            QVERIFY(displayWidth(got) <= width);
    }

    void dockerImagesTable()
    {
        TableWriter t;
        t.addRow({"REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE"});
        t.addRow({"alpine", "latest", "c1aabb73d233", "2 weeks ago", "7.33MB"});
        t.addRow({"ghcr.io/porthole/demo", "1.0", "0123456789ab", "3 months ago", "123MB"});
        t.addRow({"<none>", "<none>", "fedcba987654", "2 years ago", "1.23GB"});
        const QString expected =
            "REPOSITORY              TAG       IMAGE ID       CREATED        SIZE\n"
            "alpine                  latest    c1aabb73d233   2 weeks ago    7.33MB\n"
            "ghcr.io/porthole/demo   1.0       0123456789ab   3 months ago   123MB\n"
            "<none>                  <none>    fedcba987654   2 years ago    1.23GB\n";
        QCOMPARE(t.render(), expected);
    }

    void shortTableUsesMinWidth()
    {
        TableWriter t;
        t.addRow({"ID", "NAME"});
        t.addRow({"1", "a"});
        QCOMPARE(t.render(), QString("ID        NAME\n1         a\n"));
    }

    void wideCharacters()
    {
        TableWriter t;
        t.addRow({QString::fromUtf8("이름"), QString::fromUtf8("크기")});
        t.addRow({QString::fromUtf8("알파인 리눅스"), "7.33MB"});
        t.addRow({"busybox", "4.26MB"});
        // "알파인 리눅스" is 13 columns wide, so the column is 16.
        const QString expected = QString::fromUtf8("이름            크기\n"
                                                   "알파인 리눅스   7.33MB\n"
                                                   "busybox         4.26MB\n");
        QCOMPARE(t.render(), expected);
    }

    void shorterRowEndsColumnBlock()
    {
        TableWriter t;
        t.addRow({"short", "1"});
        t.addRow({"-- a line with no tab-terminated cell --"});
        t.addRow({"a-very-long-cell", "2"});
        t.addRow({"x", "3"});
        const QString expected =
            "short     1\n"
            "-- a line with no tab-terminated cell --\n"
            "a-very-long-cell   2\n"
            "x                  3\n";
        QCOMPARE(t.render(), expected);
    }

    void raggedRows()
    {
        TableWriter t;
        t.addRow({"a", "b"});
        t.addRow({"cccccccccccccc", "d", "e"});
        t.addRow({"", "x", ""});
        t.addRow({});
        // Column 0 spans the first three rows (width 17); column 1 exists only
        // in rows 2 and 3, and the last cell of each row is never padded.
        const QString expected =
            "a                b\n"
            "cccccccccccccc   d         e\n"
            "                 x         \n"
            "\n";
        QCOMPARE(t.render(), expected);
    }

    void customWidths()
    {
        TableWriter t(0, 1);
        t.addRow({"a", "bb", "c"});
        t.addRow({"aaa", "b", "c"});
        QCOMPARE(t.render(), QString("a   bb c\naaa b  c\n"));
        t.clear();
        QCOMPARE(t.render(), QString());
    }
};

QTEST_GUILESS_MAIN(TestFormat)
#include "tst_format.moc"
