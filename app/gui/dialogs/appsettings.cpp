#include "gui/dialogs/appsettings.h"

#include <QSettings>

namespace porthole::gui {

namespace {
const QString kRoot = QStringLiteral("store/root");
const QString kAuthor = QStringLiteral("commit/author");
const QString kLanguage = QStringLiteral("ui/language");
const QString kInsecure = QStringLiteral("registries/insecure");
} // namespace

AppSettings AppSettings::load(const QSettings &settings)
{
    AppSettings s;
    s.root = settings.value(kRoot).toString();
    s.author = settings.value(kAuthor).toString();
    s.language = settings.value(kLanguage).toString();
    s.insecureRegistries = settings.value(kInsecure).toStringList();
    return s;
}

void AppSettings::save(QSettings &settings) const
{
    settings.setValue(kRoot, root);
    settings.setValue(kAuthor, author);
    settings.setValue(kLanguage, language);
    settings.setValue(kInsecure, insecureRegistries);
}

AppSettings AppSettings::load()
{
    const QSettings settings;
    return load(settings);
}

void AppSettings::save() const
{
    QSettings settings;
    save(settings);
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
