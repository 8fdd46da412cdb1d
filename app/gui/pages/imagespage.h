// ImagesPage: the store's images, docker's `images` columns, sortable and
// filtered by a repository/tag/ID substring. Actions on the selected image
// go through EngineService as jobs: Pull (PullDialog), Run (RunDialog), Tag,
// Push, Remove, Save (to a docker-archive or OCI archive file), History (the
// layer inspector in a window: history, what each layer did, waste). A row
// dragged out becomes an archive file (ImageTableView). Threading: UI thread.
#pragma once

#include "gui/pages/page.h"

class QAction;
class QLineEdit;

namespace porthole::service {
class EngineService;
}

namespace porthole::gui {

class FilterProxy;
class ImageListModel;
class ImageTableView;
class LayersWindow;

class ImagesPage : public Page {
    Q_OBJECT
public:
    explicit ImagesPage(service::EngineService *service, QWidget *parent = nullptr);

    QWidget *primaryWidget() override;
    ImageListModel *model() const { return m_model; }
    FilterProxy *proxy() const { return m_proxy; }
    ImageTableView *view() const { return m_view; }
    QLineEdit *filterEdit() const { return m_filter; }
    // How actions name the selected image ("ubuntu:latest" or a short ID).
    QString currentReference() const;
    // Selects the row of that reference; false if it is not listed.
    bool selectReference(const QString &reference);

    QAction *pullAction() const { return m_pull; }
    QAction *runAction() const { return m_run; }
    QAction *tagAction() const { return m_tag; }
    QAction *pushAction() const { return m_push; }
    QAction *removeAction() const { return m_remove; }
    QAction *historyAction() const { return m_history; }
    QAction *saveAction() const { return m_save; }

public Q_SLOTS:
    void pull();
    void runSelected();
    void tagSelected();
    void pushSelected();
    void removeSelected();
    // Asks for a file (the chosen filter picks the format), then saves.
    void saveSelected();
    // format: "docker-archive" or "oci-archive". Returns the job id.
    quint64 saveImage(const QString &reference, const QString &path, const QString &format);
    // The layer inspector for the selected image, in a window of its own.
    LayersWindow *showLayers();

private:
    void updateActions();

    service::EngineService *m_service = nullptr;
    ImageListModel *m_model = nullptr;
    FilterProxy *m_proxy = nullptr;
    ImageTableView *m_view = nullptr;
    QLineEdit *m_filter = nullptr;
    QAction *m_pull = nullptr;
    QAction *m_run = nullptr;
    QAction *m_tag = nullptr;
    QAction *m_push = nullptr;
    QAction *m_remove = nullptr;
    QAction *m_history = nullptr;
    QAction *m_save = nullptr;
};

} // namespace porthole::gui
