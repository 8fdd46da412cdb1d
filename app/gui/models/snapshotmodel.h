// SnapshotModel: a table model over a list of rows that is replaced by
// whole snapshots (EngineService sends the full image or container list on
// every change). A new snapshot is applied as the smallest set of row
// removals, changes and insertions, keyed by rowKey(), so selections and
// scroll positions survive a refresh and views repaint only what changed.
// Threading: UI thread.
#pragma once

#include <QAbstractTableModel>
#include <QHash>
#include <QList>

namespace porthole::gui {

template <class Row>
class SnapshotModel : public QAbstractTableModel {
public:
    using QAbstractTableModel::QAbstractTableModel;

    int rowCount(const QModelIndex &parent = {}) const override { return parent.isValid() ? 0 : int(m_rows.size()); }
    const QList<Row> &rows() const { return m_rows; }
    const Row &rowAt(int row) const { return m_rows.at(row); }

    void setRows(const QList<Row> &next)
    {
        QHash<QString, qsizetype> nextIndex;
        for (qsizetype i = 0; i < next.size(); ++i)
            nextIndex.insert(rowKey(next[i]), i);
        // Removals, bottom first so the indexes above stay valid.
        for (qsizetype i = m_rows.size() - 1; i >= 0; --i) {
            if (!nextIndex.contains(rowKey(m_rows[i]))) {
                beginRemoveRows({}, int(i), int(i));
                m_rows.removeAt(i);
                endRemoveRows();
            }
        }
        QHash<QString, qsizetype> currentIndex;
        for (qsizetype i = 0; i < m_rows.size(); ++i)
            currentIndex.insert(rowKey(m_rows[i]), i);
        for (const Row &row : next) {
            const auto it = currentIndex.constFind(rowKey(row));
            if (it == currentIndex.constEnd()) {
                const int at = int(m_rows.size());
                beginInsertRows({}, at, at);
                m_rows.append(row);
                endInsertRows();
            } else if (!sameRow(m_rows[*it], row)) {
                m_rows[*it] = row;
                Q_EMIT dataChanged(index(int(*it), 0), index(int(*it), columnCount() - 1));
            }
        }
    }

protected:
    virtual QString rowKey(const Row &row) const = 0;
    virtual bool sameRow(const Row &a, const Row &b) const = 0;

private:
    QList<Row> m_rows;
};

} // namespace porthole::gui
