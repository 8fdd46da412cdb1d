// The main window. Until the desktop issue lands it shows the store's images
// in a table, loaded off the UI thread, so the first start visibly has the
// demo image. Lives on the UI thread.
#pragma once

#include "service/imagetypes.h"

#include <QMainWindow>

class QTreeWidget;

namespace porthole::gui {

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QString root, QWidget *parent = nullptr);

    // Reloads the image list in the background.
    void refresh();

private:
    void showImages(const QList<service::ImageRow> &rows, const QString &error);

    QString m_root;
    QTreeWidget *m_images = nullptr;
};

} // namespace porthole::gui
