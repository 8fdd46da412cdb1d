// ImageTableView: the images table, from which a row is dragged out as an
// archive file (ImageArchiveMimeData). The drag's save job starts when the
// drag starts; a drag that ends without a drop cancels it.
// Threading: UI thread.
#pragma once

#include <QTableView>

namespace porthole::service {
class EngineService;
class Job;
}

namespace porthole::gui {

class ImageArchiveMimeData;

class ImageTableView : public QTableView {
    Q_OBJECT
public:
    // The service must outlive the view.
    explicit ImageTableView(service::EngineService *service, QWidget *parent = nullptr);

    // The drag's data for the current row, its save job started; null when
    // no row is current. The caller owns it (QDrag takes it).
    ImageArchiveMimeData *createDragData(Qt::KeyboardModifiers modifiers) const;

Q_SIGNALS:
    // The save job a drag started (for the window's job notifications).
    void dragSaveStarted(porthole::service::Job *job);

protected:
    void startDrag(Qt::DropActions supportedActions) override;

private:
    service::EngineService *m_service;
};

} // namespace porthole::gui
