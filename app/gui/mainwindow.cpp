#include "gui/mainwindow.h"

#include "cli/format.h"
#include "service/engine.h"

#include <QFutureWatcher>
#include <QHeaderView>
#include <QLabel>
#include <QStatusBar>
#include <QTreeWidget>
#include <QtConcurrent/QtConcurrentRun>

namespace porthole::gui {

namespace {

struct LoadResult {
    QList<service::ImageRow> rows;
    QString error;
};

// Runs on a pool thread: opening the store may create it and seed the demo
// image, which reads busybox and writes blobs.
LoadResult loadImages(const QString &root)
{
    service::EngineOptions options;
    options.root = root;
    options.seedDemoImage = qEnvironmentVariableIsEmpty("PORTHOLE_NO_DEMO");
    auto engine = service::Engine::open(options);
    if (!engine)
        return {{}, engine.error().message};
    auto rows = (*engine)->listImages();
    if (!rows)
        return {{}, rows.error().message};
    return {*rows, {}};
}

} // namespace

MainWindow::MainWindow(QString root, QWidget *parent) : QMainWindow(parent), m_root(std::move(root))
{
    setWindowTitle(tr("Porthole"));
    resize(900, 520);
    m_images = new QTreeWidget(this);
    m_images->setRootIsDecorated(false);
    m_images->setSortingEnabled(true);
    m_images->setAccessibleName(tr("Images"));
    m_images->setHeaderLabels({tr("Repository"), tr("Tag"), tr("Image ID"), tr("Created"), tr("Size")});
    m_images->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    setCentralWidget(m_images);
    statusBar()->showMessage(tr("Store: %1").arg(m_root));
    refresh();
}

void MainWindow::refresh()
{
    auto *watcher = new QFutureWatcher<LoadResult>(this);
    connect(watcher, &QFutureWatcher<LoadResult>::finished, this, [this, watcher] {
        const LoadResult r = watcher->result();
        showImages(r.rows, r.error);
        watcher->deleteLater();
    });
    watcher->setFuture(QtConcurrent::run(loadImages, m_root));
}

void MainWindow::showImages(const QList<service::ImageRow> &rows, const QString &error)
{
    m_images->clear();
    if (!error.isEmpty()) {
        statusBar()->showMessage(tr("Could not read the store: %1").arg(error));
        return;
    }
    const QDateTime now = QDateTime::currentDateTimeUtc();
    for (const auto &row : rows) {
        auto *item = new QTreeWidgetItem(m_images);
        item->setText(0, row.repository);
        item->setText(1, row.tag);
        item->setText(2, row.id.shortHex());
        item->setText(3, row.created.isValid() ? cli::timeAgo(row.created, now) : QString());
        item->setText(4, cli::humanSize(row.size));
    }
    statusBar()->showMessage(tr("%n image(s) in %1", nullptr, int(rows.size())).arg(m_root));
}

} // namespace porthole::gui
