// Helpers for the window's tests (header-only: only GUI test executables,
// which link the GUI, include it).
#pragma once

#include "gui/models/imagelistmodel.h"

#include <QAbstractItemModel>
#include <QString>

namespace porthole::test {

// True when the images model (or a proxy over it) lists repository:tag.
inline bool listed(const QAbstractItemModel *model, const QString &repository, const QString &tag)
{
    for (int row = 0; row < model->rowCount(); ++row) {
        if (model->index(row, gui::ImageListModel::Repository).data().toString() == repository
            && model->index(row, gui::ImageListModel::Tag).data().toString() == tag)
            return true;
    }
    return false;
}

} // namespace porthole::test
