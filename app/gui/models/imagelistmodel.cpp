#include "gui/models/imagelistmodel.h"

#include "format/format.h"

#include <QLocale>

namespace porthole::gui {

QString ImageListModel::reference(const service::ImageRow &row)
{
    if (row.refName.isEmpty())
        return row.id.shortHex();
    return row.repository + u':' + row.tag;
}

QString ImageListModel::rowKey(const service::ImageRow &row) const { return row.id.toString() + u' ' + row.refName; }

bool ImageListModel::sameRow(const service::ImageRow &a, const service::ImageRow &b) const
{
    return a.created == b.created && a.size == b.size && a.repoDigests == b.repoDigests && a.manifestDigest == b.manifestDigest;
}

QVariant ImageListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const service::ImageRow &row = rowAt(index.row());
    if (role == ReferenceRole)
        return reference(row);
    if (role == Qt::ToolTipRole && index.column() == ImageId)
        return row.id.toString();
    if (role == Qt::TextAlignmentRole && index.column() == Size)
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole && role != SortRole)
        return {};
    const bool sort = role == SortRole;
    switch (index.column()) {
    case Repository: return row.repository;
    case Tag: return row.tag;
    case ImageId: return row.id.shortHex();
    case Created:
        if (sort)
            return row.created;
        // A date in the UI's locale: "2 hours ago" would be English and age.
        return row.created.isValid() ? QLocale().toString(row.created.toLocalTime(), QLocale::ShortFormat) : QString();
    case Size: return sort ? QVariant(row.size) : QVariant(format::humanSize(row.size));
    }
    return {};
}

QVariant ImageListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Repository: return tr("Repository");
    case Tag: return tr("Tag");
    case ImageId: return tr("Image ID");
    case Created: return tr("Created");
    case Size: return tr("Size");
    }
    return {};
}

Qt::ItemFlags ImageListModel::flags(const QModelIndex &index) const
{
    // Draggable: an image dragged out becomes an archive file.
    return QAbstractTableModel::flags(index) | (index.isValid() ? Qt::ItemIsDragEnabled : Qt::NoItemFlags);
}

} // namespace porthole::gui
