#include "gui/inspector/layerinspector.h"

#include "gui/inspector/layertreemodel.h"

#include <QApplication>
#include <QButtonGroup>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QSplitter>
#include <QTableWidget>
#include <QToolButton>
#include <QTreeView>
#include <QVBoxLayout>

namespace porthole::gui {

namespace {

QString bytes(qint64 n) { return QLocale().formattedDataSize(n); }

QTableWidgetItem *item(const QString &text, const QString &tip = {})
{
    auto *i = new QTableWidgetItem(text);
    i->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
    i->setToolTip(tip.isEmpty() ? text : tip);
    return i;
}

} // namespace

LayerInspector::LayerInspector(QWidget *parent)
    : QWidget(parent)
    , m_summary(new QLabel(this))
    , m_history(new QTableWidget(0, HistoryColumnCount, this))
    , m_layerButton(new QToolButton(this))
    , m_mergedButton(new QToolButton(this))
    , m_filter(new QLineEdit(this))
    , m_detail(new QLabel(this))
    , m_tree(new QTreeView(this))
    , m_model(new LayerTreeModel(this))
{
    m_summary->setWordWrap(true);
    m_history->setHorizontalHeaderLabels({tr("Created"), tr("Created by"), tr("Size"), tr("Comment")});
    m_history->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_history->setSelectionMode(QAbstractItemView::SingleSelection);
    m_history->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_history->verticalHeader()->hide();
    m_history->setWordWrap(false);
    m_history->horizontalHeader()->setSectionResizeMode(CreatedBy, QHeaderView::Stretch);
    for (int c : {Created, Size, Comment})
        m_history->horizontalHeader()->setSectionResizeMode(c, QHeaderView::ResizeToContents);

    m_layerButton->setText(tr("Layer changes"));
    m_mergedButton->setText(tr("Merged"));
    m_mergedButton->setToolTip(tr("The whole filesystem: each file's layer and the layers it hides"));
    auto *modes = new QButtonGroup(this);
    for (QToolButton *b : {m_layerButton, m_mergedButton}) {
        b->setCheckable(true);
        b->setAutoRaise(true);
        modes->addButton(b);
    }
    m_layerButton->setChecked(true);
    m_filter->setPlaceholderText(tr("Search by path"));
    m_filter->setClearButtonEnabled(true);
    m_detail->setWordWrap(true);

    m_tree->setModel(m_model);
    m_tree->setUniformRowHeights(true); // lets the view skip measuring 50,000 rows
    m_tree->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_tree->setDragEnabled(true);
    m_tree->setDragDropMode(QAbstractItemView::DragOnly);
    m_tree->header()->setSectionResizeMode(LayerTreeModel::Name, QHeaderView::Stretch);
    m_tree->header()->setStretchLastSection(false);

    auto *bar = new QHBoxLayout;
    bar->addWidget(m_layerButton);
    bar->addWidget(m_mergedButton);
    bar->addWidget(m_filter, 1);
    auto *lower = new QWidget(this);
    auto *lowerLayout = new QVBoxLayout(lower);
    lowerLayout->setContentsMargins(0, 0, 0, 0);
    lowerLayout->addLayout(bar);
    lowerLayout->addWidget(m_detail);
    lowerLayout->addWidget(m_tree, 1);
    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_history);
    split->addWidget(lower);
    split->setStretchFactor(1, 2);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_summary);
    layout->addWidget(split, 1);

    connect(m_history, &QTableWidget::itemSelectionChanged, this, &LayerInspector::showSelection);
    connect(modes, &QButtonGroup::buttonToggled, this, [this](QAbstractButton *, bool checked) {
        if (checked)
            showSelection();
    });
    connect(m_filter, &QLineEdit::textChanged, m_model, &LayerTreeModel::setFilter);
    connect(m_filter, &QLineEdit::textChanged, this, [this] { m_detail->setText(detailText()); });
    clear();
}

void LayerInspector::setService(service::EngineService *service) { m_model->setService(service); }

void LayerInspector::setImageLayers(const service::ImageLayers &image)
{
    m_image = image;
    m_model->setImageLayers(image);
    m_summary->setText(summaryText());
    fillHistory();
    int newest = -1;
    for (int i = 0; i < m_image.steps.size(); ++i)
        if (m_image.steps[i].layer >= 0)
            newest = i;
    selectStep(newest >= 0 ? newest : int(m_image.steps.size()) - 1);
    showSelection();
}

