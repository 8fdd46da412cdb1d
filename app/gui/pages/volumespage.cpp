#include "gui/pages/volumespage.h"

#include <QIcon>
#include <QLabel>
#include <QStyle>
#include <QHBoxLayout>
#include <QVBoxLayout>

namespace porthole::gui {

VolumesPage::VolumesPage(QWidget *parent) : Page(parent)
{
    auto *icon = new QLabel(this);
    const int size = style()->pixelMetric(QStyle::PM_LargeIconSize) * 2;
    icon->setPixmap(QIcon::fromTheme(QStringLiteral("drive-harddisk")).pixmap(size, size));
    icon->setAlignment(Qt::AlignCenter);
    m_title = new QLabel(tr("Volumes appear here"), this);
    QFont font = m_title->font();
    font.setPointSizeF(font.pointSizeF() * 1.4);
    font.setBold(true);
    m_title->setFont(font);
    m_title->setAlignment(Qt::AlignCenter);
    m_text = new QLabel(tr("Named volumes keep data apart from a container, for example with -v data:/var/lib/data in "
                           "the Run dialog. This version of Porthole cannot list them yet."),
                        this);
    m_text->setWordWrap(true);
    m_text->setAlignment(Qt::AlignCenter);
    m_text->setMaximumWidth(fontMetrics().averageCharWidth() * 70);
    // The empty state is reachable and read out with the keyboard.
    m_text->setFocusPolicy(Qt::StrongFocus);
    m_text->setTextInteractionFlags(Qt::TextSelectableByKeyboard | Qt::TextSelectableByMouse);
    m_text->setAccessibleName(m_title->text());

    auto *layout = new QVBoxLayout(this);
    layout->addStretch(1);
    layout->addWidget(icon);
    layout->addWidget(m_title);
    // Centred by stretches, not an alignment flag: an aligned word-wrapped
    // label gets its one-line height and cuts its text.
    auto *row = new QHBoxLayout;
    row->addStretch(1);
    row->addWidget(m_text, 4);
    row->addStretch(1);
    layout->addLayout(row);
    layout->addStretch(2);
}

QWidget *VolumesPage::primaryWidget() { return m_text; }

QString VolumesPage::emptyStateText() const { return m_title->text() + u'\n' + m_text->text(); }

} // namespace porthole::gui
