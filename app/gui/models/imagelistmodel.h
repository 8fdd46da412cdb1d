// The images table: docker's `images` columns, one row per name (untagged
// images once). Sort by the SortRole values (dates and byte counts, not
// their display text). Threading: UI thread.
#pragma once

#include "gui/models/snapshotmodel.h"
#include "service/imagetypes.h"

namespace porthole::gui {

class ImageListModel : public SnapshotModel<service::ImageRow> {
    Q_OBJECT
public:
    enum Column { Repository, Tag, ImageId, Created, Size, ColumnCount };
    enum Role { SortRole = Qt::UserRole + 1, ReferenceRole /* the name to act on: ref or ID */ };

    using SnapshotModel::SnapshotModel;
    int columnCount(const QModelIndex &parent = {}) const override { return parent.isValid() ? 0 : ColumnCount; }
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;

    // How an action names this row's image: "ubuntu:latest", or its short ID.
    static QString reference(const service::ImageRow &row);

protected:
    QString rowKey(const service::ImageRow &row) const override;
    bool sameRow(const service::ImageRow &a, const service::ImageRow &b) const override;
};

} // namespace porthole::gui
