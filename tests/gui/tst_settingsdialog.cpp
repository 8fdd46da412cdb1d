// The settings: the dialog edits them (registry host entries checked one by
// one, the terminal font among the monospaced ones), saving notifies, and
// they round-trip through QSettings with the language chosen.
#include "gui/dialogs/appsettings.h"
#include "gui/dialogs/settingsdialog.h"

#include "support/guitestsupport.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFontComboBox>
#include <QFontDatabase>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QtTest>

using namespace porthole;
using namespace porthole::gui;
using porthole::test::okEnabled;

class TestSettingsDialog : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void registryHosts_data()
    {
        QTest::addColumn<QString>("entry");
        QTest::addColumn<bool>("ok");
        QTest::newRow("host") << "registry.local" << true;
        QTest::newRow("host port") << "localhost:5000" << true;
        QTest::newRow("ip port") << "10.0.0.2:5000" << true;
        QTest::newRow("v6") << "[::1]:5000" << true;
        QTest::newRow("scheme") << "http://localhost:5000" << false;
        QTest::newRow("path") << "localhost:5000/v2" << false;
        QTest::newRow("space") << "my host" << false;
        QTest::newRow("port word") << "host:http" << false;
    }

    void registryHosts()
    {
        QFETCH(QString, entry);
        QFETCH(bool, ok);
        QCOMPARE(registryHostError(entry).isEmpty(), ok);
    }

    void settingsDialogEditsSettings()
    {
        AppSettings current;
        current.author = QStringLiteral("Lee <lee@example.com>");
        current.language = QStringLiteral("ko");
        current.insecureRegistries = {QStringLiteral("localhost:5000")};
        SettingsDialog dialog(current, QStringLiteral("/var/lib/porthole"));
        QCOMPARE(dialog.settings(), current);
        QCOMPARE(dialog.languageBox()->currentData().toString(), QStringLiteral("ko"));
        QCOMPARE(dialog.rootEdit()->placeholderText(), QStringLiteral("/var/lib/porthole"));

        dialog.rootEdit()->setText(QStringLiteral("/srv/porthole"));
        dialog.languageBox()->setCurrentIndex(0);
        dialog.registriesEdit()->setPlainText(QStringLiteral("localhost:5000\n\nregistry.lan:443\n"));
        const AppSettings edited = dialog.settings();
        QCOMPARE(edited.root, QStringLiteral("/srv/porthole"));
        QVERIFY(edited.language.isEmpty());
        QCOMPARE(edited.insecureRegistries, (QStringList{QStringLiteral("localhost:5000"), QStringLiteral("registry.lan:443")}));
        QVERIFY(okEnabled(dialog));
        dialog.registriesEdit()->setPlainText(QStringLiteral("https://registry.lan"));
        QVERIFY(!okEnabled(dialog));
        QSignalSpy login(&dialog, &SettingsDialog::loginRequested);
        dialog.loginButton()->click();
        QCOMPARE(login.size(), 1);
    }

    void terminalFontFromSettings_data()
    {
        QTest::addColumn<QString>("family");
        QTest::addColumn<int>("size");
        QTest::addColumn<bool>("systemFamily");
        QTest::addColumn<int>("expectedSize"); // 0: the system fixed font's
        QTest::newRow("defaults") << QString() << 0 << true << 0;
        QTest::newRow("size only") << QString() << 19 << true << 19;
        QTest::newRow("family and size") << QStringLiteral("Some Mono") << 8 << false << 8;
    }

    void terminalFontFromSettings()
    {
        QFETCH(QString, family);
        QFETCH(int, size);
        QFETCH(bool, systemFamily);
        QFETCH(int, expectedSize);
        const QFont system = QFontDatabase::systemFont(QFontDatabase::FixedFont);
        AppSettings s;
        s.terminalFontFamily = family;
        s.terminalFontSize = size;
        const QFont font = s.terminalFont();
        QCOMPARE(font.family(), systemFamily ? system.family() : family);
        QCOMPARE(font.pointSize(), expectedSize ? expectedSize : system.pointSize());
    }

    void settingsDialogEditsTheTerminalFont()
    {
        const QFont system = QFontDatabase::systemFont(QFontDatabase::FixedFont);
        AppSettings current;
        current.terminalZoom = 3;
        SettingsDialog dialog(current, QString());
        QCOMPARE(dialog.terminalFontBox()->fontFilters(), QFontComboBox::MonospacedFonts);
        for (int i = 0; i < dialog.terminalFontBox()->count(); ++i)
            QVERIFY2(QFontDatabase::isFixedPitch(dialog.terminalFontBox()->itemText(i)), qPrintable(dialog.terminalFontBox()->itemText(i)));
        QCOMPARE(dialog.terminalSizeBox()->value(), system.pointSize());
        // Untouched: still "the system's font", and the zoom is kept.
        QCOMPARE(dialog.settings(), current);

        dialog.terminalSizeBox()->setValue(system.pointSize() + 5);
        AppSettings edited = dialog.settings();
        QCOMPARE(edited.terminalFontSize, system.pointSize() + 5);
        QVERIFY(edited.terminalFontFamily.isEmpty());
        QCOMPARE(edited.terminalZoom, 0); // a new size starts without zoom
        QCOMPARE(edited.terminalFont().pointSize(), system.pointSize() + 5);

        // A chosen family and size come back as they were.
        const QString family = dialog.terminalFontBox()->itemText(0);
        current.terminalFontFamily = family;
        current.terminalFontSize = 23;
        SettingsDialog chosen(current, QString());
        QCOMPARE(chosen.terminalFontBox()->currentFont().family(), family);
        QCOMPARE(chosen.terminalSizeBox()->value(), 23);
        QCOMPARE(chosen.settings(), current);
    }

    void savingTheSettingsNotifies()
    {
        QTemporaryDir dir;
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, dir.path());
        QCoreApplication::setOrganizationName(QStringLiteral("porthole-test"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_dialogs"));
        QSignalSpy saved(AppSettingsNotifier::instance(), &AppSettingsNotifier::saved);
        AppSettings s;
        s.terminalFontSize = 21;
        s.terminalZoom = 1;
        s.save();
        QCOMPARE(saved.size(), 1);
        QCOMPARE(saved.at(0).at(0).value<AppSettings>(), s);
        AppSettings::saveTerminalZoom(4);
        QCOMPARE(saved.size(), 1); // the terminal's own write is not news to it
        s.terminalZoom = 4;
        QCOMPARE(AppSettings::load(), s);
    }

    void settingsRoundTripAndLanguage()
    {
        QTemporaryDir dir;
        QSettings settings(dir.filePath(QStringLiteral("p.ini")), QSettings::IniFormat);
        AppSettings s;
        s.root = QStringLiteral("/srv/p");
        s.author = QStringLiteral("A <a@b>");
        s.language = QStringLiteral("en");
        s.insecureRegistries = {QStringLiteral("a:1"), QStringLiteral("b")};
        s.terminalFontFamily = QStringLiteral("DejaVu Sans Mono");
        s.terminalFontSize = 15;
        s.terminalZoom = -2;
        s.save(settings);
        QCOMPARE(AppSettings::load(settings), s);

        qunsetenv("PORTHOLE_LANG");
        QCOMPARE(effectiveLanguage(AppSettings{}, QStringLiteral("ko_KR")), QStringLiteral("ko_KR"));
        QCOMPARE(effectiveLanguage(s, QStringLiteral("ko_KR")), QStringLiteral("en"));
        qputenv("PORTHOLE_LANG", "ko");
        QCOMPARE(effectiveLanguage(s, QStringLiteral("de_DE")), QStringLiteral("ko"));
        qunsetenv("PORTHOLE_LANG");
    }
};

QTEST_MAIN(TestSettingsDialog)
#include "tst_settingsdialog.moc"
