// ChangesView: a container's live diff (added, changed, deleted paths with
// their bytes) and the size its next commit would have. Fed by whoever runs
// Engine::containerChanges on a worker, as often as it likes: a refresh
// keeps the scroll position and the selected path.
// Threading: UI thread.
#pragma once

#include "service/containertypes.h"
#include "service/layertypes.h"

#include <QWidget>

class QLabel;
class QTableView;

namespace porthole::gui {

class ChangesModel;

class ChangesView : public QWidget {
    Q_OBJECT
public:
    enum Column { Change, Path, Size, ColumnCount };

    explicit ChangesView(QWidget *parent = nullptr);

    void setContainerChanges(const service::ContainerChanges &changes);
    const service::ContainerChanges &containerChanges() const;

    QTableView *table() const { return m_table; }
    QString summaryText() const;

private:
    ChangesModel *m_model;
    QLabel *m_summary;
    QTableView *m_table;
};

} // namespace porthole::gui
