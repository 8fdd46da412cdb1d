// LayerInspector: an image's history (one row per history step: created,
// created by in full, size, comment; metadata-only steps marked as such)
// over a lazy file tree of the selected step's layer, or of the merged
// filesystem with each file's layer and the layers it hides; the wasted
// bytes and the efficiency score; a path filter; files dragged out are
// extracted from their layer dir.
//
// It never calls the Engine: whoever runs Engine::inspectImageLayers on a
// worker (EngineService's job) hands the result to setImageLayers. Drag out
// copies the dragged files (an EngineService job) when the drop target asks
// for them.
// Threading: UI thread.
#pragma once

#include "service/layertypes.h"

#include <QWidget>

class QLabel;
class QLineEdit;
class QTableWidget;
class QToolButton;
class QTreeView;

namespace porthole::service {
class EngineService;
}

namespace porthole::gui {

class LayerTreeModel;

class LayerInspector : public QWidget {
    Q_OBJECT
public:
    enum HistoryColumn { Created, CreatedBy, Size, Comment, HistoryColumnCount };

    explicit LayerInspector(QWidget *parent = nullptr);

    // Shows the image; selects its newest step that has a layer.
    void setImageLayers(const service::ImageLayers &image);
    // What copies dragged files out (LayerTreeModel::setService).
    void setService(service::EngineService *service);
    void clear();
    // A row of the history table (steps are listed oldest first).
    void selectStep(int step);
    int selectedStep() const;
    // Merged: the whole filesystem; otherwise the selected step's changes.
    void setMerged(bool merged);
    bool isMerged() const;

    LayerTreeModel *treeModel() const { return m_model; }
    QTableWidget *historyTable() const { return m_history; }
    QTreeView *treeView() const { return m_tree; }
    QLineEdit *filterEdit() const { return m_filter; }
    QString summaryText() const;  // the image: layers, bytes, waste, efficiency
    QString detailText() const;   // the selected step, or what the tree shows

private:
    void showSelection();
    void fillHistory();

    service::ImageLayers m_image;
    QLabel *m_summary;
    QTableWidget *m_history;
    QToolButton *m_layerButton;
    QToolButton *m_mergedButton;
    QLineEdit *m_filter;
    QLabel *m_detail;
    QTreeView *m_tree;
    LayerTreeModel *m_model;
};

} // namespace porthole::gui
