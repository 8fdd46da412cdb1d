#include "service/snapshotworker.h"

namespace porthole::service {

SnapshotWorker::SnapshotWorker(EngineOptions options) : m_options(std::move(options)) {}

SnapshotWorker::~SnapshotWorker() = default;

void SnapshotWorker::open()
{
    // Created here, on the worker thread, so their events arrive here.
    m_watcher = new QFileSystemWatcher(this);
    m_debounce = new QTimer(this);
    m_debounce->setSingleShot(true);
    m_debounce->setInterval(100);
    connect(m_debounce, &QTimer::timeout, this, &SnapshotWorker::reload);
    connect(m_watcher, &QFileSystemWatcher::directoryChanged, this, &SnapshotWorker::scheduleReload);

    auto engine = Engine::open(m_options);
    if (!engine) {
        Q_EMIT storeError(engine.error().message);
        return;
    }
    m_engine = std::move(*engine);
    const QString root = m_engine->root();
    m_watcher->addPath(root);
    m_watcher->addPath(root + QStringLiteral("/containers"));
    reload();
}

void SnapshotWorker::scheduleReload()
{
    if (m_debounce && !m_debounce->isActive())
        m_debounce->start();
}

void SnapshotWorker::reload()
{
    if (!m_engine)
        return;
    if (auto images = m_engine->listImages())
        Q_EMIT imagesChanged(*images);
    else
        Q_EMIT storeError(images.error().message);
    if (auto containers = m_engine->listContainers(true)) {
        watchContainers(*containers);
        Q_EMIT containersChanged(*containers);
    } else {
        Q_EMIT storeError(containers.error().message);
    }
}

void SnapshotWorker::watchContainers(const QList<ContainerRow> &rows)
{
    const QString base = m_engine->root() + QStringLiteral("/containers/");
    QStringList wanted;
    for (const ContainerRow &row : rows)
        wanted.append(base + row.id);
    QStringList stale;
    for (const QString &dir : m_watcher->directories()) {
        if (dir.startsWith(base) && !wanted.contains(dir))
            stale.append(dir);
    }
    if (!stale.isEmpty())
        m_watcher->removePaths(stale);
    QStringList added;
    const QStringList watched = m_watcher->directories();
    for (const QString &dir : wanted) {
        if (!watched.contains(dir))
            added.append(dir);
    }
    if (!added.isEmpty())
        m_watcher->addPaths(added);
}

} // namespace porthole::service
