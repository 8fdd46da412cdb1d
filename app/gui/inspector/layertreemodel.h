// LayerTreeModel: a lazy tree over one list of service::LayerFileRow, either
// one layer's changes or an image's merged filesystem. The rows stay in the
// ImageLayers value the model keeps (implicitly shared, never copied); a
// directory's children are built the first time a view asks for them
// (fetchMore), from its range of the sorted rows, so a layer of 50,000
// files costs a few nodes until someone expands it. The path filter keeps
// the rows whose path contains the text; their ancestors are shown, made
// up when the list has no row for them (a filtered-out or unchanged
// directory). Regular files can be dragged out: the drop receives a file
// URL to a copy extracted from the layer dir (layer::extractLayerFile, no
// symlink followed) when the drop target asks for it.
// Threading: UI thread.
#pragma once

#include "service/layertypes.h"

#include <QAbstractItemModel>
#include <QIcon>

#include <vector>

namespace porthole::service {
class EngineService;
}

namespace porthole::gui {

class LayerTreeModel : public QAbstractItemModel {
    Q_OBJECT
public:
    enum Column { Name, Size, Change, Layer, Shadows, ColumnCount };
    enum Role {
        PathRole = Qt::UserRole + 1, // "/etc/passwd"
        KindRole,                    // int(service::FileKind); directories made up by the filter: Dir
        ChangeRole,                  // "A", "C", "D"; empty for made-up directories
        LayerRole,                   // int: the layer index it comes from, -1 if none
        ShadowsRole,                 // QVariantList of int: lower layers it hides
        BytesRole,                   // qint64: a file's size, a directory's file bytes below it
        MadeUpRole,                  // bool: a directory shown only as an ancestor
    };
    enum class Mode { Layer, Merged };

    explicit LayerTreeModel(QObject *parent = nullptr);

    // What copies files out of their layers for a drag (it must outlive
    // the model); without one a drag carries only the paths as text.
    void setService(service::EngineService *service) { m_service = service; }
    // Takes the image and shows its merged view (the filter is kept).
    void setImageLayers(const service::ImageLayers &image);
    const service::ImageLayers &imageLayers() const { return m_image; }
    // One layer's changes; -1 (a metadata-only step) shows nothing.
    void showLayer(int layer);
    void showMerged();
    // Case-insensitive substring of the path; empty shows everything.
    void setFilter(const QString &text);

    Mode mode() const { return m_mode; }
    int layer() const { return m_layer; }
    QString filter() const { return m_filter; }
    // Rows of the current list the filter keeps, and all of them.
    int matchingRows() const { return int(m_rows.size()); }
    int totalRows() const;
    // Tree nodes built so far (the root's included): how lazy it has been.
    int builtNodes() const { return int(m_nodes.size()); }

    // The row behind an index; nullptr for a made-up directory.
    const service::LayerFileRow *fileRow(const QModelIndex &index) const;
    // Finds a path, building the nodes on the way (for "reveal" and tests).
    QModelIndex indexOfPath(const QString &path);

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    bool hasChildren(const QModelIndex &parent = {}) const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    QStringList mimeTypes() const override;
    QMimeData *mimeData(const QModelIndexList &indexes) const override;
    Qt::DropActions supportedDragActions() const override { return Qt::CopyAction; }

private:
    struct Node {
        int parent = -1;        // node index; -1 for the root
        int indexInParent = 0;
        int row = -1;           // position in m_rows; -1: made up (or the root)
        int begin = 0, end = 0; // its subtree: positions in m_rows
        QString path;           // "/etc"; "" for the root
        std::vector<int> children;
        bool fetched = false;
    };

    const QList<service::LayerFileRow> &source() const;
    const service::LayerFileRow &rowAt(int pos) const { return source()[m_rows[pos]]; }
    void rebuild(bool resort);
    std::vector<Node> childrenOf(int node) const;
    int nodeOf(const QModelIndex &index) const { return index.isValid() ? int(index.internalId()) : 0; }
    qint64 bytesOf(const Node &node) const;
    bool draggable(const service::LayerFileRow &row) const;
    QString layerDirOf(const service::LayerFileRow &row) const;
    QIcon iconFor(service::FileKind kind) const;

    service::EngineService *m_service = nullptr;
    service::ImageLayers m_image;
    Mode m_mode = Mode::Merged;
    int m_layer = -1;
    QString m_filter;
    QList<int> m_sorted;         // indices into source() in tree order
    QList<int> m_rows;           // m_sorted filtered
    std::vector<qint64> m_prefix; // m_prefix[i]: file bytes of m_rows[0, i)
    std::vector<Node> m_nodes;   // [0] is the root
    mutable QList<QIcon> m_icons;
};

} // namespace porthole::gui
