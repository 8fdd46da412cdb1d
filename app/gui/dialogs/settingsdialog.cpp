#include "gui/dialogs/settingsdialog.h"

#include "gui/dialogs/formutil.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFontComboBox>
#include <QFontDatabase>
#include <QFontInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QIcon>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSpinBox>
#include <QVBoxLayout>

namespace porthole::gui {

namespace {

// The size shown for a font given in pixels (a system font may be).
int pointSizeOf(const QFont &font)
{
    if (font.pointSize() > 0)
        return font.pointSize();
    return std::max(1, qRound(QFontInfo(font).pointSizeF()));
}

// Either spelling of the system's fixed font: its alias ("Monospace") or
// the family the combo box resolves it to.
bool isSystemFixedFamily(const QString &family)
{
    const QFont system = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    return family == system.family() || family == QFontInfo(system).family();
}

} // namespace

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

SettingsDialog::SettingsDialog(const AppSettings &current, const QString &defaultRoot, QWidget *parent)
    : QDialog(parent), m_current(current)
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

    auto *terminal = new QGroupBox(tr("Terminal"), this);
    auto *terminalForm = new QFormLayout(terminal);
    const QFont font = current.terminalFont();
    m_fontFamily = new QFontComboBox(terminal);
    m_fontFamily->setFontFilters(QFontComboBox::MonospacedFonts);
    m_fontFamily->setCurrentFont(font);
    terminalForm->addRow(tr("&Font:"), m_fontFamily);
    m_fontSize = new QSpinBox(terminal);
    m_fontSize->setRange(4, 72);
    m_fontSize->setSuffix(tr(" pt"));
    m_fontSize->setValue(pointSizeOf(font));
    terminalForm->addRow(tr("Font si&ze:"), m_fontSize);
    auto *zoomNote = makeNoteLabel(terminal);
    zoomNote->setText(tr("Zoom In and Zoom Out in the terminal (its menu, or Ctrl and the mouse wheel) start from this size; "
                     "the zoom is kept until Reset Zoom."));
    terminalForm->addRow(zoomNote);

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
    layout->addWidget(terminal);
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
    // An untouched font keeps its setting as it was (possibly "the
    // system's", which follows the desktop); a new pick that matches the
    // system's fixed font becomes "the system's".
    const QFont currentFont = m_current.terminalFont();
    const QString family = m_fontFamily->currentFont().family();
    const bool familyKept = family == currentFont.family() || family == QFontInfo(currentFont).family();
    const bool sizeKept = m_fontSize->value() == pointSizeOf(currentFont);
    s.terminalFontFamily = familyKept ? m_current.terminalFontFamily : isSystemFixedFamily(family) ? QString() : family;
    const int systemSize = pointSizeOf(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    s.terminalFontSize = sizeKept ? m_current.terminalFontSize : m_fontSize->value() == systemSize ? 0 : m_fontSize->value();
    // A font picked here is meant as it is: the zoom starts over.
    s.terminalZoom = familyKept && sizeKept ? m_current.terminalZoom : 0;
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
