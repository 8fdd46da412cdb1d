#include "gui/dialogs/rundialog.h"

#include "gui/dialogs/commandpreview.h"
#include "gui/dialogs/formutil.h"
#include "service/clicommand.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSpinBox>
#include <QVBoxLayout>

namespace porthole::gui {

QString containerNameError(const QString &name)
{
    static const QRegularExpression valid(QStringLiteral("^[a-zA-Z0-9][a-zA-Z0-9_.-]+$"));
    if (name.isEmpty() || valid.match(name).hasMatch())
        return {};
    return RunDialog::tr("Name \"%1\": use letters, digits, '_', '.' and '-', at least two characters, starting with a letter or digit.")
        .arg(name);
}

QString envEntryError(const QString &entry)
{
    const QString key = entry.section(u'=', 0, 0);
    if (key.isEmpty())
        return RunDialog::tr("Environment \"%1\": the variable name is missing before '='.").arg(entry);
    if (key.contains(QRegularExpression(QStringLiteral("\\s"))))
        return RunDialog::tr("Environment \"%1\": a variable name cannot contain spaces.").arg(entry);
    return {};
}

QString volumeEntryError(const QString &entry)
{
    const QStringList parts = entry.split(u':');
    static const QRegularExpression volumeName(QStringLiteral("^[a-zA-Z0-9][a-zA-Z0-9_.-]*$"));
    static const QRegularExpression options(QStringLiteral("^(ro|rw|z|Z)(,(ro|rw|z|Z))*$"));
    const bool shapeOk = (parts.size() == 1 && parts[0].startsWith(u'/'))
        || ((parts.size() == 2 || parts.size() == 3) && (parts[0].startsWith(u'/') || volumeName.match(parts[0]).hasMatch())
            && parts[1].startsWith(u'/') && (parts.size() == 2 || options.match(parts[2]).hasMatch()));
    if (shapeOk)
        return {};
    return RunDialog::tr("Volume \"%1\": write /host/path:/container/path or name:/container/path, optionally followed by :ro.")
        .arg(entry);
}

QString portEntryError(const QString &entry)
{
    static const QRegularExpression valid(QStringLiteral(
        "^(((\\d{1,3}(\\.\\d{1,3}){3})|\\[[0-9A-Fa-f:]+\\]):)?((\\d{1,5}(-\\d{1,5})?)?:)?\\d{1,5}(-\\d{1,5})?(/(tcp|udp|sctp))?$"));
    if (valid.match(entry).hasMatch())
        return {};
    return RunDialog::tr("Port \"%1\": write HOST_PORT:CONTAINER_PORT (for example 8080:80), optionally with an address "
                         "before and /udp after.")
        .arg(entry);
}

QString memoryEntryError(const QString &entry)
{
    if (entry.isEmpty())
        return {};
    const Result<qint64> bytes = parseByteSize(entry);
    if (!bytes)
        return RunDialog::tr("Memory limit \"%1\": write a size such as 512m or 2g.").arg(entry);
    if (*bytes != 0 && *bytes < kMinMemoryLimit)
        return RunDialog::tr("Memory limit \"%1\": the smallest limit is 6m.").arg(entry);
    return {};
}

QStringList splitShellWords(const QString &text, bool *unbalanced)
{
    QStringList words;
    QString word;
    bool inWord = false;
    QChar quote; // the open quote, or null
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text[i];
        if (quote == u'\'') {
            if (c == u'\'')
                quote = QChar();
            else
                word += c;
        } else if (quote == u'"') {
            if (c == u'"')
                quote = QChar();
            else if (c == u'\\' && i + 1 < text.size() && QStringView(u"\\\"$`").contains(text[i + 1]))
                word += text[++i];
            else
                word += c;
        } else if (c == u'\'' || c == u'"') {
            quote = c;
            inWord = true;
        } else if (c == u'\\') {
            if (i + 1 < text.size())
                word += text[++i];
            inWord = true;
        } else if (c.isSpace()) {
            if (inWord)
                words.append(word);
            word.clear();
            inWord = false;
        } else {
            word += c;
            inWord = true;
        }
    }
    if (inWord)
        words.append(word);
    if (unbalanced)
        *unbalanced = !quote.isNull();
    return words;
}

