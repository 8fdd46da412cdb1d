#include "gui/inspector/layertreemodel.h"

#include "gui/inspector/layerfilemime.h"

#include <QApplication>
#include <QFile>
#include <QFont>
#include <QLocale>
#include <QPalette>
#include <QStyle>

#include <algorithm>
#include <numeric>

namespace porthole::gui {

using service::FileKind;
using service::LayerFileRow;

namespace {

// The engine's order ('/' before every other character), so a directory's
// tree is the run of rows right after it.
bool treeLess(const QString &a, const QString &b)
{
    const qsizetype n = std::min(a.size(), b.size());
    for (qsizetype i = 0; i < n; ++i) {
        if (a[i] != b[i]) {
            const auto key = [](QChar c) { return c == u'/' ? 0 : int(c.unicode()) + 1; };
            return key(a[i]) < key(b[i]);
        }
    }
    return a.size() < b.size();
}

bool isDirKind(FileKind k) { return k == FileKind::Dir || k == FileKind::OpaqueDir; }

} // namespace

LayerTreeModel::LayerTreeModel(QObject *parent) : QAbstractItemModel(parent)
{
    rebuild(true);
}

void LayerTreeModel::setImageLayers(const service::ImageLayers &image)
{
    m_image = image;
    m_mode = Mode::Merged;
    m_layer = -1;
    rebuild(true);
}

void LayerTreeModel::showLayer(int layer)
{
    m_mode = Mode::Layer;
    m_layer = layer >= 0 && layer < m_image.layers.size() ? layer : -1;
    rebuild(true);
}

void LayerTreeModel::showMerged()
{
    m_mode = Mode::Merged;
    m_layer = -1;
    rebuild(true);
}

void LayerTreeModel::setFilter(const QString &text)
{
    if (text == m_filter)
        return;
    m_filter = text;
    rebuild(false);
}

int LayerTreeModel::totalRows() const { return int(source().size()); }

const QList<LayerFileRow> &LayerTreeModel::source() const
{
    static const QList<LayerFileRow> none;
    if (m_mode == Mode::Merged)
        return m_image.merged;
    return m_layer >= 0 ? m_image.layers[m_layer].changes : none;
}

void LayerTreeModel::rebuild(bool resort)
{
    beginResetModel();
    const QList<LayerFileRow> &src = source();
    if (resort) {
        m_sorted.resize(src.size());
        std::iota(m_sorted.begin(), m_sorted.end(), 0);
        const auto less = [&](int a, int b) { return treeLess(src[a].path, src[b].path); };
        // The engine sends them sorted; only other callers pay for a sort.
        if (!std::is_sorted(m_sorted.begin(), m_sorted.end(), less))
            std::stable_sort(m_sorted.begin(), m_sorted.end(), less);
    }
    m_rows.clear();
    m_prefix.assign(1, 0);
    for (int i : m_sorted) {
        const LayerFileRow &r = src[i];
        if (!m_filter.isEmpty() && !r.path.contains(m_filter, Qt::CaseInsensitive))
            continue;
        m_rows.append(i);
        const bool counts = r.change != 'D' && r.kind == FileKind::File;
        m_prefix.push_back(m_prefix.back() + (counts ? r.size : 0));
    }
    m_nodes.clear();
    Node root;
    root.end = int(m_rows.size());
    m_nodes.push_back(root);
    // The top level is built at once; everything below waits for fetchMore.
    std::vector<Node> top = childrenOf(0);
    m_nodes[0].fetched = true;
    for (Node &n : top) {
        m_nodes[0].children.push_back(int(m_nodes.size()));
        m_nodes.push_back(std::move(n));
    }
    endResetModel();
}

std::vector<LayerTreeModel::Node> LayerTreeModel::childrenOf(int n) const
{
    std::vector<Node> out;
    const QString prefix = m_nodes[n].path + u'/';
    const int end = m_nodes[n].end;
    int pos = m_nodes[n].begin;
    while (pos < end) {
        const QString &path = rowAt(pos).path;
        const qsizetype slash = path.indexOf(u'/', prefix.size());
        Node child;
        child.parent = n;
        child.indexInParent = int(out.size());
        if (slash < 0) {
            child.row = pos;
            child.path = path;
            child.begin = pos + 1;
        } else {
            child.path = path.left(slash); // an ancestor the list has no row for
            child.begin = pos;
        }
        const QString childPrefix = child.path + u'/';
        const auto first = m_rows.cbegin() + child.begin, last = m_rows.cbegin() + end;
        child.end = int(std::partition_point(first, last, [&](int r) { return source()[r].path.startsWith(childPrefix); })
                        - m_rows.cbegin());
        pos = child.end;
        out.push_back(std::move(child));
    }
    return out;
}

QModelIndex LayerTreeModel::index(int row, int column, const QModelIndex &parent) const
{
    if (column < 0 || column >= ColumnCount || (parent.isValid() && parent.column() != 0))
        return {};
    const Node &p = m_nodes[size_t(nodeOf(parent))];
    if (row < 0 || size_t(row) >= p.children.size())
        return {};
    return createIndex(row, column, quintptr(p.children[size_t(row)]));
}

QModelIndex LayerTreeModel::parent(const QModelIndex &child) const
{
    if (!child.isValid())
        return {};
    const int p = m_nodes[size_t(nodeOf(child))].parent;
    if (p <= 0)
        return {};
    return createIndex(m_nodes[size_t(p)].indexInParent, 0, quintptr(p));
}

int LayerTreeModel::rowCount(const QModelIndex &parent) const
{
    if (parent.isValid() && parent.column() != 0)
        return 0;
    return int(m_nodes[size_t(nodeOf(parent))].children.size());
}

int LayerTreeModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() && parent.column() != 0 ? 0 : ColumnCount;
}

