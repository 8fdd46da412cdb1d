#include "gui/models/volumelistmodel.h"

#include "format/format.h"

namespace porthole::gui {

bool VolumeListModel::sameRow(const service::VolumeRow &a, const service::VolumeRow &b) const
{
    return a.mountpoint == b.mountpoint && a.driver == b.driver && a.size == b.size && a.containers == b.containers
        && a.created == b.created;
}

QVariant VolumeListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const service::VolumeRow &row = rowAt(index.row());
    switch (role) {
    case NameRole: return row.name;
    case Qt::ToolTipRole:
        if (index.column() == Mountpoint)
            return row.mountpoint;
        if (index.column() == UsedBy && !row.containers.isEmpty())
            return row.containers.join(u'\n');
        return {};
    case Qt::TextAlignmentRole:
        return index.column() == Size ? QVariant(Qt::AlignRight | Qt::AlignVCenter) : QVariant();
    case Qt::DisplayRole:
    case SortRole: break;
    default: return {};
    }
    const bool sort = role == SortRole;
    switch (index.column()) {
    case Name: return row.name;
    case Driver: return row.driver;
    case Size: return sort ? QVariant(row.size) : QVariant(format::humanSize(row.size));
    case UsedBy:
        if (sort)
            return row.containers.size();
        // An unused volume says so, rather than an empty cell a reader
        // could take for "not loaded yet".
        return row.containers.isEmpty() ? tr("Not used") : row.containers.join(QStringLiteral(", "));
    case Mountpoint: return row.mountpoint;
    }
    return {};
}

QVariant VolumeListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Name: return tr("Name");
    case Driver: return tr("Driver");
    case Size: return tr("Size");
    case UsedBy: return tr("Used by");
    case Mountpoint: return tr("Mountpoint");
    }
    return {};
}

} // namespace porthole::gui
