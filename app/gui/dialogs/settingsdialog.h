// SettingsDialog: the store root and the language (both read at start, so
// they take effect on restart, as the dialog says), the default commit
// author, the registries reached without TLS verification, and the
// terminal's font (monospaced families only, the system's fixed font by
// default; applied to open terminals when saved); a button
// asks for a registry login (loginRequested: the window opens LoginDialog,
// which needs the engine service). It edits an AppSettings value; the
// caller saves it. Threading: UI thread.
#pragma once

#include "gui/dialogs/appsettings.h"

#include <QDialog>

class QComboBox;
class QDialogButtonBox;
class QFontComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;

namespace porthole::gui {

class SettingsDialog : public QDialog {
    Q_OBJECT
public:
    // `defaultRoot` is shown as the placeholder of an empty root.
    SettingsDialog(const AppSettings &current, const QString &defaultRoot, QWidget *parent = nullptr);

    AppSettings settings() const;
    // Why the fields cannot be saved, or empty.
    QString validationError() const;

    QLineEdit *rootEdit() const { return m_root; }
    QLineEdit *authorEdit() const { return m_author; }
    QComboBox *languageBox() const { return m_language; }
    QPlainTextEdit *registriesEdit() const { return m_registries; }
    QPushButton *loginButton() const { return m_login; }
    QFontComboBox *terminalFontBox() const { return m_fontFamily; }
    QSpinBox *terminalSizeBox() const { return m_fontSize; }

Q_SIGNALS:
    void loginRequested();

private:
    void browseRoot();
    void validate();

    QLineEdit *m_root = nullptr;
    QLineEdit *m_author = nullptr;
    QComboBox *m_language = nullptr;
    QPlainTextEdit *m_registries = nullptr;
    QPushButton *m_login = nullptr;
    QFontComboBox *m_fontFamily = nullptr;
    QSpinBox *m_fontSize = nullptr;
    AppSettings m_current; // what the dialog does not edit (the zoom) comes from here
    QLabel *m_error = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
};

// Checks a registry host entry: "host", "host:port", "[v6]:port"; no scheme
// or path. Returns why it is refused, or empty.
QString registryHostError(const QString &entry);

} // namespace porthole::gui
