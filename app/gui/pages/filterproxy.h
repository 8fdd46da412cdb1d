// FilterProxy: sorts by the source model's SortRole and keeps the rows in
// which any of the given columns contains the filter text (case-insensitive).
// Each column is matched on its display text and on its tooltip, so a full
// image or container ID matches though only 12 characters are shown.
// Threading: UI thread.
#pragma once

#include <QSortFilterProxyModel>

namespace porthole::gui {

class FilterProxy : public QSortFilterProxyModel {
    Q_OBJECT
public:
    FilterProxy(QList<int> columns, int sortRole, QObject *parent = nullptr);

    QString filterText() const { return m_text; }
    void setFilterText(const QString &text);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    QList<int> m_columns;
    QString m_text;
};

} // namespace porthole::gui
