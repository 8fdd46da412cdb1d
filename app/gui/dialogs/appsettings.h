// AppSettings: what the settings dialog edits, kept in QSettings (the
// application's organization and name, set by guiapp). Plain value type;
// load and save touch QSettings, so UI thread (or any one thread).
#pragma once

#include <QFont>
#include <QObject>
#include <QString>
#include <QStringList>

class QSettings;

namespace porthole::gui {

struct AppSettings {
    QString root;     // the store root; empty: the engine's default
    QString author;   // commit --author default, "Name <email>"
    QString language; // empty: the system's; otherwise a locale name ("en", "ko")
    QStringList insecureRegistries; // host[:port] reached over HTTP or unverified TLS
    // Empty and 0 follow the system's fixed font, so a changed desktop font
    // reaches the terminal until the user picks one.
    QString terminalFontFamily;
    int terminalFontSize = 0; // points
    // Ctrl+= / Ctrl+- in the terminal, in points added to the size; kept
    // apart from the size so Reset Zoom goes back to the chosen size.
    int terminalZoom = 0;

    // The font the terminal uses, defaults resolved. Needs a QGuiApplication.
    QFont terminalFont() const;

    static AppSettings load(const QSettings &settings);
    void save(QSettings &settings) const;
    // From and to the application's default QSettings.
    static AppSettings load();
    // Also emits AppSettingsNotifier::saved, so open windows apply it.
    void save() const;
    // Only the zoom key: the terminal writes it on every zoom step and must
    // not write back a stale copy of the other settings.
    static void saveTerminalZoom(int steps);

    friend bool operator==(const AppSettings &, const AppSettings &) = default;
};

// The language to load: PORTHOLE_LANG, else the setting, else the system
// locale's. Returns a locale name for QLocale ("ko_KR", "en").
QString effectiveLanguage(const AppSettings &settings, const QString &systemLocaleName);

// Who saves the settings (the main window, after the settings dialog) and
// who applies them (the terminal window) do not know each other; this
// process-wide object tells the latter when AppSettings::save() ran.
class AppSettingsNotifier : public QObject {
    Q_OBJECT
public:
    static AppSettingsNotifier *instance();

Q_SIGNALS:
    void saved(const porthole::gui::AppSettings &settings);
};

} // namespace porthole::gui
