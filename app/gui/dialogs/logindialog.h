// LoginDialog: logs in to a registry through EngineService::login (the
// engine checks the credentials against the registry, then stores them as
// docker does). The dialog stays open while the job runs and closes on
// success; a failure is shown in it, the fields kept. The command line
// below never holds the password (it would be read from stdin).
// Threading: UI thread; the service must outlive the dialog.
#pragma once

#include <QDialog>

class QCheckBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;

namespace porthole::service {
class EngineService;
template <typename T>
class TypedJob;
}

namespace porthole::gui {

class CommandPreview;

class LoginDialog : public QDialog {
    Q_OBJECT
public:
    // insecureRegistries: the settings' list; one of them typed here starts
    // with TLS verification off.
    LoginDialog(service::EngineService *service, const QStringList &insecureRegistries, QWidget *parent = nullptr);

    // Empty: Docker Hub.
    QString registry() const;
    QString username() const;
    QString password() const;
    bool insecure() const;
    QString commandLine() const;
    quint64 jobId() const { return m_jobId; } // 0 when none runs
    QString errorText() const;

    QLineEdit *registryEdit() const { return m_registry; }
    QLineEdit *usernameEdit() const { return m_username; }
    QLineEdit *passwordEdit() const { return m_password; }
    QCheckBox *insecureBox() const { return m_insecure; }

public Q_SLOTS:
    // Starts the login job (the Log in button).
    void accept() override;

private:
    void update();
    void onFinished(const service::TypedJob<void> &job);

    service::EngineService *m_service;
    QStringList m_insecureRegistries;
    quint64 m_jobId = 0;
    QLineEdit *m_registry;
    QLineEdit *m_username;
    QLineEdit *m_password;
    QCheckBox *m_insecure;
    QLabel *m_error;
    CommandPreview *m_command;
    QDialogButtonBox *m_buttons;
};

} // namespace porthole::gui
