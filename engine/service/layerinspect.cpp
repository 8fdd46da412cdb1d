// The layer inspector for the Engine: an image's layers as layer/layerindex
// sees them, in the value types the GUI shows; a container's live changes.
#include "service/engine.h"
#include "container/orphans.h"

#include "container/committer.h"
#include "layer/imagelayers.h"
#include "layer/layerindex.h"
#include "layer/unpacker.h"
#include "layer/upperdiff.h"
#include "layer/whiteout.h"
#include "store/containerstore.h"
#include "store/imagestore.h"
#include "store/store.h"

#include <QFile>

namespace porthole::service {

namespace {

static_assert(int(FileKind::Socket) == int(layer::EntryKind::Socket) && int(FileKind::Hardlink) == int(layer::EntryKind::Hardlink),
              "FileKind mirrors layer::EntryKind");

QString absolute(const QByteArray &rel) { return QLatin1Char('/') + QString::fromUtf8(rel); }

char changeChar(layer::ChangeKind c)
{
    return c == layer::ChangeKind::Added ? 'A' : c == layer::ChangeKind::Modified ? 'C' : 'D';
}

LayerFileRow toRow(const layer::AnalyzedEntry &a)
{
    LayerFileRow row;
    row.path = absolute(a.entry.path);
    row.change = changeChar(a.change);
    row.kind = FileKind(a.entry.kind);
    row.size = a.change == layer::ChangeKind::Deleted ? a.bytes : a.entry.size;
    row.mode = a.entry.mode;
    if (a.entry.kind == layer::EntryKind::Hardlink)
        row.linkTarget = absolute(a.entry.linkTarget);
    else
        row.linkTarget = QString::fromUtf8(a.entry.linkTarget);
    row.layer = a.layer;
    row.shadows = a.shadows;
    return row;
}

// One step per history entry; a step that is not empty_layer owns the next
// layer. Layers the history does not account for (images without history,
// or with too little) get a step of their own, as docker's history shows them.
QList<ImageLayerStep> stepsOf(const store::StoredImage &image, const QList<ImageLayer> &layers)
{
    QList<ImageLayerStep> steps;
    int next = 0;
    for (const HistoryEntry &h : image.config.history()) {
        ImageLayerStep step;
        step.history.imageId = QStringLiteral("<missing>");
        step.history.created = parseRfc3339(h.created).value_or(QDateTime());
        step.history.createdBy = h.createdBy;
        step.history.author = h.author;
        step.history.comment = h.comment;
        step.history.emptyLayer = h.emptyLayer;
        if (!h.emptyLayer && next < layers.size()) {
            step.layer = next++;
            step.history.size = layers[step.layer].size;
        }
        steps.append(step);
    }
    for (; next < layers.size(); ++next) {
        ImageLayerStep step;
        step.history.imageId = QStringLiteral("<missing>");
        step.history.size = layers[next].size;
        step.layer = next;
        steps.append(step);
    }
    if (!steps.isEmpty())
        steps.last().history.imageId = image.configDigest.toString();
    return steps;
}

// "/vol/" and "vol//x" as the walk spells paths: "vol", "vol/x".
QByteArrayList normalized(const QStringList &paths)
{
    QByteArrayList out;
    for (const QString &p : paths) {
        QByteArrayList parts;
        for (const QByteArray &part : QFile::encodeName(p).split('/'))
            if (!part.isEmpty() && part != ".")
                parts.append(part);
        if (!parts.isEmpty())
            out.append(parts.join('/'));
    }
    return out;
}

bool excludedPath(const QByteArray &path, const QByteArrayList &excluded)
{
    for (const QByteArray &x : excluded) {
        if (path == x || (path.size() > x.size() && path.startsWith(x) && path[x.size()] == '/'))
            return true;
    }
    return false;
}

qint64 blocks(qint64 bytes) { return (bytes + 511) / 512 * 512; }

bool isAscii(QByteArrayView s)
{
    for (char c : s)
        if (uchar(c) >= 0x80)
            return false;
    return true;
}

// libarchive's pax writer stores a name in the ustar header when it is
// ASCII and fits (100 bytes, or a prefix of up to 155 and a name of up to
// 100 split at a '/'); otherwise it adds a pax header with a path record.
bool fitsUstar(QByteArrayView name)
{
    if (!isAscii(name))
        return false;
    if (name.size() <= 100)
        return true;
    qsizetype slash = name.indexOf('/', name.size() - 101);
    if (slash == 0)
        slash = name.indexOf('/', 1);
    return slash > 0 && slash + 1 < name.size() && slash <= 155;
}

// A pax record is "<len> <key>=<value>\n"; the header entry carrying the
// records is one ustar header and its data. The mtime record a pax header
// gets along is included as a typical 30 bytes.
qint64 paxBytes(QByteArrayView name, QByteArrayView link)
{
    qint64 records = 0;
    if (!fitsUstar(name))
        records += name.size() + 12;
    if (!link.isEmpty() && (link.size() > 100 || !isAscii(link)))
        records += link.size() + 16;
    return records == 0 ? 0 : 512 + blocks(records + 30);
}

// What layer::writeUpperTar writes for the entry (see the ContainerChanges comment).
qint64 tarBytes(const layer::IndexEntry &e)
{
    using K = layer::EntryKind;
    switch (e.kind) {
    case K::Socket:
        return 0;
    case K::Whiteout: {
        const qsizetype slash = e.path.lastIndexOf('/');
        const QByteArray name = e.path.left(slash + 1) + layer::kWhiteoutPrefix + e.path.mid(slash + 1);
        return 512 + paxBytes(name, {});
    }
    case K::Dir:
    case K::OpaqueDir: {
        qint64 n = 512 + paxBytes(e.path + '/', {});
        if (e.kind == K::OpaqueDir)
            n += 512 + paxBytes(e.path + '/' + layer::kOpaqueMarker, {});
        return n;
    }
    case K::File:
        return 512 + paxBytes(e.path, {}) + blocks(e.size);
    case K::Hardlink:
    case K::Symlink:
        return 512 + paxBytes(e.path, e.linkTarget);
    default:
        return 512 + paxBytes(e.path, {});
    }
}

} // namespace

Result<ImageLayers> Engine::inspectImageLayers(const QString &nameOrId, const CancelToken &cancel)
{
    // Held throughout: garbage collection must not take a layer dir we read.
    PH_TRY(store::FileLock lock, m_store->useLock());
    store::ImageStore images(*m_store);
    PH_TRY(const store::ResolvedImage found, images.resolve(nameOrId));
    const store::StoredImage &image = found.image;
    const QString step = QStringLiteral("inspect the layers of %1").arg(image.shortId());
    const QList<Digest> diffIds = image.config.diffIds();
    if (diffIds.size() != image.manifest.layers.size())
        return Error(ErrorCode::FailedPrecondition, QStringLiteral("%1: the image has %2 layers but %3 diff IDs in its config")
                                                        .arg(step).arg(image.manifest.layers.size()).arg(diffIds.size()));
    if (Status st = layer::unpackLayers(*m_store, diffIds, image.manifest.layers, cancel); !st)
        return st.error().context(step);

    ImageLayers out;
    out.id = image.configDigest;
    QList<layer::LayerIndex> indexes;
    for (qsizetype i = 0; i < diffIds.size(); ++i) {
        ImageLayer l;
        l.diffId = diffIds[i];
        l.dir = m_store->layerDir(store::chainId(diffIds.mid(0, i + 1)));
        PH_TRY(layer::LayerIndex index, layer::indexLayerDir(l.dir, cancel));
        indexes.append(std::move(index));
        out.layers.append(l);
    }
    const layer::StackAnalysis stack = layer::analyzeLayers(indexes);
    indexes.clear();
    for (qsizetype i = 0; i < out.layers.size(); ++i) {
        ImageLayer &l = out.layers[i];
        const layer::LayerAnalysis &a = stack.layers[i];
        l.size = a.contentBytes;
        l.wastedBytes = a.wastedBytes;
        l.added = a.added;
        l.modified = a.modified;
        l.deleted = a.deleted;
        l.changes.reserve(a.changes.size());
        for (const layer::AnalyzedEntry &e : a.changes)
            l.changes.append(toRow(e));
    }
    out.merged.reserve(stack.merged.size());
    for (const layer::AnalyzedEntry &e : stack.merged)
        out.merged.append(toRow(e));
    out.totalBytes = stack.totalBytes;
    out.wastedBytes = stack.wastedBytes;
    out.efficiency = stack.efficiency();
    out.steps = stepsOf(image, out.layers);
    return out;
}

Result<ContainerChanges> Engine::containerChanges(const QString &nameOrId)
{
    store::ContainerStore containers(*m_store);
    PH_TRY(const store::ContainerRecord record, container::resolveContainer(containers, nameOrId));
    const QString step = QStringLiteral("changes of container %1").arg(record.config.name);
    QStringList lowers;
    QList<Digest> diffs;
    for (const Digest &d : record.config.diffIds) {
        diffs.append(d);
        lowers.prepend(m_store->layerDir(store::chainId(diffs))); // topmost first
    }
    const QStringList excluded = container::notCommitted(record.config);
    const QString upper = containers.upperDir(record.config.id);
    PH_TRY(const QList<layer::Change> diff, layer::diffUpper(upper, lowers, excluded));
    auto index = layer::indexLayerDir(upper);
    if (!index)
        return index.error().context(step);

    ContainerChanges out;
    out.id = record.config.id;
    out.name = record.config.name;
    out.imageId = record.config.image.toString();
    for (const layer::Change &c : diff) {
        ContainerChangeRow row;
        row.kind = c.kind == layer::Change::Added ? 'A' : c.kind == layer::Change::Changed ? 'C' : 'D';
        row.path = c.path;
        row.fileKind = FileKind::Whiteout;
        if (c.kind != layer::Change::Deleted) {
            if (const layer::IndexEntry *e = index->find(QFile::encodeName(c.path).mid(1))) {
                row.fileKind = FileKind(e->kind);
                row.bytes = e->kind == layer::EntryKind::File || e->kind == layer::EntryKind::Hardlink ? e->size : 0;
            }
        }
        out.changes.append(row);
    }
    const QByteArrayList skip = normalized(excluded);
    qint64 tar = 1024; // the end-of-archive marker; the writer pads no further
    for (const layer::IndexEntry &e : index->entries) {
        if (excludedPath(e.path, skip))
            continue;
        out.contentBytes += e.contentBytes();
        tar += tarBytes(e);
    }
    out.commitTarSize = tar;
    return out;
}

} // namespace porthole::service
