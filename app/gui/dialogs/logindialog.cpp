#include "gui/dialogs/logindialog.h"

#include "gui/dialogs/commandpreview.h"
#include "gui/dialogs/formutil.h"
#include "service/clicommand.h"
#include "service/engineservice.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace porthole::gui {

LoginDialog::LoginDialog(service::EngineService *service, const QStringList &insecureRegistries, QWidget *parent)
    : QDialog(parent), m_service(service), m_insecureRegistries(insecureRegistries)
{
    setWindowTitle(tr("Log in to a registry"));
    auto *form = new QFormLayout;
    m_registry = new QLineEdit(this);
    m_registry->setPlaceholderText(tr("docker.io (Docker Hub)"));
    m_registry->setMinimumWidth(textWidth(this, 36));
    form->addRow(tr("&Registry:"), m_registry);
    m_username = new QLineEdit(this);
    form->addRow(tr("&User name:"), m_username);
    m_password = new QLineEdit(this);
    m_password->setEchoMode(QLineEdit::Password);
    form->addRow(tr("&Password:"), m_password);
    m_insecure = new QCheckBox(tr("Do not &verify TLS (--tls-verify=false): plain HTTP or an unchecked certificate"), this);
    form->addRow(QString(), m_insecure);
    auto *note = makeNoteLabel(this);
    note->setText(tr("Porthole checks the user name and password with the registry, then keeps them where docker "
                     "keeps its logins, so pulls and pushes use them."));
    m_error = makeNoteLabel(this);
    setError(m_error, {});
    m_command = new CommandPreview(this);
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    translateButtons(m_buttons, tr("Log in"));
    connect(m_buttons, &QDialogButtonBox::accepted, this, &LoginDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(note);
    layout->addWidget(m_error);
    layout->addWidget(m_command);
    layout->addWidget(m_buttons);

    connect(m_registry, &QLineEdit::textChanged, this, [this] {
        m_insecure->setChecked(m_insecureRegistries.contains(registry()));
        update();
    });
    for (QLineEdit *edit : {m_username, m_password})
        connect(edit, &QLineEdit::textChanged, this, &LoginDialog::update);
    connect(m_insecure, &QCheckBox::toggled, this, &LoginDialog::update);
    update();
}

QString LoginDialog::registry() const { return m_registry->text().trimmed(); }
QString LoginDialog::username() const { return m_username->text().trimmed(); }
QString LoginDialog::password() const { return m_password->text(); }
bool LoginDialog::insecure() const { return m_insecure->isChecked(); }
QString LoginDialog::commandLine() const { return m_command->command(); }
QString LoginDialog::errorText() const { return m_error->accessibleDescription(); }

void LoginDialog::update()
{
    m_command->setCommand(service::loginCommand(registry(), username(), insecure()));
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(!m_jobId && !username().isEmpty() && !password().isEmpty());
}

void LoginDialog::accept()
{
    if (m_jobId || username().isEmpty() || password().isEmpty())
        return;
    setError(m_error, {});
    const QStringList insecureList = insecure() && !registry().isEmpty() ? QStringList{registry()} : QStringList{};
    auto *job = m_service->login({registry(), username(), password(), insecureList});
    m_jobId = job->id();
    connect(job, &service::Job::finished, this, [this, job] { onFinished(*job); });
    for (QWidget *w : std::initializer_list<QWidget *>{m_registry, m_username, m_password, m_insecure})
        w->setEnabled(false);
    update();
}

void LoginDialog::onFinished(const service::TypedJob<void> &job)
{
    m_jobId = 0;
    for (QWidget *w : std::initializer_list<QWidget *>{m_registry, m_username, m_password, m_insecure})
        w->setEnabled(true);
    update();
    if (job.result()) {
        QDialog::accept();
        return;
    }
    setError(m_error, job.cancelled() ? tr("The login was cancelled.") : tr("Login failed: %1").arg(job.result().error().message));
    m_password->setFocus();
    m_password->selectAll();
}

} // namespace porthole::gui
