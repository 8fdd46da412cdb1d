#include "gui/dialogs/formutil.h"

#include <QCoreApplication>
#include <QDialogButtonBox>
#include <QFontMetrics>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>

namespace porthole::gui {

namespace {
// One translation context for the texts the dialogs share.
class Dialogs {
    Q_DECLARE_TR_FUNCTIONS(porthole::gui::Dialogs)
};
} // namespace

QStringList nonEmptyLines(const QString &text)
{
    QStringList out;
    for (const QString &line : text.split(u'\n')) {
        const QString trimmed = line.trimmed();
        if (!trimmed.isEmpty())
            out.append(trimmed);
    }
    return out;
}

QPlainTextEdit *makeListEdit(QWidget *parent, const QString &placeholder, const QString &accessibleName, int lines)
{
    auto *edit = new QPlainTextEdit(parent);
    edit->setPlaceholderText(placeholder);
    edit->setAccessibleName(accessibleName);
    edit->setLineWrapMode(QPlainTextEdit::NoWrap);
    // Tab moves to the next field; a list never needs a tab character.
    edit->setTabChangesFocus(true);
    const QFontMetrics fm(edit->font());
    const int frame = 2 * edit->frameWidth() + int(2 * edit->document()->documentMargin());
    edit->setMinimumHeight(fm.lineSpacing() * lines + frame);
    edit->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::MinimumExpanding);
    return edit;
}

QLabel *makeNoteLabel(QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setWordWrap(true);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return label;
}

void setError(QLabel *label, const QString &text)
{
    label->setVisible(!text.isEmpty());
    label->setText(text.isEmpty() ? QString() : QStringLiteral("⚠ ") + text);
    label->setAccessibleDescription(text);
}

void translateButtons(QDialogButtonBox *box, const QString &okText)
{
    if (auto *ok = box->button(QDialogButtonBox::Ok))
        ok->setText(okText.isEmpty() ? Dialogs::tr("OK") : okText);
    if (auto *cancel = box->button(QDialogButtonBox::Cancel))
        cancel->setText(Dialogs::tr("Cancel"));
    if (auto *close = box->button(QDialogButtonBox::Close))
        close->setText(Dialogs::tr("Close"));
}

int textWidth(const QWidget *widget, int chars)
{
    return widget->fontMetrics().averageCharWidth() * chars;
}

} // namespace porthole::gui
