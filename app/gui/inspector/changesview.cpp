#include "gui/inspector/changesview.h"

#include <QAbstractTableModel>
#include <QApplication>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPalette>
#include <QScrollBar>
#include <QTableView>
#include <QVBoxLayout>

namespace porthole::gui {

class ChangesModel : public QAbstractTableModel {
public:
    using QAbstractTableModel::QAbstractTableModel;

    service::ContainerChanges changes;

    void set(const service::ContainerChanges &c)
    {
        beginResetModel();
        changes = c;
        endResetModel();
    }
    int rowCount(const QModelIndex &parent = {}) const override { return parent.isValid() ? 0 : int(changes.changes.size()); }
    int columnCount(const QModelIndex &parent = {}) const override { return parent.isValid() ? 0 : ChangesView::ColumnCount; }

    QVariant data(const QModelIndex &index, int role) const override
    {
        if (!index.isValid())
            return {};
        const service::ContainerChangeRow &r = changes.changes[index.row()];
        const bool isFile = r.fileKind == service::FileKind::File || r.fileKind == service::FileKind::Hardlink;
        switch (role) {
        case Qt::DisplayRole:
            switch (index.column()) {
            case ChangesView::Change: return QString(QLatin1Char(r.kind));
            case ChangesView::Path: return r.path;
            case ChangesView::Size: return isFile ? QLocale().formattedDataSize(r.bytes) : QString();
            }
            return {};
        case Qt::ToolTipRole:
            return r.kind == 'A' ? ChangesView::tr("Added") : r.kind == 'C' ? ChangesView::tr("Changed") : ChangesView::tr("Deleted");
        case Qt::ForegroundRole: {
            const QPalette pal = QApplication::palette();
            return r.kind == 'A' ? pal.color(QPalette::Link) : r.kind == 'C' ? pal.color(QPalette::LinkVisited)
                                                                             : pal.color(QPalette::PlaceholderText);
        }
        case Qt::TextAlignmentRole:
            return index.column() == ChangesView::Size ? QVariant(Qt::AlignRight | Qt::AlignVCenter) : QVariant();
        case Qt::UserRole:
            return r.bytes;
        }
        return {};
    }

    QVariant headerData(int section, Qt::Orientation orientation, int role) const override
    {
        if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
            return {};
        switch (section) {
        case ChangesView::Change: return ChangesView::tr("Change");
        case ChangesView::Path: return ChangesView::tr("Path");
        case ChangesView::Size: return ChangesView::tr("Size");
        }
        return {};
    }
};

ChangesView::ChangesView(QWidget *parent)
    : QWidget(parent)
    , m_model(new ChangesModel(this))
    , m_summary(new QLabel(this))
    , m_table(new QTableView(this))
{
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->verticalHeader()->hide();
    m_table->setShowGrid(false);
    m_table->horizontalHeader()->setSectionResizeMode(Path, QHeaderView::Stretch);
    m_table->horizontalHeader()->setSectionResizeMode(Change, QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(Size, QHeaderView::ResizeToContents);
    m_summary->setWordWrap(true);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_summary);
    layout->addWidget(m_table, 1);
    m_summary->setText(summaryText());
}

void ChangesView::setContainerChanges(const service::ContainerChanges &changes)
{
    // A reset forgets the selection and scrolls to the top; a refresh every
    // second would make the list unusable without this.
    const int scroll = m_table->verticalScrollBar()->value();
    const QModelIndexList selected = m_table->selectionModel()->selectedRows(Path);
    const QString selectedPath = selected.isEmpty() ? QString() : selected.first().data().toString();
    m_model->set(changes);
    if (!selectedPath.isEmpty()) {
        for (int r = 0; r < m_model->rowCount(); ++r) {
            if (m_model->changes.changes[r].path == selectedPath) {
                m_table->selectRow(r);
                break;
            }
        }
    }
    m_table->verticalScrollBar()->setValue(scroll);
    m_summary->setText(summaryText());
}

const service::ContainerChanges &ChangesView::containerChanges() const { return m_model->changes; }

QString ChangesView::summaryText() const
{
    const service::ContainerChanges &c = m_model->changes;
    if (c.id.isEmpty())
        return tr("No container");
    return tr("%n change(s), %1 of file content. The next commit's layer: about %2 (uncompressed tar, estimated).", nullptr,
              int(c.changes.size()))
        .arg(QLocale().formattedDataSize(c.contentBytes), QLocale().formattedDataSize(c.commitTarSize));
}

} // namespace porthole::gui
