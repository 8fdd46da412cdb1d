// The volumes table: `volume ls` with each volume's size and the containers
// that mount it. Threading: UI thread.
#pragma once

#include "gui/models/snapshotmodel.h"
#include "service/volumetypes.h"

namespace porthole::gui {

class VolumeListModel : public SnapshotModel<service::VolumeRow> {
    Q_OBJECT
public:
    enum Column { Name, Driver, Size, UsedBy, Mountpoint, ColumnCount };
    enum Role { SortRole = Qt::UserRole + 1, NameRole };

    using SnapshotModel::SnapshotModel;
    int columnCount(const QModelIndex &parent = {}) const override { return parent.isValid() ? 0 : ColumnCount; }
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

protected:
    QString rowKey(const service::VolumeRow &row) const override { return row.name; }
    bool sameRow(const service::VolumeRow &a, const service::VolumeRow &b) const override;
};

} // namespace porthole::gui
