#include "gui/pages/filterproxy.h"

namespace porthole::gui {

FilterProxy::FilterProxy(QList<int> columns, int sortRole, QObject *parent)
    : QSortFilterProxyModel(parent), m_columns(std::move(columns))
{
    setSortRole(sortRole);
    setSortCaseSensitivity(Qt::CaseInsensitive);
    // Rows of a new snapshot land in sorted order, not at the bottom.
    setDynamicSortFilter(true);
}

void FilterProxy::setFilterText(const QString &text)
{
    const QString trimmed = text.trimmed();
    if (trimmed == m_text)
        return;
    m_text = trimmed;
    invalidateFilter();
}

bool FilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    if (m_text.isEmpty())
        return true;
    const QAbstractItemModel *model = sourceModel();
    for (int column : m_columns) {
        const QModelIndex index = model->index(sourceRow, column, sourceParent);
        for (int role : {int(Qt::DisplayRole), int(Qt::ToolTipRole)}) {
            if (index.data(role).toString().contains(m_text, Qt::CaseInsensitive))
                return true;
        }
    }
    return false;
}

} // namespace porthole::gui
