// AppSettings: what the settings dialog edits, kept in QSettings (the
// application's organization and name, set by guiapp). Plain value type;
// load and save touch QSettings, so UI thread (or any one thread).
#pragma once

#include <QString>
#include <QStringList>

class QSettings;

namespace porthole::gui {

struct AppSettings {
    QString root;     // the store root; empty: the engine's default
    QString author;   // commit --author default, "Name <email>"
    QString language; // empty: the system's; otherwise a locale name ("en", "ko")
    QStringList insecureRegistries; // host[:port] reached over HTTP or unverified TLS

    static AppSettings load(const QSettings &settings);
    void save(QSettings &settings) const;
    // From and to the application's default QSettings.
    static AppSettings load();
    void save() const;

    friend bool operator==(const AppSettings &, const AppSettings &) = default;
};

// The language to load: PORTHOLE_LANG, else the setting, else the system
// locale's. Returns a locale name for QLocale ("ko_KR", "en").
QString effectiveLanguage(const AppSettings &settings, const QString &systemLocaleName);

} // namespace porthole::gui