bool LayerTreeModel::hasChildren(const QModelIndex &parent) const
{
    if (parent.isValid() && parent.column() != 0)
        return false;
    const Node &n = m_nodes[size_t(nodeOf(parent))];
    return n.fetched ? !n.children.empty() : n.begin < n.end;
}

bool LayerTreeModel::canFetchMore(const QModelIndex &parent) const
{
    if (parent.isValid() && parent.column() != 0)
        return false;
    const Node &n = m_nodes[size_t(nodeOf(parent))];
    return !n.fetched && n.begin < n.end;
}

void LayerTreeModel::fetchMore(const QModelIndex &parent)
{
    if (!canFetchMore(parent))
        return;
    const int n = nodeOf(parent);
    std::vector<Node> children = childrenOf(n);
    m_nodes[size_t(n)].fetched = true;
    if (children.empty())
        return;
    beginInsertRows(parent, 0, int(children.size()) - 1);
    for (Node &c : children) {
        m_nodes[size_t(n)].children.push_back(int(m_nodes.size()));
        m_nodes.push_back(std::move(c));
    }
    endInsertRows();
}

const LayerFileRow *LayerTreeModel::fileRow(const QModelIndex &index) const
{
    if (!index.isValid())
        return nullptr;
    const Node &n = m_nodes[size_t(nodeOf(index))];
    return n.row >= 0 ? &rowAt(n.row) : nullptr;
}

QModelIndex LayerTreeModel::indexOfPath(const QString &path)
{
    QModelIndex at;
    QString sofar;
    for (const QString &part : path.split(u'/', Qt::SkipEmptyParts)) {
        sofar += u'/' + part;
        if (canFetchMore(at))
            fetchMore(at);
        const Node &n = m_nodes[size_t(nodeOf(at))];
        const auto it = std::find_if(n.children.begin(), n.children.end(), [&](int c) { return m_nodes[size_t(c)].path == sofar; });
        if (it == n.children.end())
            return {};
        at = createIndex(int(it - n.children.begin()), 0, quintptr(*it));
    }
    return at;
}

qint64 LayerTreeModel::bytesOf(const Node &node) const
{
    if (node.row >= 0 && !isDirKind(rowAt(node.row).kind))
        return rowAt(node.row).size;
    return m_prefix[size_t(node.end)] - m_prefix[size_t(node.begin)];
}

QString LayerTreeModel::layerDirOf(const LayerFileRow &row) const
{
    return row.layer >= 0 && row.layer < m_image.layers.size() ? m_image.layers[row.layer].dir : QString();
}

bool LayerTreeModel::draggable(const LayerFileRow &row) const
{
    return row.change != 'D' && (row.kind == FileKind::File || row.kind == FileKind::Hardlink) && !layerDirOf(row).isEmpty();
}

QIcon LayerTreeModel::iconFor(FileKind kind) const
{
    if (m_icons.isEmpty()) {
        QStyle *s = QApplication::style();
        m_icons = {s->standardIcon(QStyle::SP_FileIcon),        s->standardIcon(QStyle::SP_DirIcon),
                   s->standardIcon(QStyle::SP_FileLinkIcon),    s->standardIcon(QStyle::SP_FileLinkIcon),
                   s->standardIcon(QStyle::SP_TrashIcon),       s->standardIcon(QStyle::SP_DirClosedIcon),
                   s->standardIcon(QStyle::SP_DriveHDIcon),     s->standardIcon(QStyle::SP_MediaPlay),
                   s->standardIcon(QStyle::SP_DriveNetIcon)};
    }
    return m_icons.value(int(kind));
}

static QString kindText(FileKind k)
{
    switch (k) {
    case FileKind::File: return LayerTreeModel::tr("file");
    case FileKind::Dir: return LayerTreeModel::tr("directory");
    case FileKind::Symlink: return LayerTreeModel::tr("symbolic link");
    case FileKind::Hardlink: return LayerTreeModel::tr("hard link");
    case FileKind::Whiteout: return LayerTreeModel::tr("whiteout");
    case FileKind::OpaqueDir: return LayerTreeModel::tr("opaque directory (hides the lower layers' contents)");
    case FileKind::Device: return LayerTreeModel::tr("device");
    case FileKind::Fifo: return LayerTreeModel::tr("named pipe");
    case FileKind::Socket: return LayerTreeModel::tr("socket");
    }
    return {};
}