void LayerInspector::clear()
{
    setImageLayers({});
}

void LayerInspector::fillHistory()
{
    const QSignalBlocker quiet(m_history);
    m_history->setRowCount(int(m_image.steps.size()));
    const QPalette pal = QApplication::palette();
    for (int i = 0; i < m_image.steps.size(); ++i) {
        const service::ImageLayerStep &s = m_image.steps[i];
        const service::HistoryRow &h = s.history;
        const QString created = h.created.isValid() ? QLocale().toString(h.created.toLocalTime(), QLocale::ShortFormat) : QString();
        m_history->setItem(i, Created, item(created));
        m_history->setItem(i, CreatedBy, item(h.createdBy));
        m_history->setItem(i, Comment, item(h.comment));
        QTableWidgetItem *size;
        if (s.layer < 0) {
            // No layer: ENV, CMD, LABEL... change only the config.
            size = item(tr("metadata only"), tr("This step changed only the image's configuration; it has no layer."));
            QFont f = size->font();
            f.setItalic(true);
            size->setFont(f);
            size->setForeground(pal.color(QPalette::PlaceholderText));
        } else {
            const service::ImageLayer &l = m_image.layers[s.layer];
            size = item(bytes(l.size), tr("Layer %1: %2 wasted (overwritten or deleted later)").arg(s.layer + 1).arg(bytes(l.wastedBytes)));
        }
        size->setData(Qt::UserRole, s.layer);
        m_history->setItem(i, Size, size);
    }
}

void LayerInspector::selectStep(int step)
{
    if (step < 0 || step >= m_history->rowCount())
        m_history->clearSelection();
    else
        m_history->selectRow(step);
}

int LayerInspector::selectedStep() const
{
    const QList<QTableWidgetSelectionRange> ranges = m_history->selectedRanges();
    return ranges.isEmpty() ? -1 : ranges.first().topRow();
}

void LayerInspector::setMerged(bool merged)
{
    (merged ? m_mergedButton : m_layerButton)->setChecked(true);
}

bool LayerInspector::isMerged() const { return m_mergedButton->isChecked(); }

void LayerInspector::showSelection()
{
    const int step = selectedStep();
    const int layer = step >= 0 ? m_image.steps[step].layer : -1;
    if (isMerged()) {
        if (m_model->mode() != LayerTreeModel::Mode::Merged)
            m_model->showMerged();
    } else if (m_model->mode() != LayerTreeModel::Mode::Layer || m_model->layer() != layer) {
        m_model->showLayer(layer);
    }
    m_tree->setColumnHidden(LayerTreeModel::Layer, !isMerged());
    m_detail->setText(detailText());
}

QString LayerInspector::summaryText() const
{
    if (m_image.layers.isEmpty())
        return tr("No image");
    return tr("%n layer(s), %1 of files; %2 overwritten or deleted by later layers: %3 % efficient", nullptr, int(m_image.layers.size()))
        .arg(bytes(m_image.totalBytes), bytes(m_image.wastedBytes), QLocale().toString(m_image.efficiency * 100.0, 'f', 1));
}

QString LayerInspector::detailText() const
{
    QString text;
    const int step = selectedStep();
    if (isMerged()) {
        text = tr("The merged filesystem: %n path(s)", nullptr, m_model->totalRows());
    } else if (step < 0) {
        text = tr("Select a step of the history.");
    } else if (m_image.steps[step].layer < 0) {
        text = tr("This step changed only the image's configuration (metadata only); it has no layer.");
    } else {
        const int layer = m_image.steps[step].layer;
        const service::ImageLayer &l = m_image.layers[layer];
        text = tr("Layer %1: %2 added, %3 modified, %4 deleted; %5 of files, %6 of them overwritten or deleted later")
                   .arg(layer + 1).arg(l.added).arg(l.modified).arg(l.deleted).arg(bytes(l.size), bytes(l.wastedBytes));
    }
    if (!m_model->filter().isEmpty())
        text += u' ' + tr("(%1 of %2 match)").arg(m_model->matchingRows()).arg(m_model->totalRows());
    return text;
}

} // namespace porthole::gui
