// The Korean translation is complete and loads; every source string has a
// Korean text, and the compiled catalogue is in the binary.
#include "support/testsupport.h"

#include <QCoreApplication>
#include <QFile>
#include <QTest>
#include <QTranslator>
#include <QXmlStreamReader>

class TestTranslations : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void koreanTsHasNoUnfinishedEntries();
    void koreanCatalogueLoadsAndTranslates();
};

void TestTranslations::koreanTsHasNoUnfinishedEntries()
{
    QFile ts(porthole::test::sourceDir() + QStringLiteral("/translations/porthole_ko.ts"));
    QVERIFY(ts.open(QIODevice::ReadOnly));
    QXmlStreamReader xml(&ts);
    int messages = 0;
    QString source;
    while (!xml.atEnd()) {
        xml.readNext();
        if (!xml.isStartElement())
            continue;
        if (xml.name() == QLatin1String("source")) {
            source = xml.readElementText();
            ++messages;
        } else if (xml.name() == QLatin1String("translation")) {
            const auto type = xml.attributes().value(QLatin1String("type"));
            QVERIFY2(type != QLatin1String("unfinished") && type != QLatin1String("obsolete") && type != QLatin1String("vanished"),
                     qPrintable(QStringLiteral("untranslated: %1").arg(source)));
            const QString text = xml.readElementText(QXmlStreamReader::IncludeChildElements);
            QVERIFY2(!text.trimmed().isEmpty(), qPrintable(QStringLiteral("empty translation: %1").arg(source)));
        }
    }
    QVERIFY(!xml.hasError());
    QVERIFY(messages > 5);
}

void TestTranslations::koreanCatalogueLoadsAndTranslates()
{
    QTranslator translator;
    QVERIFY(translator.load(QStringLiteral(":/i18n/porthole_ko.qm")));
    QCOMPARE(translator.translate("porthole::gui::MainWindow", "Images"), QStringLiteral("이미지"));
    QCOMPARE(translator.translate("porthole::gui::MainWindow", "%n image(s) in %1", nullptr, 3),
             QStringLiteral("%1에 이미지 %n개")); // %n is filled in by QCoreApplication::translate
}

QTEST_GUILESS_MAIN(TestTranslations)
#include "tst_translations.moc"