RunDialog::RunDialog(const QString &image, QWidget *parent) : QDialog(parent)
{
    setWindowTitle(tr("Run %1").arg(image));
    auto *form = new QFormLayout;
    m_image = new QLineEdit(image, this);
    m_image->setMinimumWidth(textWidth(this, 45));
    form->addRow(tr("&Image:"), m_image);
    m_name = new QLineEdit(this);
    m_name->setPlaceholderText(tr("empty: a generated name"));
    form->addRow(tr("&Name:"), m_name);
    m_command = new QLineEdit(this);
    m_command->setPlaceholderText(tr("empty: the image's command"));
    form->addRow(tr("&Command:"), m_command);

    m_env = makeListEdit(this, tr("KEY=value, one per line"), tr("Environment variables"));
    form->addRow(tr("&Environment:"), m_env);

    m_volumes = makeListEdit(this, tr("/host/path:/container/path[:ro], one per line"), tr("Volumes"));
    auto *addFolder = new QPushButton(tr("Add &folder…"), this);
    addFolder->setToolTip(tr("Choose a folder of this computer to mount in the container"));
    connect(addFolder, &QPushButton::clicked, this, &RunDialog::addFolder);
    auto *volumesColumn = new QVBoxLayout;
    volumesColumn->addWidget(m_volumes);
    volumesColumn->addWidget(addFolder, 0, Qt::AlignLeft);
    // A row label for a layout has no buddy of its own: give it the editor.
    auto *volumesLabel = new QLabel(tr("&Volumes:"), this);
    volumesLabel->setBuddy(m_volumes);
    form->addRow(volumesLabel, volumesColumn);

    m_ports = makeListEdit(this, tr("8080:80, one per line"), tr("Published ports"));
    form->addRow(tr("&Ports:"), m_ports);

    m_network = new QComboBox(this);
    m_network->addItem(tr("Private (its own network, the default)"), QString());
    m_network->addItem(tr("Host (shares this computer's network)"), QStringLiteral("host"));
    m_network->addItem(tr("None (no network)"), QStringLiteral("none"));
    form->addRow(tr("Ne&twork:"), m_network);

    m_memory = new QLineEdit(this);
    m_memory->setPlaceholderText(tr("empty: no limit; for example 512m or 2g"));
    form->addRow(tr("&Memory limit:"), m_memory);
    m_cpus = new QDoubleSpinBox(this);
    m_cpus->setDecimals(2);
    m_cpus->setRange(0, hostCpuCount());
    m_cpus->setSingleStep(0.5);
    m_cpus->setSpecialValueText(tr("No limit"));
    m_cpus->setToolTip(tr("How many of this computer's CPUs the container may use at most"));
    form->addRow(tr("CP&Us:"), m_cpus);
    m_pidsLimit = new QSpinBox(this);
    m_pidsLimit->setRange(0, 4194304); // the kernel's pid_max ceiling
    m_pidsLimit->setValue(int(kDefaultPidsLimit));
    m_pidsLimit->setSpecialValueText(tr("No limit"));
    m_pidsLimit->setToolTip(tr("How many processes and threads the container may have at once; this stops a fork bomb"));
    form->addRow(tr("Process &limit:"), m_pidsLimit);

    m_interactive = new QCheckBox(tr("Keep standard input &open (-i)"), this);
    m_tty = new QCheckBox(tr("Allocate a &terminal (-t)"), this);
    m_autoRemove = new QCheckBox(tr("&Remove the container when it exits (--rm)"), this);
    auto *flags = new QVBoxLayout;
    flags->addWidget(m_interactive);
    flags->addWidget(m_tty);
    flags->addWidget(m_autoRemove);
    auto *flagsLabel = new QLabel(tr("Options:"), this);
    flagsLabel->setBuddy(m_interactive);
    form->addRow(flagsLabel, flags);
    auto *flagsNote = makeNoteLabel(this);
    flagsNote->setText(tr("The container starts in the background. With -i and -t a shell keeps running, and you can "
                          "attach to it later."));
    form->addRow(QString(), flagsNote);

    m_error = makeNoteLabel(this);
    m_preview = new CommandPreview(this);
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    translateButtons(m_buttons, tr("Run"));
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_error);
    layout->addWidget(m_preview);
    layout->addWidget(m_buttons);

    for (QLineEdit *edit : {m_image, m_name, m_command, m_memory})
        connect(edit, &QLineEdit::textChanged, this, &RunDialog::update);
    for (QPlainTextEdit *edit : {m_env, m_volumes, m_ports})
        connect(edit, &QPlainTextEdit::textChanged, this, &RunDialog::update);
    for (QCheckBox *box : {m_interactive, m_tty, m_autoRemove})
        connect(box, &QCheckBox::toggled, this, &RunDialog::update);
    connect(m_network, &QComboBox::currentIndexChanged, this, &RunDialog::update);
    connect(m_cpus, &QDoubleSpinBox::valueChanged, this, &RunDialog::update);
    connect(m_pidsLimit, &QSpinBox::valueChanged, this, &RunDialog::update);
    update();
}

