// Helpers for the window's tests (header-only: only GUI test executables,
// which link the GUI, include it).
#pragma once

#include "gui/models/imagelistmodel.h"

#include <QAbstractItemModel>
#include <QDialog>
#include <QDialogButtonBox>
#include <QPushButton>
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

// Whether a dialog's OK button (the one of its QDialogButtonBox) is enabled.
inline bool okEnabled(QDialog &dialog)
{
    return dialog.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok)->isEnabled();
}

} // namespace porthole::test
