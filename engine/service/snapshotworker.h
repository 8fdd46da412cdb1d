// SnapshotWorker: EngineService's object on its worker thread. It owns an
// Engine for reading the image and container lists and watches the store
// with inotify (QFileSystemWatcher), so a change made anywhere (this
// process, the CLI, a shim writing a container's exit) reloads the lists
// without polling:
//   ROOT/                 index.json is replaced by rename on every tag edit
//   ROOT/containers/      a container created or removed
//   ROOT/containers/<id>/ state.json replaced when it starts, pauses, exits
// Bursts of events are coalesced (one reload per 100 ms at most).
// Threading: lives on the worker thread; reached by queued calls only.
#pragma once

#include "service/engine.h"

#include <QFileSystemWatcher>
#include <QObject>
#include <QTimer>

#include <memory>

namespace porthole::service {

class SnapshotWorker : public QObject {
    Q_OBJECT
public:
    explicit SnapshotWorker(EngineOptions options);
    ~SnapshotWorker() override;

    // On the worker thread (see EngineService::execInContainer).
    Result<runtime::ExecProcess> exec(const QString &container, const runtime::ExecSpec &spec);

public Q_SLOTS:
    void open();
    void reload();
    // A reload soon, coalescing bursts of store changes.
    void scheduleReload();

Q_SIGNALS:
    void imagesChanged(const QList<porthole::service::ImageRow> &rows);
    void containersChanged(const QList<porthole::service::ContainerRow> &rows);
    void storeError(const QString &message);

private:
    void watchContainers();

    EngineOptions m_options;
    std::unique_ptr<Engine> m_engine;
    QFileSystemWatcher *m_watcher = nullptr;
    QTimer *m_debounce = nullptr;
};

} // namespace porthole::service
