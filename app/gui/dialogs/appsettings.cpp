#include "gui/dialogs/appsettings.h"

#include <QFontDatabase>
#include <QSettings>

#include <algorithm>

namespace porthole::gui {

namespace {
const QString kRoot = QStringLiteral("store/root");
const QString kAuthor = QStringLiteral("commit/author");
const QString kLanguage = QStringLiteral("ui/language");
const QString kInsecure = QStringLiteral("registries/insecure");
const QString kTerminalFamily = QStringLiteral("terminal/fontFamily");
const QString kTerminalSize = QStringLiteral("terminal/fontSize");
const QString kTerminalZoom = QStringLiteral("terminal/zoom");
} // namespace

AppSettings AppSettings::load(const QSettings &settings)
{
    AppSettings s;
    s.root = settings.value(kRoot).toString();
    s.author = settings.value(kAuthor).toString();
    s.language = settings.value(kLanguage).toString();
    s.insecureRegistries = settings.value(kInsecure).toStringList();
    s.terminalFontFamily = settings.value(kTerminalFamily).toString();
    s.terminalFontSize = std::max(0, settings.value(kTerminalSize).toInt());
    s.terminalZoom = settings.value(kTerminalZoom).toInt();
    return s;
}

void AppSettings::save(QSettings &settings) const
{
    settings.setValue(kRoot, root);
    settings.setValue(kAuthor, author);
    settings.setValue(kLanguage, language);
    settings.setValue(kInsecure, insecureRegistries);
    settings.setValue(kTerminalFamily, terminalFontFamily);
    settings.setValue(kTerminalSize, terminalFontSize);
    settings.setValue(kTerminalZoom, terminalZoom);
}

AppSettings AppSettings::load()
{
    const QSettings settings;
    return load(settings);
}

void AppSettings::save() const
{
    {
        QSettings settings;
        save(settings);
    } // written before anyone told reloads it
    Q_EMIT AppSettingsNotifier::instance()->saved(*this);
}

void AppSettings::saveTerminalZoom(int steps)
{
    QSettings().setValue(kTerminalZoom, steps);
}

QFont AppSettings::terminalFont() const
{
    QFont font = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    if (!terminalFontFamily.isEmpty())
        font.setFamily(terminalFontFamily);
    if (terminalFontSize > 0)
        font.setPointSize(terminalFontSize);
    return font;
}

AppSettingsNotifier *AppSettingsNotifier::instance()
{
    static AppSettingsNotifier notifier;
    return &notifier;
}

QString effectiveLanguage(const AppSettings &settings, const QString &systemLocaleName)
{
    const QString env = qEnvironmentVariable("PORTHOLE_LANG");
    if (!env.isEmpty())
        return env;
    if (!settings.language.isEmpty())
        return settings.language;
    return systemLocaleName;
}

} // namespace porthole::gui
