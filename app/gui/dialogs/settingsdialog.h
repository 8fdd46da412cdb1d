// SettingsDialog: the store root and the language (both read at start, so
// they take effect on restart, as the dialog says), the default commit
// author, and the registries reached without TLS verification; a button
// asks for a registry login (loginRequested: the window opens LoginDialog,
// which needs the engine service). It edits an AppSettings value; the
// caller saves it. Threading: UI thread.
#pragma once

#include "gui/dialogs/appsettings.h"

#include <QDialog>

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;

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
    QLabel *m_error = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
};

// Checks a registry host entry: "host", "host:port", "[v6]:port"; no scheme
// or path. Returns why it is refused, or empty.
QString registryHostError(const QString &entry);

} // namespace porthole::gui
