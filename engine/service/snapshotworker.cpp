#include "service/snapshotworker.h"

#include <QDir>
#include <QFileInfo>

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
    reload();
}

Result<runtime::ExecProcess> SnapshotWorker::exec(const QString &container, const runtime::ExecSpec &spec)
{
    if (!m_engine)
        return Error(ErrorCode::FailedPrecondition, QStringLiteral("exec in %1: the store is not open").arg(container));
    return m_engine->execInContainer(container, spec);
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
    watchContainers();
    if (auto containers = m_engine->listContainers(true)) {
        Q_EMIT containersChanged(*containers);
    } else {
        Q_EMIT storeError(containers.error().message);
    }
}

void SnapshotWorker::watchContainers()
{
    // Every container directory, listed or not: one the CLI is creating
    // right now has no config yet (not listed), and its config's arrival is
    // the event that must make it appear.
    const QString base = m_engine->root() + QStringLiteral("/containers/");
    // The directory itself appears with the first container (the root's
    // watch sees it come): watch it from then on.
    if (!m_watcher->directories().contains(base.chopped(1)) && QFileInfo(base).isDir())
        m_watcher->addPath(base.chopped(1));
    QStringList wanted;
    for (const QString &name : QDir(base).entryList(QDir::Dirs | QDir::NoDotAndDotDot | QDir::Hidden))
        wanted.append(base + name);
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
