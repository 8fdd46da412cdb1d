// The containers table: `ps -a` columns, with the live state the store
// watcher reports. Threading: UI thread.
#pragma once

#include "gui/models/snapshotmodel.h"
#include "service/containertypes.h"

namespace porthole::gui {

class ContainerListModel : public SnapshotModel<service::ContainerRow> {
    Q_OBJECT
public:
    enum Column { ContainerId, Image, Command, Created, Status, Ports, Name, ColumnCount };
    enum Role { SortRole = Qt::UserRole + 1, IdRole, StateRole };

    using SnapshotModel::SnapshotModel;
    int columnCount(const QModelIndex &parent = {}) const override { return parent.isValid() ? 0 : ColumnCount; }
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    static QString statusText(const service::ContainerRow &row);

protected:
    QString rowKey(const service::ContainerRow &row) const override { return row.id; }
    bool sameRow(const service::ContainerRow &a, const service::ContainerRow &b) const override;
};

} // namespace porthole::gui
