// LayerStackView: a container's file system as the stack it is, drawn for
// a class to see: the image's read-only layers, bottom first, and on top
// the container's own writable layer with its live changes. After a
// commit, that top layer is what the new image adds.
// Threading: UI thread.
#pragma once

#include "service/imagetypes.h"

#include <QWidget>

class QLabel;
class QVBoxLayout;

namespace porthole::gui {

class LayerStackView : public QWidget {
    Q_OBJECT
public:
    explicit LayerStackView(QWidget *parent = nullptr);

    // The image's history as `history` gives it (newest first); steps that
    // made no layer (ENV, CMD...) are not drawn.
    void setImageHistory(const QList<service::HistoryRow> &rows);
    // The writable layer: its number of changes and the bytes of file content.
    void setWritableLayer(int changes, qint64 bytes);

    // The rows' texts, top first (for tests and accessibility).
    QStringList rowTexts() const;

    // Image layers drawn at most, the last row summing up the rest, so a
    // 30-layer image does not push the changes out of the window.
    static constexpr int kMaxImageRows = 8;

private:
    void rebuild();
    QLabel *makeRow(const QString &text, const QString &tooltip, bool writable);

    QList<service::HistoryRow> m_history;
    bool m_haveHistory = false;
    int m_changes = 0;
    qint64 m_bytes = 0;
    QVBoxLayout *m_rows;
    QList<QLabel *> m_labels;
};

} // namespace porthole::gui