service::CreateRequest RunDialog::request() const
{
    service::CreateRequest r;
    r.image = m_image->text().trimmed();
    r.name = m_name->text().trimmed();
    // Shell-like splitting with quotes, as the words would be typed after
    // the image on a command line.
    r.command = splitShellWords(m_command->text());
    r.env = nonEmptyLines(m_env->toPlainText());
    r.volumes = nonEmptyLines(m_volumes->toPlainText());
    r.ports = nonEmptyLines(m_ports->toPlainText());
    r.networkMode = m_network->currentData().toString();
    r.openStdin = m_interactive->isChecked();
    r.tty = m_tty->isChecked();
    r.autoRemove = m_autoRemove->isChecked();
    r.limits.memory = parseByteSize(m_memory->text().trimmed()).valueOr(0);
    r.limits.nanoCpus = qRound64(m_cpus->value() * double(kNanosPerCpu));
    r.limits.pidsLimit = m_pidsLimit->value();
    return r;
}

QString RunDialog::commandLine() const { return service::cliCommand(request()); }

QString RunDialog::validationError() const
{
    const service::CreateRequest r = request();
    if (r.image.isEmpty())
        return tr("Choose the image to run.");
    if (const QString why = containerNameError(r.name); !why.isEmpty())
        return why;
    bool unbalanced = false;
    splitShellWords(m_command->text(), &unbalanced);
    if (unbalanced)
        return tr("Command: a quote is not closed.");
    if (const QString why = memoryEntryError(m_memory->text().trimmed()); !why.isEmpty())
        return why;
    const std::pair<const QStringList *, QString (*)(const QString &)> lists[] = {
        {&r.env, envEntryError}, {&r.volumes, volumeEntryError}, {&r.ports, portEntryError}};
    for (const auto &[entries, check] : lists) {
        for (const QString &entry : *entries) {
            if (const QString why = check(entry); !why.isEmpty())
                return why;
        }
    }
    return {};
}

void RunDialog::update()
{
    const QString why = validationError();
    setError(m_error, why);
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(why.isEmpty());
    m_preview->setCommand(commandLine());
}

void RunDialog::addFolder()
{
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Folder to mount"));
    if (dir.isEmpty())
        return;
    const QString name = QFileInfo(dir).fileName();
    const QString entry = dir + QStringLiteral(":/mnt/") + (name.isEmpty() ? QStringLiteral("host") : name);
    QString text = m_volumes->toPlainText();
    if (!text.isEmpty() && !text.endsWith(u'\n'))
        text += u'\n';
    m_volumes->setPlainText(text + entry);
}

} // namespace porthole::gui
