#include "gui/dialogs/commandpreview.h"

#include <QApplication>
#include <QClipboard>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QIcon>
#include <QLabel>
#include <QLineEdit>
#include <QToolButton>

namespace porthole::gui {

CommandPreview::CommandPreview(QWidget *parent) : QWidget(parent)
{
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *label = new QLabel(tr("Command:"), this);
    m_line = new QLineEdit(this);
    m_line->setReadOnly(true);
    // A command is code: a fixed-width font keeps quotes and spaces visible.
    m_line->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_line->setPlaceholderText(tr("The equivalent porthole command appears here."));
    m_line->setAccessibleName(tr("Equivalent command"));
    label->setBuddy(m_line);
    m_copy = new QToolButton(this);
    m_copy->setIcon(QIcon::fromTheme(QStringLiteral("edit-copy")));
    m_copy->setText(tr("Copy"));
    m_copy->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_copy->setToolTip(tr("Copy the command to the clipboard"));
    m_copy->setAccessibleName(tr("Copy command"));
    m_copy->setEnabled(false);
    connect(m_copy, &QToolButton::clicked, this, &CommandPreview::copyToClipboard);
    layout->addWidget(label);
    layout->addWidget(m_line, 1);
    layout->addWidget(m_copy);
}

QString CommandPreview::command() const { return m_line->text(); }

void CommandPreview::setCommand(const QString &command)
{
    m_line->setText(command);
    m_line->setCursorPosition(0);
    m_line->setToolTip(command);
    m_copy->setEnabled(!command.isEmpty());
}

void CommandPreview::copyToClipboard()
{
    if (!m_line->text().isEmpty())
        QApplication::clipboard()->setText(m_line->text());
}

} // namespace porthole::gui