static QString changeText(char c)
{
    return c == 'A' ? LayerTreeModel::tr("Added") : c == 'C' ? LayerTreeModel::tr("Modified") : c == 'D' ? LayerTreeModel::tr("Deleted") : QString();
}

static QString layerList(const QList<int> &layers)
{
    QStringList s;
    for (int l : layers)
        s << QString::number(l + 1); // layers are numbered from 1 on screen
    return s.join(QStringLiteral(", "));
}

QVariant LayerTreeModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid())
        return {};
    const Node &n = m_nodes[size_t(nodeOf(index))];
    const LayerFileRow *r = n.row >= 0 ? &rowAt(n.row) : nullptr;
    const FileKind kind = r ? r->kind : FileKind::Dir;
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case Name: return n.path.mid(n.path.lastIndexOf(u'/') + 1);
        case Size:
            if (!r || isDirKind(kind) || kind == FileKind::File || kind == FileKind::Hardlink || r->change == 'D')
                return QLocale().formattedDataSize(bytesOf(n));
            return {};
        case Change: return r ? changeText(r->change) : QString();
        case Layer: return r && r->layer >= 0 ? QString::number(r->layer + 1) : QString();
        case Shadows: return r ? layerList(r->shadows) : QString();
        }
        return {};
    case Qt::ToolTipRole: {
        if (!r)
            return n.path;
        QString tip = QStringLiteral("%1\n%2, mode %3").arg(n.path, kindText(kind)).arg(r->mode & 07777, 4, 8, QLatin1Char('0'));
        if (!r->linkTarget.isEmpty())
            tip += u'\n' + (kind == FileKind::Hardlink ? tr("same file as %1") : tr("points to %1")).arg(r->linkTarget);
        if (!r->shadows.isEmpty())
            tip += u'\n' + tr("hides the version in layer(s) %1").arg(layerList(r->shadows));
        return tip;
    }
    case Qt::DecorationRole:
        return index.column() == Name ? QVariant(iconFor(kind)) : QVariant();
    case Qt::ForegroundRole: {
        // Directories that only hold changes stay plain; what was really
        // added, modified or deleted takes the palette's accent colours.
        if (!r || (isDirKind(kind) && r->change == 'C' && kind != FileKind::OpaqueDir))
            return {};
        const QPalette pal = QApplication::palette();
        return r->change == 'A' ? pal.color(QPalette::Link)
             : r->change == 'C' ? pal.color(QPalette::LinkVisited)
                                : pal.color(QPalette::PlaceholderText);
    }
    case Qt::FontRole:
        if (r && r->change == 'D') {
            QFont f;
            f.setStrikeOut(true);
            return f;
        }
        return {};
    case Qt::TextAlignmentRole:
        return index.column() == Size ? QVariant(Qt::AlignRight | Qt::AlignVCenter) : QVariant();
    case PathRole: return n.path;
    case KindRole: return int(kind);
    case ChangeRole: return r ? QString(QLatin1Char(r->change)) : QString();
    case LayerRole: return r ? r->layer : -1;
    case ShadowsRole: {
        QVariantList l;
        if (r)
            for (int s : r->shadows)
                l << s;
        return l;
    }
    case BytesRole: return bytesOf(n);
    case MadeUpRole: return r == nullptr;
    }
    return {};
}

QVariant LayerTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Name: return tr("Name");
    case Size: return tr("Size");
    case Change: return tr("Change");
    case Layer: return tr("Layer");
    case Shadows: return tr("Hides layers");
    }
    return {};
}

Qt::ItemFlags LayerTreeModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    Qt::ItemFlags f = Qt::ItemIsEnabled | Qt::ItemIsSelectable;
    if (const LayerFileRow *r = fileRow(index); r && draggable(*r))
        f |= Qt::ItemIsDragEnabled;
    if (!hasChildren(index))
        f |= Qt::ItemNeverHasChildren;
    return f;
}

QStringList LayerTreeModel::mimeTypes() const { return {QStringLiteral("text/uri-list")}; }

QMimeData *LayerTreeModel::mimeData(const QModelIndexList &indexes) const
{
    QList<LayerFileMimeData::Item> items;
    QList<const LayerFileRow *> seen;
    for (const QModelIndex &i : indexes) {
        const LayerFileRow *r = fileRow(i);
        if (!r || !draggable(*r) || seen.contains(r))
            continue;
        seen << r;
        items.append({layerDirOf(*r), QFile::encodeName(r->path).mid(1)});
    }
    if (items.isEmpty())
        return nullptr;
    return new LayerFileMimeData(m_service, std::move(items));
}

} // namespace porthole::gui
