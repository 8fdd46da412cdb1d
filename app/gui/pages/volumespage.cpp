#include "gui/pages/volumespage.h"

#include "gui/models/volumelistmodel.h"
#include "gui/pages/filterproxy.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QIcon>
#include <QLabel>
#include <QStackedWidget>
#include <QStyle>
#include <QTableView>
#include <QVBoxLayout>

namespace porthole::gui {

VolumesPage::VolumesPage(service::EngineService *service, QWidget *parent) : Page(parent), m_service(service)
{
    m_model = new VolumeListModel(this);
    m_proxy = new FilterProxy({VolumeListModel::Name, VolumeListModel::UsedBy}, VolumeListModel::SortRole, this);
    m_proxy->setSourceModel(m_model);
    m_view = new QTableView(this);
    m_view->setModel(m_proxy);
    setUpTable(m_view, tr("Volumes"));
    m_view->sortByColumn(VolumeListModel::Name, Qt::AscendingOrder);

    m_empty = makeEmptyState();
    m_stack = new QStackedWidget(this);
    m_stack->addWidget(m_empty);
    m_stack->addWidget(m_view);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_stack);

    if (m_service) {
        connect(m_service, &service::EngineService::containersChanged, this, [this] {
            if (isVisible())
                refresh();
        });
    }
}

QWidget *VolumesPage::makeEmptyState()
{
    auto *page = new QWidget(this);
    auto *icon = new QLabel(page);
    const int size = style()->pixelMetric(QStyle::PM_LargeIconSize) * 2;
    icon->setPixmap(QIcon::fromTheme(QStringLiteral("drive-harddisk")).pixmap(size, size));
    icon->setAlignment(Qt::AlignCenter);
    m_title = new QLabel(tr("Volumes appear here"), page);
    QFont font = m_title->font();
    font.setPointSizeF(font.pointSizeF() * 1.4);
    font.setBold(true);
    m_title->setFont(font);
    m_title->setAlignment(Qt::AlignCenter);
    m_text = new QLabel(tr("Named volumes keep data apart from a container, for example with -v data:/var/lib/data in "
                           "the Run dialog, or porthole volume create data. There are none yet."),
                        page);
    m_text->setWordWrap(true);
    m_text->setAlignment(Qt::AlignCenter);
    m_text->setMaximumWidth(fontMetrics().averageCharWidth() * 70);
    // The empty state is reachable and read out with the keyboard.
    m_text->setFocusPolicy(Qt::StrongFocus);
    m_text->setTextInteractionFlags(Qt::TextSelectableByKeyboard | Qt::TextSelectableByMouse);
    m_text->setAccessibleName(m_title->text());

    auto *layout = new QVBoxLayout(page);
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
    return page;
}

void VolumesPage::showEvent(QShowEvent *event)
{
    Page::showEvent(event);
    refresh();
}

void VolumesPage::refresh()
{
    if (!m_service)
        return;
    if (m_inFlight) {
        m_again = true;
        return;
    }
    m_again = false;
    auto *job = m_service->volumes(true);
    m_inFlight = true;
    connect(job, &service::Job::finished, this, [this, job] { onListed(*job); });
}

void VolumesPage::onListed(const service::TypedJob<QList<service::VolumeRow>> &job)
{
    m_inFlight = false;
    if (job.result()) {
        m_model->setRows(*job.result());
        const bool hadFocus = m_stack->currentWidget()->hasFocus() || m_text->hasFocus();
        m_stack->setCurrentWidget(m_model->rowCount() > 0 ? static_cast<QWidget *>(m_view) : m_empty);
        if (hadFocus)
            primaryWidget()->setFocus();
    } else if (!job.cancelled()) {
        Q_EMIT message(tr("Could not list the volumes: %1").arg(job.result().error().message));
    }
    if (m_again && isVisible())
        refresh();
}

QWidget *VolumesPage::primaryWidget()
{
    return m_model->rowCount() > 0 ? static_cast<QWidget *>(m_view) : m_text;
}

bool VolumesPage::showsEmptyState() const { return m_stack->currentWidget() == m_empty; }

QString VolumesPage::emptyStateText() const { return m_title->text() + u'\n' + m_text->text(); }

} // namespace porthole::gui
