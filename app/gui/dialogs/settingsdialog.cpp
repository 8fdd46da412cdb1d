#include "gui/dialogs/settingsdialog.h"

#include "gui/dialogs/formutil.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QIcon>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QVBoxLayout>

namespace porthole::gui {

QString registryHostError(const QString &entry)
{
    if (entry.contains(QLatin1String("://")))
        return SettingsDialog::tr("\"%1\": write the host without a scheme (for example, localhost:5000).").arg(entry);
    if (entry.contains(u'/'))
        return SettingsDialog::tr("\"%1\": a registry is a host and an optional port, without a path.").arg(entry);
    static const QRegularExpression host(
        QStringLiteral("^(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*)"
                       "(:[0-9]{1,5})?$"));
    if (!host.match(entry).hasMatch())
        return SettingsDialog::tr("\"%1\" is not a host name or a host:port.").arg(entry);
    return {};
}

SettingsDialog::SettingsDialog(const AppSettings &current, const QString &defaultRoot, QWidget *parent) : QDialog(parent)
{
    setWindowTitle(tr("Settings"));
    auto *form = new QFormLayout;

    m_root = new QLineEdit(current.root, this);
    m_root->setPlaceholderText(defaultRoot);
    m_root->setMinimumWidth(textWidth(this, 40));
    auto *browse = new QPushButton(tr("Browse…"), this);
    browse->setAccessibleName(tr("Choose the store root folder"));
    connect(browse, &QPushButton::clicked, this, &SettingsDialog::browseRoot);
    auto *rootRow = new QHBoxLayout;
    rootRow->addWidget(m_root, 1);
    rootRow->addWidget(browse);
    auto *rootLabel = new QLabel(tr("Store &root:"), this);
    rootLabel->setBuddy(m_root);
    form->addRow(rootLabel, rootRow);

    m_author = new QLineEdit(current.author, this);
    m_author->setPlaceholderText(tr("Name <email@example.com>"));
    form->addRow(tr("Default &author:"), m_author);

    m_language = new QComboBox(this);
    m_language->addItem(tr("System"), QString());
    // Language names in their own language, so anyone can find theirs.
    m_language->addItem(QStringLiteral("English"), QStringLiteral("en"));
    m_language->addItem(QStringLiteral("한국어"), QStringLiteral("ko"));
    m_language->setCurrentIndex(std::max(0, m_language->findData(current.language)));
    form->addRow(tr("&Language:"), m_language);

    m_registries = makeListEdit(this, tr("localhost:5000"), tr("Insecure registries"));
    m_registries->setPlainText(current.insecureRegistries.join(u'\n'));
    form->addRow(tr("&Insecure registries:"), m_registries);
    auto *registriesNote = makeNoteLabel(this);
    registriesNote->setText(tr("One host[:port] per line. Porthole reaches these registries over plain HTTP or "
                               "without checking their certificate (--tls-verify=false)."));
    form->addRow(QString(), registriesNote);
    m_login = new QPushButton(QIcon::fromTheme(QStringLiteral("dialog-password")), tr("Log in to a &registry…"), this);
    connect(m_login, &QPushButton::clicked, this, &SettingsDialog::loginRequested);
    form->addRow(tr("Logins:"), m_login);

    auto *restartNote = makeNoteLabel(this);
    restartNote->setText(tr("The store root and the language take effect when Porthole is restarted."));
    m_error = makeNoteLabel(this);
    setError(m_error, {});

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    translateButtons(m_buttons, tr("Save"));
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_registries, &QPlainTextEdit::textChanged, this, &SettingsDialog::validate);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(restartNote);
    layout->addWidget(m_error);
    layout->addWidget(m_buttons);
    validate();
}

AppSettings SettingsDialog::settings() const
{
    AppSettings s;
    s.root = m_root->text().trimmed();
    s.author = m_author->text().trimmed();
    s.language = m_language->currentData().toString();
    s.insecureRegistries = nonEmptyLines(m_registries->toPlainText());
    return s;
}

QString SettingsDialog::validationError() const
{
    for (const QString &entry : nonEmptyLines(m_registries->toPlainText())) {
        if (const QString why = registryHostError(entry); !why.isEmpty())
            return why;
    }
    return {};
}

void SettingsDialog::validate()
{
    const QString why = validationError();
    setError(m_error, why);
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(why.isEmpty());
}

void SettingsDialog::browseRoot()
{
    const QString start = m_root->text().isEmpty() ? m_root->placeholderText() : m_root->text();
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Store root"), start);
    if (!dir.isEmpty())
        m_root->setText(dir);
}

} // namespace porthole::gui
