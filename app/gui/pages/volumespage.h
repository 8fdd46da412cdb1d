// VolumesPage: named volumes. The engine service has no volume list yet, so
// the page shows an empty state that says what will appear here and why it
// is empty, instead of a list that pretends. Threading: UI thread.
#pragma once

#include "gui/pages/page.h"

class QLabel;

namespace porthole::gui {

class VolumesPage : public Page {
    Q_OBJECT
public:
    explicit VolumesPage(QWidget *parent = nullptr);

    QWidget *primaryWidget() override;
    QString emptyStateText() const;

private:
    QLabel *m_title = nullptr;
    QLabel *m_text = nullptr;
};

} // namespace porthole::gui
