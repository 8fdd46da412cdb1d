#include "gui/models/containerlistmodel.h"

#include "format/format.h"

#include <QLocale>

namespace porthole::gui {

bool ContainerListModel::sameRow(const service::ContainerRow &a, const service::ContainerRow &b) const
{
    return a.name == b.name && a.state == b.state && a.status == b.status && a.exitCode == b.exitCode && a.pid == b.pid
        && a.ports == b.ports;
}

// The state in the UI's language (docker's "Up 5 seconds" is English and
// ages; it stays in the tooltip).
QString ContainerListModel::statusText(const service::ContainerRow &row)
{
    if (row.state == QLatin1String("running"))
        return tr("Running");
    if (row.state == QLatin1String("paused"))
        return tr("Paused");
    if (row.state == QLatin1String("exited"))
        return tr("Exited (%1)").arg(row.exitCode);
    if (row.state == QLatin1String("created"))
        return tr("Created");
    return row.status;
}

QVariant ContainerListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const service::ContainerRow &row = rowAt(index.row());
    switch (role) {
    case IdRole: return row.id;
    case StateRole: return row.state;
    case Qt::ToolTipRole:
        if (index.column() == Status)
            return row.status; // docker's own words: "Up 5 seconds"
        return index.column() == ContainerId ? row.id : index.column() == Command ? row.command : QVariant();
    case Qt::DisplayRole:
    case SortRole: break;
    default: return {};
    }
    switch (index.column()) {
    case ContainerId: return format::shortId(row.id);
    case Image: return row.image;
    case Command: return role == SortRole ? row.command : format::ellipsis(row.command, 40);
    case Created:
        if (role == SortRole)
            return row.created;
        return QLocale().toString(row.created.toLocalTime(), QLocale::ShortFormat);
    case Status: return role == SortRole ? row.status : statusText(row);
    case Ports: return row.ports.join(QStringLiteral(", "));
    case Name: return row.name;
    }
    return {};
}

QVariant ContainerListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case ContainerId: return tr("Container ID");
    case Image: return tr("Image");
    case Command: return tr("Command");
    case Created: return tr("Created");
    case Status: return tr("Status");
    case Ports: return tr("Ports");
    case Name: return tr("Names");
    }
    return {};
}

} // namespace porthole::gui
