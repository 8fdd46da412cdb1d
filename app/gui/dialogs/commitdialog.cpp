#include "gui/dialogs/commitdialog.h"

#include "core/reference.h"
#include "format/format.h"
#include "gui/dialogs/changevalidator.h"
#include "gui/dialogs/commandpreview.h"
#include "gui/dialogs/formutil.h"
#include "service/clicommand.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QTextBlock>
#include <QVBoxLayout>

namespace porthole::gui {

QString suggestedCommitName(const QString &image, const QString &containerName)
{
    static const QRegularExpression hexId(QStringLiteral("^(sha256:)?[0-9a-f]{12,64}$"));
    const QString tag = containerName.left(128);
    QString name = image.section(u'@', 0, 0);
    if (name.isEmpty() || hexId.match(name).hasMatch())
        return containerName.toLower();
    // A colon after the last slash starts the tag; one before it is a port.
    const qsizetype colon = name.lastIndexOf(u':');
    if (colon > name.lastIndexOf(u'/'))
        name.truncate(colon);
    return tag.isEmpty() ? name : name + u':' + tag;
}

QString commitReferenceError(const QString &text)
{
    if (text.isEmpty())
        return {};
    const auto ref = Reference::parse(text);
    if (!ref)
        return ref.error().message;
    if (ref->hasDigest())
        return CommitDialog::tr("An image name to commit to cannot have a digest (@sha256:…).");
    return {};
}

CommitDialog::CommitDialog(const service::ContainerRow &container, const QString &author, QWidget *parent)
    : QDialog(parent), m_container(container.name.isEmpty() ? container.id : container.name)
{
    setWindowTitle(tr("Commit %1").arg(m_container));
    auto *form = new QFormLayout;
    auto *what = new QLabel(tr("%1 (%2), from %3, %4").arg(m_container, format::shortId(container.id), container.image, container.status), this);
    what->setTextInteractionFlags(Qt::TextSelectableByMouse);
    form->addRow(tr("Container:"), what);

    m_reference = new QLineEdit(suggestedCommitName(container.image, container.name), this);
    m_reference->setPlaceholderText(tr("repository[:tag] (empty: an untagged image)"));
    m_reference->setMinimumWidth(textWidth(this, 40));
    form->addRow(tr("&Image name:"), m_reference);
    m_author = new QLineEdit(author, this);
    m_author->setPlaceholderText(tr("Name <email@example.com>"));
    form->addRow(tr("&Author:"), m_author);
    m_message = new QLineEdit(this);
    m_message->setPlaceholderText(tr("What changed, for the image's history"));
    form->addRow(tr("&Message:"), m_message);

    m_changes = makeListEdit(this, tr("One instruction per line, for example:\nCMD [\"sh\"]\nENV MODE=production"),
                             tr("Changes to the image configuration"), 4);
    form->addRow(tr("&Changes:"), m_changes);
    auto *changesNote = makeNoteLabel(this);
    changesNote->setText(tr("Allowed: CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, ONBUILD, USER, VOLUME, WORKDIR, STOPSIGNAL."));
    form->addRow(QString(), changesNote);

    m_pause = new QCheckBox(tr("&Pause the container while committing"), this);
    m_pause->setChecked(true);
    form->addRow(QString(), m_pause);
    auto *pauseNote = makeNoteLabel(this);
    pauseNote->setText(tr("Pausing freezes the container's processes for the moment the files are copied, so the image "
                          "does not catch a file half-written; they resume as soon as the commit is done."));
    form->addRow(QString(), pauseNote);

    m_error = makeNoteLabel(this);
    m_command = new CommandPreview(this);
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    translateButtons(m_buttons, tr("Commit"));
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_error);
    layout->addWidget(m_command);
    layout->addWidget(m_buttons);

    for (QLineEdit *edit : {m_reference, m_author, m_message})
        connect(edit, &QLineEdit::textChanged, this, &CommitDialog::update);
    connect(m_changes, &QPlainTextEdit::textChanged, this, &CommitDialog::update);
    connect(m_pause, &QCheckBox::toggled, this, &CommitDialog::update);
    update();
}

service::CommitRequest CommitDialog::request() const
{
    service::CommitRequest r;
    r.container = m_container;
    r.reference = m_reference->text().trimmed();
    r.author = m_author->text().trimmed();
    r.message = m_message->text().trimmed();
    r.changes = nonEmptyLines(m_changes->toPlainText());
    r.pause = m_pause->isChecked();
    return r;
}

QString CommitDialog::commandLine() const { return service::cliCommand(request()); }

QString CommitDialog::validationError() const
{
    if (const QString why = commitReferenceError(m_reference->text().trimmed()); !why.isEmpty())
        return tr("Image name: %1").arg(why);
    const QList<ChangeProblem> problems = checkChangeLines(m_changes->toPlainText());
    if (!problems.isEmpty())
        return tr("Line %1: %2").arg(QString::number(problems.first().line), problems.first().error);
    return {};
}

void CommitDialog::update()
{
    const QString why = validationError();
    setError(m_error, why);
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(why.isEmpty());
    m_command->setCommand(commandLine());
    markBadLines();
}

// A wavy underline in the text's own colour marks every refused line; the
// message under the editor says why for the first one.
void CommitDialog::markBadLines()
{
    QList<QTextEdit::ExtraSelection> marks;
    for (const ChangeProblem &p : checkChangeLines(m_changes->toPlainText())) {
        QTextEdit::ExtraSelection mark;
        mark.cursor = QTextCursor(m_changes->document()->findBlockByNumber(p.line - 1));
        mark.cursor.select(QTextCursor::LineUnderCursor);
        mark.format.setUnderlineStyle(QTextCharFormat::WaveUnderline);
        mark.format.setToolTip(p.error);
        marks.append(mark);
    }
    m_changes->setExtraSelections(marks);
}

} // namespace porthole::gui
